"""评分校准: a candidate marks a tutor's sample answer point by point, then sees where
their marks differ from the tutor's. The history page shows how the candidate's
judgement tracks the tutor's over time (``history_summary``).

Only samples of published questions are shown, and only the points the tutor
marked that are in the question's current rubric are compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Attempt, CalibrationMark, Question, SampleAnswer
from ..rubric_tests import MARK_LABELS, MARKS, RANK

CREDIT = {"covered": 1.0, "partly": 0.5, "missed": 0.0}


@dataclass
class PointToMark:
    key: str
    label: str
    source: str


def sample_for_candidate(sample_id: int) -> SampleAnswer | None:
    sample = db.session.get(SampleAnswer, sample_id)
    if sample is None or not sample.question.published or sample.question.rubric is None:
        return None
    return sample if points_to_mark(sample) else None


def points_to_mark(sample: SampleAnswer) -> list[PointToMark]:
    """The tutor-marked points that are in the current rubric, in the rubric's order."""
    rubric = sample.question.rubric
    if rubric is None:
        return []
    return [PointToMark(p.key, p.label, p.source) for p in rubric.points if p.key in sample.expected]


@dataclass
class QuestionEntry:
    question: Question
    samples: list[SampleAnswer]
    done: set[int]  # sample ids this candidate has marked

    @property
    def next_sample(self) -> SampleAnswer | None:
        return next((s for s in self.samples if s.id not in self.done), self.samples[0] if self.samples else None)


def questions_for(user_id: int) -> list[QuestionEntry]:
    """Published questions with markable samples, and which ones the candidate has done."""
    samples = db.session.scalars(
        select(SampleAnswer).join(Question).where(Question.published.is_(True))
        .options(selectinload(SampleAnswer.question)).order_by(Question.position, Question.slug, SampleAnswer.id)
    ).all()
    done = set(db.session.scalars(select(CalibrationMark.sample_answer_id).where(CalibrationMark.user_id == user_id)))
    entries: dict[int, QuestionEntry] = {}
    for s in samples:
        if points_to_mark(s):
            entries.setdefault(s.question_id, QuestionEntry(s.question, [], done)).samples.append(s)
    return list(entries.values())


def save_marks(user_id: int, sample: SampleAnswer, marks: dict[str, str]) -> CalibrationMark:
    keys = {p.key for p in points_to_mark(sample)}
    clean = {k: v for k, v in marks.items() if k in keys and v in MARKS}
    mark = CalibrationMark(user_id=user_id, sample_answer_id=sample.id, marks=clean)
    db.session.add(mark)
    db.session.flush()
    return mark


@dataclass
class Row:
    key: str
    label: str
    source: str
    mine: str | None
    tutor: str

    @property
    def agrees(self) -> bool:
        return self.mine == self.tutor

    @property
    def verdict(self) -> str:
        if self.mine is None:
            return "未标注"
        if self.agrees:
            return "一致"
        return "你判得比教师宽" if RANK[self.mine] > RANK[self.tutor] else "你判得比教师严"


@dataclass
class Comparison:
    mark: CalibrationMark
    rows: list[Row]

    @property
    def agreed(self) -> int:
        return sum(r.agrees for r in self.rows)

    @property
    def share(self) -> float:
        return self.agreed / len(self.rows) if self.rows else 0.0


def compare(mark: CalibrationMark) -> Comparison:
    """The candidate's marks beside the tutor's, point by point."""
    sample = mark.sample_answer
    rows = [Row(p.key, p.label, p.source, mark.marks.get(p.key), sample.expected[p.key]) for p in points_to_mark(sample)]
    return Comparison(mark, rows)


def mark_for(user_id: int, mark_id: int) -> CalibrationMark | None:
    mark = db.session.get(CalibrationMark, mark_id)
    return mark if mark is not None and mark.user_id == user_id else None


# -- the history page: how the candidate's judgement tracks the tutor's -----------


@dataclass
class Round:
    at: datetime
    mark_id: int
    question: str
    sample: str
    agreed: int
    total: int

    @property
    def share(self) -> float:
        return self.agreed / self.total if self.total else 0.0


