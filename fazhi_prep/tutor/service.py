"""The tutor workspace's view logic: forms to specs and back, editor actions, 试评.

Plain functions; routes call them and own the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from .. import authoring
from ..authoring import PointEntry, Resolution
from ..bank.sync import sync_status
from ..extensions import db
from ..models import Attempt, Genre, ModelAnswer, Question, Rubric, SampleAnswer
from ..rubric_tests import RubricTestReport, Sample, TextTrial, run_test_set, trial
from ..scoring.spec import unmarked
from .forms import QuestionForm, RubricForm, choices

SYNC_LABELS = {
    "synced": "与文件一致",
    "browser": "有未导出的修改",
    "new": "尚无文件",
}


# -- overview ---------------------------------------------------------------------


@dataclass
class QuestionRow:
    question: Question
    versions: int
    answers: int
    samples: int
    attempts: int
    sync: str

    @property
    def sync_label(self) -> str:
        return SYNC_LABELS[self.sync]


def overview() -> list[QuestionRow]:
    """Every question (drafts too) with what a tutor checks at a glance."""

    def counts(model) -> dict[int, int]:
        return dict(db.session.execute(select(model.question_id, func.count()).group_by(model.question_id)).all())

    versions, answers = counts(Rubric), counts(ModelAnswer)
    samples, attempts = counts(SampleAnswer), counts(Attempt)
    questions = db.session.scalars(select(Question).order_by(Question.position, Question.slug)).all()
    return [
        QuestionRow(q, versions.get(q.id, 0), answers.get(q.id, 0), samples.get(q.id, 0), attempts.get(q.id, 0),
                    sync_status(q))
        for q in questions
    ]


# -- question form ------------------------------------------------------------------


def question_form(question: Question | None = None) -> QuestionForm:
    """The question editor, filled from ``question`` on GET (request data on POST)."""
    data = None
    if question is not None:
        data = {
            "revision": question.revision,
            "slug": question.slug,
            "title": question.title,
            "genre": question.genre_key,
            "prompt": question.prompt,
            "limit": question.limit_text or "",
            "minutes": question.minutes,
            "areas": list(question.areas or []),
            "materials": question.materials,
        }
    form = QuestionForm(data=data)
    form.genre.choices = choices((g.key, g.label) for g in db.session.scalars(select(Genre).order_by(Genre.position)))
    form.areas.choices = choices((a.key, a.label) for a in authoring.library_areas())
    return form


def question_data(form: QuestionForm, slug: str | None = None) -> authoring.QuestionData:
    return authoring.QuestionData(
        slug=slug or form.slug.data.strip(),
        title=form.title.data or "",
        genre=form.genre.data,
        prompt=form.prompt.data or "",
        limit=form.limit.data or None,
        minutes=form.minutes.data,
        areas=list(form.areas.data or []),
        materials=form.materials.data or "",
    )


def revision_of(form) -> int | None:
    try:
        revision = int(form.revision.data)
    except (TypeError, ValueError):
        return None
    # A revision the column cannot hold was never issued (and would not fit in the query).
    return revision if 0 <= revision < 2**31 else None


def limit_hint(prompt: str, limit: str | None) -> str:
    """What the editor shows next to the limit field: the limit in force and where it comes from."""
    if not (prompt or "").strip() and not (limit or "").strip():
        return "字数要求将从题干中识别（如“300字”“1000-1200字”）。"
    try:
        text, lo, hi = authoring.resolve_limit(limit, authoring.clean_line(prompt))
    except authoring.AuthoringError as exc:
        return str(exc)
    label = f"{lo}–{hi}字" if lo and hi else f"{hi}字"
    where = "按填写的字数要求" if text else "从题干中识别"
    return f"{where}：{label}；建议用时默认 {authoring.default_minutes(hi)} 分钟"


# -- rubric editor: spec <-> form ----------------------------------------------------


def area_choices() -> list[tuple[str, str]]:
    return [("", "（不属于纲要领域）")] + [(a.key, a.label) for a in authoring.library_areas()]


def rubric_form(question: Question, spec_dict: dict[str, Any], base_version: int | None,
                pasted: str = "", formdata: bool = False) -> RubricForm:
    """The rubric editor form for ``spec_dict`` (or, with ``formdata``, as posted)."""
    lib = authoring.library()
    genre = authoring.genre_rules(question.genre_key)
    parts = spec_dict.get("parts") or authoring.DEFAULT_PARTS
    data = {
        "revision": question.revision,
        "base_version": "" if base_version is None else base_version,
        "scoring": spec_dict.get("scoring") or "tiered",
        "content": parts.get("content", 0),
        "format_part": parts.get("format", 0),
        "length": parts.get("length", 0),
        "points": [
            dict(vars(authoring.entry_from_spec(item, lib)), position=i)
            for i, item in enumerate(spec_dict.get("points") or [])
        ],
        "formats": [
            {"key": key, "on": on, "weight": weight}
            for key, _, on, weight, _ in authoring.format_entries(spec_dict, genre)
        ],
        "pasted": pasted,
    }
    form = RubricForm() if formdata else RubricForm(formdata=None, data=data)
    areas = area_choices()
    for entry in form.points:
        entry.form.area.choices = choices(areas)
    form.library_point.choices = choices(
        [("", "选择纲要库中的要点…")] + [(p.key, f"{p.key} · {p.label}") for p in lib.values()]
    )
    form.term_target.choices = choices(term_targets(spec_dict, lib))
    form.format_info = {key: (label, expect) for key, label, _, _, expect in authoring.format_entries(spec_dict, genre)}
    form.format_details = format_details(genre)
    return form


WHERE_LABELS = {
    "title": "第一行（标题）",
    "head": "开头三行",
    "tail": "最后四行",
    "body": "任何一行",
}


@dataclass
class FormatDetail:
    """What a format element looks for, in words a tutor can check against a notice."""

    where: str
    patterns: list[str]
    match_all: bool
    replaces: str = ""  # the label of the element this variant stands in for


def format_details(genre) -> dict[str, FormatDetail]:
    if genre is None:
        return {}
    out = {}
    for key, rule in genre.elements.items():
        base = authoring.variant_base(key)
        replaces = genre.elements[base].label if base in genre.elements else ""
        out[key] = FormatDetail(WHERE_LABELS.get(rule.where, rule.where), list(rule.patterns), rule.match_all, replaces)
    return out


@dataclass
class LibraryGroup:
    """One 纲要 area's points in the editor's picker."""

    key: str
    label: str
    of_question: bool  # one of the question's own areas: listed first
    points: list[tuple[str, str, str, bool]]  # (key, label, source, already in the rubric)


def library_groups(question: Question, spec_dict: dict[str, Any]) -> list[LibraryGroup]:
    """The library picker: points grouped by area, the question's areas first."""
    lib = authoring.library()
    used = {str(p.get("ref") or p.get("key")) for p in spec_dict.get("points") or []}
    mine = list(question.areas or [])
    groups = []
    for area in authoring.library_areas():
        points = [(p.key, p.label, p.source, p.key in used) for p in lib.values() if p.area == area.key]
        if points:
            groups.append(LibraryGroup(area.key, area.label, area.key in mine, points))
    # stable: the question's areas in the order the tutor chose them, then the rest as in the 纲要
    return sorted(groups, key=lambda g: (0, mine.index(g.key)) if g.of_question else (1, 0))


