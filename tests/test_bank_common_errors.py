"""常见错误 from the bank files reach the engine intact: wrong forms and enumerations."""

from __future__ import annotations

from sqlalchemy import select

from fazhi_prep.bank import read_bank
from fazhi_prep.catalog import question_spec
from fazhi_prep.extensions import db
from fazhi_prep.models import Question
from fazhi_prep.scoring import score
from tests.test_bank_check import line_of, run_check
from tests.test_bank_load import cli, load

ERRORS = "question_bank/common_errors.yaml"
ENUMERATION = """
  - key: sanxiang
    wrong: [执法责任制]
    right: 行政执法三项制度
    explain: 三项制度缺一不可。
    members:
      - 执法公示 | 公示制度
      - 全过程记录
      - 法制审核
    window: 8
"""


def add_enumeration(root, text=ENUMERATION):
    path = root / ERRORS
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


def test_shipped_three_systems_enumeration_is_read(shipped_root):
    bank = read_bank(shipped_root / "question_bank", shipped_root / "model_answers")
    sanxiang = next(e for e in bank.common_errors.errors if e.key == "sanxiang-zhidu")
    assert len(sanxiang.members) == 3
    assert sanxiang.members[0] == ("行政执法公示", "执法公示", "公示制度")
    assert sanxiang.window == 12


def test_enumeration_survives_load_and_flags_incomplete_list(app, shipped_root):
    load(app, shipped_root)
    question = db.session.scalar(select(Question).where(Question.slug == "bc-02"))
    text = "我市全面推行执法公示和执法全过程记录制度，执法更加规范。" * 3
    result = score(question_spec(question), text)
    incomplete = [e for e in result.errors if e.key == "sanxiang-zhidu"]
    assert incomplete and incomplete[0].kind == "incomplete"
    assert incomplete[0].missing == ["重大执法决定法制审核"]
    assert text[slice(*incomplete[0].span)].startswith("执法公示")


def test_complete_enumeration_is_not_an_error(app, shipped_root):
    load(app, shipped_root)
    question = db.session.scalar(select(Question).where(Question.slug == "bc-02"))
    text = "全面推行行政执法公示、执法全过程记录、重大执法决定法制审核制度。"
    assert not [e for e in score(question_spec(question), text).errors if e.key == "sanxiang-zhidu"]


def test_members_and_window_round_trip_through_export(app, mini_root, tmp_path):
    add_enumeration(mini_root)
    load(app, mini_root)
    cli(app, "bank", "export", str(tmp_path / "out"))
    exported = (tmp_path / "out" / ERRORS).read_text(encoding="utf-8")
    assert "- 执法公示 | 公示制度" in exported and "window: 8" in exported
    again = read_bank(tmp_path / "out" / "question_bank", tmp_path / "out" / "model_answers")
    sanxiang = next(e for e in again.common_errors.errors if e.key == "sanxiang")
    assert sanxiang.members == (("执法公示", "公示制度"), ("全过程记录",), ("法制审核",))
    assert sanxiang.window == 8


def test_bad_window_and_single_member_are_reported(app, mini_root):
    path = add_enumeration(
        mini_root, ENUMERATION.replace("window: 8", "window: -3").replace(
            "      - 全过程记录\n      - 法制审核\n", ""
        )
    )
    result = run_check(app, mini_root)
    assert result.exit_code != 0
    assert f"{ERRORS}:{line_of(path, 'window: -3')}: window 应是不小于 0 的整数" in result.output
    assert f"{ERRORS}:{line_of(path, 'members:')}: members 至少要列出两项" in result.output
