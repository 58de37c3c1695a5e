"""跑题: texts on other subjects score low even in the right format; weak on-topic answers don't."""

from __future__ import annotations

import pytest
from test_scoring_offtopic_texts import OFF_TOPIC
from test_scoring_support import CANDIDATE_ANSWERS, question

from fazhi_prep.scoring import score
from fazhi_prep.scoring.normalize import normalize
from fazhi_prep.scoring.relevance import TOPIC_FULL, topic_density

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
