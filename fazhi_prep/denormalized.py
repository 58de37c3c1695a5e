"""Columns and tables kept in step with the JSON they summarise, on every flush.

Lists that grow (the review list, the question list, history) filter and
aggregate on these instead of reading JSON row by row:

- ``Attempt.flagged``: the result has flags (只看被标记的);
- ``UserAreaStat``: a candidate's running per-area coverage totals;
- ``QuestionArea``: ``Question.areas`` as rows (the area filter).

Doing it in a flush hook covers every writer (submits, 收卷, the bank
loader, tests that add rows directly) without each having to remember.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .models import Attempt, Question, QuestionArea, UserAreaStat


def has_flags(result: dict[str, Any] | None) -> bool:
    return bool((result or {}).get("flags"))


def _weight(point: dict[str, Any]) -> float:
    return max(float(point.get("weight") or 0), 0.0) or 1.0


def override_coverages(points: list[dict[str, Any]], override: float | None) -> list[float]:
    """Each point's coverage as progress counts it.

    Without an override, the engine's counted coverage. With one, the tutor's
    score is the judgment that stands: the coverages are scaled so their
    weighted mean is the override's share of 100, keeping which points were
    stronger (all equal when the engine found nothing, e.g. a text it took
    for 跑题 that the tutor marked 78).
    """
    engine = [float(p.get("counted_coverage", p.get("coverage", 0))) for p in points]
    if override is None or not points:
        return engine
    wanted = max(0.0, min(100.0, float(override))) / 100
    mean = sum(_weight(p) * c for p, c in zip(points, engine, strict=True)) / sum(_weight(p) for p in points)
    if mean <= 0:
        return [wanted for _ in points]
    return [min(1.0, c * wanted / mean) for c in engine]


def area_totals(result: dict[str, Any] | None, override: float | None = None) -> dict[str, tuple[float, float, int]]:
    """Per 纲要 area of one result: (weight × counted coverage, weight, point results).

    Each point counts with its weight (a missing or zero weight counts as 1);
    question-specific points (no area) are not a 纲要 area and are left out.
    A tutor's override scales the coverages (``override_coverages``).
    """
    totals: dict[str, list[float]] = {}
    points = (result or {}).get("points", [])
    for point, coverage in zip(points, override_coverages(points, override), strict=True):
        key = point.get("area")
        if not key:
            continue
        weight = _weight(point)
        acc = totals.setdefault(key, [0.0, 0.0, 0])
        acc[0] += weight * coverage
        acc[1] += weight
        acc[2] += 1
    return {k: (v[0], v[1], int(v[2])) for k, v in totals.items()}


def add_to_user_stats(session: Session, user_id: int, totals: dict[str, tuple[float, float, int]]) -> None:
    """Add one attempt's area totals to the user's running totals: one upsert for all its areas.

    INSERT … ON CONFLICT DO UPDATE (SQLite and PostgreSQL) adds in the
    database, so two submits at once cannot lose each other's totals.
    """
    if not totals:
        return
    rows = [
        {"user_id": user_id, "area": area, "weighted": weighted, "weight": weight, "points": points, "attempts": 1}
        for area, (weighted, weight, points) in sorted(totals.items())
    ]
    stmt = _upsert(session.get_bind().dialect.name)
    if stmt is None:  # another database: row by row
        for row in rows:
            _add_row(session, row)
        return
    session.execute(stmt, rows)


@cache
def _upsert(dialect: str):
    """The upsert statement, built once per dialect (executed with one parameter set per area)."""
    upsert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}.get(dialect)
    if upsert is None:
        return None
    # On the table, not the mapped class: a Core statement skips the ORM's bulk-insert handling
    # (which made this statement three times slower), and nothing here needs objects back.
    table = UserAreaStat.__table__
    stmt = upsert(table)
    return stmt.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.area],
        set_={
            "weighted": table.c.weighted + stmt.excluded.weighted,
            "weight": table.c.weight + stmt.excluded.weight,
            "points": table.c.points + stmt.excluded.points,
            "attempts": table.c.attempts + 1,
        },
    )


def _add_row(session: Session, row: dict[str, Any]) -> None:
    changed = session.execute(
        update(UserAreaStat)
        .where(UserAreaStat.user_id == row["user_id"], UserAreaStat.area == row["area"])
        .values(
            weighted=UserAreaStat.weighted + row["weighted"],
            weight=UserAreaStat.weight + row["weight"],
            points=UserAreaStat.points + row["points"],
            attempts=UserAreaStat.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        # Core, not session.add(): this runs inside the flush (after_flush)
        session.execute(insert(UserAreaStat).values(**row))


def _areas_changed(question: Question) -> bool:
    state = inspect(question)
    return state.pending or state.attrs.areas.history.has_changes()


def _sync_question_areas(question: Question) -> None:
    wanted = list(dict.fromkeys(str(a) for a in question.areas or []))
    current = {link.area_key: link for link in question.area_links}
    if list(current) == wanted:
        return
    question.area_links = [current.get(key) or QuestionArea(area_key=key) for key in wanted]


def _new_attempts(objects: Iterable[object]) -> list[Attempt]:
    return [o for o in objects if isinstance(o, Attempt)]


def _override_change(attempt: Attempt) -> tuple[float | None, float | None] | None:
    """(old, new) override of a stored attempt whose override changes in this flush."""
    state = inspect(attempt)
    if state.pending:
        return None
    history = state.attrs.override_score.history
    if not history.has_changes():
        return None
    old = history.deleted[0] if history.deleted else None
    return (old, attempt.override_score) if old != attempt.override_score else None


def shift_user_stats(session: Session, user_id: int, before: dict, after: dict) -> None:
    """Move the user's running totals from one version of an attempt's totals to another."""
    for area in sorted(set(before) | set(after)):
        delta = after.get(area, (0.0, 0.0, 0))[0] - before.get(area, (0.0, 0.0, 0))[0]
        if delta:
            session.execute(
                update(UserAreaStat)
                .where(UserAreaStat.user_id == user_id, UserAreaStat.area == area)
                .values(weighted=UserAreaStat.weighted + delta)
                .execution_options(synchronize_session=False)
            )


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, flush_context, instances) -> None:
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Question) and _areas_changed(obj):
            _sync_question_areas(obj)
        elif isinstance(obj, Attempt):
            obj.flagged = has_flags(obj.result)
            change = _override_change(obj)
            if change is not None:
                # an override (or its removal) moves the candidate's area figures too
                old, new = change
                shift = (obj.user_id, area_totals(obj.result, old), area_totals(obj.result, new))
                session.info.setdefault("override_shifts", []).append(shift)
    pending = _new_attempts(session.new)
    if pending:
        session.info.setdefault("new_attempts", []).extend(pending)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, flush_context) -> None:
    # After the flush the attempts have their user ids; the stat rows go in the same transaction.
    pending = session.info.pop("new_attempts", [])
    for attempt in pending:
        add_to_user_stats(session, attempt.user_id, area_totals(attempt.result, attempt.override_score))
    for user_id, before, after in session.info.pop("override_shifts", []):
        shift_user_stats(session, user_id, before, after)


def user_area_rows(session: Session, user_id: int) -> list[UserAreaStat]:
    return list(session.scalars(select(UserAreaStat).where(UserAreaStat.user_id == user_id)))
