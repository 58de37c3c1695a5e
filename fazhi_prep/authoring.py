"""Authoring in the browser: questions, rubric drafts and versions, model answers, samples.

Plain functions over the models; the tutor blueprint only speaks HTTP and
the caller owns the transaction. Everything a tutor writes here must come
out of ``bank export`` as files that ``bank check`` accepts and ``bank load``
reproduces, so text is normalised the way the file reader normalises it and
rubrics are validated by the file reader's own rules.

Concurrent edits: every change to a question (its fields, rubric draft,
model answers, samples) is a compare-and-set on ``Question.revision``
(``claim``): an edit based on an older revision is refused with
``StaleRevision`` and the caller shows the tutor their text to merge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from .bank import reader as bank_reader
from .bank.sync import (
    ABSENT,
    add_rubric_version,
    delete_sample,
    plain,
    version_fingerprint,
)
from .bank.yamlines import dump_yaml, load_yaml
from .extensions import db
from .models import (
    CommonError,
    Genre,
    LibraryArea,
    LibraryPoint,
    ModelAnswer,
    Question,
    Rubric,
    SampleAnswer,
    Setting,
    User,
)
from .scoring import spec
from .scoring.limits import parse_limit

QUESTION_ID = bank_reader.QUESTION_ID
POINT_KEY = bank_reader.KEY
VARIANT = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
MARKS = bank_reader.MARKS
DEFAULT_PARTS = {"content": 70, "format": 20, "length": 10}


class StaleRevision(Exception):
    """The question changed since the tutor opened the form."""

    def __init__(self, current: int):
        super().__init__(f"question is at revision {current}")
        self.current = current


class AuthoringError(ValueError):
    """A clear message for the tutor; nothing was changed."""


# -- text as the file reader will read it back ------------------------------


def clean_text(text: str | None) -> str:
    """Line breaks as a file has them, no surrounding blank lines (like the reader)."""
    return "\n".join((text or "").splitlines()).strip()


def clean_line(text: str | None) -> str:
    return " ".join((text or "").split())


def number(value: float | int) -> float | int:
    """2.0 → 2: files read back ints as ints, so a rubric keeps its fingerprint."""
    value = float(value)
    return int(value) if value.is_integer() else value


# -- optimistic locking ---------------------------------------------------------


def claim(question: Question, expected: int | None) -> None:
    """Bump ``question.revision`` if it is still ``expected``; else StaleRevision.

    One conditional UPDATE, so two saves racing on the same revision cannot
    both win, on SQLite and PostgreSQL alike.
    """
    if expected is None:
        raise StaleRevision(question.revision)
    result = db.session.execute(
        update(Question)
        .where(Question.id == question.id, Question.revision == expected)
        .values(revision=expected + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        fresh = db.session.get(Question, question.id)
        db.session.refresh(fresh)
        raise StaleRevision(fresh.revision)
    question.revision = expected + 1


# -- questions -------------------------------------------------------------------


@dataclass
class QuestionData:
    """A question's own fields as the editor submits them."""

    slug: str
    title: str
    genre: str
    prompt: str
    limit: str | None  # explicit override ("300", "1000-1200"); None: parse from the prompt
    minutes: int | None  # None: the default for the limit
    areas: list[str]
    materials: str


def resolve_limit(limit: str | None, prompt: str) -> tuple[str | None, int | None, int | None]:
    """(limit_text, min, max) exactly as the file reader derives them."""
    text = clean_line(limit) or None
    if text is None:
        lo, hi = parse_limit(prompt)
        if hi is None:
            raise AuthoringError("题干中找不到字数要求（如“1000字”），请填写字数要求")
        return None, lo, hi
    lo, hi = parse_limit(text if text.endswith("字") else text + "字")
    if hi is None or (lo is not None and lo > hi) or hi <= 0:
        raise AuthoringError(f"字数要求 {text} 不对：写成 300 或 1000-1200")
    return text, lo, hi


def default_minutes(limit_max: int | None) -> int:
    return bank_reader.default_minutes(limit_max)


def _apply(question: Question, data: QuestionData) -> None:
    prompt = clean_line(data.prompt)
    limit_text, lo, hi = resolve_limit(data.limit, prompt)
    question.title = clean_line(data.title)
    question.genre_key = data.genre
    question.prompt = prompt
    question.limit_text, question.limit_min, question.limit_max = limit_text, lo, hi
    question.minutes = data.minutes or default_minutes(hi)
    question.areas = list(data.areas)
    question.materials = clean_text(data.materials)