def term_targets(spec_dict: dict[str, Any], lib) -> list[tuple[str, str]]:
    """Where a suggested term can go: a new group of a point, or an alternative of a group."""
    out = []
    for i, item in enumerate(spec_dict.get("points") or []):
        entry = authoring.entry_from_spec(item, lib)
        name = entry.label or entry.key or f"要点{i + 1}"
        out.append((f"new-{i}", f"要点{i + 1}「{name}」：作为新词组"))
        for g, group in enumerate(entry.groups):
            first = group.split(" | ")[0]
            out.append((f"grp-{i}-{g}", f"要点{i + 1}「{name}」：加入第 {g + 1} 组（{first}…）"))
    return out


def _entry_index(name: str) -> int:
    return int(name.rsplit("-", 1)[-1])


def ordered_entries(form: RubricForm) -> list[tuple[int, Any]]:
    """(name index, subform) in the order the tutor arranged (hidden `position`)."""

    def position(item):
        idx, entry = item
        try:
            return (float(entry.form.position.data), idx)
        except (TypeError, ValueError):
            return (float(idx), idx)

    return sorted(((_entry_index(e.name), e) for e in form.points.entries), key=position)


def spec_from_form(form: RubricForm) -> dict[str, Any]:
    lib = authoring.library()
    points = []
    for _, entry in ordered_entries(form):
        f = entry.form
        points.append(
            authoring.spec_from_entry(
                PointEntry(
                    ref=f.ref.data or "",
                    key=f.key.data or "",
                    label=f.label.data or "",
                    weight=f.weight.data,
                    source=f.source.data or "",
                    need=f.need.data,
                    area=f.area.data or "",
                    terms=f.terms.data or "",
                ),
                lib,
            )
        )
    chosen = [(f.form.key.data, f.form.weight.data or 1) for f in form.formats if f.form.on.data and f.form.key.data]
    return {
        "scoring": form.scoring.data or "tiered",
        "parts": {
            "content": authoring.number(form.content.data),
            "format": authoring.number(form.format_part.data),
            "length": authoring.number(form.length.data),
        },
        "points": points,
        "format": authoring.format_spec(chosen),
    }


