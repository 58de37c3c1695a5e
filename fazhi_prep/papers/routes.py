"""Candidate routes of 模拟考试: list, start, the exam page (autosave, switch), hand-in, report, print.

A sitting is reached only through its owner (someone else's is a 404; a
tutor reads reports read-only). Every request that finds an open sitting
past its time hands it in first, as the single-question exam mode does.
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Attempt, PaperAttempt, Role
from ..practice import errors
from ..practice.drafts import limit_floor
from ..practice.routes import (
    STALE,
    _display_tz,
    _max_answer,
    _wants_json,
    csrf_json,
    json_login_required,
)
from ..scoring import char_count
from . import bp, listing, report, sitting
from .forms import ConfirmForm, StartPaperForm, exam_form, posted_texts


def _login_url() -> str:
    sitting_id = (request.view_args or {}).get("sitting_id")
    target = url_for("papers.exam", sitting_id=sitting_id) if sitting_id else url_for("papers.index")
    return url_for("auth.login", next=target)


paper_login_required = json_login_required(_login_url)


@bp.errorhandler(CSRFError)
def csrf_failed(error):
    """A stale page or a lapsed login: keep every answer posted and say what to do."""
    if _wants_json():
        return csrf_json(_login_url)
    texts = [(k, v) for k, v in request.form.items() if k.startswith("text_") and v.strip()]
    if texts:
        # Without scripts nothing else holds these texts: hand them back to copy.
        status = 401 if not current_user.is_authenticated else 400
        return render_template("papers/lapsed.html", texts=texts, login_url=_login_url(),
                               lapsed=not current_user.is_authenticated), status
    if not current_user.is_authenticated:
        flash("登录已过期，请重新登录后继续。已自动保存的答案会恢复。", "info")
        return redirect(_login_url())
    return render_template("errors/error.html", code=400, message=STALE), 400


def _sitting_or_404(sitting_id: int, *, read_only: bool = False) -> PaperAttempt:
    found = db.session.get(PaperAttempt, sitting_id)
    if found is None:
        abort(404)
    if found.user_id == current_user.id or (read_only and current_user.has_role(Role.TUTOR)):
        return found
    abort(404)


def _closed_redirect(found: PaperAttempt):
    """Hand in a sitting past its time; the redirect to its report, or None while it is open."""
    if sitting.close_if_over(found):
        db.session.commit()
        flash("考试时间已到，已按时间到时保存的内容自动交卷。", "info")
    if not found.is_open:
        return redirect(url_for("papers.report_page", sitting_id=found.id))
    return None


# -- list, paper page, start -------------------------------------------------


@bp.route("/papers")
@login_required
def index():
    """Published papers with my attempts and best total."""
    papers = listing.published_papers()
    return render_template(
        "papers/index.html",
        papers=papers,
        stats=listing.paper_stats(current_user.id),
        open_ids={p.id for p in papers if sitting.open_sitting(current_user.id, p)},
    )


@bp.route("/papers/<slug>")
@login_required
def detail(slug: str):
    """A paper: its questions, minutes and 分值, my sittings, 开始考试."""
    paper = listing.paper_or_404(slug)
    mine = [s for s in report.user_sittings(current_user.id) if s.paper_id == paper.id]
    return render_template(
        "papers/detail.html",
        paper=paper,
        form=StartPaperForm(),
        open_sitting=sitting.open_sitting(current_user.id, paper),
        unavailable=listing.unavailable(paper),
        sittings=list(reversed(mine)),
        total=report.total,
    )


@bp.route("/papers/<slug>/start", methods=["POST"])
@login_required
def start(slug: str):
    """开始考试: one server clock for the whole paper (an open sitting keeps its clock)."""
    paper = listing.paper_or_404(slug)
    if not StartPaperForm().validate_on_submit():
        abort(400)
    missing = listing.unavailable(paper)
    if missing and not sitting.open_sitting(current_user.id, paper):
        return redirect(url_for("papers.detail", slug=slug))  # the paper page says why
    try:
        found, created = sitting.start_sitting(current_user.id, paper)
        db.session.commit()
    except IntegrityError:  # a second tab started the same paper a moment earlier
        db.session.rollback()
        found, created = sitting.open_sitting(current_user.id, paper), False
    if not created:
        flash("这份试卷有一场未交卷的考试，已为你打开，计时从开始考试时算起。", "info")
    return redirect(url_for("papers.exam", sitting_id=found.id))


# -- the exam page -------------------------------------------------------------


def _position_arg(found: PaperAttempt) -> int:
    positions = [a.position for a in found.answers]
    wanted = request.args.get("q", type=int)
    if wanted in positions:
        return wanted
    return found.active_position if found.active_position in positions else positions[0]


@bp.route("/papers/sittings/<int:sitting_id>")
@login_required
def exam(sitting_id: int):
    """The exam page: one clock, a tab per question, each with its editor, 字数 and 方格纸."""
    found = _sitting_or_404(sitting_id)
    closed = _closed_redirect(found)
    if closed is not None:
        return closed
    form = exam_form([a.position for a in found.answers], {a.position: a.text for a in found.answers})
    return _render_exam(found, form, _position_arg(found))


def _render_exam(found: PaperAttempt, form, current: int, *, error: str | None = None, status: int = 200):
    now = sitting.now_utc()
    saved = {a.position: a.text for a in found.answers}
    return (
        render_template(
            "papers/exam.html",
            sitting=found,
            paper=found.paper,
            form=form,
            current=current,
            error=error,
            state=sitting.sitting_state(found, now),
            elapsed=int((now - found.started_at).total_seconds()),
            floors={a.position: limit_floor(a.question) for a in found.answers},
            unsaved={p for p in saved if (form[f"text_{p}"].data or "").replace("\r\n", "\n") != saved[p]},
            autosave_ms=int(current_app.config.get("AUTOSAVE_MS", 3000)),
            display_tz=str(_display_tz()),
        ),
        status,
    )


@bp.route("/papers/sittings/<int:sitting_id>/state")
@paper_login_required
def state(sitting_id: int):
    """The sitting as JSON: every answer's text and the server's clock."""
    found = _sitting_or_404(sitting_id)
    return jsonify(sitting.sitting_state(found))


@bp.route("/papers/sittings/<int:sitting_id>/answers/<int:position>")
@paper_login_required
def answer_state(sitting_id: int, position: int):
    """One question's draft as JSON (what another tab or device saved)."""
    found = _sitting_or_404(sitting_id)
    try:
        answer = sitting.answer_at(found, position)
    except LookupError:
        abort(404)
    return jsonify(sitting.answer_state(answer))


