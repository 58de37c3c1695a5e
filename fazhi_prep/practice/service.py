"""Practice logic: drafts, submitting and scoring attempts, self-marks, progress.

Plain functions over the models; the practice blueprint only speaks HTTP.
Callers own the transaction: these functions add and change rows, the route
commits (or rolls back).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import catalog
from ..extensions import db
from ..models import Attempt, Draft, LibraryArea, Question, Role
from ..scoring import char_count, score
from ..scoring.coverage import credit
from ..scoring.spec import LengthRule

MARKS = ("covered", "partly", "missed")
MARK_LABELS = {"covered": "覆盖", "partly": "部分", "missed": "未覆盖"}
MARK_RANK = {"missed": 0, "partly": 1, "covered": 2}
NOTE_MAX = 200
# Drafts may hold more than a submittable answer (so an over-size text is kept
# while the candidate trims it), but not without bound.
DRAFT_FACTOR = 2

FLAG_LABELS = {
    "over_limit": "超出字数",
    "under_limit": "字数不足",
    "keyword_stuffing": "堆砌关键词",
    "copied_material": "照抄材料或范文",
}
DEDUCTION_LABELS = {
    **FLAG_LABELS,
    "relevance": "内容关联不足",
    "relevance_content": "内容关联不足（要点）",
    "copied_length": "照抄部分不计字数",
    "common_errors": "常见错误",
}


def now_utc() -> datetime:
    return datetime.now(UTC)


def clean_text(text: str) -> str:
    """One newline convention: forms post CRLF, scripts send LF; spans index the stored text."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


class PracticeError(Exception):
    """A request the candidate can fix; ``message`` is shown as it is."""

    code = "invalid"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NoDraft(PracticeError):
    code = "no_draft"


class TooLong(PracticeError):
    code = "too_long"


class EmptyAnswer(PracticeError):
    code = "empty"


class ExamOver(PracticeError):
    code = "exam_over"


# The browser submits an exam at zero; this much later the server closes it
# itself (a slow network, a laptop lid shut at the last minute).
EXAM_GRACE = timedelta(seconds=60)


def exam_deadline(draft: Draft, question: Question) -> datetime | None:
    if not draft.exam_mode or not question.minutes:
        return None
    return draft.started_at + timedelta(minutes=question.minutes)


def exam_closed(draft: Draft, question: Question, now: datetime | None = None) -> bool:
    """An exam draft past its time (and the grace): it can only be handed in as saved."""
    deadline = exam_deadline(draft, question)
    return deadline is not None and (now or now_utc()) > deadline + EXAM_GRACE


# -- drafts ---------------------------------------------------------------


def get_draft(user_id: int, question: Question) -> Draft | None:
    return db.session.scalar(
        select(Draft).where(Draft.user_id == user_id, Draft.question_id == question.id)
    )


def start_draft(
    user_id: int, question: Question, *, exam_mode: bool, now: datetime | None = None
) -> tuple[Draft, bool]:
    """The candidate's draft for ``question``; a new one starts the clock now.

    An existing draft is returned untouched: starting again from a second tab
    or after a reload must not reset the clock.
    """
    draft = get_draft(user_id, question)
    if draft is not None:
        return draft, False
    now = now or now_utc()
    draft = Draft(
        user_id=user_id,
        question_id=question.id,
        text="",
        exam_mode=exam_mode,
        started_at=now,
        saved_at=now,
    )
    db.session.add(draft)
    return draft, True


def close_exam(draft: Draft, question: Question, *, max_answer: int, now: datetime | None = None) -> Attempt | None:
    """收卷: hand in ``draft``, an exam whose time is over (``exam_closed``), as last saved.

    Reopening the question after the time (a reload, the next day, with
    JavaScript off) must not leave the exam open. Nothing to hand in (an
    empty draft) turns it into a practice draft instead, so the candidate
    can still write.
    """
    try:
        return submit_answer(draft.user_id, question, draft.text, max_answer=max_answer, now=now)
    except PracticeError:
        draft.exam_mode = False
        return None


def draft_limit(max_answer: int) -> int:
    return max_answer * DRAFT_FACTOR


