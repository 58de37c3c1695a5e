"""copied_material (照抄): see gaming.py for how it decides.

What the 给定材料 dictate is not copying. A notice written from the
materials repeats their time, place, attendees, agenda, contact and the
prompt's own title, and so does every model answer; none of that is the
writer leaning on someone else's words. So, before runs are measured:

* the answer's *dictated* text is masked: dates, times, numbers and phone
  numbers (with the units written on them: 年月日时分号楼室人 …); whole
  lines introduced by an item label (时间：, 地点：, 参会人员：, 联系人：,
  议程：, 培训内容： …, see ``ITEM_LABELS``); runs also found in the prompt
  (its title and wording); and genre formulae (``stock.STOCK_PHRASES``:
  现将有关事项通知如下, 特此通知 …, and 请……准时参加);
* the model answers count only for their *own* wording: a model answer's
  shingles that also occur in the materials or the prompt are left out, so
  text both share is judged as (dictated) material, never as copying the
  model answer.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache

from .gaming import GamingCheck
from .normalize import Normalized, normalize
from .stock import stock_mask

SHINGLE = 10
MIN_RUN = 30  # must stay >= 2 * SHINGLE - 1 (see copied_runs)
LONG_RUN = 100
COPIED_SHARE = 0.3
MOSTLY_COPIED = 0.5  # from this share the whole answer earns no content marks
VERBATIM = 0.85  # this share in runs of a model answer, dictated text included: pasted whole


# an item line of a notice or plan: its content is what the materials prescribe
ITEM_LABELS = (
    "时间", "地点", "地址", "人员", "对象", "范围", "联系人", "联系电话", "联系方式", "电话",
    "报到", "报名", "内容", "议程", "议题", "日程", "安排", "费用", "食宿", "名额",
)
_ITEM_LINE = re.compile(
    r"^[ \t\u3000]*(?:[（(]?[一二三四五六七八九十\d]+[、.．）)]\s*)?[^\s：:，。；]{0,6}?(?:"
    + "|".join(ITEM_LABELS)
    + r")[^\s：:，。；]{0,2}[：:]",
    re.MULTILINE,
)
# figures and the units written on them (2021年10月11日, 14:00, 301教室, 0571-87654321, 2人)
_FIGURE = re.compile(r"[0-9]+(?:[年月日时点分号楼层室人天期批项件名个次元]|[:：][0-9]+|[-—－][0-9]+)*")
_PLEASE_ATTEND = re.compile(r"请.{0,16}?(?:准时|按时)(?:参加|出席|参会|报到)")


@lru_cache(maxsize=64)
def _shingles(sources: tuple[str, ...]) -> frozenset[str]:
    grams: set[str] = set()
    for src in sources:
        norm = normalize(src).text
        grams.update(norm[i : i + SHINGLE] for i in range(len(norm) - SHINGLE + 1))
    return frozenset(grams)


@lru_cache(maxsize=64)
def _union(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    return a | b if b else a


@lru_cache(maxsize=64)
def _own_shingles(models: tuple[str, ...], dictated: tuple[str, ...]) -> frozenset[str]:
    """The model answers' shingles that the materials and prompt do not already hold."""
    return _shingles(models) - _shingles(dictated)


NEUTRAL = 2  # a figure: neither copying nor a break in a copied run


