"""The Result: breakdown adds up, to_dict is JSON, explanation and report are plain Chinese."""

from __future__ import annotations

import json

import pytest
from test_scoring_support import CANDIDATE_ANSWERS, MODEL_REPORT, TERMS_LIST, question

from fazhi_prep.scoring import FLAG_NAMES, render_report, score, spec

Q = question()
TEXTS = {
    "model": (MODEL_REPORT, True),
    "solid": (CANDIDATE_ANSWERS["solid"], False),
    "weak": (CANDIDATE_ANSWERS["weak"], False),
    "stuffed": ("、".join(TERMS_LIST), False),
    "copied": (MODEL_REPORT, False),
    "empty": ("", False),
    "errors": (CANDIDATE_ANSWERS["solid"].replace("法治政府建设", "法制政府建设"), False),
}


@pytest.fixture(params=list(TEXTS))
def result(request):
    text, as_model = TEXTS[request.param]
    return score(Q, text, as_model=as_model)


def test_to_dict_is_json_and_has_the_agreed_keys(result):
    d = result.to_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    for key in ("char_count", "limit", "score", "coverage", "points", "format", "flags", "errors",
                "breakdown", "explanation"):
        assert key in d
    assert d["limit"] == {"min": None, "max": 1000}
    assert 0 <= d["score"] <= 100 and 0 <= d["coverage"] <= 1
    for flag in d["flags"]:
        assert flag["name"] in FLAG_NAMES and flag["reason"]
    for p in d["points"]:
        assert {"key", "label", "weight", "coverage", "hits", "source"} <= set(p)
        for h in p["hits"]:
            assert {"span", "text", "term"} <= set(h)
    for f in d["format"]:
        assert f["status"] in ("ok", "missing") and f["expect"]
    for e in d["errors"]:
        assert {"span", "text", "right", "explain"} <= set(e)
    assert set(d["breakdown"]) >= {"content", "format", "length", "deductions", "total"}


def test_breakdown_adds_up(result):
    b = result.breakdown
    total = b.content + b.format + b.length - b.deducted
    assert result.score == pytest.approx(min(100, max(0, total)), abs=0.02)
    assert b.content <= b.content_max + 1e-9
    assert b.format <= b.format_max + 1e-9
    assert b.length <= b.length_max + 1e-9
    assert b.content == pytest.approx(sum(p.earned for p in result.points), abs=0.05)


def test_hit_spans_are_listed_for_highlighting(result):
    for p in result.points:
        for h in p.hits:
            assert h.span[0] < h.span[1]
            assert h.spans[0] == h.span or h.span in h.spans


@pytest.mark.parametrize("name", ["solid", "weak", "errors"])
def test_hit_text_is_the_answer_text_at_the_span(name):
    text, as_model = TEXTS[name]
    res = score(Q, text, as_model=as_model)
    for p in res.points:
        for h in p.hits:
            assert text[h.span[0] : h.span[1]] == h.text
    for e in res.errors:
        assert text[e.span[0] : e.span[1]] == e.text


def test_explanation_itemises_points_deductions_and_suggestions():
    res = score(Q, CANDIDATE_ANSWERS["weak"])
    lines = res.explanation
    assert lines[0].startswith("总分")
    for p in res.points:
        label = p.label.replace("“", "‘").replace("”", "’")  # nested quotes
        assert any(f"“{label}”" in line for line in lines), p.label
    assert any(line.startswith("提分建议") for line in lines)
    assert any("字数：全文" in line for line in lines)
    missed = [p for p in res.points if p.found == 0]
    assert missed and any("未写到" in line and "可写" in line for line in lines)
    hit = next(p for p in res.points if p.hits)
    assert any(f"“{hit.hits[0].text}”" in line for line in lines)


def test_explanation_names_deductions():
    res = score(Q, "、".join(TERMS_LIST))
    assert any(line.startswith("扣") and "堆砌" in line for line in res.explanation)


def test_render_report_from_result_and_from_stored_dict():
    res = score(Q, CANDIDATE_ANSWERS["solid"].replace("法治政府建设", "法制政府建设", 1))
    text = render_report(res)
    assert text == render_report(json.loads(json.dumps(res.to_dict())))
    for needle in ("总分", "内容", "格式", "字数", "要点", "常见错误", "法治政府", "逐项说明"):
        assert needle in text
    assert "\n" in text and not text.startswith("{")


def test_flags_come_from_the_fixed_set():
    res = score(question(limit_max=100), "、".join(TERMS_LIST) + MODEL_REPORT)
    assert res.flag_names <= set(FLAG_NAMES)
    assert {"over_limit", "keyword_stuffing", "copied_material"} <= res.flag_names
    order = [f.name for f in res.flags]
    assert order == sorted(order, key=FLAG_NAMES.index)


def test_score_is_clamped_to_0_100():
    q = question(common_errors=question().common_errors, error_deduction=50.0)
    res = score(q, "法制政府" + CANDIDATE_ANSWERS["weak"])
    assert res.score == 0.0


def test_no_rubric_points_and_no_limit():
    q = spec.Question(id="x", genre="analysis", limit_min=None, limit_max=None,
                      rubric=spec.Rubric(points=()))
    res = score(q, "随便写一点。")
    assert res.breakdown.length == res.breakdown.length_max
    assert res.breakdown.format == res.breakdown.format_max  # no format rules: nothing to lose
    assert res.coverage == 0


def test_to_dict_keeps_every_field():
    from dataclasses import fields

    from fazhi_prep.scoring.result import Hit, PointResult

    d = score(Q, CANDIDATE_ANSWERS["solid"]).to_dict()
    assert set(d["points"][0]) == {f.name for f in fields(PointResult)}
    assert set(d["points"][0]["hits"][0]) == {f.name for f in fields(Hit)}
