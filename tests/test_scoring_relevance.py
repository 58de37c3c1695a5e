"""跑题: texts on other subjects score low even in the right format; weak on-topic answers don't."""

from __future__ import annotations

import pytest
from test_scoring_offtopic_texts import OFF_TOPIC
from test_scoring_support import CANDIDATE_ANSWERS, question

from fazhi_prep.scoring import score
from fazhi_prep.scoring.normalize import normalize
from fazhi_prep.scoring.relevance import (
    CONTENT_FLOOR,
    COVERAGE_OFF,
    COVERAGE_ON,
    TOPIC_FULL,
    content_share,
    relevance,
    topic_density,
)

Q = question()


@pytest.mark.parametrize("name", list(OFF_TOPIC))
def test_off_topic_texts_score_low(name):
    result = score(Q, OFF_TOPIC[name])
    assert result.score < 20, result.explanation
    assert topic_density(normalize(OFF_TOPIC[name]).text) < TOPIC_FULL / 4


def test_off_topic_report_in_perfect_format_loses_its_format_marks():
    result = score(Q, OFF_TOPIC["safety_report"])
    assert all(f.ok for f in result.format)  # the format is right ...
    ded = next(d for d in result.breakdown.deductions if d.kind == "relevance")
    assert ded.marks > 20  # ... but the marks for it are not earned
    assert "跑题" in ded.reason


@pytest.mark.parametrize("name", list(CANDIDATE_ANSWERS))
def test_on_topic_answers_keep_format_and_length_marks(name):
    result = score(Q, CANDIDATE_ANSWERS[name])
    assert not [d for d in result.breakdown.deductions if d.kind == "relevance"]


def test_weak_but_on_topic_answer_beats_off_topic_in_the_same_format():
    weak = score(Q, CANDIDATE_ANSWERS["weak"])
    off = score(Q, OFF_TOPIC["safety_report"])
    assert weak.coverage < 0.2  # generic: few rubric points
    assert weak.score > off.score + 10


def test_ranking_of_answers():
    scores = {name: score(Q, text).score for name, text in CANDIDATE_ANSWERS.items()}
    off = max(score(Q, text).score for text in OFF_TOPIC.values())
    assert scores["solid"] > scores["outline_style"] > scores["weak"] > off


def test_stock_phrases_of_another_subject_keep_only_the_floor_of_their_content_marks():
    # a 安全生产 report says 压实责任, 考核, 监管执法 ... : real hits, but no answer
    result = score(Q, OFF_TOPIC["safety_report"])
    kinds = {d.kind: d for d in result.breakdown.deductions}
    assert result.breakdown.content > 0
    taken = kinds["relevance_content"].marks
    assert taken == pytest.approx(result.breakdown.content * (1 - CONTENT_FLOOR), abs=0.01)
    assert "公文常用语" in kinds["relevance_content"].reason
    assert result.score < 20


def test_the_gate_ignores_coverage_that_stock_phrases_reach_alone():
    gate_low, _ = relevance(COVERAGE_OFF, "")
    gate_mid, _ = relevance((COVERAGE_OFF + COVERAGE_ON) / 2, "")
    gate_high, _ = relevance(COVERAGE_ON, "")
    assert (gate_low, gate_high) == (0.0, 1.0)
    assert 0.4 < gate_mid < 0.6


def test_an_answer_in_its_own_paraphrases_keeps_every_mark():
    # coverage alone is enough once it is beyond what stock phrases reach
    gate, density = relevance(COVERAGE_ON + 0.05, normalize("我们扎实推进各项工作，成效明显。").text)
    assert density == 0 and gate == 1.0
    assert content_share(gate) == 1.0


def test_content_share_never_drops_below_the_floor():
    assert content_share(0.0) == CONTENT_FLOOR
    assert content_share(0.5) == (CONTENT_FLOOR + 1) / 2


@pytest.mark.parametrize("name", list(CANDIDATE_ANSWERS))
def test_on_topic_answers_keep_their_content_marks(name):
    result = score(Q, CANDIDATE_ANSWERS[name])
    assert "relevance_content" not in {d.kind for d in result.breakdown.deductions}
