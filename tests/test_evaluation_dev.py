"""`bank evaluate` on the project's own development set (tests/fixtures/eval_dev).

Written during issue 9 by the developer who also tuned the term lists, so
these are regression figures, not a blind measurement: own words, older-era
vocabulary, 繁體, 大作文 and weak plain answers, and off-topic texts in the same
genres, labelled with the band and the 纲要 areas a grader would give them.
The figures asserted are those measured when the set was last tuned (with a
little slack), so a change that makes the engine worse on them fails here.
"""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest

from fazhi_prep.bank import read_bank
from fazhi_prep.evaluation import evaluate, read_labels

ROOT = Path(__file__).resolve().parent.parent
DEV = Path(__file__).resolve().parent / "fixtures" / "eval_dev"


@pytest.fixture(scope="module")
def figures():
    bank = read_bank(ROOT / "question_bank", ROOT / "model_answers")
    texts = read_labels(DEV, bank.files, [a.key for a in bank.areas])
    return evaluate(texts, bank.questions, bank.library_rubric(), opencc.OpenCC("s2t").convert)


def test_the_dev_set_is_what_it_says(figures):
    assert (figures.n_on, figures.n_off) == (16, 6)


def test_no_on_topic_text_has_zero_coverage(figures):
    assert figures.zero_coverage == []


def test_coverage_and_score_separate_on_from_off_topic(figures):
    assert figures.coverage_auc >= 0.95
    assert figures.score_auc == 1.0


def test_areas_found_are_the_areas_a_grader_sees(figures):
    assert figures.area_precision >= 0.9
    assert figures.area_recall >= 0.9


def test_traditional_twins_score_alike(figures):
    assert figures.traditional_max_diff <= 5


def test_bands_are_within_one_and_nothing_is_flagged(figures):
    assert figures.band_within_one == 1.0
    assert figures.flagged == {}
    off = [t for t in figures.texts if t.question == "*"]
    assert all(t.score < 30 for t in off)
