"""Anti-gaming: keyword stuffing and copied material are flagged, real writing is not."""

from __future__ import annotations

import pytest
from test_scoring_support import (
    CANDIDATE_ANSWERS,
    MATERIALS,
    MODEL_REPORT,
    POINTS,
    TERMS_LIST,
    point,
    prose,
    question,
)

from fazhi_prep.scoring import score, spec
from fazhi_prep.scoring.normalize import normalize
from fazhi_prep.scoring.stock import STOCK_PHRASES
from fazhi_prep.scoring.stuffing import check_stuffing

TERMS = TERMS_LIST
Q = question()


@pytest.mark.parametrize(
    "text",
    [
        "、".join(TERMS),
        "\n".join(TERMS),
        " ".join(TERMS),
        "，".join(TERMS) + "。",
        "。".join(TERMS) + "。",
        "放管服 营商环境 规范性文件 合法性审核 重大行政决策 公众参与 集体讨论决定 三项制度 "
        "全过程记录 法制审核 规范执法 综合执法 行政复议 人民调解 政务公开 人大监督 第一责任人 述法",
        # slogans glued by a verb each, no sentence of one's own
        "要深化放管服改革，优化营商环境，规范性文件合法性审核，重大行政决策公众参与专家论证，"
        "落实三项制度全过程记录法制审核，严格规范公正文明执法综合执法，行政复议人民调解，"
        "政务公开人大监督，第一责任人述法考核。",
    ],
    ids=["dun", "lines", "spaces", "commas", "full-stops", "one-line", "glued-slogans"],
)
def test_bare_term_lists_are_keyword_stuffing(text):
    result = score(Q, text)
    flag = result.flag("keyword_stuffing")
    assert flag is not None, result.flags
    assert flag.reason and "堆砌" in flag.reason
    assert result.coverage > 0.8  # the words are there ...
    assert result.score < 15  # ... but they do not score like an answer
    assert result.breakdown.deductions[0].kind == "keyword_stuffing"
    assert all(not h.counted for p in result.points for h in p.hits)


def test_stuffing_scores_far_below_a_real_answer():
    real = score(Q, CANDIDATE_ANSWERS["solid"])
    stuffed = score(Q, "、".join(TERMS))
    assert real.score - stuffed.score > 50


def test_term_list_appended_to_real_prose_earns_nothing_for_the_list():
    head = CANDIDATE_ANSWERS["weak"]
    tail = "、".join(["三项制度", "全过程记录", "法制审核", "政务公开", "人大监督", "行政复议", "人民调解",
                     "合法性审核", "规范性文件"])
    plain = score(Q, head)
    padded = score(Q, head.replace("特此报告。", tail + "。\n特此报告。"))
    flag = padded.flag("keyword_stuffing")
    assert flag is not None and "罗列关键词" in flag.reason
    assert padded.score == pytest.approx(plain.score, abs=3)
    assert padded.coverage > plain.coverage  # raw words found, not counted


def test_repeating_a_paragraph_is_flagged():
    para = CANDIDATE_ANSWERS["solid"].splitlines()[4]
    result = score(Q, "\n".join([para] * 4))
    assert result.flag("keyword_stuffing") is not None
    assert "重复" in result.flag("keyword_stuffing").reason


def test_official_enumerations_are_not_stuffing():
    goal = point(
        "goal", "总体目标", 1,
        "职能科学", "权责法定", "执法严明", "公开公正", "智能高效", "廉洁诚信", "人民满意",
    )
    q = question(rubric=spec.Rubric(points=(goal, *POINTS)))
    text = (
        "到2025年，政府行为全面纳入法治轨道，职责明确、依法行政的政府治理体系日益健全。"
        "我们要对标职能科学、权责法定、执法严明、公开公正、智能高效、廉洁诚信、人民满意的目标，"
        "逐项查找差距，" + prose(300)
    )
    result = score(q, text)
    assert result.flag("keyword_stuffing") is None
    assert result.points[0].credit == 1


def test_stock_phrases_normalise():
    assert all(normalize(p).text for p in STOCK_PHRASES)


