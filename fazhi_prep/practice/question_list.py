"""The question list: per-question stats for a candidate, filters, area labels."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import aliased, selectinload

from ..extensions import db
from ..models import Attempt, Draft, Genre, LibraryArea, Question, QuestionArea


@dataclass
class QuestionStats:
    attempts: int = 0
    best: float | None = None
    last_id: int | None = None
    last_at: datetime | None = None
    last_score: float | None = None
    draft: bool = False


@cache
def _stats_statements() -> tuple[Select, Select, Select]:
    """The three statements of ``question_stats``, built once (building costs more than running them)."""
    user_id, ids = bindparam("user_id"), bindparam("ids", expanding=True)
    final = func.coalesce(Attempt.override_score, Attempt.score)
    totals = (
        select(Attempt.question_id, func.count(), func.max(final))
        .where(Attempt.user_id == user_id, Attempt.question_id.in_(ids))
        .group_by(Attempt.question_id)
    )
    newest = aliased(Attempt)
    latest_id = (
        select(newest.id)
        .where(newest.user_id == user_id, newest.question_id == Question.id)
        .order_by(newest.submitted_at.desc(), newest.id.desc())
        .limit(1)
        .correlate(Question)
        .scalar_subquery()
    )
    last = select(Attempt.id, Attempt.question_id, final, Attempt.submitted_at).where(
        Attempt.id.in_(select(latest_id).where(Question.id.in_(ids)))
    )
    drafts = select(Draft.question_id).where(Draft.user_id == user_id, Draft.question_id.in_(ids))
    return totals, last, drafts


def question_stats(user_id: int, question_ids: Iterable[int]) -> dict[int, QuestionStats]:
    """Per question in ``question_ids``: how often the user attempted it, the best score, the last attempt.

    Three small queries whatever the history's size: counts and best scores
    grouped, the latest attempt per question (LIMIT 1 each), the open drafts.
    ``ix_attempts_user_question`` covers all of them, so no attempt row
    (and no result JSON) is read.
    """
    ids = list(question_ids)
    if not ids:
        return {}
    params = {"user_id": user_id, "ids": ids}
    totals, last, drafts = _stats_statements()
    stats: dict[int, QuestionStats] = {}
    for question_id, count, best in db.session.execute(totals, params):
        stats[question_id] = QuestionStats(attempts=count, best=best)
    for attempt_id, question_id, score, at in db.session.execute(last, params):
        s = stats.setdefault(question_id, QuestionStats())
        s.last_id, s.last_at, s.last_score = attempt_id, at, score
    for question_id in db.session.scalars(drafts, params):
        stats.setdefault(question_id, QuestionStats()).draft = True
    return stats


PER_PAGE = 20


def questions_query(*, genre: str = "", area: str = "", limit: str = "") -> Select:
    """Published questions matching the list page's filters (empty filter: any), in bank order.

    Each filter is an indexed column: genre, the area rows (``QuestionArea``), limit_max.
    """
    stmt = (
        select(Question)
        .where(Question.published.is_(True))
        .options(selectinload(Question.genre))
        .order_by(Question.position, Question.slug)
    )
    if genre:
        stmt = stmt.where(Question.genre_key == genre)
    if area:
        stmt = stmt.where(in_area(area))
    if limit in LIMIT_BUCKETS:
        stmt = stmt.where(LIMIT_BUCKETS[limit][1])
    return stmt


def in_area(area: str):
    """The question draws on ``area`` (EXISTS: the planner walks questions in list order and probes the key)."""
    return (
        select(QuestionArea.question_id)
        .where(QuestionArea.question_id == Question.id, QuestionArea.area_key == area)
        .exists()
    )


# 字数 buckets of the filter: label and condition on the indexed limit_max
LIMIT_BUCKETS = {
    "short": ("400字以内", Question.limit_max <= 400),
    "medium": ("401–999字", (Question.limit_max > 400) & (Question.limit_max < 1000)),
    "long": ("1000字及以上", Question.limit_max >= 1000),
}


def any_published() -> bool:
    return db.session.scalar(select(Question.id).where(Question.published.is_(True)).limit(1)) is not None


def genre_choices() -> list[tuple[str, str]]:
    """文种 that published questions use."""
    used = select(Question.id).where(Question.genre_key == Genre.key, Question.published.is_(True)).exists()
    return list(db.session.execute(select(Genre.key, Genre.label).where(used).order_by(Genre.position, Genre.key)))


def area_labels() -> dict[str, str]:
    return dict(db.session.execute(select(LibraryArea.key, LibraryArea.label)).all())


def area_choices() -> list[tuple[str, str]]:
    return list(db.session.execute(select(LibraryArea.key, LibraryArea.label).order_by(LibraryArea.position)).all())
