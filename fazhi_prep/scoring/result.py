"""The result of scoring one answer: what an Attempt stores (``Result.to_dict()``).

Spans are ``[start, end)`` offsets into the answer text as submitted
(Python string indices, i.e. code points).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .explain import explain

FLAG_NAMES = ("over_limit", "under_limit", "keyword_stuffing", "copied_material")
RESULT_VERSION = 1


@dataclass
class Hit:
    group: int  # index of the term group in the point
    term: str  # the rubric alternative that matched
    text: str  # the answer's own text at ``span`` (punctuation and all)
    span: tuple[int, int]
    count: int  # occurrences of the group in the answer (repeats earn nothing)
    spans: list[tuple[int, int]]  # every occurrence (capped), for highlighting
    counted: bool = True  # False when the text is flagged (堆砌 / 照抄)


@dataclass
class PointResult:
    key: str
    label: str
    weight: float
    source: str
    area: str | None
    groups: int  # term groups in the point
    required: int  # groups needed for full coverage
    found: int  # groups found (counted ones)
    coverage: float  # found / required, capped at 1 (before anti-gaming)
    counted_coverage: float  # the same after anti-gaming exclusions
    credit: float  # share of the point's marks earned (tiered: 0, 0.5, 1)
    earned: float  # marks (before anti-gaming deductions)
    counted_earned: float  # marks after anti-gaming exclusions
    max: float
    hits: list[Hit]
    missing: list[list[str]]  # alternatives of each group not found
    # the core groups' alternatives when none of them was found (the point then earns nothing)
    core_missing: list[list[str]] = field(default_factory=list)
    # covered by the name of the whole point (行政执法三项制度) rather than group by group
    by_whole_name: bool = False
    # "照抄" or "堆砌" when some of its hits lie in text flagged as such (they earn nothing)
    discount: str = ""


@dataclass
class FormatResult:
    key: str
    label: str
    ok: bool
    expect: str
    weight: float
    earned: float
    max: float
    span: tuple[int, int] | None  # the line that satisfied it

    @property
    def status(self) -> str:
        return "ok" if self.ok else "missing"


# what the result says of a hit in flagged text: “按照抄扣除”, “按堆砌扣除”
DISCOUNT_WORDS = {"copied_material": "照抄", "keyword_stuffing": "堆砌"}


def discount_of(flags: list[Any], span: tuple[int, int] | list[int]) -> str:
    """Which anti-gaming flag's text holds ``span`` (original offsets): "照抄", "堆砌" or "".

    ``flags``: Flag objects or their stored dicts.
    """
    a, b = span
    for f in flags:
        name, spans = (f["name"], f["spans"]) if isinstance(f, dict) else (f.name, f.spans)
        word = DISCOUNT_WORDS.get(name)
        if word and any(s < b and a < e for s, e in spans):
            return word
    return ""


@dataclass
class Flag:
    name: str  # one of FLAG_NAMES
    reason: str
    marks: float = 0.0  # marks this flag cost
    spans: list[tuple[int, int]] = field(default_factory=list)
    detail: dict[str, float] = field(default_factory=dict)


@dataclass
class ErrorResult:
    key: str
    kind: str  # "wrong" or "incomplete"
    text: str  # as written in the answer
    span: tuple[int, int]
    right: str
    explain: str
    missing: list[str]
    marks: float


@dataclass
class Deduction:
    kind: str  # keyword_stuffing, copied_material, copied_length, relevance, relevance_content, over_limit, common_errors
    marks: float
    reason: str


@dataclass
class Breakdown:
    content: float
    content_max: float
    format: float
    format_max: float
    length: float
    length_max: float
    deductions: list[Deduction]
    total: float

    @property
    def deducted(self) -> float:
        return sum(d.marks for d in self.deductions)


@dataclass
class LengthResult:
    rule: str  # the deduction rule in words
    reason: str  # what happened ("" when within the limit)
    over: int
    under: int
    floor: int | None
    soft_floor: bool


@dataclass
class Result:
    question_id: str
    genre: str
    scoring: str
    rubric_fingerprint: str
    char_count: int
    limit_min: int | None
    limit_max: int | None
    score: float
    coverage: float
    counted_coverage: float
    points: list[PointResult]
    format: list[FormatResult]
    length: LengthResult
    flags: list[Flag]
    errors: list[ErrorResult]
    breakdown: Breakdown
    # the itemised explanation (explain.explain), written on first use: a bank check
    # or a model answer's coverage reads the marks and never the words
    _explanation: list[str] | None = field(default=None, repr=False, compare=False)

    @property
    def explanation(self) -> list[str]:
        if self._explanation is None:
            self._explanation = explain(self)
        return self._explanation

    def flag(self, name: str) -> Flag | None:
        return next((f for f in self.flags if f.name == name), None)

    @property
    def flag_names(self) -> set[str]:
        return {f.name for f in self.flags}

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable; what an Attempt stores."""
        return {
            "version": RESULT_VERSION,
            "question_id": self.question_id,
            "genre": self.genre,
            "scoring": self.scoring,
            "rubric_fingerprint": self.rubric_fingerprint,
            "char_count": self.char_count,
            "limit": {"min": self.limit_min, "max": self.limit_max},
            "score": self.score,
            "coverage": self.coverage,
            "counted_coverage": self.counted_coverage,
            "points": [_point(p) for p in self.points],
            "format": [dict(_plain(asdict(f)), status=f.status) for f in self.format],
            "length": _plain(asdict(self.length)),
            "flags": [_plain(asdict(f)) for f in self.flags],
            "errors": [_plain(asdict(e)) for e in self.errors],
            "breakdown": {
                "content": {"earned": self.breakdown.content, "max": self.breakdown.content_max},
                "format": {"earned": self.breakdown.format, "max": self.breakdown.format_max},
                "length": {"earned": self.breakdown.length, "max": self.breakdown.length_max},
                "deductions": [_plain(asdict(d)) for d in self.breakdown.deductions],
                "deducted": round(self.breakdown.deducted, 2),
                "total": self.breakdown.total,
            },
            "explanation": list(self.explanation),
        }


def _point(p: PointResult) -> dict[str, Any]:
    # by hand: asdict() deep-copies every hit and is the slow part of to_dict()
    return {
        "key": p.key,
        "label": p.label,
        "weight": p.weight,
        "source": p.source,
        "area": p.area,
        "groups": p.groups,
        "required": p.required,
        "found": p.found,
        "coverage": p.coverage,
        "counted_coverage": p.counted_coverage,
        "credit": p.credit,
        "earned": p.earned,
        "counted_earned": p.counted_earned,
        "max": p.max,
        "hits": [
            {
                "group": h.group,
                "term": h.term,
                "text": h.text,
                "span": [h.span[0], h.span[1]],
                "count": h.count,
                "spans": [[a, b] for a, b in h.spans],
                "counted": h.counted,
            }
            for h in p.hits
        ],
        "missing": [list(g) for g in p.missing],
        "core_missing": [list(g) for g in p.core_missing],
        "by_whole_name": p.by_whole_name,
        "discount": p.discount,
    }


def _plain(value: Any) -> Any:
    """Tuples to lists, recursively, so the dict is what json.loads would give back."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
