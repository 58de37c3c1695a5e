"""Reviewing attempts: filter, override a score with a comment, rescore with the current rubric.

An attempt keeps the rubric version it was scored with and its result; a
rescore is stored beside it (``Rescore``), never over it, so both stay
visible. An override sets the score a candidate sees, with the tutor's comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Select, func, select
from sqlalchemy.orm import defer, selectinload

from .. import catalog
from ..boundary import is_small_int
from ..extensions import db
from ..models import Attempt, Question, Rescore, Rubric, User
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


def attempts_query(filters: Filters) -> Select:
    """Newest first; dates are the tutor's local calendar days (both ends included)."""
    tz = display_tz()
    stmt = (
        select(Attempt)
        # only what the list shows: no answer or result text, no rubric spec, no question prompt
        .options(
            defer(Attempt.answer),
            defer(Attempt.result),
            defer(Attempt.self_marks),
            selectinload(Attempt.user).load_only(User.username),
            selectinload(Attempt.question).load_only(Question.slug, Question.title),
            selectinload(Attempt.rubric).load_only(Rubric.version),
            selectinload(Attempt.rescores).defer(Rescore.result).selectinload(Rescore.rubric).load_only(Rubric.version),
        )
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
    )
    if filters.question_id:
        stmt = stmt.where(Attempt.question_id == filters.question_id)
    if filters.candidate.strip():
        needle = filters.candidate.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        matching = select(User.id).where(User.username.ilike(f"%{needle}%", escape="\\"))
        ids = db.session.scalars(matching.limit(FEW_CANDIDATES + 1)).all()
        if len(ids) <= FEW_CANDIDATES:
            # a few accounts: their own attempts by index (user_id, submitted_at), not a scan by date
            stmt = stmt.where(Attempt.user_id.in_(ids))
        else:
            # many accounts match: walking attempts newest first (probing each one's account) fills a page soon
            stmt = stmt.where(matching.where(User.id == Attempt.user_id).exists())
    if filters.date_from:
        stmt = stmt.where(Attempt.submitted_at >= _local_midnight(filters.date_from, tz))
    if filters.date_to:
        stmt = stmt.where(Attempt.submitted_at < _local_midnight(filters.date_to + timedelta(days=1), tz))
    if filters.flagged:
        # a column kept in step with the result's flags (denormalized.py), with a partial index
        stmt = stmt.where(Attempt.flagged.is_(True))
    if filters.overridden:
        stmt = stmt.where(Attempt.override_score.is_not(None))
    return stmt


def current_versions(attempts: list[Attempt]) -> dict[int, tuple[int, int]]:
    """(rubric id, version) of the current rubric of each question on the page, in one query."""
    ids = {a.question_id for a in attempts}
    if not ids:
        return {}
    latest = (
        select(Rubric.question_id, func.max(Rubric.version).label("version"))
        .where(Rubric.question_id.in_(ids))
        .group_by(Rubric.question_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Rubric.question_id, Rubric.id, Rubric.version).join(
            latest, (Rubric.question_id == latest.c.question_id) & (Rubric.version == latest.c.version)
        )
    )
    return {question_id: (rubric_id, version) for question_id, rubric_id, version in rows}


# Up to this many questions the filter is a drop-down; a larger bank gets a 题号 box instead.
CHOICES_MAX = 200


def question_choices() -> list[tuple[str, str]] | None:
    """The question filter's options, or None when the bank is too large for a drop-down."""
    # counted first, bounded (a sort of a large bank by position would cost more than the page)
    bounded = select(Question.id).limit(CHOICES_MAX + 1).subquery()
    if db.session.scalar(select(func.count()).select_from(bounded)) > CHOICES_MAX:
        return None
    rows = db.session.execute(
        select(Question.id, Question.slug, Question.title).order_by(Question.position, Question.slug)
    ).all()
    return [("", "全部题目")] + [(str(i), f"{slug} · {title}") for i, slug, title in rows]


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


def flag_names_for(attempts: list[Attempt]) -> dict[int, list[str]]:
    """Flag labels of the flagged attempts on a list page: only the flags are read out of the result JSON."""
    ids = [a.id for a in attempts if a.flagged]
    if not ids:
        return {}
    rows = db.session.execute(select(Attempt.id, Attempt.result["flags"]).where(Attempt.id.in_(ids)))
    return {attempt_id: _labels(flags) for attempt_id, flags in rows}


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
