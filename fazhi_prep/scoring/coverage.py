"""Rubric coverage: every term of a rubric in one Aho–Corasick automaton.

A rubric is compiled once per version (keyed by ``Rubric.fingerprint()``):
every alternative of every term group is normalised and added to one
automaton whose payload says which (point, group) pairs it serves. One pass
over the normalised answer yields every occurrence; each point then picks,
for each of its groups, one occurrence such that no two groups of the point
use overlapping text or the same phrase — a phrase counts once per point,
and repeating it earns nothing.

A gapped term (``执法…温度``, see ``spec.parse_gapped``) adds its parts to the
same automaton; a cheap second pass pairs the parts' hits in order, within
their gaps and within one clause, into one occurrence spanning them all.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from threading import Lock
from typing import NamedTuple

import ahocorasick

from .normalize import Normalized, normalize, normalize_term
from .spec import Point, Rubric, TermSyntaxError, parse_gapped

FULL_AT = 0.8  # tiered: full credit from this coverage (采分点 "about 80%")
HALF_AT = 0.4  # tiered: half credit from this coverage
MAX_SPANS = 50  # occurrences kept per group for highlighting
_EPS = 1e-9


class Occurrence(NamedTuple):
    """One occurrence of a term alternative in the normalised text."""

    start: int  # normalised offsets, end exclusive
    end: int
    term: str  # the alternative as written in the rubric
    group: int
    point: int
    parts: tuple[tuple[int, int], ...] = ()  # a gapped term: each part's span


@dataclass(frozen=True, slots=True)
class _GappedTarget:
    point: int
    group: int
    term: str
    parts: tuple[str, ...]  # normalised
    gaps: tuple[int, ...]
    part_ids: tuple[int, ...]  # the parts' word ids (CompiledRubric.part_words)


class GroupHit(NamedTuple):
    """The occurrence chosen for a group, plus the group's occurrences (capped)."""

    group: int
    chosen: Occurrence
    all: tuple[Occurrence, ...]
    count: int  # every occurrence of the group, uncapped


# Occurrences and group hits are built by the hundred per answer: tuple.__new__
# skips the Python-level __new__ that a NamedTuple call runs
_new = tuple.__new__


class PointCoverage:
    """One point's groups found and missing, and what follows from them.

    A plain class: a frozen dataclass sets each field through
    object.__setattr__ and a dataclass calls __post_init__ on top, a real cost
    at a dozen per answer.
    """

    __slots__ = ("point", "found", "missing", "core_missing", "by_whole_name", "coverage")

    def __init__(self, point: Point, found: tuple[GroupHit, ...], missing: tuple[int, ...]):
        self.point = point
        self.found = found
        self.missing = missing  # indices of groups not found
        core, whole = point.core, point.whole
        self.core_missing = core_missing = bool(core) and not any(h.group in core for h in found)
        # covered by a group naming the whole point (=)
        self.by_whole_name = by_whole = bool(whole) and any(h.group in whole for h in found)
        if core_missing:
            self.coverage = 0.0
        elif by_whole:
            self.coverage = 1.0
        else:
            self.coverage = min(1.0, len(found) / point.required)

    def __repr__(self) -> str:
        return f"PointCoverage({self.point.key!r}, found={len(self.found)}, coverage={self.coverage})"


# by point index: by group index: occurrences in text order
Occurrences = list[dict[int, list[Occurrence]]]


