"""The question list: per-question stats for a candidate, filters, area labels."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, func, select

from .. import reads
from ..extensions import db
from ..models import Attempt, Draft, Genre, LibraryArea, Question, QuestionArea, limit_label


@dataclass
class QuestionStats:
    attempts: int = 0
    best: float | None = None
    last_id: int | None = None
    last_at: datetime | None = None
    last_score: float | None = None
    draft: bool = False


@cache
def _stats_statement() -> Select:
    """The statement of ``question_stats``, built once (building costs more than running it).

    One row per question: correlated subqueries on ``ix_attempts_user_question``
    (count and best over the user's attempts at it; id, time and final score of
    the latest, each an index seek: no attempt row is read) and the open draft.
    """
    user_id = bindparam("user_id")
    final = func.coalesce(Attempt.override_score, Attempt.score)
    mine = (Attempt.user_id == user_id, Attempt.question_id == Question.id)

    def of_mine(column):
        return select(column).where(*mine).correlate(Question).scalar_subquery()

    def of_latest(column):
        return (
            select(column)
            .where(*mine)
            .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
            .limit(1)
            .correlate(Question)
            .scalar_subquery()
        )

    draft = select(Draft.id).where(Draft.user_id == user_id, Draft.question_id == Question.id).exists()
    return select(
        Question.id, of_mine(func.count()), of_mine(func.max(final)),
        of_latest(Attempt.id), of_latest(Attempt.submitted_at), of_latest(final), draft,
    ).where(Question.id.in_(bindparam("ids", expanding=True)))


def question_stats(user_id: int, question_ids: Iterable[int]) -> dict[int, QuestionStats]:
    """Per question in ``question_ids`` the user attempted or has a draft of: how often they
    attempted it, the best score, the last attempt, the draft (one query whatever the history's size)."""
    ids = list(question_ids)
    if not ids:
        return {}
    stats: dict[int, QuestionStats] = {}
    rows = reads.rows(_stats_statement(), {"user_id": user_id, "ids": ids})
    for question_id, count, best, last_id, last_at, last_score, draft in rows:
        if count or draft:
            stats[question_id] = QuestionStats(count, best, last_id, last_at, last_score, bool(draft))
    return stats


@dataclass(slots=True)
class QuestionRow:
    """A question as the list shows it (only these columns are read)."""

    id: int
    slug: str
    title: str
    genre_label: str
    limit_min: int | None
    limit_max: int | None
    minutes: int

    @property
    def limit_label(self) -> str:
        return limit_label(self.limit_min, self.limit_max)


PER_PAGE = 20


def questions_query(*, genre: str = "", area: str = "", limit: str = "") -> Select:
    """The list's columns of the published questions matching the filters (empty filter: any), in bank order.

    Each filter is an indexed column: genre, the area rows (``QuestionArea``), limit_max.
    """
    return _list_statement().where(*filters(genre=genre, area=area, limit=limit))


def filters(*, genre: str = "", area: str = "", limit: str = "") -> list:
    """The list page's filters as conditions on published questions."""
    where = [Question.published.is_(True)]
    if genre:
        where.append(Question.genre_key == genre)
    if area:
        where.append(in_area(area))
    if limit in LIMIT_BUCKETS:
        where.append(LIMIT_BUCKETS[limit][1])
    return where


@cache
def _list_statement() -> Select:
    """Built once: ``QuestionRow``'s columns, the genre's label by its key."""
    return (
        select(Question.id, Question.slug, Question.title, Genre.label, Question.limit_min, Question.limit_max,
               Question.minutes)
        .outerjoin(Genre, Genre.key == Question.genre_key)
        .order_by(Question.position, Question.slug)
    )


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
    """文种 that published questions use (none: no question is published; every question has a genre)."""
    return list(reads.rows(_genre_statement()))


@cache
def _genre_statement() -> Select:
    used = select(Question.id).where(Question.genre_key == Genre.key, Question.published.is_(True)).exists()
    return select(Genre.key, Genre.label).where(used).order_by(Genre.position, Genre.key)


def area_labels() -> dict[str, str]:
    return dict(db.session.execute(select(LibraryArea.key, LibraryArea.label)).all())


def area_choices() -> list[tuple[str, str]]:
    return list(reads.rows(_area_statement()))


@cache
def _area_statement() -> Select:
    return select(LibraryArea.key, LibraryArea.label).order_by(LibraryArea.position)
