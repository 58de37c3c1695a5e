"""Forms of the 模拟考试 pages (every one carries its CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from ..practice.forms import _choices

MAX_PAPER_QUESTIONS = 6


class StartPaperForm(FlaskForm):
    """开始考试: starts one server clock for the whole paper."""

    submit = SubmitField("开始考试")


class ConfirmForm(FlaskForm):
    submit = SubmitField("确认交卷")


def exam_form(positions: list[int], texts: dict[int, str] | None = None) -> FlaskForm:
    """One textarea per question (text_1, text_2 …), posted together when JavaScript is off."""

    class ExamForm(FlaskForm):
        current = HiddenField()
        save = SubmitField("保存")
        hand_in = SubmitField("交卷")

    for position in positions:
        setattr(
            ExamForm,
            f"text_{position}",
            TextAreaField(f"第{position}题作答区", render_kw={"spellcheck": "false", "lang": "zh-CN"}),
        )
    data = {f"text_{p}": (texts or {}).get(p, "") for p in positions}
    return ExamForm(data=data)


def posted_texts(form: FlaskForm, positions: list[int]) -> dict[int, str]:
    return {p: form[f"text_{p}"].data or "" for p in positions}


class PaperForm(FlaskForm):
    """A tutor's paper: fields, then up to six questions in order with minutes and 分值."""

    slug = StringField(
        "编号",
        validators=[DataRequired("请填写编号"), Regexp(r"^[a-z0-9][a-z0-9-]{1,40}$", message="编号只能用小写字母、数字和 -")],
    )
    title = StringField("试卷名称", validators=[DataRequired("请填写试卷名称"), Length(max=200)])
    minutes = IntegerField(
        "考试时间（分钟）", validators=[DataRequired("请填写考试时间"), NumberRange(30, 300, "考试时间应在 30–300 分钟之间")]
    )
    instructions = TextAreaField("注意事项（可选）", validators=[Optional(), Length(max=4000)])
    published = BooleanField("发布（考生可见）", default=True)
    revision = HiddenField()
    submit = SubmitField("保存试卷")


def paper_form(question_choices: list[tuple[str, str]], **kwargs) -> PaperForm:
    """PaperForm with numbered question rows (题目、建议用时、分值)."""

    class Form(PaperForm):
        pass

    for i in range(1, MAX_PAPER_QUESTIONS + 1):
        setattr(Form, f"question_{i}", SelectField(f"第{i}题", choices=_choices(question_choices), validators=[Optional()]))
        setattr(Form, f"minutes_{i}", IntegerField(f"第{i}题建议用时（分钟）", validators=[Optional(), NumberRange(1, 240, "建议用时应在 1–240 分钟之间")]))
        setattr(Form, f"points_{i}", FloatField(f"第{i}题分值", validators=[Optional(), NumberRange(1, 100, "分值应在 1–100 之间")]))
    form = Form(**kwargs)
    form.rows = [(form[f"question_{i}"], form[f"minutes_{i}"], form[f"points_{i}"]) for i in range(1, MAX_PAPER_QUESTIONS + 1)]
    return form
