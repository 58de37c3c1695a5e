"""Tutor routes for papers: list, create and edit (with sync state), how candidates split their time."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from sqlalchemy import select

from ..auth.roles import tutor_required
from ..bank.paper_sync import sync_status
from ..extensions import db
from ..models import Paper
from . import authoring, bp, listing, report
from .forms import paper_form

SYNC_LABELS = {"synced": "与文件一致", "browser": "浏览器中有修改（未导出）", "new": "新建（还没有文件）"}


@bp.route("/tutor/papers")
@tutor_required
def tutor_papers():
    """Every paper, published or not, with its sync state and sittings."""
    papers = list(db.session.scalars(select(Paper).order_by(Paper.position, Paper.slug)))
    return render_template(
        "papers/tutor_list.html", papers=papers, status={p.id: SYNC_LABELS[sync_status(p)] for p in papers},
        sittings={p.id: len(report.paper_sittings(p)) for p in papers},
    )


@bp.route("/tutor/papers/new", methods=["GET", "POST"])
@tutor_required
def new_paper():
    """A new paper from published questions."""
    form = paper_form(authoring.question_choices())
    if form.validate_on_submit():
        chosen, problems = authoring.chosen_questions(form)
        if authoring.slug_taken(form.slug.data):
            problems.insert(0, f"编号 {form.slug.data} 已被使用")
        if not problems:
            paper = authoring.save_paper(None, form, chosen)
            db.session.commit()
            flash("试卷已创建。运行 bank export 可写成题库文件。", "success")
            return redirect(url_for("papers.edit_paper", slug=paper.slug))
        return render_template("papers/tutor_form.html", form=form, paper=None, problems=problems), 422
    return render_template("papers/tutor_form.html", form=form, paper=None, problems=[])


@bp.route("/tutor/papers/<slug>/edit", methods=["GET", "POST"])
@tutor_required
def edit_paper(slug: str):
    """Edit a paper; a save over another tutor's newer one is refused and the form kept."""
    paper = listing.paper_or_404(slug, include_drafts=True)
    form = paper_form(authoring.question_choices(), data=authoring.form_data(paper))
    form.slug.render_kw = {"readonly": True}
    if form.validate_on_submit():
        form.slug.data = paper.slug
        chosen, problems = authoring.chosen_questions(form)
        if not problems:
            try:
                authoring.save_paper(paper, form, chosen)
                db.session.commit()
            except authoring.StalePaper:
                db.session.rollback()
                problems = ["另一位教师刚保存过这份试卷。你的修改仍在下面的表单中，请核对后再保存（将覆盖对方的修改）。"]
                form.revision.data = str(paper.revision)
            else:
                flash("试卷已保存。", "success")
                return redirect(url_for("papers.edit_paper", slug=paper.slug))
        return render_template("papers/tutor_form.html", form=form, paper=paper, problems=problems,
                               status=SYNC_LABELS[sync_status(paper)]), 422
    return render_template("papers/tutor_form.html", form=form, paper=paper, problems=[],
                           status=SYNC_LABELS[sync_status(paper)])


@bp.route("/tutor/papers/<slug>/time")
@tutor_required
def time_split(slug: str):
    """How candidates split their time on a paper: per question, suggested vs spent."""
    paper = listing.paper_or_404(slug, include_drafts=True)
    return render_template("papers/tutor_time.html", split=report.time_split(paper), total=report.total)
