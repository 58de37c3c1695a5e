"""Rubric test sets: tutor-marked sample answers, in the editor and in `bank check`."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from fazhi_prep.bank import read_bank
from fazhi_prep.bank.reader import to_spec
from fazhi_prep.extensions import db
from fazhi_prep.models import CalibrationMark, SampleAnswer
from fazhi_prep.rubric_tests import Sample, run_test_set
from tests.conftest import make_user
from tests.test_bank_check import QUESTION, edit, line_of
from tests.test_bank_load import cli, load
from tests.tutor_support import post_form, question, tutor_client

SAMPLES = """\
# 评分要点测试集
question: t-01
samples:
  - title: 只写了议题
    expected:
      zhifa.sanxiang: missed
      baozhang.lingdao: missed
      t-01.yiti: covered
    body: |
      关于召开常务会议的通知
      各部门：
      市政府定于下周一召开常务会议，传达学习《纲要》精神，研究本市贯彻落实的具体举措。请各部门主要负责同志准时参加。
      市政府办公室
  - title: 三项制度齐全
    expected:
      zhifa.sanxiang: covered
      baozhang.lingdao: covered
      t-01.yiti: missed
    body: |
      关于召开全市依法行政工作会议的通知
      各区人民政府，市政府各部门：
      为推动本市依法行政工作，市政府定于下周一上午召开会议。会议将坚持党的领导，总结去年工作，部署在全市行政执法机关推行执法公示，落实执法全过程记录，对重大执法决定开展法制审核。
      请各单位主要负责同志参加。
      市政府办公室
