"""Practice routes: start, write (autosave), submit, result, self-marks, history.

Drafts are addressed by question only, never by id: a candidate can only
ever reach their own draft. Attempts are looked up through the owner check
in the service (someone else's attempt is a 404).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from zoneinfo import ZoneInfo

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError, generate_csrf
from sqlalchemy.exc import IntegrityError, OperationalError

from .. import catalog, model_results
from ..busy import BUSY_MESSAGE, is_lock_timeout, retry_headers
from ..extensions import db, login_manager
from ..links import row_links
from ..pagination import paginate
from . import (
    bp,
    charts,
    drafts,
    errors,
    export,
    progress,
    result_parts,
    results,
    self_scoring,
    submitting,
)
from .forms import posted_answer, self_mark_form

LAPSED = "登录已过期，请重新登录。你的内容已保存在本机浏览器中，登录后会自动恢复。"
STALE = "页面已过期（安全校验失败）。你的内容没有丢失，请再提交一次。"


def _display_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("DISPLAY_TIMEZONE", "Asia/Shanghai"))


def _max_answer() -> int:
    return int(current_app.config["MAX_ANSWER_CHARS"])


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def lapsed_json(login_url: Callable[[], str]):
    """What the autosave script gets when the login lapsed: 401 and where to log in again."""
    return jsonify(error="login", message=LAPSED, login_url=login_url()), 401


def csrf_json(login_url: Callable[[], str]):
    """What a script gets when CSRF fails: a lapsed login (401) or a stale token (400)."""
    if not current_user.is_authenticated:
        return lapsed_json(login_url)
    return jsonify(error="csrf", message=STALE), 400


def json_login_required(login_url: Callable[[], str]):
    """login_required that answers scripts with 401 JSON (and where to log in) instead of a login page."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if _wants_json():
                    return lapsed_json(login_url)
                return login_manager.unauthorized()
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _login_url() -> str:
    slug = (request.view_args or {}).get("slug")
    target = url_for("practice.workspace", slug=slug) if slug else url_for("questions.index")
    return url_for("auth.login", next=target)


practice_login_required = json_login_required(_login_url)


@bp.errorhandler(CSRFError)
def csrf_failed(error):
    """A stale page or lapsed login: keep the candidate's text and say what to do."""
    if _wants_json():
        return csrf_json(_login_url)
    slug = (request.view_args or {}).get("slug")
    if not current_user.is_authenticated:
        text = request.form.get("text", "")
        if request.endpoint in ("practice.submit", "practice.save") and text.strip():
            # without scripts nothing else holds this text: hand it back to copy
            return render_template(
                "practice/lapsed.html", text=text, login_url=_login_url(),
                submitting=request.endpoint == "practice.submit",
            ), 401
        flash("登录已过期，请重新登录后继续。已自动保存的草稿会恢复。", "info")
        return redirect(_login_url())
    if slug and request.endpoint in ("practice.submit", "practice.save"):
        question = catalog.question_or_404(slug)
        draft = drafts.get_draft(current_user.id, question)
        if draft is not None:
            text, revision = posted_answer()
            # nothing was saved: the page keeps the revision it was written from
            return _render_workspace(question, draft, text, error=STALE, status=400, revision=revision)
    return render_template("errors/error.html", code=400, message=STALE), 400


@bp.errorhandler(OperationalError)
def database_busy(error):
    """The database could not take the write in time: 503 to retry, and the text handed back."""
    if not is_lock_timeout(error):
        raise error
    db.session.rollback()
    if _wants_json():
        # The autosave script keeps the text in the browser and retries after Retry-After.
        return jsonify(error="busy", message=BUSY_MESSAGE), 503, retry_headers()
    slug = (request.view_args or {}).get("slug")
    if slug and request.endpoint in ("practice.submit", "practice.save"):
        question = catalog.question_or_404(slug)
        draft = drafts.get_draft(current_user.id, question)
        if draft is not None:
            # Without scripts the page is all that holds the text: show it again, unsaved.
            text = request.form.get("text", "")
            response, status = _render_workspace(question, draft, text, error=BUSY_MESSAGE, status=503)
            return response, status, retry_headers()
    return render_template("errors/error.html", code=503, message=BUSY_MESSAGE), 503, retry_headers()


@bp.app_template_filter("localtime")
def localtime(moment, fmt: str = "%Y-%m-%d %H:%M"):
    return moment.astimezone(_display_tz()).strftime(fmt) if moment else ""


@bp.app_template_filter("duration")
def duration(seconds: int) -> str:
    seconds = int(seconds or 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}小时{minutes}分"
    return f"{minutes}分{secs:02d}秒"


# -- writing ---------------------------------------------------------------


