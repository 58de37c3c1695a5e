"""Tutor routes: the overview and the question editor (fields, 给定材料 preview, publishing)."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for

from .. import authoring, catalog
from ..auth.roles import tutor_required
from ..extensions import db
from ..rubric_tests import MARK_LABELS
from ..text import markdown_problem, render_markdown
from . import bp, service
from .forms import RevisionForm

STALE = "这道题在你打开编辑页之后已被修改（另一位教师或文件导入）。你的内容保留在下面；请对照当前保存的版本合并后再保存。"


@bp.app_template_global("mark_label")
def mark_label(mark: str) -> str:
    return MARK_LABELS.get(mark, mark)


def question_or_404(slug: str):
    """Tutors see drafts too."""
    return catalog.question_or_404(slug, include_drafts=True)


@bp.route("/")
@tutor_required
def index():
    """Every question (drafts too) with its state, rubric version, answers, samples and attempts."""
    return render_template("tutor/index.html", rows=service.overview(), sync_labels=service.SYNC_LABELS)


@bp.route("/sync")
@tutor_required
def sync_help():
    """文件同步: how browser edits and the bank files meet (the commands live here, not on every page)."""
    return render_template("tutor/sync_help.html")


@bp.route("/questions/new", methods=["GET", "POST"])
@tutor_required
def new_question():
    """Create a draft question; candidates see it only once published."""
    form = service.question_form()
    if form.validate_on_submit() and not form.preview.data:
        try:
            if authoring.question_file_exists(form.slug.data, current_app.config["BANK_DIR"]):
                raise authoring.AuthoringError(f"题库文件中已有 {form.slug.data}，但尚未导入：请换一个编号（导入方法见“文件同步说明”）")
            question = authoring.create_question(service.question_data(form))
            db.session.commit()
        except authoring.AuthoringError as exc:
            db.session.rollback()
            form.slug.errors = [*form.slug.errors, str(exc)]
        else:
            flash("题目已创建（草稿）。下一步：编写评分要点。", "success")
            return redirect(url_for("tutor.rubric", slug=question.slug))
    return _render_question(None, form)


@bp.route("/questions/<slug>/edit", methods=["GET", "POST"])
@tutor_required
def edit_question(slug: str):
    """Edit a question's fields; a save based on an older revision is refused and kept for merging."""
    question = question_or_404(slug)
    form = service.question_form(None if request.method == "POST" else question)
    form.slug.data = question.slug  # the id never changes: it names the question's files
    if form.validate_on_submit() and not form.preview.data:
        try:
            authoring.update_question(question, service.question_data(form, slug), service.revision_of(form))
            db.session.commit()
        except authoring.StaleRevision:
            return _render_question(question_or_404(slug), form, stale=True)
        except authoring.AuthoringError as exc:
            db.session.rollback()
            form.limit.errors = [*form.limit.errors, str(exc)]
        else:
            flash("已保存。", "success")
            if service.format_mismatch(question):
                flash("评分要点中的格式要素不属于现在的文种：请到“评分要点与试评”中重新勾选格式要素并发布新版本。", "error")
            return redirect(url_for("tutor.edit_question", slug=slug))
    return _render_question(question, form)


def _render_question(question, form, *, stale: bool = False):
    status = 409 if stale else (422 if form.errors else 200)
    if stale:
        form.revision.data = question.revision  # saving again (after merging) overwrites
    return render_template(
        "tutor/question_form.html",
        question=question,
        form=form,
        stale=STALE if stale else None,
        preview=render_markdown(form.materials.data or ""),
        materials_problem=markdown_problem(form.materials.data or ""),
        limit_hint=service.limit_hint(form.prompt.data or "", form.limit.data),
        publish_form=RevisionForm(formdata=None, data={"revision": question.revision}) if question else None,
    ), status


@bp.route("/questions/<slug>/publish", methods=["POST"])
@tutor_required
def publish(slug: str):
    """发布 / 撤回为草稿: candidates only ever see published questions."""
    question = question_or_404(slug)
    form = RevisionForm()
    wanted = request.form.get("published") == "1"
    if form.validate_on_submit():
        try:
            authoring.set_published(question, wanted, service.revision_of(form))
            db.session.commit()
            flash("题目已发布，考生现在可以练习。" if wanted else "题目已撤回为草稿，考生看不到它。", "success")
        except authoring.StaleRevision:
            flash(STALE, "error")
        except authoring.AuthoringError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    target = request.form.get("next", "")
    # only back to a page of this site (the overview or the editor)
    return redirect(target if target.startswith("/tutor/") and target.isprintable() else url_for("tutor.edit_question", slug=slug))


@bp.route("/preview", methods=["POST"])
@tutor_required
def preview():
    """Live preview for the editor's script: 给定材料 rendered and sanitised as candidates see it."""
    payload = request.get_json(silent=True) or {}
    materials = str(payload.get("materials") or "")[:60_000]
    hint = service.limit_hint(str(payload.get("prompt") or ""), str(payload.get("limit") or "") or None)
    return jsonify(html=str(render_markdown(materials)), limit_hint=hint)
