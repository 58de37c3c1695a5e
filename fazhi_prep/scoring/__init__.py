"""The scoring engine: plain Python, no Flask, no database, no YAML.

    from fazhi_prep.scoring import score, char_count, render_report

    result = score(question, text)      # spec.Question, the answer text
    result.score, result.to_dict()      # 0–100, what an Attempt stores
    print(render_report(result))

``coverage_of(rubric, text)`` is the cheap covered-weight share used by
``bank check``; ``parse_limit(prompt)`` reads "1000字" / "1000-1200字".
"""

from .counting import char_count
from .coverage import compile_rubric, coverage_of
from .engine import score
from .explain import render_report
from .limits import parse_limit
from .result import FLAG_NAMES, Result

# Stored results computed by the engine (model answers scored once per rubric
# version) carry this in their key: bump it when a change alters any score.
ENGINE_VERSION = "2026-11-30"

__all__ = [
    "ENGINE_VERSION",
    "FLAG_NAMES",
    "Result",
    "char_count",
    "compile_rubric",
    "coverage_of",
    "parse_limit",
    "render_report",
    "score",
]