def create_question(data: QuestionData) -> Question:
    """A new draft question (not visible to candidates until published)."""
    if db.session.scalar(select(Question.id).where(Question.slug == data.slug)):
        raise AuthoringError(f"题目编号 {data.slug} 已被使用")
    position = (db.session.scalar(select(func.max(Question.position))) or 0) + 1
    question = Question(slug=data.slug, published=False, revision=1, position=position, synced_hash=ABSENT)
    _apply(question, data)
    db.session.add(question)
    db.session.flush()
    return question


def update_question(question: Question, data: QuestionData, expected_revision: int | None) -> None:
    resolve_limit(data.limit, clean_line(data.prompt))  # refuse before claiming
    claim(question, expected_revision)
    _apply(question, data)


def set_published(question: Question, published: bool, expected_revision: int | None) -> None:
    if published and question.rubric is None:
        raise AuthoringError("还没有发布评分要点：请先在“评分要点”中发布一个版本，再发布题目")
    claim(question, expected_revision)
    question.published = published


def question_file_exists(slug: str, bank_dir: str | Path) -> bool:
    """A file with this id in the bank that was never loaded would collide on the next load."""
    return (Path(bank_dir) / "questions" / f"{slug}.md").exists()


# -- the library and genres, as the file reader knows them ------------------------


def library() -> dict[str, bank_reader.LibraryPoint]:
    rows = db.session.scalars(select(LibraryPoint).order_by(LibraryPoint.area_key, LibraryPoint.position))
    return {
        p.key: bank_reader.LibraryPoint(p.key, p.area_key, p.label, p.source, p.need, [list(g) for g in p.groups])
        for p in rows
    }


def library_areas() -> list[LibraryArea]:
    return list(db.session.scalars(select(LibraryArea).order_by(LibraryArea.position)))


def genre_rules(genre_key: str) -> bank_reader.Genre | None:
    genre = db.session.get(Genre, genre_key)
    if genre is None:
        return None
    return bank_reader.Genre(genre.key, genre.label, {e.key: e.to_rule() for e in genre.elements})


# -- rubric specs (the file format's `rubric:` mapping) ---------------------------


def variant_base(key: str) -> str | None:
    """The element a variant stands in for (``meeting_name`` for ``meeting_name.training``)."""
    base, dot, _ = key.partition(".")
    return base if dot else None


def default_spec(question: Question) -> dict[str, Any]:
    genre = genre_rules(question.genre_key)
    return {
        "scoring": "tiered",
        "parts": dict(DEFAULT_PARTS),
        "points": [],
        # variants (培训通知 …) are chosen per question, in place of their element
        "format": [key for key in genre.elements if variant_base(key) is None] if genre else [],
    }


def normalise_spec(spec_dict: dict[str, Any]) -> dict[str, Any]:
    """The spec exactly as it reads back from its file (plain, YAML round-tripped)."""
    return plain(load_yaml(dump_yaml(spec_dict)))


def editing_spec(question: Question) -> tuple[dict[str, Any], int | None, bool]:
    """(spec being edited, the version it is based on, whether it is a saved draft)."""
    draft = question.rubric_draft
    if draft and isinstance(draft.get("spec"), dict):
        return draft["spec"], draft.get("base_version"), True
    current = question.rubric
    if current is not None:
        return plain(current.spec), current.version, False
    return default_spec(question), None, False


def save_draft(question: Question, spec_dict: dict[str, Any], base_version: int | None, expected: int | None) -> None:
    claim(question, expected)
    question.rubric_draft = {"base_version": base_version, "spec": normalise_spec(spec_dict)}


def discard_draft(question: Question, expected: int | None) -> None:
    claim(question, expected)
    question.rubric_draft = None


def parse_terms(text: str | list[str]) -> list[str]:
    """Term groups from the editor: one group a line, alternatives separated by | (or ｜)."""
    lines = text if isinstance(text, list) else (text or "").splitlines()
    groups = []
    for line in lines:
        alternatives = bank_reader.split_terms(str(line).replace("｜", "|"))
        if alternatives:
            groups.append(" | ".join(alternatives))
    return groups


