"""Accounts: register, login, logout, roles, CSRF."""

from __future__ import annotations

from sqlalchemy import select

from fazhi_prep.extensions import db
from fazhi_prep.models import Role, User
from tests.conftest import csrf_from, login, make_user


def register(client, username, password="mima-Zq7-2026", password2=None):
    token = csrf_from(client.get("/register").get_data(as_text=True))
    return client.post(
        "/register",
        data={"username": username, "password": password, "password2": password2 or password, "csrf_token": token},
    )


def test_register_creates_candidate_and_logs_in(client, app):
    response = register(client, "新考生")
    assert response.status_code == 302 and response.headers["Location"] == "/questions"
    user = db.session.scalar(select(User).where(User.username == "新考生"))
    assert user.role == Role.CANDIDATE.value
    assert user.password_hash != "mima-Zq7-2026" and user.check_password("mima-Zq7-2026")
    assert client.get("/questions").status_code == 200


def test_register_rejects_taken_name_and_short_password(client, candidate):
    page = register(client, candidate.username).get_data(as_text=True)
    assert "该用户名已被使用" in page
    page = register(client, "another", password="short").get_data(as_text=True)
    assert "密码至少 8 位" in page
    assert db.session.scalar(select(User).where(User.username == "another")) is None


def test_login_and_logout(client, candidate):
    response = login(client, candidate.username)
    assert response.status_code == 302
    page = client.get("/questions").get_data(as_text=True)
    assert candidate.username in page
    token = csrf_from(page)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/questions").status_code == 302


def test_wrong_password_gives_one_generic_message(client, candidate):
    for username, password in ((candidate.username, "wrong-password"), ("nobody", "password123")):
        page = login(client, username, password).get_data(as_text=True)
        assert "用户名或密码错误" in page
    assert client.get("/questions").status_code == 302


def test_logged_out_users_are_sent_to_login(client, app):
    for url in ("/questions", "/questions/bc-01", "/tutor/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")


def test_next_redirect_stays_on_this_host(client, candidate):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    data = {"username": candidate.username, "password": "password123", "csrf_token": token}
    response = client.post("/login?next=https://evil.example/steal", data=data)
    assert response.headers["Location"] == "/questions"
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/questions").get_data(as_text=True))})
    token = csrf_from(client.get("/login").get_data(as_text=True))
    data["csrf_token"] = token
    response = client.post("/login?next=/tutor/", data=data)
    assert response.headers["Location"] == "/tutor/"


def test_candidate_refused_on_tutor_route(logged_in):
    assert logged_in.get("/tutor/").status_code == 403


def test_tutor_and_admin_reach_tutor_route(client, app):
    make_user("t1", Role.TUTOR)
    make_user("a1", Role.ADMIN)
    for name in ("t1", "a1"):
        login(client, name)
        assert client.get("/tutor/").status_code == 200
        client.post("/logout", data={"csrf_token": csrf_from(client.get("/questions").get_data(as_text=True))})


def test_post_without_csrf_token_is_rejected(client, candidate):
    response = client.post("/login", data={"username": candidate.username, "password": "password123"})
    assert response.status_code == 400
    assert "页面已过期或表单校验失败" in response.get_data(as_text=True)
    assert client.get("/questions").status_code == 302  # not logged in
    response = client.post(
        "/register", data={"username": "x-user", "password": "password123", "password2": "password123"}
    )
    assert response.status_code == 400
    assert db.session.scalar(select(User).where(User.username == "x-user")) is None


def test_logout_requires_csrf(logged_in):
    assert logged_in.post("/logout").status_code == 400
    assert logged_in.get("/questions").status_code == 200


def test_users_create_command(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "laoshi", "--role", "tutor", "--password", "mima-Zq7-2026"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "laoshi"))
    assert user.role == "tutor" and user.check_password("mima-Zq7-2026")


def test_users_demo_prints_working_credentials(app, client):
    result = app.test_cli_runner().invoke(args=["users", "demo"])
    assert result.exit_code == 0
    line = next(line for line in result.output.splitlines() if "kaosheng" in line)
    password = line.split("密码")[-1].strip()
    assert login(client, "kaosheng", password).status_code == 302