def save_draft(
    user_id: int, question: Question, text: str, *, max_answer: int, now: datetime | None = None
) -> Draft:
    """Store the draft text. Only an open draft is written: a save arriving
    after the answer was submitted (another tab, a late autosave) must not
    resurrect an old text as a new draft."""
    text = clean_text(text)
    draft = get_draft(user_id, question)
    if draft is None:
        raise NoDraft("本题没有进行中的作答（可能已在其他窗口提交）。内容仍保留在本页面。")
    now = now or now_utc()
    if exam_closed(draft, question, now):
        raise ExamOver("考试时间已到，之后写的内容不再保存；请交卷，将按时间到时保存的内容评分。")
    if len(text) > draft_limit(max_answer):
        raise TooLong(f"内容超过 {draft_limit(max_answer)} 个字符，未能保存到服务器。请删减后再保存。")
    draft.text = text
    draft.saved_at = now
    return draft


def draft_state(draft: Draft, now: datetime | None = None) -> dict[str, Any]:
    """What the practice page's scripts need: the text and the server's clock."""
    now = now or now_utc()
    return {
        "text": draft.text,
        "char_count": char_count(draft.text),
        "started_at": epoch_ms(draft.started_at),
        "saved_at": epoch_ms(draft.saved_at),
        "now": epoch_ms(now),
        "exam_mode": draft.exam_mode,
    }


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def limit_floor(question: Question) -> int | None:
    """The count under which the length is flagged: M of M–N, else the engine's soft floor of N字."""
    if question.limit_min:
        return question.limit_min
    if question.limit_max:
        return math.ceil(question.limit_max * LengthRule().soft_floor_ratio)
    return None


def elapsed_seconds(draft: Draft, now: datetime | None = None) -> int:
    return max(0, int(((now or now_utc()) - draft.started_at).total_seconds()))


# -- submitting -----------------------------------------------------------


def check_answer(text: str, max_answer: int) -> int:
    """The answer's 字数, or a clear refusal for an empty or over-size answer."""
    if not text.strip():
        raise EmptyAnswer("答案是空的：请先作答再提交。")
    if len(text) > draft_limit(max_answer):
        raise TooLong(f"内容超过 {draft_limit(max_answer)} 个字符（含空格），无法提交。请删减后再提交。")
    count = char_count(text)
    if count > max_answer:
        raise TooLong(
            f"答案有 {count} 字，超过了可提交的上限 {max_answer} 字。内容已保留，请删减后再提交。"
        )
    if count == 0:
        raise EmptyAnswer("答案是空的：请先作答再提交。")
    return count


def submit_answer(
    user_id: int, question: Question, text: str, *, max_answer: int, now: datetime | None = None
) -> Attempt:
    """Score ``text`` and store it as an Attempt; the draft ends with it.

    The text is written to the draft before it is checked, so a refused
    submit (empty, over-size) never loses what the candidate wrote: on
    PracticeError the caller still commits. Time used runs from the draft's
    server-recorded start to the server's now; in exam mode it stops at the
    time limit, and an exam closed by time is handed in as last saved.
    """
    now = now or now_utc()
    text = clean_text(text)
    draft = get_draft(user_id, question)
    if draft is not None and exam_closed(draft, question, now):
        text = draft.text
    if draft is None:
        # No clock to measure against (already submitted elsewhere): keep the
        # text as a new draft rather than record a zero-time attempt.
        draft, _ = start_draft(user_id, question, exam_mode=False, now=now)
        draft.text = text if len(text) <= draft_limit(max_answer) else draft.text
        raise NoDraft("本题已经提交过（或草稿已结束）。你的内容已保存为新的草稿，计时重新开始；请检查后再提交。")
    # An empty post (a glitch, a cleared field) must not wipe a written draft.
    if text.strip() and len(text) <= draft_limit(max_answer):
        draft.text = text
        draft.saved_at = now
    check_answer(text, max_answer)
    rubric = question.rubric
    if rubric is None:
        raise PracticeError("这道题还没有评分要点，暂时不能提交评分。草稿已保存。")
    result = score(catalog.question_spec(question, rubric), text)
    attempt = Attempt(
        user_id=user_id,
        question_id=question.id,
        rubric_id=rubric.id,
        answer=text,
        exam_mode=draft.exam_mode,
        started_at=draft.started_at,
        submitted_at=min(now, exam_deadline(draft, question) or now),
        char_count=result.char_count,
        score=result.score,
        result=result.to_dict(),
    )
    db.session.add(attempt)
    db.session.delete(draft)
    return attempt


