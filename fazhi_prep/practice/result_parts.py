"""The parts of the result page that depend only on an attempt's stored result, rendered once.

An attempt's answer and result are written once, at submit: a rescore is
stored beside it, a tutor's override and the candidate's self-marks are
columns of their own. So 扣分与提示, 要点覆盖, 格式要素, the highlighted answer
and 评分说明 are the same on every view of an attempt, and rendering them was
most of the page's time. They are rendered on an attempt's first view in a
process and reused from a bounded LRU, keyed by the attempt's identity and
stamps (id, candidate, question, rubric version, time of submit, score,
字数, the result's rubric fingerprint and engine version: a reused id in an
emptied or restored database does not hit) and the 文种 label a heading shows.
An attempt seen through a rescore (tutor.review.RescoredAttempt) is rendered
every time.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from markupsafe import Markup

from ..lru import LruCache
from ..models import Attempt
from .results import DEDUCTION_LABELS, FLAG_LABELS, MARK_LABELS, AttemptView


@dataclass(frozen=True)
class ResultParts:
    findings: Markup  # 扣分与提示, 要点覆盖 and 格式要素 (practice/_result_findings.html)
    answer: Markup  # the candidate's answer, highlighted (practice/highlights.py)
    explanation: Markup  # 评分说明 (practice/_result_explanation.html)


_PARTS: LruCache[ResultParts] = LruCache(256)


def result_parts(view: AttemptView) -> ResultParts:
    key = _key(view)
    if key is None:
        return render_parts(view)
    parts = _PARTS.get(key)
    if parts is None:
        parts = render_parts(view)
        _PARTS.put(key, parts)
    return parts


def _key(view: AttemptView) -> tuple | None:
    attempt = view.attempt
    if not isinstance(attempt, Attempt) or attempt.id is None:
        return None
    result = view.result
    return (
        attempt.id, attempt.user_id, attempt.question_id, attempt.rubric_id, attempt.submitted_at,
        attempt.score, attempt.char_count, result.get("rubric_fingerprint"), result.get("version"),
        view.question.genre.label,
    )


def render_parts(view: AttemptView) -> ResultParts:
    context = {
        "view": view,
        "result": view.result,
        "question": view.question,
        "mark_labels": MARK_LABELS,
        "flag_labels": FLAG_LABELS,
        "deduction_labels": DEDUCTION_LABELS,
    }
    env = current_app.jinja_env
    return ResultParts(
        findings=Markup(env.get_template("practice/_result_findings.html").render(context)),
        answer=view.answer_html,
        explanation=Markup(env.get_template("practice/_result_explanation.html").render(context)),
    )