@pytest.mark.parametrize("name", list(CANDIDATE_ANSWERS))
def test_realistic_answers_are_not_flagged(name):
    result = score(Q, CANDIDATE_ANSWERS[name])
    gaming = {"keyword_stuffing", "copied_material"} & result.flag_names
    assert not gaming, [f.reason for f in result.flags]


def test_model_answer_is_not_flagged_as_model():
    result = score(Q, MODEL_REPORT, as_model=True)
    assert not ({"keyword_stuffing", "copied_material"} & result.flag_names)
    assert result.score >= 85


def test_pasted_materials_are_copied_material():
    result = score(Q, MATERIALS)
    flag = result.flag("copied_material")
    assert flag is not None
    assert "给定材料" in flag.reason and "照抄" in flag.reason
    assert result.score < 20


def test_pasted_model_answer_is_copied_material():
    result = score(Q, MODEL_REPORT)
    flag = result.flag("copied_material")
    assert flag is not None and "参考范文" in flag.reason
    assert result.score < 40
    assert result.coverage == 1.0  # every point's words are there, but copied
    assert result.counted_coverage < 0.4


def test_one_long_copied_paragraph_is_flagged_and_only_it_is_discounted():
    own = CANDIDATE_ANSWERS["weak"]
    pasted = MATERIALS.splitlines()[1]  # the material's 行政执法 paragraph, ~130 字
    result = score(Q, own.replace("特此报告。", pasted + "\n特此报告。"))
    flag = result.flag("copied_material")
    assert flag is not None
    spans = flag.spans
    assert len(spans) == 1
    start, end = spans[0]
    copied_text = own.replace("特此报告。", pasted + "\n特此报告。")[start:end]
    assert len(copied_text) > 100 and copied_text in pasted
    uncounted = [h.text for p in result.points for h in p.hits if not h.counted]
    assert "综合行政执法" in uncounted


def test_copied_text_does_not_count_towards_the_length_marks():
    own = CANDIDATE_ANSWERS["weak"]
    pasted = MATERIALS.splitlines()[1]
    result = score(Q, own.replace("特此报告。", pasted + "\n特此报告。"))
    share = result.flag("copied_material").detail["copied_share"]
    ded = next(d for d in result.breakdown.deductions if d.kind == "copied_length")
    assert ded.marks == pytest.approx(result.breakdown.length * share, abs=0.01)
    assert "照抄的文字不算自己写的字数" in ded.reason
    assert not [d for d in score(Q, own).breakdown.deductions if d.kind == "copied_length"]


def test_quoting_short_phrases_from_the_material_is_fine():
    text = CANDIDATE_ANSWERS["solid"].replace(
        "我们在市场监管等领域推行综合执法",
        "组建市场监管、生态环境、交通运输等6支综合行政执法队伍",
    )
    result = score(Q, text)
    assert result.flag("copied_material") is None


def test_stuffing_detector_details_on_real_prose():
    text = CANDIDATE_ANSWERS["solid"]
    norm = normalize(text)
    check = check_stuffing(norm, [])
    assert not check.flagged
    assert check.detail["sentences_per_100"] > 1
    assert check.detail["repeated"] < 0.25


DENSE_OUTLINE = """在全省法治政府建设工作会议上的交流发言提纲
各位领导、同志们：
按照会议安排，我就Q市的做法作简要交流。
一、深化改革，转变职能
（一）深化“放管服”改革，推进“一网通办”，优化营商环境。
（二）清理规范性文件，落实合法性审核和备案审查。
二、规范决策，严格执法
（一）落实重大行政决策公众参与、专家论证、风险评估、合法性审查、集体讨论决定程序。
（二）全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。
（三）深化综合行政执法改革，推行严格规范公正文明执法。
三、化解纠纷，强化监督
（一）发挥行政复议主渠道作用，坚持和发展“枫桥经验”。
（二）推进政务公开，自觉接受人大监督、民主监督。
四、压实责任
落实第一责任人职责，推行领导干部述法。
"""


def test_dense_outline_is_not_stuffing():
    result = score(Q, DENSE_OUTLINE)
    assert result.flag("keyword_stuffing") is None, result.flag("keyword_stuffing")
    assert result.coverage == 1.0
