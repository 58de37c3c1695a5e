"""A sitting of a paper: one server clock, per-question drafts and time, hand-in.

The rules are the single-question exam mode's (``practice.drafts``): the
clock starts on the server and only the server's clock counts; saves after
the time (and its grace) are refused; a sitting found past its time by any
request is handed in as last saved; an empty post never wipes a written
answer. Time per question is credited by the server: from each save or
switch to the next, to the question that was being worked on.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Paper, PaperAnswer, PaperAttempt
from ..practice.drafts import EXAM_GRACE, clean_text, draft_limit, epoch_ms, now_utc
from ..practice.errors import ExamOver, NoDraft, PracticeError, TooLong
from ..practice.submitting import score_attempt
from ..scoring import char_count


def open_key(user_id: int, paper_id: int) -> str:
    return f"{user_id}:{paper_id}"


def open_sitting(user_id: int, paper: Paper) -> PaperAttempt | None:
    return db.session.scalar(select(PaperAttempt).where(PaperAttempt.open_key == open_key(user_id, paper.id)))


def start_sitting(user_id: int, paper: Paper, now: datetime | None = None) -> tuple[PaperAttempt, bool]:
    """The candidate's open sitting of ``paper``; a new one starts the clock now.

    An open sitting is returned untouched (a second tab, a reload, another
    device must not reset the clock). Questions, minutes and 分值 are copied
    in, so editing the paper later does not change a sitting.
    """
    sitting = open_sitting(user_id, paper)
    if sitting is not None:
        return sitting, False
    now = now or now_utc()
    sitting = PaperAttempt(
        paper_id=paper.id,
        user_id=user_id,
        minutes=paper.minutes,
        started_at=now,
        open_key=open_key(user_id, paper.id),
        active_position=1,
        active_since=now,
    )
    for pq in paper.questions:
        sitting.answers.append(
            PaperAnswer(
                question=pq.question,
                position=len(sitting.answers) + 1,
                minutes=pq.minutes,
                points=pq.points,
                text="",
                seconds_spent=0,
            )
        )
    db.session.add(sitting)
    return sitting, True


def deadline(sitting: PaperAttempt) -> datetime:
    return sitting.started_at + timedelta(minutes=sitting.minutes)


def is_closed(sitting: PaperAttempt, now: datetime | None = None) -> bool:
    """Past the time and its grace: nothing more is saved, the sitting is handed in as saved."""
    return (now or now_utc()) > deadline(sitting) + EXAM_GRACE


def answer_at(sitting: PaperAttempt, position: int) -> PaperAnswer:
    for answer in sitting.answers:
        if answer.position == position:
            return answer
    raise LookupError(position)


def credit_time(sitting: PaperAttempt, now: datetime) -> None:
    """Add the time since the last save or switch to the question being worked on."""
    if sitting.active_position is None or sitting.active_since is None:
        return
    until = min(now, deadline(sitting))
    spent = int((until - sitting.active_since).total_seconds())
    if spent > 0:
        answer_at(sitting, sitting.active_position).seconds_spent += spent
        sitting.active_since = until


def focus(sitting: PaperAttempt, position: int, now: datetime | None = None) -> None:
    """The candidate turned to question ``position``: earlier time goes to the one they left."""
    now = now or now_utc()
    answer_at(sitting, position)  # LookupError for a position the paper does not have
    _check_open(sitting, now)
    credit_time(sitting, now)
    if sitting.active_position != position:
        sitting.active_position = position
        sitting.active_since = min(now, deadline(sitting))


def _check_open(sitting: PaperAttempt, now: datetime) -> None:
    if not sitting.is_open:
        raise NoDraft("这份试卷已经交卷，不能再修改。内容仍保留在本页面。")
    if is_closed(sitting, now):
        raise ExamOver("考试时间已到，之后写的内容不再保存；试卷将按时间到时保存的内容交卷。")


def save_answer(
    sitting: PaperAttempt, position: int, text: str, *, max_answer: int, now: datetime | None = None
) -> PaperAnswer:
    """Store one question's draft; saving also counts as working on that question."""
    now = now or now_utc()
    text = clean_text(text)
    answer = answer_at(sitting, position)
    _check_open(sitting, now)
    if len(text) > draft_limit(max_answer):
        raise TooLong(f"内容超过 {draft_limit(max_answer)} 个字符，未能保存到服务器。请删减后再保存。")
    focus(sitting, position, now)
    answer.text = text
    answer.saved_at = now
    return answer


