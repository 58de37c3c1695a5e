"""`flask --app app score`: readable reports, JSON Lines, stdin, and a fresh checkout."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT
from tests.test_bank_load import cli, load

REALISTIC_NOTICE = """关于召开市政府常务会议的通知

各区县人民政府，市政府各部门：
经市政府研究，定于2021年9月3日（星期五）上午9:00在市政府3楼第一会议室召开市政府常务会议，现将有关事项通知如下。
一、会议议题：传达学习《法治政府建设实施纲要（2021—2025年）》，听取市司法局关于贯彻落实工作方案的汇报，研究部署我市贯彻落实工作。
二、参会人员：市长、副市长，各区县政府主要负责同志，市政府各部门主要负责同志。
三、有关要求：请参会人员会前认真学习《纲要》，于9月1日前报送书面贯彻落实意见；无特殊情况不得请假。
联系人：王明，电话：12345678。

市人民政府办公室
2021年8月30日
"""
TRAVEL_NOTE = "十月的黄山云海翻涌，我们清晨从山脚出发，台阶陡峭，到光明顶时东方已经泛白。下山时在西海大峡谷停留很久，傍晚回到镇上吃了一碗面。"


def body_of(path):
    """A model answer file's text without its front matter, as a candidate would write it."""
    return path.read_text(encoding="utf-8").split("---", 2)[2].strip()


@pytest.fixture
def answers(tmp_path):
    notice = tmp_path / "notice.txt"
    notice.write_text(REALISTIC_NOTICE, encoding="utf-8")
    travel = tmp_path / "travel.txt"
    travel.write_text(TRAVEL_NOTE, encoding="utf-8")
    return notice, travel


def json_lines(output):
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_json_lines_one_object_per_file(app, shipped_root, answers):
    load(app, shipped_root)
    result = cli(app, "score", "bc-04", *map(str, answers), "--json")
    assert result.exit_code == 0, result.output
    notice, travel = json_lines(result.output)
    for row in (notice, travel):
        for key in ("file", "question", "char_count", "limit", "score", "coverage", "points", "format", "flags"):
            assert key in row
        assert row["question"] == "bc-04"
        assert all(isinstance(flag, str) for flag in row["flags"])
    assert notice["file"].endswith("notice.txt") and notice["limit"]["max"] == 300
    assert notice["score"] >= 80 and notice["flags"] == []
    assert all(f["ok"] for f in notice["format"])
    assert travel["score"] < 20 and "under_limit" in travel["flags"]


def test_readable_report_names_points_and_total(app, shipped_root, answers):
    load(app, shipped_root)
    result = cli(app, "score", "bc-04", str(answers[0]))
    assert result.exit_code == 0, result.output
    assert "总分" in result.output and "会议议题" in result.output
    assert "J市市政府常务会议的会议通知" in result.output


def test_standard_input(app, shipped_root):
    load(app, shipped_root)
    result = app.test_cli_runner().invoke(args=["score", "bc-04", "-", "--json"], input=REALISTIC_NOTICE)
    assert result.exit_code == 0, result.output
    (row,) = json_lines(result.output)
    assert row["file"] == "-" and row["char_count"] > 200


def test_without_bank_load_scores_from_the_files(app, answers):
    # The test database is migrated but empty, as on a checkout where `bank load` never ran.
    result = cli(app, "score", "bc-04", str(answers[0]), "--json")
    assert result.exit_code == 0, result.output
    (row,) = json_lines(result.output)
    assert row["score"] >= 80


def test_verbatim_model_answer_is_flagged_as_copied(app, tmp_path):
    answer = tmp_path / "bc-01.txt"
    answer.write_text(body_of(ROOT / "model_answers" / "bc-01.md"), encoding="utf-8")
    (row,) = json_lines(cli(app, "score", "bc-01", str(answer), "--json").output)
    # a verbatim model answer submitted as an answer is copying, and says so
    assert "copied_material" in row["flags"]


def test_unknown_question_is_a_clear_error(app, answers):
    result = cli(app, "score", "bc-99", str(answers[0]))
    assert result.exit_code != 0
    assert "题目 bc-99 不存在" in result.output and "bc-01" in result.output
