"""Word limits written in a prompt: "1000字", "1000-1200字", "不超过５００字" ..."""

from __future__ import annotations

import re
import unicodedata

_RANGE_SEP = r"\s*(?:-|－|~|～|〜|—{1,2}|–|―|至|到)\s*"
_NUM = r"\d{1,3}(?:,\d{3})+|\d+"
_CN_NUM = r"[零〇一二两三四五六七八九十百千]+"

# "1000-1200字", "1000字至1200字", "字数1000-1200"
_RANGE = re.compile(
    rf"(?P<lo>{_NUM})\s*字?{_RANGE_SEP}(?P<hi>{_NUM})\s*字"
    rf"|字数\D{{0,4}}?(?P<lo2>{_NUM}){_RANGE_SEP}(?P<hi2>{_NUM})"
)
_AT_LEAST = re.compile(rf"(?:不少于|不低于|至少|不得少于)\s*(?P<n>{_NUM})\s*字(?!以内|以下)")
_SINGLE = re.compile(rf"(?P<n>{_NUM})\s*字|字数\D{{0,6}}?(?P<n2>{_NUM})")
_CN_SINGLE = re.compile(rf"(?P<n>{_CN_NUM})字")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}

MIN_LIMIT = 10  # smaller numbers before 字 are not limits ("8字方针")


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def _cn_int(text: str) -> int | None:
    """一千二百 -> 1200; None unless it reads as a whole number with 百 or 千."""
    if not any(u in text for u in "百千"):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    return total + (digit or 0)


def parse_limit(prompt: str) -> tuple[int | None, int | None]:
    """(min, max) 字 from a prompt; "N字" is (None, N); no limit is (None, None).

    The last limit in the prompt wins (limits are written at its end).
    """
    text = unicodedata.normalize("NFKC", prompt or "")
    candidates: list[tuple[int, tuple[int | None, int | None]]] = []
    for m in _RANGE.finditer(text):
        lo, hi = _int(m["lo"] or m["lo2"]), _int(m["hi"] or m["hi2"])
        if MIN_LIMIT <= lo <= hi:
            candidates.append((m.end(), (lo, hi)))
    for m in _AT_LEAST.finditer(text):
        n = _int(m["n"])
        if n >= MIN_LIMIT:
            candidates.append((m.end(), (n, None)))
    taken = [(s, e) for m in _RANGE.finditer(text) for s, e in [m.span()]]
    taken += [m.span() for m in _AT_LEAST.finditer(text)]
    for m in _SINGLE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        n = _int(m["n"] or m["n2"])
        if n >= MIN_LIMIT:
            candidates.append((m.end(), (None, n)))
    for m in _CN_SINGLE.finditer(text):
        n = _cn_int(m["n"])
        if n is not None and n >= MIN_LIMIT:
            candidates.append((m.end(), (None, n)))
    if not candidates:
        return None, None
    candidates.sort(key=lambda c: c[0])
    lo, hi = candidates[-1][1]
    # "不少于800字，不超过1000字": a floor and a ceiling written apart
    if lo is None or hi is None:
        for _, (other_lo, other_hi) in reversed(candidates[:-1]):
            if lo is None and other_lo is not None and other_hi is None and other_lo <= hi:
                return other_lo, hi
            if hi is None and other_hi is not None and other_lo is None and lo <= other_hi:
                return lo, other_hi
    return lo, hi
