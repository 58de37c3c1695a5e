"""Test fixtures: an app from the factory per test, one migrated database per run.

The schema is built once per session by running the real migrations (so
they are tested too) and every table is emptied after each test. Set
DATABASE_URL to run the same suite on PostgreSQL.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from fazhi_prep import create_app
from fazhi_prep.extensions import db
from fazhi_prep.models import Role, User

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        url = url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
        _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        from fazhi_prep.cli import upgrade_schema

        upgrade_schema()
        db.engine.dispose()
    return url


def _empty_all_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


class FreshContextClient(FlaskClient):
    """Each request in its own app context, as in production.

    Tests hold an app context open to use db.session; without this, requests
    would share its `g` (cached CSRF token, cached login) and its session.
    Test code's work is committed before a request, and its read snapshot
    ended after, so both sides see each other's writes.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.commit()
        return response


@pytest.fixture
def app(database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test"})
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    # pytest-flask's client keeps each request's context alive until the next
    # one; we want every request isolated like a real one.
    return app.test_client()


def make_user(username: str, role: Role = Role.CANDIDATE, password: str = "password123") -> User:
    user = User(username=username, role=role.value)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client, username: str, password: str = "password123"):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


@pytest.fixture
def candidate(app):
    return make_user("kaosheng1")


@pytest.fixture
def tutor(app):
    return make_user("jiaoshi1", Role.TUTOR)


@pytest.fixture
def logged_in(client, candidate):
    login(client, candidate.username)
    return client


@pytest.fixture
def mini_root(tmp_path) -> Path:
    """A writable copy of the small test bank (question_bank/ + model_answers/)."""
    target = tmp_path / "bank"
    shutil.copytree(FIXTURES / "mini_bank", target)
    return target


@pytest.fixture
def shipped_root() -> Path:
    return ROOT
