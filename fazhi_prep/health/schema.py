"""Which Alembic revision the database is at, and which one this code expects."""

from __future__ import annotations

from functools import cache

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.orm import Session


@cache
def head_revisions(directory: str) -> frozenset[str]:
    # The migration files cannot change under a running process: read them once.
    config = Config()
    config.set_main_option("script_location", directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def current_revisions(session: Session) -> frozenset[str]:
    """The database's revisions (raises when alembic_version is missing: never migrated)."""
    return frozenset(session.scalars(text("SELECT version_num FROM alembic_version")))
