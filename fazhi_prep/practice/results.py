"""The result page: point rows, model answers beside the candidate's, access (highlights: ``highlights``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..extensions import db
from ..model_results import model_results
from ..models import Attempt, Question, Role
from ..scoring.coverage import credit
from .highlights import Segment, marks_from, segments
from .question_list import area_labels

MARKS = ("covered", "partly", "missed")
MARK_LABELS = {"covered": "覆盖", "partly": "部分", "missed": "未覆盖"}
MARK_RANK = {"missed": 0, "partly": 1, "covered": 2}

FLAG_LABELS = {
    "over_limit": "超出字数",
    "under_limit": "字数不足",
    "keyword_stuffing": "堆砌关键词",
    "copied_material": "照抄材料或范文",
}
DEDUCTION_LABELS = {
    **FLAG_LABELS,
    "relevance": "内容关联不足",
    "relevance_content": "内容关联不足（要点）",
    "copied_length": "照抄部分不计字数",
    "common_errors": "常见错误",
}

def point_status(point: dict[str, Any]) -> str:
    """covered / partly / missed by the engine's own tiers, on counted coverage
    (text flagged as 堆砌 or 照抄 does not cover anything)."""
    share = credit(float(point.get("counted_coverage", point.get("coverage", 0.0))), "tiered")
    return "covered" if share >= 1.0 else "partly" if share > 0 else "missed"


@dataclass
class PointRow:
    number: int
    key: str
    label: str
    source: str
    area: str | None
    weight: float
    earned: float
    max: float
    status: str
    raw_status: str
    terms: list[str]
    missing: list[list[str]]
    core_missing: list[list[str]] = field(default_factory=list)
    model_status: str | None = None
    model_terms: list[str] = field(default_factory=list)
    self_mark: str | None = None
    self_note: str = ""
    # "照抄" / "堆砌": written, but in flagged text; the page says 按照抄扣除, not 未覆盖
    discount: str = ""
    counted_earned: float = 0.0

    @property
    def status_label(self) -> str:
        return MARK_LABELS[self.status]

    @property
    def disagrees(self) -> bool:
        return self.self_mark is not None and self.self_mark != self.status


@dataclass
class ModelView:
    variant: str
    title: str
    author: str
    note: str
    segments: list[Segment]
    char_count: int


@dataclass
class AttemptView:
    attempt: Attempt
    question: Question
    result: dict[str, Any]
    points: list[PointRow]
    answer: list[Segment]
    models: list[ModelView]
    model: ModelView | None
    model_only: list[PointRow]  # points the model answer covers and the attempt does not
    seconds_used: int
    area_labels: dict[str, str]

    @property
    def self_marked(self) -> bool:
        return bool(self.attempt.self_marks)

    @property
    def disagreements(self) -> list[PointRow]:
        return [p for p in self.points if p.disagrees]

    @property
    def agreed(self) -> int:
        return sum(1 for p in self.points if p.self_mark and not p.disagrees)


def _terms(point: dict[str, Any]) -> list[str]:
    seen: list[str] = []
    for hit in point.get("hits", []):
        if hit["text"] not in seen:
            seen.append(hit["text"])
    return seen


def point_rows(attempt: Attempt) -> list[PointRow]:
    """The attempt's rubric points, numbered, with the engine's and the candidate's marks."""
    self_marks = attempt.self_marks or {}
    rows = []
    for number, point in enumerate(attempt.result.get("points", []), start=1):
        mine = self_marks.get(point["key"]) or {}
        rows.append(
            PointRow(
                number=number,
                key=point["key"],
                label=point["label"],
                source=point.get("source", ""),
                area=point.get("area"),
                weight=point.get("weight", 0),
                earned=point.get("earned", 0),
                max=point.get("max", 0),
                status=point_status(point),
                raw_status=point_status({"counted_coverage": point.get("coverage", 0)}),
                terms=_terms(point),
                missing=point.get("missing", []),
                core_missing=point.get("core_missing", []),
                self_mark=mine.get("mark"),
                self_note=mine.get("note", ""),
                discount=_discount(point),
                counted_earned=point.get("counted_earned", point.get("earned", 0)),
            )
        )
    return rows


def _discount(point: dict[str, Any]) -> str:
    """"照抄"/"堆砌" when the point lost marks to flagged text (older results: "堆砌或照抄")."""
    if point_status(point) == point_status({"counted_coverage": point.get("coverage", 0)}):
        return ""
    return point.get("discount") or "堆砌或照抄"


def attempt_view(attempt: Attempt, model_variant: str | None = None) -> AttemptView:
    """Everything the result page shows, from the stored result and the model answers.

    Model answers are scored with the attempt's own rubric version, so the
    same points are marked in both texts even after the rubric changed.
    """
    result = attempt.result
    rows = point_rows(attempt)
    numbers = {r.key: r.number for r in rows}
    scored = _score_models(attempt)
    models = _model_views(attempt, numbers, scored)
    chosen = next((m for m in models if m.variant == model_variant), models[0] if models else None)
    by_key = {r.key: r for r in rows}
    if chosen is not None:
        for point in scored[chosen.variant].get("points", []):
            if point["key"] in by_key:
                by_key[point["key"]].model_status = point_status(point)
                by_key[point["key"]].model_terms = _terms(point)
    model_only = [
        r for r in rows
        if r.model_status and MARK_RANK[r.model_status] > MARK_RANK[r.status]
    ]
    return AttemptView(
        attempt=attempt,
        question=attempt.question,
        result=result,
        points=rows,
        answer=segments(attempt.answer, marks_from(result, numbers)),
        models=models,
        model=chosen,
        model_only=model_only,
        seconds_used=attempt.seconds_used,
        area_labels=area_labels(),
    )


def _score_models(attempt: Attempt) -> dict[str, dict[str, Any]]:
    # stored per rubric version and text (model_results): scored on first use only
    return model_results(attempt.question, attempt.rubric)


def _model_views(
    attempt: Attempt, numbers: dict[str, int], scored: dict[str, dict[str, Any]]
) -> list[ModelView]:
    return [
        ModelView(
            variant=a.variant,
            title=a.title,
            author=a.author,
            note=a.note,
            segments=segments(a.body, marks_from(scored[a.variant], numbers)),
            char_count=scored[a.variant]["char_count"],
        )
        for a in attempt.question.model_answers
    ]

def attempt_for(user, attempt_id: int, *, write: bool = False) -> Attempt | None:
    """The attempt if ``user`` may see it: its owner, or (read-only) a tutor."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        return None
    if attempt.user_id == user.id:
        return attempt
    if not write and user.has_role(Role.TUTOR):
        return attempt
    return None
