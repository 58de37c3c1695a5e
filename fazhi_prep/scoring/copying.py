"""copied_material (照抄): see gaming.py for how it decides."""

from __future__ import annotations

from functools import lru_cache

from .gaming import GamingCheck
from .normalize import Normalized, normalize
from .stock import stock_mask

SHINGLE = 10
MIN_RUN = 30  # must stay >= 2 * SHINGLE - 1 (see copied_runs)
LONG_RUN = 100
COPIED_SHARE = 0.3
MOSTLY_COPIED = 0.5  # from this share the whole answer earns no content marks


@lru_cache(maxsize=64)
def _shingles(sources: tuple[str, ...]) -> frozenset[str]:
    grams: set[str] = set()
    for src in sources:
        norm = normalize(src).text
        grams.update(norm[i : i + SHINGLE] for i in range(len(norm) - SHINGLE + 1))
    return frozenset(grams)


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


def copied_runs(text: str, grams: frozenset[str]) -> list[tuple[int, int]]:
    """Normalised spans of ``text`` made of shingles in ``grams``, stock formulas removed."""
    if not grams or len(text) < SHINGLE:
        return []
    # Probe every SHINGLE-th position only: a run of MIN_RUN (>= 2·SHINGLE - 1)
    # characters always contains a probed shingle. Each probe that hits is
    # grown to the whole run of consecutive (overlapping) shingles found.
    last = len(text) - SHINGLE
    runs: list[tuple[int, int]] = []
    for i in range(0, last + 1, SHINGLE):
        if runs and i < runs[-1][1] - SHINGLE + 1:
            continue  # inside the run found last
        if text[i : i + SHINGLE] not in grams:
            continue
        a = _extend(text, grams, i, -1, 0)
        b = _extend(text, grams, i, 1, last)
        runs.append((a, b + SHINGLE))
    if not runs:
        return []
    mask = stock_mask(text)
    out = []
    for a, b in runs:
        if b - a < MIN_RUN:
            continue
        start = None
        for k in range(a, b + 1):
            inside = k < b and not mask[k]
            if inside and start is None:
                start = k
            elif not inside and start is not None:
                out.append((start, k))
                start = None
    return [(a, b) for a, b in out if b - a >= MIN_RUN]


def check_copied(norm: Normalized, materials: str, models: tuple[str, ...]) -> GamingCheck:
    text = norm.text
    n = len(text)
    if n < MIN_RUN or not (materials or models):
        return GamingCheck(False, "")
    runs = copied_runs(text, _shingles(tuple(s for s in (materials, *models) if s)))
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
    mat = _shingles((materials,)) if materials else frozenset()
    mod = _shingles(tuple(models)) if models else frozenset()
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


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
