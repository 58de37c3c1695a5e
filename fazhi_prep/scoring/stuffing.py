"""keyword_stuffing (堆砌): see gaming.py for how it decides."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from .gaming import GamingCheck
from .normalize import Normalized
from .stock import stock_mask

BARE_COVER = 0.8
SENTENCE_MIN = 8
REPEAT_MIN = 4
LIST_RUN = 6
STUFFED_EVIDENCE = 3
MIN_TEXT = 20  # shorter answers are too short to judge

# a word list laid out as text: a line of many short items separated by
# spaces, 顿号 or commas and no sentence mark (no one writes prose that way)
_LINE_SENTENCE = re.compile(r"[。！？；!?;]")
_ITEM_SEP = re.compile(r"[\s\u3000、，,]+")
LIST_LINE_ITEMS = 5
LIST_LINE_ITEM_LEN = 6


def list_line_share(original: str, n: int) -> float:
    """Share of the (normalised) text in lines that are bare word lists."""
    if not n:
        return 0.0
    listed = 0
    for line in original.splitlines():
        if _LINE_SENTENCE.search(line):
            continue
        items = [t for t in _ITEM_SEP.split(line) if t]
        chars = sum(len(t) for t in items)
        if len(items) >= LIST_LINE_ITEMS and chars / len(items) <= LIST_LINE_ITEM_LEN:
            listed += chars
    return min(1.0, listed / n)


def _fragments(norm: Normalized) -> tuple[list[int], list[int]]:
    """Fragments (text between punctuation marks, spaces, line breaks): their
    normalised starts and ends."""
    positions = norm.positions
    if not positions:
        return [], []
    if norm.runs:  # fast path: each kept character maps to exactly one
        ends = list(accumulate(b - a for a, b in norm.runs))
        return [0, *ends[:-1]], ends
    starts, ends = [0], []
    for i in range(1, len(positions)):
        if positions[i] - positions[i - 1] > 1:
            ends.append(i)
            starts.append(i)
    ends.append(len(positions))
    return starts, ends


def _covered(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of ``spans``: sorted, disjoint spans."""
    out: list[tuple[int, int]] = []
    start, end = 0, -1  # the span being grown; end -1: none yet
    for a, b in sorted(set(spans)):
        if a <= end:
            if b > end:
                end = b
            continue
        if end >= 0:
            out.append((start, end))
        start, end = a, b
    if end >= 0:
        out.append((start, end))
    return out


def _bare(starts: list[int], ends: list[int], covered: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Fragments that terms cover ``BARE_COVER`` of, as (index, start, end) in order.

    Walks the covered spans (fewer than the fragments, most of which hold no
    term) and the fragments each one touches.
    """
    hit: dict[int, int] = {}
    last = len(starts)
    for a, b in covered:
        i = bisect_right(ends, a)  # the first fragment ending after a
        while i < last and starts[i] < b:
            s, e = starts[i], ends[i]
            hit[i] = hit.get(i, 0) + (b if b < e else e) - (a if a > s else s)
            i += 1
    return [(i, starts[i], ends[i]) for i in sorted(hit) if hit[i] >= BARE_COVER * (ends[i] - starts[i])]


def _repeated(text: str, starts: list[int], ends: list[int]) -> int:
    """Characters in fragments of ``REPEAT_MIN``+ characters that occurred before.

    Each distinct fragment counts once as the first; dict.fromkeys keeps one
    of each, in C.
    """
    frags = [text[s:e] for s, e in zip(starts, ends, strict=True) if e - s >= REPEAT_MIN]
    return sum(map(len, frags)) - sum(map(len, dict.fromkeys(frags)))


def _sentences(norm: Normalized) -> int:
    """Stretches between sentence marks / line breaks with ``SENTENCE_MIN``+ characters."""
    bounds = [*norm.clause_starts(), len(norm.positions)]
    count = 0
    prev = 0
    for b in bounds:
        if b - prev >= SENTENCE_MIN:
            count += 1
        prev = b
    return count


def _list_runs(bare: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Spans of ``LIST_RUN``+ consecutive bare fragments (``bare`` as from ``_scan``)."""
    out = []
    first = 0  # where the current run of consecutive fragments starts in ``bare``
    for k in range(1, len(bare) + 1):
        if k == len(bare) or bare[k][0] != bare[k - 1][0] + 1:
            if k - first >= LIST_RUN:
                out.append((bare[first][1], bare[k - 1][2]))
            first = k
    return out


def check_stuffing(norm: Normalized, term_spans: list[tuple[int, int]]) -> GamingCheck:
    text = norm.text
    n = len(text)
    if n < MIN_TEXT:
        return GamingCheck(False, "")
    covered = _covered(term_spans)
    density = sum(b - a for a, b in covered) / n
    starts, ends = _fragments(norm)
    count = len(starts)
    bare = _bare(starts, ends, covered)
    repeated = _repeated(text, starts, ends)
    if bare:
        # an official enumeration (公众参与、专家论证……) is not a list of the writer's own
        stock = stock_mask(text)
        bare = [(i, s, e) for i, s, e in bare if stock.count(1, s, e) < e - s]
    mean_frag = n / count
    per100 = _sentences(norm) * 100 / n
    repeat = repeated / n
    listed = list_line_share(norm.original, n)

    list_spans = _list_runs(bare)
    list_chars = sum(e - s for s, e in list_spans)

    bare_share = sum(e - s for _, s, e in bare) / n
    evidence = 0
    evidence += 3 if bare_share >= 0.6 else 2 if bare_share >= 0.4 else 1 if bare_share >= 0.25 else 0
    evidence += 3 if density >= 0.75 else 2 if density >= 0.6 else 1 if density >= 0.45 else 0
    evidence += 1 if per100 < 1.0 else 0
    evidence += 1 if mean_frag < 5 else 0
    evidence += 3 if repeat >= 0.5 else 2 if repeat >= 0.4 else 1 if repeat >= 0.25 else 0
    # whatever the rubric: a text laid out as word lists is not an answer
    evidence += 3 if listed >= 0.4 else 2 if listed >= 0.25 else 0
    detail = {
        "bare_share": round(bare_share, 3),
        "density": round(density, 3),
        "sentences_per_100": round(per100, 2),
        "mean_fragment": round(mean_frag, 2),
        "repeated": round(repeat, 3),
        "list_lines": round(listed, 3),
    }

    whole = evidence >= STUFFED_EVIDENCE
    if not whole and not list_spans:
        return GamingCheck(False, "", (), detail)
    if whole:
        spans = [(0, n)]
        what = []
        if bare_share >= 0.25:
            what.append(f"{bare_share:.0%}的文字是孤立罗列的关键词")
        if density >= 0.45:
            what.append(f"评分关键词占全文的{density:.0%}")
        if per100 < 1.0:
            what.append("几乎没有完整的句子")
        if mean_frag < 5:
            what.append("多为零散的词语")
        if repeat >= 0.25:
            what.append(f"重复语句占{repeat:.0%}")
        if listed >= 0.25:
            what.append(f"{listed:.0%}的文字是用空格或顿号隔开的词语罗列")
        reason = (
            "答案像是关键词堆砌（" + "，".join(what) + "）。"
            "堆砌关键词的答案不计内容分；请把提法写进有内容的完整句子。"
        )
    else:
        spans = list_spans
        reason = (
            f"有{len(list_spans)}处连续罗列关键词（共{list_chars}字），没有组织成句子，"
            "这部分关键词不计分。"
        )
    detail["list_chars"] = list_chars
    return GamingCheck(True, reason, tuple(sorted(spans)), detail)
