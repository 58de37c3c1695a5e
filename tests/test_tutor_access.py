"""Every tutor and admin route refuses logged-out users and candidates; admin routes refuse tutors."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from fazhi_prep.extensions import db
from fazhi_prep.models import Attempt, Rescore, Role, SampleAnswer, User
from tests.conftest import csrf_from, login, make_user
from tests.practice_support import start, submit
from tests.test_bank_load import load
from tests.tutor_support import NOTICE


@pytest.fixture
def world(app, client, mini_root):
    """The mini bank, an attempt, a sample answer and one user of each role."""
    load(app, mini_root)
    candidate = make_user("kao1")
    make_user("jiaoshi1", Role.TUTOR)
    make_user("guanli1", Role.ADMIN)
    login(client, "kao1")
    start(client)
    submit(client, NOTICE)
    question = db.session.scalar(select(Attempt)).question
    db.session.add(SampleAnswer(question_id=question.id, title="样例", body="正文", expected={"t-01.yiti": "covered"}))
    attempt = db.session.scalar(select(Attempt))
    db.session.add(Rescore(attempt=attempt, rubric_id=attempt.rubric_id, score=attempt.score, result=attempt.result))
    db.session.commit()
    return {
        "slug": "t-01",
        "variant": "main",
        "attempt_id": db.session.scalar(select(Attempt.id)),
        "sample_id": db.session.scalar(select(SampleAnswer.id)),
        "user_id": candidate.id,
        "mark_id": 1,
        "rescore_id": db.session.scalar(select(Rescore.id)),
        "key": "fazhi-fazhi",  # a 常见错误 of the mini bank
    }


def protected_urls(app, world, prefixes):
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(prefixes):
            continue
        url = rule.build({k: world[k] for k in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            out.append((rule.endpoint, method, url))
    return out


def request(client, method, url, token):
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": token})


def test_every_tutor_and_admin_route_is_covered(app, world):
    endpoints = {e for e, _, _ in protected_urls(app, world, ("tutor.", "admin."))}
    assert len(endpoints) >= 24
    assert {"tutor.rubric", "tutor.override", "tutor.rescore", "admin.change_role", "admin.delete_user"} <= endpoints


def test_logged_out_users_are_sent_to_login(app, world):
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    for endpoint, method, url in protected_urls(app, world, ("tutor.", "admin.", "calibration.")):
        response = request(client, method, url, token)
        assert response.status_code == 302, (endpoint, method, response.status_code)
        assert response.headers["Location"].startswith("/login"), endpoint


def test_candidates_are_refused(app, world):
    client = app.test_client()
    login(client, "kao1")
    token = csrf_from(client.get("/questions/t-01").get_data(as_text=True))
    for endpoint, method, url in protected_urls(app, world, ("tutor.", "admin.")):
        response = request(client, method, url, token)
        assert response.status_code == 403, (endpoint, method, response.status_code)
    db.session.expire_all()
    assert db.session.get(User, world["user_id"]).role == "candidate"


def test_tutors_are_refused_admin_routes(app, world):
    client = app.test_client()
    login(client, "jiaoshi1")
    token = csrf_from(client.get("/tutor/").get_data(as_text=True))
    for endpoint, method, url in protected_urls(app, world, ("admin.",)):
        assert request(client, method, url, token).status_code == 403, endpoint
    for endpoint, method, url in protected_urls(app, world, ("tutor.",)):
        if method == "GET":
            assert client.get(url).status_code == 200, endpoint


def test_admins_may_use_the_tutor_workspace(app, world):
    client = app.test_client()
    login(client, "guanli1")
    assert client.get("/tutor/").status_code == 200
    page = client.get("/admin/users").get_data(as_text=True)
    assert "账号管理" in page and "kao1" in page


def test_posts_without_csrf_token_are_refused(app, world):
    client = app.test_client()
    login(client, "jiaoshi1")
    for endpoint, method, url in protected_urls(app, world, ("tutor.", "admin.")):
        if method == "POST":
            assert client.post(url, data={}).status_code in (400, 403), endpoint


def test_nav_links_follow_the_role(app, world):
    client = app.test_client()
    login(client, "kao1")
    page = client.get("/questions").get_data(as_text=True)
    assert "评分校准" in page and "教师工作台" not in page and "账号管理" not in page
    admin = app.test_client()
    login(admin, "guanli1")
    page = admin.get("/questions").get_data(as_text=True)
    assert "教师工作台" in page and "账号管理" in page


def _html_pages(app, world):
    """Every GET page of the app (not the JSON, CSV or static endpoints)."""
    skip = ("static", "practice.draft_state", "practice.csrf_token", "practice.history_csv")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.startswith(skip) or not rule.arguments <= world.keys():
            continue
        yield rule.endpoint, rule.build({k: world[k] for k in rule.arguments}, append_unknown=False)[1]


@pytest.mark.parametrize("username", ["kao1", "jiaoshi1", "guanli1"])
def test_no_page_has_inline_script_or_style(app, world, username):
    # the Content-Security-Policy forbids them, so one would silently break a page
    client = app.test_client()
    login(client, username)
    checked = 0
    for endpoint, url in _html_pages(app, world):
        response = client.get(url)
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        page = response.get_data(as_text=True)
        assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page)), endpoint
        assert " style=" not in page and "<style" not in page, endpoint
        assert re.search(r"\son[a-z]+=", page) is None, endpoint  # no inline event handlers
        checked += 1
    assert checked >= (19 if username != "kao1" else 6)