class CompiledRubric:
    """A rubric's automaton plus the bookkeeping to read its hits."""

    def __init__(self, rubric: Rubric):
        self.rubric = rubric
        self.fingerprint = ""  # set by compile_rubric
        self.points = rubric.points
        targets: dict[str, list[tuple[int, int, str]]] = {}
        self.gapped: list[_GappedTarget] = []
        # normalised part -> word id: the automaton reports each part word once per
        # position, whichever gapped terms share it
        self.part_words: dict[str, int] = {}
        for p_idx, point in enumerate(rubric.points):
            for g_idx, group in enumerate(point.groups):
                for alt in group:
                    try:
                        gapped = parse_gapped(alt)
                    except TermSyntaxError:  # bank check reports it; matched as written
                        gapped = None
                    if gapped is not None:
                        parts = tuple(normalize_term(x) for x in gapped.parts)
                        if all(parts):
                            ids = tuple(self.part_words.setdefault(x, len(self.part_words)) for x in parts)
                            self.gapped.append(_GappedTarget(p_idx, g_idx, alt, parts, gapped.gaps, ids))
                        continue
                    norm = normalize_term(alt)
                    if not norm:
                        continue
                    entry = targets.setdefault(norm, [])
                    if not any(t[0] == p_idx and t[1] == g_idx for t in entry):
                        entry.append((p_idx, g_idx, alt))
        self.terms = tuple(targets)  # normalised alternatives (the naive benchmark uses them)
        spans = [sum(map(len, g.parts)) + sum(g.gaps) for g in self.gapped]
        self.max_term = max((len(t) for t in targets), default=0)
        self.max_term = max([self.max_term, *spans])
        # gapped terms by their last part: only those whose last word occurs are tried
        self.gapped_by_last: dict[int, list[_GappedTarget]] = {}
        for target in self.gapped:
            self.gapped_by_last.setdefault(target.part_ids[-1], []).append(target)
        self.words = tuple(sorted(set(targets) | set(self.part_words)))  # every word in the automaton
        self.inner = _inner_words(len(self.points), targets, self.gapped)
        self.automaton = ahocorasick.Automaton()
        for norm in self.words:
            entry = tuple(targets.get(norm, ()))
            self.automaton.add_word(norm, (len(norm), entry, self.part_words.get(norm, -1)))
        self.empty = not self.words
        if not self.empty:
            self.automaton.make_automaton()

    def occurrences(self, norm: str, breaks: Callable[[], list[int]] | None = None) -> Occurrences:
        """Every occurrence of every alternative, by point and group, in text order.

        ``breaks``: gives the sorted normalised offsets where a clause starts
        (after 。！？；or a line break); a gapped term never spans one. Asked
        only when some gapped term has all its parts in the text.
        """
        by_point: Occurrences = [{} for _ in self.points]
        if self.empty or not norm:
            return by_point
        word_hits: dict[int, list[tuple[int, int]]] = {}
        new = _new
        for end, (length, entry, wid) in self.automaton.iter(norm):
            stop = end + 1
            start = stop - length
            for p_idx, g_idx, alt in entry:
                groups = by_point[p_idx]
                occ = new(Occurrence, (start, stop, alt, g_idx, p_idx, ()))
                occs = groups.get(g_idx)
                if occs is None:
                    groups[g_idx] = [occ]
                else:
                    occs.append(occ)
            if wid >= 0:
                spans = word_hits.get(wid)
                if spans is None:
                    word_hits[wid] = [(start, stop)]
                else:
                    spans.append((start, stop))
        if word_hits:
            self._pair_gapped(word_hits, by_point, breaks)
        return by_point

    def _pair_gapped(
        self,
        word_hits: dict[int, list[tuple[int, int]]],
        by_point: Occurrences,
        breaks: Callable[[], list[int]] | None,
    ) -> None:
        """Chain the part words' hits into gapped-term occurrences (in text order)."""
        clause_starts: list[int] | None = None
        for target in [t for wid in word_hits for t in self.gapped_by_last.get(wid, ())]:
            hits = [word_hits.get(w) for w in target.part_ids]
            if not all(hits):
                continue
            if clause_starts is None:
                clause_starts = breaks() if breaks else []
            found = _chain(hits, target.gaps, clause_starts)
            if not found:
                continue
            groups = by_point[target.point]
            occs = groups.setdefault(target.group, [])
            occs.extend(
                Occurrence(ps[0][0], ps[-1][1], target.term, target.group, target.point, ps)
                for ps in found
            )
            occs.sort(key=lambda o: (o.end, o.start))

    def assign(
        self, norm: str, by_point: Occurrences, keep: Callable[[Occurrence], bool] | None = None
    ) -> list[PointCoverage]:
        """Pick one occurrence per group, per point: no overlaps, no phrase twice.

        ``keep`` filters occurrences first (anti-gaming: text that does not count).
        """
        out = []
        max_term = self.max_term
        for point, groups, inner in zip(self.points, by_point, self.inner, strict=True):
            if keep is not None:
                groups = {g: kept for g, occs in groups.items() if (kept := [o for o in occs if keep(o)])}
            out.append(_assign_point(point, groups, norm, max_term, inner))
        return out


