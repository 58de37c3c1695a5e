"""Highlights: an answer split into pieces at every point hit and 常见错误 span."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape


@dataclass
class Mark:
    """One highlighted span: which points (numbers) or errors it belongs to."""

    start: int
    end: int
    points: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()
    counted: bool = True
    error: str | None = None


@dataclass
class Segment:
    text: str
    points: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()
    counted: bool = True
    error: str | None = None
    tag: str = ""  # point numbers shown after the last piece of a highlighted run

    @property
    def marked(self) -> bool:
        return bool(self.points or self.error)


def marks_from(result: dict[str, Any], numbers: dict[str, int]) -> list[Mark]:
    marks = []
    for point in result.get("points", []):
        n = numbers.get(point["key"])
        if n is None:
            continue
        for hit in point.get("hits", []):
            spans = {tuple(s) for s in hit.get("spans") or []} | {tuple(hit["span"])}
            for a, b in spans:
                marks.append(Mark(a, b, (n,), (point["label"],), bool(hit.get("counted", True))))
    for error in result.get("errors", []):
        a, b = error["span"]
        marks.append(Mark(a, b, error=f"应为“{error['right']}”：{error['explain']}"))
    return marks


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """Split ``text`` at every mark boundary; each piece knows what covers it.

    The template renders the pieces escaped (never ``|safe`` on answer text).
    """
    bounds = {0, len(text)}
    spans: list[tuple[int, int, int]] = []  # (mark index, clamped start, clamped end)
    for i, m in enumerate(marks):
        a, b = max(0, min(m.start, len(text))), max(0, min(m.end, len(text)))
        if a < b:
            bounds.update((a, b))
            spans.append((i, a, b))
    cuts = sorted(bounds)
    # one sweep over the cuts: marks open at their start and close at their end
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for i, a, b in spans:
        opening.setdefault(a, []).append(i)
        closing.setdefault(b, []).append(i)
    active: set[int] = set()
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        active.difference_update(closing.get(a, ()))
        active.update(opening.get(a, ()))
        covering = [marks[i] for i in sorted(active)]  # in the marks' own order, as before
        nums: dict[int, str] = {}
        for m in covering:
            for n, label in zip(m.points, m.labels, strict=True):
                nums.setdefault(n, label)
        error = next((m.error for m in covering if m.error), None)
        counted = all(m.counted for m in covering if m.points)
        seg = Segment(text[a:b], tuple(sorted(nums)), tuple(nums[n] for n in sorted(nums)), counted, error)
        prev = out[-1] if out else None
        if prev and (prev.points, prev.counted, prev.error) == (seg.points, seg.counted, seg.error):
            prev.text += seg.text
        else:
            out.append(seg)
    for i, seg in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        if seg.points and (nxt is None or not set(seg.points) <= set(nxt.points)):
            seg.tag = ",".join(str(n) for n in seg.points)
    return out


UNCOUNTED = "（出现在被标记为堆砌或照抄的文字中，不计分）"


def highlight_html(segs: list[Segment]) -> Markup:
    """The pieces as HTML: each piece's text escaped, a highlighted one in <mark> naming its points.

    Plain string building rather than a template macro per piece: an answer has
    hundreds of pieces, and a macro call per piece was a third of the result page.
    """
    out: list[str] = []
    for s in segs:
        text = escape(s.text)
        if s.points:
            classes = f"hit hit-c{(s.points[0] - 1) % 8}"
            title = "；".join(f"要点{n}：{escape(label)}" for n, label in zip(s.points, s.labels, strict=True))
            if not s.counted:
                classes += " uncounted"
                title += UNCOUNTED
            if s.error:
                classes += " err"
                title += f"；常见错误，{escape(s.error)}"
            numbers = ",".join(str(n) for n in s.points)
            out.append(f'<mark class="{classes}" data-points="{numbers}" title="{title}">{text}</mark>')
            if s.tag:
                out.append(f'<sup class="hit-tag">{escape(s.tag)}</sup>')
        elif s.error:
            out.append(f'<span class="err" title="常见错误，{escape(s.error)}">{text}</span>')
        else:
            out.append(text)
    return Markup("".join(out))
