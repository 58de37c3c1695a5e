"""Configuration from the environment.

SQLite in the instance folder is the default so one command starts the app;
DATABASE_URL switches to PostgreSQL without code changes.
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    pass


def _normalise_db_url(url: str) -> str:
    # Heroku-style and bare postgresql:// URLs would pick psycopg2, which we do not ship.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _instance_secret(instance_path: str) -> str | None:
    # `make run` keeps a per-checkout key here, so plain `flask --app app …`
    # commands work in the same checkout without exporting it.
    path = Path(instance_path) / "secret_key"
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _apply_sqlite_busy_timeout(config: dict) -> None:
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {"timeout": config["SQLITE_BUSY_TIMEOUT"], **options.get("connect_args", {})}
        config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _shared_dev_secret(instance_path: str) -> str:
    """The development key, created once in instance/ and read by every process.

    A key invented per process would differ between gunicorn workers (and
    between a `flask run` and a CLI command), so a login made in one would be
    refused by the next: one file, created atomically, is shared by all.
    """
    path = Path(instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    except FileExistsError:
        pass  # another process was first: use its key
    key = _instance_secret(instance_path)
    if not key:
        raise ConfigError(f"{path} is empty: delete it or set SECRET_KEY.")
    return key


def _compact_json(value) -> str:
    # JSON columns as UTF-8 without padding: a stored result is mostly Chinese, which the default
    # \uXXXX escaping makes 1.6 times longer (45 KB instead of 28 KB for a 1,200-字 answer) and
    # slower to write, to read back on every result page and for SQLite's json_extract to scan.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def build_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Settings for one app instance: environment first, then explicit overrides."""
    overrides = dict(overrides or {})
    env = os.environ.get("FAZHI_ENV", os.environ.get("FLASK_ENV", "production"))
    testing = bool(overrides.get("TESTING"))
    development = env == "development" or os.environ.get("FLASK_DEBUG") == "1"
    config = {
        "SQLALCHEMY_DATABASE_URI": _normalise_db_url(
            os.environ.get("DATABASE_URL")
            or f"sqlite:///{Path(instance_path) / 'fazhi_prep.sqlite3'}"
        ),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _instance_secret(instance_path),
        "BANK_DIR": str(PROJECT_ROOT / "question_bank"),
        "MODEL_ANSWERS_DIR": str(PROJECT_ROOT / "model_answers"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Behind HTTPS, cookies must never travel over plain HTTP (see README, proxy set-up).
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE"),
        "REMEMBER_COOKIE_SECURE": _flag("REMEMBER_COOKIE_SECURE", _flag("SESSION_COOKIE_SECURE")),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=int(os.environ.get("REMEMBER_DAYS", 14))),
        # Number of proxies in front of the app whose X-Forwarded-* headers are believed.
        "TRUST_PROXY": int(os.environ.get("TRUST_PROXY", 0) or 0),
        # Login and registration throttling; REDIS_URL shares the counts between workers.
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute;20 per hour"),
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per minute;100 per hour"),
        "REGISTER_LIMIT": os.environ.get("REGISTER_LIMIT", "20 per hour"),
        "WTF_CSRF_TIME_LIMIT": None,  # a CSRF token must not expire while a candidate writes
        "MAX_ANSWER_CHARS": int(os.environ.get("MAX_ANSWER_CHARS", 20_000)),
        "AUTOSAVE_MS": int(os.environ.get("AUTOSAVE_MS", 3000)),
        "DISPLAY_TIMEZONE": os.environ.get("DISPLAY_TIMEZONE", "Asia/Shanghai"),
        "RUBRIC_TEST_TOLERANCE": float(os.environ.get("RUBRIC_TEST_TOLERANCE", 0.1)),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "json_serializer": _compact_json},
        # How long a SQLite write waits for another writer's lock before the request gets a 503.
        "SQLITE_BUSY_TIMEOUT": float(os.environ.get("SQLITE_BUSY_TIMEOUT", 5)),
    }
    config.update(overrides)
    _apply_sqlite_busy_timeout(config)
    if not config["SECRET_KEY"]:
        if testing:
            config["SECRET_KEY"] = secrets.token_hex(32)
        elif development:
            config["SECRET_KEY"] = _shared_dev_secret(instance_path)
        else:
            raise ConfigError(
                "SECRET_KEY is not set. Run `make run` once (it writes instance/secret_key), "
                "or export SECRET_KEY=<random string>, or set FAZHI_ENV=development for local use."
            )
    return config
