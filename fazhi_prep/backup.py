"""Backup and restore of the whole database as one portable file (format in docs/backup-format.md).

A backup is gzip-compressed JSON Lines: a header naming the format version
and the Alembic revision, then for every table of ``db.metadata`` (parents
before children) a table line and one JSON array per row, then an end line
with the row count. It is generic over the models' tables, so a table added
by a later migration is covered without changes here, and it is independent
of the database engine: a SQLite backup restores into PostgreSQL.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    Date,
    DateTime,
    LargeBinary,
    Numeric,
    Table,
    Text,
    Time,
    TypeDecorator,
    cast,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.sql.elements import Null

from .extensions import db

FORMAT = "fazhi-prep-backup"
VERSION = 1
BATCH = 500


class BackupError(Exception):
    """A backup that cannot be made or restored; the message is for the operator."""


@dataclass
class Report:
    revision: str
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def tables() -> list[Table]:
    return list(db.metadata.sorted_tables)


def schema_revision(conn: Connection) -> str | None:
    """The database's Alembic revision (several heads joined by '+'), None if never migrated."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    revisions = sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return "+".join(revisions) or None


# -- writing ----------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    return value


def _readable_columns(table: Table):
    # JSON columns are read as their JSON text, so SQL NULL and a JSON null stay apart.
    return [cast(c, Text) if isinstance(c.type, JSON) else c for c in table.columns]


def _snapshot(conn: Connection) -> None:
    """One consistent view of every table for the whole backup."""
    if conn.dialect.name == "sqlite":
        # pysqlite starts no transaction for reads; without one each table is read at a different moment.
        conn.exec_driver_sql("BEGIN")


def write_backup(path: Path) -> Report:
    """Write every table to ``path`` (via a temporary file, so a failure leaves no half backup)."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    tmp = path.with_name(f".{path.name}.partial")
    with engine.connect() as conn:
        revision = schema_revision(conn)
        if revision is None:
            raise BackupError("数据库还没有建表（没有 alembic_version），没有可备份的内容。")
        report = Report(revision)
        _snapshot(conn)
        # Owner-only: a backup holds password hashes and every candidate's answers.
        with open(tmp, "wb", opener=_private) as raw, gzip.open(raw, "wt", encoding="utf-8", newline="\n") as out:
            header = {
                "format": FORMAT,
                "version": VERSION,
                "alembic_revision": revision,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "source_dialect": conn.dialect.name,
                "tables": [t.name for t in tables()],
            }
            _line(out, header)
            for table in tables():
                count = conn.scalar(select(func.count()).select_from(table))
                _line(out, {"table": table.name, "columns": [c.name for c in table.columns], "rows": count})
                order = list(table.primary_key.columns) or list(table.columns)
                written = 0
                for row in conn.execute(select(*_readable_columns(table)).order_by(*order)):
                    _line(out, [_encode(v) for v in row])
                    written += 1
                if written != count:
                    raise BackupError(f"表 {table.name} 在备份过程中发生变化，请重试。")
                report.rows[table.name] = written
            _line(out, {"end": True, "rows": report.total})
        conn.rollback()
    os.replace(tmp, path)
    return report


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


def _line(out, value: Any) -> None:
    out.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    out.write("\n")


# -- reading ----------------------------------------------------------------


def read_header(path: Path) -> dict[str, Any]:
    with _open(path) as lines:
        return _header(next(lines, None), path)


def _open(path: Path):
    try:
        return _Lines(gzip.open(path, "rt", encoding="utf-8"))
    except OSError as exc:
        raise BackupError(f"无法读取备份文件 {path}：{exc}") from exc


class _Lines:
    """Decoded JSON lines of a backup file, with errors turned into BackupError."""

    def __init__(self, handle):
        self.handle = handle
        self.number = 0

    def __enter__(self) -> Iterator[Any]:
        return self._iter()

    def __exit__(self, *exc) -> None:
        self.handle.close()

    def _iter(self) -> Iterator[Any]:
        try:
            for raw in self.handle:
                self.number += 1
                yield json.loads(raw)
        except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise BackupError(f"备份文件第 {self.number + 1} 行无法读取（文件损坏或不完整）：{exc}") from exc


def _header(first: Any, path: Path) -> dict[str, Any]:
    if not isinstance(first, dict) or first.get("format") != FORMAT:
        raise BackupError(f"{path} 不是 fazhi_prep 的备份文件。")
    if first.get("version") != VERSION:
        raise BackupError(
            f"备份文件格式版本为 {first.get('version')}，本程序只能恢复版本 {VERSION}。"
        )
    return first


def _decoder(column):
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, JSON):
        # SQL NULL is null in the file; a stored JSON null is the text "null".
        return lambda v: Null() if v is None else _json_value(json.loads(v))
    if isinstance(kind, DateTime):
        return lambda v: None if v is None else _aware(datetime.fromisoformat(v), kind)
    if isinstance(kind, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(kind, Time):
        return lambda v: None if v is None else time.fromisoformat(v)
    if isinstance(kind, LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v)
    if isinstance(kind, Numeric) and kind.asdecimal:
        return lambda v: None if v is None else Decimal(v)
    return lambda v: v


def _json_value(value: Any) -> Any:
    return JSON.NULL if value is None else value


def _aware(value: datetime, kind: DateTime) -> datetime:
    # A naive value comes from a timezone-less column; keep it naive unless the column wants UTC.
    if value.tzinfo is None and kind.timezone:
        return value.replace(tzinfo=UTC)
    return value


def database_is_empty(conn: Connection) -> bool:
    existing = set(inspect(conn).get_table_names())
    return all(
        conn.scalar(select(func.count()).select_from(t)) == 0 for t in tables() if t.name in existing
    )


def restore_backup(path: Path, *, force: bool) -> Report:
    """Load ``path`` into the database, which must be at the backup's revision and empty (or ``force``)."""
    header = read_header(path)
    known = {t.name: t for t in tables()}
    with db.engine.begin() as conn:
        revision = schema_revision(conn)
        if revision != header["alembic_revision"]:
            raise BackupError(
                f"备份的数据库结构版本是 {header['alembic_revision']}，当前数据库是 {revision or '未建表'}。"
                "请用与备份时相同版本的程序恢复（必要时先 `flask --app app db upgrade` 或检出对应版本），"
                "恢复后再升级到最新版本。"
            )
        unknown = [name for name in header["tables"] if name not in known]
        if unknown:
            raise BackupError(f"备份里有本程序不认识的表：{'、'.join(unknown)}。请用备份时的程序版本恢复。")
        if not database_is_empty(conn):
            if not force:
                raise BackupError("数据库不是空的，恢复会覆盖现有数据。确认要覆盖请加 --force。")
            for table in reversed(tables()):
                conn.execute(table.delete())
        report = Report(header["alembic_revision"])
        _insert_rows(conn, path, known, report)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
    return report


