from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from ..rubric_tests import MARK_LABELS, MARKS
from ..tutor.forms import choices


def grading_form(points) -> FlaskForm:
    """One radio group (覆盖/部分/未覆盖) per point the tutor marked."""

    class GradingForm(FlaskForm):
        submit = SubmitField("提交我的判断")

    options = choices([(m, MARK_LABELS[m]) for m in MARKS])
    for i, point in enumerate(points):
        setattr(GradingForm, f"mark_{i}", RadioField(point.label, choices=options,
                                                     validators=[InputRequired("请为这个要点选择一项")]))
    form = GradingForm()
    form.point_fields = [(point, form[f"mark_{i}"]) for i, point in enumerate(points)]
    return form
