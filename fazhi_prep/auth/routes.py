from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..extensions import db, limiter, login_manager
from ..models import Role, User
from . import bp
from .forms import ChangePasswordForm, EmptyForm, LoginForm, RegisterForm
from .passwords import verify_password
from .sessions import begin_login, end_all_logins, end_login, user_for_token

TOO_MANY_LOGINS = "登录尝试过于频繁，请稍后再试（几分钟后即可再次登录）。"
TOO_MANY_REGISTRATIONS = "注册过于频繁，请稍后再试。"


@login_manager.user_loader
def load_user(login_token: str) -> User | None:
    # Cookies carry a login's token, never the user id: logging out, a new
    # password, 退出所有设备 or a deleted account makes every old cookie worthless.
    return user_for_token(login_token)


def _safe_next(target: str | None) -> str:
    """Only follow `next` to a path on this host, never to another site."""
    if target and target.isprintable() and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("questions.index")


def _start_session(user: User, remember: bool) -> None:
    # A fresh session at login defeats session fixation.
    session.clear()
    begin_login(user)
    db.session.commit()
    login_user(user, remember=remember)


def _account_key() -> str:
    return "login-account:" + (request.form.get("username") or "").strip().casefold()[:64]


def _failed(response) -> bool:
    # Only failed attempts count: a successful login redirects.
    return response.status_code != 302


def _created(response) -> bool:
    # New accounts count, not typos: a class registering behind one address gets through.
    return response.status_code == 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"],
               deduct_when=_failed, error_message=TOO_MANY_LOGINS, scope="login-address")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"],
               key_func=_account_key, deduct_when=_failed, error_message=TOO_MANY_LOGINS,
               scope="login-account")
def login():
    """Log in with username and password."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data))
        if not verify_password(user.password_hash if user else None, form.password.data):
            flash("用户名或密码错误", "error")
        else:
            _start_session(user, form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_LIMIT"], methods=["POST"], deduct_when=_created,
               error_message=TOO_MANY_REGISTRATIONS, scope="register")
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


def _end_session() -> None:
    end_login(current_user._get_current_object())
    db.session.commit()
    logout_user()
    # logout_user() leaves a marker telling Flask-Login to delete the remember
    # cookie; clearing the session must keep it, or 记住我 would log straight back in.
    marker = session.get("_remember")
    session.clear()
    if marker:
        session["_remember"] = marker


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out (POST with CSRF, so a link elsewhere cannot log anyone out)."""
    if EmptyForm().validate_on_submit():
        _end_session()
        flash("已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account")
@login_required
def account(form: ChangePasswordForm | None = None, status: int = 200):
    """My account: change my password, sign out on every device."""
    return render_template(
        "auth/account.html",
        form=form or ChangePasswordForm(formdata=None),
        everywhere_form=EmptyForm(formdata=None),
    ), status


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    """A new password: every other device is signed out, this one stays signed in."""
    form = ChangePasswordForm(account_name=current_user.username)
    if not form.validate_on_submit():
        return account(form, 422)
    if not verify_password(current_user.password_hash, form.current.data):
        form.current.errors = [*form.current.errors, "当前密码不正确"]
        return account(form, 422)
    user = current_user._get_current_object()
    user.set_password(form.password.data)  # ends every login, this one included
    remembered = bool(request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")))
    _start_session(user, remember=remembered)  # this browser continues under a new login
    flash("密码已修改，其他设备上的登录已退出。", "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    """退出所有设备: every session and 记住我 cookie of this account stops working."""
    if EmptyForm().validate_on_submit():
        user = current_user._get_current_object()
        end_all_logins(user)
        db.session.commit()
        logout_user()
        session.clear()
        session["_remember"] = "clear"  # delete this browser's 记住我 cookie too
        flash("已在所有设备上退出登录。", "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.account"))
