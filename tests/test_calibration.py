"""评分校准: candidates mark tutors' sample answers and see where they differ."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fazhi_prep.calibration import service
from fazhi_prep.extensions import db
from fazhi_prep.models import Attempt, CalibrationMark, Role, SampleAnswer, User
from tests.conftest import login, make_user
from tests.practice_support import start, submit
from tests.test_bank_load import load
from tests.tutor_support import FULL_NOTICE, post_form, question, switch_user

BODY = "关于召开常务会议的通知\n各部门：\n市政府定于下周一召开常务会议，传达学习《纲要》精神。\n市政府办公室"


@pytest.fixture
def sample(app, client, mini_root):
    """A tutor-marked sample on t-01 and a logged-in candidate."""
    load(app, mini_root)
    q = question("t-01")
    s = SampleAnswer(question_id=q.id, title="只写了议题", body=BODY,
                     expected={"zhifa.sanxiang": "missed", "baozhang.lingdao": "missed", "t-01.yiti": "covered"})
    db.session.add(s)
    db.session.commit()
    make_user("kao1")
    login(client, "kao1")
    return s


def grade(client, sample_id, marks):
    data = {f"mark_{i}": m for i, m in enumerate(marks)}
    return post_form(client, f"/calibration/samples/{sample_id}", data)


def test_index_lists_samples_of_published_questions(client, sample):
    page = client.get("/calibration/").get_data(as_text=True)
    assert "测试会议通知" in page and "只写了议题" in page
    q = question("t-01")
    q.published = False
    db.session.commit()
    assert "只写了议题" not in client.get("/calibration/").get_data(as_text=True)
    assert client.get(f"/calibration/samples/{sample.id}").status_code == 404


def test_grading_hides_the_tutor_marks_until_submitted(client, sample):
    page = client.get(f"/calibration/samples/{sample.id}").get_data(as_text=True)
    assert "全面落实行政执法三项制度" in page and "会议议题" in page
    assert "badge status-" not in page  # no marks shown, neither the tutor's nor any other


def test_candidate_sees_where_they_differ(client, sample):
    # rubric order: zhifa.sanxiang, baozhang.lingdao, t-01.yiti
    response = grade(client, sample.id, ["covered", "missed", "partly"])
    assert response.status_code == 302
    mark = db.session.scalar(select(CalibrationMark))
    assert mark.marks == {"zhifa.sanxiang": "covered", "baozhang.lingdao": "missed", "t-01.yiti": "partly"}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 / 3 个要点与教师一致" in page
    assert "你判得比教师宽" in page and "你判得比教师严" in page and "一致" in page


def test_every_point_must_be_marked(client, sample):
    response = post_form(client, f"/calibration/samples/{sample.id}", {"mark_0": "covered"})
    assert response.status_code == 422 and "请为这个要点选择一项" in response.get_data(as_text=True)
    assert db.session.scalar(select(CalibrationMark.id)) is None


def test_someone_elses_marks_are_404(app, client, sample):
    response = grade(client, sample.id, ["missed", "missed", "covered"])
    url = response.headers["Location"]
    make_user("kao2")
    other = app.test_client()
    login(other, "kao2")
    assert other.get(url).status_code == 404


def test_points_no_longer_in_the_rubric_are_not_compared(client, sample):
    sample.expected = {**sample.expected, "gone.point": "covered"}
    db.session.commit()
    assert [p.key for p in service.points_to_mark(sample)] == ["zhifa.sanxiang", "baozhang.lingdao", "t-01.yiti"]


def test_history_shows_agreement_over_time_and_self_vs_tutor(client, sample):
    grade(client, sample.id, ["covered", "missed", "partly"])
    grade(client, sample.id, ["missed", "missed", "covered"])
    start(client)
    submit(client, FULL_NOTICE)
    attempt = db.session.scalar(select(Attempt))
    attempt.self_marks = {"zhifa.sanxiang": {"mark": "covered", "note": ""},
                          "baozhang.lingdao": {"mark": "missed", "note": ""},
                          "t-01.yiti": {"mark": "covered", "note": ""}}
    attempt.override_score = 70.0
    attempt.override_comment = "格式好，内容再充实。"
    attempt.override_by_id = db.session.scalar(select(User.id))
    db.session.commit()
    user = db.session.scalar(select(User).where(User.username == "kao1"))
    summary = service.history_summary(user.id)
    assert [(r.agreed, r.total) for r in summary.rounds] == [(1, 3), (3, 3)]
    assert round(summary.overall, 2) == round(4 / 6, 2)
    [pair] = summary.attempts
    points = {p["key"]: p for p in attempt.result["points"]}
    bd = attempt.result["breakdown"]
    assert not bd["deductions"]  # a clean answer: the self-score swaps the content marks only
    expected = bd["format"]["earned"] + bd["length"]["earned"] + points["zhifa.sanxiang"]["max"] + points["t-01.yiti"]["max"]
    assert pair.self_score == round(expected, 1) and pair.tutor_score == 70.0
    assert len(summary.chart["points"]) == 2 and summary.chart["points"][1]["y"] < summary.chart["points"][0]["y"]
    page = client.get("/calibration/").get_data(as_text=True)
    assert "与教师判断的一致率 <strong>67%</strong>" in page


def test_history_page_includes_the_calibration_section(client, sample):
    grade(client, sample.id, ["missed", "missed", "covered"])
    page = client.get("/me/history").get_data(as_text=True)
    assert 'id="calibration"' in page and "与教师一致率" in page


def test_tutor_sample_flows_into_calibration(app, client, mini_root):
    load(app, mini_root)
    make_user("jiaoshi1", Role.TUTOR)
    make_user("kao1")
    login(client, "jiaoshi1")
    post_form(client, "/tutor/questions/t-01/samples/new", {
        "title": "浏览器样例", "body": BODY, "mark_0": "missed", "mark_1": "missed", "mark_2": "covered",
        "revision": question("t-01").revision})
    switch_user(client, "kao1")
    assert "浏览器样例" in client.get("/calibration/").get_data(as_text=True)


def test_self_score_leaves_out_the_deductions_that_take_back_content_marks():
    # the candidate's self-marks decide content; 跑题's content share and 堆砌 go with it
    class Marked:
        self_marks = {"p1": {"mark": "covered"}, "p2": {"mark": "partly"}}
        result = {
            "points": [{"key": "p1", "max": 30}, {"key": "p2", "max": 20}],
            "breakdown": {
                "format": {"earned": 10},
                "length": {"earned": 5},
                "deductions": [
                    {"kind": "relevance_content", "marks": 12},
                    {"kind": "keyword_stuffing", "marks": 7},
                    {"kind": "relevance", "marks": 4},
                    {"kind": "common_errors", "marks": 1},
                ],
            },
        }

    assert service.self_score(Marked()) == 30 + 10 + 10 + 5 - 4 - 1
