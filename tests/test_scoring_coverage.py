"""Content coverage: groups, need k of n, partial credit, repeats earn once."""

from __future__ import annotations

import pytest
from test_scoring_support import point

from fazhi_prep.scoring import coverage_of, score, spec
from fazhi_prep.scoring.coverage import credit, point_coverage

SANXIANG = point(
    "zhifa.sanxiang", "全面落实行政执法三项制度", 1,
    "行政执法公示 | 执法公示",
    "执法全过程记录 | 全过程记录",
    "重大执法决定法制审核 | 法制审核",
)
FIVE = point("juece", "重大行政决策法定程序", 1, "公众参与", "专家论证", "风险评估", "合法性审查", "集体讨论决定")


CONTENT_ONLY = spec.Parts(content=100, format=0, length=0)


def q_of(*points, scoring="tiered", parts=CONTENT_ONLY):
    return spec.Question(
        id="t", genre="analysis", limit_min=None, limit_max=None,
        rubric=spec.Rubric(points=tuple(points), scoring=scoring, parts=parts),
    )


@pytest.mark.parametrize(
    ("coverage", "tiered", "proportional"),
    [(0.0, 0.0, 0.0), (0.2, 0.0, 0.2), (0.39, 0.0, 0.39), (0.4, 0.5, 0.4), (0.6, 0.5, 0.6),
     (0.79, 0.5, 0.79), (0.8, 1.0, 0.8), (1.0, 1.0, 1.0)],
)
def test_credit_modes(coverage, tiered, proportional):
    assert credit(coverage, "tiered") == tiered
    assert credit(coverage, "proportional") == pytest.approx(proportional)


@pytest.mark.parametrize(
    ("text", "found", "tiered_score", "prop_score"),
    [
        ("落实公众参与程序。", 1, 0.0, 20.0),
        ("落实公众参与、专家论证程序。", 2, 50.0, 40.0),
        ("落实公众参与、专家论证、风险评估程序。", 3, 50.0, 60.0),
        ("落实公众参与、专家论证、风险评估、合法性审查程序。", 4, 100.0, 80.0),
        ("落实公众参与、专家论证、风险评估、合法性审查、集体讨论决定程序。", 5, 100.0, 100.0),
    ],
)
def test_partial_credit_tiered_and_proportional(text, found, tiered_score, prop_score):
    tiered = score(q_of(FIVE), text)
    prop = score(q_of(FIVE, scoring="proportional"), text)
    assert tiered.points[0].found == found
    assert tiered.breakdown.content == pytest.approx(tiered_score)
    assert prop.breakdown.content == pytest.approx(prop_score)
    assert tiered.coverage == pytest.approx(found / 5)


def test_need_k_of_n_groups():
    p = spec.Point(**{**SANXIANG.__dict__, "need": 2})
    assert coverage_of(spec.Rubric(points=(p,)), "推行执法公示和全过程记录。") == 1.0
    assert coverage_of(spec.Rubric(points=(p,)), "推行执法公示。") == 0.5
    assert coverage_of(spec.Rubric(points=(SANXIANG,)), "推行执法公示和全过程记录。") == pytest.approx(2 / 3)


def test_content_is_weighted_sum_over_points():
    a = point("a", "a", 3, "行政复议")
    b = point("b", "b", 1, "政务公开")
    result = score(q_of(a, b), "发挥行政复议化解行政争议主渠道作用。")
    assert result.breakdown.content == pytest.approx(75.0)
    assert [p.earned for p in result.points] == [75.0, 0.0]
    assert result.coverage == pytest.approx(0.75)


def test_repeated_phrase_earns_once():
    once = score(q_of(FIVE, scoring="proportional"), "要落实公众参与。")
    many = score(q_of(FIVE, scoring="proportional"), "要落实公众参与。" * 20)
    assert once.breakdown.content == many.breakdown.content == pytest.approx(20.0)
    hit = many.points[0].hits[0]
    assert hit.count == 20
    assert len(hit.spans) == 20


def test_one_phrase_cannot_fill_two_groups_of_a_point():
    p = point("p", "p", 1, "法治政府 | 法治", "法治政府建设", need=2)
    rubric = spec.Rubric(points=(p,))
    assert coverage_of(rubric, "推进法治政府建设。") == 0.5
    assert coverage_of(rubric, "推进法治政府建设。推进法治政府建设。") == 0.5  # repeating it: still one
    assert coverage_of(rubric, "推进法治政府建设，建成法治政府。") == 1.0  # a second, different phrase


def test_same_phrase_may_serve_different_points():
    a = point("a", "a", 1, "行政执法三项制度")
    b = point("b", "b", 1, "三项制度")
    assert coverage_of(spec.Rubric(points=(a, b)), "全面落实行政执法三项制度。") == 1.0


def test_overlapping_alternatives_in_one_group():
    p = point("p", "p", 1, "执法全过程记录 | 全过程记录")
    (cov,) = point_coverage(spec.Rubric(points=(p,)), "落实执法全过程记录制度")
    assert len(cov.found) == 1
    assert cov.found[0].count == 2  # both alternatives hit the same place


def test_empty_and_unmatched_texts():
    q = q_of(FIVE)
    for text in ("", "   \n", "今天天气很好。"):
        result = score(q, text)
        assert result.score == 0
        assert result.coverage == 0
        assert result.points[0].missing


def test_missing_groups_are_listed_with_alternatives():
    result = score(q_of(SANXIANG), "推行执法公示。")
    assert result.points[0].missing == [["执法全过程记录", "全过程记录"], ["重大执法决定法制审核", "法制审核"]]


def test_terms_that_normalise_to_nothing_are_ignored():
    p = point("p", "p", 1, "“” | 三项制度")
    assert coverage_of(spec.Rubric(points=(p,)), "落实三项制度") == 1.0
    assert coverage_of(spec.Rubric(points=(point("q", "q", 1, "、"),)), "落实三项制度") == 0.0
