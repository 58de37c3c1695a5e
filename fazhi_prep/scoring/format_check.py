"""Genre format checks: each FormatRule's patterns against the answer's lines.

Lines are the answer's non-empty lines, NFKC-normalised (full-width
letters, digits and brackets become half-width, "：" becomes ":") with all
whitespace removed. ``where`` picks the lines a rule looks at: the first
line (title), the first three (head), the last four (tail) or all (body).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .normalize import nfkc
from .spec import FormatRule

HEAD_LINES = 3
TAIL_LINES = 4
_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Line:
    text: str  # normalised: NFKC, no whitespace
    start: int  # span of the line in the original text
    end: int


@dataclass(frozen=True, slots=True)
class FormatCheck:
    rule: FormatRule
    ok: bool
    line: int | None  # index among non-empty lines of the (first) matching line
    span: tuple[int, int] | None  # where that line is in the original text


def split_lines(text: str) -> list[Line]:
    # NFKC character by character never adds or removes a line break, so the
    # normalised text has the same lines as the original
    raw_lines = text.splitlines(keepends=True)
    norm_lines = nfkc(text).splitlines()
    lines = []
    pos = 0
    for raw, norm_raw in zip(raw_lines, norm_lines, strict=True):
        norm = _WS.sub("", norm_raw)
        if norm:
            stripped = raw.strip()
            lead = len(raw) - len(raw.lstrip())
            lines.append(Line(norm, pos + lead, pos + lead + len(stripped)))
        pos += len(raw)
    return lines


@lru_cache(maxsize=1024)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)



def _window(lines: list[Line], where: str) -> range:
    n = len(lines)
    if where == "title":
        return range(min(n, 1))
    if where == "head":
        return range(min(n, HEAD_LINES))
    if where == "tail":
        return range(max(0, n - TAIL_LINES), n)
    return range(n)


def check_rule(rule: FormatRule, lines: list[Line]) -> FormatCheck:
    window = _window(lines, rule.where)
    first: int | None = None
    if rule.match_all:
        for pattern in _compiled(rule.patterns):
            hit = next((i for i in window if pattern.search(lines[i].text)), None)
            if hit is None:
                return FormatCheck(rule, False, None, None)
            first = hit if first is None else min(first, hit)
    else:
        first = _first_line_of_any(_compiled(rule.patterns), lines, window)
    if first is None:
        return FormatCheck(rule, False, None, None)
    line = lines[first]
    return FormatCheck(rule, True, first, (line.start, line.end))


def _first_line_of_any(
    patterns: tuple[re.Pattern[str], ...], lines: list[Line], window: range
) -> int | None:
    """The first line in ``window`` that any of ``patterns`` matches.

    Pattern by pattern, each searching only above the best line so far: a
    pattern with a literal (报告, 下一步) is found by the regex engine's fast
    literal scan, which one alternation of all the patterns would disable.
    """
    first: int | None = None
    for pattern in patterns:
        stop = window.stop if first is None else first
        for i in range(window.start, stop):
            if pattern.search(lines[i].text):
                first = i
                break
    return first


def check_format(rules: tuple[FormatRule, ...], text: str) -> list[FormatCheck]:
    lines = split_lines(text)
    return [check_rule(rule, lines) for rule in rules]
