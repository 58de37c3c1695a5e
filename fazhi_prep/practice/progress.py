"""History and progress: a candidate's attempts and per-area strength."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import catalog
from ..extensions import db
from ..models import Attempt, Question
from .question_list import QuestionStats, question_stats


def user_attempts(user_id: int) -> list[Attempt]:
    stmt = (
        select(Attempt)
        .where(Attempt.user_id == user_id)
        .options(selectinload(Attempt.question))
        .order_by(Attempt.submitted_at, Attempt.id)
    )
    return list(db.session.scalars(stmt))


@dataclass
class AreaStat:
    key: str
    label: str
    coverage: float  # weight-averaged counted coverage of the area's points, 0–1
    points: int  # point results counted
    attempts: int  # attempts that touched the area


def area_stats(attempts: list[Attempt], labels: dict[str, str]) -> list[AreaStat]:
    """Coverage per 纲要 area across all attempts, weakest first.

    Each point result counts with its weight; question-specific points (no
    area) are not a 纲要 area and are left out.
    """
    totals: dict[str, list[float]] = {}
    touched: dict[str, set[int]] = {}
    for attempt in attempts:
        for point in attempt.result.get("points", []):
            key = point.get("area")
            if not key:
                continue
            weight = max(float(point.get("weight") or 0), 0.0) or 1.0
            acc = totals.setdefault(key, [0.0, 0.0, 0])
            acc[0] += weight * float(point.get("counted_coverage", point.get("coverage", 0)))
            acc[1] += weight
            acc[2] += 1
            touched.setdefault(key, set()).add(attempt.id)
    stats = [
        AreaStat(key, labels.get(key, key), acc[0] / acc[1] if acc[1] else 0.0, int(acc[2]), len(touched[key]))
        for key, acc in totals.items()
    ]
    order = list(labels)
    stats.sort(key=lambda s: (round(s.coverage, 4), order.index(s.key) if s.key in order else 99))
    return stats


def practice_for_area(area: str, user_id: int) -> Question | None:
    """A published question drawing on ``area``: the one the user attempted least."""
    stats = question_stats(user_id)
    candidates = [q for q in catalog.published_questions() if area in (q.areas or [])]
    if not candidates:
        candidates = [
            q for q in catalog.published_questions()
            if q.rubric and any(p.area == area for p in q.rubric.points)
        ]
    if not candidates:
        return None
    return min(candidates, key=lambda q: (stats.get(q.id, QuestionStats()).attempts, q.position, q.slug))
