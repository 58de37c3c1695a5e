"""Model answers scored once per rubric version and text, then read back.

A model answer's result depends only on the rubric version and the texts
the engine reads (the answer, the question's limits, prompt and 给定材料,
the question's other model answers, the 常见错误 list with its deduction) and
on the engine itself (``ENGINE_VERSION``). The result page used to score
every model answer on every view (8.7 ms of a 15 ms page); now it looks up
``ModelAnswerResult`` rows keyed by rubric version, model answer and a hash
of those texts, and scores only what is missing (first use after a change).
``warm`` does the same ahead of time when a bank is loaded.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from . import catalog
from .extensions import db
from .models import CommonError, ModelAnswer, ModelAnswerResult, Question, Rubric
from .scoring import ENGINE_VERSION, score

# Read on every result page (the model answers' results are keyed on it): built once.
_COMMON_ERRORS = select(
    CommonError.key, CommonError.wrong, CommonError.right, CommonError.explain,
    CommonError.unless, CommonError.members, CommonError.window,
).order_by(CommonError.position)


def _scoring_context(question: Question) -> str:
    """Everything besides the rubric version and the answer that the engine reads."""
    errors = db.session.execute(_COMMON_ERRORS).all()
    return json.dumps(
        [
            question.slug, question.genre_key, question.limit_min, question.limit_max,
            question.prompt, question.materials, [list(e) for e in errors], catalog.error_deduction(),
            # The copying check reads every model answer of the question, and the engine itself changes.
            sorted(a.body for a in question.model_answers), ENGINE_VERSION,
        ],
        ensure_ascii=False,
        sort_keys=True,
    )


def text_hash(context: str, body: str) -> str:
    return hashlib.sha256(f"{context}\x00{body}".encode()).hexdigest()


def text_hashes(question: Question, answers: list[ModelAnswer]) -> dict[int, str]:
    """Each model answer's ``text_hash`` (by id): what its stored result is keyed on besides the rubric."""
    if not answers:
        return {}
    context = _scoring_context(question)
    return {a.id: text_hash(context, a.body) for a in answers}


def model_results(
    question: Question,
    rubric: Rubric,
    answers: list[ModelAnswer] | None = None,
    hashes: dict[int, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Each model answer's result dict (by variant) against ``rubric``: stored, or scored and stored.

    ``answers`` (default: all of the question's) and their ``hashes`` (from
    ``text_hashes``) let a caller that already holds some results ask for the rest.
    """
    if answers is None:
        answers = list(question.model_answers)
    if not answers:
        return {}
    if hashes is None:
        hashes = text_hashes(question, answers)
    stored = {
        (row.model_answer_id, row.text_hash): row.result
        for row in db.session.execute(
            select(ModelAnswerResult.model_answer_id, ModelAnswerResult.text_hash, ModelAnswerResult.result).where(
                ModelAnswerResult.rubric_id == rubric.id,
                ModelAnswerResult.model_answer_id.in_([a.id for a in answers]),
            )
        )
    }
    out: dict[str, dict[str, Any]] = {}
    missing: list[ModelAnswer] = []
    for answer in answers:
        result = stored.get((answer.id, hashes[answer.id]))
        if result is None:
            missing.append(answer)
        else:
            out[answer.variant] = result
    if missing:
        spec = catalog.question_spec(question, rubric)
        for answer in missing:
            out[answer.variant] = score(spec, answer.body, as_model=True).to_dict()
            _store(rubric.id, answer.id, hashes[answer.id], out[answer.variant])
    return out


def _store(rubric_id: int, answer_id: int, digest: str, result: dict[str, Any]) -> None:
    # Its own savepoint: two first views at once both score; the second insert is dropped.
    try:
        with db.session.begin_nested():
            db.session.add(
                ModelAnswerResult(rubric_id=rubric_id, model_answer_id=answer_id, text_hash=digest, result=result)
            )
    except IntegrityError:
        pass
    db.session.info[_STORED] = True


_STORED = "model_results_stored"


def commit_stored() -> None:
    """Commit the results this request scored and stored, if any: a page that only read them need not commit."""
    if db.session.info.pop(_STORED, False):
        db.session.commit()


def warm(questions: list[Question]) -> int:
    """Score and store every model answer against each question's current rubric; returns how many were new."""
    before = db.session.scalar(select(db.func.count()).select_from(ModelAnswerResult)) or 0
    for question in questions:
        if question.rubric is not None:
            model_results(question, question.rubric)
    db.session.flush()
    return (db.session.scalar(select(db.func.count()).select_from(ModelAnswerResult)) or 0) - before
