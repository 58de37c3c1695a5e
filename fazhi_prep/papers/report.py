"""The paper report, a candidate's paper history and the tutor's time-split view."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Attempt, Paper, PaperAnswer, PaperAttempt
from ..practice.charts import Chart, timeline_chart
from ..practice.question_list import area_labels
from ..practice.results import MARK_LABELS, point_status
from ..scoring import char_count


def total(sitting: PaperAttempt) -> float:
    """The paper's total: each question's final score (of 100) scaled to its 分值.

    Computed, never stored: a tutor's override of one question moves the total.
    """
    return round(sum(a.earned for a in sitting.answers), 1)


def max_total(sitting: PaperAttempt) -> float:
    return round(sum(a.points for a in sitting.answers), 1)


def seconds_used(sitting: PaperAttempt) -> int:
    end = sitting.submitted_at or sitting.started_at
    return max(0, int((end - sitting.started_at).total_seconds()))


@dataclass
class QuestionRow:
    answer: PaperAnswer
    score: float | None  # of 100; None: not answered
    earned: float
    char_count: int
    over_time: bool

    @property
    def question(self):
        return self.answer.question

    @property
    def attempt(self) -> Attempt | None:
        return self.answer.attempt


@dataclass
class MissedPoint:
    position: int
    slug: str
    label: str
    status: str

    @property
    def status_label(self) -> str:
        return MARK_LABELS[self.status]


@dataclass
class MissedArea:
    key: str
    label: str
    points: list[MissedPoint] = field(default_factory=list)


@dataclass
class PaperReport:
    sitting: PaperAttempt
    rows: list[QuestionRow]
    total: float
    max_total: float
    seconds_used: int
    missed: list[MissedArea]

    @property
    def paper(self) -> Paper:
        return self.sitting.paper


def question_rows(sitting: PaperAttempt) -> list[QuestionRow]:
    rows = []
    for answer in sitting.answers:
        attempt = answer.attempt
        rows.append(
            QuestionRow(
                answer=answer,
                score=attempt.final_score if attempt else None,
                earned=answer.earned,
                char_count=attempt.char_count if attempt else char_count(answer.text),
                over_time=answer.seconds_spent > answer.minutes * 60,
            )
        )
    return rows


def missed_by_area(sitting: PaperAttempt) -> list[MissedArea]:
    """Points missed or only partly covered across the paper, grouped by 纲要 area.

    Areas in the 纲要's own order; question-specific points (no area) last,
    under 本题要点.
    """
    labels = area_labels()
    groups: dict[str, MissedArea] = {}
    for answer in sitting.answers:
        points: list[dict[str, Any]] = answer.attempt.result.get("points", []) if answer.attempt else []
        for point in points:
            status = point_status(point)
            if status == "covered":
                continue
            key = point.get("area") or ""
            area = groups.setdefault(key, MissedArea(key, labels.get(key, "本题要点") if key else "本题要点"))
            area.points.append(MissedPoint(answer.position, answer.question.slug, point["label"], status))
    order = list(labels)
    return sorted(groups.values(), key=lambda a: order.index(a.key) if a.key in order else len(order))


def paper_report(sitting: PaperAttempt) -> PaperReport:
    return PaperReport(
        sitting=sitting,
        rows=question_rows(sitting),
        total=total(sitting),
        max_total=max_total(sitting),
        seconds_used=seconds_used(sitting),
        missed=missed_by_area(sitting),
    )


@cache
def _done_sittings():
    """Built once (a select with its loader options costs more to build than the history page's query)."""
    return (
        select(PaperAttempt)
        .where(PaperAttempt.submitted_at.is_not(None))
        .options(
            selectinload(PaperAttempt.paper),
            selectinload(PaperAttempt.answers).selectinload(PaperAnswer.attempt),
            selectinload(PaperAttempt.answers).selectinload(PaperAnswer.question),
        )
        .order_by(PaperAttempt.submitted_at, PaperAttempt.id)
    )


def user_sittings(user_id: int) -> list[PaperAttempt]:
    """A candidate's handed-in sittings, oldest first."""
    return list(db.session.scalars(_user_sittings(), {"user_id": user_id}))


@cache
def _user_sittings():
    return _done_sittings().where(PaperAttempt.user_id == bindparam("user_id"))


def paper_sittings(paper: Paper) -> list[PaperAttempt]:
    return list(db.session.scalars(_done_sittings().where(PaperAttempt.paper_id == paper.id)))


def sitting_of_attempts(attempt_ids: list[int]) -> dict[int, PaperAttempt]:
    """For attempts made in a paper: attempt id → its sitting (one query)."""
    if not attempt_ids:
        return {}
    rows = db.session.scalars(
        select(PaperAnswer)
        .where(PaperAnswer.attempt_id.in_(attempt_ids))
        .options(selectinload(PaperAnswer.sitting).selectinload(PaperAttempt.paper))
    )
    return {a.attempt_id: a.sitting for a in rows if a.attempt_id is not None}


def totals_chart(sittings: list[PaperAttempt], tz) -> Chart:
    """Paper totals over time (as a share of each paper's full marks), like the score chart."""
    points = []
    for s in sittings:
        full, value = max_total(s) or 100, total(s)
        points.append((s.submitted_at, value, full, f"{s.paper.title} {value:g}/{full:g}分"))
    return timeline_chart(points, tz)


@dataclass
class TimeSplit:
    """How candidates split their time on one paper: per question, suggested vs spent."""

    paper: Paper
    sittings: list[PaperAttempt]
    positions: list[dict[str, Any]]  # per question: slug, title, suggested, average minutes


def time_split(paper: Paper) -> TimeSplit:
    sittings = paper_sittings(paper)
    positions: dict[int, dict[str, Any]] = {}
    for s in sittings:
        for a in s.answers:
            row = positions.setdefault(
                a.position,
                {"position": a.position, "slug": a.question.slug, "title": a.question.title,
                 "suggested": a.minutes, "spent": []},
            )
            row["spent"].append(a.seconds_spent)
    out = []
    for pos in sorted(positions):
        row = positions[pos]
        spent = row.pop("spent")
        row["average_minutes"] = round(sum(spent) / len(spent) / 60, 1) if spent else 0
        row["over"] = sum(1 for v in spent if v > row["suggested"] * 60)
        out.append(row)
    return TimeSplit(paper, list(reversed(sittings)), out)


def csv_papers(attempt_ids: list[int], tz) -> dict[int, tuple[str, float]]:
    """For the CSV export: attempt id → ("paper title · hand-in time", the paper's total)."""
    return {
        attempt_id: (f"{s.paper.title} · {s.submitted_at.astimezone(tz):%Y-%m-%d %H:%M}", total(s))
        for attempt_id, s in sitting_of_attempts(attempt_ids).items()
    }
