"""Self-scoring: the candidate's own marks per rubric point."""

from __future__ import annotations

from typing import Any

from ..models import Attempt
from .errors import PracticeError
from .results import MARKS

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
