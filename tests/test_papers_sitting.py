"""模拟考试 on the server: the one clock, saves and switches, per-question time, hand-in, time-out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fazhi_prep.extensions import db
from fazhi_prep.models import Attempt, Draft
from fazhi_prep.papers import sitting as service
from tests.conftest import login, make_user
from tests.paper_support import (
    SECOND,
    SPEECH,
    add_paper_bank,
    focus,
    hand_in,
    move_back,
    paper,
    save,
    sittings,
    start,
)
from tests.practice_support import NOTICE
from tests.test_bank_load import load


@pytest.fixture
def bank(app, mini_root):
    load(app, add_paper_bank(mini_root))


def test_start_opens_one_clock_and_a_second_start_keeps_it(logged_in, bank):
    before = datetime.now(UTC)
    response = start(logged_in)
    assert response.status_code == 302
    [s] = sittings()
    assert response.location == f"/papers/sittings/{s.id}"
    assert before - timedelta(seconds=1) <= s.started_at <= datetime.now(UTC)
    assert s.minutes == 40 and s.is_open and s.active_position == 1
    assert [(a.question.slug, a.minutes, a.points, a.text) for a in s.answers] == [
        ("t-01", 15, 40.0, ""), ("t-02", 20, 60.0, "")
    ]
    move_back(s, 7)
    again = start(logged_in)
    assert again.location == f"/papers/sittings/{s.id}"
    [s2] = sittings()
    assert abs((datetime.now(UTC) - s2.started_at).total_seconds() - 420) < 5
    page = logged_in.get(again.location).get_data(as_text=True)
    assert "这份试卷有一场未交卷的考试" in page


def test_exam_page_has_one_clock_and_a_tab_with_count_and_status_per_question(logged_in, bank):
    start(logged_in)
    [s] = sittings()
    save(logged_in, s.id, 2, "已写<b>的</b>内容")
    page = logged_in.get(f"/papers/sittings/{s.id}?q=2").get_data(as_text=True)
    assert page.count('role="timer"') == 1
    assert 'data-minutes="40"' in page
    assert "第1题 · " in page and "第2题 · " in page
    assert "建议 15 分钟" in page and "建议 20 分钟" in page
    assert "已写&lt;b&gt;的&lt;/b&gt;内容" in page and "<b>的</b>" not in page
    assert 'id="q-1" class="q-panel practice"' in page
    # question 2 is shown, question 1 is hidden but its editor still posts with the form
    q1 = page[page.index('id="q-1"'):page.index('id="q-2"')]
    assert "hidden>" in q1.split(">")[0] + ">"
    assert 'name="text_1"' in page and 'name="text_2"' in page


def test_autosave_stores_each_question_and_refuses_after_the_time(logged_in, bank):
    start(logged_in)
    [s] = sittings()
    first = save(logged_in, s.id, 1, "第一题草稿")
    assert first.status_code == 200 and first.get_json()["ok"] is True
    assert first.get_json()["char_count"] == 5
    assert save(logged_in, s.id, 2, "第二题").status_code == 200
    assert save(logged_in, s.id, 3, "没有这题").status_code == 404
    [s] = sittings()
    assert [a.text for a in s.answers] == ["第一题草稿", "第二题"]
    move_back(s, 40 + 2)  # past the time and the grace
    late = save(logged_in, s.id, 1, "超时后写的")
    assert late.status_code == 409 and late.get_json()["error"] == "exam_over"
    assert sittings()[0].answers[0].text == "第一题草稿"


def test_time_is_credited_to_the_question_worked_on_between_saves_and_switches(app, bank):
    user = make_user("kaosheng2")
    p = paper()
    t0 = datetime.now(UTC) - timedelta(minutes=30)
    s, _ = service.start_sitting(user.id, p, now=t0)
    db.session.commit()
    service.save_answer(s, 1, "开头", max_answer=20000, now=t0 + timedelta(minutes=5))
    service.focus(s, 2, now=t0 + timedelta(minutes=12))  # 12 minutes on question 1
    service.save_answer(s, 2, "第二题", max_answer=20000, now=t0 + timedelta(minutes=20))
    service.save_answer(s, 1, "开头接着写", max_answer=20000, now=t0 + timedelta(minutes=26))  # 14 on q2
    service.hand_in(s, now=t0 + timedelta(minutes=29))  # 3 more on q1
    assert [a.seconds_spent for a in s.answers] == [15 * 60, 14 * 60]
    assert s.submitted_at == t0 + timedelta(minutes=29) and s.timed_out is False


def test_time_stops_at_the_deadline(app, bank):
    user = make_user("kaosheng3")
    t0 = datetime.now(UTC) - timedelta(hours=3)
    s, _ = service.start_sitting(user.id, paper(), now=t0)
    service.save_answer(s, 2, "写了一点", max_answer=20000, now=t0 + timedelta(minutes=10))
    service.hand_in(s, now=t0 + timedelta(hours=2))
    assert [a.seconds_spent for a in s.answers] == [10 * 60, 30 * 60]
    assert s.submitted_at == t0 + timedelta(minutes=40) and s.timed_out is True


def test_focus_route_moves_the_clock_to_the_other_question(logged_in, bank):
    start(logged_in)
    [s] = sittings()
    move_back(s, 4)
    response = focus(logged_in, s.id, 2)
    assert response.status_code == 200 and response.get_json()["active"] == 2
    [s] = sittings()
    assert 235 <= s.answers[0].seconds_spent <= 245 and s.answers[1].seconds_spent == 0
    assert focus(logged_in, s.id, 9).status_code == 404


def test_hand_in_without_confirmation_lists_unanswered_questions(logged_in, bank):
    start(logged_in)
    [s] = sittings()
    response = hand_in(logged_in, s.id, confirm=False, text_1=NOTICE, text_2="")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "确认交卷" in page and "还有 1 道题没有作答：第2题（测试推进会通知）" in page
    [s] = sittings()
    assert s.is_open and s.answers[0].text == NOTICE.replace("\r\n", "\n")
    assert db.session.query(Attempt).count() == 0


def test_hand_in_scores_every_answered_question_as_an_attempt(logged_in, bank):
    start(logged_in)
    [s] = sittings()
    save(logged_in, s.id, 1, SPEECH)
    save(logged_in, s.id, 2, SECOND)
    response = hand_in(logged_in, s.id)
    assert response.status_code == 302 and response.location == f"/papers/sittings/{s.id}/report"
    [s] = sittings()
    assert not s.is_open and s.open_key is None
    attempts = [a.attempt for a in s.answers]
    assert all(isinstance(a, Attempt) for a in attempts)
    assert [a.question.slug for a in attempts] == ["t-01", "t-02"]
    assert [a.answer for a in attempts] == [SPEECH, SECOND]
    assert all(a.exam_mode and a.score > 0 for a in attempts)
    assert db.session.query(Draft).count() == 0
    # the paper total: each question's score scaled to its 分值
    from fazhi_prep.papers import report

    expected = round(40 * attempts[0].score / 100, 1) + round(60 * attempts[1].score / 100, 1)
    assert report.total(s) == round(expected, 1)
    # handing in twice changes nothing
    again = hand_in(logged_in, s.id)
    assert again.location == f"/papers/sittings/{s.id}/report"
    assert db.session.query(Attempt).count() == 2


def test_an_empty_question_earns_nothing_and_has_no_attempt(logged_in, bank):
    start(logged_in)
    [s] = sittings()
    hand_in(logged_in, s.id, text_1=NOTICE)
    [s] = sittings()
    assert s.answers[0].attempt is not None and s.answers[1].attempt is None
    assert s.answers[1].earned == 0


def test_an_empty_post_never_wipes_a_saved_answer(logged_in, bank):
    start(logged_in)
    [s] = sittings()
    save(logged_in, s.id, 2, SPEECH)
    hand_in(logged_in, s.id, text_1=NOTICE, text_2="")
    [s] = sittings()
    assert s.answers[1].attempt.answer == SPEECH


def test_reopening_after_the_time_hands_in_what_was_saved(logged_in, bank):
    start(logged_in)
    [s] = sittings()
    save(logged_in, s.id, 1, NOTICE)
    move_back(s, 41 + 1)
    response = logged_in.get(f"/papers/sittings/{s.id}")
    assert response.status_code == 302 and response.location == f"/papers/sittings/{s.id}/report"
    [s] = sittings()
    assert not s.is_open and s.timed_out
    assert s.answers[0].attempt.answer == NOTICE
    assert s.submitted_at == s.started_at + timedelta(minutes=40)
    page = logged_in.get(response.location).get_data(as_text=True)
    assert "考试时间已到，已按时间到时保存的内容自动交卷" in page and "（时间到自动交卷）" in page


def test_a_late_hand_in_after_the_grace_takes_the_saved_text_not_the_posted(logged_in, bank):
    start(logged_in)
    [s] = sittings()
    save(logged_in, s.id, 1, NOTICE)
    move_back(s, 42)
    response = hand_in(logged_in, s.id, text_1=NOTICE + "超时后补写的一段。")
    assert response.status_code == 302
    [s] = sittings()
    assert s.answers[0].attempt.answer == NOTICE


def test_a_post_at_time_out_within_the_grace_is_kept(logged_in, bank):
    """The page hands in at zero; the post arrives a few seconds later and still counts."""
    start(logged_in)
    [s] = sittings()
    move_back(s, 40 + 0.2)
    hand_in(logged_in, s.id, text_1=NOTICE)
    [s] = sittings()
    assert s.timed_out and s.answers[0].attempt.answer == NOTICE


def test_no_script_save_posts_every_answer_and_switches(logged_in, bank):
    start(logged_in)
    [s] = sittings()
    move_back(s, 3)
    from tests.paper_support import token

    response = logged_in.post(
        f"/papers/sittings/{s.id}/save",
        data={"csrf_token": token(logged_in), "current": "1", "goto": "2", "text_1": "一题\r\n二段", "text_2": "二题"},
    )
    assert response.status_code == 302 and response.location == f"/papers/sittings/{s.id}?q=2"
    [s] = sittings()
    assert [a.text for a in s.answers] == ["一题\n二段", "二题"]
    assert s.active_position == 2 and s.answers[0].seconds_spent >= 175


def test_another_candidate_cannot_reach_a_sitting(client, bank):
    make_user("kaosheng1")
    make_user("other")
    login(client, "kaosheng1")
    start(client)
    [s] = sittings()
    from tests.conftest import csrf_from

    client.post("/logout", data={"csrf_token": csrf_from(client.get("/papers").get_data(as_text=True))})
    login(client, "other")
    assert client.get(f"/papers/sittings/{s.id}").status_code == 404
    assert save(client, s.id, 1, "偷写").status_code == 404
    assert client.get(f"/papers/sittings/{s.id}/report").status_code == 404
    assert sittings()[0].answers[0].text == ""


def test_lapsed_login_answers_autosave_with_401_and_keeps_no_script_text(client, bank):
    make_user("kaosheng1")
    login(client, "kaosheng1")
    start(client)
    [s] = sittings()
    with client.session_transaction() as sess:
        sess.clear()
    response = client.post(f"/papers/sittings/{s.id}/answers/1", json={"text": "x"}, headers={"Accept": "application/json"})
    assert response.status_code == 401 and response.get_json()["error"] == "login"
    posted = client.post(f"/papers/sittings/{s.id}/hand-in", data={"text_1": "离线写的答案", "csrf_token": "stale"})
    assert posted.status_code == 401
    assert "离线写的答案" in posted.get_data(as_text=True)


def test_saves_are_kept_across_devices(client, app, bank):
    make_user("kaosheng1")
    login(client, "kaosheng1")
    start(client)
    [s] = sittings()
    save(client, s.id, 2, "在电脑上写的")
    other = app.test_client()
    login(other, "kaosheng1")
    state = other.get(f"/papers/sittings/{s.id}/state").get_json()
    assert state["open"] is True and state["answers"][1]["text"] == "在电脑上写的"
    assert other.get(f"/papers/sittings/{s.id}/answers/2").get_json()["text"] == "在电脑上写的"


def test_a_paper_with_an_unpublished_question_cannot_be_started(logged_in, bank):
    from tests.practice_support import question

    q = question("t-02")
    q.published = False
    db.session.commit()
    response = start(logged_in)
    assert response.status_code == 302 and response.location == "/papers/tp-01"
    assert sittings() == []
    page = logged_in.get("/papers/tp-01").get_data(as_text=True)
    assert page.count("试卷中的题目暂不可用（测试推进会通知），暂时不能开始考试。") == 1
    assert 'id="start-paper"' not in page
