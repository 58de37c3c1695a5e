"""The password rule and the password check that takes the same time for any username.

The rule (shared by registration, the account page, the admin's reset and
`users create`): at least 8 characters, not one of the most common passwords
(`fazhi_prep/data/common_passwords.txt`), not a single repeated character, and
not the username.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 128


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("fazhi_prep").joinpath("data/common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why ``password`` is refused (in Chinese), or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位"
    if len(password) > MAX_LENGTH:
        return f"密码最多 {MAX_LENGTH} 位"
    folded = password.casefold()
    if username and folded == username.strip().casefold():
        return "密码不能与用户名相同"
    if folded in common_passwords() or len(set(folded)) == 1:
        return "这个密码太常见，很容易被猜到：请换一个（可以用几个词或数字的组合）"
    return None


@cache
def _dummy_hash() -> str:
    # Made with the same method and cost as real hashes, so checking it takes as long.
    return generate_password_hash("not-a-real-password")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check ``password``; with no account (``password_hash`` None) do the same work and fail.

    Without this, an unknown username answers in a few milliseconds and a real
    one in a hundred: the time alone would tell which usernames exist.
    """
    if password_hash is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)
