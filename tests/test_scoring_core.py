"""Core groups (★): a point is not credited for its generic words alone."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace

from sqlalchemy import select

from fazhi_prep.bank import read_bank
from fazhi_prep.extensions import db
from fazhi_prep.models import RubricPoint
from fazhi_prep.scoring import score, spec
from fazhi_prep.scoring.normalize import normalize
from fazhi_prep.scoring.relevance import TOPIC_MENTIONS, relevance
from tests.test_bank_check import QUESTION, edit, line_of, run_check
from tests.test_bank_load import cli, load

DUCHA = spec.Point(
    key="baozhang.ducha",
    label="完善法治督察和考核机制",
    weight=1,
    source="《纲要》组织保障",
    groups=(("考核", "整改", "通报"), ("法治督察", "法治建设考核", "法治政府建设纳入")),
    core=(1,),
)
FANGGUANFU = spec.Point(
    key="zhineng.fangguanfu",
    label="深化“放管服”改革",
    weight=1,
    source="《纲要》",
    groups=(("放管服", "简政放权"), ("一网通办", "政务服务")),
)


def question(*points: spec.Point) -> spec.Question:
    return spec.Question(
        id="core-test",
        genre="report",
        limit_min=None,
        limit_max=600,
        rubric=spec.Rubric(points=points, scoring="tiered"),
    )


def point_of(result, key):
    return next(p for p in result.points if p.key == key)


def test_generic_words_alone_earn_nothing_and_the_explanation_says_why():
    text = "我局把安全生产纳入年度考核，对发现的问题逐项整改，并在全市通报。"
    p = point_of(score(question(DUCHA), text), "baozhang.ducha")
    assert p.found == 1 and p.coverage == 0 and p.credit == 0 and p.earned == 0
    assert p.core_missing == [["法治督察", "法治建设考核", "法治政府建设纳入"]]
    line = next(x for x in score(question(DUCHA), text).explanation if "完善法治督察" in x)
    assert "核心提法" in line and "“法治督察”" in line and "0分" in line


def test_with_the_core_group_the_point_is_credited_as_usual():
    half = point_of(score(question(DUCHA), "开展法治督察，推动法治建设落地。"), "baozhang.ducha")
    assert (half.coverage, half.credit, half.core_missing) == (0.5, 0.5, [])
    full = point_of(score(question(DUCHA), "开展法治督察，对发现的问题限期整改。"), "baozhang.ducha")
    assert full.credit == 1


def test_points_without_core_groups_keep_half_credit_for_one_group():
    p = point_of(score(question(FANGGUANFU), "全面推行一网通办，群众办事更方便。"), "zhineng.fangguanfu")
    assert p.credit == 0.5 and p.core_missing == []


def test_split_and_mark_round_trip():
    groups, core, whole = spec.split_marks([["考核", "整改"], ["★法治督察", "法治建设考核"]])
    assert groups == (("考核", "整改"), ("法治督察", "法治建设考核")) and core == (1,) and whole == ()
    point = spec.Point("k", "l", 1, "s", groups, core=core)
    assert spec.marked_groups(point) == [["考核", "整改"], ["★法治督察", "法治建设考核"]]


def test_fingerprint_of_a_rubric_without_core_groups_is_unchanged():
    # attempts scored before core groups existed keep matching their rubric version
    rubric = spec.Rubric(points=(FANGGUANFU,))
    data = asdict(rubric)
    for p in data["points"]:
        del p["core"], p["whole"]
    old = hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    assert rubric.fingerprint() == old
    # marking a core group is a rubric change: a new version
    assert spec.Rubric(points=(DUCHA,)).fingerprint() != spec.Rubric(points=(replace(DUCHA, core=()),)).fingerprint()


def test_the_bank_reads_the_mark_in_any_spacing(mini_root):
    edit(mini_root / QUESTION, "        - 传达学习 | 学习贯彻", "        - 传达学习\n        - ★ 法治政府 | 纲要")
    point = read_bank(mini_root / "question_bank", mini_root / "model_answers").questions["t-01"].rubric.points[2]
    assert point.groups == (("传达学习",), ("法治政府", "纲要")) and point.core == (1,)


def test_a_bare_mark_is_an_empty_group(app, mini_root):
    edit(mini_root / QUESTION, "        - 传达学习 | 学习贯彻", "        - 传达学习\n        - ★")
    result = run_check(app, mini_root)
    assert result.exit_code != 0
    assert f"t-01.md:{line_of(mini_root / QUESTION, '- ★')}: 词组为空" in result.output


def test_core_groups_survive_load_and_export(app, mini_root, tmp_path):
    edit(mini_root / QUESTION, "        - 传达学习 | 学习贯彻", "        - 传达学习\n        - ★ 法治政府 | 纲要")
    load(app, mini_root)
    row = db.session.scalar(select(RubricPoint).where(RubricPoint.key == "t-01.yiti"))
    assert row.groups == [["传达学习"], ["★法治政府", "纲要"]]
    assert row.to_spec().core == (1,) and row.to_spec().groups[1] == ("法治政府", "纲要")
    assert cli(app, "bank", "export", str(tmp_path / "out")).exit_code == 0
    exported = (tmp_path / "out" / QUESTION).read_text(encoding="utf-8")
    assert "- ★法治政府 | 纲要" in exported


def test_one_passing_mention_of_the_subject_is_not_enough():
    # a 双减 plan that sends its draft for 合法性审核 once
    once = normalize("组建起草专班形成初稿，征求意见后送市司法局进行合法性审核，按程序印发。").text
    gate, _ = relevance(0.0, once, core=True)
    assert gate == 0.0
    many = normalize("推进法治政府建设，坚持依法行政，落实行政执法三项制度。").text
    gate, _ = relevance(0.0, many, core=True)
    assert TOPIC_MENTIONS <= 3 and gate == 1.0


def test_core_coverage_vouches_for_a_short_answer_in_its_own_words():
    gate, density = relevance(0.6, normalize("会议研究部署贯彻落实工作。").text, core=True)
    assert density == 0 and gate == 1.0


SANXIANG = spec.Point(
    key="zhifa.sanxiang",
    label="全面落实行政执法三项制度",
    weight=1,
    source="《纲要》",
    groups=(("行政执法三项制度", "三项制度"), ("执法公示",), ("全过程记录",), ("法制审核",)),
    need=2,
    whole=(0,),
)


def test_the_name_of_the_whole_point_covers_it():
    result = score(question(SANXIANG), "我们严格落实行政执法三项制度，执法更加规范。")
    p = point_of(result, "zhifa.sanxiang")
    assert p.found == 1 and p.coverage == 1 and p.credit == 1 and p.by_whole_name
    line = next(x for x in result.explanation if "三项制度" in x and "满分" in x)
    assert "总称" in line


def test_without_the_whole_name_the_groups_count_as_usual():
    one = point_of(score(question(SANXIANG), "全面推行执法公示。"), "zhifa.sanxiang")
    assert (one.coverage, one.credit, one.by_whole_name) == (0.5, 0.5, False)
    two = point_of(score(question(SANXIANG), "推行执法公示，做到全过程记录。"), "zhifa.sanxiang")
    assert two.credit == 1


def test_whole_marks_round_trip():
    groups, core, whole = spec.split_marks([["=行政执法三项制度", "三项制度"], ["★法治督察"], ["考核"]])
    assert groups[0] == ("行政执法三项制度", "三项制度") and core == (1,) and whole == (0,)
    point = spec.Point("k", "l", 1, "s", groups, core=core, whole=whole)
    assert spec.marked_groups(point) == [["=行政执法三项制度", "三项制度"], ["★法治督察"], ["考核"]]