@bp.route("/papers/sittings/<int:sitting_id>/answers/<int:position>", methods=["POST"])
@paper_login_required
def save_answer(sitting_id: int, position: int):
    """Autosave one question (JSON); saving counts as working on it."""
    found = _sitting_or_404(sitting_id)
    payload = request.get_json(silent=True) or {}
    text = payload.get("text")
    if not isinstance(text, str):
        return jsonify(error="invalid", message="请求格式不正确。"), 400
    try:
        answer = sitting.save_answer(found, position, text, max_answer=_max_answer())
    except LookupError:
        abort(404)
    except errors.PracticeError as exc:
        db.session.rollback()
        status = {"no_draft": 409, "exam_over": 409, "too_long": 413}.get(exc.code, 400)
        return jsonify(error=exc.code, message=exc.message), status
    db.session.commit()
    data = sitting.answer_state(answer)
    return jsonify(ok=True, saved_at=data["saved_at"], now=data["now"], char_count=data["char_count"])


@bp.route("/papers/sittings/<int:sitting_id>/focus", methods=["POST"])
@paper_login_required
def focus(sitting_id: int):
    """The candidate switched to another question: the time so far goes to the one they left."""
    found = _sitting_or_404(sitting_id)
    position = (request.get_json(silent=True) or {}).get("position")
    if not isinstance(position, int):
        return jsonify(error="invalid", message="请求格式不正确。"), 400
    try:
        sitting.focus(found, position)
    except LookupError:
        abort(404)
    except errors.PracticeError as exc:
        db.session.rollback()
        return jsonify(error=exc.code, message=exc.message), 409
    db.session.commit()
    return jsonify(ok=True, active=found.active_position, now=sitting.epoch_ms(sitting.now_utc()))


def _post_texts(found: PaperAttempt):
    """Save what a form posted (all questions); returns (form, problems) or a redirect when closed."""
    positions = [a.position for a in found.answers]
    form = exam_form(positions)
    form.validate_on_submit()
    current = form.current.data
    current = int(current) if current and current.isdigit() and int(current) in positions else None
    problems = sitting.save_posted(found, posted_texts(form, positions), max_answer=_max_answer(), current=current)
    return form, problems


