"""作答复核: list and filter attempts, open one, override its score, rescore with the current rubric."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.roles import tutor_required
from ..boundary import is_small_int as _small_int
from ..extensions import db
from ..links import row_links
from ..models import Attempt
from ..pagination import paginate
from . import bp, review
from .forms import AttemptFilterForm, OverrideForm, choices
from .routes import RevisionForm

PER_PAGE = 30


def _filters(form: AttemptFilterForm) -> review.Filters:
    form.validate()
    return review.Filters(
        question_id=review.question_id_for(form.question.data),
        candidate=form.candidate.data or "",
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
        flagged=bool(form.flagged.data),
        overridden=bool(form.overridden.data),
    )


@bp.route("/attempts")
@tutor_required
def attempts():
    """Candidates' attempts, newest first, filtered by question, candidate, date and flags."""
    form = AttemptFilterForm(request.args)
    form.question.choices = choices(review.question_choices() or [])
    where = review.conditions(_filters(form))
    page = paginate(review.attempts_query(where), per_page=PER_PAGE, rows=True, counted=review.counted(where))
    args = {k: v for k, v in request.args.items() if k != "page"}
    # the question drop-down and each row's links are written out in the template (WTForms' select widget
    # and url_for cost more per option and per row than the rest of the page)
    return render_template(
        "tutor/attempts.html", form=form, page=page, args=args, attempts=review.review_rows(page.items),
        typed_question=not form.question.choices,
        attempt_url=row_links("tutor.attempt", "attempt_id"),
        report_url=row_links("papers.report_page", "sitting_id"),
    )


@bp.route("/attempts/rescore", methods=["POST"])
@tutor_required
def rescore():
    """Score the chosen attempts again with the current rubric; the original result stays."""
    form = RevisionForm()
    # ids beyond a database integer cannot exist (and would not fit in the query)
    ids = [int(v) for v in request.form.getlist("attempt") if _small_int(v)]
    if form.validate_on_submit():
        if not ids:
            flash("请先勾选要重新评分的作答。", "error")
        else:
            report = review.rescore(ids, current_user)
            db.session.commit()
            flash(report.message(), "success")
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/tutor/") and target.isprintable() else url_for("tutor.attempts"))


def _attempt_or_404(attempt_id: int) -> Attempt:
    return db.session.get(Attempt, attempt_id) or abort(404)


@bp.route("/attempts/<int:attempt_id>")
@tutor_required
def attempt(attempt_id: int):
    """The attempt on the very result page its candidate sees, with the review controls."""
    attempt = _attempt_or_404(attempt_id)
    data = {"score": attempt.override_score, "comment": attempt.override_comment or ""}
    return _render_attempt(attempt, OverrideForm(formdata=None, data=data))


def _render_attempt(attempt: Attempt, form: OverrideForm, status: int = 200):
    # The practice blueprint renders its own result page; tutor/_review_bar.html, which
    # that page includes, shows the review forms when g.review is set.
    from ..practice import results
    from ..practice import routes as practice_routes

    g.review = review.ReviewContext(form, RevisionForm(formdata=None), RevisionForm(formdata=None),
                                    review.flag_names(attempt))
    view = results.attempt_view(attempt, request.args.get("model"))
    if status == 200:
        db.session.commit()  # keeps model-answer results scored on this first view
    html, _ = practice_routes.render_result_page(view)
    return html, status


@bp.route("/attempts/<int:attempt_id>/rescores/<int:rescore_id>")
@tutor_required
def rescored(attempt_id: int, rescore_id: int):
    """A rescore in full: the result page as the later rubric version scores the same text."""
    from ..practice import results
    from ..practice import routes as practice_routes

    attempt = _attempt_or_404(attempt_id)
    rescore = next((r for r in attempt.rescores if r.id == rescore_id), None) or abort(404)
    g.rescore = rescore
    view = results.attempt_view(review.RescoredAttempt(attempt, rescore), request.args.get("model"))
    html, _ = practice_routes.render_result_page(view)
    return html


@bp.route("/attempts/<int:attempt_id>/override", methods=["POST"])
@tutor_required
def override(attempt_id: int):
    """Set the score the candidate sees, with a comment they will read."""
    attempt = _attempt_or_404(attempt_id)
    form = OverrideForm()
    if not form.validate_on_submit():
        return _render_attempt(attempt, form, 422)
    review.set_override(attempt, form.score.data, form.comment.data, current_user)
    db.session.commit()
    flash("改分已保存，考生会在结果页和练习记录中看到分数和评语。", "success")
    return redirect(url_for("tutor.attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/override/clear", methods=["POST"])
@tutor_required
def clear_override(attempt_id: int):
    """Remove the override: the system's score counts again."""
    attempt = _attempt_or_404(attempt_id)
    if RevisionForm().validate_on_submit():
        review.clear_override(attempt)
        db.session.commit()
        flash("已撤销改分，恢复系统评分。", "success")
    return redirect(url_for("tutor.attempt", attempt_id=attempt.id))
