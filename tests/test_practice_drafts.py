"""Starting, restoring and autosaving drafts; the server's clock; ownership."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest

from fazhi_prep.extensions import db
from fazhi_prep.scoring import char_count
from fazhi_prep.scoring.counting import WHITESPACE
from tests.conftest import csrf_from, login, make_user
from tests.practice_support import NOTICE, draft_of, save_json, start, token
from tests.test_bank_load import load

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def bank(app, mini_root):
    load(app, mini_root)


def test_start_records_server_time_and_a_second_start_keeps_the_clock(logged_in, bank):
    before = datetime.now(UTC)
    response = start(logged_in, mode="exam")
    assert response.status_code == 302
    assert response.location == "/questions/t-01/practice"
    draft = draft_of("kaosheng1")
    assert before - timedelta(seconds=1) <= draft.started_at <= datetime.now(UTC)
    assert draft.exam_mode is True and draft.text == ""

    earlier = datetime.now(UTC) - timedelta(minutes=7)
    draft.started_at = earlier
    db.session.commit()
    again = start(logged_in, mode="practice")
    assert again.location == "/questions/t-01/practice"
    draft = draft_of("kaosheng1")
    assert abs((draft.started_at - earlier).total_seconds()) < 0.01
    assert draft.exam_mode is True
    page = logged_in.get("/questions/t-01/practice").get_data(as_text=True)
    assert "这道题有一份未提交的草稿" in page


def test_practice_page_without_a_draft_goes_to_the_question(logged_in, bank):
    response = logged_in.get("/questions/t-01/practice")
    assert response.status_code == 302 and response.location == "/questions/t-01"
    page = logged_in.get("/questions/t-01").get_data(as_text=True)
    assert "开始作答" in page and "考试模式（到时自动交卷）" in page


def test_practice_page_carries_the_server_clock_and_the_draft(logged_in, bank):
    start(logged_in)
    draft = draft_of("kaosheng1")
    draft.text = "已写的<b>内容</b>"
    draft.started_at = datetime.now(UTC) - timedelta(minutes=3)
    db.session.commit()
    page = logged_in.get("/questions/t-01/practice").get_data(as_text=True)
    started = int(re.search(r'data-started-at="(\d+)"', page).group(1))
    now = int(re.search(r'data-server-now="(\d+)"', page).group(1))
    assert started == int(draft.started_at.timestamp() * 1000)
    assert 180_000 <= now - started < 190_000
    assert 'data-minutes="15"' in page and 'data-limit-max="300"' in page and 'data-limit-floor="240"' in page
    assert "已写的&lt;b&gt;内容&lt;/b&gt;" in page  # restored into the editor, escaped
    assert "已用时" in page and "3分0" in page  # elapsed time works without JavaScript


def test_autosave_stores_text_and_reports_the_server_count(logged_in, bank):
    start(logged_in)
    response = save_json(logged_in, NOTICE)
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] is True and body["char_count"] == char_count(NOTICE)
    draft = draft_of("kaosheng1")
    assert draft.text == NOTICE
    assert body["saved_at"] == int(draft.saved_at.timestamp() * 1000)
    state = logged_in.get("/questions/t-01/draft").get_json()
    assert state["text"] == NOTICE and state["char_count"] == char_count(NOTICE)
    assert state["started_at"] == int(draft.started_at.timestamp() * 1000)


def test_autosave_without_csrf_header_is_refused_as_json(logged_in, bank):
    start(logged_in)
    response = logged_in.post("/questions/t-01/draft", json={"text": "不带令牌"})
    assert response.status_code == 400
    assert response.get_json()["error"] == "csrf"
    assert draft_of("kaosheng1").text == ""


def test_autosave_after_the_login_lapsed_is_401_json(client, candidate, bank):
    login(client, candidate.username)
    start(client)
    csrf = token(client)
    client.delete_cookie("session")
    response = save_json(client, "登录过期后写的", csrf=csrf)
    assert response.status_code == 401
    body = response.get_json()
    assert body["error"] == "login"
    assert body["login_url"] == "/login?next=/questions/t-01/practice"
    assert draft_of(candidate.username).text == ""
    # a lapsed session on the page itself goes to login and back to the question
    response = client.get("/questions/t-01/practice")
    assert response.status_code == 302
    assert unquote(response.location) == "/login?next=/questions/t-01/practice"
    login_page = client.get(response.location).get_data(as_text=True)
    back = client.post(
        response.location,
        data={"username": candidate.username, "password": "password123", "csrf_token": csrf_from(login_page)},
    )
    assert back.location == "/questions/t-01/practice"


def test_stale_token_can_be_refreshed(logged_in, bank):
    start(logged_in)
    fresh = logged_in.get("/practice/csrf-token").get_json()["token"]
    assert save_json(logged_in, "新令牌", csrf=fresh).status_code == 200


@pytest.mark.parametrize(
    ("payload", "status", "error"),
    [({"text": 5}, 400, "invalid"), ({}, 400, "invalid"), ({"text": "字" * 40_001}, 413, "too_long")],
)
def test_bad_autosaves_change_nothing(logged_in, bank, payload, status, error):
    start(logged_in)
    save_json(logged_in, "原来的内容")
    response = logged_in.post("/questions/t-01/draft", json=payload, headers={"X-CSRFToken": token(logged_in)})
    assert response.status_code == status
    assert response.get_json()["error"] == error
    assert draft_of("kaosheng1").text == "原来的内容"


def test_autosave_after_submit_does_not_resurrect_the_draft(logged_in, bank):
    response = save_json(logged_in, "没有开始作答")
    assert response.status_code == 409
    assert response.get_json()["error"] == "no_draft"
    assert draft_of("kaosheng1") is None


def test_save_button_without_javascript(logged_in, bank):
    start(logged_in)
    csrf = token(logged_in, "/questions/t-01/practice")
    response = logged_in.post("/questions/t-01/draft", data={"csrf_token": csrf, "text": "第一段\r\n第二段"})
    assert response.status_code == 302 and response.location == "/questions/t-01/practice"
    assert draft_of("kaosheng1").text == "第一段\n第二段"  # one newline convention
    page = logged_in.get(response.location).get_data(as_text=True)
    assert "草稿已保存" in page


def test_candidates_cannot_reach_each_others_drafts(client, app, bank):
    make_user("kaosheng1")
    make_user("kaosheng2")
    login(client, "kaosheng1")
    start(client)
    save_json(client, "甲的草稿")
    other = app.test_client()
    login(other, "kaosheng2")
    # B has no draft of t-01: the practice page sends B to the question, never shows A's text
    response = other.get("/questions/t-01/practice")
    assert response.status_code == 302
    assert "甲的草稿" not in other.get("/questions/t-01").get_data(as_text=True)
    assert other.get("/questions/t-01/draft").status_code == 404
    assert save_json(other, "乙想覆盖").status_code == 409
    # B's own draft is separate
    start(other)
    assert save_json(other, "乙的草稿").status_code == 200
    assert draft_of("kaosheng1").text == "甲的草稿"
    assert draft_of("kaosheng2").text == "乙的草稿"
    assert "甲的草稿" not in other.get("/questions/t-01/practice").get_data(as_text=True)


def test_practice_pages_need_login(client, bank):
    for path in ("/questions/t-01/practice", "/me/history", "/me/history.csv", "/attempts/1"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.startswith("/login?next="), path
    assert client.get("/questions/t-01/draft", headers={"Accept": "application/json"}).status_code == 401


def test_practice_page_has_no_inline_script_or_style(logged_in, bank):
    start(logged_in)
    response = logged_in.get("/questions/t-01/practice")
    page = response.get_data(as_text=True)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts and all("src=" in s for s in scripts)
    assert " style=" not in page and "<style" not in page
    assert 'name="csrf_token"' in page


def test_browser_counter_uses_the_engines_whitespace_set():
    source = (ROOT / "static/js/counter.js").read_text(encoding="utf-8")
    block = source.split("export const WHITESPACE =", 1)[1].split(";", 1)[0]
    literal = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))
    decoded = literal.encode("ascii").decode("unicode_escape")
    assert decoded == WHITESPACE