# -- rubric editor: actions --------------------------------------------------------------


# The button under the failing test set's warning: publish although samples disagree.
PUBLISH_ANYWAY = "publish_anyway"


@dataclass
class ActionResult:
    spec: dict[str, Any]
    message: str = ""
    anchor: str = ""
    publish: bool = False
    discard: bool = False
    render: bool = False  # show the page (试评 with pasted text) instead of redirecting
    suggest: bool = False  # list the term suggestions again (a tutor adds several in a row)


def apply_action(question: Question, form: RubricForm, action: str) -> ActionResult:
    """Apply an editor button to the posted spec. Indices in ``action`` are the
    points' form indices, so buttons stay valid after a script reorders points."""
    spec_dict = spec_from_form(form)
    points = spec_dict["points"]
    order = [idx for idx, _ in ordered_entries(form)]
    kind, _, arg = action.partition(":")
    if kind in ("up", "down", "remove") and arg.isascii() and arg.isdigit() and int(arg) in order:
        i = order.index(int(arg))
        if kind == "remove":
            removed = points.pop(i)
            return ActionResult(spec_dict, f"已删除要点：{removed.get('label') or removed.get('ref') or removed.get('key')}", "points")
        j = i - 1 if kind == "up" else i + 1
        if 0 <= j < len(points):
            points[i], points[j] = points[j], points[i]
        return ActionResult(spec_dict, "", f"point-{max(0, min(j, len(points) - 1)) + 1}")
    if kind == "add":
        points.append({"key": authoring.new_point_key(question, spec_dict), "label": "", "weight": 1,
                       "source": "", "terms": []})
        return ActionResult(spec_dict, "已添加一个空白要点：填写名称、来源和词组。", f"point-{len(points)}")
    if kind == "add_library":
        key = form.library_point.data
        if not key or key not in authoring.library():
            return ActionResult(spec_dict, "请先选择纲要库中的要点。", "add-point")
        if any(p.get("ref") == key or p.get("key") == key for p in points):
            return ActionResult(spec_dict, f"本题已有要点 {key}。", "add-point")
        points.append({"ref": key, "weight": 1})
        return ActionResult(spec_dict, f"已从纲要库添加要点 {key}。", f"point-{len(points)}")
    if kind == "term":
        return _add_term(spec_dict, arg, form.term_target.data or "")
    if kind in ("publish", PUBLISH_ANYWAY):
        return ActionResult(spec_dict, publish=True)
    if kind == "discard":
        return ActionResult(spec_dict, discard=True)
    if kind == "try":
        return ActionResult(spec_dict, "草稿已保存，试评结果已更新。", "trial", render=True)
    return ActionResult(spec_dict, "草稿已保存。")


