"""A database too busy to take a write in time: a retryable 503, never a 500.

SQLite lets one writer at a time; a writer that cannot get the lock within
the busy timeout (SQLITE_BUSY_TIMEOUT) fails with "database is locked". That
is a moment of contention, not a bug: the client should try again shortly,
and whatever the candidate wrote must be handed back, not dropped.
"""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

RETRY_AFTER_SECONDS = 2
BUSY_MESSAGE = "服务器繁忙，暂时无法保存。你的内容没有丢失，请几秒后再试。"


def is_lock_timeout(error: BaseException) -> bool:
    """True for SQLite's "database is locked" / "database table is locked" (busy timeout passed)."""
    if not isinstance(error, OperationalError):
        return False
    message = str(getattr(error, "orig", error)).lower()
    return "database is locked" in message or "database table is locked" in message


def retry_headers() -> dict[str, str]:
    return {"Retry-After": str(RETRY_AFTER_SECONDS)}
