"""常见错误: wrong or outdated formulations, found on the normalised text.

An error is reported once (its first occurrence) with the span in the
original text, unless one of its ``unless`` phrases appears in the answer or
the question's prompt (e.g. a report on 2020 may quote the 2015—2020 纲要).
Errors with ``members`` also catch incomplete enumerations: two or more of
the members named together (gaps of at most ``window`` characters) but not
all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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


@lru_cache(maxsize=64)
def _compile(errors: tuple[CommonError, ...]) -> tuple[_Compiled, ...]:
    out = []
    for err in errors:
        wrong = tuple(dict.fromkeys(w for w in map(normalize_term, err.wrong) if w))
        unless = tuple(u for u in map(normalize_term, err.unless) if u)
        members = tuple(
            alts for alts in (tuple(a for a in map(normalize_term, m) if a) for m in err.members) if alts
        )
        out.append(_Compiled(err, wrong, unless, members))
    return tuple(out)


def _first(norm: str, phrases: tuple[str, ...]) -> tuple[int, int] | None:
    best = None
    for phrase in phrases:
        i = norm.find(phrase)
        if i >= 0 and (best is None or i < best[0]):
            best = (i, i + len(phrase))
    return best


def _incomplete(
    norm: str, members: tuple[tuple[str, ...], ...], window: int
) -> tuple[int, int, tuple[int, ...]] | None:
    """First cluster naming 2+ members but not all: (start, end, missing member indices)."""
    occ = []
    for m_idx, alts in enumerate(members):
        for alt in alts:
            i = norm.find(alt)
            while i >= 0:
                occ.append((i, i + len(alt), m_idx))
                i = norm.find(alt, i + 1)
    if len(occ) < 2:
        return None
    occ.sort()
    clusters: list[list[tuple[int, int, int]]] = [[occ[0]]]
    for o in occ[1:]:
        last_end = max(e for _, e, _ in clusters[-1])
        if o[0] - last_end <= window:
            clusters[-1].append(o)
        else:
            clusters.append([o])
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
    hits = []
    text = norm.text
    for c in _compile(tuple(errors)):
        if any(u in text or u in prompt_norm for u in c.unless):
            continue
        found = _first(text, c.wrong)
        if found is not None:
            a, b = norm.span(*found)
            hits.append(ErrorHit(c.error, "wrong", a, b, norm.original[a:b]))
            continue
        if len(c.members) >= 2:
            inc = _incomplete(text, c.members, c.error.window)
            if inc is not None:
                a, b = norm.span(inc[0], inc[1])
                missing = tuple(c.error.members[i][0] for i in inc[2])
                hits.append(ErrorHit(c.error, "incomplete", a, b, norm.original[a:b], missing))
    hits.sort(key=lambda h: h.start)
    return hits
