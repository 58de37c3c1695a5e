from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import catalog
from ..extensions import db
from ..models import Attempt
from ..practice import drafts, question_list
from ..practice.forms import StartForm
from . import bp


@bp.route("/")
def home():
    """Send visitors to the question list (login first if needed)."""
    return redirect(url_for("questions.index"))


@bp.route("/questions")
@login_required
def index():
    """List the published questions, filtered, with the candidate's own progress on each."""
    questions = catalog.published_questions()
    chosen = {k: request.args.get(k, "") for k in ("genre", "area", "limit")}
    genres = list(dict.fromkeys((q.genre_key, q.genre.label) for q in questions))
    return render_template(
        "questions/index.html",
        questions=question_list.filter_questions(questions, **chosen),
        total=len(questions),
        chosen=chosen,
        genres=genres,
        areas=question_list.area_choices(),
        limits=[(k, label) for k, (label, _) in question_list.LIMIT_BUCKETS.items()],
        stats=question_list.question_stats(current_user.id),
    )


@bp.route("/questions/<slug>")
@login_required
def detail(slug: str):
    """Show a question's prompt, limit, suggested time and 给定材料, and 开始作答."""
    question = catalog.question_or_404(slug)
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.user_id == current_user.id, Attempt.question_id == question.id)
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
    ).all()
    return render_template(
        "questions/detail.html",
        question=question,
        draft=drafts.get_draft(current_user.id, question),
        start_form=StartForm(),
        attempts=attempts,
    )
