"""Anti-gaming: 堆砌 (keyword stuffing, stuffing.py) and 照抄 (copied material, copying.py).

Both work on the normalised text (punctuation and spaces dropped) and return
a GamingCheck: the normalised spans that must not earn content marks, with a
reason in plain Chinese. The constants named below live in stuffing.py and
copying.py; the official formulas in stock.py.

keyword_stuffing
    The text is cut into *fragments* at every punctuation mark, space or line
    break. A fragment is *bare* when rubric terms cover at least 80% of it —
    a term with no words of the writer's own around it — unless it is part
    of an official enumeration (``STOCK_PHRASES``). Evidence:

    * bare share (share of the text in bare fragments),
    * term density (share of the text covered by rubric terms),
    * sentences (stretches between 。！？；or line breaks with at least
      ``SENTENCE_MIN`` characters) per 100 字,
    * mean fragment length,
    * repetition (share of the text in fragments of 4+ characters that
      already occurred earlier),
    * list lines (share of the text in lines of ``LIST_LINE_ITEMS``+ short
      items separated by spaces, 顿号 or commas, with no sentence mark): a
      word list laid out as text, whichever rubric is scoring it.

    The whole text is stuffed when it scores ``STUFFED_EVIDENCE`` points
    (bare share ≥ 0.6: 3, ≥ 0.4: 2, ≥ 0.25: 1; density ≥ 0.75: 3, ≥ 0.6: 2,
    ≥ 0.45: 1; sentences < 1 per 100 字: 1; fragments shorter than 5 on
    average: 1; repetition ≥ 0.5: 3, ≥ 0.4: 2, ≥ 0.25: 1; list lines
    ≥ 0.4: 3, ≥ 0.25: 2). Real prose and
    dense outlines measure bare share < 0.2, density < 0.5 and repetition
    < 0.1. A *list run* — ``LIST_RUN`` or more consecutive bare
    fragments, official enumerations (``STOCK_PHRASES``) excepted — is
    stuffed on its own, so a term list appended to real prose is caught too.
    A stuffed text earns no content marks; a stuffed list run earns none for
    the terms in it.

copied_material
    The 给定材料 and model answers are cut into ``SHINGLE``-character
    shingles; runs of the answer made of shingles found there are copied
    text. Standard official formulas (指导思想, 总目标 ...) do not count.
    Flagged when copied runs of ``MIN_RUN``+ characters make up
    ``COPIED_SHARE`` of the answer or one run reaches ``LONG_RUN``; the
    copied runs then earn nothing — the whole answer, when they make up
    ``MOSTLY_COPIED`` of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class GamingCheck:
    flagged: bool
    reason: str
    spans: tuple[tuple[int, int], ...] = ()  # normalised spans that earn nothing
    detail: dict[str, float] = field(default_factory=dict)