# -- result page ------------------------------------------------------------


def point_status(point: dict[str, Any]) -> str:
    """covered / partly / missed by the engine's own tiers, on counted coverage
    (text flagged as 堆砌 or 照抄 does not cover anything)."""
    share = credit(float(point.get("counted_coverage", point.get("coverage", 0.0))), "tiered")
    return "covered" if share >= 1.0 else "partly" if share > 0 else "missed"


@dataclass
class Mark:
    """One highlighted span: which points (numbers) or errors it belongs to."""

    start: int
    end: int
    points: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()
    counted: bool = True
    error: str | None = None


@dataclass
class Segment:
    text: str
    points: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()
    counted: bool = True
    error: str | None = None
    tag: str = ""  # point numbers shown after the last piece of a highlighted run

    @property
    def marked(self) -> bool:
        return bool(self.points or self.error)


def _marks_from(result: dict[str, Any], numbers: dict[str, int]) -> list[Mark]:
    marks = []
    for point in result.get("points", []):
        n = numbers.get(point["key"])
        if n is None:
            continue
        for hit in point.get("hits", []):
            spans = {tuple(s) for s in hit.get("spans") or []} | {tuple(hit["span"])}
            for a, b in spans:
                marks.append(Mark(a, b, (n,), (point["label"],), bool(hit.get("counted", True))))
    for error in result.get("errors", []):
        a, b = error["span"]
        marks.append(Mark(a, b, error=f"应为“{error['right']}”：{error['explain']}"))
    return marks


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """Split ``text`` at every mark boundary; each piece knows what covers it.

    The template renders the pieces escaped (never ``|safe`` on answer text).
    """
    bounds = {0, len(text)}
    for m in marks:
        a, b = max(0, min(m.start, len(text))), max(0, min(m.end, len(text)))
        if a < b:
            bounds.update((a, b))
    cuts = sorted(bounds)
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [m for m in marks if m.start <= a and m.end >= b and m.start < m.end]
        nums: dict[int, str] = {}
        for m in covering:
            for n, label in zip(m.points, m.labels, strict=True):
                nums.setdefault(n, label)
        error = next((m.error for m in covering if m.error), None)
        counted = all(m.counted for m in covering if m.points)
        seg = Segment(text[a:b], tuple(sorted(nums)), tuple(nums[n] for n in sorted(nums)), counted, error)
        prev = out[-1] if out else None
        if prev and (prev.points, prev.counted, prev.error) == (seg.points, seg.counted, seg.error):
            prev.text += seg.text
        else:
            out.append(seg)
    for i, seg in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        if seg.points and (nxt is None or not set(seg.points) <= set(nxt.points)):
            seg.tag = ",".join(str(n) for n in seg.points)
    return out


@dataclass
class PointRow:
    number: int
    key: str
    label: str
    source: str
    area: str | None
    weight: float
    earned: float
    max: float
    status: str
    raw_status: str
    terms: list[str]
    missing: list[list[str]]
    core_missing: list[list[str]] = field(default_factory=list)
    model_status: str | None = None
    model_terms: list[str] = field(default_factory=list)
    self_mark: str | None = None
    self_note: str = ""

    @property
    def status_label(self) -> str:
        return MARK_LABELS[self.status]

    @property
    def disagrees(self) -> bool:
        return self.self_mark is not None and self.self_mark != self.status


@dataclass
class ModelView:
    variant: str
    title: str
    author: str
    note: str
    segments: list[Segment]
    char_count: int


@dataclass
class AttemptView:
    attempt: Attempt
    question: Question
    result: dict[str, Any]
    points: list[PointRow]
    answer: list[Segment]
    models: list[ModelView]
    model: ModelView | None
    model_only: list[PointRow]  # points the model answer covers and the attempt does not
    seconds_used: int
    area_labels: dict[str, str]

    @property
    def self_marked(self) -> bool:
        return bool(self.attempt.self_marks)

    @property
    def disagreements(self) -> list[PointRow]:
        return [p for p in self.points if p.disagrees]

    @property
    def agreed(self) -> int:
        return sum(1 for p in self.points if p.self_mark and not p.disagrees)


