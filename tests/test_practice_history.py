"""History, progress charts, CSV export, and the question list's filters and progress."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from fazhi_prep.extensions import db
from fazhi_prep.models import Attempt, Question
from fazhi_prep.practice.progress import area_stats
from tests.conftest import login, make_user
from tests.practice_support import NOTICE, attempts_of, question, start, submit
from tests.test_bank_load import load


@pytest.fixture
def bank(app, mini_root):
    load(app, mini_root)


def _attempt(user_id: int, q: Question, *, score: float, points: list[dict], minutes_ago: int) -> Attempt:
    now = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    attempt = Attempt(
        user_id=user_id,
        question_id=q.id,
        rubric_id=q.rubric.id,
        answer="答案",
        started_at=now - timedelta(minutes=12),
        submitted_at=now,
        char_count=2,
        score=score,
        result={"points": points, "coverage": 0.5, "counted_coverage": 0.5},
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt


def _point(key: str, area: str | None, coverage: float, weight: float = 1.0) -> dict:
    return {"key": key, "label": key, "area": area, "weight": weight, "coverage": coverage, "counted_coverage": coverage}


def test_history_lists_attempts_and_draws_both_charts(logged_in, bank):
    start(logged_in)
    submit(logged_in, NOTICE)
    attempt = attempts_of("kaosheng1")[0]
    page = logged_in.get("/me/history").get_data(as_text=True)
    assert "共作答 1 次。" in page
    assert f'href="/attempts/{attempt.id}"' in page
    assert f"{attempt.score:g}" in page and f"{attempt.char_count} / 300字" in page
    assert '<svg class="chart score-chart"' in page and '<svg class="chart area-chart"' in page
    assert "<circle class=\"score-dot\"" in page
    assert " style=" not in page  # CSP: presentation by class and SVG attributes only
    assert 'href="/me/history.csv"' in page


def test_area_coverage_is_weakest_first_and_suggests_a_question(logged_in, candidate, bank):
    q = question()
    _attempt(candidate.id, q, score=40, minutes_ago=30, points=[
        _point("zhifa.sanxiang", "zhifa", 1.0, 2), _point("baozhang.lingdao", "baozhang", 0.0), _point("t-01.yiti", None, 0.0),
    ])
    _attempt(candidate.id, q, score=70, minutes_ago=10, points=[
        _point("zhifa.sanxiang", "zhifa", 0.5, 2), _point("baozhang.lingdao", "baozhang", 1.0), _point("t-01.yiti", None, 1.0),
    ])
    page = logged_in.get("/me/history").get_data(as_text=True)
    zhifa, baozhang = page.index(">健全行政执法工作体系</text>"), page.index(">加强党的领导")
    assert baozhang < zhifa  # 50% before 75%
    assert "覆盖率最低：<strong>加强党的领导" in page
    assert 'href="/questions/t-01">练习薄弱领域：测试会议通知</a>' in page
    # the older attempt is drawn first (left), the newer one higher
    circles = [line for line in page.splitlines() if 'class="score-dot"' in line]
    assert len(circles) == 2 and "40分" in circles[0] and "70分" in circles[1]


def test_area_stats_weights_points_and_skips_question_points():
    class A:
        def __init__(self, i, points):
            self.id, self.result = i, {"points": points}

    stats = area_stats(
        [A(1, [_point("a", "zhifa", 1.0, 3), _point("b", "zhifa", 0.0, 1), _point("c", None, 0.0)]),
         A(2, [_point("d", "keji", 0.5)])],
        {"zhifa": "执法", "keji": "科技"},
    )
    assert [(s.key, round(s.coverage, 2), s.points, s.attempts) for s in stats] == [
        ("keji", 0.5, 1, 1),
        ("zhifa", 0.75, 2, 1),
    ]


def test_area_figures_follow_a_tutors_override(logged_in, candidate, bank):
    """The tutor's 78 stands for the areas too: not the engine's 0 % the score replaced."""
    q = question()
    nothing = _attempt(candidate.id, q, score=0, minutes_ago=20, points=[
        _point("zhifa.sanxiang", "zhifa", 0.0, 2), _point("baozhang.lingdao", "baozhang", 0.0),
    ])
    nothing.override_score, nothing.override_comment = 78.0, "内容切题，系统误判跑题"
    db.session.commit()
    page = logged_in.get("/me/history").get_data(as_text=True)
    assert "健全行政执法工作体系 78%；加强党的领导，完善法治政府建设推进机制 78%" in page
    assert "教师改过分的作答，按改分折算各要点的覆盖率。" in page
    # with something found, the override scales it and keeps which point was stronger
    stats = area_stats([nothing], {"zhifa": "执法", "baozhang": "保障"})
    assert [(s.key, round(s.coverage, 2)) for s in stats] == [("zhifa", 0.78), ("baozhang", 0.78)]
    nothing.result = {"points": [_point("zhifa.sanxiang", "zhifa", 0.5, 1), _point("baozhang.lingdao", "baozhang", 0.25)]}
    nothing.override_score = 75.0
    stats = {s.key: round(s.coverage, 2) for s in area_stats([nothing], {"zhifa": "执法", "baozhang": "保障"})}
    assert stats == {"zhifa": 1.0, "baozhang": 0.5}  # mean 0.375 scaled to 0.75, capped at 100 %
    nothing.override_score = None
    stats = {s.key: round(s.coverage, 2) for s in area_stats([nothing], {"zhifa": "执法", "baozhang": "保障"})}
    assert stats == {"zhifa": 0.5, "baozhang": 0.25}


def test_csv_export_has_my_attempts_and_neutralises_formulas(logged_in, candidate, bank):
    q = question()
    q.title = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    attempt = _attempt(candidate.id, q, score=55.5, minutes_ago=5, points=[])
    attempt.override_score, attempt.override_comment = 60.0, "-结构清楚"
    db.session.commit()
    response = logged_in.get("/me/history.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:4] == ["提交时间", "题号", "题目", "得分"]
    assert rows[1][1:5] == ["t-01", "'=HYPERLINK(\"http://x\")", "60", "55.5"]
    assert rows[1][7] == "720"  # seconds used: 12 minutes by the server's times
    assert rows[1][-1] == "'-结构清楚"
    page = logged_in.get("/me/history").get_data(as_text=True)
    assert "教师评语：-结构清楚" in page and "教师改分（系统 55.5）" in page


def test_history_empty_state(logged_in, bank):
    page = logged_in.get("/me/history").get_data(as_text=True)
    assert "还没有作答记录。" in page and "<svg" not in page


OWN_NOTICE = (
    "关于召开市政府常务会议的通知\n各区人民政府，市政府各部门：\n"
    "市政府定于2021年8月20日上午召开常务会议，专题传达学习《法治政府建设实施纲要》，"
    "研究我市深化行政执法体制改革、落实行政执法公示和全过程记录制度的举措，坚持党的领导。\n"
    "请各单位主要负责同志准时参加。\n某市人民政府办公室\n2021年8月16日"
)


def test_question_list_filters_and_shows_my_progress(client, app, mini_root):
    load(app, mini_root)
    make_user("kaosheng1")
    make_user("kaosheng2")
    login(client, "kaosheng1")
    start(client)
    submit(client, NOTICE)
    attempt = attempts_of("kaosheng1")[0]
    page = client.get("/questions").get_data(as_text=True)
    assert "已练 1 次" in page and f"最高 <strong>{attempt.score:g}</strong> 分" in page
    assert f'href="/attempts/{attempt.id}"' in page
    # a better attempt, then a weaker one: best stays, last moves to the weaker
    for text in (OWN_NOTICE, "关于开会的通知\n各单位：\n请参加会议。"):
        start(client)
        submit(client, text)
    _, better, second = sorted(attempts_of("kaosheng1"), key=lambda a: a.id)
    assert second.score < better.score
    first = max((attempt, better), key=lambda a: a.score)
    page = client.get("/questions").get_data(as_text=True)
    assert "已练 3 次" in page and f"最高 <strong>{first.score:g}</strong> 分" in page
    assert f'href="/attempts/{second.id}">最近 {second.score:g} 分' in page
    for query, shown in [
        ("genre=notice", True), ("genre=report", False),
        ("area=zhifa", True), ("area=keji", False),
        ("limit=short", True), ("limit=long", False),
        ("genre=notice&area=baozhang&limit=short", True),
    ]:
        listed = client.get(f"/questions?{query}").get_data(as_text=True)
        assert ('href="/questions/t-01"' in listed) is shown, query
        if not shown:
            assert "没有符合条件的题目。" in listed
    # another candidate sees no progress of the first
    other = app.test_client()
    login(other, "kaosheng2")
    assert "未练习" in other.get("/questions").get_data(as_text=True)


def test_question_list_marks_a_draft_in_progress(logged_in, bank):
    start(logged_in)
    page = logged_in.get("/questions").get_data(as_text=True)
    assert 'href="/questions/t-01/practice">草稿进行中</a>' in page
    detail = logged_in.get("/questions/t-01").get_data(as_text=True)
    assert "继续作答" in detail


def test_question_list_without_published_questions(logged_in, bank):
    """No filters and the empty-bank note when nothing is published; the filters again once one is."""
    from sqlalchemy import update

    db.session.execute(update(Question).values(published=False))
    db.session.commit()
    page = logged_in.get("/questions").get_data(as_text=True)
    assert "题库还是空的" in page and 'id="f-genre"' not in page and 'class="questions"' not in page
    q = question()
    q.published = True
    db.session.commit()
    page = logged_in.get("/questions").get_data(as_text=True)
    assert 'id="f-genre"' in page and f'<option value="{q.genre_key}">' in page and 'href="/questions/t-01"' in page
    assert "没有符合条件的题目" in logged_in.get("/questions?area=nowhere").get_data(as_text=True)
