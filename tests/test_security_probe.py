"""The findings of the hostile-input and session probe (issue 10), one test per finding.

Rows 4, 11 and 13 (Markdown, bank files) are in test_markdown_safety.py and
test_bank_hostile.py; row 7 (two devices, one draft) in test_draft_conflicts.py;
the route-by-route sweep in test_hostile_inputs.py.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from fazhi_prep import create_app
from fazhi_prep.admin import service as admin_service
from fazhi_prep.config import build_config
from fazhi_prep.extensions import db
from fazhi_prep.models import Role, User
from tests.conftest import FreshContextClient, csrf_from, login, make_user
from tests.practice_support import draft_of, start, token
from tests.test_bank_load import load
from tests.tutor_support import post_form

STRONG = "mima-Zq7-2026"


@contextmanager
def another_app(database_url: str, **config):
    """A second app instance (another worker, other settings), cleaned up after."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test", **config})
    app.test_client_class = FreshContextClient
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def fresh_user(name: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == name))


def login_remember(client, username: str, password: str = "password123"):
    page_token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login",
        data={"username": username, "password": password, "remember": "y", "csrf_token": page_token},
    )


def cookies_of(client) -> dict[str, str]:
    return {name: client.get_cookie(name).value for name in ("session", "remember_token") if client.get_cookie(name)}