def _insert_rows(conn: Connection, path: Path, known: dict[str, Table], report: Report) -> None:
    table: Table | None = None
    names: list[str] = []
    decoders: list = []
    batch: list[dict[str, Any]] = []
    ended = False

    def flush() -> None:
        if batch:
            conn.execute(table.insert(), batch)
            batch.clear()

    source = _open(path)
    with source as lines:
        next(lines)  # the header, already checked
        for item in lines:
            if isinstance(item, list):
                if table is None or len(item) != len(names):
                    raise BackupError(f"备份文件第 {source.number} 行的数据与表头不符（文件损坏）。")
                batch.append({n: d(v) for n, d, v in zip(names, decoders, item, strict=True)})
                report.rows[table.name] += 1
                if len(batch) >= BATCH:
                    flush()
            elif "table" in item:
                if table is not None:
                    flush()
                table = known[item["table"]]
                names = item["columns"]
                missing = [n for n in names if n not in table.columns]
                if missing:
                    raise BackupError(f"表 {table.name} 在本程序中没有这些列：{'、'.join(missing)}。")
                decoders = [_decoder(table.columns[n]) for n in names]
                report.rows[table.name] = 0
            elif item.get("end"):
                flush()
                ended = item.get("rows") == report.total
                break
    if not ended:
        raise BackupError("备份文件不完整（缺少结尾或行数不符），没有恢复任何数据。")


def _reset_sequences(conn: Connection) -> None:
    """After explicit ids, PostgreSQL's sequences must continue above the largest one."""
    for table in tables():
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto" and column.type.python_type is int and len(table.primary_key.columns) == 1
            ):
                conn.execute(
                    text(
                        "SELECT setval(pg_get_serial_sequence(:table, :column), "
                        f"COALESCE((SELECT MAX({conn.dialect.identifier_preparer.quote(column.name)}) "
                        f"FROM {conn.dialect.identifier_preparer.quote(table.name)}), 0) + 1, false) "
                        "WHERE pg_get_serial_sequence(:table, :column) IS NOT NULL"
                    ),
                    {"table": table.name, "column": column.name},
                )
