"""History and progress: a candidate's attempts and per-area strength."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import defer, selectinload

from ..denormalized import area_totals, user_area_rows
from ..extensions import db
from ..models import Attempt, Question, Rubric, RubricPoint
from .question_list import QuestionStats, in_area, question_stats

HISTORY_PER_PAGE = 20
CHART_POINTS = 60  # the score chart shows the latest attempts, not every one of thousands


def user_attempts(user_id: int) -> list[Attempt]:
    """Every attempt of the user, oldest first, with its result (the CSV export)."""
    stmt = (
        select(Attempt)
        .where(Attempt.user_id == user_id)
        .options(selectinload(Attempt.question))
        .order_by(Attempt.submitted_at, Attempt.id)
    )
    return list(db.session.scalars(stmt))


def history_query(user_id: int) -> Select:
    """The history table, newest first, without the answer and result texts it does not show."""
    return (
        select(Attempt)
        .where(Attempt.user_id == user_id)
        .options(selectinload(Attempt.question), defer(Attempt.result), defer(Attempt.answer),
                 defer(Attempt.self_marks))
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
    )


def attempt_count(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.user_id == user_id)) or 0


@dataclass
class ScorePoint:
    submitted_at: datetime
    final_score: float
    slug: str


def recent_scores(user_id: int, limit: int = CHART_POINTS) -> list[ScorePoint]:
    """The latest ``limit`` scores, oldest first: only the columns the chart draws."""
    rows = db.session.execute(
        select(Attempt.submitted_at, func.coalesce(Attempt.override_score, Attempt.score), Question.slug)
        .join(Question, Question.id == Attempt.question_id)
        .where(Attempt.user_id == user_id)
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
        .limit(limit)
    ).all()
    return [ScorePoint(at, score, slug) for at, score, slug in reversed(rows)]


@dataclass
class AreaStat:
    key: str
    label: str
    coverage: float  # weight-averaged counted coverage of the area's points, 0–1
    points: int  # point results counted
    attempts: int  # attempts that touched the area


def area_stats(attempts: list[Attempt], labels: dict[str, str]) -> list[AreaStat]:
    """Coverage per 纲要 area across ``attempts``, weakest first (computed from their results).

    Each point result counts with its weight (its coverage as a tutor's
    override has it, see ``denormalized.override_coverages``); question-specific
    points (no area) are not a 纲要 area and are left out.
    """
    totals: dict[str, list[float]] = {}
    for attempt in attempts:
        override = getattr(attempt, "override_score", None)
        for key, (weighted, weight, points) in area_totals(attempt.result, override).items():
            acc = totals.setdefault(key, [0.0, 0.0, 0, 0])
            acc[0] += weighted
            acc[1] += weight
            acc[2] += points
            acc[3] += 1
    return _ranked({k: tuple(v) for k, v in totals.items()}, labels)


def stored_area_stats(user_id: int, labels: dict[str, str]) -> list[AreaStat]:
    """The same figures from the running totals kept as attempts are stored (no results read)."""
    rows = user_area_rows(db.session, user_id)
    return _ranked({r.area: (r.weighted, r.weight, r.points, r.attempts) for r in rows}, labels)


def _ranked(totals: dict[str, tuple], labels: dict[str, str]) -> list[AreaStat]:
    stats = [
        AreaStat(key, labels.get(key, key), weighted / weight if weight else 0.0, int(points), int(attempts))
        for key, (weighted, weight, points, attempts) in totals.items()
    ]
    order = list(labels)
    stats.sort(key=lambda s: (round(s.coverage, 4), order.index(s.key) if s.key in order else 99))
    return stats


def practice_for_area(area: str, user_id: int) -> Question | None:
    """A published question drawing on ``area``: the one the user attempted least.

    Usually one the user never tried (first in bank order, found with an
    index and LIMIT 1); only when they tried them all are counts compared.
    """
    candidates = select(Question).where(Question.published.is_(True), in_area(area))
    if db.session.scalar(candidates.limit(1)) is None:
        # no question lists the area: one whose current rubric has a point in it
        latest = (
            select(Rubric.question_id, func.max(Rubric.version).label("version"))
            .group_by(Rubric.question_id)
            .subquery()
        )
        with_point = (
            select(Rubric.question_id)
            .join(latest, (Rubric.question_id == latest.c.question_id) & (Rubric.version == latest.c.version))
            .join(RubricPoint, RubricPoint.rubric_id == Rubric.id)
            .where(RubricPoint.area == area)
        )
        candidates = select(Question).where(Question.published.is_(True), Question.id.in_(with_point))
    tried = select(Attempt.id).where(Attempt.user_id == user_id, Attempt.question_id == Question.id).exists()
    order = (Question.position, Question.slug)
    fresh = db.session.scalar(candidates.where(~tried).order_by(*order).limit(1))
    if fresh is not None:
        return fresh
    questions = list(db.session.scalars(candidates.order_by(*order)))
    if not questions:
        return None
    stats = question_stats(user_id, [q.id for q in questions])
    return min(questions, key=lambda q: (stats.get(q.id, QuestionStats()).attempts, q.position, q.slug))
