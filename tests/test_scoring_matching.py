"""Normalisation, term matching across punctuation/width variants, and spans."""

from __future__ import annotations

import pytest
from test_scoring_support import point

from fazhi_prep.scoring import coverage_of, spec
from fazhi_prep.scoring.coverage import compile_rubric, point_coverage
from fazhi_prep.scoring.normalize import normalize, normalize_term


def rubric_of(*points, scoring="tiered"):
    return spec.Rubric(points=tuple(points), scoring=scoring)


@pytest.mark.parametrize(
    ("term", "written"),
    [
        ("严格规范公正文明执法", "严格、规范、公正、文明执法"),
        ("严格、规范、公正、文明执法", "严格规范公正文明执法"),
        ("放管服", "“放管服”"),
        ("放管服", "“放、管、服”"),
        ("互联网+监管", "互联网＋监管"),
        ("互联网+监管", "“互联网 + 监管”"),
        ("双随机一公开", "“双随机、一公开”"),
        ("法治政府建设实施纲要（2021—2025年）", "法治政府建设实施纲要(2021-2025年)"),
        ("法治政府建设实施纲要（2021—2025年）", "法治政府建设实施纲要（２０２１～２０２５年）"),
        ("APP掌上执法", "ａｐｐ 掌上执法"),
        ("执法全过程记录", "执法全过程\n记录"),
        ("三项制度", "三 项 制 度"),
    ],
)
def test_term_matches_across_variants(term, written):
    rubric = rubric_of(point("p", "p", 1, term))
    text = f"我们要{written}，抓好落实。"
    assert coverage_of(rubric, text) == 1.0


@pytest.mark.parametrize(
    ("term", "written"),
    [
        ("法治政府", "法制政府"),
        ("三项制度", "三个制度"),
        ("放管服", "放管"),
    ],
)
def test_different_words_do_not_match(term, written):
    rubric = rubric_of(point("p", "p", 1, term))
    assert coverage_of(rubric, f"推进{written}建设") == 0.0


def test_normalize_drops_punctuation_and_space_and_folds_width():
    norm = normalize("“放管服”改革，Ａｂ　１２！")
    assert norm.text == "放管服改革ab12"


@pytest.mark.parametrize(
    "text",
    [
        "“放管服”改革",
        "abc，ＤＥＦ\n\n第二段　１２３",
        "㈠加强领导",  # expands under NFKC: slow path
        "½ 与 ㈠ 并存",
        "",
        "。。。",
    ],
)
def test_positions_point_at_the_characters_kept(text):
    norm = normalize(text)
    assert len(norm.positions) == len(norm.text)
    assert list(norm.positions) == sorted(norm.positions)
    for i, pos in enumerate(norm.positions):
        assert normalize_term(text[pos]), (text, pos)
        assert norm.text[i] in normalize_term(text[pos])


@pytest.mark.parametrize(
    ("text", "term", "expected_text"),
    [
        ("我们要全面推行严格、规范、公正、文明执法。", "严格规范公正文明执法", "严格、规范、公正、文明执法"),
        ("深化“放管服”改革", "放管服", "放管服"),
        ("深化“放、管、服”改革", "放管服", "放、管、服"),
        ("一、\n\u3000\u3000落实执法全过程\n记录制度", "执法全过程记录", "执法全过程\n记录"),
        ("ＡＰＰ掌上执法已推行", "APP掌上执法", "ＡＰＰ掌上执法"),
    ],
)
def test_hit_span_points_at_the_right_characters(text, term, expected_text):
    rubric = rubric_of(point("p", "p", 1, term))
    (cov,) = point_coverage(rubric, text)
    (hit,) = cov.found
    norm = normalize(text)
    start, end = norm.span(hit.chosen.start, hit.chosen.end)
    assert text[start:end] == expected_text


def test_every_occurrence_is_found_in_one_pass():
    rubric = rubric_of(point("p", "p", 1, "行政复议"), point("q", "q", 1, "复议"))
    compiled = compile_rubric(rubric)
    norm = normalize("行政复议，再议行政复议。")
    by_point = compiled.occurrences(norm.text)
    assert [o.start for o in by_point[0][0]] == [0, 6]
    assert [o.start for o in by_point[1][0]] == [2, 8]


def test_rubric_compiles_once_per_version():
    a = rubric_of(point("p", "p", 1, "三项制度"))
    b = rubric_of(point("p", "p", 1, "三项制度"))  # equal, a different object
    c = rubric_of(point("p", "p", 2, "三项制度"))  # a new version
    assert a is not b
    assert compile_rubric(a) is compile_rubric(b)
    assert compile_rubric(a) is not compile_rubric(c)
    assert compile_rubric(a).fingerprint == a.fingerprint()


def test_rubric_built_with_lists_still_compiles_and_caches_by_fingerprint():
    listy = spec.Rubric(points=[spec.Point("p", "p", 1, "《纲要》", [["三项制度"]])])  # type: ignore[arg-type]
    tuply = rubric_of(point("p", "p", 1, "三项制度"))
    assert compile_rubric(listy) is compile_rubric(tuply)
    assert coverage_of(listy, "落实三项制度") == 1.0
