"""A 纲要 point in the candidate's own script and words: 繁體 and gapped 提法 (issue 9)."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest
from test_scoring_support import point

from fazhi_prep.bank import read_bank
from fazhi_prep.scoring import score, spec
from fazhi_prep.scoring.coverage import point_coverage
from fazhi_prep.scoring.normalize import normalize, simplified
from fazhi_prep.scoring.spec import TermSyntaxError, parse_gapped

ROOT = Path(__file__).resolve().parent.parent
REALISTIC = Path(__file__).resolve().parent / "fixtures" / "realistic"
S2T = opencc.OpenCC("s2t").convert


def rubric(*groups):
    return spec.Rubric((point("zhifa.fangshi", "创新行政执法方式", 1, *groups),))


def covered(groups, text):
    return point_coverage(rubric(*groups), text)[0]


# -- traditional script ---------------------------------------------------------


def test_traditional_text_is_matched_as_simplified_and_highlighted_in_place():
    text = "我們堅持嚴格規範公正文明執法，全面推行行政執法公示制度。"
    norm = normalize(text)
    assert norm.original == text
    assert "严格规范公正文明执法" in norm.text
    cov = covered(["严格规范公正文明执法", "行政执法公示"], text)
    assert cov.coverage == 1.0
    a, b = norm.span(cov.found[0].chosen.start, cov.found[0].chosen.end)
    assert text[a:b] == "嚴格規範公正文明執法"  # the candidate's own characters


def test_conversion_keeps_one_character_for_one():
    for text in ("乾隆年間的頭髮", "著作權、後台、裡面", "執法溫度，說理式執法"):
        assert len(simplified(text)) == len(text)


@pytest.fixture(scope="module")
def questions():
    return read_bank(ROOT / "question_bank", ROOT / "model_answers").questions


@pytest.mark.parametrize(
    ("name", "qid"),
    [
        ("report_2020_nanxi_city.txt", "bc-01"),
        ("notice_minimal.txt", "bc-04"),
        ("speech_outline_city_mayor.txt", "bc-05"),
    ],
)
def test_a_traditional_twin_scores_within_five_points(questions, name, qid):
    text = (REALISTIC / name).read_text(encoding="utf-8")
    simple, trad = score(questions[qid], text), score(questions[qid], S2T(text))
    assert abs(simple.score - trad.score) <= 5, (simple.score, trad.score)
    assert [f.ok for f in trad.format] == [f.ok for f in simple.format]
    assert trad.char_count == simple.char_count


# -- gapped 提法 --------------------------------------------------------------


def test_gapped_syntax():
    assert parse_gapped("执法温度") is None
    assert parse_gapped("执法…温度") == spec.Gapped(("执法", "温度"), (spec.DEFAULT_GAP,))
    assert parse_gapped("执法……{12}温度") == spec.Gapped(("执法", "温度"), (12,))
    assert parse_gapped("重大...决策…{3}程序") == spec.Gapped(("重大", "决策", "程序"), (8, 3))
    for bad, message in (("…温度", "前后都要有词"), ("执法…{}温度", "间隔的字数"), ("执法…{40}温度", "1 到 30")):
        with pytest.raises(TermSyntaxError, match=message):
            parse_gapped(bad)


@pytest.mark.parametrize(
    "text",
    ["要让群众感受到执法的温度。", "执法既要有力度，更要有温度", "执法有温度", "執法的溫度"],
)
def test_gapped_term_matches_within_one_clause(text):
    cov = covered(["执法…温度"], text)
    assert cov.coverage == 1.0, text
    occ = cov.found[0].chosen
    assert len(occ.parts) == 2


@pytest.mark.parametrize(
    "text",
    [
        "加强执法队伍建设。温度适宜时开展户外培训",  # across 。
        "规范执法程序；提升服务温度",  # across ；
        "规范执法\n温度",  # across a line break
        "执法部门今年组织开展了多轮业务培训活动，服务有温度",  # gap over 8
        "温度适宜，执法顺利",  # wrong order
    ],
)
def test_gapped_term_does_not_match_across_clauses_far_apart_or_out_of_order(text):
    assert covered(["执法…温度"], text).coverage == 0.0, text


def test_a_gap_can_be_widened_per_term():
    text = "执法部门今年组织开展了多轮业务培训活动，服务有温度"
    assert covered(["执法…{30}温度"], text).coverage == 1.0


def test_both_parts_are_highlighted_in_the_result():
    q = spec.Question("t", "report", None, None, rubric("执法…温度"))
    text = "我们坚持执法的温度与力度相统一，推行说理式执法。"
    result = score(q, text)
    hit = result.points[0].hits[0]
    assert hit.text == "执法的温度"
    assert [text[a:b] for a, b in hit.spans] == ["执法", "温度"]


def test_bank_check_reports_a_malformed_gapped_term(mini_root):
    from fazhi_prep.bank import BankError

    path = mini_root / "question_bank" / "questions" / "t-01.md"
    path.write_text(path.read_text(encoding="utf-8").replace("传达学习 | 学习贯彻", "传达学习 | 学习…{99}贯彻"),
                    encoding="utf-8")
    with pytest.raises(BankError) as caught:
        read_bank(mini_root / "question_bank", mini_root / "model_answers")
    assert any("间隔应在 1 到 30 字之间" in p.message and p.path.endswith("t-01.md") for p in caught.value.problems)
