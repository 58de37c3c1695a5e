"""评分校准 routes (any logged-in user): pick a sample, mark it, compare with the tutor."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..rubric_tests import MARK_LABELS
from ..scoring import char_count
from . import bp, service
from .forms import grading_form


@bp.app_template_global("calibration_summary")
def calibration_summary(user_id: int) -> service.Summary:
    """For the history page's include: how this user's marks track the tutor's."""
    return service.history_summary(user_id)


@bp.route("/")
@login_required
def index():
    """Questions with tutor-marked sample answers, and the candidate's past rounds."""
    return render_template(
        "calibration/index.html", entries=service.questions_for(current_user.id),
        summary=service.history_summary(current_user.id),
    )


@bp.route("/samples/<int:sample_id>", methods=["GET", "POST"])
@login_required
def grade(sample_id: int):
    """Mark a sample answer against the rubric, point by point (tutor's marks hidden until then)."""
    sample = service.sample_for_candidate(sample_id) or abort(404)
    points = service.points_to_mark(sample)
    form = grading_form(points)
    if form.validate_on_submit():
        marks = {point.key: field.data for point, field in form.point_fields}
        mark = service.save_marks(current_user.id, sample, marks)
        db.session.commit()
        return redirect(url_for("calibration.result", mark_id=mark.id))
    return render_template("calibration/grade.html", sample=sample, question=sample.question, form=form,
                           count=char_count(sample.body)), 422 if form.errors else 200


@bp.route("/marks/<int:mark_id>")
@login_required
def result(mark_id: int):
    """Your marks beside the tutor's; someone else's marks are a 404."""
    mark = service.mark_for(current_user.id, mark_id) or abort(404)
    comparison = service.compare(mark)
    entry = next((e for e in service.questions_for(current_user.id)
                  if e.question.id == mark.sample_answer.question_id), None)
    return render_template("calibration/result.html", comparison=comparison, sample=mark.sample_answer,
                           question=mark.sample_answer.question, labels=MARK_LABELS,
                           next_sample=entry.next_sample if entry else None)