@bp.route("/papers/sittings/<int:sitting_id>/save", methods=["POST"])
@login_required
def save_all(sitting_id: int):
    """保存 / switching questions with JavaScript off: every answer is posted and saved."""
    found = _sitting_or_404(sitting_id)
    try:
        form, problems = _post_texts(found)
    except errors.PracticeError as exc:
        db.session.rollback()
        closed = _closed_redirect(found)
        if closed is not None:
            flash(exc.message, "info")
            return closed
        abort(409)
    goto = request.form.get("goto", type=int)
    if goto in [a.position for a in found.answers]:
        sitting.focus(found, goto)
    db.session.commit()
    if problems:
        return _render_exam(found, form, goto or found.active_position or 1, error=" ".join(problems), status=422)
    flash(f"已保存（{sitting.now_utc().astimezone(_display_tz()):%H:%M:%S}）。", "success")
    return redirect(url_for("papers.exam", sitting_id=found.id, q=goto or found.active_position))


@bp.route("/papers/sittings/<int:sitting_id>/hand-in", methods=["POST"])
@login_required
def hand_in(sitting_id: int):
    """交卷: save what was posted, confirm (listing unanswered questions), then score all together."""
    found = _sitting_or_404(sitting_id)
    if not found.is_open:
        return redirect(url_for("papers.report_page", sitting_id=found.id))
    confirmed = request.form.get("confirm") == "1"
    try:
        if confirmed:
            if not ConfirmForm().validate_on_submit():
                abort(400)
            if any(k.startswith("text_") for k in request.form):
                _post_texts(found)
        else:
            _post_texts(found)
    except errors.ExamOver:
        db.session.rollback()  # past the grace: hand in what was saved in time
    if not confirmed and not sitting.is_closed(found):
        db.session.commit()
        return render_template(
            "papers/confirm.html", sitting=found, paper=found.paper, form=ConfirmForm(),
            unanswered=sitting.unanswered(found),
        )
    late = sitting.is_closed(found)
    sitting.hand_in(found)
    db.session.commit()
    flash("考试时间已到，已按时间到时保存的内容交卷。" if late or found.timed_out else "已交卷，全部题目已评分。", "info")
    return redirect(url_for("papers.report_page", sitting_id=found.id))


# -- report and print --------------------------------------------------------------


@bp.route("/papers/sittings/<int:sitting_id>/report")
@login_required
def report_page(sitting_id: int):
    """The paper report: total, per-question scores and time, missed points by 纲要 area."""
    found = _sitting_or_404(sitting_id, read_only=True)
    if found.is_open and found.user_id == current_user.id:
        closed = _closed_redirect(found)
        if closed is None:
            return redirect(url_for("papers.exam", sitting_id=found.id))
    if found.is_open:
        abort(404)
    return render_template("papers/report.html", report=report.paper_report(found))


@bp.route("/papers/<slug>/print")
@login_required
def print_paper(slug: str):
    """The paper to print: instructions, prompts, materials, 方格纸 answer sheets."""
    paper = listing.paper_or_404(slug, include_drafts=current_user.has_role(Role.TUTOR))
    sheets = {pq.position: sheet_rows(pq.question.limit_max) for pq in paper.questions}
    return render_template("papers/print.html", paper=paper, sheets=sheets)


def sheet_rows(limit_max: int | None) -> list[int]:
    """Rows of 25 cells for an answer sheet: the limit and a fifth more, in 100-cell blocks;
    each item is the cell count at the row's end (marked every 100)."""
    cells = int((limit_max or 800) * 1.2)
    rows = -(-cells // 100) * 4
    return [(i + 1) * 25 for i in range(rows)]


# -- template helpers for pages of other features ------------------------------------


@bp.app_template_filter("char_count")
def char_count_filter(text: str) -> int:
    return char_count(text or "")


@bp.app_template_global("paper_history")
def paper_history(user_id: int) -> SimpleNamespace:
    """The history page's 模拟考试 section: handed-in sittings and totals over time."""
    sittings = report.user_sittings(user_id)
    return SimpleNamespace(
        sittings=sittings, chart=report.totals_chart(sittings, _display_tz()),
        total=report.total, seconds=report.seconds_used,
    )


@bp.app_template_global("paper_of_attempt")
def paper_of_attempt(attempt_id: int) -> PaperAttempt | None:
    """The sitting an attempt was written in, for the result page's link back to the paper.

    The page's attempt is in the session already, usually with its paper answer (loaded with it).
    """
    attempt = db.session.get(Attempt, attempt_id)
    answer = attempt.paper_answer if attempt is not None else None
    return answer.sitting if answer is not None else None


@bp.app_template_global("papers_of_attempts")
def papers_of_attempts(attempt_ids: list[int]) -> dict[int, PaperAttempt]:
    """For a list of attempts (作答复核): which were written in a paper, in one query."""
    return report.sitting_of_attempts(list(attempt_ids))