"""
SAMPLES_PATH = "question_bank/samples/t-01.yaml"


@pytest.fixture
def with_samples(mini_root):
    path = mini_root / SAMPLES_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SAMPLES, encoding="utf-8")
    return mini_root


def wrong_term(root):
    """A deliberately wrong term: '会议' appears in answers that do not cover the 议题."""
    edit(root / QUESTION, "- 传达学习 | 学习贯彻", "- 传达学习 | 学习贯彻 | 会议")


def check(app, root, *args):
    return app.test_cli_runner().invoke(args=["bank", "check", "--root", str(root), *args])


def test_samples_file_is_read(with_samples):
    bank = read_bank(with_samples / "question_bank", with_samples / "model_answers")
    samples = bank.files["t-01"].samples
    assert [s.title for s in samples] == ["只写了议题", "三项制度齐全"]
    assert samples[0].expected["t-01.yiti"] == "covered"
    assert samples[0].body.startswith("关于召开常务会议的通知\n各部门：\n")


def test_good_rubric_agrees_with_the_tutor(with_samples):
    bank = read_bank(with_samples / "question_bank", with_samples / "model_answers")
    q = bank.files["t-01"]
    report = run_test_set(to_spec(q, bank.common_errors), [Sample(s.title, s.body, s.expected) for s in q.samples])
    assert report.compared == 6 and report.disagreements == 0 and report.passes(0)


def test_wrong_term_is_a_false_hit(with_samples):
    wrong_term(with_samples)
    bank = read_bank(with_samples / "question_bank", with_samples / "model_answers")
    q = bank.files["t-01"]
    report = run_test_set(to_spec(q, bank.common_errors), [Sample(s.title, s.body, s.expected) for s in q.samples])
    [bad] = [c for s in report.samples for c in s.disagreements]
    assert (bad.key, bad.expected, bad.actual, bad.kind) == ("t-01.yiti", "missed", "covered", "false_hit")
    assert [t.term for t in bad.hit_terms] == ["会议"]
    suspects = {(t.point_key, t.term): t for t in report.suspect_terms}
    assert suspects[("t-01.yiti", "会议")].false_hits == ["三项制度齐全"]
    stats = {p.key: p for p in report.points}
    assert stats["t-01.yiti"].false_hits == ["三项制度齐全"] and stats["zhifa.sanxiang"].agree == 2


def test_missing_term_is_a_miss(with_samples):
    edit(with_samples / SAMPLES_PATH, "传达学习《纲要》精神", "认真领会《纲要》精神")
    bank = read_bank(with_samples / "question_bank", with_samples / "model_answers")
    q = bank.files["t-01"]
    report = run_test_set(to_spec(q, bank.common_errors), [Sample(s.title, s.body, s.expected) for s in q.samples])
    [bad] = [c for s in report.samples for c in s.disagreements]
    assert bad.kind == "miss" and bad.missing == [["传达学习", "学习贯彻"]]


def test_bank_check_runs_test_sets(app, with_samples):
    result = check(app, with_samples)
    assert result.exit_code == 0, result.output
    assert "2 篇样例答案（测试集）" in result.output


def test_bank_check_fails_on_a_false_hit_beyond_tolerance(app, with_samples):
    wrong_term(with_samples)
    result = check(app, with_samples)
    assert result.exit_code == 1
    line = line_of(with_samples / SAMPLES_PATH, "- title: 三项制度齐全")
    assert re.search(
        rf"^{re.escape(SAMPLES_PATH)}:{line}: 样例“三项制度齐全”要点 t-01.yiti（会议议题）：教师判为“未覆盖”，"
        r"评分要点判为“覆盖”——误判命中，命中的词：“会议”$",
        result.output, re.M,
    ), result.output
    assert "不一致 1/6 处（17%），超过容差 10%" in result.output
    assert "评分要点测试集未通过" in result.output


def test_tolerance_is_a_setting(app, with_samples):
    wrong_term(with_samples)
    assert check(app, with_samples, "--tolerance", "0.2").exit_code == 0
    app.config["RUBRIC_TEST_TOLERANCE"] = 0.5
    result = check(app, with_samples)
    assert result.exit_code == 0 and "测试集不一致 1/6（在容差内）" in result.output


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("t-01.yiti: covered", "t-01.nope: covered", "要点 t-01.nope 不在本题的评分要点中"),
        ("t-01.yiti: covered", "t-01.yiti: mostly", "判断只能是 covered、partly 或 missed"),
        ("title: 三项制度齐全", "title: 只写了议题", "样例标题“只写了议题”重复"),
        ("question: t-01", "question: t-99", "文件名应与题目编号一致"),
    ],
)
def test_bad_samples_file_is_named_with_line(app, with_samples, old, new, message):
    path = with_samples / SAMPLES_PATH
    edit(path, old, new)
    result = check(app, with_samples)
    assert result.exit_code == 1
    [problem] = [line for line in result.output.splitlines() if message in line]
    assert problem.startswith(f"{SAMPLES_PATH}:{line_of(path, new)}: ") or "重复" in message


def test_samples_load_and_export_round_trip(app, with_samples, tmp_path):
    from fazhi_prep.bank.sync import sync_status

    load(app, with_samples)
    assert sync_status(question("t-01")) == "synced"
    samples = db.session.scalars(select(SampleAnswer).order_by(SampleAnswer.id)).all()
    assert [s.title for s in samples] == ["只写了议题", "三项制度齐全"]
    out = tmp_path / "out"
    assert cli(app, "bank", "export", str(out)).exit_code == 0
    exported = (out / SAMPLES_PATH).read_text(encoding="utf-8")
    assert "  body: |-\n    关于召开常务会议的通知\n" in exported and "\n- title: 只写了议题\n" in exported
    assert check(app, out).exit_code == 0
    assert "题库无变化" in load(app, out).output
    # a sample edited in its file is updated, matched by title
    edit(with_samples / SAMPLES_PATH, "定于下周一召开常务会议", "定于下周二召开常务会议")
    result = load(app, with_samples)
    assert "样例答案：新增 0，更新 1，删除 0" in result.output


def test_removed_sample_takes_its_calibration_marks(app, with_samples):
    load(app, with_samples)
    user = make_user("kao1")
    sample = db.session.scalars(select(SampleAnswer).order_by(SampleAnswer.id)).first()
    db.session.add(CalibrationMark(user_id=user.id, sample_answer_id=sample.id, marks={"t-01.yiti": "covered"}))
    db.session.commit()
    text = (with_samples / SAMPLES_PATH).read_text(encoding="utf-8")
    (with_samples / SAMPLES_PATH).write_text(text.split("  - title: 三项制度齐全")[0].replace(
        "只写了议题", "改名了"), encoding="utf-8")
    result = load(app, with_samples)
    assert "删除 2" in result.output or "删除 1" in result.output
    assert db.session.scalar(select(func.count()).select_from(CalibrationMark)) == 0


def test_editor_reports_false_hits_per_point_and_term(app, client, with_samples):
    wrong_term(with_samples)
    tutor_client(app, client, with_samples)
    html = client.get("/tutor/questions/t-01/rubric").get_data(as_text=True)
    assert "测试集" in html and "未通过" in html
    assert "误判命中" in html and '<span class="term">会议</span>' in html
    assert "可疑的词" in html


def test_tutor_adds_and_edits_a_sample_in_the_browser(app, client, mini_root):
    tutor_client(app, client, mini_root)
    data = {"title": "浏览器样例", "body": "坚持党的领导。", "mark_0": "missed", "mark_1": "covered", "mark_2": "",
            "revision": question("t-01").revision}
    response = post_form(client, "/tutor/questions/t-01/samples/new", data)
    assert response.status_code == 302
    sample = db.session.scalar(select(SampleAnswer))
    assert sample.expected == {"zhifa.sanxiang": "missed", "baozhang.lingdao": "covered"}
    page = client.get("/tutor/questions/t-01/samples").get_data(as_text=True)
    assert "浏览器样例" in page and "一致 2" in page
    again = post_form(client, "/tutor/questions/t-01/samples/new", {**data, "revision": question("t-01").revision})
    assert "已有标题为“浏览器样例”的样例答案" in again.get_data(as_text=True)
    none = post_form(client, "/tutor/questions/t-01/samples/new", {
        **data, "title": "无标注", "mark_0": "", "mark_1": "", "revision": question("t-01").revision})
    assert "请至少为一个要点标注判断" in none.get_data(as_text=True)


def test_live_preview_runs_the_test_set_on_unsaved_changes(app, client, with_samples):
    from tests.tutor_support import rubric_form_data

    tutor_client(app, client, with_samples)
    points = [
        {"ref": "zhifa.sanxiang", "key": "zhifa.sanxiang", "weight": 2, "need": 2,
         "terms": "行政执法公示 | 执法公示\n执法全过程记录 | 全过程记录\n重大执法决定法制审核 | 法制审核"},
        {"ref": "baozhang.lingdao", "key": "baozhang.lingdao", "weight": 1, "terms": "党的领导 | 党的全面领导"},
        {"key": "t-01.yiti", "label": "会议议题", "weight": 1, "source": "题干", "terms": "传达学习 | 学习贯彻 | 会议"},
    ]
    data = rubric_form_data(points, formats=[("title", True, 1), ("addressee", True, 1), ("date", True, 1)])
    response = post_form(client, "/tutor/questions/t-01/rubric/preview", data, page="/tutor/questions/t-01/rubric")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "不一致 1" in html and "误判命中" in html and '<span class="term">会议</span>' in html
    assert question("t-01").rubric_draft is None  # a preview saves nothing
