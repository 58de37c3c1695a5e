from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import text

from fazhi_prep import create_app
from fazhi_prep.config import ConfigError
from fazhi_prep.extensions import db


@pytest.fixture
def production(monkeypatch, tmp_path):
    """Production settings with an empty instance folder of our own."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("FAZHI_ENV", "production")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(tmp_path))
    return tmp_path


def test_refuses_to_start_without_secret_key_in_production(production):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_secret_key_file_in_instance_folder_is_used(production):
    (production / "secret_key").write_text("kept-by-make-run\n", encoding="utf-8")
    assert create_app().config["SECRET_KEY"] == "kept-by-make-run"


def test_environment_secret_wins_over_instance_file(production, monkeypatch):
    (production / "secret_key").write_text("from-file", encoding="utf-8")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert create_app().config["SECRET_KEY"] == "from-env"


def test_secret_key_and_database_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@127.0.0.1:5432/x")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1:5432/x"


def test_default_is_sqlite_in_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{app.instance_path}/fazhi_prep.sqlite3"


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.remove()
        db.engine.dispose()


def test_factory_touches_no_database(tmp_path):
    path = tmp_path / "never.db"
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    assert not path.exists()


def test_security_headers(client):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_tunable_settings_from_environment(monkeypatch):
    monkeypatch.setenv("AUTOSAVE_MS", "5000")
    monkeypatch.setenv("MAX_ANSWER_CHARS", "12000")
    monkeypatch.setenv("RUBRIC_TEST_TOLERANCE", "0.05")
    app = create_app({"TESTING": True})
    assert app.config["AUTOSAVE_MS"] == 5000
    assert app.config["MAX_ANSWER_CHARS"] == 12000
    assert app.config["RUBRIC_TEST_TOLERANCE"] == 0.05
    assert app.config["DISPLAY_TIMEZONE"] == "Asia/Shanghai"


@pytest.mark.parametrize("command", [["db", "upgrade"], ["bank", "check"], ["users", "demo"]])
def test_cli_without_secret_key_ends_in_one_line_saying_what_to_do(command, tmp_path):
    """`flask --app app …` before `make run`: no traceback, one line naming the fix."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    # the checkout's own instance/secret_key (written by `make run`) must not count here
    code = (
        "import sys, flask\n"
        f"flask.Flask.auto_find_instance_path = lambda self: {str(tmp_path)!r}\n"
        "from flask.cli import main\n"
        f"sys.argv = ['flask', '--app', 'app', *{command!r}]\n"
        "main()\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FLASK_DEBUG", "FAZHI_ENV", "FLASK_ENV")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        "Error: SECRET_KEY is not set. Run `make run` once (it writes instance/secret_key), "
        "or export SECRET_KEY=<random string>, or set FAZHI_ENV=development for local use."
    ]