def save_posted(
    sitting: PaperAttempt, texts: dict[int, str], *, max_answer: int, current: int | None, now: datetime | None = None
) -> list[str]:
    """Store the answers a form posted (JavaScript off): every question at once.

    An empty field never wipes a saved answer (a glitch, a field the browser
    did not send). Returns the refusals, one line per question.
    """
    now = now or now_utc()
    _check_open(sitting, now)
    if current is not None:
        focus(sitting, current, now)
    problems = []
    for position, text in sorted(texts.items()):
        text = clean_text(text)
        answer = answer_at(sitting, position)
        if not text.strip() or text == answer.text:
            continue
        if len(text) > draft_limit(max_answer):
            problems.append(f"第{position}题内容超过 {draft_limit(max_answer)} 个字符，未能保存，请删减。")
            continue
        answer.text = text
        answer.saved_at = now
    return problems


def hand_in(sitting: PaperAttempt, *, now: datetime | None = None) -> PaperAttempt:
    """交卷: score every answered question together, each as a normal Attempt.

    Handed in at the server's now, or at the deadline when that has passed
    (time out). A question left empty earns nothing and has no Attempt.
    """
    now = now or now_utc()
    if not sitting.is_open:
        return sitting
    credit_time(sitting, now)
    submitted = min(now, deadline(sitting))
    for answer in sitting.answers:
        if char_count(answer.text) == 0:
            continue
        try:
            answer.attempt = score_attempt(
                sitting.user_id,
                answer.question,
                answer.text,
                exam_mode=True,
                # The result page's 用时 is this question's own time in the sitting.
                started_at=submitted - timedelta(seconds=answer.seconds_spent),
                submitted_at=submitted,
            )
        except PracticeError:
            continue  # a question without a rubric cannot be scored: it stays unscored
    sitting.submitted_at = submitted
    sitting.timed_out = now >= deadline(sitting)
    sitting.open_key = None
    sitting.active_position = None
    sitting.active_since = None
    return sitting


def close_if_over(sitting: PaperAttempt, now: datetime | None = None) -> bool:
    """收卷: a sitting past its time (a reload, the next day, JavaScript off) is handed in."""
    now = now or now_utc()
    if sitting.is_open and is_closed(sitting, now):
        hand_in(sitting, now=now)
        return True
    return False


def unanswered(sitting: PaperAttempt) -> list[PaperAnswer]:
    return [a for a in sitting.answers if char_count(a.text) == 0]


def sitting_state(sitting: PaperAttempt, now: datetime | None = None) -> dict[str, Any]:
    """What the exam page's scripts need: every answer's text and the server's clock."""
    now = now or now_utc()
    return {
        "started_at": epoch_ms(sitting.started_at),
        "now": epoch_ms(now),
        "minutes": sitting.minutes,
        "open": sitting.is_open,
        "active": sitting.active_position,
        "answers": [
            {
                "position": a.position,
                "text": a.text,
                "char_count": char_count(a.text),
                "saved_at": epoch_ms(a.saved_at) if a.saved_at else 0,
                "seconds_spent": a.seconds_spent,
            }
            for a in sitting.answers
        ],
    }


def answer_state(answer: PaperAnswer, now: datetime | None = None) -> dict[str, Any]:
    """One question's draft, in the shape the autosave script reads (as for a single draft)."""
    now = now or now_utc()
    return {
        "text": answer.text,
        "char_count": char_count(answer.text),
        "saved_at": epoch_ms(answer.saved_at) if answer.saved_at else 0,
        "now": epoch_ms(now),
    }
