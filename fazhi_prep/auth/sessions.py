"""Logins as rows: what a session or 记住我 cookie proves, and how it is revoked.

Flask's session cookie is signed, not stored, so it cannot be revoked by
itself; it carries the token of a `LoginSession` row instead of the user id
(Flask-Login's alternative id), and a cookie whose row is gone logs nobody in.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, delete, select

from ..extensions import db
from ..models import LoginSession, User, utcnow


def _lifetime() -> timedelta:
    return current_app.config["REMEMBER_COOKIE_DURATION"]


def begin_login(user: User) -> str:
    """A new login for ``user``; returns (and sets on ``user``) its token."""
    db.session.execute(
        delete(LoginSession).where(LoginSession.user_id == user.id, LoginSession.created_at < utcnow() - _lifetime())
    )
    login = LoginSession(user_id=user.id)
    db.session.add(login)
    db.session.flush()
    user.login_token = login.token
    return login.token


# Every signed-in request runs this query: built once, it skips statement construction and
# cache-key work that cost more than the query itself (~0.1 ms a request on SQLite).
_LIVE_LOGIN = (
    select(User, LoginSession.created_at)
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(LoginSession.token == bindparam("token"))
)


def user_for_token(token: str) -> User | None:
    """The account a cookie's token belongs to, while that login is live."""
    if not token or len(token) > 64:
        return None
    row = db.session.execute(_LIVE_LOGIN, {"token": token}).first()
    if row is None or row.created_at < utcnow() - _lifetime():
        return None
    user = row.User
    user.login_token = token
    return user


def end_login(user: User) -> None:
    if user.login_token:
        db.session.execute(delete(LoginSession).where(LoginSession.token == user.login_token))
    user.login_token = None


def end_all_logins(user: User) -> None:
    """Every browser signed in to ``user`` is signed out."""
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
