"""History and progress: a candidate's attempts and per-area strength."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import selectinload

from .. import reads
from ..denormalized import area_totals
from ..extensions import db
from ..models import (
    Attempt,
    LibraryArea,
    Paper,
    PaperAnswer,
    PaperAttempt,
    Question,
    Rubric,
    RubricPoint,
    ScoreAndTime,
    UserAreaStat,
    limit_label,
)
from .question_list import in_area

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


@dataclass(slots=True)
class HistoryRow(ScoreAndTime):
    """One attempt as the history table shows it: no answer or result text, no ORM object."""

    id: int
    submitted_at: datetime
    started_at: datetime
    score: float
    override_score: float | None
    override_comment: str | None
    char_count: int
    slug: str
    title: str
    limit_min: int | None
    limit_max: int | None
    sitting_id: int | None  # the 模拟考试 sitting it was written in, if any
    paper_title: str | None

    @property
    def limit_label(self) -> str:
        return limit_label(self.limit_min, self.limit_max)


def history_query(user_id: int) -> Select:
    """The history table's columns, newest first (``HistoryRow``)."""
    return _history_statement().where(Attempt.user_id == user_id)


@cache
def _history_statement() -> Select:
    """Built once: the question's columns and the paper sitting, if any, by their keys
    (outer joins: the user's attempts stay the outer loop, in the order of their index)."""
    return (
        select(
            Attempt.id, Attempt.submitted_at, Attempt.started_at, Attempt.score, Attempt.override_score,
            Attempt.override_comment, Attempt.char_count, Question.slug, Question.title, Question.limit_min,
            Question.limit_max, PaperAnswer.sitting_id, Paper.title.label("paper_title"),
        )
        .outerjoin(Question, Question.id == Attempt.question_id)
        .outerjoin(PaperAnswer, PaperAnswer.attempt_id == Attempt.id)
        .outerjoin(PaperAttempt, PaperAttempt.id == PaperAnswer.sitting_id)
        .outerjoin(Paper, Paper.id == PaperAttempt.paper_id)
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
    )


def history_rows(rows) -> list[HistoryRow]:
    return [HistoryRow(*row) for row in rows]


@cache
def _count_statement() -> Select:
    return select(func.count()).select_from(Attempt).where(Attempt.user_id == bindparam("user_id"))


def attempt_count(user_id: int) -> int:
    return reads.scalar(_count_statement(), {"user_id": user_id}) or 0


@dataclass
class ScorePoint:
    submitted_at: datetime
    final_score: float
    slug: str


@cache
def _recent_scores_statement() -> Select:
    return (
        select(Attempt.submitted_at, func.coalesce(Attempt.override_score, Attempt.score), Question.slug)
        .join(Question, Question.id == Attempt.question_id)
        .where(Attempt.user_id == bindparam("user_id"))
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
        .limit(bindparam("limit"))
    )


def recent_scores(user_id: int, limit: int = CHART_POINTS) -> list[ScorePoint]:
    """The latest ``limit`` scores, oldest first: only the columns the chart draws."""
    rows = reads.rows(_recent_scores_statement(), {"user_id": user_id, "limit": limit})
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
    order = {key: i for i, key in enumerate(labels)}
    return _ranked({k: tuple(v) for k, v in totals.items()}, labels, order)


@cache
def _stored_area_statement() -> Select:
    return (
        select(UserAreaStat.area, UserAreaStat.weighted, UserAreaStat.weight, UserAreaStat.points,
               UserAreaStat.attempts, LibraryArea.label, LibraryArea.position)
        .outerjoin(LibraryArea, LibraryArea.key == UserAreaStat.area)
        .where(UserAreaStat.user_id == bindparam("user_id"))
    )


def stored_area_stats(user_id: int) -> list[AreaStat]:
    """The same figures from the running totals kept as attempts are stored (no results read),
    with each area's label and place in the 纲要 (one query)."""
    rows = reads.rows(_stored_area_statement(), {"user_id": user_id})
    labels = {r.area: r.label for r in rows if r.label is not None}
    order = {r.area: r.position for r in rows if r.label is not None}
    return _ranked({r.area: (r.weighted, r.weight, r.points, r.attempts) for r in rows}, labels, order)


def _ranked(totals: dict[str, tuple], labels: dict[str, str], order: dict[str, int]) -> list[AreaStat]:
    """Weakest first; equal coverage in 纲要 order (areas the library does not know last)."""
    stats = [
        AreaStat(key, labels.get(key, key), weighted / weight if weight else 0.0, int(points), int(attempts))
        for key, (weighted, weight, points, attempts) in totals.items()
    ]
    stats.sort(key=lambda s: (round(s.coverage, 4), order.get(s.key, 99)))
    return stats


@dataclass
class Suggestion:
    slug: str
    title: str


def practice_for_area(area: str, user_id: int) -> Suggestion | None:
    """A published question drawing on ``area``: the one the user attempted least.

    Usually one the user never tried: the first in bank order, found walking
    the bank's index (one query, LIMIT 1). Only when they tried them all are
    counts compared (in the database, LIMIT 1). A question draws on the area
    when it lists it; when none does, when its current rubric has a point in it.
    """
    params = {"area": area, "user_id": user_id}
    for draws_on in (_lists_area, _has_point_in_area):
        fresh, least_tried = _suggestion_statements(draws_on)
        found = reads.rows(fresh, params) or reads.rows(least_tried, params)
        if found:
            return Suggestion(*found[0])
    return None


def _lists_area():
    return in_area(bindparam("area"))


def _has_point_in_area():
    latest = (
        select(Rubric.question_id, func.max(Rubric.version).label("version"))
        .group_by(Rubric.question_id)
        .subquery()
    )
    with_point = (
        select(Rubric.question_id)
        .join(latest, (Rubric.question_id == latest.c.question_id) & (Rubric.version == latest.c.version))
        .join(RubricPoint, RubricPoint.rubric_id == Rubric.id)
        .where(RubricPoint.area == bindparam("area"))
    )
    return Question.id.in_(with_point)


@cache
def _suggestion_statements(draws_on) -> tuple[Select, Select]:
    """(first never-tried question, least-tried question) among those ``draws_on()`` admits, built once."""
    candidates = select(Question.slug, Question.title).where(Question.published.is_(True), draws_on())
    mine = (Attempt.user_id == bindparam("user_id"), Attempt.question_id == Question.id)
    order = (Question.position, Question.slug)
    fresh = candidates.where(~select(Attempt.id).where(*mine).exists()).order_by(*order).limit(1)
    tries = select(func.count()).select_from(Attempt).where(*mine).scalar_subquery()
    least_tried = candidates.order_by(tries, *order).limit(1)
    return fresh, least_tried
