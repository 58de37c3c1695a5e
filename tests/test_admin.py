"""Admin: accounts and roles; the last admin can never be removed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from fazhi_prep.extensions import db
from fazhi_prep.models import Attempt, Role, User
from tests.conftest import login, make_user
from tests.practice_support import start, submit
from tests.test_bank_load import load
from tests.tutor_support import NOTICE, post_form, switch_user


def user(name: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == name))


@pytest.fixture
def admin(app, client):
    make_user("guanli1", Role.ADMIN)
    login(client, "guanli1")
    return client


def test_admin_creates_an_account(admin):
    response = post_form(admin, "/admin/users", {"username": "laoshi2", "password": "secret-123", "role": "tutor"},
                         page="/admin/users")
    assert response.status_code == 302
    created = user("laoshi2")
    assert created.role == "tutor" and created.check_password("secret-123")
    again = post_form(admin, "/admin/users", {"username": "laoshi2", "password": "secret-123", "role": "tutor"},
                      page="/admin/users")
    assert again.status_code == 422 and "该用户名已被使用" in again.get_data(as_text=True)
    short = post_form(admin, "/admin/users", {"username": "x1y", "password": "short", "role": "admin"},
                      page="/admin/users")
    assert short.status_code == 422 and user("x1y") is None


def test_admin_changes_roles(admin):
    make_user("kao1")
    post_form(admin, f"/admin/users/{user('kao1').id}/role", {"role": "tutor"}, page="/admin/users")
    assert user("kao1").role == "tutor"
    post_form(admin, f"/admin/users/{user('kao1').id}/role", {"role": "admin"}, page="/admin/users")
    assert user("kao1").role == "admin"
    # with a second admin, the first may step down
    post_form(admin, f"/admin/users/{user('guanli1').id}/role", {"role": "tutor"}, page="/admin/users")
    assert user("guanli1").role == "tutor"


def test_the_last_admin_cannot_be_demoted_or_deleted(admin):
    me = user("guanli1")
    response = post_form(admin, f"/admin/users/{me.id}/role", {"role": "candidate"}, page="/admin/users")
    assert "不能取消最后一位管理员" in admin.get(response.headers["Location"]).get_data(as_text=True)
    assert user("guanli1").role == "admin"
    make_user("guanli2", Role.ADMIN)
    switch_user(admin, "guanli2")
    post_form(admin, f"/admin/users/{me.id}/role", {"role": "candidate"}, page="/admin/users")
    assert user("guanli1").role == "candidate"
    response = post_form(admin, f"/admin/users/{user('guanli2').id}/delete", {}, page="/admin/users")
    assert "不能删除自己" in admin.get(response.headers["Location"]).get_data(as_text=True)
    assert user("guanli2") is not None


def test_last_admin_rule_holds_in_the_service(app):
    from fazhi_prep.admin import service

    only = make_user("guanli1", Role.ADMIN)
    other = make_user("guanli9", Role.ADMIN)
    service.change_role(other, "candidate")
    with pytest.raises(service.AdminError):
        service.change_role(only, "tutor")
    tutor = make_user("jiaoshi9", Role.TUTOR)
    with pytest.raises(service.AdminError):
        service.delete_user(only, tutor)


def test_admin_resets_a_password(admin):
    make_user("kao1")
    post_form(admin, f"/admin/users/{user('kao1').id}/password", {"password": "new-password-1"}, page="/admin/users")
    assert user("kao1").check_password("new-password-1")
    response = post_form(admin, f"/admin/users/{user('kao1').id}/password", {"password": "x"}, page="/admin/users")
    assert "密码至少 8 位" in admin.get(response.headers["Location"]).get_data(as_text=True)


def test_admin_deletes_an_account_with_its_attempts(app, admin, mini_root):
    load(app, mini_root)
    make_user("kao1")
    switch_user(admin, "kao1")
    start(admin)
    submit(admin, NOTICE)
    switch_user(admin, "guanli1")
    assert db.session.scalar(select(Attempt.id)) is not None
    post_form(admin, f"/admin/users/{user('kao1').id}/delete", {}, page="/admin/users")
    assert user("kao1") is None
    assert db.session.scalar(select(Attempt.id)) is None


def test_user_list_escapes_names(admin):
    make_user("<b>坏</b>")
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "<b>坏</b>" not in page and "&lt;b&gt;坏&lt;/b&gt;" in page


def _row(page: str, user_id: int) -> str:
    start = page.index(f'action="/admin/users/{user_id}/role"')
    return page[page.rindex("<tr", 0, start):page.index("</tr>", start)]


def test_each_row_renders_the_forms_markup_and_posts_with_its_token(app, admin):
    """The per-row forms are plain HTML: the markup RoleForm and PasswordForm render, a working CSRF token each."""
    from fazhi_prep.admin.forms import PasswordForm, RoleForm

    kao = make_user("kao1", Role.TUTOR)
    page = admin.get("/admin/users").get_data(as_text=True)
    row = _row(page, kao.id)
    with app.test_request_context():
        role = RoleForm(formdata=None, data={"role": "tutor"}).role(id=f"role-{kao.id}")
        password = PasswordForm(formdata=None).password(
            id=f"pw-{kao.id}", placeholder="新密码（至少 8 位）", autocomplete="new-password")
    assert str(role) in row and str(password) in row
    tokens = re.findall(r'<input id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)">', row)
    assert len(tokens) == 3 and f'action="/admin/users/{kao.id}/delete"' in row

    def post(path: str, data: dict, token: str):
        return admin.post(path, data={"csrf_token": token, **data})

    assert post(f"/admin/users/{kao.id}/role", {"role": "admin"}, tokens[0]).status_code == 302
    assert user("kao1").role == "admin"
    post(f"/admin/users/{kao.id}/password", {"password": "new-password-2"}, tokens[1])
    assert user("kao1").check_password("new-password-2")
    assert post(f"/admin/users/{kao.id}/role", {"role": "candidate"}, "stale").status_code == 400
    assert user("kao1").role == "admin"
    post(f"/admin/users/{kao.id}/delete", {}, tokens[2])
    assert user("kao1") is None
    # the signed-in admin's own row: marked, and without a delete form
    me = _row(page, user("guanli1").id)
    assert 'class="me"' in me and "（你）" in me and "/delete" not in me