@bp.route("/questions/<slug>/start", methods=["POST"])
@login_required
def start(slug: str):
    """开始作答 / 再练一次: start the server's clock (an open draft keeps its clock)."""
    question = catalog.question_or_404(slug)
    # The form (StartForm) has one optional choice; CSRFProtect has checked the token already.
    exam_mode = request.form.get("mode") == "exam"
    try:
        _, created = drafts.start_draft(current_user.id, question, exam_mode=exam_mode)
        db.session.commit()
    except IntegrityError:  # a second tab started the same draft a moment earlier
        db.session.rollback()
        created = False
    if not created:
        flash("这道题有一份未提交的草稿，已为你打开，计时从第一次开始作答时算起。", "info")
    return redirect(url_for("practice.workspace", slug=slug))


@bp.route("/questions/<slug>/practice")
@login_required
def workspace(slug: str):
    """The practice page: prompt, materials, editor, clock, 字数 and 方格纸."""
    question = catalog.question_or_404(slug, with_genre=True)
    draft = drafts.get_draft(current_user.id, question)
    if draft is None:
        flash("点击“开始作答”后开始计时。", "info")
        return redirect(url_for("questions.detail", slug=slug))
    if drafts.exam_closed(draft, question):
        attempt = submitting.close_exam(draft, question, max_answer=_max_answer())
        db.session.commit()
        if attempt is not None:
            flash("考试时间已到，已按时间到时保存的内容自动交卷。", "info")
            return redirect(url_for("practice.attempt", attempt_id=attempt.id))
        flash("考试时间已到，你还没有可交的答案；本题已转为练习模式，可以继续作答。", "info")
    return _render_workspace(question, draft, draft.text)


def _render_workspace(question, draft, text: str, *, error: str | None = None, status: int = 200,
                      conflict: bool = False, revision: int | None = None):
    """The practice page showing ``text`` in the editor (the draft's, or what a refused post sent)."""
    now = drafts.now_utc()
    return (
        render_template(
            "practice/workspace.html",
            question=question,
            draft=draft,
            text=text,
            # Saving again from this page builds on what the server holds now (after a
            # conflict: the candidate has seen both texts), unless told otherwise.
            revision=revision if revision is not None else draft.revision,
            error=error,
            state=drafts.draft_state(draft, now),
            elapsed=drafts.elapsed_seconds(draft, now),
            limit_floor=drafts.limit_floor(question),
            # After a refused submit the page shows the posted text, which may not be the draft's.
            unsaved=drafts.clean_text(text) != draft.text,
            max_answer=_max_answer(),
            display_tz=str(_display_tz()),
            autosave_ms=int(current_app.config.get("AUTOSAVE_MS", 3000)),
            conflict_text=draft.text if conflict else None,
        ),
        status,
    )


@bp.route("/questions/<slug>/draft")
@practice_login_required
def draft_state(slug: str):
    """The draft as JSON (text, 字数 by the server's rule, the server's clock)."""
    question = catalog.question_or_404(slug)
    draft = drafts.get_draft(current_user.id, question)
    if draft is None:
        return jsonify(error="no_draft", message="本题没有进行中的作答。"), 404
    return jsonify(drafts.draft_state(draft))


@bp.route("/questions/<slug>/draft", methods=["POST"])
@practice_login_required
def save(slug: str):
    """Save the draft: JSON from the autosave script, or the 保存草稿 form button."""
    question = catalog.question_or_404(slug)
    if request.is_json:
        return _save_json(question)
    text, revision = posted_answer()
    try:
        draft = drafts.save_draft(current_user.id, question, text, max_answer=_max_answer(), revision=revision)
    except errors.PracticeError as exc:
        db.session.rollback()
        draft = drafts.get_draft(current_user.id, question)
        if draft is None:
            flash(exc.message, "error")
            return redirect(url_for("questions.detail", slug=slug))
        conflict = isinstance(exc, errors.DraftConflict)
        return _render_workspace(question, draft, text, error=exc.message, status=409 if conflict else 422,
                                 conflict=conflict)
    db.session.commit()
    flash(f"草稿已保存（{localtime(draft.saved_at, '%H:%M:%S')}）。", "success")
    return redirect(url_for("practice.workspace", slug=slug))


def _save_json(question):
    payload = request.get_json(silent=True) or {}
    text = payload.get("text")
    revision = payload.get("revision")
    if not isinstance(text, str) or not (revision is None or type(revision) is int):
        return jsonify(error="invalid", message="请求格式不正确。"), 400
    try:
        draft = drafts.save_draft(current_user.id, question, text, max_answer=_max_answer(), revision=revision)
    except errors.DraftConflict as exc:
        db.session.rollback()
        state = drafts.draft_state(exc.draft)
        return jsonify(error=exc.code, message=exc.message, text=state["text"], revision=state["revision"],
                       saved_at=state["saved_at"], now=state["now"]), 409
    except errors.PracticeError as exc:
        db.session.rollback()
        status = {"no_draft": 409, "exam_over": 409, "too_long": 413}.get(exc.code, 400)
        return jsonify(error=exc.code, message=exc.message), status
    state = drafts.draft_state(draft)  # before the commit, which would expire the draft and reload it
    db.session.commit()
    return jsonify(ok=True, saved_at=state["saved_at"], now=state["now"], char_count=state["char_count"],
                   revision=state["revision"])


