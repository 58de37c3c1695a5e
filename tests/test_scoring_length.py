"""Length against the limit: flags, the deduction rule, and the rule in words."""

from __future__ import annotations

import pytest
from test_scoring_support import point, prose

from fazhi_prep.scoring import score, spec
from fazhi_prep.scoring.length import check_length, describe_rule

RULE = spec.LengthRule()  # 5% free, then 1 mark per 10 字, at most 10; floor 80%; short 50%


@pytest.mark.parametrize(
    ("count", "lo", "hi", "over", "under", "penalty", "share"),
    [
        (900, None, 1000, 0, 0, 0, 1.0),
        (1000, None, 1000, 0, 0, 0, 1.0),
        (1030, None, 1000, 30, 0, 0, 1.0),  # within the 5% free
        (1050, None, 1000, 50, 0, 0, 1.0),
        (1051, None, 1000, 51, 0, 1, 1.0),  # 1 字 beyond: a started 10 counts
        (1060, None, 1000, 60, 0, 1, 1.0),
        (1061, None, 1000, 61, 0, 2, 1.0),
        (1200, None, 1000, 200, 0, 10, 1.0),  # capped
        (5000, None, 1000, 4000, 0, 10, 1.0),
        (700, None, 1000, 0, 100, 0, 1.0),  # under the suggested 800: a warning only
        (400, None, 1000, 0, 400, 0, 0.8),  # under half of N: scaled by 400/500
        (1100, 1000, 1200, 0, 0, 0, 1.0),
        (900, 1000, 1200, 0, 100, 0, 0.9),  # under a hard minimum: scaled
        (1300, 1000, 1200, 100, 0, 4, 1.0),  # 60 free, 40 beyond
    ],
)
def test_check_length(count, lo, hi, over, under, penalty, share):
    lc = check_length(count, lo, hi, RULE)
    assert (lc.over, lc.under, lc.penalty) == (over, under, penalty)
    assert lc.earned_share == pytest.approx(share)
    assert lc.over_limit == (over > 0)
    assert lc.under_limit == (under > 0)


def test_no_limit():
    lc = check_length(5000, None, None, RULE)
    assert not lc.over_limit and not lc.under_limit and lc.penalty == 0


def test_rule_in_words():
    text = describe_rule(None, 1000, RULE)
    assert "不超过1000字" in text
    assert "50字（5%）以内不扣分" in text
    assert "超过1050字后，每多10字扣1分" in text
    assert "最多扣10分" in text
    assert "1000～1200字" in describe_rule(1000, 1200, RULE)
    custom = describe_rule(None, 300, spec.LengthRule(free_ratio=0, per_chars=20, max_deduction=5))
    assert "每多20字扣1分" in custom and "最多扣5分" in custom


def _question(limit_max=300, limit_min=None, rule=RULE):
    return spec.Question(
        id="t", genre="notice", limit_min=limit_min, limit_max=limit_max,
        rubric=spec.Rubric(
            points=(point("p", "p", 1, "传达学习"),), parts=spec.Parts(content=70, format=0, length=30)
        ),
        length_rule=rule,
    )


LEAD = "会议将传达学习新纲要。"


def text_of(chars: int) -> str:
    from fazhi_prep.scoring import char_count

    body = prose(chars - char_count(LEAD))
    text = LEAD + body
    while char_count(text) > chars:
        text = text[:-1]
    assert char_count(text) == chars
    return text


def test_over_limit_flag_and_deduction_applied_to_the_score():
    q = _question(limit_max=300)
    ok = score(q, text_of(270))
    over = score(q, text_of(378))  # 78 over, 15 free, 63 beyond -> 7 marks
    assert ok.char_count == 270 and over.char_count == 378
    assert ok.flag("over_limit") is None
    flag = over.flag("over_limit")
    assert flag is not None and flag.marks == 7
    assert "378字" in flag.reason and "扣7分" in flag.reason
    assert over.breakdown.length == pytest.approx(30 - 7)
    assert over.score == pytest.approx(ok.score - 7, abs=0.01)
    assert any("超过315字后，每多10字扣1分" in line for line in over.explanation)


def test_deduction_beyond_the_length_part_is_a_deduction():
    rule = spec.LengthRule(free_ratio=0, per_chars=1, max_deduction=50)
    q = spec.Question(
        id="t", genre="notice", limit_min=None, limit_max=100,
        rubric=spec.Rubric(points=(point("p", "p", 1, "传达学习"),), parts=spec.Parts(90, 0, 10)),
        length_rule=rule,
    )
    result = score(q, text_of(135))  # 35 over -> 35 marks, 10 from the length part
    assert result.breakdown.length == 0
    ded = next(d for d in result.breakdown.deductions if d.kind == "over_limit")
    assert ded.marks == 25
    assert result.score == pytest.approx(90 - 25)


def test_within_free_margin_flags_without_deduction():
    q = _question(limit_max=260)
    result = score(q, text_of(270))  # 10 over, 13 free
    flag = result.flag("over_limit")
    assert flag is not None and flag.marks == 0 and "不扣分" in flag.reason
    assert result.breakdown.length == 30


def test_under_limit_flag():
    q = _question(limit_max=300)
    warn = score(q, text_of(189))  # < 240 suggested, >= 150: warning only
    short = score(q, text_of(81))  # < 150: scaled 81/150
    assert warn.flag("under_limit") is not None and warn.flag("under_limit").marks == 0
    assert warn.breakdown.length == 30
    assert short.flag("under_limit") is not None
    assert short.breakdown.length == pytest.approx(30 * 81 / 150, abs=0.01)


def test_under_hard_minimum():
    q = _question(limit_min=200, limit_max=300)
    result = score(q, text_of(162))
    assert result.flag("under_limit") is not None
    assert result.breakdown.length == pytest.approx(30 * 162 / 200, abs=0.01)
    assert "少于下限200字" in result.flag("under_limit").reason