def _add_term(spec_dict: dict[str, Any], term: str, target: str) -> ActionResult:
    term = authoring.clean_line(term).replace("|", "")
    lib = authoring.library()
    points = spec_dict["points"]
    parts = target.split("-")
    if not term or len(parts) < 2 or not (parts[1].isascii() and parts[1].isdigit()) or int(parts[1]) >= len(points):
        return ActionResult(spec_dict, "请先在“加入到”中选择一个要点。", "suggestions")
    i = int(parts[1])
    entry = authoring.entry_from_spec(points[i], lib)
    groups = entry.groups
    if parts[0] == "grp" and len(parts) == 3 and parts[2].isascii() and parts[2].isdigit() and int(parts[2]) < len(groups):
        g = int(parts[2])
        groups[g] = groups[g] + " | " + term
        where = f"第 {g + 1} 组"
    else:
        groups.append(term)
        where = "新词组"
    entry.terms = "\n".join(groups)
    points[i] = authoring.spec_from_entry(entry, lib)
    return ActionResult(spec_dict, f"已把“{term}”加入要点{i + 1}（{where}）。", f"point-{i + 1}", suggest=True)


# -- rubric editor: what the page shows ----------------------------------------------------


@dataclass
class RubricView:
    question: Question
    spec: dict[str, Any]
    base_version: int | None
    is_draft: bool
    resolution: Resolution
    trials: list[TextTrial]
    tests: RubricTestReport | None
    samples: int
    tolerance: float
    problems: list[str] = field(default_factory=list)

    @property
    def stale_base(self) -> bool:
        """The draft was started from an older version (another tutor published, or a file load)."""
        current = self.question.rubric
        return self.is_draft and current is not None and self.base_version != current.version


def tolerance() -> float:
    from ..rubric_tests import DEFAULT_TOLERANCE

    return float(current_app.config.get("RUBRIC_TEST_TOLERANCE", DEFAULT_TOLERANCE))


def rubric_view(question: Question, spec_dict: dict[str, Any], base_version: int | None, is_draft: bool,
                pasted: str = "") -> RubricView:
    """Validate the spec, 试评 the model answers (and pasted text), run the test set."""
    resolution = authoring.resolve(spec_dict, question.genre_key)
    scoring = authoring.scoring_question(question, resolution.partial)
    models = [(f"{a.title}（{a.variant}）", a.body) for a in question.model_answers]
    samples = authoring.samples_of(question)
    tests = None
    if samples:
        tests = run_test_set(scoring, [Sample(s.title, s.body, dict(s.expected)) for s in samples])
    return RubricView(
        question=question,
        spec=spec_dict,
        base_version=base_version,
        is_draft=is_draft,
        resolution=resolution,
        trials=trial(scoring, models, pasted),
        tests=tests,
        samples=len(samples),
        tolerance=tolerance(),
        problems=authoring.all_problems(resolution),
    )


def failing_tests(question: Question, spec_dict: dict[str, Any]) -> RubricTestReport | None:
    """The test set's report when it disagrees with ``spec_dict`` beyond the tolerance, else None."""
    samples = authoring.samples_of(question)
    if not samples:
        return None
    resolution = authoring.resolve(spec_dict, question.genre_key)
    if resolution.rubric is None:
        return None  # publishing refuses it anyway, with the problems listed
    scoring = authoring.scoring_question(question, resolution.rubric)
    report = run_test_set(scoring, [Sample(s.title, s.body, dict(s.expected)) for s in samples])
    return None if report.passes(tolerance()) else report


def suggestions(question: Question, spec_dict: dict[str, Any]):
    """Term suggestions for the rubric being edited (loads jieba on first use)."""
    from ..suggest import suggest_terms

    lib = authoring.library()
    existing = set()
    for item in spec_dict.get("points") or []:
        for group in authoring.entry_from_spec(item, lib).groups:
            existing.update(unmarked(t) for t in group.split("|"))
    library_terms: dict[str, list[str]] = {}
    for point in lib.values():
        for group in point.terms:
            for alt in group:
                library_terms.setdefault(unmarked(alt), []).append(point.key)
    return suggest_terms(
        [a.body for a in question.model_answers], question.materials, existing, library_terms
    )