@bp.route("/practice/csrf-token")
@practice_login_required
def csrf_token():
    """A fresh CSRF token for the autosave script after the old one went stale."""
    return jsonify(token=generate_csrf())


@bp.route("/questions/<slug>/submit", methods=["POST"])
@login_required
def submit(slug: str):
    """Score the answer and store the attempt; a refused answer stays in the draft."""
    question = catalog.question_or_404(slug)
    text, revision = posted_answer()
    draft = drafts.get_draft(current_user.id, question)
    late = draft is not None and drafts.exam_closed(draft, question)
    try:
        attempt = submitting.submit_answer(current_user.id, question, text, max_answer=_max_answer(),
                                           revision=revision, draft=draft)
    except errors.DraftConflict as exc:
        db.session.rollback()  # nothing was written: the candidate chooses first
        return _render_workspace(question, exc.draft, text, error=exc.message, status=409, conflict=True)
    except errors.PracticeError as exc:
        db.session.commit()  # the text was kept as the draft
        draft = drafts.get_draft(current_user.id, question)
        return _render_workspace(question, draft, text, error=exc.message, status=422)
    db.session.flush()
    attempt_id = attempt.id  # read before the commit, which would expire (and reload) the attempt
    db.session.commit()
    if late:
        flash("考试时间已过，按时间到时保存的内容交卷；之后写的内容不计入。", "info")
    return redirect(url_for("practice.attempt", attempt_id=attempt_id))


# -- results ---------------------------------------------------------------


def _attempt_or_404(attempt_id: int, *, write: bool = False):
    attempt = results.attempt_for(current_user, attempt_id, write=write)
    if attempt is None:
        abort(404)
    return attempt


@bp.route("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int):
    """The result: score, highlights, points, format, model answer side by side, self-marks."""
    attempt = _attempt_or_404(attempt_id)
    view = results.attempt_view(attempt, request.args.get("model"))
    page = render_result_page(view)
    # Keeps model-answer results scored on this first view; after rendering, so that
    # the commit does not expire (and reload) what the page shows.
    model_results.commit_stored()
    return page


def render_result_page(view, form=None, status: int = 200):
    """The result page; ``form``: a self-marking form that failed validation, shown with its errors."""
    owner = view.attempt.user_id == current_user.id
    return (
        render_template(
            "practice/attempt.html",
            view=view,
            parts=result_parts.result_parts(view),
            self_marks=self_scoring.self_mark_fields(view.points, form) if owner else None,
            note_max=self_scoring.NOTE_MAX,
            mark_labels=results.MARK_LABELS,
            flag_labels=results.FLAG_LABELS,
            deduction_labels=results.DEDUCTION_LABELS,
        ),
        status,
    )


@bp.route("/attempts/<int:attempt_id>/self-marks", methods=["POST"])
@login_required
def self_marks(attempt_id: int):
    """Save the candidate's own marks for each point; then show where they differ."""
    attempt = _attempt_or_404(attempt_id, write=True)
    rows = results.point_rows(attempt)
    form = self_mark_form(rows)
    if not form.validate_on_submit():
        view = results.attempt_view(attempt, request.args.get("model"))
        return render_result_page(view, form, status=422)
    marks = {point.key: (mark.data, note.data or "") for point, mark, note in form.point_fields}
    self_scoring.save_self_marks(attempt, marks)
    db.session.commit()
    flash("自评已保存。下面列出你的自评与系统评分不一致的要点。", "success")
    return redirect(url_for("practice.attempt", attempt_id=attempt.id, _anchor="self"))


# -- history ---------------------------------------------------------------


@bp.route("/me/history")
@login_required
def history():
    """My attempts, score over time, coverage per 纲要 area (weakest first)."""
    total = progress.attempt_count(current_user.id)
    page = paginate(progress.history_query(current_user.id), per_page=progress.HISTORY_PER_PAGE, rows=True,
                    known_total=total)
    areas = progress.stored_area_stats(current_user.id)
    weakest = areas[0] if areas else None
    scores = progress.recent_scores(current_user.id)
    attempts = progress.history_rows(page.items)
    return render_template(
        "practice/history.html",
        attempts=attempts,
        overridden=any(a.override_score is not None for a in attempts),  # the note on overridden coverages
        page=page,
        total=total,
        areas=areas,
        weakest=weakest,
        suggestion=progress.practice_for_area(weakest.key, current_user.id) if weakest else None,
        score_chart=charts.score_chart(scores, _display_tz()),
        area_chart=charts.area_chart(areas),
        attempt_url=row_links("practice.attempt", "attempt_id"),
        report_url=row_links("papers.report_page", "sitting_id"),
    )


@bp.route("/me/history.csv")
@login_required
def history_csv():
    """My attempts as a CSV file."""
    from ..papers.report import csv_papers

    attempts = progress.user_attempts(current_user.id)
    body = export.attempts_csv(attempts, _display_tz(), csv_papers([a.id for a in attempts], _display_tz()))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="fazhi-prep-attempts.csv"'},
    )