def _terms(point: dict[str, Any]) -> list[str]:
    seen: list[str] = []
    for hit in point.get("hits", []):
        if hit["text"] not in seen:
            seen.append(hit["text"])
    return seen


def point_rows(attempt: Attempt) -> list[PointRow]:
    """The attempt's rubric points, numbered, with the engine's and the candidate's marks."""
    self_marks = attempt.self_marks or {}
    rows = []
    for number, point in enumerate(attempt.result.get("points", []), start=1):
        mine = self_marks.get(point["key"]) or {}
        rows.append(
            PointRow(
                number=number,
                key=point["key"],
                label=point["label"],
                source=point.get("source", ""),
                area=point.get("area"),
                weight=point.get("weight", 0),
                earned=point.get("earned", 0),
                max=point.get("max", 0),
                status=point_status(point),
                raw_status=point_status({"counted_coverage": point.get("coverage", 0)}),
                terms=_terms(point),
                missing=point.get("missing", []),
                core_missing=point.get("core_missing", []),
                self_mark=mine.get("mark"),
                self_note=mine.get("note", ""),
            )
        )
    return rows


def attempt_view(attempt: Attempt, model_variant: str | None = None) -> AttemptView:
    """Everything the result page shows, from the stored result and the model answers.

    Model answers are scored with the attempt's own rubric version, so the
    same points are marked in both texts even after the rubric changed.
    """
    result = attempt.result
    rows = point_rows(attempt)
    numbers = {r.key: r.number for r in rows}
    scored = _score_models(attempt)
    models = _model_views(attempt, numbers, scored)
    chosen = next((m for m in models if m.variant == model_variant), models[0] if models else None)
    by_key = {r.key: r for r in rows}
    if chosen is not None:
        for point in scored[chosen.variant].get("points", []):
            if point["key"] in by_key:
                by_key[point["key"]].model_status = point_status(point)
                by_key[point["key"]].model_terms = _terms(point)
    model_only = [
        r for r in rows
        if r.model_status and MARK_RANK[r.model_status] > MARK_RANK[r.status]
    ]
    return AttemptView(
        attempt=attempt,
        question=attempt.question,
        result=result,
        points=rows,
        answer=segments(attempt.answer, _marks_from(result, numbers)),
        models=models,
        model=chosen,
        model_only=model_only,
        seconds_used=attempt.seconds_used,
        area_labels=area_labels(),
    )


def _score_models(attempt: Attempt) -> dict[str, dict[str, Any]]:
    question = attempt.question
    if not question.model_answers:
        return {}
    spec = catalog.question_spec(question, attempt.rubric)
    return {a.variant: score(spec, a.body, as_model=True).to_dict() for a in question.model_answers}


def _model_views(
    attempt: Attempt, numbers: dict[str, int], scored: dict[str, dict[str, Any]]
) -> list[ModelView]:
    return [
        ModelView(
            variant=a.variant,
            title=a.title,
            author=a.author,
            note=a.note,
            segments=segments(a.body, _marks_from(scored[a.variant], numbers)),
            char_count=scored[a.variant]["char_count"],
        )
        for a in attempt.question.model_answers
    ]


# -- self-marks -------------------------------------------------------------


def save_self_marks(attempt: Attempt, marks: dict[str, tuple[str, str]]) -> None:
    """Store the candidate's own marks: {point_key: (mark, note)} for the attempt's points."""
    keys = [p["key"] for p in attempt.result.get("points", [])]
    stored: dict[str, Any] = {}
    for key in keys:
        if key not in marks:
            continue
        mark, note = marks[key]
        if mark not in MARKS:
            raise PracticeError(f"无效的自评：{mark}")
        stored[key] = {"mark": mark, "note": (note or "").strip()[:NOTE_MAX]}
    # A new dict (not an in-place change) so the JSON column is marked dirty.
    attempt.self_marks = stored


