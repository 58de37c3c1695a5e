"""Reading questions for the pages and the scoring engine."""

from __future__ import annotations

from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from .extensions import db
from .models import CommonError, Question, Rubric, Setting
from .scoring import spec


def published_questions() -> list[Question]:
    stmt = (
        select(Question)
        .where(Question.published.is_(True))
        .options(selectinload(Question.genre))
        .order_by(Question.position, Question.slug)
    )
    return list(db.session.scalars(stmt))


# Nearly every candidate request looks its question up by slug: built once, the statements skip
# the construction and cache-key work that costs more than SQLite's look-up.
_BY_SLUG = select(Question).where(Question.slug == bindparam("slug"))
_BY_SLUG_WITH_GENRE = _BY_SLUG.options(joinedload(Question.genre))


def question_or_404(slug: str, *, include_drafts: bool = False, with_genre: bool = False) -> Question:
    """The question by slug (published only, unless ``include_drafts``); ``with_genre``: its 文种 in the same query."""
    question = db.session.scalar(_BY_SLUG_WITH_GENRE if with_genre else _BY_SLUG, {"slug": slug})
    if question is None or not (question.published or include_drafts):
        abort(404)
    return question


# Read by every submit and result page. A plain select, built once: ``session.get`` queries again
# on every call while the setting is absent (the usual case: the default applies).
_ERROR_DEDUCTION = select(Setting.value).where(Setting.key == "common_error_deduction")


def error_deduction() -> float:
    value = db.session.scalar(_ERROR_DEDUCTION)
    return float(value) if value is not None else 1.0


# A rubric version is a snapshot that is never edited once published; its plain spec (points,
# term groups, format rules) is built once per process instead of on every submit. The key
# carries the fingerprint and creation time, so a reused id (an emptied database) never hits.
_RUBRIC_SPECS: dict[tuple, spec.Rubric] = {}
_RUBRIC_SPECS_MAX = 512


def rubric_spec(rubric: Rubric) -> spec.Rubric:
    key = (rubric.id, rubric.fingerprint, rubric.created_at)
    found = _RUBRIC_SPECS.get(key)
    if found is None:
        found = rubric.to_spec()
        if rubric.id is not None:
            if len(_RUBRIC_SPECS) >= _RUBRIC_SPECS_MAX:
                _RUBRIC_SPECS.clear()
            _RUBRIC_SPECS[key] = found
    return found


def question_spec(question: Question, rubric: Rubric | None = None) -> spec.Question:
    """The plain scoring view of a question, for one rubric version (default: current)."""
    rubric = rubric or question.rubric
    if rubric is None:
        raise LookupError(f"question {question.slug} has no rubric")
    errors = db.session.scalars(select(CommonError).order_by(CommonError.position))
    return spec.Question(
        id=question.slug,
        genre=question.genre_key,
        limit_min=question.limit_min,
        limit_max=question.limit_max,
        rubric=rubric_spec(rubric),
        prompt=question.prompt,
        materials=question.materials,
        model_answers=tuple(a.body for a in question.model_answers),
        common_errors=tuple(e.to_spec() for e in errors),
        error_deduction=error_deduction(),
    )
