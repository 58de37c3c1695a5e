"""Copying judged fairly (issue 9): what the 给定材料 dictate is not 照抄, and text that
is discounted as copied says “按照抄扣除” — never 未覆盖 beside full marks, never 未找到."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi_prep.bank import read_bank
from fazhi_prep.rubric_tests import Sample, describe, run_test_set, trial_one
from fazhi_prep.scoring import render_report, score, spec
from fazhi_prep.scoring.limits import parse_limit
from tests.practice_support import attempts_of, start, submit
from tests.test_bank_load import load

ROOT = Path(__file__).resolve().parent.parent
COPYING = Path(__file__).resolve().parent / "fixtures" / "copying"
PROMPT = "市司法局决定举办全市行政执法人员法治能力提升培训班，请你以市司法局名义撰写一份培训班通知（300字）。"
GAMING = {"keyword_stuffing", "copied_material"}


def point(key, label, weight, *groups):
    plain, core, whole = spec.split_marks([g.split("|") for g in groups])
    return spec.Point(key, label, weight, "题干", plain, None, None, core, whole)


@pytest.fixture(scope="module")
def training():
    """A tutor-made 300字 培训班 notice question: the materials prescribe time, place, attendees."""
    bank = read_bank(ROOT / "question_bank", ROOT / "model_answers")
    elements = bank.genres["notice"].elements
    rules = tuple(elements[k] for k in ("title", "addressee", "time", "place", "attendees",
                                        "requirements", "contact", "signature", "date"))
    points = (
        point("t.mudi", "培训目的", 2, "★习近平法治思想|法治政府建设实施纲要|纲要", "依法行政能力|执法能力|法治能力"),
        point("t.neirong", "培训内容", 2, "★三项制度|行政复议|行政应诉|复议应诉|《纲要》解读", "案例分析|专题辅导"),
        point("t.shijian", "时间和报到", 1, "★10月11日", "报到"),
        point("t.didian", "地点", 1, "★市委党校|301教室"),
        point("t.renyuan", "参训人员", 1, "★法制科|执法骨干|分管负责同志", "每单位2人"),
        point("t.yaoqiu", "纪律和回执", 1, "★回执|培训纪律", "10月8日前"),
    )
    return spec.Question(
        "tr-01", "notice", *parse_limit(PROMPT),
        spec.Rubric(points, rules, "tiered", spec.Parts(40, 50, 10)),
        prompt=PROMPT,
        materials=(COPYING / "training_materials.md").read_text(encoding="utf-8"),
        model_answers=((COPYING / "training_model.txt").read_text(encoding="utf-8"),),
    )


def test_a_notice_written_from_the_materials_is_not_copying(training):
    # the case of issue 9: it scored 0 / 100 as 56 % 照抄
    text = (COPYING / "training_candidate.txt").read_text(encoding="utf-8")
    result = score(training, text)
    assert not GAMING & result.flag_names, [f.reason for f in result.flags]
    assert result.score >= 60, result.explanation
    assert result.breakdown.content == result.breakdown.content_max


def test_the_model_notice_passes_as_a_model_answer(training):
    result = score(training, training.model_answers[0], as_model=True)
    assert not GAMING & result.flag_names
    assert result.score >= 85


def test_pasting_the_model_notice_whole_is_still_copying(training):
    result = score(training, training.model_answers[0])
    assert "copied_material" in result.flag_names
    assert result.score < 40


def test_copying_the_model_answer_s_own_wording_is_still_copying():
    # the materials dictate nothing of this paragraph: it is the model answer's own prose
    model = (
        "我们坚持把法治政府建设作为全局工作的基础工程来抓，坚持问题导向和目标导向相结合，"
        "把制度建设摆在突出位置，推动各级行政机关把依法行政贯穿于行政管理全过程，"
        "让法治成为政府工作的鲜明底色和群众信赖的坚实保障，持续擦亮法治政府这张名片。"
    )
    q = spec.Question("x", "report", None, 1000, spec.Rubric((point("p", "p", 1, "★法治政府"),)),
                      materials="材料：某市的有关情况。", model_answers=(model,))
    result = score(q, "关于法治政府建设的报告\n" + model + "\n今后我们还要继续努力。")
    assert "copied_material" in result.flag_names
    assert "参考范文" in result.flag("copied_material").reason


def test_discounted_hits_say_按照抄扣除_in_the_explanation_and_the_report(training):
    pasted = (COPYING / "training_materials.md").read_text(encoding="utf-8")
    result = score(training, pasted)
    assert "copied_material" in result.flag_names
    discounted = [p for p in result.points if p.hits and p.counted_earned < p.earned]
    assert discounted and all(p.discount == "照抄" for p in discounted)
    assert any("按照抄扣除" in line for line in result.explanation)
    assert "（按照抄扣除）" in render_report(result)
    assert "（不计分）" not in render_report(result)


def test_a_rubric_test_set_says_按照抄扣除_not_未找到(training):
    pasted = (COPYING / "training_materials.md").read_text(encoding="utf-8")
    trial = trial_one(training, "粘贴材料", pasted)
    pt = next(p for p in trial.points if p.key == "t.neirong")
    assert pt.status_label == "按照抄扣除"
    report = run_test_set(training, [Sample("粘贴材料", pasted, {"t.neirong": "covered"})])
    check = report.samples[0].checks[0]
    assert check.discount == "照抄" and check.discounted and not check.missing
    line = describe(check)
    assert "按照抄扣除" in line and "未找到" not in line


MATERIALS = (
    "材料一：某市坚持党的领导，全面推行执法公示制度，要求各执法部门在网站上公开执法主体、执法依据、"
    "执法程序和执法结果，严格落实执法全过程记录，为一线执法人员配备执法记录仪，对重大执法决定一律"
    "先经法制审核再作出决定。全年共公示执法信息一万二千余条，评查执法案卷三百余卷，群众对执法工作的"
    "满意度明显提升，执法行为更加规范，执法争议明显减少，基层执法队伍的素质也有了明显提高。"
)


def test_the_result_page_never_shows_未覆盖_beside_marks(app, logged_in, mini_root):
    path = mini_root / "question_bank/questions/t-01.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("1. 某市决定召开常务会议。", MATERIALS), encoding="utf-8")
    load(app, mini_root)
    start(logged_in)
    submit(logged_in, "关于召开会议的通知\n各单位：\n" + MATERIALS.removeprefix("材料一：") + "\n某市人民政府办公室\n2021年8月16日")
    attempt = attempts_of("kaosheng1")[0]
    assert "copied_material" in {f["name"] for f in attempt.result["flags"]}
    page = logged_in.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert '<span class="badge status-discounted">按照抄扣除</span>' in page
    assert "（出现在被标记为照抄的文字中，按照抄扣除）" in page
    # no point is shown as 未覆盖 with marks: a discounted point shows the marks it kept
    for point in attempt.result["points"]:
        if point["discount"]:
            assert f"{point['counted_earned']:g} / {point['max']:g} 分" in page
