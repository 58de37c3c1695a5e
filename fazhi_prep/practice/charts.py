"""SVG charts for the history page: score over time, per-area strength."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from .progress import AreaStat, ScorePoint

# Items and extras are objects, not dicts: a template reads attributes, and Jinja tries an attribute
# before an item (a dict pays for an AttributeError on every read, a few hundred a chart).


@dataclass
class Chart:
    """Coordinates for the server-drawn SVG charts (viewBox units)."""

    width: int
    height: int
    items: list[Any]
    extra: SimpleNamespace = field(default_factory=SimpleNamespace)


@dataclass(slots=True)
class Dot:
    x: float
    y: float
    score: float
    label: str


@dataclass(slots=True)
class GridLine:
    y: float
    value: int


@dataclass(slots=True)
class Bar:
    label: str
    y_text: int
    y_bar: int
    w: float
    percent: str
    x_percent: int
    level: str
    title: str


def timeline_chart(points: list[tuple[datetime, float, float, str]], tz) -> Chart:
    """Dots over time on a 0–100 % scale: (submitted_at, value, full marks, label) in order.

    The history page draws single attempts and paper totals with it, so both
    charts read alike.
    """
    width, height = 400, 200
    left, right, top, bottom = 38, 12, 12, 32
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(points)
    items = []
    for i, (at, value, full, label) in enumerate(points):
        x = left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))
        y = top + plot_h * (1 - max(0.0, min(1.0, value / full)))
        local = at.astimezone(tz)
        items.append(Dot(round(x, 1), round(y, 1), value, f"{local:%m-%d %H:%M} {label}"))
    grid = [GridLine(round(top + plot_h * (1 - v / 100), 1), v) for v in (0, 20, 40, 60, 80, 100)]
    return Chart(
        width,
        height,
        items,
        SimpleNamespace(
            grid=grid,
            left=left,
            right=width - right,
            bottom=height - bottom,
            line=" ".join(f"{p.x},{p.y}" for p in items),
            first=points[0][0].astimezone(tz).strftime("%m-%d") if points else "",
            last=points[-1][0].astimezone(tz).strftime("%m-%d") if points else "",
        ),
    )


def score_chart(attempts: list[ScorePoint], tz) -> Chart:
    """Score over time: one dot per attempt, in submission order (the latest ones: ``recent_scores``)."""
    return timeline_chart(
        [(a.submitted_at, a.final_score, 100.0, f"{a.slug} {a.final_score:g}分") for a in attempts], tz
    )


def area_chart(stats: list[AreaStat]) -> Chart:
    """Coverage per 纲要 area as horizontal bars, a label line above each bar."""
    width, row, left, bar_w = 400, 50, 4, 330
    items = []
    for i, s in enumerate(stats):
        y = 8 + i * row
        items.append(
            Bar(
                label=s.label,
                y_text=y + 16,
                y_bar=y + 23,
                w=round(bar_w * s.coverage, 1),
                percent=f"{s.coverage:.0%}",
                x_percent=left + bar_w + 8,
                level="low" if s.coverage < 0.4 else "mid" if s.coverage < 0.8 else "high",
                title=f"{s.label}：覆盖率{s.coverage:.0%}（{s.points}个要点次，{s.attempts}次作答）",
            )
        )
    return Chart(width, 12 + row * len(stats), items, SimpleNamespace(left=left, bar_w=bar_w))
