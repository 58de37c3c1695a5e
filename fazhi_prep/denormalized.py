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


def area_totals(result: dict[str, Any] | None) -> dict[str, tuple[float, float, int]]:
    """Per 纲要 area of one result: (weight × counted coverage, weight, point results).

    Each point counts with its weight (a missing or zero weight counts as 1);
    question-specific points (no area) are not a 纲要 area and are left out.
    """
    totals: dict[str, list[float]] = {}
    for point in (result or {}).get("points", []):
        key = point.get("area")
        if not key:
            continue
        weight = max(float(point.get("weight") or 0), 0.0) or 1.0
        acc = totals.setdefault(key, [0.0, 0.0, 0])
        acc[0] += weight * float(point.get("counted_coverage", point.get("coverage", 0)))
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
    stmt = upsert(UserAreaStat)
    return stmt.on_conflict_do_update(
        index_elements=[UserAreaStat.user_id, UserAreaStat.area],
        set_={
            "weighted": UserAreaStat.weighted + stmt.excluded.weighted,
            "weight": UserAreaStat.weight + stmt.excluded.weight,
            "points": UserAreaStat.points + stmt.excluded.points,
            "attempts": UserAreaStat.attempts + 1,
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


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, flush_context, instances) -> None:
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Question) and _areas_changed(obj):
            _sync_question_areas(obj)
        elif isinstance(obj, Attempt):
            obj.flagged = has_flags(obj.result)
    pending = _new_attempts(session.new)
    if pending:
        session.info.setdefault("new_attempts", []).extend(pending)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, flush_context) -> None:
    # After the flush the attempts have their user ids; the stat rows go in the same transaction.
    pending = session.info.pop("new_attempts", [])
    for attempt in pending:
        add_to_user_stats(session, attempt.user_id, area_totals(attempt.result))


def user_area_rows(session: Session, user_id: int) -> list[UserAreaStat]:
    return list(session.scalars(select(UserAreaStat).where(UserAreaStat.user_id == user_id)))
