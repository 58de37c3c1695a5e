"""常见错误: found with span and correction, legit uses spared, deduction applied."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_scoring_support import COMMON_ERRORS, prose, question

from fazhi_prep.scoring import score, spec
from fazhi_prep.scoring.errors import find_errors
from fazhi_prep.scoring.normalize import normalize, normalize_term

ERRORS_YAML = Path(__file__).resolve().parent.parent / "question_bank" / "common_errors.yaml"


def shipped_errors() -> tuple[spec.CommonError, ...]:
    data = yaml.safe_load(ERRORS_YAML.read_text(encoding="utf-8"))
    return tuple(
        spec.CommonError(
            key=e["key"], wrong=tuple(e["wrong"]), right=e["right"], explain=e["explain"],
            unless=tuple(e.get("unless") or ()),
            members=tuple(tuple(a.strip() for a in m.split("|")) for m in e.get("members") or ()),
            window=e.get("window", 12),
        )
        for e in data["errors"]
    )


SHIPPED = shipped_errors()


def errors_in(text: str, prompt: str = "", errors=SHIPPED) -> list[str]:
    return [h.error.key for h in find_errors(errors, normalize(text), normalize_term(prompt))]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("加快建设法制政府，推动高质量发展。", "fazhi-zhengfu"),
        ("要善于运用法制思维和法制方式解决问题。", "fazhi-siwei"),
        ("到2025年，基本建成职能科学、权责法定、执法严明、公开公正、廉洁高效、守法诚信的法治政府。",
         "jiu-gangyao-mubiao"),
        ("全面落实行政执法三项制度（执法公示、执法全过程记录、执法责任制）。", "sanxiang-zhidu"),
        ("推行执法公示和执法全过程记录两项制度，规范执法行为。", "sanxiang-zhidu"),
        ("行政执法三项制度，即执法公示、法制审核。", "sanxiang-zhidu"),
        ("坚持严格公正规范文明执法。", "yange-guifan-gongzheng-wenming"),
        ("坚持科学立法、公正执法、严格司法、全民守法。", "shiliu-zi-fangzhen"),
        ("深化简政放权、放管结合、改善服务改革。", "fangguanfu"),
        ("严格履行公众参与、专家论证、风险评估、合法性审查、民主讨论决定程序。", "juece-chengxu"),
        ("认真学习《法治政府建设实施纲要（2021－2035年）》。", "gangyao-mingcheng"),
    ],
)
def test_shipped_errors_are_found(text, key):
    assert key in errors_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "加快建设法治政府，推进重大执法决定法制审核，完善政府法制机构。",
        "运用法治思维和法治方式深化改革、推动发展。",
        "全面建设职能科学、权责法定、执法严明、公开公正、智能高效、廉洁诚信、人民满意的法治政府。",
        "完善权责清晰、运转顺畅、保障有力、廉洁高效的行政执法体制机制。",
        "全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。",
        "全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。",
        "推行执法公示、全过程记录、法制审核“三项制度”。",
        "全面落实行政执法三项制度。严格落实重大执法决定法制审核。",
        "坚持严格规范公正文明执法。",
        "坚持科学立法、严格执法、公正司法、全民守法。",
        "深化简政放权、放管结合、优化服务改革。",
        "严格落实公众参与、专家论证、风险评估、合法性审查、集体讨论决定等法定程序。",
        "认真学习《法治政府建设实施纲要（2021—2025年）》。",
        prose(400),
    ],
)
def test_correct_forms_are_not_errors(text):
    assert errors_in(text) == []


def test_old_goal_is_fine_when_citing_the_old_gangyao_or_reporting_on_2020():
    old = "围绕基本建成职能科学、权责法定、执法严明、公开公正、廉洁高效、守法诚信的法治政府的目标，扎实推进各项工作。"
    assert errors_in(old) == ["jiu-gangyao-mubiao"]
    assert errors_in("对照《法治政府建设实施纲要（2015—2020年）》，" + old) == []
    assert errors_in(old, prompt="请你撰写一份W市人民政府关于2020年度法治政府建设工作情况的报告") == []
    assert errors_in("“十三五”时期，" + old) == []


def test_error_span_and_correction_in_the_result():
    q = question(common_errors=COMMON_ERRORS, error_deduction=2.0)
    text = "我市加快建设“法制”政府，坚持严格、规范执法。"
    result = score(q, text)
    (err,) = result.errors
    assert err.key == "fazhi-fazhi"
    assert text[err.span[0] : err.span[1]] == "法制”政府"
    assert err.text == "法制”政府" and err.right == "法治政府"
    ded = next(d for d in result.breakdown.deductions if d.kind == "common_errors")
    assert ded.marks == 2.0
    assert any("应为“法治政府”" in line for line in result.explanation)


def test_each_distinct_error_costs_once():
    q = question(common_errors=COMMON_ERRORS, error_deduction=1.0)
    once = score(q, "建设法制政府。" + prose(300))
    twice = score(q, "建设法制政府。" + prose(300) + "建设法制政府。")
    assert len(once.errors) == len(twice.errors) == 1

    def marks(result):
        return [d.marks for d in result.breakdown.deductions if d.kind == "common_errors"]

    assert marks(once) == marks(twice) == [1.0]


def test_deduction_is_a_tutor_setting():
    text = "建设法制政府，落实执法公示和全过程记录、执法责任制。" + prose(300)
    for per_error in (0.0, 0.5, 3.0):
        result = score(question(common_errors=COMMON_ERRORS, error_deduction=per_error), text)
        assert len(result.errors) == 2
        assert sum(d.marks for d in result.breakdown.deductions if d.kind == "common_errors") == (
            pytest.approx(2 * per_error)
        )


def test_incomplete_enumeration_names_what_is_missing():
    (hit,) = find_errors(COMMON_ERRORS, normalize("推行执法公示和全过程记录，规范执法。"))
    assert hit.kind == "incomplete"
    assert hit.missing == ("法制审核",)
    assert hit.text == "执法公示和全过程记录"
