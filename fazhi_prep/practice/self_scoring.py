"""Self-scoring: the candidate's own marks per rubric point."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from ..models import Attempt
from .errors import PracticeError
from .results import MARK_LABELS, MARKS, PointRow

NOTE_MAX = 200

def save_self_marks(attempt: Attempt, marks: dict[str, tuple[str, str]]) -> None:
    """Store the candidate's own marks: {point_key: (mark, note)} for the attempt's points."""
    keys = [p["key"] for p in attempt.result.get("points", [])]
    stored: dict[str, Any] = {}
    for key in keys:
        if key not in marks:
            continue
        mark, note = marks[key]
        if mark not in MARKS:
            raise PracticeError(f"无效的自评：{mark}")
        stored[key] = {"mark": mark, "note": (note or "").strip()[:NOTE_MAX]}
    # A new dict (not an in-place change) so the JSON column is marked dirty.
    attempt.self_marks = stored




@dataclass
class SelfMarkField:
    """One point of the self-marking form as the result page writes it out (mark_<index>, note_<index>).

    The page writes the radio buttons as plain HTML: WTForms builds a form
    class per attempt and renders widget by widget, a quarter of the page's
    time. The WTForms form (forms.self_mark_form) still validates the post.
    """

    index: int
    point: PointRow
    mark: str | None
    note: str
    mark_errors: list[str] = field(default_factory=list)
    note_errors: list[str] = field(default_factory=list)

    @property
    def options_html(self) -> Markup:
        """覆盖 / 部分 / 未覆盖 as radio buttons (ids mark_<point>-<option>, as WTForms numbered them).

        Built here rather than in a template loop: fifteen points times three options
        was most of what the result page still rendered. Only constants and numbers go in.
        """
        return Markup("".join(
            f'<label class="self-option"><input id="mark_{self.index}-{n}" name="mark_{self.index}" required'
            f' type="radio" value="{value}"{" checked" if self.mark == value else ""}> {label}</label>'
            for n, (value, label) in enumerate(_MARK_OPTIONS)
        ))


_MARK_OPTIONS = tuple((m, escape(MARK_LABELS[m])) for m in MARKS)


def self_mark_fields(points: list[PointRow], form: Any = None) -> list[SelfMarkField]:
    """The form's rows: the stored self-marks, or what was posted to a form that failed validation."""
    if form is None:
        return [SelfMarkField(i, p, p.self_mark, p.self_note or "") for i, p in enumerate(points)]
    return [
        SelfMarkField(i, point, mark.data, note.data or "", list(mark.errors), list(note.errors))
        for i, (point, mark, note) in enumerate(form.point_fields)
    ]
