from __future__ import annotations

from typing import Any

from flask import request
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..boundary import is_small_int
from .results import MARK_LABELS, MARKS
from .self_scoring import NOTE_MAX

try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def _choices(pairs: list[tuple[str, str]]) -> list:
    return [SelectChoice(v, label) for v, label in pairs] if SelectChoice else pairs


# 作答模式, the default first; the question page writes these out as radio buttons
START_MODES = (("practice", "练习模式（到时后继续计时）"), ("exam", "考试模式（到时自动交卷）"))


class StartForm(FlaskForm):
    """开始作答: starts the server's clock for this question."""

    mode = RadioField(
        "作答模式",
        choices=_choices(list(START_MODES)),
        default="practice",
        validators=[Optional()],
    )
    submit = SubmitField("开始作答")


class AnswerForm(FlaskForm):
    """The practice editor; posts to submit, or to save with the 保存草稿 button.

    The fields as the practice page writes them out (practice/workspace.html) and
    ``posted_answer`` reads them back; the form object is not built per request.
    """

    # Length is checked by the service (字数 by the 方格纸 rule, with a clear message).
    text = TextAreaField("作答区", render_kw={"spellcheck": "false", "lang": "zh-CN"})
    # The draft revision this page was written from (see drafts.check_revision).
    revision = HiddenField()
    submit = SubmitField("提交评分")

    def base_revision(self) -> int | None:
        return base_revision(self.revision.data)
    save = SubmitField("保存草稿")


def posted_answer() -> tuple[str, int | None]:
    """The editor's post (AnswerForm's fields), read without building the form: text and base revision."""
    return request.form.get("text", ""), base_revision(request.form.get("revision"))


def base_revision(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if is_small_int(value) else None


def self_mark_form(points: list[Any]) -> FlaskForm:
    """One radio group (覆盖/部分/未覆盖) and an optional note per rubric point.

    Built per attempt because every question has its own points; fields are
    numbered in the points' order.
    """

    class SelfMarkForm(FlaskForm):
        submit = SubmitField("保存自评")

    choices = _choices([(m, MARK_LABELS[m]) for m in MARKS])
    data = {}
    for i, point in enumerate(points):
        setattr(
            SelfMarkForm,
            f"mark_{i}",
            RadioField(point.label, choices=choices, validators=[InputRequired("请为这个要点选择一项")]),
        )
        setattr(
            SelfMarkForm,
            f"note_{i}",
            StringField("理由（可选）", validators=[Optional(), Length(max=NOTE_MAX, message=f"理由最多 {NOTE_MAX} 字")]),
        )
        data[f"mark_{i}"] = point.self_mark
        data[f"note_{i}"] = point.self_note
    # On a POST the submitted values replace these defaults (FlaskForm reads request.form).
    form = SelfMarkForm(data=data)
    form.point_fields = [(point, form[f"mark_{i}"], form[f"note_{i}"]) for i, point in enumerate(points)]
    return form