def dictated_mask(norm: Normalized, prompt_grams: frozenset[str]) -> bytearray:
    """For each normalised character: 1 when the materials dictate it or the genre
    prescribes it (it cuts a copied run), ``NEUTRAL`` for figures (2021年10月11日,
    14:00, 2人: they do not count towards a run's length but do not cut it either,
    so a pasted paragraph is still one run), else 0."""
    text = norm.text
    mask = stock_mask(text)
    for m in _FIGURE.finditer(text):
        mask[m.start() : m.end()] = bytes([NEUTRAL]) * (m.end() - m.start())
    for m in _PLEASE_ATTEND.finditer(text):
        mask[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    if norm.positions:
        positions = norm.positions
        original = norm.original
        for m in _ITEM_LINE.finditer(original):
            end = original.find("\n", m.end())
            a = bisect_left(positions, m.start())
            b = bisect_left(positions, len(original) if end < 0 else end)
            mask[a:b] = b"\x01" * (b - a)
    for a, b in _runs(text, prompt_grams, SHINGLE // 2):
        mask[a:b] = b"\x01" * (b - a)
    return mask


def _extend(text: str, grams: frozenset[str], i: int, step: int, limit: int) -> int:
    """Last shingle start reached from ``i`` going in direction ``step`` (+1/-1).

    Jumps a whole shingle at a time while the next one is found, then creeps
    one character at a time: linear in the run's length / SHINGLE.
    """
    k = SHINGLE
    while (step > 0 and i + k <= limit) or (step < 0 and i - k >= limit):
        j = i + step * k
        if text[j : j + k] not in grams:
            break
        i = j
    while i != limit:
        j = i + step
        if text[j : j + k] not in grams:
            break
        i = j
    return i


def _runs(text: str, grams: frozenset[str], probe: int) -> list[tuple[int, int]]:
    """Maximal spans of ``text`` made of consecutive shingles found in ``grams``.

    Probes every ``probe``-th position only: a run of 2·SHINGLE - 1 or more
    characters always contains a probed shingle. Each probe that hits is
    grown to the whole run of (overlapping) shingles.
    """
    if not grams or len(text) < SHINGLE:
        return []
    last = len(text) - SHINGLE
    runs: list[tuple[int, int]] = []
    # the probes that hit first (one tight comprehension), then the runs grown from them
    hits = [i for i in range(0, last + 1, probe) if text[i : i + SHINGLE] in grams]
    for i in hits:
        if runs and i < runs[-1][1] - SHINGLE + 1:
            continue  # inside the run found last
        a = _extend(text, grams, i, -1, 0)
        b = _extend(text, grams, i, 1, last)
        runs.append((a, b + SHINGLE))
    return runs


def copied_runs(
    text: str, grams: frozenset[str], mask: Callable[[], bytearray] | None = None
) -> list[tuple[int, int]]:
    """Normalised spans of ``text`` made of shingles in ``grams``, masked text removed.

    ``mask``: gives 1 for characters that are never copying (default: the
    stock formulas); asked only when there is a run to cut.
    """
    return _cut(_long_runs(text, grams), text, mask)


def _long_runs(text: str, grams: frozenset[str]) -> list[tuple[int, int]]:
    return [(a, b) for a, b in _runs(text, grams, SHINGLE) if b - a >= MIN_RUN]


def _cut(
    runs: list[tuple[int, int]], text: str, mask: Callable[[], bytearray] | None
) -> list[tuple[int, int]]:
    """The runs cut at masked characters; pieces with MIN_RUN counting characters kept."""
    if not runs:
        return []
    mask_ = mask() if mask is not None else stock_mask(text)
    out = []
    for a, b in runs:
        start, own = None, 0  # own: characters that count (figures do not)
        for k in range(a, b + 1):
            inside = k < b and mask_[k] != 1
            if inside and start is None:
                start, own = k, 0
            if inside:
                own += mask_[k] != NEUTRAL
            elif start is not None:
                if own >= MIN_RUN:
                    out.append((start, k))
                start = None
    return out


def check_copied(
    norm: Normalized, materials: str, models: tuple[str, ...], prompt: str = ""
) -> GamingCheck:
    text = norm.text
    n = len(text)
    if n < MIN_RUN or not (materials or models):
        return GamingCheck(False, "")
    dictated = tuple(s for s in (materials, prompt) if s)
    mat = _shingles((materials,)) if materials else frozenset()
    mod = _own_shingles(tuple(models), dictated) if models else frozenset()

    def mask() -> bytearray:
        return dictated_mask(norm, _shingles((prompt,)) if prompt else frozenset())

    raw = _long_runs(text, _union(mat, mod))
    runs = _cut(raw, text, mask)
    # a model answer pasted whole (its dictated parts too): raw runs against the
    # materials and its own wording then cover most of the text already
    if models and sum(b - a for a, b in raw) >= 0.5 * n and _verbatim(text, _shingles(tuple(models))):
        runs = [(0, n)]
    copied = sum(b - a for a, b in runs)
    longest = max((b - a for a, b in runs), default=0)
    share = copied / n
    detail = {"copied_share": round(share, 3), "longest_run": longest, "runs": len(runs)}
    if share < COPIED_SHARE and longest < LONG_RUN:
        return GamingCheck(False, "", (), detail)
    if share >= MOSTLY_COPIED:
        runs_out: tuple[tuple[int, int], ...] = ((0, n),)
    else:
        runs_out = tuple(runs)
    whence = [
        name
        for name, src in (("给定材料", mat), ("参考范文", mod))
        if any(text[i : i + SHINGLE] in src for a, b in runs for i in range(a, b - SHINGLE + 1, SHINGLE))
    ]
    reason = (
        f"有{len(runs)}段文字与{'和'.join(whence)}连续雷同，共约{copied}字，占全文的{share:.0%}"
        f"（最长一段{longest}字）。"
        + ("答案以照抄为主，不计内容分；" if share >= MOSTLY_COPIED else "照抄的部分不计内容分；")
        + "请用自己的话概括、提炼。"
    )
    return GamingCheck(True, reason, runs_out, detail)


def _verbatim(text: str, grams: frozenset[str]) -> bool:
    """Is ``text`` (nearly) a model answer word for word? Writing from the materials
    repeats their items, never the model answer's connecting words throughout."""
    return sum(b - a for a, b in _long_runs(text, grams)) >= VERBATIM * len(text)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