@dataclass
class SelfVsTutor:
    attempt: Attempt
    self_score: float  # the score with the candidate's own marks for the content points
    tutor_score: float

    @property
    def gap(self) -> float:
        return round(self.self_score - self.tutor_score, 1)


@dataclass
class Summary:
    rounds: list[Round]
    attempts: list[SelfVsTutor]
    chart: dict[str, Any]

    @property
    def empty(self) -> bool:
        return not self.rounds and not self.attempts

    @property
    def overall(self) -> float:
        total = sum(r.total for r in self.rounds)
        return sum(r.agreed for r in self.rounds) / total if total else 0.0


CONTENT_DEDUCTIONS = ("keyword_stuffing", "copied_material", "relevance_content")


def self_score(attempt: Attempt) -> float | None:
    """The attempt's score with the candidate's self-marks as the content marks.

    Format, length and the deductions not about content (relevance, over the
    limit, 常见错误) are the system's; the 堆砌/照抄 and 跑题-content deductions
    are left out, since they take back content marks the self-marks now decide.
    """
    marks = attempt.self_marks or {}
    points = attempt.result.get("points", [])
    breakdown = attempt.result.get("breakdown", {})
    if not marks or not points or not breakdown:
        return None
    content = sum(
        float(p.get("max", 0)) * CREDIT.get((marks.get(p["key"]) or {}).get("mark"), 0.0) for p in points
    )
    other = float(breakdown["format"]["earned"]) + float(breakdown["length"]["earned"])
    deducted = sum(float(d["marks"]) for d in breakdown.get("deductions", []) if d["kind"] not in CONTENT_DEDUCTIONS)
    return round(min(100.0, max(0.0, content + other - deducted)), 1)


def history_summary(user_id: int) -> Summary:
    """评分校准 rounds (agreement with the tutor's marks over time) and, for attempts a
    tutor re-marked, the candidate's self-score beside the tutor's."""
    marks_of, remarked_of = _summary_statements()
    marks = db.session.scalars(marks_of, {"user_id": user_id}).all()
    rounds = []
    for m in marks:
        c = compare(m)
        if c.rows:
            q = m.sample_answer.question
            rounds.append(Round(m.created_at, m.id, q.title, m.sample_answer.title, c.agreed, len(c.rows)))
    attempts = db.session.scalars(remarked_of, {"user_id": user_id}).all()
    pairs = [SelfVsTutor(a, s, a.override_score) for a in attempts if (s := self_score(a)) is not None]
    return Summary(rounds, pairs, _chart(rounds))


@cache
def _summary_statements():
    """history_summary's two statements, built once (the history page shows it on every view)."""
    user_id = bindparam("user_id")
    marks = (
        select(CalibrationMark).where(CalibrationMark.user_id == user_id)
        .options(selectinload(CalibrationMark.sample_answer).selectinload(SampleAnswer.question))
        .order_by(CalibrationMark.created_at, CalibrationMark.id)
    )
    remarked = (
        select(Attempt).where(Attempt.user_id == user_id, Attempt.override_score.is_not(None),
                              Attempt.self_marks.is_not(None))
        .options(selectinload(Attempt.question)).order_by(Attempt.submitted_at)
    )
    return marks, remarked


def _chart(rounds: list[Round]) -> dict[str, Any]:
    """Agreement per round as an SVG polyline (viewBox units), drawn by the server."""
    width, height, left, right, top, bottom = 400, 160, 44, 12, 10, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(rounds)
    points = []
    for i, r in enumerate(rounds):
        x = left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))
        y = top + plot_h * (1 - r.share)
        points.append({"x": round(x, 1), "y": round(y, 1), "label": f"{r.at:%m-%d} {r.sample}：{r.agreed}/{r.total}"})
    grid = [{"y": round(top + plot_h * (1 - v / 100), 1), "value": f"{v}%"} for v in (0, 50, 100)]
    return {"width": width, "height": height, "left": left, "right": width - right, "points": points,
            "line": " ".join(f"{p['x']},{p['y']}" for p in points), "grid": grid}


def calibrated_count(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(CalibrationMark).where(CalibrationMark.user_id == user_id))


__all__ = ["MARK_LABELS", "compare", "history_summary", "questions_for", "save_marks"]