def replay(app, cookies: dict[str, str]):
    """A new browser holding copied cookies."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def logged_in_as(client) -> bool:
    return client.get("/questions").status_code == 200


def register(client, username: str, password: str = STRONG):
    page_token = csrf_from(client.get("/register").get_data(as_text=True))
    return client.post(
        "/register",
        data={"username": username, "password": password, "password2": password, "csrf_token": page_token},
    )


# -- row 1: deleted account's cookie, ids reused ---------------------------------------


def test_user_ids_are_never_reused(app):
    admin = make_user("guanli1", Role.ADMIN)
    make_user("first1")
    last = make_user("last01")
    last_id = last.id
    admin_service.delete_user(last, admin)
    db.session.commit()
    assert make_user("next01").id > last_id


def test_deleted_accounts_cookies_do_not_log_into_the_next_account(app, client):
    admin = make_user("guanli1", Role.ADMIN)
    make_user("shanchu1")
    login_remember(client, "shanchu1")
    stolen = cookies_of(client)
    assert "remember_token" in stolen
    admin_service.delete_user(fresh_user("shanchu1"), admin)
    db.session.commit()
    register(app.test_client(), "xinlai1")
    assert not logged_in_as(replay(app, stolen))
    assert not logged_in_as(replay(app, {"remember_token": stolen["remember_token"]}))


# -- row 2: sessions bound to a revocable token ----------------------------------------


def test_session_cookie_is_dead_after_logout(app, client, candidate):
    login_remember(client, candidate.username)
    copied = cookies_of(client)
    post_form(client, "/logout", {}, page="/questions")
    assert not logged_in_as(client)
    assert not logged_in_as(replay(app, copied))
    assert not logged_in_as(replay(app, {"remember_token": copied["remember_token"]}))


def test_logout_with_remember_me_signs_the_browser_out(client, candidate):
    login_remember(client, candidate.username)
    response = post_form(client, "/logout", {}, page="/questions")
    assert "remember_token=;" in " ".join(response.headers.getlist("Set-Cookie"))
    assert client.get_cookie("remember_token") is None
    assert not logged_in_as(client)


def test_admin_password_reset_ends_every_session(app, client, candidate):
    login_remember(client, candidate.username)
    copied = cookies_of(client)
    make_user("guanli1", Role.ADMIN)
    admin = app.test_client()
    login(admin, "guanli1")
    post_form(admin, f"/admin/users/{candidate.id}/password", {"password": STRONG}, page="/admin/users")
    assert fresh_user(candidate.username).check_password(STRONG)
    assert not logged_in_as(client)
    assert not logged_in_as(replay(app, {"remember_token": copied["remember_token"]}))


def test_remember_cookie_lasts_two_weeks_not_a_year(client, candidate):
    response = login_remember(client, candidate.username)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    assert "Max-Age=1209600" in cookie or "Expires=" in cookie
    max_age = int(cookie.split("Max-Age=")[1].split(";")[0]) if "Max-Age=" in cookie else None
    assert max_age is None or max_age <= 30 * 24 * 3600
    assert client.application.config["REMEMBER_COOKIE_DURATION"].days == 14


def test_logout_everywhere_ends_other_browsers(app, client, candidate):
    login(client, candidate.username)
    phone = app.test_client()
    login_remember(phone, candidate.username)
    page = client.get("/account").get_data(as_text=True)
    assert "退出所有设备" in page
    response = client.post("/account/logout-everywhere", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    assert not logged_in_as(phone)
    assert not logged_in_as(client)
    assert login(client, candidate.username).status_code == 302  # the password still works


def test_own_password_change_keeps_this_browser_and_ends_the_others(app, client, candidate):
    login(client, candidate.username)
    phone = app.test_client()
    login(phone, candidate.username)
    page = client.get("/account").get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={"current": "password123", "password": STRONG, "password2": STRONG, "csrf_token": csrf_from(page)},
    )
    assert response.status_code == 302
    assert fresh_user(candidate.username).check_password(STRONG)
    assert logged_in_as(client)
    assert not logged_in_as(phone)


def test_own_password_change_needs_the_current_password(client, candidate):
    login(client, candidate.username)
    page = client.get("/account").get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={"current": "wrong-one-1", "password": STRONG, "password2": STRONG, "csrf_token": csrf_from(page)},
    )
    assert response.status_code == 422
    assert "当前密码不正确" in response.get_data(as_text=True)
    assert fresh_user(candidate.username).check_password("password123")


# -- row 3: throttling and timing ------------------------------------------------------


def failed_login(client, username: str):
    return login(client, username, "wrong-password-9")


def test_login_is_throttled_per_account(app, client, candidate):
    for _ in range(5):
        assert failed_login(client, candidate.username).status_code == 200
    blocked = login(client, candidate.username)  # even the right password waits now
    assert blocked.status_code == 429
    assert "登录尝试过于频繁" in blocked.get_data(as_text=True)
    assert "Retry-After" in blocked.headers
    assert not logged_in_as(client)


def test_login_is_throttled_per_address(app, client):
    statuses = [failed_login(client, f"nobody{i}").status_code for i in range(21)]
    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429


def test_successful_logins_do_not_use_up_the_allowance(client, candidate):
    for _ in range(8):
        assert login(client, candidate.username).status_code == 302
        post_form(client, "/logout", {}, page="/questions")


def test_unknown_username_costs_a_password_check_too(client, candidate, monkeypatch):
    from fazhi_prep.auth import passwords

    calls = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda h, p: calls.append(h) or real(h, p))
    failed_login(client, "no-such-user")
    failed_login(client, candidate.username)
    assert len(calls) == 2
    assert calls[0].split("$")[0] == calls[1].split("$")[0]  # the same method and cost


def test_registration_is_throttled_per_address(app):
    app.config["REGISTER_LIMIT"] = "2 per hour"
    client = app.test_client()
    assert register(client, "reg000", "short").status_code == 200  # a typo does not count
    assert register(client, "reg001").status_code == 302
    post_form(client, "/logout", {}, page="/questions")
    assert register(client, "reg002").status_code == 302
    post_form(client, "/logout", {}, page="/questions")
    refused = register(client, "reg003")
    assert refused.status_code == 429 and "注册过于频繁" in refused.get_data(as_text=True)
    assert fresh_user("reg003") is None


def test_redis_url_makes_processes_share_the_count(database_url, monkeypatch):
    redis = pytest.importorskip("redis")
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    monkeypatch.setenv("REDIS_URL", url)
    prefix = f"test-{uuid.uuid4().hex}"

    with another_app(database_url, RATELIMIT_KEY_PREFIX=prefix) as first:
        assert first.config["RATELIMIT_STORAGE_URI"] == url
        client = first.test_client()
        for _ in range(5):
            failed_login(client, "shared-user")
    with another_app(database_url, RATELIMIT_KEY_PREFIX=prefix) as second:  # another worker, the same Redis
        assert failed_login(second.test_client(), "shared-user").status_code == 429


# -- rows 5 and 6: hostile bodies, NUL and lone surrogates -----------------------------


@pytest.fixture
def bank(app, mini_root):
    load(app, mini_root)


@pytest.mark.parametrize("path", ["/login", "/register"])
@pytest.mark.parametrize("body", [[1], "x", 5, {"username": 5, "password": [1]}])
def test_json_bodies_to_form_endpoints_are_400_not_500(client, path, body):
    page_token = csrf_from(client.get(path).get_data(as_text=True))
    response = client.post(path, json=body, headers={"X-CSRFToken": page_token})
    assert response.status_code in (200, 400, 422)


@pytest.mark.parametrize("body", ['[1]', '"text"', "null", "[" * 5000 + "]" * 5000,
                                  '{"text": ' + "[" * 5000 + "]" * 5000 + "}", "{bad json"])
def test_hostile_autosave_bodies_are_400(logged_in, bank, body):
    start(logged_in)
    response = logged_in.post("/questions/t-01/draft", data=body, content_type="application/json",
                              headers={"X-CSRFToken": token(logged_in)})
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid"


@pytest.mark.parametrize("path", ["/attempts/99999999999999999999", "/attempts/2147483648",
                                  "/tutor/attempts/9223372036854775808", "/admin/users/99999999999/role"])
def test_ids_beyond_the_column_are_404(app, client, path):
    make_user("guanli1", Role.ADMIN)
    login(client, "guanli1")
    response = client.post(path, data={"csrf_token": token(client)}) if path.endswith("/role") else client.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/questions/%00", "/questions/a%00b/draft", "/tutor/questions/%ED%A0%80/edit"])
def test_nul_or_surrogate_in_the_path_is_404(app, client, path):
    make_user("jiaoshi1", Role.TUTOR)
    login(client, "jiaoshi1")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("page", ["99999999999999999999", "-1", "0", "abc"])
def test_hostile_page_numbers_are_404(client, page):
    make_user("jiaoshi1", Role.TUTOR)
    login(client, "jiaoshi1")
    assert client.get(f"/tutor/attempts?page={page}").status_code == 404
    assert client.get("/tutor/attempts?page=1").status_code == 200


def test_lone_surrogate_in_autosave_is_dropped(logged_in, bank):
    start(logged_in)
    response = logged_in.post("/questions/t-01/draft", data='{"text": "依法\\ud800行政"}',
                              content_type="application/json", headers={"X-CSRFToken": token(logged_in)})
    assert response.status_code == 200
    assert draft_of("kaosheng1").text == "依法行政"


@pytest.mark.parametrize("target", ["/tutor/\r\nSet-Cookie:x=1", "/questions\r\nX: y", "/\\evil.example"])
def test_next_with_line_breaks_or_backslash_stays_here(logged_in, target):
    response = logged_in.get("/login", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/questions"


def test_admin_name_colliding_after_strip_is_refused(client):
    make_user("guanli1", Role.ADMIN)
    make_user("kao001")
    login(client, "guanli1")
    response = post_form(client, "/admin/users", {"username": " kao001 ", "password": STRONG, "role": "candidate"},
                         page="/admin/users")
    assert response.status_code == 422
    assert "该用户名已被使用" in response.get_data(as_text=True)


def test_nul_in_autosave_is_removed_and_the_text_kept(logged_in, bank):
    start(logged_in)
    response = logged_in.post("/questions/t-01/draft", json={"text": "依法\x00行政"},
                              headers={"X-CSRFToken": token(logged_in)})
    assert response.status_code == 200
    assert draft_of("kaosheng1").text == "依法行政"


def test_nul_in_a_submit_without_javascript_keeps_the_answer(logged_in, bank):
    start(logged_in)
    response = logged_in.post("/questions/t-01/draft", data={"text": "第一段\x00内容", "csrf_token": token(logged_in)})
    assert response.status_code == 302
    assert draft_of("kaosheng1").text == "第一段内容"
    from tests.practice_support import attempts_of, submit

    response = submit(logged_in, "关于召开会议的通知\x00\n各单位：\n请准时参会。")
    assert response.status_code in (302, 422)
    saved = attempts_of("kaosheng1")[0].answer if attempts_of("kaosheng1") else draft_of("kaosheng1").text
    assert saved == "关于召开会议的通知\n各单位：\n请准时参会。"


def test_nul_in_login_and_tutor_title(client, candidate, mini_root, app):
    assert login(client, candidate.username + "\x00", "password123\x00").status_code == 302
    post_form(client, "/logout", {}, page="/questions")
    from tests.test_tutor_authoring import NEW_QUESTION
    from tests.tutor_support import question, tutor_client

    tutor_client(app, client, mini_root)
    response = post_form(client, "/tutor/questions/new", {**NEW_QUESTION, "title": "带\x00空字符的题目"})
    assert response.status_code == 302
    assert question("my-01").title == "带空字符的题目"


# -- row 8: lookalike usernames --------------------------------------------------------


@pytest.mark.parametrize("name", ["cand1\n", " cand1", "cand1 "])
def test_lookalike_usernames_are_the_same_name(client, name):
    make_user("cand1")
    page = register(client, name).get_data(as_text=True)
    assert "该用户名已被使用" in page
    assert db.session.scalar(select(User).where(User.username != "cand1")) is None


def test_username_with_a_trailing_newline_is_not_valid():
    from wtforms.validators import ValidationError

    from fazhi_prep.auth.forms import USERNAME_RULES

    regexp = USERNAME_RULES[2]

    class Field:
        data = "cand1\n"
        gettext = staticmethod(lambda s: s)

    with pytest.raises(ValidationError):
        regexp(None, Field())


# -- row 9: cookies over HTTPS ---------------------------------------------------------


def test_secure_cookies_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    config = build_config(str(tmp_path), {"TESTING": True})
    assert config["SESSION_COOKIE_SECURE"] is True and config["REMEMBER_COOKIE_SECURE"] is True
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")
    assert build_config(str(tmp_path), {"TESTING": True})["SESSION_COOKIE_SECURE"] is False


def test_secure_cookie_is_sent_with_secure(database_url, candidate):
    name = candidate.username  # read here: inside, the other app's engine would serve this session
    with another_app(database_url, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True) as app:
        client = app.test_client()
        page = client.get("/login", base_url="https://localhost")
        response = client.post("/login", base_url="https://localhost", data={
            "username": name, "password": "password123", "remember": "y",
            "csrf_token": csrf_from(page.get_data(as_text=True))})
        cookies = response.headers.getlist("Set-Cookie")
        assert cookies and all("Secure" in c for c in cookies)


def test_trust_proxy_honours_forwarded_proto(monkeypatch, database_url):
    monkeypatch.setenv("TRUST_PROXY", "1")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test"})
    seen = {}

    @app.get("/_probe_scheme")
    def probe():
        from flask import request

        seen["scheme"], seen["remote"] = request.scheme, request.remote_addr
        return ""

    app.test_client().get("/_probe_scheme", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert seen == {"scheme": "https", "remote": "203.0.113.9"}


def test_forwarded_headers_are_ignored_without_trust_proxy(monkeypatch, database_url):
    monkeypatch.delenv("TRUST_PROXY", raising=False)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test"})
    seen = {}

    @app.get("/_probe_scheme")
    def probe():
        from flask import request

        seen["scheme"] = request.scheme
        return ""

    app.test_client().get("/_probe_scheme", headers={"X-Forwarded-Proto": "https"})
    assert seen == {"scheme": "http"}


# -- row 10: passwords -----------------------------------------------------------------


@pytest.mark.parametrize("password", ["password", "12345678", "Password1", "qwertyuiop", "aaaaaaaaaa"])
def test_common_passwords_are_refused(client, password):
    page = register(client, "xinren1", password).get_data(as_text=True)
    assert "这个密码太常见" in page
    assert fresh_user("xinren1") is None


def test_password_equal_to_the_username_is_refused(client):
    page = register(client, "zhangsan2026", "ZhangSan2026").get_data(as_text=True)
    assert "密码不能与用户名相同" in page
    assert fresh_user("zhangsan2026") is None


def test_admin_reset_and_cli_apply_the_same_rule(app, client, candidate):
    make_user("guanli1", Role.ADMIN)
    login(client, "guanli1")
    post_form(client, f"/admin/users/{candidate.id}/password", {"password": "12345678"}, page="/admin/users")
    assert fresh_user(candidate.username).check_password("password123")
    result = app.test_cli_runner().invoke(args=["users", "create", "laoshi9", "--password", "password"])
    assert result.exit_code != 0 and "这个密码太常见" in result.output


# -- row 12: the development key -------------------------------------------------------


def test_development_key_is_shared_by_every_process(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("FAZHI_ENV", "development")
    first = build_config(str(tmp_path))["SECRET_KEY"]
    second = build_config(str(tmp_path))["SECRET_KEY"]  # another gunicorn worker
    assert first == second
    assert (tmp_path / "secret_key").read_text(encoding="utf-8").strip() == first


def test_production_without_a_key_still_refuses(monkeypatch, tmp_path):
    from fazhi_prep.config import ConfigError

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("FAZHI_ENV", "production")
    with pytest.raises(ConfigError):
        build_config(str(tmp_path))


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999", "9" * 5000])
def test_odd_digits_in_filters_revisions_and_pages_are_not_500(logged_in, bank, app, client, value):
    make_user("jiaoshi1", Role.TUTOR)
    tutor = app.test_client()
    login(tutor, "jiaoshi1")
    assert tutor.get("/tutor/attempts", query_string={"question": value, "page": value}).status_code in (200, 404)
    assert tutor.post("/tutor/attempts/rescore", data={"attempt": value, "csrf_token": token(tutor, "/tutor/attempts")}).status_code == 302
    start(logged_in)
    response = logged_in.post("/questions/t-01/draft", data={"text": "内容", "revision": value,
                                                            "csrf_token": token(logged_in)})
    assert response.status_code == 302
