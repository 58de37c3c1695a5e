"""The literal text a regular expression cannot match without.

``needles(pattern)`` gives strings of which every match of ``pattern``
contains at least one (``会议(名称|议题)`` → ``("会议",)``; ``报告|汇报`` →
``("报告", "汇报")``), or None when it cannot tell. A string that holds
none of them cannot match, so a caller can skip the regex search there: a
``str.find`` for two or three needles over the whole answer is far cheaper
than searching every line with every format pattern, most of which match
nowhere.

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
    if _p is None or not isinstance(pattern.pattern, str):
        return None
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - any surprise means no prefilter
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _of_sequence(list(parsed))
    if not found or any(not n or "\n" in n for n in found):
        return None
    return found


def _best(options: list[Need]) -> Need | None:
    """The requirement cheapest to test and least likely to be met by chance."""
    if not options:
        return None
    return min(options, key=lambda need: (len(need), -min(map(len, need))))


def _of_sequence(items: list[tuple[object, object]]) -> Need | None:
    """A sequence matches only if each item does: any one item's requirement holds."""
    options: list[Need] = []
    run: list[str] = []  # consecutive literal characters form one needle
    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))  # type: ignore[arg-type]
            continue
        if run:
            options.append(("".join(run),))
            run = []
        need = _of_item(op, av)
        if need:
            options.append(need)
    if run:
        options.append(("".join(run),))
    return _best(options)


def _of_item(op: object, av: object) -> Need | None:
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av  # type: ignore[misc]
        if add_flags & re.IGNORECASE:
            return None
        return _of_sequence(list(sub))
    if op is _c.ATOMIC_GROUP:
        return _of_sequence(list(av))  # type: ignore[call-overload]
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = av  # type: ignore[misc]
        return _of_sequence(list(sub)) if low >= 1 else None
    if op is _c.BRANCH:
        _, branches = av  # type: ignore[misc]
        out: list[str] = []
        for branch in branches:
            need = _of_sequence(list(branch))
            if not need:
                return None  # one branch needs nothing: the whole needs nothing
            out.extend(need)
        unique = tuple(dict.fromkeys(out))
        return unique if len(unique) <= MAX_NEEDLES else None
    if op is _c.IN:
        chars = []
        for kind, value in av:  # type: ignore[attr-defined]
            if kind is not _c.LITERAL:
                return None  # a range, a category or a negation
            chars.append(chr(value))
        return tuple(dict.fromkeys(chars)) if 0 < len(chars) <= MAX_NEEDLES else None
    return None
