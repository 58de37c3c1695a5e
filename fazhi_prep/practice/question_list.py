"""The question list: per-question stats for a candidate, filters, area labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Attempt, Draft, LibraryArea, Question


@dataclass
class QuestionStats:
    attempts: int = 0
    best: float | None = None
    last_id: int | None = None
    last_at: datetime | None = None
    last_score: float | None = None
    draft: bool = False


def question_stats(user_id: int) -> dict[int, QuestionStats]:
    """Per question: how often the user attempted it, the best score, the last attempt."""
    stats: dict[int, QuestionStats] = {}
    rows = db.session.execute(
        select(
            Attempt.id, Attempt.question_id, Attempt.score, Attempt.override_score, Attempt.submitted_at
        ).where(Attempt.user_id == user_id).order_by(Attempt.submitted_at, Attempt.id)
    )
    for attempt_id, question_id, auto, override, at in rows:
        s = stats.setdefault(question_id, QuestionStats())
        final = override if override is not None else auto
        s.attempts += 1
        s.best = final if s.best is None else max(s.best, final)
        s.last_id, s.last_at, s.last_score = attempt_id, at, final
    for question_id in db.session.scalars(select(Draft.question_id).where(Draft.user_id == user_id)):
        stats.setdefault(question_id, QuestionStats()).draft = True
    return stats


LIMIT_BUCKETS = {
    "short": ("400字以内", lambda m: m is not None and m <= 400),
    "medium": ("401–999字", lambda m: m is not None and 400 < m < 1000),
    "long": ("1000字及以上", lambda m: m is not None and m >= 1000),
}


def filter_questions(
    questions: list[Question], *, genre: str = "", area: str = "", limit: str = ""
) -> list[Question]:
    """Questions matching the list page's filters (empty filter: any)."""
    out = []
    for q in questions:
        if genre and q.genre_key != genre:
            continue
        if area and area not in (q.areas or []):
            continue
        if limit in LIMIT_BUCKETS and not LIMIT_BUCKETS[limit][1](q.limit_max):
            continue
        out.append(q)
    return out


def area_labels() -> dict[str, str]:
    return dict(db.session.execute(select(LibraryArea.key, LibraryArea.label)).all())


def area_choices() -> list[tuple[str, str]]:
    return list(db.session.execute(select(LibraryArea.key, LibraryArea.label).order_by(LibraryArea.position)).all())