# -- the question list ---------------------------------------------------------


@dataclass
class QuestionStats:
    attempts: int = 0
    best: float | None = None
    last_id: int | None = None
    last_at: datetime | None = None
    last_score: float | None = None
    draft: bool = False


def question_stats(user_id: int) -> dict[int, QuestionStats]:
    """Per question: how often the user attempted it, the best score, the last attempt."""
    stats: dict[int, QuestionStats] = {}
    rows = db.session.execute(
        select(
            Attempt.id, Attempt.question_id, Attempt.score, Attempt.override_score, Attempt.submitted_at
        ).where(Attempt.user_id == user_id).order_by(Attempt.submitted_at, Attempt.id)
    )
    for attempt_id, question_id, auto, override, at in rows:
        s = stats.setdefault(question_id, QuestionStats())
        final = override if override is not None else auto
        s.attempts += 1
        s.best = final if s.best is None else max(s.best, final)
        s.last_id, s.last_at, s.last_score = attempt_id, at, final
    for question_id in db.session.scalars(select(Draft.question_id).where(Draft.user_id == user_id)):
        stats.setdefault(question_id, QuestionStats()).draft = True
    return stats


LIMIT_BUCKETS = {
    "short": ("400字以内", lambda m: m is not None and m <= 400),
    "medium": ("401–999字", lambda m: m is not None and 400 < m < 1000),
    "long": ("1000字及以上", lambda m: m is not None and m >= 1000),
}


def filter_questions(
    questions: list[Question], *, genre: str = "", area: str = "", limit: str = ""
) -> list[Question]:
    """Questions matching the list page's filters (empty filter: any)."""
    out = []
    for q in questions:
        if genre and q.genre_key != genre:
            continue
        if area and area not in (q.areas or []):
            continue
        if limit in LIMIT_BUCKETS and not LIMIT_BUCKETS[limit][1](q.limit_max):
            continue
        out.append(q)
    return out


def area_labels() -> dict[str, str]:
    return dict(db.session.execute(select(LibraryArea.key, LibraryArea.label)).all())


def area_choices() -> list[tuple[str, str]]:
    return list(db.session.execute(select(LibraryArea.key, LibraryArea.label).order_by(LibraryArea.position)).all())


# -- history and progress -------------------------------------------------------


def user_attempts(user_id: int) -> list[Attempt]:
    stmt = (
        select(Attempt)
        .where(Attempt.user_id == user_id)
        .options(selectinload(Attempt.question))
        .order_by(Attempt.submitted_at, Attempt.id)
    )
    return list(db.session.scalars(stmt))


@dataclass
class AreaStat:
    key: str
    label: str
    coverage: float  # weight-averaged counted coverage of the area's points, 0–1
    points: int  # point results counted
    attempts: int  # attempts that touched the area


def area_stats(attempts: list[Attempt], labels: dict[str, str]) -> list[AreaStat]:
    """Coverage per 纲要 area across all attempts, weakest first.

    Each point result counts with its weight; question-specific points (no
    area) are not a 纲要 area and are left out.
    """
    totals: dict[str, list[float]] = {}
    touched: dict[str, set[int]] = {}
    for attempt in attempts:
        for point in attempt.result.get("points", []):
            key = point.get("area")
            if not key:
                continue
            weight = max(float(point.get("weight") or 0), 0.0) or 1.0
            acc = totals.setdefault(key, [0.0, 0.0, 0])
            acc[0] += weight * float(point.get("counted_coverage", point.get("coverage", 0)))
            acc[1] += weight
            acc[2] += 1
            touched.setdefault(key, set()).add(attempt.id)
    stats = [
        AreaStat(key, labels.get(key, key), acc[0] / acc[1] if acc[1] else 0.0, int(acc[2]), len(touched[key]))
        for key, acc in totals.items()
    ]
    order = list(labels)
    stats.sort(key=lambda s: (round(s.coverage, 4), order.index(s.key) if s.key in order else 99))
    return stats


