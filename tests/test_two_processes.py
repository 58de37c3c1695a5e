"""Two app servers on one database (and one Redis): a candidate and a tutor move between them.

Nothing one process needs may live only in another's memory: sessions are
signed cookies (the same SECRET_KEY on both), drafts, attempts and rubric
versions are in the database, login throttling uses Redis when REDIS_URL
is set. One candidate's requests alternate between the two servers — start,
autosave, reload, submit, result — and a rubric a tutor publishes on one is
what the other scores with at once.
"""

from __future__ import annotations

import json
import re
import secrets
import socket

import pytest
from sqlalchemy import create_engine, text

from fazhi_prep import create_app
from fazhi_prep.extensions import db
from fazhi_prep.models import Role, User
from tests.ops_support import Browser, form_fields, free_port, gunicorn, scratch_database
from tests.test_bank_load import load

PASSWORD = "password123"
REDIS_URL = "redis://127.0.0.1:6379/2"
FIRST = "关于召开市政府常务会议的通知\n各区人民政府，市政府各部门：\n"
SECOND = FIRST + "经研究，定于2021年8月20日召开市政府常务会议，传达学习《纲要》，坚持党的领导。\n"
FINAL = SECOND + "请准时参会。\n某市人民政府办公室\n2021年8月16日"


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def prepare(url: str, mini_root) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "setup", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        load(app, mini_root)
        for name, role in (("kaosheng1", Role.CANDIDATE), ("jiaoshi1", Role.TUTOR)):
            user = User(username=name, role=role.value)
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def two_servers(database_url, mini_root, tmp_path):
    with scratch_database(database_url, tmp_path, "twoproc") as url:
        prepare(url, mini_root)
        env = {"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32), "FAZHI_ENV": "production"}
        if redis_reachable():
            env["REDIS_URL"] = REDIS_URL
        port_a = free_port()
        with gunicorn(port_a, env, tmp_path / "a.log"):
            port_b = free_port()  # port_a is taken by now
            with gunicorn(port_b, env, tmp_path / "b.log"):
                yield url, port_a, port_b


def test_one_candidate_alternating_between_two_servers(two_servers):
    url, a, b = two_servers
    assert a != b
    kaosheng = Browser()
    kaosheng.login(a, "kaosheng1", PASSWORD)

    status, headers, _ = kaosheng.post_form(b, "/questions/t-01/start", {
        "csrf_token": kaosheng.csrf(b, "/questions/t-01"), "mode": "practice",
    })
    assert status == 302 and headers["location"].endswith("/questions/t-01/practice")

    csrf = kaosheng.csrf(a, "/questions/t-01/practice")
    status, _, body = kaosheng.post_json(b, "/questions/t-01/draft", {"text": FIRST}, csrf)
    assert status == 200 and json.loads(body)["ok"] is True

    # reload on the other server: the editor holds what was saved through the first
    status, _, page = kaosheng.get(a, "/questions/t-01/practice")
    assert status == 200
    assert dict(form_fields(page, "answer-form"))["text"] == FIRST

    status, _, _ = kaosheng.post_json(a, "/questions/t-01/draft", {"text": SECOND}, csrf)
    assert status == 200
    status, _, state = kaosheng.get(b, "/questions/t-01/draft", Accept="application/json")
    assert status == 200 and json.loads(state)["text"] == SECOND

    status, headers, _ = kaosheng.post_form(b, "/questions/t-01/submit", {
        "csrf_token": kaosheng.csrf(b, "/questions/t-01/practice"), "text": FINAL,
    })
    assert status == 302
    result_path = re.sub(r"^https?://[^/]+", "", headers["location"])
    assert re.fullmatch(r"/attempts/\d+", result_path)
    status, _, page = kaosheng.get(a, result_path)
    assert status == 200 and "某市人民政府办公室" in page

    engine = create_engine(url)
    with engine.connect() as conn:
        answers = conn.execute(text("SELECT answer FROM attempts")).scalars().all()
        drafts = conn.execute(text("SELECT count(*) FROM drafts")).scalar()
    engine.dispose()
    assert answers == [FINAL] and drafts == 0


def test_rubric_published_on_one_server_is_used_by_the_other_at_once(two_servers):
    url, a, b = two_servers
    jiaoshi = Browser()
    jiaoshi.login(b, "jiaoshi1", PASSWORD)
    status, _, page = jiaoshi.get(a, "/tutor/questions/t-01/rubric")
    assert status == 200 and "当前发布的版本" in page
    fields = form_fields(page, "rubric-form")
    weight = next(i for i, (k, _) in enumerate(fields) if k == "points-0-weight")
    fields[weight] = ("points-0-weight", str(float(fields[weight][1]) + 1))
    status, _, _ = jiaoshi.post_form(a, "/tutor/questions/t-01/rubric", fields + [("action", "publish")])
    assert status == 302

    status, _, page = jiaoshi.get(b, "/tutor/questions/t-01/rubric")
    assert re.search(r'<span class="badge done">v2</span> 当前发布的版本', page)

    # a candidate on the other server is scored with the new version straight away
    kaosheng = Browser()
    kaosheng.login(b, "kaosheng1", PASSWORD)
    kaosheng.post_form(b, "/questions/t-01/start", {"csrf_token": kaosheng.csrf(b, "/questions/t-01"), "mode": "practice"})
    status, _, _ = kaosheng.post_form(b, "/questions/t-01/submit", {
        "csrf_token": kaosheng.csrf(b, "/questions/t-01/practice"), "text": FINAL,
    })
    assert status == 302
    engine = create_engine(url)
    with engine.connect() as conn:
        version = conn.execute(text(
            "SELECT r.version FROM attempts a JOIN rubrics r ON r.id = a.rubric_id"
        )).scalar_one()
    engine.dispose()
    assert version == 2
