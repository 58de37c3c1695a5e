from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from .. import catalog
from ..extensions import db
from ..links import row_links
from ..models import Attempt, Question
from ..pagination import paginate
from ..practice import drafts, question_list
from ..practice.forms import START_MODES
from . import bp

RECENT_ATTEMPTS = 10


@bp.route("/")
def home():
    """Send visitors to the question list (login first if needed)."""
    return redirect(url_for("questions.index"))


@bp.route("/questions")
@login_required
def index():
    """List the published questions, filtered, with the candidate's own progress on each."""
    chosen = {k: request.args.get(k, "") for k in ("genre", "area", "limit")}
    where = question_list.filters(**chosen)
    page = paginate(question_list.questions_query(**chosen), per_page=question_list.PER_PAGE, rows=True,
                    counted=select(Question.id).where(*where))
    questions = [question_list.QuestionRow(*row) for row in page.items]
    args = {k: v for k, v in chosen.items() if v}
    genres = question_list.genre_choices()
    return render_template(
        "questions/index.html",
        questions=questions,
        page=page,
        args=args,
        total=bool(genres),  # a genre is listed when a published question uses it
        chosen=chosen,
        genres=genres,
        areas=question_list.area_choices(),
        limits=[(k, label) for k, (label, _) in question_list.LIMIT_BUCKETS.items()],
        stats=question_list.question_stats(current_user.id, [q.id for q in questions]),
        detail_url=row_links("questions.detail", "slug"),
        attempt_url=row_links("practice.attempt", "attempt_id"),
        workspace_url=row_links("practice.workspace", "slug"),
    )


@bp.route("/questions/<slug>")
@login_required
def detail(slug: str):
    """Show a question's prompt, limit, suggested time and 给定材料, and 开始作答."""
    question = catalog.question_or_404(slug, with_genre=True)
    mine = (Attempt.user_id == current_user.id, Attempt.question_id == question.id)
    # the latest few, without the answer and result texts; the rest are in 我的练习
    attempts = db.session.scalars(
        select(Attempt)
        .where(*mine)
        .options(*_LISTED_ONLY)
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
        .limit(RECENT_ATTEMPTS)
    ).all()
    # counted only when the list is full: otherwise it holds them all
    full = len(attempts) == RECENT_ATTEMPTS
    total = db.session.scalar(select(func.count()).select_from(Attempt).where(*mine)) if full else len(attempts)
    return render_template(
        "questions/detail.html",
        question=question,
        draft=drafts.get_draft(current_user.id, question),
        start_modes=START_MODES,
        attempts=attempts,
        attempt_total=total,
    )


_LISTED_ONLY = (defer(Attempt.result), defer(Attempt.answer), defer(Attempt.self_marks))
