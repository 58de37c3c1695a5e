"""Submitting an answer: checks, scoring and storing the attempt."""

from __future__ import annotations

from datetime import datetime

from .. import catalog
from ..extensions import db
from ..models import Attempt, Draft, Question
from ..scoring import char_count, score
from .drafts import (
    check_revision,
    clean_text,
    draft_limit,
    exam_closed,
    exam_deadline,
    get_draft,
    now_utc,
    start_draft,
)
from .errors import EmptyAnswer, NoDraft, PracticeError, TooLong


def check_answer(text: str, max_answer: int) -> int:
    """The answer's 字数, or a clear refusal for an empty or over-size answer."""
    if not text.strip():
        raise EmptyAnswer("答案是空的：请先作答再提交。")
    if len(text) > draft_limit(max_answer):
        raise TooLong(f"内容超过 {draft_limit(max_answer)} 个字符（含空格），无法提交。请删减后再提交。")
    count = char_count(text)
    if count > max_answer:
        raise TooLong(
            f"答案有 {count} 字，超过了可提交的上限 {max_answer} 字。内容已保留，请删减后再提交。"
        )
    if count == 0:
        raise EmptyAnswer("答案是空的：请先作答再提交。")
    return count


def submit_answer(
    user_id: int,
    question: Question,
    text: str,
    *,
    max_answer: int,
    revision: int | None = None,
    now: datetime | None = None,
    draft: Draft | None = None,
) -> Attempt:
    """Score ``text`` and store it as an Attempt; the draft ends with it.

    A refused submit (empty, over-size, no rubric) never loses what the
    candidate wrote: the text is kept in the draft and, on PracticeError, the
    caller still commits. Time used runs from the draft's server-recorded
    start to the server's now; in exam mode it stops at the time limit, and an
    exam closed by time is handed in as last saved. ``draft``: the candidate's
    draft if the caller has read it already (else it is read here).
    """
    now = now or now_utc()
    text = clean_text(text)
    draft = draft or get_draft(user_id, question)
    if draft is not None and exam_closed(draft, question, now):
        text = draft.text
    if draft is None:
        # No clock to measure against (already submitted elsewhere): keep the
        # text as a new draft rather than record a zero-time attempt.
        draft, _ = start_draft(user_id, question, exam_mode=False, now=now)
        draft.text = text if len(text) <= draft_limit(max_answer) else draft.text
        raise NoDraft("本题已经提交过（或草稿已结束）。你的内容已保存为新的草稿，计时重新开始；请检查后再提交。")
    if not exam_closed(draft, question, now):
        check_revision(draft, revision)  # handing in would drop what another device saved
    try:
        check_answer(text, max_answer)
        attempt = score_attempt(
            user_id,
            question,
            text,
            exam_mode=draft.exam_mode,
            started_at=draft.started_at,
            submitted_at=min(now, exam_deadline(draft, question) or now),
        )
    except PracticeError:
        _keep_text(draft, text, max_answer, now)
        raise
    # Handed in: the draft ends (it is not written first; the attempt holds the text).
    db.session.delete(draft)
    return attempt


def _keep_text(draft: Draft, text: str, max_answer: int, now: datetime) -> None:
    """A refused submit's text stays in the draft; an empty post (a glitch, a cleared field) must not wipe it."""
    if text.strip() and len(text) <= draft_limit(max_answer):
        if text != draft.text:
            draft.revision += 1
        draft.text = text
        draft.saved_at = now


def score_attempt(
    user_id: int,
    question: Question,
    text: str,
    *,
    exam_mode: bool,
    started_at: datetime,
    submitted_at: datetime,
) -> Attempt:
    """Score ``text`` with the question's current rubric and add it as an Attempt.

    Shared by single answers and by the questions of a 模拟考试 paper, so every
    attempt, whatever it came from, has the same result, review and export.
    """
    rubric = question.rubric
    if rubric is None:
        raise PracticeError("这道题还没有评分要点，暂时不能提交评分。草稿已保存。")
    result = score(catalog.question_spec(question, rubric), text)
    attempt = Attempt(
        user_id=user_id,
        question_id=question.id,
        rubric_id=rubric.id,
        answer=text,
        exam_mode=exam_mode,
        started_at=started_at,
        submitted_at=submitted_at,
        char_count=result.char_count,
        score=result.score,
        result=result.to_dict(),
    )
    db.session.add(attempt)
    return attempt

def close_exam(draft: Draft, question: Question, *, max_answer: int, now: datetime | None = None) -> Attempt | None:
    """收卷: hand in ``draft``, an exam whose time is over (``exam_closed``), as last saved.

    Reopening the question after the time (a reload, the next day, with
    JavaScript off) must not leave the exam open. Nothing to hand in (an
    empty draft) turns it into a practice draft instead, so the candidate
    can still write.
    """
    try:
        return submit_answer(draft.user_id, question, draft.text, max_answer=max_answer, now=now)
    except PracticeError:
        draft.exam_mode = False
        return None
