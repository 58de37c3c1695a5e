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
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from .. import catalog
from ..extensions import db
from ..models import Attempt, Question, Rescore, User
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


def attempts_query(filters: Filters) -> Select:
    """Newest first; dates are the tutor's local calendar days (both ends included)."""
    tz = display_tz()
    stmt = (
        select(Attempt)
        .join(Attempt.user)
        .options(selectinload(Attempt.user), selectinload(Attempt.question), selectinload(Attempt.rescores))
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
    )
    if filters.question_id:
        stmt = stmt.where(Attempt.question_id == filters.question_id)
    if filters.candidate.strip():
        needle = filters.candidate.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(User.username.ilike(f"%{needle}%", escape="\\"))
    if filters.date_from:
        stmt = stmt.where(Attempt.submitted_at >= _local_midnight(filters.date_from, tz))
    if filters.date_to:
        stmt = stmt.where(Attempt.submitted_at < _local_midnight(filters.date_to + timedelta(days=1), tz))
    if filters.flagged:
        # JSON text of the engine's flag list: "[]" when nothing was flagged (SQLite and PostgreSQL)
        stmt = stmt.where(Attempt.result["flags"].as_string() != "[]")
    if filters.overridden:
        stmt = stmt.where(Attempt.override_score.is_not(None))
    return stmt


def question_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(select(Question.id, Question.slug, Question.title).order_by(Question.position, Question.slug))
    return [("", "全部题目")] + [(str(i), f"{slug} · {title}") for i, slug, title in rows]


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
    return [FLAG_LABELS.get(f.get("name"), f.get("name")) for f in attempt.result.get("flags", [])]


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