def _inner_words(
    n_points: int, targets: dict[str, list[tuple[int, int, str]]], gapped: list[_GappedTarget]
) -> list[frozenset[str]]:
    """Per point, its words that lie inside a longer word of the same point.

    Only an occurrence of such a word can lie inside another occurrence of the
    point (the text of the one is then part of the other's), so only those
    need their phrase looked up (``_Phrases``).
    """
    words: list[set[str]] = [set() for _ in range(n_points)]
    for word, entry in targets.items():
        for p_idx, _g, _alt in entry:
            words[p_idx].add(word)
    for target in gapped:
        words[target.point].update(target.parts)
    return [frozenset(w for w in ws if any(w != o and w in o for o in ws)) for ws in words]


def _chain(
    hits: list[list[tuple[int, int]]], gaps: tuple[int, ...], clause_starts: list[int]
) -> list[tuple[tuple[int, int], ...]]:
    """Part hits chained in order: each link at most its gap long, within one clause.

    Two parts (the common case) are paired from the rarer side, so a frequent
    first word (执法, 法治) costs no more than its rare partner (温度, 考核).
    """
    if len(hits) == 2 and len(hits[1]) < len(hits[0]):
        firsts = hits[0]
        ends = [e for _, e in firsts]  # one word: ends sorted like starts
        out = []
        for second in hits[1]:
            i = bisect_right(ends, second[0]) - 1
            if i >= 0 and _linked(firsts[i], second, gaps[0], clause_starts):
                out.append((firsts[i], second))
        return out
    out = []
    starts_of = [[s for s, _ in h] for h in hits]
    for first in hits[0]:
        chain = [first]
        for k in range(1, len(hits)):
            i = bisect_left(starts_of[k], chain[-1][1])
            if i == len(hits[k]) or not _linked(chain[-1], hits[k][i], gaps[k - 1], clause_starts):
                break
            chain.append(hits[k][i])
        if len(chain) == len(hits):
            out.append(tuple(chain))
    return out


def _linked(
    prev: tuple[int, int], nxt: tuple[int, int], gap: int, clause_starts: list[int]
) -> bool:
    """``nxt`` follows ``prev`` within ``gap`` characters and no clause starts between them."""
    if nxt[0] < prev[1] or nxt[0] - prev[1] > gap:
        return False
    j = bisect_left(clause_starts, prev[1])
    return not (j < len(clause_starts) and clause_starts[j] <= nxt[0])


def _assign_point(
    point: Point, groups: dict[int, list[Occurrence]], norm: str, max_term: int, inner: frozenset[str]
) -> PointCoverage:
    if not groups:
        return PointCoverage(point, (), tuple(range(len(point.groups))))
    capped = {g: occs if len(occs) <= MAX_SPANS else occs[:MAX_SPANS] for g, occs in groups.items()}
    phrases = _Phrases(capped, max_term, norm, inner) if inner and len(capped) > 1 else None
    used_phrases: set[str] = set()
    used_spans: list[tuple[int, int]] = []
    found: list[GroupHit] = []
    new = _new
    # core groups choose first (a generic group must not take the words the point's
    # own 提法 needs, e.g. 一把手工程 against 法治…一把手), then those with the
    # fewest candidates
    core = point.core
    order = sorted(capped, key=lambda g: (g not in core, len(groups[g]), g)) if len(capped) > 1 else capped
    for g_idx in order:
        for occ in capped[g_idx]:
            if occ.parts:  # a gapped term's parts are its text: the words between are free
                pieces = [phrases.of(p) for p in occ.parts] if phrases else list(occ.parts)
                phrase = "…".join(norm[s:e] for s, e in pieces)
                if phrase in used_phrases:
                    continue
                if used_spans and any(s < ue and us < e for s, e in pieces for us, ue in used_spans):
                    continue
                used_spans.extend(pieces)
            else:
                s, e = phrases.of((occ.start, occ.end)) if phrases else (occ.start, occ.end)
                phrase = norm[s:e]
                if phrase in used_phrases:
                    continue
                if used_spans and any(s < ue and us < e for us, ue in used_spans):
                    continue
                used_spans.append((s, e))
            used_phrases.add(phrase)
            found.append(new(GroupHit, (g_idx, occ, tuple(capped[g_idx]), len(groups[g_idx]))))
            break
    found.sort(key=_GROUP)
    have = {h.group for h in found}
    missing = tuple(g for g in range(len(point.groups)) if g not in have)
    return PointCoverage(point, tuple(found), missing)