@dataclass
class PointEntry:
    """One point as the rubric editor shows and submits it."""

    ref: str = ""
    key: str = ""
    label: str = ""
    weight: float = 1.0
    source: str = ""
    need: int | None = None
    area: str = ""
    terms: str = ""  # one group a line

    @property
    def groups(self) -> list[str]:
        return parse_terms(self.terms)


def entry_from_spec(item: dict[str, Any], lib: dict[str, bank_reader.LibraryPoint]) -> PointEntry:
    """What the editor shows for a point: a library point with its terms filled in."""
    if "ref" in item:
        ref = str(item["ref"])
        base = lib.get(ref)
        return PointEntry(
            ref=ref,
            key=ref,
            label=str(item.get("label") or (base.label if base else "")),
            weight=float(item.get("weight", 1)),
            source=base.source if base else "",
            need=item.get("need", base.need if base else None),
            area=base.area if base else "",
            terms="\n".join(" | ".join(g) for g in base.terms) if base else "",
        )
    return PointEntry(
        key=str(item.get("key") or ""),
        label=str(item.get("label") or ""),
        weight=float(item.get("weight", 1)),
        source=str(item.get("source") or ""),
        need=item.get("need"),
        area=str(item.get("area") or ""),
        terms="\n".join(parse_terms(item.get("terms") or [])),
    )


def spec_from_entry(entry: PointEntry, lib: dict[str, bank_reader.LibraryPoint]) -> dict[str, Any]:
    """A point in the file format.

    A library point stays a ``ref`` while its terms and source are the
    library's (label, weight and need may be overridden, as in a file); once
    a tutor edits its terms or source it becomes this question's own point,
    keeping its key and area so test sets and progress per area still match.
    """
    groups = entry.groups
    base = lib.get(entry.ref) if entry.ref else None
    weight = number(entry.weight)
    label, source = clean_line(entry.label), clean_line(entry.source)
    if entry.ref and (base is None or (groups == [" | ".join(g) for g in base.terms] and source in ("", base.source))):
        out: dict[str, Any] = {"ref": entry.ref, "weight": weight}
        if base is not None and label and label != base.label:
            out["label"] = label
        if base is not None and entry.need is not None and entry.need != base.need:
            out["need"] = entry.need
        return out
    out = {
        "key": clean_line(entry.key) or entry.ref,
        "label": label or (base.label if base else ""),
        "weight": weight,
        "source": source or (base.source if base else ""),
    }
    area = entry.area or (base.area if base else "")
    if area:
        out["area"] = area
    need = entry.need if entry.need is not None else (base.need if base else None)
    if need is not None:
        out["need"] = need
    out["terms"] = groups
    return out


def format_spec(chosen: list[tuple[str, float]]) -> list[Any]:
    """Format elements in the file format: a key, or {key, weight} when not 1."""
    return [key if number(w) == 1 else {"key": key, "weight": number(w)} for key, w in chosen]


def format_entries(spec_dict: dict[str, Any], genre: bank_reader.Genre | None) -> list[tuple[str, str, bool, float, str]]:
    """(key, label, chosen, weight, expect) for every element of the genre.

    Chosen elements come first in the spec's order (reordering them would
    make a new rubric version for nothing), then the genre's others.
    """
    chosen: dict[str, float] = {}
    for item in spec_dict.get("format") or []:
        key, weight = (item.get("key"), item.get("weight", 1)) if isinstance(item, dict) else (item, 1)
        chosen[str(key)] = float(weight)
    elements = genre.elements if genre else {}
    out = []
    for key, weight in chosen.items():
        rule = elements.get(key)
        out.append((key, rule.label if rule else key, True, weight, rule.expect if rule else "（该文种没有这个要素）"))
    for key, rule in elements.items():
        if key not in chosen:
            out.append((key, rule.label, False, rule.weight, rule.expect))
    return out


def new_point_key(question: Question, spec_dict: dict[str, Any]) -> str:
    used = {str(p.get("key") or p.get("ref")) for p in spec_dict.get("points") or []}
    n = 1
    while f"{question.slug}.p{n}" in used:
        n += 1
    return f"{question.slug}.p{n}"


