"""Reviewing attempts: filter, override a score with a comment, rescore with the current rubric.

An attempt keeps the rubric version it was scored with and its result; a
rescore is stored beside it (``Rescore``), never over it, so both stay
visible. An override sets the score a candidate sees, with the tutor's comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import ColumnElement, Select, case, select
from sqlalchemy.orm import aliased

from .. import catalog, reads
from ..boundary import is_small_int
from ..extensions import db
from ..models import Attempt, Paper, PaperAnswer, PaperAttempt, Question, Rescore, Rubric, User
from ..scoring import score


def display_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("DISPLAY_TIMEZONE", "Asia/Shanghai"))


@dataclass
class Filters:
    question_id: int | None = None
    candidate: str = ""
    date_from: date | None = None
    date_to: date | None = None
    flagged: bool = False
    overridden: bool = False


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)


FEW_CANDIDATES = 50


@dataclass(slots=True)
class RescoreLine:
    rubric_id: int
    version: int
    score: float


@dataclass(slots=True)
class ReviewRow:
    """One attempt as the review list shows it: no answer or result text, no ORM object."""

    id: int
    submitted_at: datetime
    username: str
    question_id: int
    slug: str
    title: str
    rubric_id: int
    version: int  # of the rubric it was scored with
    score: float
    override_score: float | None
    flags: list[str]  # labels of the result's flags
    current_id: int | None  # the question's current rubric version
    current_version: int | None
    sitting_id: int | None  # the 模拟考试 sitting it was written in, if any
    paper_title: str | None
    rescores: list[RescoreLine]

    @property
    def final_score(self) -> float:
        return self.override_score if self.override_score is not None else self.score

    @property
    def behind(self) -> int | None:
        """The current rubric version, when neither this result nor a rescore was scored with it."""
        if not self.current_id or self.current_id == self.rubric_id:
            return None
        if any(r.rubric_id == self.current_id for r in self.rescores):
            return None
        return self.current_version


def conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """The filters as conditions on ``attempts``; dates are the tutor's local calendar days (both ends included)."""
    tz = display_tz()
    where: list[ColumnElement[bool]] = []
    if filters.question_id:
        where.append(Attempt.question_id == filters.question_id)
    if filters.candidate.strip():
        needle = filters.candidate.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        matching = select(User.id).where(User.username.ilike(f"%{needle}%", escape="\\"))
        ids = db.session.scalars(matching.limit(FEW_CANDIDATES + 1)).all()
        if len(ids) <= FEW_CANDIDATES:
            # a few accounts: their own attempts by index (user_id, submitted_at), not a scan by date
            where.append(Attempt.user_id.in_(ids))
        else:
            # many accounts match: walking attempts newest first (probing each one's account) fills a page soon
            account = aliased(User)  # not the list's own join of users
            matching = select(account.id).where(account.username.ilike(f"%{needle}%", escape="\\"))
            where.append(matching.where(account.id == Attempt.user_id).exists())
    if filters.date_from:
        where.append(Attempt.submitted_at >= _local_midnight(filters.date_from, tz))
    if filters.date_to:
        where.append(Attempt.submitted_at < _local_midnight(filters.date_to + timedelta(days=1), tz))
    if filters.flagged:
        # a column kept in step with the result's flags (denormalized.py), with a partial index
        where.append(Attempt.flagged.is_(True))
    if filters.overridden:
        where.append(Attempt.override_score.is_not(None))
    return where


def counted(where: list[ColumnElement[bool]]) -> Select:
    """The attempts ``attempts_query`` lists, to count: its joins add columns, never rows."""
    return select(Attempt.id).where(*where)


def attempts_query(where: list[ColumnElement[bool]]) -> Select:
    """The list's columns for the attempts matching ``where``, newest first."""
    return _list_statement().where(*where)


@cache
def _list_statement() -> Select:
    """The review list's one statement for a page, built once (building it costs more than running it).

    The account, question and rubric version by their keys, the question's
    current rubric version (the latest, one index probe), the flags (read out
    of the result only for flagged attempts) and the paper sitting, if any.
    Outer joins keep ``attempts`` the outer loop, walked in the order of its
    index for the filter.
    """
    scored_with, current = aliased(Rubric), aliased(Rubric)
    latest = (
        select(Rubric.id)
        .where(Rubric.question_id == Attempt.question_id)
        .order_by(Rubric.version.desc())
        .limit(1)
        .correlate(Attempt)
        .scalar_subquery()
    )
    return (
        select(
            Attempt.id, Attempt.submitted_at, User.username, Attempt.question_id, Question.slug, Question.title,
            Attempt.rubric_id, scored_with.version, Attempt.score, Attempt.override_score,
            case((Attempt.flagged, Attempt.result["flags"])).label("flags"),
            current.id.label("current_id"), current.version.label("current_version"),
            PaperAnswer.sitting_id, Paper.title.label("paper_title"),
        )
        .outerjoin(User, User.id == Attempt.user_id)
        .outerjoin(Question, Question.id == Attempt.question_id)
        .outerjoin(scored_with, scored_with.id == Attempt.rubric_id)
        .outerjoin(current, current.id == latest)
        .outerjoin(PaperAnswer, PaperAnswer.attempt_id == Attempt.id)
        .outerjoin(PaperAttempt, PaperAttempt.id == PaperAnswer.sitting_id)
        .outerjoin(Paper, Paper.id == PaperAttempt.paper_id)
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
    )


