"""Tutors and papers: create and edit in the browser, stale saves, time split, 作答复核 with papers."""

from __future__ import annotations

import pytest

from fazhi_prep.models import Role
from tests.conftest import csrf_from, login, make_user
from tests.paper_support import (
    SPEECH,
    add_paper_bank,
    hand_in,
    move_back,
    paper,
    save,
    sittings,
    start,
)
from tests.test_bank_load import load


@pytest.fixture
def bank(app, mini_root):
    load(app, add_paper_bank(mini_root))


@pytest.fixture
def tutor_client(app, bank):
    make_user("jiaoshi1", Role.TUTOR)
    client = app.test_client()
    login(client, "jiaoshi1")
    return client


def form(client, path, **fields):
    data = {"csrf_token": csrf_from(client.get(path).get_data(as_text=True)), "published": "y", **fields}
    return client.post(path, data=data)


ROWS = {"question_1": "t-02", "minutes_1": "25", "points_1": "70", "question_2": "t-01", "minutes_2": "10", "points_2": "30"}


def test_tutor_creates_a_paper_from_published_questions(tutor_client):
    response = form(tutor_client, "/tutor/papers/new", slug="tp-09", title="教师组的卷", minutes="60", **ROWS)
    assert response.status_code == 302 and response.location == "/tutor/papers/tp-09/edit"
    p = paper("tp-09")
    assert [(q.question.slug, q.minutes, q.points) for q in p.questions] == [("t-02", 25, 70.0), ("t-01", 10, 30.0)]
    listing = tutor_client.get("/tutor/papers").get_data(as_text=True)
    assert "教师组的卷" in listing and "新建（还没有文件）" in listing


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"points_2": "20"}, "各题分值合计应为 100，现为 90"),
        ({"minutes_1": "55"}, "各题建议用时合计 65 分钟，超过整场考试的 60 分钟"),
        ({"question_2": "t-02"}, "第2题：t-02 在试卷中重复"),
        ({"question_1": "", "question_2": ""}, "请至少选择一道题"),
        ({"slug": "tp-01"}, "编号 tp-01 已被使用"),
    ],
)
def test_paper_form_refuses_what_bank_check_would(tutor_client, change, message):
    fields = {"slug": "tp-09", "title": "教师组的卷", "minutes": "60", **ROWS, **change}
    response = form(tutor_client, "/tutor/papers/new", **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert paper("tp-09") is None


def test_a_stale_edit_is_refused_and_the_form_kept(app, tutor_client):
    path = "/tutor/papers/tp-01/edit"
    page = tutor_client.get(path).get_data(as_text=True)
    token = csrf_from(page)
    fields = {"csrf_token": token, "slug": "tp-01", "title": "我的改动", "minutes": "40", "published": "y",
              "revision": str(paper().revision), "question_1": "t-01", "minutes_1": "15", "points_1": "40",
              "question_2": "t-02", "minutes_2": "20", "points_2": "60"}
    other = dict(fields, title="别人先改了")
    assert tutor_client.post(path, data=other).status_code == 302
    response = tutor_client.post(path, data=fields)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "另一位教师刚保存过这份试卷" in page and 'value="我的改动"' in page
    assert paper().title == "别人先改了"


def test_time_split_view_shows_how_candidates_split_their_time(app, tutor_client):
    make_user("kaosheng1")
    candidate = app.test_client()
    login(candidate, "kaosheng1")
    start(candidate)
    [s] = sittings()
    move_back(s, 20)  # 20 minutes on question 1 (suggested 15)
    save(candidate, s.id, 1, SPEECH)
    hand_in(candidate, s.id)
    page = tutor_client.get("/tutor/papers/tp-01/time").get_data(as_text=True)
    assert "各题平均用时（1 场考试）" in page
    assert '<td class="num bad">20.0 分钟</td><td class="num">1 / 1</td>' in page
    assert "kaosheng1" in page and "20分00秒" in page
    review = tutor_client.get("/tutor/attempts").get_data(as_text=True)
    assert "模考：测试试卷" in review and f'href="/papers/sittings/{s.id}/report"' in review


def test_candidates_cannot_reach_the_tutor_paper_pages(logged_in, bank):
    for path in ("/tutor/papers", "/tutor/papers/new", "/tutor/papers/tp-01/edit", "/tutor/papers/tp-01/time"):
        assert logged_in.get(path).status_code == 403, path
