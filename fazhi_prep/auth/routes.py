from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..extensions import db, login_manager
from ..models import Role, User
from . import bp
from .forms import EmptyForm, LoginForm, RegisterForm


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def _safe_next(target: str | None) -> str:
    """Only follow `next` to a path on this host, never to another site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("questions.index")


def _start_session(user: User, remember: bool) -> None:
    # A fresh session at login defeats session fixation.
    session.clear()
    login_user(user, remember=remember)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with username and password."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data))
        if user is None or not user.check_password(form.password.data):
            flash("用户名或密码错误", "error")
        else:
            _start_session(user, form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create a candidate account and log it in."""
    if current_user.is_authenticated:
        return redirect(url_for("questions.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        user = User(username=form.username.data, role=Role.CANDIDATE.value)
        user.set_password(form.password.data)
        db.session.add(user)
        db.session.commit()
        _start_session(user, remember=False)
        flash("注册成功，欢迎开始练习。", "success")
        return redirect(url_for("questions.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out (POST with CSRF, so a link elsewhere cannot log anyone out)."""
    if EmptyForm().validate_on_submit():
        logout_user()
        session.clear()
        flash("已退出登录。", "info")
    return redirect(url_for("auth.login"))
