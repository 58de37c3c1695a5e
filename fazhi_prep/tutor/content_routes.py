"""Model answers (several per question, one primary) and sample answers (the rubric's test set)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import authoring
from ..auth.roles import tutor_required
from ..extensions import db
from ..models import SampleAnswer
from ..rubric_tests import MARK_LABELS
from . import bp, service
from .forms import ModelAnswerForm, RevisionForm, sample_form
from .routes import STALE, question_or_404


def _answer_or_404(question, variant: str):
    answer = next((a for a in question.model_answers if a.variant == variant), None)
    return answer if answer is not None else abort(404)


def _sample_or_404(question, sample_id: int) -> SampleAnswer:
    sample = db.session.scalar(
        select(SampleAnswer).where(SampleAnswer.id == sample_id, SampleAnswer.question_id == question.id)
    )
    return sample if sample is not None else abort(404)


@bp.route("/questions/<slug>/answers")
@tutor_required
def answers(slug: str):
    """Model answers with warnings: over the limit, rubric points missed, format elements missing."""
    question = question_or_404(slug)
    checks, rubric_label = service.answer_checks(question)
    return render_template(
        "tutor/answers.html", question=question, checks=checks, rubric_label=rubric_label,
        delete_form=RevisionForm(formdata=None, data={"revision": question.revision}),
    )


@bp.route("/questions/<slug>/answers/new", methods=["GET", "POST"], defaults={"variant": None})
@bp.route("/questions/<slug>/answers/<variant>/edit", methods=["GET", "POST"])
@tutor_required
def answer_form(slug: str, variant: str | None):
    """Write or edit a model answer (plain text, as a candidate writes)."""
    question = question_or_404(slug)
    answer = _answer_or_404(question, variant) if variant else None
    form = ModelAnswerForm(data=service.answer_data(question, answer))
    stale, status = None, 200
    if form.validate_on_submit():
        try:
            authoring.save_model_answer(question, answer, service.answer_fields(form), service.revision_of(form))
            db.session.commit()
            flash("范文已保存。", "success")
            return redirect(url_for("tutor.answers", slug=slug))
        except authoring.StaleRevision:
            question, stale, status = question_or_404(slug), STALE, 409
            answer = next((a for a in question.model_answers if a.variant == variant), None) if variant else None
            form.revision.data = question.revision
        except authoring.AuthoringError as exc:
            db.session.rollback()
            form.variant.errors = [*form.variant.errors, str(exc)]
    status = 422 if form.errors and status == 200 else status
    return render_template("tutor/answer_form.html", question=question, answer=answer, form=form,
                           stale=stale), status


@bp.route("/questions/<slug>/answers/<variant>/delete", methods=["POST"])
@tutor_required
def delete_answer(slug: str, variant: str):
    """Delete a model answer (another becomes primary)."""
    question = question_or_404(slug)
    answer = _answer_or_404(question, variant)
    form = RevisionForm()
    if form.validate_on_submit():
        try:
            authoring.delete_model_answer(question, answer, service.revision_of(form))
            db.session.commit()
            flash(f"已删除范文 {variant}。", "success")
        except authoring.StaleRevision:
            flash(STALE, "error")
    return redirect(url_for("tutor.answers", slug=slug))


@bp.route("/questions/<slug>/samples")
@tutor_required
def samples(slug: str):
    """The rubric's test set: tutor-marked sample answers and how the rubric grades them."""
    question = question_or_404(slug)
    spec_dict, base, is_draft = authoring.editing_spec(question)
    view = service.rubric_view(question, spec_dict, base, is_draft)
    return render_template(
        "tutor/samples.html", question=question, view=view, samples=authoring.samples_of(question),
        mark_labels=MARK_LABELS, delete_form=RevisionForm(formdata=None, data={"revision": question.revision}),
    )


@bp.route("/questions/<slug>/samples/new", methods=["GET", "POST"], defaults={"sample_id": None})
@bp.route("/questions/<slug>/samples/<int:sample_id>/edit", methods=["GET", "POST"])
@tutor_required
def sample_edit(slug: str, sample_id: int | None):
    """Write a sample answer and mark, point by point, what it covers."""
    question = question_or_404(slug)
    sample = _sample_or_404(question, sample_id) if sample_id else None
    points = service.rubric_points(question)
    form = sample_form(points, service.sample_data(question, sample, points))
    stale, status = None, 200
    if form.validate_on_submit():
        marks = {key: field.data for key, _, field in form.point_fields if field.data}
        try:
            authoring.save_sample(question, sample, title=form.title.data, body=form.body.data, expected=marks,
                                  author=current_user, expected_revision=service.revision_of(form))
            db.session.commit()
            flash("样例答案已保存。", "success")
            return redirect(url_for("tutor.samples", slug=slug))
        except authoring.StaleRevision:
            question, stale, status = question_or_404(slug), STALE, 409
            form.revision.data = question.revision
        except authoring.AuthoringError as exc:
            db.session.rollback()
            form.title.errors = [*form.title.errors, str(exc)]
    status = 422 if form.errors and status == 200 else status
    return render_template("tutor/sample_form.html", question=question, sample=sample, form=form,
                           stale=stale), status


@bp.route("/questions/<slug>/samples/<int:sample_id>/delete", methods=["POST"])
@tutor_required
def delete_sample(slug: str, sample_id: int):
    """Delete a sample answer (and candidates' 评分校准 marks on it)."""
    question = question_or_404(slug)
    sample = _sample_or_404(question, sample_id)
    form = RevisionForm()
    if form.validate_on_submit():
        try:
            authoring.remove_sample(question, sample, service.revision_of(form))
            db.session.commit()
            flash("样例答案已删除。", "success")
        except authoring.StaleRevision:
            flash(STALE, "error")
    return redirect(url_for("tutor.samples", slug=slug))
