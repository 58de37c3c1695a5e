"""Drafts and the server's clock: starting, autosaving, exam deadlines."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select

from ..extensions import db
from ..models import Draft, Question
from ..scoring import char_count
from ..scoring.spec import LengthRule
from .errors import DraftConflict, ExamOver, NoDraft, TooLong

# Drafts may hold more than a submittable answer (so an over-size text is kept
# while the candidate trims it), but not without bound.
DRAFT_FACTOR = 2

def now_utc() -> datetime:
    return datetime.now(UTC)


def clean_text(text: str) -> str:
    """One newline convention: forms post CRLF, scripts send LF; spans index the stored text."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")

# itself (a slow network, a laptop lid shut at the last minute).
EXAM_GRACE = timedelta(seconds=60)


def exam_deadline(draft: Draft, question: Question) -> datetime | None:
    if not draft.exam_mode or not question.minutes:
        return None
    return draft.started_at + timedelta(minutes=question.minutes)


def exam_closed(draft: Draft, question: Question, now: datetime | None = None) -> bool:
    """An exam draft past its time (and the grace): it can only be handed in as saved."""
    deadline = exam_deadline(draft, question)
    return deadline is not None and (now or now_utc()) > deadline + EXAM_GRACE

# Read by every autosave, practice page and submit: built once (see catalog._BY_SLUG).
_DRAFT_OF = select(Draft).where(Draft.user_id == bindparam("user_id"), Draft.question_id == bindparam("question_id"))


def get_draft(user_id: int, question: Question) -> Draft | None:
    return db.session.scalar(_DRAFT_OF, {"user_id": user_id, "question_id": question.id})


def start_draft(
    user_id: int, question: Question, *, exam_mode: bool, now: datetime | None = None
) -> tuple[Draft, bool]:
    """The candidate's draft for ``question``; a new one starts the clock now.

    An existing draft is returned untouched: starting again from a second tab
    or after a reload must not reset the clock.
    """
    draft = get_draft(user_id, question)
    if draft is not None:
        return draft, False
    now = now or now_utc()
    draft = Draft(
        user_id=user_id,
        question_id=question.id,
        text="",
        exam_mode=exam_mode,
        started_at=now,
        saved_at=now,
    )
    db.session.add(draft)
    return draft, True




def draft_limit(max_answer: int) -> int:
    return max_answer * DRAFT_FACTOR


def check_revision(draft: Draft, revision: int | None) -> None:
    """Refuse a save based on an older revision than the stored one.

    Two devices on one draft: without this, the later save silently replaces
    what the other device wrote. ``None`` (a client that does not say) is not checked.
    """
    if revision is not None and revision != draft.revision:
        raise DraftConflict(draft)


def save_draft(
    user_id: int,
    question: Question,
    text: str,
    *,
    max_answer: int,
    revision: int | None = None,
    now: datetime | None = None,
) -> Draft:
    """Store the draft text. Only an open draft is written: a save arriving
    after the answer was submitted (another tab, a late autosave) must not
    resurrect an old text as a new draft; a save from a stale revision is
    refused (DraftConflict) so the candidate can choose between the texts."""
    text = clean_text(text)
    draft = get_draft(user_id, question)
    if draft is None:
        raise NoDraft("本题没有进行中的作答（可能已在其他窗口提交）。内容仍保留在本页面。")
    now = now or now_utc()
    if exam_closed(draft, question, now):
        raise ExamOver("考试时间已到，之后写的内容不再保存；请交卷，将按时间到时保存的内容评分。")
    if len(text) > draft_limit(max_answer):
        raise TooLong(f"内容超过 {draft_limit(max_answer)} 个字符，未能保存到服务器。请删减后再保存。")
    check_revision(draft, revision)
    if text != draft.text:
        draft.text = text
        draft.revision += 1
    draft.saved_at = now
    return draft


def draft_state(draft: Draft, now: datetime | None = None) -> dict[str, Any]:
    """What the practice page's scripts need: the text and the server's clock."""
    now = now or now_utc()
    return {
        "text": draft.text,
        "revision": draft.revision,
        "char_count": char_count(draft.text),
        "started_at": epoch_ms(draft.started_at),
        "saved_at": epoch_ms(draft.saved_at),
        "now": epoch_ms(now),
        "exam_mode": draft.exam_mode,
    }


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def limit_floor(question: Question) -> int | None:
    """The count under which the length is flagged: M of M–N, else the engine's soft floor of N字."""
    if question.limit_min:
        return question.limit_min
    if question.limit_max:
        return math.ceil(question.limit_max * LengthRule().soft_floor_ratio)
    return None


def elapsed_seconds(draft: Draft, now: datetime | None = None) -> int:
    return max(0, int(((now or now_utc()) - draft.started_at).total_seconds()))
