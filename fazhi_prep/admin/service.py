"""Account management. An admin can never remove the last admin (by demotion or deletion)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, delete, func, select, update

from .. import reads
from ..extensions import db
from ..models import (
    Attempt,
    CalibrationMark,
    Draft,
    LoginSession,
    Rescore,
    Role,
    SampleAnswer,
    User,
    UserAreaStat,
)


class AdminError(ValueError):
    """A refused change, with the message to show; nothing was changed."""


def username_taken(username: str) -> bool:
    return db.session.scalar(select(User.id).where(User.username == username)) is not None


def user_filter(search: str = "") -> list[ColumnElement[bool]]:
    """Accounts whose name contains ``search`` (all when it is empty)."""
    needle = search.strip()
    if not needle:
        return []
    needle = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return [User.username.ilike(f"%{needle}%", escape="\\")]


def users_query(where: list[ColumnElement[bool]]) -> Select:
    """The list's columns (``AccountRow``), by role and name: an index serves this order."""
    return select(User.id, User.username, User.role, User.created_at).where(*where).order_by(User.role, User.username)


@dataclass(slots=True)
class AccountRow:
    id: int
    username: str
    role: str
    created_at: datetime


def with_attempt_counts(rows) -> list[tuple[AccountRow, int]]:
    """The page's accounts with their number of attempts (one grouped query for the page)."""
    accounts = [AccountRow(*row) for row in rows]
    ids = [a.id for a in accounts]
    counts = dict(
        reads.rows(select(Attempt.user_id, func.count()).where(Attempt.user_id.in_(ids)).group_by(Attempt.user_id))
    ) if ids else {}
    return [(a, counts.get(a.id, 0)) for a in accounts]


def _other_admins(user: User) -> int:
    # Locks the admin rows on PostgreSQL so two admins demoting each other cannot both pass.
    rows = db.session.scalars(
        select(User.id).where(User.role == Role.ADMIN.value, User.id != user.id).with_for_update()
    ).all()
    return len(rows)


def create_user(username: str, password: str, role: str) -> User:
    user = User(username=username.strip(), role=Role(role).value)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def change_role(user: User, role: str) -> None:
    new = Role(role).value
    if user.role == Role.ADMIN.value and new != Role.ADMIN.value and _other_admins(user) == 0:
        raise AdminError("不能取消最后一位管理员的管理员角色：请先把另一个账号设为管理员。")
    user.role = new


def reset_password(user: User, password: str) -> None:
    user.set_password(password)


def delete_user(user: User, acting: User) -> None:
    """Delete an account and what is only theirs (drafts, attempts, 评分校准 marks)."""
    if user.id == acting.id:
        raise AdminError("不能删除自己正在使用的账号。")
    if user.role == Role.ADMIN.value and _other_admins(user) == 0:
        raise AdminError("不能删除最后一位管理员。")
    attempt_ids = select(Attempt.id).where(Attempt.user_id == user.id)
    db.session.execute(delete(Rescore).where(Rescore.attempt_id.in_(attempt_ids)))
    db.session.execute(delete(Attempt).where(Attempt.user_id == user.id))
    db.session.execute(delete(UserAreaStat).where(UserAreaStat.user_id == user.id))
    db.session.execute(delete(Draft).where(Draft.user_id == user.id))
    db.session.execute(delete(CalibrationMark).where(CalibrationMark.user_id == user.id))
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))  # its cookies die
    # Their work on others' records stays, unattributed.
    db.session.execute(update(Attempt).where(Attempt.override_by_id == user.id).values(override_by_id=None))
    db.session.execute(update(Rescore).where(Rescore.created_by_id == user.id).values(created_by_id=None))
    db.session.execute(update(SampleAnswer).where(SampleAnswer.author_id == user.id).values(author_id=None))
    db.session.delete(user)
