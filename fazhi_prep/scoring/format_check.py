"""Genre format checks: each FormatRule's patterns against the answer's lines.

Lines are the answer's non-empty lines, NFKC-normalised (full-width
letters, digits and brackets become half-width, "：" becomes ":") with all
whitespace removed. ``where`` picks the lines a rule looks at: the first
line (title), the first three (head), the last four (tail) or all (body).

Speed: most patterns match no line of a given answer, and searching every
line with every pattern was most of the cost. Each pattern's required
literals (``literals.requirements``) are looked up in the page's lines
joined into one string first, and only lines holding them are searched.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import compress, count
from typing import NamedTuple

from .literals import Need, requirements
from .normalize import nfkc
from .spec import FormatRule

HEAD_LINES = 3
TAIL_LINES = 4
SEEK_FROM = 3  # needles in a group from which one regex finds them faster than str.find each


class Line(NamedTuple):
    text: str  # normalised: NFKC, no whitespace
    start: int  # span of the line in the original text
    end: int


class FormatCheck(NamedTuple):
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
        # str.split() and the regex \s agree on what whitespace is (both ask
        # Py_UNICODE_ISSPACE), and split/join skips the regex machinery
        norm = "".join(norm_raw.split())
        if norm:
            lines.append(Line(norm, pos + len(raw) - len(raw.lstrip()), pos + len(raw.rstrip())))
        pos += len(raw)
    return lines


class _Page:
    """The lines' texts, and the same joined by line breaks for the literal lookups."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.texts = [line.text for line in lines]
        self.joined = "\n".join(self.texts)
        starts = []
        pos = 0
        for t in self.texts:
            starts.append(pos)
            pos += len(t) + 1
        self.starts = starts

    def first(self, compiled: _Compiled, start: int, stop: int) -> int | None:
        """The first line in ``[start, stop)`` that the pattern matches."""
        if start >= stop:
            return None
        texts = self.texts
        pattern, reqs, seek = compiled
        if not reqs:
            # the lines are scanned by map/compress in C; the first hit stops it
            return next(compress(count(start), map(pattern.search, texts[start:stop])), None)
        # a line that misses a required literal cannot match: go from one line
        # holding the first group's literals to the next, and run the regex only
        # on those that hold the other groups' too
        need, others = reqs[0], reqs[1:]
        joined, starts = self.joined, self.starts
        pos, hi = starts[start], starts[stop - 1] + len(texts[stop - 1])
        ahead = [joined.find(n, pos, hi) for n in need] if seek is None else []  # -1: none left
        while True:
            if seek is not None:
                found = seek.search(joined, pos, hi)
                at = found.start() if found else -1
            elif len(ahead) == 1:
                if 0 <= ahead[0] < pos:
                    ahead[0] = joined.find(need[0], pos, hi)
                at = ahead[0]
            else:
                # each needle is looked for again only once the search has passed it
                ahead = [a if a < 0 or a >= pos else joined.find(n, pos, hi) for a, n in zip(ahead, need, strict=True)]
                at = min([a for a in ahead if a >= 0], default=-1)
            if at < 0:
                return None
            i = bisect_right(starts, at) - 1
            line = texts[i]
            if (not others or _holds(line, others)) and pattern.search(line):
                return i
            pos = starts[i] + len(line) + 1  # the next line


def _holds(line: str, groups: tuple[Need, ...]) -> bool:
    """Does ``line`` hold a literal of every group?"""
    for group in groups:
        for word in group:
            if word in line:
                break
        else:
            return False
    return True


class _Compiled(NamedTuple):
    pattern: re.Pattern[str]
    reqs: tuple[Need, ...]  # literals the pattern requires, most selective group first
    # finds the first group's earliest literal when it has many (the regex engine
    # tries every alternative at a position before moving on); a few: str.find each
    seek: re.Pattern[str] | None


@lru_cache(maxsize=1024)
def _compiled(patterns: tuple[str, ...]) -> tuple[_Compiled, ...]:
    out = []
    for p in patterns:
        pattern = re.compile(p)
        reqs = requirements(pattern)
        seek = re.compile("|".join(map(re.escape, reqs[0]))) if reqs and len(reqs[0]) > SEEK_FROM else None
        out.append(_Compiled(pattern, reqs, seek))
    return tuple(out)


def _window(n: int, where: str) -> tuple[int, int]:
    if where == "title":
        return 0, min(n, 1)
    if where == "head":
        return 0, min(n, HEAD_LINES)
    if where == "tail":
        return max(0, n - TAIL_LINES), n
    return 0, n


def check_rule(rule: FormatRule, lines: list[Line] | _Page) -> FormatCheck:
    page = lines if isinstance(lines, _Page) else _Page(lines)
    start, stop = _window(len(page.texts), rule.where)
    first: int | None = None
    if rule.match_all:
        for compiled in _compiled(rule.patterns):
            hit = page.first(compiled, start, stop)
            if hit is None:
                return FormatCheck(rule, False, None, None)
            first = hit if first is None else min(first, hit)
    else:
        # pattern by pattern, each searching only above the best line so far
        for compiled in _compiled(rule.patterns):
            hit = page.first(compiled, start, stop if first is None else first)
            if hit is not None:
                first = hit
    if first is None:
        return FormatCheck(rule, False, None, None)
    line = page.lines[first]
    return FormatCheck(rule, True, first, (line.start, line.end))


def check_format(rules: tuple[FormatRule, ...], text: str) -> list[FormatCheck]:
    page = _Page(split_lines(text))
    return [check_rule(rule, page) for rule in rules]
