"""Admin routes: list accounts, create one, change a role, reset a password, delete."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..auth.forms import EmptyForm
from ..auth.roles import admin_required
from ..extensions import db
from ..links import row_links
from ..models import ROLE_LABELS, Role, User
from ..pagination import paginate
from . import bp, service
from .forms import ROLE_CHOICES, CreateUserForm, PasswordForm, RoleForm

PER_PAGE = 25


def _user_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.route("/users")
@admin_required
def users(create_form: CreateUserForm | None = None, status: int = 200):
    """Accounts with their roles, a page at a time (optionally searched by name), and the forms to manage them."""
    search = request.args.get("q", "").strip()
    where = service.user_filter(search)
    page = paginate(service.users_query(where), per_page=PER_PAGE, rows=True, counted=select(User.id).where(*where))
    # Each row's three forms are plain HTML in the template (a WTForms form per row cost more than the
    # rest of the page); they post the same fields, validated by RoleForm, PasswordForm and EmptyForm.
    return render_template(
        "admin/users.html", users=service.with_attempt_counts(page.items), page=page, search=search,
        create_form=create_form or CreateUserForm(formdata=None), role_choices=ROLE_CHOICES,
        role_url=row_links("admin.change_role", "user_id"),
        password_url=row_links("admin.reset_password", "user_id"),
        delete_url=row_links("admin.delete_user", "user_id"),
    ), status


@bp.route("/users", methods=["POST"])
@admin_required
def create_user():
    """Create an account with a role and an initial password."""
    form = CreateUserForm()
    if not form.validate_on_submit():
        return users(form, 422)
    user = service.create_user(form.username.data, form.password.data, form.role.data)
    db.session.commit()
    flash(f"已创建账号 {user.username}（{user.role_label}）。", "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@admin_required
def change_role(user_id: int):
    """Change a role; the last admin keeps theirs."""
    user = _user_or_404(user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            service.change_role(user, form.role.data)
            db.session.commit()
            flash(f"{user.username} 现在是{ROLE_LABELS[Role(user.role)]}。", "success")
        except service.AdminError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@admin_required
def reset_password(user_id: int):
    """Set a new password for an account (tell its owner in person)."""
    user = _user_or_404(user_id)
    form = PasswordForm(account_name=user.username)
    if form.validate_on_submit():
        service.reset_password(user, form.password.data)
        db.session.commit()
        flash(f"已重设 {user.username} 的密码；该账号在所有设备上的登录已退出。", "success")
    else:
        flash("；".join(e for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/delete", methods=["POST"])
@admin_required
def delete_user(user_id: int):
    """Delete an account and its own attempts, drafts and 评分校准 marks."""
    user = _user_or_404(user_id)
    if EmptyForm().validate_on_submit():
        try:
            name = user.username
            service.delete_user(user, current_user)
            db.session.commit()
            flash(f"已删除账号 {name}。", "success")
        except service.AdminError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return redirect(url_for("admin.users"))