# -- model answers ---------------------------------------------------------------------------


def answer_checks(question: Question) -> tuple[dict[str, TextTrial], str]:
    """Each model answer tried with the rubric being edited (draft, else the current version)."""
    spec_dict, base, is_draft = authoring.editing_spec(question)
    resolution = authoring.resolve(spec_dict, question.genre_key)
    scoring = authoring.scoring_question(question, resolution.partial)
    trials = trial(scoring, [(a.variant, a.body) for a in question.model_answers])
    label = "正在编辑的评分要点草稿" if is_draft else (f"评分要点 v{base}" if base else "默认评分设置（尚无要点）")
    return {t.label: t for t in trials}, label


def rubric_points(question: Question) -> list[tuple[str, str]]:
    """(key, label) of the points a sample answer is marked against: the rubric being edited."""
    spec_dict, _, _ = authoring.editing_spec(question)
    lib = authoring.library()
    out = []
    for item in spec_dict.get("points") or []:
        entry = authoring.entry_from_spec(item, lib)
        if entry.key:
            out.append((entry.key, entry.label or entry.key))
    return out


def commit_rubric(question: Question, result: ActionResult, base_version: int | None,
                  revision: int | None) -> tuple[str, str]:
    """Save the editor's result: publish, discard or keep as the draft.

    Returns (message, category). A publish refused for problems still keeps
    the tutor's edits as the draft. Raises StaleRevision; the caller commits.
    """
    if result.discard:
        authoring.discard_draft(question, revision)
        return "已放弃草稿，恢复为当前发布的版本。", "success"
    if result.publish:
        try:
            version = authoring.publish_rubric(question, result.spec, revision)
        except authoring.AuthoringError as exc:
            authoring.save_draft(question, result.spec, base_version, revision)
            return f"{exc}（修改已保存为草稿）", "error"
        if version is None:
            return "评分要点与当前发布的版本相同，没有创建新版本。", "info"
        if not question.published:
            return (
                f"已发布评分要点 v{version.version}。这道题还是草稿，考生还看不到它："
                "点下方的“发布题目”后考生才能练习。",
                "success",
            )
        return (
            f"已发布评分要点 v{version.version}。之前的作答保留评分时所用的版本；"
            "可在“作答复核”中选择作答用新版本重新评分。",
            "success",
        )
    authoring.save_draft(question, result.spec, base_version, revision)
    return result.message or "草稿已保存。", "success"


def int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def saved_points(question: Question) -> list[PointEntry]:
    """The rubric as currently saved (draft or version), for merging after a conflict."""
    spec_dict, _, _ = authoring.editing_spec(question)
    lib = authoring.library()
    return [authoring.entry_from_spec(item, lib) for item in spec_dict.get("points") or []]


def sample_data(question: Question, sample, points: list[tuple[str, str]]) -> dict[str, Any]:
    data: dict[str, Any] = {"revision": question.revision}
    if sample is not None:
        data.update(title=sample.title, body=sample.body)
        for i, (key, _) in enumerate(points):
            data[f"mark_{i}"] = sample.expected.get(key, "")
    return data


def answer_data(question: Question, answer: ModelAnswer | None) -> dict[str, Any]:
    """The model answer form's initial values (a new answer is primary if it is the first)."""
    if answer is None:
        return {"revision": question.revision, "primary": not question.model_answers}
    fields = ("variant", "title", "author", "note", "primary", "body")
    return {"revision": question.revision, **{k: getattr(answer, k) for k in fields}}


def answer_fields(form) -> authoring.AnswerData:
    return authoring.AnswerData(form.variant.data, form.title.data, form.author.data or "",
                                form.note.data or "", form.primary.data, form.body.data)


def format_mismatch(question: Question) -> list[str]:
    """Format elements of the current rubric that the question's genre does not have
    (after a tutor changed the genre): such a question would not pass `bank check`."""
    genre = authoring.genre_rules(question.genre_key)
    keys = {f.key for f in question.rubric.format_elements} if question.rubric else set()
    return sorted(keys - set(genre.elements if genre else {}))
