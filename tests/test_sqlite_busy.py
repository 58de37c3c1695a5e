"""SQLite under contention: a write that cannot get the lock in time is a retryable 503, never a 500.

Another connection holds the write lock (BEGIN IMMEDIATE) while the app
tries to save; the app's busy timeout is cut to 0.2 s so the test is quick.
"""

from __future__ import annotations

import contextlib
import sqlite3

import pytest

from fazhi_prep import create_app
from fazhi_prep.busy import BUSY_MESSAGE
from fazhi_prep.extensions import db
from tests.conftest import FreshContextClient, login, make_user
from tests.practice_support import NOTICE, attempts_of, draft_of, save_json, start, submit, token
from tests.test_bank_load import load


@pytest.fixture
def busy_app(database_url, mini_root):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite lock contention; PostgreSQL has row locks and no database-wide write lock")
    app = create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test",
        "SQLITE_BUSY_TIMEOUT": 0.2,
    })
    app.test_client_class = FreshContextClient
    with app.app_context():
        load(app, mini_root)
        yield app
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.engine.dispose()


@pytest.fixture
def writer(busy_app):
    client = busy_app.test_client()
    make_user("kaosheng1")
    login(client, "kaosheng1")
    start(client)
    return client


@contextlib.contextmanager
def write_lock(database_url: str):
    """Another process's open write transaction on the same file."""
    conn = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_autosave_under_a_held_lock_is_503_with_retry_after(writer, database_url):
    csrf = token(writer)
    with write_lock(database_url):
        response = save_json(writer, "锁住时写的内容", csrf=csrf)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert response.get_json() == {"error": "busy", "message": BUSY_MESSAGE}
    assert draft_of("kaosheng1").text == ""
    # The script's retry, once the lock is gone, lands.
    retry = save_json(writer, "锁住时写的内容", csrf=csrf)
    assert retry.status_code == 200 and retry.get_json()["ok"] is True
    assert draft_of("kaosheng1").text == "锁住时写的内容"


def test_form_submit_under_a_held_lock_hands_the_text_back(writer, database_url):
    csrf = token(writer, "/questions/t-01")
    with write_lock(database_url):
        response = writer.post("/questions/t-01/submit", data={"csrf_token": csrf, "text": NOTICE})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    page = response.get_data(as_text=True)
    assert BUSY_MESSAGE in page
    assert "经研究，定于2021年8月20日召开市政府常务会议" in page  # the posted text, in the editor
    assert attempts_of("kaosheng1") == []
    assert submit(writer, NOTICE).status_code == 302
    assert [a.answer for a in attempts_of("kaosheng1")] == [NOTICE]


def test_form_save_under_a_held_lock_hands_the_text_back(writer, database_url):
    csrf = token(writer, "/questions/t-01")
    with write_lock(database_url):
        response = writer.post("/questions/t-01/draft", data={"csrf_token": csrf, "text": "表单保存的草稿"})
    assert response.status_code == 503
    assert "表单保存的草稿" in response.get_data(as_text=True)
    assert draft_of("kaosheng1").text == ""


def test_other_writes_under_a_held_lock_get_a_503_page(busy_app, database_url):
    client = busy_app.test_client()
    make_user("kaosheng1")
    login(client, "kaosheng1")
    csrf = token(client, "/questions/t-01")
    with write_lock(database_url):
        response = client.post("/questions/t-01/start", data={"csrf_token": csrf, "mode": "practice"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert BUSY_MESSAGE in response.get_data(as_text=True)


def test_reads_go_on_while_a_writer_holds_the_lock(writer, database_url):
    save_json(writer, "已保存的内容")
    with write_lock(database_url):
        response = writer.get("/questions/t-01/draft", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.get_json()["text"] == "已保存的内容"


def test_writes_outside_practice_get_the_same_503(busy_app, database_url):
    client = busy_app.test_client()
    csrf = token(client, "/register")
    with write_lock(database_url):
        response = client.post("/register", data={
            "csrf_token": csrf, "username": "xinren", "password": "fazhi-xinren-2026", "password2": "fazhi-xinren-2026",
        })
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert BUSY_MESSAGE in response.get_data(as_text=True)
