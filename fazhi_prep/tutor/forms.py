"""Forms of the tutor workspace. Every state change goes through a FlaskForm (CSRF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..authoring import QUESTION_ID
from ..rubric_tests import MARK_LABELS, MARKS
from ..text import markdown_problem


def renderable_markdown(form, field) -> None:
    """Refuse what `bank check` refuses: a text the Markdown renderer must not be given."""
    problem = markdown_problem(field.data)
    if problem:
        raise ValidationError(f"给定材料无法显示：{problem}")


def choices(pairs) -> list[SelectChoice]:
    """WTForms 3.3 wants SelectChoice objects, not (value, label) tuples."""
    return [SelectChoice(str(value), label) for value, label in pairs]


class NumberField(FloatField):
    """A float shown as a tutor writes it: 3, not 3.0."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:g}"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RevisionForm(FlaskForm):
    """A button that changes a question (publish, delete…): carries the revision it saw."""

    revision = HiddenField()
    submit = SubmitField("确定")


class QuestionForm(FlaskForm):
    revision = HiddenField()
    slug = StringField(
        "题目编号",
        validators=[
            DataRequired("请填写题目编号"),
            Regexp(QUESTION_ID.pattern, message="编号只能用小写字母、数字和 -，如 my-01"),
        ],
        description="小写字母、数字和 -，创建后不能修改；也是文件名（questions/编号.md）。",
    )
    title = StringField("标题", validators=[DataRequired("请填写标题"), Length(max=200)])
    genre = SelectField("文种", validators=[DataRequired("请选择文种")])
    prompt = TextAreaField(
        "题干（作答要求）",
        validators=[DataRequired("请填写题干"), Length(max=4000)],
        description="写明字数要求，如“（300字）”或“1000-1200字”。",
    )
    limit = StringField(
        "字数要求（可选）",
        validators=[Optional(), Length(max=32)],
        description="留空则从题干中识别；填写 300 或 1000-1200 则以此为准。",
    )
    minutes = IntegerField(
        "建议用时（分钟，可选）",
        validators=[Optional(), NumberRange(1, 300, "应在 1 到 300 分钟之间")],
        description="留空则按每 20 字约 1 分钟计算。",
    )
    areas = MultiCheckboxField("纲要领域", validate_choice=True)
    materials = TextAreaField(
        "给定材料（Markdown）",
        validators=[Length(max=60_000), renderable_markdown],
        description="考生作答前阅读的材料。支持 Markdown（标题、列表、表格、加粗）；HTML 会按文本显示。",
    )
    save = SubmitField("保存")
    preview = SubmitField("预览材料")


class PointForm(Form):
    """One rubric point in the editor (a subform: the rubric form carries the CSRF token)."""

    position = HiddenField()
    ref = HiddenField()
    key = StringField("编号", validators=[Optional(), Length(max=64)])
    label = StringField("名称", validators=[Optional(), Length(max=200)])
    weight = NumberField("权重", validators=[InputRequired("请填写权重"), NumberRange(0.01, 100, "权重应大于 0")])
    source = StringField("来源", validators=[Optional(), Length(max=500)])
    need = IntegerField("至少命中几组", validators=[Optional(), NumberRange(1, 50, "至少为 1")])
    area = SelectField("纲要领域", validators=[Optional()], validate_choice=False)
    terms = TextAreaField("词组", validators=[Length(max=5000)])


class FormatForm(Form):
    key = HiddenField()
    on = BooleanField()
    weight = NumberField("权重", validators=[Optional(), NumberRange(0.01, 100, "权重应大于 0")])


class RubricForm(FlaskForm):
    revision = HiddenField()
    base_version = HiddenField()
    scoring = SelectField(
        "计分方式",
        choices=choices([("tiered", "分档（采分点）"), ("proportional", "按覆盖比例")]),
    )
    content = NumberField("内容", validators=[InputRequired("请填写"), NumberRange(0, 100)])
    format_part = NumberField("格式", validators=[InputRequired("请填写"), NumberRange(0, 100)])
    length = NumberField("字数", validators=[InputRequired("请填写"), NumberRange(0, 100)])
    points = FieldList(FormField(PointForm))
    formats = FieldList(FormField(FormatForm))
    library_point = SelectField("纲要库要点", validators=[Optional()], validate_choice=False)
    term_target = SelectField("加入到", validators=[Optional()], validate_choice=False)
    pasted = TextAreaField("粘贴一段答案试评（不保存）", validators=[Length(max=20_000)])


