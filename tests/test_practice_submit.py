"""Submitting: an Attempt with the rubric version, the result and server-measured time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from fazhi_prep import catalog
from fazhi_prep.extensions import db
from fazhi_prep.scoring import char_count, score
from tests.conftest import login, make_user
from tests.practice_support import NOTICE, attempts_of, draft_of, question, save_json, start, submit
from tests.test_bank_load import load


@pytest.fixture
def bank(app, mini_root):
    load(app, mini_root)


def test_submit_stores_a_scored_attempt_and_ends_the_draft(logged_in, bank):
    start(logged_in)
    response = submit(logged_in, NOTICE)
    assert response.status_code == 302
    [attempt] = attempts_of("kaosheng1")
    assert response.location == f"/attempts/{attempt.id}"
    q = question()
    expected = score(catalog.question_spec(q), NOTICE)
    assert attempt.rubric_id == q.rubric.id and attempt.rubric.version == 1
    assert attempt.answer == NOTICE
    assert attempt.char_count == char_count(NOTICE) == expected.char_count
    assert attempt.score == expected.score
    assert attempt.result == expected.to_dict()
    assert attempt.exam_mode is False
    assert draft_of("kaosheng1") is None


def test_the_stored_result_is_compact_utf8_json(logged_in, bank):
    """Results are mostly Chinese: stored as UTF-8 without padding, not as \\uXXXX escapes."""
    start(logged_in)
    submit(logged_in, NOTICE)
    [attempt] = attempts_of("kaosheng1")
    raw = db.session.execute(
        text("SELECT CAST(result AS TEXT) FROM attempts WHERE id = :id"), {"id": attempt.id}
    ).scalar_one()
    assert "\\u" not in raw and "法治" in raw
    assert raw == json.dumps(attempt.result, ensure_ascii=False, separators=(",", ":"))


def test_time_used_comes_from_the_servers_clock(logged_in, bank):
    start(logged_in, mode="exam")
    draft = draft_of("kaosheng1")
    started = datetime.now(UTC) - timedelta(minutes=10)
    draft.started_at = started
    db.session.commit()
    # whatever a client might claim about time is ignored
    submit(logged_in, NOTICE, seconds_used="5", started_at="2000-01-01T00:00:00Z")
    [attempt] = attempts_of("kaosheng1")
    assert abs((attempt.started_at - started).total_seconds()) < 0.01
    assert 600 <= attempt.seconds_used <= 610
    assert attempt.exam_mode is True
    page = logged_in.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "10分0" in page and "建议 15 分钟" in page


@pytest.mark.parametrize("text", ["", "   \n\u3000 "])
def test_empty_submit_is_refused_and_keeps_the_draft(logged_in, bank, text):
    start(logged_in)
    save_json(logged_in, "已经写了一半")
    response = submit(logged_in, text)
    assert response.status_code == 422
    assert "答案是空的：请先作答再提交。" in response.get_data(as_text=True)
    assert attempts_of("kaosheng1") == []
    assert draft_of("kaosheng1").text == "已经写了一半"


def test_oversize_submit_is_refused_and_keeps_the_text(logged_in, bank):
    start(logged_in)
    text = "法治政府建设。" * 3000  # 21,000 字
    response = submit(logged_in, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "答案有 21000 字，超过了可提交的上限 20000 字。内容已保留，请删减后再提交。" in page
    assert page.count("法治政府建设。") >= 3000  # still in the editor
    assert attempts_of("kaosheng1") == []
    assert draft_of("kaosheng1").text == text


def test_submit_with_a_stale_token_keeps_the_text_on_the_page(logged_in, bank):
    start(logged_in)
    save_json(logged_in, "旧稿")
    response = logged_in.post("/questions/t-01/submit", data={"csrf_token": "stale", "text": "新写的<i>稿</i>"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "页面已过期（安全校验失败）。你的内容没有丢失，请再提交一次。" in page
    assert "新写的&lt;i&gt;稿&lt;/i&gt;" in page
    assert 'data-unsaved="1"' in page  # the script sends it to the server straight away
    assert attempts_of("kaosheng1") == []
    assert draft_of("kaosheng1").text == "旧稿"


def test_submit_after_the_login_lapsed_goes_to_login_and_back(client, candidate, bank):
    login(client, candidate.username)
    start(client)
    save_json(client, "自动保存过的内容")
    client.delete_cookie("session")
    response = client.post("/questions/t-01/submit", data={"csrf_token": "x", "text": ""})
    assert response.status_code == 302
    assert response.location == "/login?next=/questions/t-01/practice"
    assert draft_of(candidate.username).text == "自动保存过的内容"


def test_submit_after_the_login_lapsed_hands_back_the_unsaved_text(client, candidate, bank):
    # without JavaScript the form post is the only copy of what was typed since the last save
    login(client, candidate.username)
    start(client)
    save_json(client, "自动保存过的内容")
    client.delete_cookie("session")
    typed = "自动保存过的内容\n之后写的一段<b>不能丢</b>。"
    response = client.post("/questions/t-01/submit", data={"csrf_token": "x", "text": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "登录已过期，答案尚未提交" in page
    assert "之后写的一段&lt;b&gt;不能丢&lt;/b&gt;。" in page  # all of it, as text
    assert 'href="/login?next=/questions/t-01/practice"' in page
    assert draft_of(candidate.username).text == "自动保存过的内容"


def test_submit_without_a_draft_keeps_the_text_as_a_new_draft(logged_in, bank):
    response = submit(logged_in, NOTICE)
    assert response.status_code == 422
    assert "本题已经提交过（或草稿已结束）" in response.get_data(as_text=True)
    assert attempts_of("kaosheng1") == []
    assert draft_of("kaosheng1").text == NOTICE


def test_practise_again_starts_a_new_attempt(logged_in, bank):
    start(logged_in)
    submit(logged_in, NOTICE)
    start(logged_in)
    draft = draft_of("kaosheng1")
    assert draft is not None and draft.text == ""
    submit(logged_in, NOTICE + "\n补充一句。")
    assert len(attempts_of("kaosheng1")) == 2


def test_one_candidates_submit_never_touches_anothers_draft(client, app, bank):
    make_user("kaosheng1")
    make_user("kaosheng2")
    login(client, "kaosheng1")
    start(client)
    save_json(client, "甲的草稿")
    other = app.test_client()
    login(other, "kaosheng2")
    start(other)
    submit(other, NOTICE)
    assert draft_of("kaosheng1").text == "甲的草稿"
    assert attempts_of("kaosheng1") == [] and len(attempts_of("kaosheng2")) == 1


def _exam_started(client, minutes_ago: float, text: str = ""):
    start(client, mode="exam")
    if text:
        save_json(client, text)
    draft = draft_of("kaosheng1")
    draft.started_at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    db.session.commit()


def test_exam_time_used_stops_at_the_limit(logged_in, bank):
    _exam_started(logged_in, 15.5)  # past the 15 minutes, within the grace
    submit(logged_in, NOTICE)
    [attempt] = attempts_of("kaosheng1")
    assert attempt.answer == NOTICE and attempt.seconds_used == 15 * 60


def test_exam_closed_by_time_is_handed_in_as_last_saved(logged_in, bank):
    _exam_started(logged_in, 20, text=NOTICE)
    response = save_json(logged_in, NOTICE + "\n时间到了以后补写的一段。")
    assert response.status_code == 409 and response.get_json()["error"] == "exam_over"
    response = submit(logged_in, NOTICE + "\n时间到了以后补写的一段。")
    [attempt] = attempts_of("kaosheng1")
    assert response.location == f"/attempts/{attempt.id}"
    assert attempt.answer == NOTICE  # what was saved in time, not what came after
    assert attempt.seconds_used == 15 * 60
    page = logged_in.get(response.location).get_data(as_text=True)
    assert "考试时间已过，按时间到时保存的内容交卷" in page


def test_reopening_an_exam_after_the_time_hands_it_in(logged_in, bank):
    # a reload the next day, or a browser without JavaScript: the server closes the exam
    _exam_started(logged_in, 24 * 60, text=NOTICE)
    response = logged_in.get("/questions/t-01/practice")
    [attempt] = attempts_of("kaosheng1")
    assert response.status_code == 302 and response.location == f"/attempts/{attempt.id}"
    assert attempt.exam_mode is True and attempt.seconds_used == 15 * 60
    assert draft_of("kaosheng1") is None
    assert "已按时间到时保存的内容自动交卷" in logged_in.get(response.location).get_data(as_text=True)


def test_an_empty_exam_past_its_time_becomes_practice(logged_in, bank):
    _exam_started(logged_in, 30)
    response = logged_in.get("/questions/t-01/practice")
    assert response.status_code == 200
    assert "本题已转为练习模式" in response.get_data(as_text=True)
    assert attempts_of("kaosheng1") == [] and draft_of("kaosheng1").exam_mode is False
    assert save_json(logged_in, "现在开始写").status_code == 200
