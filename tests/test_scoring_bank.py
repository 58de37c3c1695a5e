"""The engine against the shipped bank (question_bank/ + model_answers/), read by read_bank."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_scoring_offtopic_texts import OFF_TOPIC

from fazhi_prep.bank import read_bank
from fazhi_prep.scoring import coverage_of, score
from fazhi_prep.scoring.format_check import check_format

ROOT = Path(__file__).resolve().parent.parent
QUESTION_IDS = sorted(p.stem for p in (ROOT / "question_bank" / "questions").glob("*.md"))
GAMING = {"keyword_stuffing", "copied_material"}


@pytest.fixture(scope="module")
def questions():
    return read_bank(ROOT / "question_bank").questions


def test_the_bank_has_the_seven_prompts(questions):
    assert len(questions) >= 7
    assert {q.genre for q in questions.values()} >= {
        "report", "analysis", "experience", "notice", "speech_outline", "opinion", "work_plan"
    }
    for q in questions.values():
        assert q.model_answers, q.id
        assert q.rubric.format_rules, q.id


@pytest.mark.parametrize("qid", QUESTION_IDS)
def test_model_answers_score_high_and_are_not_flagged(questions, qid):
    q = questions[qid]
    for answer in q.model_answers:
        result = score(q, answer, as_model=True)
        assert result.score >= 85, (qid, result.explanation)
        assert not result.flags, (qid, [(f.name, f.reason) for f in result.flags])
        assert not result.errors, (qid, [(e.text, e.right) for e in result.errors])


@pytest.mark.parametrize("qid", QUESTION_IDS)
def test_primary_model_answer_covers_the_rubric(questions, qid):
    q = questions[qid]
    assert coverage_of(q.rubric, q.model_answers[0]) >= 0.85


@pytest.mark.parametrize("qid", QUESTION_IDS)
def test_model_answers_pass_every_format_check(questions, qid):
    q = questions[qid]
    for answer in q.model_answers:
        failed = [c.rule.key for c in check_format(q.rubric.format_rules, answer) if not c.ok]
        assert failed == [], qid


def _without(rules, key, text):
    """``text`` with every line satisfying format element ``key`` removed."""
    rule = next(r for r in rules if r.key == key)
    for _ in range(100):
        (check,) = check_format((rule,), text)
        if not check.ok:
            return text
        start, end = check.span
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        text = text[:line_start] + (text[line_end + 1 :] if line_end >= 0 else "")
    raise AssertionError(key)


@pytest.mark.parametrize("qid", QUESTION_IDS)
def test_removing_a_format_element_from_the_model_answer_names_it(questions, qid):
    q = questions[qid]
    model = q.model_answers[0]
    for rule in q.rubric.format_rules:
        text = _without(q.rubric.format_rules, rule.key, model)
        result = score(q, text, as_model=True)
        element = next(f for f in result.format if f.key == rule.key)
        assert element.status == "missing", (qid, rule.key)
        assert any(rule.label in line and "缺少" in line for line in result.explanation)


@pytest.mark.parametrize("qid", QUESTION_IDS)
def test_half_a_model_answer_scores_clearly_lower(questions, qid):
    q = questions[qid]
    model = q.model_answers[0]
    paragraphs = [p for p in model.splitlines() if p.strip()]
    half = "\n".join(paragraphs[: len(paragraphs) // 2])
    whole = score(q, model, as_model=True)
    cut = score(q, half, as_model=True)
    assert whole.score - cut.score >= 15, (qid, whole.score, cut.score)
    assert cut.coverage < whole.coverage


@pytest.mark.parametrize("name", list(OFF_TOPIC))
@pytest.mark.parametrize("qid", QUESTION_IDS)
def test_off_topic_text_scores_low_on_every_prompt(questions, qid, name):
    result = score(questions[qid], OFF_TOPIC[name])
    assert result.score < 30, (qid, name, result.explanation)
    assert result.coverage < 0.4


@pytest.mark.parametrize("qid", QUESTION_IDS)
def test_stuffing_and_copying_on_the_bank(questions, qid):
    q = questions[qid]
    terms = [alt for p in q.rubric.points for g in p.groups for alt in g]
    stuffed = score(q, "、".join(terms))
    assert "keyword_stuffing" in stuffed.flag_names
    assert stuffed.score < 20
    if q.materials and len(q.materials) > 200:
        copied = score(q, q.materials)
        assert "copied_material" in copied.flag_names
        assert copied.score < 30
    pasted = score(q, q.model_answers[0])  # a candidate pasting the model answer
    assert "copied_material" in pasted.flag_names
    assert pasted.score < 40


def test_bank_common_errors_are_applied(questions):
    q = next(q for q in questions.values() if q.common_errors)
    model = q.model_answers[0]
    clean = score(q, model, as_model=True)
    wrong = score(q, "坚持建设法制政府。\n" + model, as_model=True)
    assert not clean.errors
    assert [e.right for e in wrong.errors] == ["法治政府"]
    assert wrong.score < clean.score