def practice_for_area(area: str, user_id: int) -> Question | None:
    """A published question drawing on ``area``: the one the user attempted least."""
    stats = question_stats(user_id)
    candidates = [q for q in catalog.published_questions() if area in (q.areas or [])]
    if not candidates:
        candidates = [
            q for q in catalog.published_questions()
            if q.rubric and any(p.area == area for p in q.rubric.points)
        ]
    if not candidates:
        return None
    return min(candidates, key=lambda q: (stats.get(q.id, QuestionStats()).attempts, q.position, q.slug))


@dataclass
class Chart:
    """Coordinates for the server-drawn SVG charts (viewBox units)."""

    width: int
    height: int
    items: list[dict[str, Any]]
    extra: dict[str, Any] = field(default_factory=dict)


def score_chart(attempts: list[Attempt], tz) -> Chart:
    """Score over time: one dot per attempt, in submission order."""
    width, height = 400, 200
    left, right, top, bottom = 38, 12, 12, 32
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(attempts)
    items = []
    for i, attempt in enumerate(attempts):
        x = left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))
        y = top + plot_h * (1 - max(0.0, min(100.0, attempt.final_score)) / 100)
        local = attempt.submitted_at.astimezone(tz)
        items.append(
            {
                "x": round(x, 1),
                "y": round(y, 1),
                "score": attempt.final_score,
                "label": f"{local:%m-%d %H:%M} {attempt.question.slug} {attempt.final_score:g}分",
            }
        )
    grid = [{"y": round(top + plot_h * (1 - v / 100), 1), "value": v} for v in (0, 20, 40, 60, 80, 100)]
    first = attempts[0].submitted_at.astimezone(tz).strftime("%m-%d") if attempts else ""
    last = attempts[-1].submitted_at.astimezone(tz).strftime("%m-%d") if attempts else ""
    return Chart(
        width,
        height,
        items,
        {
            "grid": grid,
            "left": left,
            "right": width - right,
            "bottom": height - bottom,
            "line": " ".join(f"{p['x']},{p['y']}" for p in items),
            "first": first,
            "last": last,
        },
    )


def area_chart(stats: list[AreaStat]) -> Chart:
    """Coverage per 纲要 area as horizontal bars, a label line above each bar."""
    width, row, left, bar_w = 400, 50, 4, 330
    items = []
    for i, s in enumerate(stats):
        y = 8 + i * row
        items.append(
            {
                "label": s.label,
                "y_text": y + 16,
                "y_bar": y + 23,
                "w": round(bar_w * s.coverage, 1),
                "percent": f"{s.coverage:.0%}",
                "x_percent": left + bar_w + 8,
                "level": "low" if s.coverage < 0.4 else "mid" if s.coverage < 0.8 else "high",
                "title": f"{s.label}：覆盖率{s.coverage:.0%}（{s.points}个要点次，{s.attempts}次作答）",
            }
        )
    return Chart(width, 12 + row * len(stats), items, {"left": left, "bar_w": bar_w})


CSV_HEADER = [
    "提交时间", "题号", "题目", "得分", "系统评分", "字数", "字数要求", "用时（秒）", "建议用时（分钟）", "模式", "要点覆盖率",
    "教师评语",
]


def _csv_cell(value: Any) -> Any:
    # Spreadsheet apps run cells starting with these as formulas (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def attempts_csv(attempts: list[Attempt], tz) -> str:
    """The user's attempts as CSV (UTF-8 with BOM, so spreadsheet apps read the Chinese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for a in attempts:
        writer.writerow(
            [
                _csv_cell(v)
                for v in (
                    a.submitted_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
                    a.question.slug,
                    a.question.title,
                    f"{a.final_score:g}",
                    f"{a.score:g}",
                    a.char_count,
                    a.question.limit_label,
                    a.seconds_used,
                    a.question.minutes,
                    "考试" if a.exam_mode else "练习",
                    f"{a.result.get('counted_coverage', a.result.get('coverage', 0)):.0%}",
                    a.override_comment or "",
                )
            ]
        )
    return "\ufeff" + buffer.getvalue()


def attempt_for(user, attempt_id: int, *, write: bool = False) -> Attempt | None:
    """The attempt if ``user`` may see it: its owner, or (read-only) a tutor."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        return None
    if attempt.user_id == user.id:
        return attempt
    if not write and user.has_role(Role.TUTOR):
        return attempt
    return None

