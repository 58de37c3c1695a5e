"""常见错误 pages: view, edit and try the wrong 提法 that cost candidates marks."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from ..auth.roles import tutor_required
from ..extensions import db
from . import bp
from . import common_errors as service
from .forms import CommonErrorForm, DeductionForm, RevisionForm, TryErrorsForm

SYNC_NOTES = {
    "synced": "与文件 question_bank/common_errors.yaml 一致。",
    "browser": "有未写回文件 question_bank/common_errors.yaml 的修改，与题目的修改一起写回。",
}


def _render_list(try_form: TryErrorsForm, deduction_form: DeductionForm, findings=None, status: int = 200):
    return render_template(
        "tutor/errors.html",
        errors=service.all_errors(),
        try_form=try_form,
        deduction_form=deduction_form,
        findings=findings,
        sync_note=SYNC_NOTES[service.sync_status()],
        delete_form=RevisionForm(formdata=None),
    ), status


@bp.route("/errors", methods=["GET", "POST"])
@tutor_required
def errors():
    """Every 常见错误, the deduction per error, and a box to try them on a text."""
    try_form = TryErrorsForm()
    deduction_form = DeductionForm(formdata=None, data={"deduction": service.deduction()})
    if try_form.validate_on_submit():
        return _render_list(try_form, deduction_form, service.try_text(try_form.text.data))
    return _render_list(try_form, deduction_form, status=422 if try_form.errors else 200)


@bp.route("/errors/deduction", methods=["POST"])
@tutor_required
def errors_deduction():
    """Marks taken off per distinct error found in an answer."""
    form = DeductionForm()
    if not form.validate_on_submit():
        return _render_list(TryErrorsForm(formdata=None), form, status=422)
    service.set_deduction(form.deduction.data)
    db.session.commit()
    flash(f"已保存：每条常见错误扣 {form.deduction.data:g} 分（新提交的作答起生效）。", "success")
    return redirect(url_for("tutor.errors"))


@bp.route("/errors/new", methods=["GET", "POST"], defaults={"key": None})
@bp.route("/errors/<key>/edit", methods=["GET", "POST"])
@tutor_required
def error_edit(key: str | None):
    """Write or change one error; 试一试 checks the entry as written, before it is saved."""
    error = service.error_or_none(key) if key else None
    if key and error is None:
        abort(404)
    form = CommonErrorForm(data=service.form_data(error))
    if error is not None:
        form.key.data = error.key  # the key names it in the file and in stored results
    findings = None
    if form.validate_on_submit():
        data = service.data_from(form)
        if form.try_it.data:
            findings = service.try_text(form.sample.data or "", [service.as_spec(data)])
        elif error is None and service.error_or_none(data.key) is not None:
            form.key.errors = [*form.key.errors, f"已有编号为 {data.key} 的常见错误"]
        else:
            service.save(error, data)
            db.session.commit()
            flash(f"常见错误 {data.key} 已保存，新提交的作答起生效。", "success")
            return redirect(url_for("tutor.errors", _anchor=f"error-{data.key}"))
    status = 422 if form.errors else 200
    return render_template("tutor/error_form.html", error=error, form=form, findings=findings), status


@bp.route("/errors/<key>/delete", methods=["POST"])
@tutor_required
def error_delete(key: str):
    """Delete an error: answers are no longer checked for it (old results keep their deduction)."""
    error = service.error_or_none(key) or abort(404)
    if RevisionForm().validate_on_submit():
        service.delete(error)
        db.session.commit()
        flash(f"已删除常见错误 {key}。", "success")
    return redirect(url_for("tutor.errors"))
