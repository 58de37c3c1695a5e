"""The result page: point rows, model answers beside the candidate's, access (highlights: ``highlights``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..lru import LruCache
from ..model_results import model_results, text_hashes
from ..models import Attempt, ModelAnswer, PaperAnswer, Question, Rescore, Role, Rubric
from ..scoring.coverage import credit
from .highlights import Segment, highlight_html, marks_from, segments

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
    html: Markup = Markup()  # the segments, highlighted (highlight_html)


@dataclass
class AttemptView:
    attempt: Attempt
    question: Question
    result: dict[str, Any]
    points: list[PointRow]
    models: list[ModelView]
    model: ModelView | None
    model_only: list[PointRow]  # points the model answer covers and the attempt does not
    seconds_used: int

    @cached_property
    def answer(self) -> list[Segment]:
        """The candidate's answer in highlighted pieces (only when the page is not already rendered)."""
        return segments(self.attempt.answer, marks_from(self.result, {p.key: p.number for p in self.points}))

    @property
    def answer_html(self) -> Markup:
        return highlight_html(self.answer)

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
    columns = _model_columns(attempt, tuple(numbers))
    models = [
        ModelView(variant=a.variant, title=a.title, author=a.author, note=a.note,
                  segments=column.segments, char_count=column.char_count, html=column.html)
        for a, column in columns
    ]
    chosen = next((m for m in models if m.variant == model_variant), models[0] if models else None)
    if chosen is not None:
        statuses = next(column.statuses for a, column in columns if a.variant == chosen.variant)
        for row in rows:
            if row.key in statuses:
                row.model_status, row.model_terms = statuses[row.key]
    model_only = [
        r for r in rows
        if r.model_status and MARK_RANK[r.model_status] > MARK_RANK[r.status]
    ]
    return AttemptView(
        attempt=attempt,
        question=attempt.question,
        result=result,
        points=rows,
        models=models,
        model=chosen,
        model_only=model_only,
        seconds_used=attempt.seconds_used,
    )


@dataclass(frozen=True)
class ModelColumn:
    """One scored model answer as the result page shows it, numbered like the attempt's points."""

    segments: list[Segment]
    html: Markup
    char_count: int
    statuses: dict[str, tuple[str, list[str]]]  # point key -> (status, terms written)


def model_column(result: dict[str, Any], body: str, point_keys: tuple[str, ...]) -> ModelColumn:
    numbers = {key: n for n, key in enumerate(point_keys, start=1)}
    segs = segments(body, marks_from(result, numbers))
    return ModelColumn(
        segments=segs,
        html=highlight_html(segs),
        char_count=result["char_count"],
        statuses={p["key"]: (point_status(p), _terms(p)) for p in result.get("points", [])},
    )


# A model answer's column depends only on its stored result and the attempt's point numbering.
# The stored result is keyed by rubric version, model answer and text_hash (its text, the
# question's texts, the 常见错误 and ENGINE_VERSION; see model_results), so a column is built
# once per process and key rather than on every view (loading the stored JSON and splitting
# the text were a sixth of the page). The rubric's fingerprint and creation time are in the
# key too (as in catalog.rubric_spec): a reused id in an emptied database never hits.
_MODEL_COLUMNS: LruCache[ModelColumn] = LruCache(256)


def _model_columns(attempt: Attempt, point_keys: tuple[str, ...]) -> list[tuple[ModelAnswer, ModelColumn]]:
    question, rubric = attempt.question, attempt.rubric
    answers = list(question.model_answers)
    hashes = text_hashes(question, answers)
    stamp = (rubric.id, rubric.fingerprint, rubric.created_at)
    keys = {a.id: (*stamp, a.id, hashes[a.id], point_keys) for a in answers}
    found = {a.id: _MODEL_COLUMNS.get(keys[a.id]) for a in answers}
    missing = [a for a in answers if found[a.id] is None]
    if missing:
        # stored per rubric version and text (model_results): scored on first use only
        scored = model_results(question, rubric, missing, hashes)
        for a in missing:
            found[a.id] = model_column(scored[a.variant], a.body, point_keys)
            _MODEL_COLUMNS.put(keys[a.id], found[a.id])
    return [(a, found[a.id]) for a in answers]


# The result page reads the attempt's question (and its 文种), rubric version, rescores and paper
# question (most attempts have neither): one query, not five. The rubric's spec as written (JSON) is
# only read if a model answer must be scored; a rescore's result only on its own page.
_FOR_RESULT_PAGE = (
    joinedload(Attempt.question).joinedload(Question.genre),
    joinedload(Attempt.rubric).defer(Rubric.spec),
    joinedload(Attempt.rescores).defer(Rescore.result),
    joinedload(Attempt.paper_answer).load_only(PaperAnswer.sitting_id),
)


def attempt_for(user, attempt_id: int, *, write: bool = False) -> Attempt | None:
    """The attempt if ``user`` may see it: its owner, or (read-only) a tutor."""
    attempt = db.session.get(Attempt, attempt_id, options=_FOR_RESULT_PAGE)
    if attempt is None:
        return None
    if attempt.user_id == user.id:
        return attempt
    if not write and user.has_role(Role.TUTOR):
        return attempt
    return None
