"""Plain data the scoring engine works on.

The bank loader (files) and the web app (database rows) both build these
objects, so the engine never sees YAML, SQLAlchemy or Flask.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Literal

ScoringMode = Literal["tiered", "proportional"]

# A term group written with this mark in front (``★法治督察 | 法治政府建设督察``)
# is a core group (核心提法): without one of its point's core groups the point
# earns nothing, so a point is not half-credited for its generic words alone
# (考核, 贯彻落实, 专题研究 appear in every official text).
CORE_MARK = "★"
# A group written with this mark (``=行政执法三项制度 | 三项制度``) names the
# point as a whole: found, it covers the point on its own, as a grader gives
# the 采分点 to “严格落实行政执法三项制度” without the three named one by one.
WHOLE_MARK = "="
GROUP_MARKS = CORE_MARK + WHOLE_MARK


# A gapped term (``执法…温度``): its parts must appear in this order within one
# clause (never across 。！？；or a line break), each within ``DEFAULT_GAP``
# characters of the one before (punctuation not counted), so “执法的温度” and
# “决策要严格履行法定程序” are found. ``执法…{12}温度`` sets the gap for that
# place; ``...`` and ``……`` work as well as ``…``.
GAP_MARK = "…"
DEFAULT_GAP = 8
MAX_GAP = 30
MAX_PARTS = 4
_GAP = re.compile(r"(?:…+|\.{3,})(?:\{\s*(\d*)\s*\})?")


@dataclass(frozen=True)
class Gapped:
    """A gapped term split: ``parts`` in order, ``gaps[i]`` allowed between part i and i+1."""

    parts: tuple[str, ...]
    gaps: tuple[int, ...]


class TermSyntaxError(ValueError):
    """A gapped term written wrong; the message is for the tutor (Chinese)."""


def parse_gapped(term: str) -> Gapped | None:
    """``term`` split at its gap marks, or None when it has none.

    Raises TermSyntaxError for an empty part, a missing/too large gap number
    or too many parts.
    """
    if "…" not in term and "..." not in term:
        return None
    parts: list[str] = []
    gaps: list[int] = []
    pos = 0
    for m in _GAP.finditer(term):
        parts.append(term[pos : m.start()].strip())
        if m.group(1) is not None:
            if not m.group(1):
                raise TermSyntaxError(f"“{term}”：{{}} 里应写间隔的字数，如 执法…{{12}}温度")
            gap = int(m.group(1))
            if not 1 <= gap <= MAX_GAP:
                raise TermSyntaxError(f"“{term}”：间隔应在 1 到 {MAX_GAP} 字之间")
        else:
            gap = DEFAULT_GAP
        gaps.append(gap)
        pos = m.end()
    parts.append(term[pos:].strip())
    if any(not p for p in parts):
        raise TermSyntaxError(f"“{term}”：省略号前后都要有词，如 执法…温度")
    if len(parts) > MAX_PARTS:
        raise TermSyntaxError(f"“{term}”：一个词最多分 {MAX_PARTS} 段")
    return Gapped(tuple(parts), tuple(gaps))


def unmarked(term: str) -> str:
    """A term as matched: without the mark of its group."""
    return term.strip().lstrip(GROUP_MARKS).strip()


@dataclass(frozen=True)
class Point:
    """One rubric 要点: covered when enough of its term groups appear.

    ``groups`` is a tuple of term groups; each group is a tuple of
    alternatives, any one of which counts as the group being present.
    ``need`` is how many groups make full coverage (None: all of them).
    ``core`` holds the indices of the core groups (see ``CORE_MARK``),
    ``whole`` those of the groups that name the whole point (``WHOLE_MARK``).
    """

    key: str
    label: str
    weight: float
    source: str
    groups: tuple[tuple[str, ...], ...]
    need: int | None = None
    area: str | None = None
    core: tuple[int, ...] = ()
    whole: tuple[int, ...] = ()

    @property
    def required(self) -> int:
        return min(self.need or len(self.groups), len(self.groups)) or 1


@dataclass(frozen=True)
class FormatRule:
    """One genre format element, checked by patterns on the answer's lines.

    ``where``: ``title`` (first non-empty line), ``head`` (first three
    non-empty lines), ``tail`` (last four non-empty lines) or ``body``
    (any line). ``patterns`` are regular expressions matched against each
    line after NFKC normalisation with whitespace removed; one match is
    enough unless ``match_all`` asks for every pattern.
    """

    key: str
    label: str
    expect: str
    where: Literal["title", "head", "tail", "body"]
    patterns: tuple[str, ...]
    weight: float = 1.0
    match_all: bool = False


@dataclass(frozen=True)
class Parts:
    """How 100 marks split between content, format and length."""

    content: float = 70.0
    format: float = 20.0
    length: float = 10.0


@dataclass(frozen=True)
class Rubric:
    points: tuple[Point, ...]
    format_rules: tuple[FormatRule, ...] = ()
    scoring: ScoringMode = "tiered"
    parts: Parts = field(default_factory=Parts)

    def fingerprint(self) -> str:
        """Stable hash of everything that affects a score: a new one means a new version."""
        data = asdict(self)
        for point in data["points"]:
            for mark in ("core", "whole"):  # rubrics without marks keep their fingerprints
                if not point[mark]:
                    del point[mark]
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CommonError:
    """A wrong or outdated formulation (常见错误) and its correction.

    ``unless`` lists phrases that, found in the answer or the question's
    prompt, make the formulation legitimate (e.g. an answer that cites the
    2015—2020 纲要 by name may quote its goal).
    """

    key: str
    wrong: tuple[str, ...]
    right: str
    explain: str
    unless: tuple[str, ...] = ()
    # Optional, for "incomplete enumeration" errors (e.g. the 行政执法三项制度):
    # each member is a tuple of alternatives; when at least two members are
    # named with gaps of at most ``window`` normalised characters but not all
    # of them, the enumeration is reported as incomplete.
    members: tuple[tuple[str, ...], ...] = ()
    window: int = 12


@dataclass(frozen=True)
class LengthRule:
    """Deduction for answers outside the limit (a tutor setting)."""

    free_ratio: float = 0.05  # this share over the maximum costs nothing
    per_chars: int = 10  # then one mark per this many 字 over
    max_deduction: float = 10.0
    soft_floor_ratio: float = 0.8  # under this share of N字 is a warning
    short_ratio: float = 0.5  # under this share of N字 the length marks scale down


@dataclass(frozen=True)
class Question:
    id: str
    genre: str
    limit_min: int | None
    limit_max: int | None
    rubric: Rubric
    prompt: str = ""
    materials: str = ""
    model_answers: tuple[str, ...] = ()
    common_errors: tuple[CommonError, ...] = ()
    length_rule: LengthRule = field(default_factory=LengthRule)
    error_deduction: float = 1.0  # marks per distinct common error


def split_marks(
    groups: list[list[str]] | tuple[tuple[str, ...], ...],
) -> tuple[tuple[tuple[str, ...], ...], tuple[int, ...], tuple[int, ...]]:
    """Term groups as written (marked) -> (plain groups, core indices, whole-point indices)."""
    plain: list[tuple[str, ...]] = []
    core: list[int] = []
    whole: list[int] = []
    for i, group in enumerate(groups):
        alts = [a.strip() for a in group]
        if alts and alts[0][:1] in GROUP_MARKS:
            (core if alts[0][0] == CORE_MARK else whole).append(i)
            alts[0] = unmarked(alts[0])
        plain.append(tuple(a for a in alts if a))
    return tuple(plain), tuple(core), tuple(whole)


def marked_groups(point: Point) -> list[list[str]]:
    """A point's term groups as written, marks restored."""
    def mark(i: int) -> str:
        return CORE_MARK if i in point.core else WHOLE_MARK if i in point.whole else ""

    return [[mark(i) + g[0], *g[1:]] for i, g in enumerate(point.groups)]
