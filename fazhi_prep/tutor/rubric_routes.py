"""The rubric editor: points, terms, format elements, 试评, test set, suggestions, publishing."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from .. import authoring
from ..auth.roles import tutor_required
from ..extensions import db
from . import bp, service
from .forms import RevisionForm
from .routes import STALE, question_or_404


@bp.route("/questions/<slug>/rubric", methods=["GET", "POST"])
@tutor_required
def rubric(slug: str):
    """Edit the rubric as a draft; every button saves the whole form first (works without scripts)."""
    question = question_or_404(slug)
    spec_dict, base, is_draft = authoring.editing_spec(question)
    if request.method == "GET":
        return _render(question, spec_dict, base, is_draft, suggest=request.args.get("suggest") == "1")
    form = service.rubric_form(question, spec_dict, base, formdata=True)
    if not form.validate_on_submit():
        return _render(question, spec_dict, base, is_draft, form=form, status=422)
    action = request.form.get("action", "save")
    result = service.apply_action(question, form, action)
    base = service.int_or_none(form.base_version.data)
    if result.publish and action != service.PUBLISH_ANYWAY:
        failing = service.failing_tests(question, result.spec)
        if failing is not None:
            return _hold_publish(question, form, result, base, failing)
    try:
        message, category = service.commit_rubric(question, result, base, service.revision_of(form))
        db.session.commit()
    except authoring.StaleRevision:
        question = question_or_404(slug)
        return _render(question, result.spec, base, True, stale=True, pasted=form.pasted.data, status=409)
    if result.render:
        flash(message, category)
        return _render(question, result.spec, base, True, pasted=form.pasted.data)
    if message:
        flash(message, category)
    return redirect(url_for("tutor.rubric", slug=slug, suggest=1 if result.suggest else None,
                            _anchor=result.anchor or None))


def _hold_publish(question, form, result, base, failing):
    """The test set disagrees beyond the tolerance: keep the edits as the draft and ask first."""
    try:
        service.commit_rubric(question, service.ActionResult(result.spec), base, service.revision_of(form))
        db.session.commit()
    except authoring.StaleRevision:
        question = question_or_404(question.slug)
        return _render(question, result.spec, base, True, stale=True, pasted=form.pasted.data, status=409)
    return _render(question, result.spec, base, True, pasted=form.pasted.data, failing=failing)


def _render(question, spec_dict, base, is_draft, *, form=None, stale=False, pasted="", suggest=False,
            failing=None, status=200):
    if form is None:
        form = service.rubric_form(question, spec_dict, base, pasted or "")
    view = service.rubric_view(question, spec_dict, base, is_draft, pasted or "")
    return render_template(
        "tutor/rubric.html",
        question=question,
        form=form,
        view=view,
        stale=STALE if stale else None,
        saved=service.saved_points(question) if stale else None,
        current=question.rubric,
        suggestions=service.suggestions(question, spec_dict) if suggest else None,
        areas=dict(service.area_choices()),
        failing=failing,
        library_groups=service.library_groups(question, spec_dict),
        publish_form=RevisionForm(formdata=None, data={"revision": question.revision}),
    ), status


@bp.route("/questions/<slug>/rubric/preview", methods=["POST"])
@tutor_required
def rubric_preview(slug: str):
    """Live 试评 for the editor's script: the posted (unsaved) rubric tried on every text."""
    question = question_or_404(slug)
    spec_dict, base, _ = authoring.editing_spec(question)
    form = service.rubric_form(question, spec_dict, base, formdata=True)
    if not form.validate_on_submit():
        return render_template("tutor/_trial.html", view=None, invalid=True), 422
    posted = service.spec_from_form(form)
    view = service.rubric_view(question, posted, base, True, form.pasted.data or "")
    return render_template("tutor/_trial.html", view=view, invalid=False)


@bp.route("/questions/<slug>/rubric/suggestions")
@tutor_required
def rubric_suggestions(slug: str):
    """Term suggestions (jieba), fetched by the editor after the page has loaded."""
    question = question_or_404(slug)
    spec_dict, _, _ = authoring.editing_spec(question)
    return render_template("tutor/_suggestions.html", suggestions=service.suggestions(question, spec_dict))