# The file format's field names, as the rubric editor labels them.
FIELD_LABELS = {
    "key": "编号",
    "label": "名称",
    "source": "来源",
    "terms": "词组",
    "need": "至少命中几组",
    "weight": "权重",
    "area": "纲要领域",
    "parts": "分值",
    "scoring": "计分方式",
    "format": "格式要素",
    "ref": "纲要库要点",
}
_FIELD = re.compile(r" ?(?<![A-Za-z])(" + "|".join(FIELD_LABELS) + r")(?![A-Za-z]) ?")


def browser_message(message: str) -> str:
    """A bank reader's message in the editor's words: 名称, not ``label``.

    The reader speaks of file fields because `bank check` points into files;
    a tutor in the browser sees the form's labels instead.
    """
    missing = re.fullmatch(r"缺少字段 (\w+)", message)
    if missing:
        return f"请填写{FIELD_LABELS.get(missing[1], missing[1])}（必填）"
    if message == "terms 至少要有一个词组":
        return "请填写词组（必填，至少一行）"
    message = re.sub(r"^字段 (\w+) 的格式不对$", r"\1 的格式不对", message)
    return _FIELD.sub(lambda m: FIELD_LABELS[m[1]], message)


@dataclass
class Resolution:
    """A rubric spec checked by the file reader's rules."""

    rubric: spec.Rubric | None  # None unless the whole spec is valid (publishable)
    partial: spec.Rubric  # the valid points and rules, for 试评 while editing
    problems: list[str] = field(default_factory=list)
    point_problems: dict[int, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.rubric is not None


def resolve(spec_dict: dict[str, Any], genre_key: str) -> Resolution:
    """Validate and resolve a rubric spec against the database's library and genre."""
    reader = bank_reader._Reader(Path("."), Path("."))
    reader.known_areas = {a.key for a in library_areas()}
    lib = library()
    raw = load_yaml(dump_yaml(normalise_spec(spec_dict)))
    problems: list[str] = []
    point_problems: dict[int, list[str]] = {}

    def take() -> list[str]:
        messages = [browser_message(p.message) for p in reader.problems]
        reader.problems.clear()
        return messages

    scoring = str(raw.get("scoring") or "tiered")
    if scoring not in bank_reader.SCORING:
        problems.append("计分方式只能是 tiered 或 proportional")
    parts = reader.read_parts(raw, "分值")
    problems += take()
    points, seen = [], set()
    for i, item in enumerate(raw.get("points") or []):
        point = reader.resolve_point(item, lib, f"要点{i + 1}", 0)
        mine = take()
        if point is not None and point.key in seen:
            mine.append(f"要点编号 {point.key} 在本题中重复")
            point = None
        if point is not None and not POINT_KEY.match(point.key):
            mine.append(f"要点编号 {point.key} 只能用小写字母、数字、. - _")
            point = None
        if mine:
            point_problems[i] = mine
        if point is not None:
            seen.add(point.key)
            points.append(point)
    if not raw.get("points"):
        problems.append("评分要点至少要有一个要点")
    rules = reader.resolve_format(raw, genre_rules(genre_key), genre_key, "格式要素") or []
    problems += take()
    problems += _variant_clashes(rules)
    ok = not problems and not point_problems and parts is not None
    partial = spec.Rubric(tuple(points), tuple(rules), scoring if scoring in bank_reader.SCORING else "tiered",  # type: ignore[arg-type]
                          parts or spec.Parts())
    return Resolution(partial if ok else None, partial, problems, point_problems)


def _variant_clashes(rules: list[spec.FormatRule]) -> list[str]:
    """An element and its variant check the same thing: a question picks one of them."""
    by_key = {r.key: r for r in rules}
    return [
        f"格式要素“{by_key[base].label}”和它的变体“{rule.label}”只能选一个"
        for rule in rules
        if (base := variant_base(rule.key)) in by_key
    ]


def publish_rubric(question: Question, spec_dict: dict[str, Any], expected: int | None) -> Rubric | None:
    """Publish the spec as a new rubric version; None when it equals the current one.

    Attempts keep the version they were scored with: versions are never edited.
    """
    written = normalise_spec(spec_dict)
    resolution = resolve(written, question.genre_key)
    if resolution.rubric is None:
        raise AuthoringError("评分要点还有问题，不能发布：" + "；".join(all_problems(resolution)))
    fingerprint = version_fingerprint(resolution.rubric, written)
    claim(question, expected)
    question.rubric_draft = None
    current = question.rubric
    if current is not None and current.fingerprint == fingerprint:
        return None
    return add_rubric_version(db.session, question, written, resolution.rubric, fingerprint)


def all_problems(resolution: Resolution) -> list[str]:
    out = list(resolution.problems)
    for i, messages in sorted(resolution.point_problems.items()):
        out += [f"要点{i + 1}：{m}" for m in messages]
    return out


# -- scoring with a rubric that may not be a saved version --------------------------


def scoring_question(question: Question, rubric: spec.Rubric) -> spec.Question:
    """The scoring view of ``question`` with ``rubric`` (e.g. a draft being edited)."""
    errors = db.session.scalars(select(CommonError).order_by(CommonError.position))
    setting = db.session.get(Setting, "common_error_deduction")
    return spec.Question(
        id=question.slug,
        genre=question.genre_key,
        limit_min=question.limit_min,
        limit_max=question.limit_max,
        rubric=rubric,
        prompt=question.prompt,
        materials=question.materials,
        model_answers=tuple(a.body for a in question.model_answers),
        common_errors=tuple(e.to_spec() for e in errors),
        error_deduction=float(setting.value) if setting else 1.0,
    )


# -- model answers -------------------------------------------------------------------


@dataclass
class AnswerData:
    variant: str
    title: str
    author: str
    note: str
    primary: bool
    body: str


def save_model_answer(
    question: Question, answer: ModelAnswer | None, data: AnswerData, expected: int | None
) -> ModelAnswer:
    """Create or update a model answer; marking one primary unmarks the others."""
    variant = data.variant.strip()
    if not VARIANT.match(variant):
        raise AuthoringError("版本名只能用小写字母、数字和 -（如 main、outline）")
    clash = next((a for a in question.model_answers if a.variant == variant and a is not answer), None)
    if clash is not None:
        raise AuthoringError(f"本题已有版本名为 {variant} 的范文")
    body = clean_text(data.body)
    if not body:
        raise AuthoringError("范文正文为空")
    claim(question, expected)
    if answer is None:
        answer = ModelAnswer(question=question, variant=variant)
        db.session.add(answer)
    answer.variant = variant
    answer.title = clean_line(data.title) or "范文"
    answer.author = clean_line(data.author)
    answer.note = clean_line(data.note)
    answer.body = body
    others = [a for a in question.model_answers if a is not answer]
    answer.primary = bool(data.primary) or not any(a.primary for a in others)
    if answer.primary:
        for other in others:
            other.primary = False
    db.session.flush()
    db.session.refresh(question, ["model_answers"])
    return answer


def delete_model_answer(question: Question, answer: ModelAnswer, expected: int | None) -> None:
    claim(question, expected)
    was_primary = answer.primary
    db.session.delete(answer)
    db.session.flush()
    db.session.refresh(question, ["model_answers"])
    if was_primary and question.model_answers:
        question.model_answers[0].primary = True


# -- sample answers (the rubric's test set, and 评分校准 material) ----------------------


def samples_of(question: Question) -> list[SampleAnswer]:
    return list(
        db.session.scalars(
            select(SampleAnswer).where(SampleAnswer.question_id == question.id).order_by(SampleAnswer.id)
        )
    )


def save_sample(
    question: Question,
    sample: SampleAnswer | None,
    *,
    title: str,
    body: str,
    expected: dict[str, str],
    author: User | None,
    expected_revision: int | None,
) -> SampleAnswer:
    title, body = clean_line(title), clean_text(body)
    if not title or not body:
        raise AuthoringError("样例答案需要标题和正文")
    marks = {k: v for k, v in expected.items() if v in MARKS}
    if not marks:
        raise AuthoringError("请至少为一个要点标注判断（覆盖／部分／未覆盖）")
    clash = db.session.scalar(
        select(SampleAnswer.id).where(SampleAnswer.question_id == question.id, SampleAnswer.title == title)
    )
    if clash is not None and (sample is None or clash != sample.id):
        raise AuthoringError(f"本题已有标题为“{title}”的样例答案")
    claim(question, expected_revision)
    if sample is None:
        sample = SampleAnswer(question_id=question.id, author_id=author.id if author else None)
        db.session.add(sample)
    sample.title, sample.body, sample.expected = title, body, marks
    db.session.flush()
    return sample


def remove_sample(question: Question, sample: SampleAnswer, expected_revision: int | None) -> None:
    claim(question, expected_revision)
    delete_sample(db.session, sample)
