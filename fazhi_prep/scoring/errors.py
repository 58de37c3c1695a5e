"""常见错误: wrong or outdated formulations, found on the normalised text.

An error is reported once (its first occurrence) with the span in the
original text, unless one of its ``unless`` phrases appears in the answer or
the question's prompt (e.g. a report on 2020 may quote the 2015—2020 纲要).
Errors with ``members`` also catch incomplete enumerations: two or more of
the members named together (gaps of at most ``window`` characters) but not
all of them.

Every phrase of a question's errors (wrong, unless, members) is looked up in
one Aho–Corasick pass over the answer, instead of a ``str.find`` per phrase.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from .normalize import Normalized, normalize_term
from .spec import CommonError


@dataclass(frozen=True, slots=True)
class ErrorHit:
    error: CommonError
    kind: str  # "wrong" (a wrong phrase) or "incomplete" (an enumeration missing members)
    start: int  # span in the original text
    end: int
    text: str  # the original text at the span
    missing: tuple[str, ...] = ()  # for "incomplete": the members not named


@dataclass(frozen=True, slots=True)
class _Compiled:
    error: CommonError
    wrong: tuple[str, ...]
    unless: tuple[str, ...]
    members: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class _Matcher:
    errors: tuple[_Compiled, ...]
    automaton: ahocorasick.Automaton | None  # every phrase, its own payload; None: no phrase
    # prompt -> which errors (indices) its own wording excuses (see ``unless``)
    excused: dict[str, frozenset[int]] = field(default_factory=dict)

    def excused_by(self, prompt_norm: str) -> frozenset[int]:
        out = self.excused.get(prompt_norm)
        if out is None:
            out = frozenset(i for i, c in enumerate(self.errors) if any(u in prompt_norm for u in c.unless))
            if len(self.excused) >= _BY_ID_SIZE:
                self.excused.clear()
            self.excused[prompt_norm] = out
        return out


@lru_cache(maxsize=64)
def _compile(errors: tuple[CommonError, ...]) -> _Matcher:
    out = []
    for err in errors:
        wrong = tuple(dict.fromkeys(w for w in map(normalize_term, err.wrong) if w))
        unless = tuple(u for u in map(normalize_term, err.unless) if u)
        members = tuple(
            alts for alts in (tuple(a for a in map(normalize_term, m) if a) for m in err.members) if alts
        )
        out.append(_Compiled(err, wrong, unless, members))
    phrases = {p for c in out for p in (*c.wrong, *c.unless, *(a for m in c.members for a in m))}
    if not phrases:
        return _Matcher(tuple(out), None)
    automaton = ahocorasick.Automaton()
    for phrase in sorted(phrases):
        automaton.add_word(phrase, phrase)
    automaton.make_automaton()
    return _Matcher(tuple(out), automaton)


# An answer is scored against the same (long-lived) question's errors again and
# again: hashing a dozen CommonError dataclasses for the lru_cache key each time
# cost more than the lookup. Entries hold the tuple itself, so its id stays its own.
_BY_ID: dict[int, tuple[tuple[CommonError, ...], _Matcher]] = {}
_BY_ID_SIZE = 64


def _matcher(errors: tuple[CommonError, ...]) -> _Matcher:
    entry = _BY_ID.get(id(errors))
    if entry is not None and entry[0] is errors:
        return entry[1]
    matcher = _compile(errors)
    if len(_BY_ID) >= _BY_ID_SIZE:
        _BY_ID.clear()
    _BY_ID[id(errors)] = (errors, matcher)
    return matcher


def _occurrences(automaton: ahocorasick.Automaton, norm: str) -> dict[str, list[int]]:
    """Each phrase found in ``norm``: its start offsets, in order (overlaps included)."""
    found: dict[str, list[int]] = {}
    for end, phrase in automaton.iter(norm):
        starts = found.get(phrase)
        if starts is None:
            found[phrase] = [end + 1 - len(phrase)]
        else:
            starts.append(end + 1 - len(phrase))
    return found


def _first(found: dict[str, list[int]], phrases: tuple[str, ...]) -> tuple[int, int] | None:
    """The earliest of ``phrases`` (on a tie, the one listed first)."""
    best = None
    for phrase in phrases:
        starts = found.get(phrase)
        if starts and (best is None or starts[0] < best[0]):
            best = (starts[0], starts[0] + len(phrase))
    return best


def _incomplete(
    found: dict[str, list[int]], members: tuple[tuple[str, ...], ...], window: int
) -> tuple[int, int, tuple[int, ...]] | None:
    """First cluster naming 2+ members but not all: (start, end, missing member indices)."""
    occ = [
        (i, i + len(alt), m_idx)
        for m_idx, alts in enumerate(members)
        for alt in alts
        for i in found.get(alt, ())
    ]
    if len(occ) < 2:
        return None
    occ.sort()
    clusters: list[list[tuple[int, int, int]]] = [[occ[0]]]
    reach = occ[0][1]  # the furthest end in the current cluster
    for o in occ[1:]:
        if o[0] - reach <= window:
            clusters[-1].append(o)
            reach = max(reach, o[1])
        else:
            clusters.append([o])
            reach = o[1]
    for cluster in clusters:
        named = {m for _, _, m in cluster}
        if 2 <= len(named) < len(members):
            start = cluster[0][0]
            end = max(e for _, e, _ in cluster)
            return start, end, tuple(i for i in range(len(members)) if i not in named)
    return None


def find_errors(
    errors: tuple[CommonError, ...], norm: Normalized, prompt_norm: str = ""
) -> list[ErrorHit]:
    matcher = _matcher(errors if isinstance(errors, tuple) else tuple(errors))
    if matcher.automaton is None:
        return []
    hits = []
    text = norm.text
    found = _occurrences(matcher.automaton, text)
    excused = matcher.excused_by(prompt_norm)
    for i, c in enumerate(matcher.errors):
        if i in excused or any(u in found for u in c.unless):
            continue
        at = _first(found, c.wrong)
        if at is not None:
            a, b = norm.span(*at)
            hits.append(ErrorHit(c.error, "wrong", a, b, norm.original[a:b]))
            continue
        if len(c.members) >= 2:
            inc = _incomplete(found, c.members, c.error.window)
            if inc is not None:
                a, b = norm.span(inc[0], inc[1])
                missing = tuple(c.error.members[i][0] for i in inc[2])
                hits.append(ErrorHit(c.error, "incomplete", a, b, norm.original[a:b], missing))
    hits.sort(key=lambda h: h.start)
    return hits
