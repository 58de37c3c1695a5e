"""Plain row reads for list pages: a select of columns run on the session's connection.

``db.session.execute`` prepares every statement for the ORM (entities,
loader options, autoflush) before running it, about 30 µs a statement; a
list page that reads only columns gets nothing for it. These run the same
statement in the same transaction through SQLAlchemy Core: same SQL, same
compiled-statement cache, same column types (dates come back as the
models' UtcDateTime makes them). GET pages only: nothing is flushed first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Row, Select

from .extensions import db


def rows(statement: Select, params: Mapping[str, Any] | None = None) -> Sequence[Row]:
    return db.session.connection().execute(statement, params).all()


def scalar(statement: Select, params: Mapping[str, Any] | None = None) -> Any:
    return db.session.connection().execute(statement, params).scalar()