_GROUP = itemgetter(0)


class _Phrases:
    """For a span, the longest span of this point containing it (its phrase).

    A gapped occurrence contributes its parts, not the stretch between them.
    Only spans of the point's ``inner`` words can lie inside another: the rest
    are their own phrase. Worked out on demand: a point's assignment looks at
    a handful of its occurrences, and most points nest none of them.
    """

    __slots__ = ("groups", "max_term", "norm", "inner", "spans", "starts")

    def __init__(self, groups: dict[int, list[Occurrence]], max_term: int, norm: str, inner: frozenset[str]):
        self.groups = groups
        self.max_term = max_term
        self.norm = norm
        self.inner = inner
        self.spans: list[tuple[int, int]] = []
        self.starts: list[int] = []

    def of(self, span: tuple[int, int]) -> tuple[int, int]:
        s, e = span
        if self.norm[s:e] not in self.inner:
            return span
        if not self.spans:
            self.spans = sorted(
                {p for occs in self.groups.values() for o in occs for p in (o.parts or ((o.start, o.end),))}
            )
            self.starts = [a for a, _ in self.spans]
        spans, starts = self.spans, self.starts
        best = span
        for i in range(bisect_left(starts, e - self.max_term), bisect_right(starts, s)):
            s2, e2 = spans[i]
            if e2 >= e and e2 - s2 > best[1] - best[0]:
                best = (s2, e2)
        return best


def credit(coverage: float, mode: str) -> float:
    """Share of a point's weight earned at this coverage."""
    if mode == "proportional":
        return coverage
    if coverage >= FULL_AT - _EPS:
        return 1.0
    if coverage >= HALF_AT - _EPS:
        return 0.5
    return 0.0


# -- compiled-rubric cache: one automaton per rubric version --------------

_CACHE: OrderedDict[str, CompiledRubric] = OrderedDict()
_CACHE_SIZE = 128
_LOCK = Lock()


@lru_cache(maxsize=512)
def _fingerprint(rubric: Rubric) -> str:
    return rubric.fingerprint()


# Scoring asks for the same (long-lived, immutable) Rubric object answer after
# answer: found by identity first, before hashing every point and term for the
# fingerprint memo. Entries hold the rubric itself, so its id stays its own.
_BY_ID: dict[int, tuple[Rubric, CompiledRubric]] = {}


def compile_rubric(rubric: Rubric) -> CompiledRubric:
    """The compiled form of ``rubric``, built once per ``Rubric.fingerprint()``."""
    known = _BY_ID.get(id(rubric))
    if known is not None and known[0] is rubric:
        return known[1]
    try:
        fp = _fingerprint(rubric)
    except TypeError:  # built with lists somewhere: unhashable (mutable), so not memoised
        return _compiled_for(rubric.fingerprint(), rubric)
    compiled = _compiled_for(fp, rubric)
    if len(_BY_ID) >= _CACHE_SIZE:
        _BY_ID.clear()
    _BY_ID[id(rubric)] = (rubric, compiled)
    return compiled


def _compiled_for(fp: str, rubric: Rubric) -> CompiledRubric:
    with _LOCK:
        compiled = _CACHE.get(fp)
        if compiled is not None:
            _CACHE.move_to_end(fp)
            return compiled
    compiled = CompiledRubric(rubric)
    compiled.fingerprint = fp
    with _LOCK:
        _CACHE[fp] = compiled
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return compiled


def cache_info() -> dict[str, int]:
    return {"compiled": len(_CACHE), "fingerprints": _fingerprint.cache_info().currsize}


def point_coverage(rubric: Rubric, text: str | Normalized) -> list[PointCoverage]:
    compiled = compile_rubric(rubric)
    norm = text if isinstance(text, Normalized) else normalize(text)
    return compiled.assign(norm.text, compiled.occurrences(norm.text, norm.clause_starts))


def coverage_of(rubric: Rubric, text: str) -> float:
    """Covered share of the rubric's content weight, 0–1 (Σ weight·coverage / Σ weight).

    Cheap: no format, length or anti-gaming checks. Used by ``bank check``.
    """
    covered = point_coverage(rubric, text)
    total = sum(max(c.point.weight, 0.0) for c in covered)
    if total <= 0:
        return 0.0
    return sum(max(c.point.weight, 0.0) * c.coverage for c in covered) / total