class ModelAnswerForm(FlaskForm):
    revision = HiddenField()
    variant = StringField(
        "版本名",
        validators=[DataRequired("请填写版本名"), Regexp(r"^[a-z0-9][a-z0-9-]{0,31}$", message="只能用小写字母、数字和 -")],
        default="main",
        description="main 对应文件 编号.md；其他如 outline 对应 编号-outline.md。",
    )
    title = StringField("标题", validators=[DataRequired("请填写标题"), Length(max=120)], default="高分范文")
    author = StringField("作者", validators=[Optional(), Length(max=120)])
    note = StringField("说明", validators=[Optional(), Length(max=500)])
    primary = BooleanField("主范文（考生结果页默认对照这一篇）")
    body = TextAreaField("正文", validators=[DataRequired("请填写范文正文"), Length(max=20_000)],
                         description="像考生作答一样写：纯文本，一段一行。")
    save = SubmitField("保存范文")


def sample_form(points: list[tuple[str, str]], data: dict | None = None) -> FlaskForm:
    """The sample-answer form: title, body and a mark per rubric point (or none).

    Built per question because each has its own points; fields are numbered.
    """

    class SampleForm(FlaskForm):
        revision = HiddenField()
        title = StringField("标题", validators=[DataRequired("请填写标题"), Length(max=120)])
        body = TextAreaField("正文", validators=[DataRequired("请填写正文"), Length(max=20_000)])
        save = SubmitField("保存样例")

    options = choices([("", "不标注")] + [(m, MARK_LABELS[m]) for m in MARKS])
    for i, (_, label) in enumerate(points):
        setattr(SampleForm, f"mark_{i}", RadioField(label, choices=options, default="", validators=[Optional()]))
    form = SampleForm(data=data or {})
    form.point_fields = [(key, label, form[f"mark_{i}"]) for i, (key, label) in enumerate(points)]
    return form


class CommonErrorForm(FlaskForm):
    """One 常见错误: its wrong forms, the correct one, why, and when it is legitimate."""

    key = StringField(
        "编号",
        validators=[DataRequired("请填写编号（必填）"), Length(max=64),
                    Regexp(r"^[a-z0-9][a-z0-9._-]*$", message="编号只能用小写字母、数字、. - _")],
        description="如 fazhi-zhengfu；保存后不能修改。",
    )
    wrong = TextAreaField("错误写法（必填，每行一个）", validators=[DataRequired("请至少填写一个错误写法（必填）"),
                                                       Length(max=5000)])
    right = StringField("正确写法（必填）", validators=[DataRequired("请填写正确写法（必填）"), Length(max=500)])
    explain = TextAreaField("说明（必填，考生会看到）", validators=[DataRequired("请填写说明（必填）"), Length(max=2000)])
    unless = TextAreaField("例外（每行一个）", validators=[Optional(), Length(max=2000)],
                           description="答案或题干中出现这些词时，错误写法是合理的（如引用旧纲要时写“2015—2020”）。")
    members = TextAreaField("必须列全的各项（每行一项，同义说法用 | 分隔）", validators=[Optional(), Length(max=2000)],
                            description="用于“缺一不可”的列举：答案列出了其中两项以上却没有列全时，算作这条错误。")
    window = IntegerField("列举中两项最多相隔几个字", validators=[Optional(), NumberRange(0, 200, "应在 0 到 200 之间")],
                          default=12)
    sample = TextAreaField("试一试：粘贴一段答案（不保存）", validators=[Optional(), Length(max=20_000)])
    save = SubmitField("保存")
    try_it = SubmitField("试一试（不保存）")

    def validate_members(self, field) -> None:
        from .common_errors import members_from

        if field.data and field.data.strip() and len(members_from(field.data)) < 2:
            raise ValidationError("至少列出两项，才能判断列举是否完整")


class DeductionForm(FlaskForm):
    deduction = NumberField("每条错误扣分", validators=[InputRequired("请填写扣分"), NumberRange(0, 20, "应在 0 到 20 之间")])
    save = SubmitField("保存扣分")


class TryErrorsForm(FlaskForm):
    text = TextAreaField("粘贴一段答案", validators=[DataRequired("请粘贴一段答案"), Length(max=20_000)])
    submit = SubmitField("试一试")


class AttemptFilterForm(FlaskForm):
    """GET filters of the review list: no CSRF on a read-only query."""

    class Meta:
        csrf = False

    question = SelectField("题目", validators=[Optional()], validate_choice=False)
    candidate = StringField("考生", validators=[Optional(), Length(max=64)])
    date_from = DateField("从", validators=[Optional()])
    date_to = DateField("到", validators=[Optional()])
    flagged = BooleanField("只看有标记的（超字数、堆砌、照抄等）")
    overridden = BooleanField("只看已改分的")


class OverrideForm(FlaskForm):
    score = NumberField("改为（分）", validators=[InputRequired("请填写分数"), NumberRange(0, 100, "分数应在 0 到 100 之间")])
    comment = TextAreaField(
        "评语", validators=[DataRequired("请写评语：考生会看到它"), Length(max=2000)],
        description="考生会在结果页和练习记录中看到改分和评语。",
    )
    submit = SubmitField("保存改分")
