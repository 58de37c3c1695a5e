"""Normalisation for matching, with a map back to the original text.

Traditional script is matched as simplified: the text is first converted
with OpenCC ``t2s`` (once per answer), so 執法溫度 matches 执法温度 and the
rubric needs no traditional spellings. The conversion is kept one character
for one character (``simplified``), so offsets into the converted text are
offsets into the candidate's own text and highlights land on their
characters; 字数 is unaffected.

Then matching ignores punctuation, symbols, whitespace and full/half-width
differences: every character is NFKC-normalised on its own, ASCII is
lower-cased, and whatever is then punctuation (P*), a symbol (S*), a
separator (Z*) or a control/format character (C*) is dropped. What remains
is the *normalised text*; ``positions[i]`` is the index in the original text
of the character that produced normalised character ``i``, so a hit at
normalised ``[a, b)`` is highlighted at original ``[positions[a],
positions[b - 1] + 1)``.

Speed: characters are classified once and remembered (CJK ideographs need
no classification); the text is then processed with a few regular
expressions rather than character by character.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain
from threading import Lock

import opencc

_DROP_CATEGORIES = ("P", "S", "Z", "C")
_CLAUSE_END = re.compile(r"[。！？；!?;\n]")


def _normalise_char(ch: str) -> str:
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        if unicodedata.category(c)[0] in _DROP_CATEGORIES:
            continue
        out.append(c.lower() if c.isascii() else c)
    return "".join(out)


def nfkc_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


class _Classes:
    """What is known about every character seen so far (CJK ideographs are implicit)."""

    def __init__(self) -> None:
        self.lock = Lock()
        self.table: dict[str, str] = {}  # char -> normalised form, for dropped/changed chars
        self.nfkc: dict[str, str] = {}  # char -> NFKC form, where it differs (format checks)
        self.known: set[str] = set()
        self.dropped: set[str] = set()
        self.changed: set[str] = set()  # kept, but normalised to one other character
        self.expanding: set[str] = set()  # normalised to two or more characters
        # the text learned last: score() learns each answer twice (normalize, then
        # the format checks' nfkc), and the second scan would find nothing new
        self.last: str = ""
        self._compile()

    @staticmethod
    def _cls(chars: set[str], negate: bool = False, extra: str = "") -> str:
        body = extra + "".join(re.escape(c) for c in sorted(chars))
        if negate:
            return f"[^{body}]" if body else "[\\s\\S]"
        return f"[{body}]" if body else "(?!)"

    def _compile(self) -> None:
        # CJK Unified Ideographs are kept as they are: never need learning
        self.unknown_re = re.compile(self._cls(self.known, True, extra="\u4e00-\u9fff"))
        # split with the dropped runs captured: kept and dropped pieces alternate
        self.split_re = re.compile("(" + self._cls(self.dropped) + "+)")
        self.change_re = re.compile(self._cls(self.changed))
        self.expand_re = re.compile(self._cls(self.expanding))
        self.nfkc_re = re.compile(self._cls(set(self.nfkc)))

    def learn(self, text: str) -> None:
        if text is self.last:
            return
        unknown = set(self.unknown_re.findall(text))
        if not unknown:
            self.last = text
            return
        with self.lock:
            for ch in unknown - self.known:
                norm = _normalise_char(ch)
                if norm != ch:
                    self.table[ch] = norm
                if not norm:
                    self.dropped.add(ch)
                elif len(norm) > 1:
                    self.expanding.add(ch)
                elif norm != ch:
                    self.changed.add(ch)
                n = nfkc_char(ch)
                if n != ch:
                    self.nfkc[ch] = n
                self.known.add(ch)
            self._compile()
            self.last = text


_C = _Classes()


@dataclass(frozen=True, slots=True)
class Normalized:
    """Normalised text plus, for each of its characters, the original index."""

    original: str
    text: str
    positions: list[int]
    # original spans of the runs of kept characters (the text's fragments between
    # punctuation and spaces); empty when a character expands under NFKC
    runs: tuple[tuple[int, int], ...] = ()
    # clause_starts(), worked out once (gapped terms and the 堆砌 check both ask)
    _clauses: list[list[int]] = field(default_factory=list, compare=False, repr=False)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` of normalised ``[start, end)`` (end exclusive)."""
        if end <= start:
            pos = self.positions[start] if start < len(self.positions) else len(self.original)
            return pos, pos
        return self.positions[start], self.positions[end - 1] + 1

    def clause_starts(self) -> list[int]:
        """Sorted normalised offsets where a clause starts (after 。！？；, ! ? ; or a line break)."""
        if not self._clauses:
            positions = self.positions
            self._clauses.append(
                [bisect_left(positions, m.start()) for m in _CLAUSE_END.finditer(self.original)]
            )
        return self._clauses[0]

    def excerpt(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.original[a:b]


_T2S = opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def _char_t2s(ch: str) -> str:
    out = _T2S.convert(ch)
    return out if len(out) == 1 else ch


def simplified(text: str) -> str:
    """``text`` in simplified characters, one character for one (same length, same offsets).

    OpenCC converts by phrase; on the rare phrase whose conversion changes
    length, the text is converted character by character instead.
    """
    if not text:
        return text
    out = _T2S.convert(text)
    if len(out) == len(text):
        return out
    return "".join(_char_t2s(ch) for ch in text)


def _map_change(m: re.Match[str]) -> str:
    return _C.table[m.group()]


def normalize(text: str, simple: str | None = None) -> Normalized:
    """Normalise ``text`` for matching; see the module docstring.

    ``simple``: ``simplified(text)`` when the caller already has it.
    """
    original = text
    text = simplified(text) if simple is None else simple
    c = _C
    c.learn(text)
    if c.expanding and c.expand_re.search(text):
        return _normalize_slow(original, text)
    # one regex pass: kept pieces at even indices, dropped runs (maximal) between
    pieces = c.split_re.split(text)
    ends = list(accumulate(map(len, pieces)))
    starts, stops = [0, *ends[1::2]], ends[::2]  # of the kept pieces
    positions = list(chain.from_iterable(map(range, starts, stops)))
    runs = list(zip(starts, stops, strict=True))
    # only the first and last kept pieces can be empty (the text starts or ends dropped)
    if runs[-1][0] == runs[-1][1]:
        runs.pop()
    if runs and runs[0][0] == runs[0][1]:
        del runs[0]
    norm = "".join(pieces[::2])
    if c.changed and c.change_re.search(norm):
        norm = c.change_re.sub(_map_change, norm)
    return Normalized(original, norm, positions, tuple(runs))


def _normalize_slow(original: str, text: str) -> Normalized:
    out: list[str] = []
    positions: list[int] = []
    table = _C.table
    for i, ch in enumerate(text):
        norm = table.get(ch, ch)
        out.append(norm)
        positions.extend([i] * len(norm))
    return Normalized(original, "".join(out), positions)


def nfkc(text: str) -> str:
    """NFKC, character by character (the format checks' view of a line)."""
    c = _C
    c.learn(text)
    # a few distinct characters (，：（）) recur: one C-level replace per character
    # instead of a Python callback per occurrence. NFKC output is stable under NFKC,
    # so a replacement never introduces a character that is replaced later.
    for ch in set(c.nfkc_re.findall(text)) if c.nfkc else ():
        text = text.replace(ch, c.nfkc[ch])
    return text


@lru_cache(maxsize=8192)
def normalize_term(term: str) -> str:
    """The normalised form of a rubric term, error phrase or pattern word."""
    return normalize(term).text
