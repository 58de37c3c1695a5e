"""The 纲要 library's discipline (issue 9): ★ on every point, generic words earn nothing,
older-era and plain-word 提法 are recognised, and `bank check` warns about generic groups."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi_prep.bank import read_bank
from fazhi_prep.scoring import score
from fazhi_prep.scoring.coverage import credit, point_coverage
from fazhi_prep.scoring.generic import GENERIC_TERMS, generic_only, is_generic
from fazhi_prep.scoring.normalize import normalize_term
from fazhi_prep.scoring.relevance import TOPIC_TERMS
from tests.test_bank_load import cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bank():
    return read_bank(ROOT / "question_bank", ROOT / "model_answers")


@pytest.fixture(scope="module")
def library(bank):
    return bank.library_rubric()


def credited(library, text):
    """Library point -> tiered credit, for points that earn something."""
    return {
        c.point.key: credit(c.coverage, "tiered")
        for c in point_coverage(library, text)
        if credit(c.coverage, "tiered") > 0
    }


def test_every_library_point_has_a_core_group(library, bank):
    assert len(library.points) == 40
    assert [p.key for p in library.points if not p.core] == []
    assert bank.warnings == []  # the shipped bank is clean


@pytest.mark.parametrize(
    "word",
    ["乡镇（街道）", "法律顾问", "化解矛盾", "考核", "专题研究", "群众满意", "门户网站", "疫情防控",
     "征求意见", "合法性审核", "纲要", "第一责任人", "应急演练", "深入人心", "人民满意"],
)
def test_a_generic_word_alone_earns_nothing(library, word):
    # in a plain sentence, as a text on another subject would use it
    text = f"今年我们在这方面做了不少工作，{word}，取得了一定成效。"
    assert credited(library, text) == {}, word


def test_generic_words_together_still_earn_nothing(library):
    text = (
        "各乡镇（街道）要高度重视，主要负责人亲自部署，专题研究，把化解矛盾纳入考核，"
        "聘请法律顾问，组织志愿者和网格员参与，营造良好氛围，确保群众满意。"
    )
    assert credited(library, text) == {}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("严格执行重大决策听证制度和专家咨询论证制度，推进科学民主决策。", "juece.yishi"),
        ("深入推进政府信息公开，全年主动公开政府信息1.2万条。", "jiandu.gongkai"),
        ("全面落实行政执法责任制，推行执法评议考核和执法过错责任追究制度。", "jiandu.zhifa"),
        ("全面实行规范性文件备案审查，做到有件必备、有备必审。", "zhidu.shencha"),
        ("将依法行政工作纳入政府目标考核体系，开展依法行政考核。", "baozhang.ducha"),
        ("深化行政审批制度改革，建成行政服务中心，实行一站式服务。", "zhineng.fangguanfu"),
    ],
)
def test_an_older_era_formulation_earns_its_point(library, text, key):
    assert credited(library, text).get(key, 0) >= 0.5, credited(library, text)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("执法既要有力度，也要刚柔并济，多一些人文关怀，推行说理式执法。", "zhifa.fangshi"),
        ("对第一次犯小错、马上改正的商户，以批评教育为主，不罚款。", "zhifa.fangshi"),
        ("让群众办事不求人、少跑腿，很多事项在手机上就能办。", "zhineng.fangguanfu"),
        ("重大决策要严格履行法定程序，事先听取群众意见，请专家论证，最后集体讨论决定。", "juece.chengxu"),
        ("把法治建设纳入年终考核，考核中法治所占分量要提高。", "baozhang.ducha"),
        ("执法过程全程录像，重大处罚先由法制部门把关。", "zhifa.sanxiang"),
    ],
)
def test_a_plain_word_paraphrase_earns_its_point(library, text, key):
    assert credited(library, text).get(key, 0) >= 0.5, credited(library, text)


def test_the_generic_list_has_one_public_home():
    assert is_generic("考核") and is_generic("★专题研究") and is_generic("乡镇(街道)")
    assert not is_generic("法治督察")
    assert is_generic("考核…整改") and not is_generic("法治…考核")
    assert generic_only(["考核", "整改", "通报"]) and not generic_only(["考核", "法治督察"])
    # the 跑题 check's subject vocabulary holds no generic word
    assert not {normalize_term(t) for t in TOPIC_TERMS} & GENERIC_TERMS


def test_bank_check_warns_about_a_generic_only_group(app, mini_root):
    library = mini_root / "question_bank" / "gangyao.yaml"
    text = library.read_text(encoding="utf-8")
    text = text.replace("          - 党的领导 | 党的全面领导\n",
                        "          - 党的领导 | 党的全面领导\n          - 考核 | 专题研究 | 整改\n")
    library.write_text(text, encoding="utf-8")
    result = cli(app, "bank", "check", "--root", str(mini_root))
    assert result.exit_code == 0, result.output  # advice, not a failure
    assert "词组只有各类公文都用的通用词（考核、专题研究、整改）" in result.output
    assert "纲要要点 zhifa.sanxiang 没有核心提法组（★）" in result.output


def test_an_outdated_goal_is_credited_but_noted_as_a_common_error(bank):
    q = bank.questions["bc-02"]  # a 2021 task
    text = "对策：一是坚持科学民主决策，重大决策经过公众参与、专家论证；二是政府法制办加强合法性审查，确保到2020年基本建成法治政府。"
    result = score(q, text)
    assert {e.key for e in result.errors} == {"jiu-mubiao-2020", "fazhiban"}
    assert next(p for p in result.points if p.key == "juece.chengxu").credit > 0
    # a 2020 annual report may look back on the old goal
    report = score(bank.questions["bc-01"], "2020年度，我市对照到2020年基本建成法治政府的目标推进工作。")
    assert "jiu-mubiao-2020" not in {e.key for e in report.errors}