def review_rows(rows) -> list[ReviewRow]:
    """The page's rows of ``attempts_query`` with their rescores (one more query, for the page)."""
    rescores: dict[int, list[RescoreLine]] = {}
    if rows:
        found = reads.rows(
            select(Rescore.attempt_id, Rescore.rubric_id, Rubric.version, Rescore.score)
            .join(Rubric, Rubric.id == Rescore.rubric_id)
            .where(Rescore.attempt_id.in_([r.id for r in rows]))
            .order_by(Rescore.created_at)
        )
        for attempt_id, rubric_id, version, rescore_score in found:
            rescores.setdefault(attempt_id, []).append(RescoreLine(rubric_id, version, rescore_score))
    return [
        ReviewRow(
            r.id, r.submitted_at, r.username, r.question_id, r.slug, r.title, r.rubric_id, r.version, r.score,
            r.override_score, _labels(r.flags), r.current_id, r.current_version, r.sitting_id, r.paper_title,
            rescores.get(r.id, []),
        )
        for r in rows
    ]


# Up to this many questions the filter is a drop-down; a larger bank gets a 题号 box instead.
CHOICES_MAX = 200


def question_choices() -> list[tuple[str, str]] | None:
    """The question filter's options, or None when the bank is too large for a drop-down."""
    # read unsorted, at most one past the limit, and sorted here: a sort of a large bank by position
    # would cost more than the page (slugs are lower-case letters, digits and -: the same order anywhere)
    rows = list(reads.rows(select(Question.id, Question.slug, Question.title, Question.position)
                           .limit(CHOICES_MAX + 1)))
    if len(rows) > CHOICES_MAX:
        return None
    rows.sort(key=lambda r: (r.position, r.slug))
    return [("", "全部题目")] + [(str(i), f"{slug} · {title}") for i, slug, title, _ in rows]


def question_id_for(value: str) -> int | None:
    """The filter's question: an id (from the drop-down) or a 题号 (typed)."""
    value = (value or "").strip()
    if is_small_int(value):
        return int(value)
    if value.isdigit():  # "²", or an id no column holds: matches nothing
        return -1
    if not value:
        return None
    return db.session.scalar(select(Question.id).where(Question.slug == value)) or -1


@dataclass
class ReviewContext:
    """What the result page's review box needs (forms carry their CSRF tokens)."""

    form: Any
    clear_form: Any
    rescore_form: Any
    flags: list[str]


FLAG_LABELS = {
    "over_limit": "超出字数",
    "under_limit": "字数不足",
    "keyword_stuffing": "堆砌关键词",
    "copied_material": "照抄材料或范文",
}


def flag_names(attempt: Attempt) -> list[str]:
    return _labels(attempt.result.get("flags", []))


def _labels(flags: list[dict[str, Any]] | None) -> list[str]:
    return [FLAG_LABELS.get(f.get("name"), f.get("name")) for f in flags or []]


def set_override(attempt: Attempt, value: float, comment: str, tutor: User) -> None:
    attempt.override_score = round(float(value), 2)
    attempt.override_comment = comment.strip()
    attempt.override_by_id = tutor.id
    attempt.override_at = datetime.now(UTC)


def clear_override(attempt: Attempt) -> None:
    attempt.override_score = None
    attempt.override_comment = None
    attempt.override_by_id = None
    attempt.override_at = None


class RescoredAttempt:
    """An attempt seen through one of its rescores, for the full result page.

    Everything is the attempt's (text, candidate, times) except what the
    rescore changed: its result, score and rubric version. The override is
    left out: it belongs to the original result, and the page would otherwise
    show it as this result's score.
    """

    override_score = None
    override_comment = None

    def __init__(self, attempt: Attempt, rescore: Rescore):
        self._attempt = attempt
        self.rescore = rescore
        self.result = rescore.result
        self.rubric = rescore.rubric
        self.rubric_id = rescore.rubric_id
        self.score = rescore.score
        self.final_score = rescore.score

    def __getattr__(self, name: str) -> Any:
        return getattr(self._attempt, name)


@dataclass
class RescoreReport:
    done: list[int]
    current: list[int]  # already scored (or rescored) with the current version
    missing: list[int]  # unknown ids

    def message(self) -> str:
        parts = [f"已用当前评分要点重新评分 {len(self.done)} 份"]
        if self.current:
            parts.append(f"{len(self.current)} 份已是用当前版本评的分，未重复评分")
        if self.missing:
            parts.append(f"{len(self.missing)} 份作答不存在")
        return "；".join(parts) + "。"


def rescore(attempt_ids: list[int], tutor: User) -> RescoreReport:
    """Score the chosen attempts with their question's current rubric version, beside the original."""
    report = RescoreReport([], [], [])
    for attempt_id in dict.fromkeys(attempt_ids):
        attempt = db.session.get(Attempt, attempt_id)
        if attempt is None:
            report.missing.append(attempt_id)
            continue
        current = attempt.question.rubric
        done_with = {attempt.rubric_id} | {r.rubric_id for r in attempt.rescores}
        if current is None or current.id in done_with:
            report.current.append(attempt_id)
            continue
        result = score(catalog.question_spec(attempt.question, current), attempt.answer)
        db.session.add(
            Rescore(attempt=attempt, rubric_id=current.id, score=result.score, result=result.to_dict(),
                    created_by_id=tutor.id)
        )
        report.done.append(attempt_id)
    db.session.flush()
    return report
