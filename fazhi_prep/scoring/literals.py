"""The literal text a regular expression cannot match without.

``requirements(pattern)`` gives groups of strings such that every match of
``pattern`` contains at least one string of each group
(``(主要|工作)(安排|打算)`` → ``(("安排", "打算"), ("主要", "工作"))``), the
most selective group first; ``needles(pattern)`` is that first group, or
None when nothing is required. A string that misses a group cannot match,
so a caller can skip the regex search there: a ``str.find`` for two or three
needles over the whole answer, or a few ``in`` tests on a line, are far
cheaper than running the regex on every line with every format pattern,
most of which match nowhere (a pattern that does not start with a literal
is tried at every position of the line).

Read off the parsed pattern, conservatively: anything the reading does not
understand (flags that fold case, back-references, character classes with
ranges or categories, optional parts) yields no requirement, never a wrong one.
"""

from __future__ import annotations

import re

try:  # the parser is private API; without it there is simply no prefilter
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - other Pythons
    _c = _p = None

MAX_NEEDLES = 16  # more alternatives than this: cheaper to run the regex itself

Need = tuple[str, ...]  # any one of these strings


def needles(pattern: re.Pattern[str]) -> Need | None:
    """Strings of which every match of ``pattern`` contains one, or None."""
    found = requirements(pattern)
    return found[0] if found else None


def requirements(pattern: re.Pattern[str]) -> tuple[Need, ...]:
    """Groups of strings, each of which every match of ``pattern`` meets; best first."""
    if _p is None or not isinstance(pattern.pattern, str):
        return ()
    if pattern.flags & re.IGNORECASE:
        return ()
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - any surprise means no prefilter
        return ()
    if parsed.state.flags & re.IGNORECASE:
        return ()
    found = [need for need in _all_of(list(parsed)) if all(n and "\n" not in n for n in need)]
    return tuple(sorted(dict.fromkeys(found), key=_cost))


def _cost(need: Need) -> tuple[int, int]:
    """Fewer needles are fewer lookups; longer ones are rarer in a text."""
    return len(need), -min(map(len, need))


def _all_of(items: list[tuple[object, object]]) -> list[Need]:
    """A sequence matches only if each item does: every item's requirement holds."""
    out: list[Need] = []
    run: list[str] = []  # consecutive literal characters form one needle
    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))  # type: ignore[arg-type]
            continue
        if run:
            out.append(("".join(run),))
            run = []
        out.extend(_of_item(op, av))
    if run:
        out.append(("".join(run),))
    return out


def _best(items: list[tuple[object, object]]) -> Need | None:
    found = _all_of(items)
    return min(found, key=_cost) if found else None


def _of_item(op: object, av: object) -> list[Need]:
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av  # type: ignore[misc]
        if add_flags & re.IGNORECASE:
            return []
        return _all_of(list(sub))
    if op is _c.ATOMIC_GROUP:
        return _all_of(list(av))  # type: ignore[call-overload]
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = av  # type: ignore[misc]
        return _all_of(list(sub)) if low >= 1 else []
    if op is _c.BRANCH:
        # (A and B) or (C and D) is no conjunction of groups: one group per branch
        _, branches = av  # type: ignore[misc]
        out: list[str] = []
        for branch in branches:
            need = _best(list(branch))
            if not need:
                return []  # one branch needs nothing: the whole needs nothing
            out.extend(need)
        unique = tuple(dict.fromkeys(out))
        return [unique] if len(unique) <= MAX_NEEDLES else []
    if op is _c.IN:
        chars = []
        for kind, value in av:  # type: ignore[attr-defined]
            if kind is not _c.LITERAL:
                return []  # a range, a category or a negation
            chars.append(chr(value))
        return [tuple(dict.fromkeys(chars))] if 0 < len(chars) <= MAX_NEEDLES else []
    return []
