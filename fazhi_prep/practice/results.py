"""The result page: highlights, point rows, model answers beside the candidate's, access."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..extensions import db
from ..model_results import model_results
from ..models import Attempt, Question, Role
from ..scoring.coverage import credit
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
class Mark:
    """One highlighted span: which points (numbers) or errors it belongs to."""

    start: int
    end: int
    points: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()
    counted: bool = True
    error: str | None = None


@dataclass
class Segment:
    text: str
    points: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()
    counted: bool = True
    error: str | None = None
    tag: str = ""  # point numbers shown after the last piece of a highlighted run

    @property
    def marked(self) -> bool:
        return bool(self.points or self.error)


def _marks_from(result: dict[str, Any], numbers: dict[str, int]) -> list[Mark]:
    marks = []
    for point in result.get("points", []):
        n = numbers.get(point["key"])
        if n is None:
            continue
        for hit in point.get("hits", []):
            spans = {tuple(s) for s in hit.get("spans") or []} | {tuple(hit["span"])}
            for a, b in spans:
                marks.append(Mark(a, b, (n,), (point["label"],), bool(hit.get("counted", True))))
    for error in result.get("errors", []):
        a, b = error["span"]
        marks.append(Mark(a, b, error=f"应为“{error['right']}”：{error['explain']}"))
    return marks


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """Split ``text`` at every mark boundary; each piece knows what covers it.

    The template renders the pieces escaped (never ``|safe`` on answer text).
    """
    bounds = {0, len(text)}
    spans: list[tuple[int, int, int]] = []  # (mark index, clamped start, clamped end)
    for i, m in enumerate(marks):
        a, b = max(0, min(m.start, len(text))), max(0, min(m.end, len(text)))
        if a < b:
            bounds.update((a, b))
            spans.append((i, a, b))
    cuts = sorted(bounds)
    # one sweep over the cuts: marks open at their start and close at their end
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for i, a, b in spans:
        opening.setdefault(a, []).append(i)
        closing.setdefault(b, []).append(i)
    active: set[int] = set()
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        active.difference_update(closing.get(a, ()))
        active.update(opening.get(a, ()))
        covering = [marks[i] for i in sorted(active)]  # in the marks' own order, as before
        nums: dict[int, str] = {}
        for m in covering:
            for n, label in zip(m.points, m.labels, strict=True):
                nums.setdefault(n, label)
        error = next((m.error for m in covering if m.error), None)
        counted = all(m.counted for m in covering if m.points)
        seg = Segment(text[a:b], tuple(sorted(nums)), tuple(nums[n] for n in sorted(nums)), counted, error)
        prev = out[-1] if out else None
        if prev and (prev.points, prev.counted, prev.error) == (seg.points, seg.counted, seg.error):
            prev.text += seg.text
        else:
            out.append(seg)
    for i, seg in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        if seg.points and (nxt is None or not set(seg.points) <= set(nxt.points)):
            seg.tag = ",".join(str(n) for n in seg.points)
    return out


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
        answer=segments(attempt.answer, _marks_from(result, numbers)),
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
            segments=segments(a.body, _marks_from(scored[a.variant], numbers)),
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
