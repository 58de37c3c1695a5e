"""`flask --app app backup FILE` / `restore FILE [--force]`: every row of every table survives."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import JSON, Text, cast, create_engine, func, inspect, select, text

from fazhi_prep import create_app
from fazhi_prep.backup import FORMAT, VERSION
from fazhi_prep.extensions import db
from fazhi_prep.models import Attempt, CalibrationMark, Rescore, Role, SampleAnswer, Setting, User
from fazhi_prep.practice import drafts, results, self_scoring, submitting
from fazhi_prep.tutor import review
from tests.conftest import make_user
from tests.ops_support import is_postgres, scratch_database
from tests.practice_support import NOTICE, question
from tests.test_bank_load import cli, load

# Tables the fixture below must fill, so the round trip proves something for each.
FILLED = {
    "users", "library_areas", "library_points", "genres", "format_elements", "questions",
    "rubrics", "rubric_points", "rubric_format_elements", "model_answers", "drafts",
    "attempts", "rescores", "sample_answers", "calibration_marks", "settings",
}


@pytest.fixture
def populated(app, mini_root):
    """A small but complete centre: bank, accounts, a draft, attempts with override, rescore, marks."""
    load(app, mini_root)
    candidate = make_user("kaosheng1")
    other = make_user("kaosheng2")
    tutor = make_user("jiaoshi1", Role.TUTOR)
    q = question()
    drafts.start_draft(candidate.id, q, exam_mode=False)
    first = submitting.submit_answer(candidate.id, q, NOTICE, max_answer=20_000)
    drafts.start_draft(candidate.id, q, exam_mode=True)
    second = submitting.submit_answer(candidate.id, q, NOTICE + "\n补充一句。", max_answer=20_000)
    db.session.flush()
    review.set_override(first, 88.5, "格式规范，内容完整。", tutor)
    self_scoring.save_self_marks(second, {p.key: ("covered", "我觉得写到了") for p in results.point_rows(second)})
    db.session.add(Rescore(attempt=second, rubric_id=second.rubric_id, score=50.0, result={"score": 50.0},
                           created_by_id=tutor.id))
    sample = SampleAnswer(question_id=q.id, title="样例一", body=NOTICE, expected={"p1": "covered"},
                          author_id=tutor.id)
    db.session.add(sample)
    db.session.flush()
    db.session.add(CalibrationMark(user_id=other.id, sample_answer_id=sample.id, marks={"p1": "partly"}))
    drafts.start_draft(other.id, q, exam_mode=False)
    drafts.save_draft(other.id, q, "写到一半的草稿：坚持依法行政。", max_answer=20_000)
    if db.session.get(Setting, "ops_test") is None:
        db.session.add(Setting(key="ops_test", value={"nested": [1, 2.5, "三"]}))
    db.session.commit()
    # A JSON column holding SQL NULL next to one holding a JSON document: both must come back as they were.
    assert db.session.scalar(select(func.count()).where(Attempt.self_marks.is_(None))) == 1
    return app


def rows_of(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, JSON columns as (is SQL NULL, parsed document)."""
    engine = create_engine(url)
    out = {}
    with engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            columns = [cast(c, Text) if isinstance(c.type, JSON) else c for c in table.columns]
            json_at = [isinstance(c.type, JSON) for c in table.columns]
            rows = conn.execute(select(*columns).order_by(*table.primary_key.columns)).all()
            out[table.name] = [
                tuple((v is None, None if v is None else json.loads(v)) if j else v for v, j in zip(row, json_at, strict=True))
                for row in rows
            ]
    engine.dispose()
    return out


def other_app(url: str):
    return create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": url})


def run_cli(app, *args):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        db.session.remove()
        db.engine.dispose()
    return result


def test_round_trip_restores_every_row_of_every_table(populated, database_url, tmp_path):
    backup = tmp_path / "centre.jsonl.gz"
    result = cli(populated, "backup", str(backup))
    assert result.exit_code == 0, result.output
    assert f"到 {backup}" in result.output
    source = rows_of(database_url)
    assert {name for name, rows in source.items() if rows} >= FILLED

    with scratch_database(database_url, tmp_path, "restored") as target_url:
        result = run_cli(other_app(target_url), "restore", str(backup))
        assert result.exit_code == 0, result.output
        assert f"{sum(len(r) for r in source.values())} 行" in result.output
        assert rows_of(target_url) == source


def test_backup_file_is_gzip_json_lines_with_a_versioned_header(populated, tmp_path):
    backup = tmp_path / "b.gz"
    assert cli(populated, "backup", str(backup)).exit_code == 0
    with gzip.open(backup, "rt", encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle]
    header, end = lines[0], lines[-1]
    assert header["format"] == FORMAT and header["version"] == VERSION
    (revision,) = db.session.scalars(text("SELECT version_num FROM alembic_version")).all()
    assert header["alembic_revision"] == revision
    assert header["tables"] == [t.name for t in db.metadata.sorted_tables]
    table_lines = [line for line in lines if isinstance(line, dict) and "table" in line]
    assert [t["table"] for t in table_lines] == header["tables"]
    users = next(t for t in table_lines if t["table"] == "users")
    assert users["rows"] == 3 and users["columns"][:2] == ["id", "username"]
    assert end == {"end": True, "rows": sum(t["rows"] for t in table_lines)}
    assert not list(tmp_path.glob(".*partial"))
    assert backup.stat().st_mode & 0o077 == 0  # password hashes and answers: owner only


def test_restore_refuses_a_non_empty_database_unless_forced(populated, database_url, tmp_path):
    backup = tmp_path / "b.gz"
    assert cli(populated, "backup", str(backup)).exit_code == 0
    before = rows_of(database_url)
    make_user("added-after-backup")

    refused = cli(populated, "restore", str(backup))
    assert refused.exit_code == 1
    assert "数据库不是空的" in refused.output and "--force" in refused.output
    assert db.session.scalar(select(func.count()).select_from(db.metadata.tables["users"])) == 4

    forced = cli(populated, "restore", str(backup), "--force")
    assert forced.exit_code == 0, forced.output
    db.session.expire_all()
    assert rows_of(database_url) == before


def test_restore_refuses_a_backup_from_another_schema_revision(populated, tmp_path):
    backup = tmp_path / "b.gz"
    assert cli(populated, "backup", str(backup)).exit_code == 0
    with gzip.open(backup, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    header = json.loads(lines[0])
    header["alembic_revision"] = "0000_older"
    older = tmp_path / "older.gz"
    with gzip.open(older, "wt", encoding="utf-8") as handle:
        handle.write("\n".join([json.dumps(header), *lines[1:]]) + "\n")
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()

    result = cli(populated, "restore", str(older))
    assert result.exit_code == 1
    assert "备份的数据库结构版本是 0000_older" in result.output
    assert db.session.scalar(select(func.count()).select_from(db.metadata.tables["users"])) == 0


def test_restore_refuses_a_truncated_file_and_changes_nothing(populated, database_url, tmp_path):
    backup = tmp_path / "b.gz"
    assert cli(populated, "backup", str(backup)).exit_code == 0
    with gzip.open(backup, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    cut = tmp_path / "cut.gz"
    with gzip.open(cut, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines[: len(lines) // 2]) + "\n")
    with scratch_database(database_url, tmp_path, "cut") as target_url:
        target = other_app(target_url)
        result = run_cli(target, "restore", str(cut))
        assert result.exit_code == 1
        assert "备份文件不完整" in result.output
        assert all(not rows for rows in rows_of(target_url).values())


def test_restore_refuses_a_file_that_is_not_a_backup(app, tmp_path):
    stray = tmp_path / "notes.gz"
    with gzip.open(stray, "wt", encoding="utf-8") as handle:
        handle.write('{"hello": "world"}\n')
    result = cli(app, "restore", str(stray))
    assert result.exit_code == 1
    assert "不是 fazhi_prep 的备份文件" in result.output


def test_new_rows_after_a_restore_get_fresh_ids(populated, database_url, tmp_path):
    # On PostgreSQL this needs the sequences moved past the restored ids.
    backup = tmp_path / "b.gz"
    assert cli(populated, "backup", str(backup)).exit_code == 0
    with scratch_database(database_url, tmp_path, "seq") as target_url:
        target = other_app(target_url)
        assert run_cli(target, "restore", str(backup)).exit_code == 0
        with target.app_context():
            restored_max = db.session.scalar(select(func.max(User.id)))
            user = make_user("after-restore")
            assert user.id == restored_max + 1
            db.session.remove()
            db.engine.dispose()


def test_sqlite_backup_restores_into_postgres(populated, database_url, tmp_path):
    """The path from a laptop trial to a real server (runs when the suite runs on PostgreSQL)."""
    if not is_postgres(database_url):
        pytest.skip("needs PostgreSQL: run the suite with DATABASE_URL=postgresql+psycopg://…")
    # The populated PostgreSQL data goes to a SQLite file first (that is the laptop) …
    first = tmp_path / "pg.gz"
    assert cli(populated, "backup", str(first)).exit_code == 0
    laptop_url = f"sqlite:///{tmp_path / 'laptop.sqlite3'}"
    assert run_cli(other_app(laptop_url), "restore", str(first)).exit_code == 0
    laptop_rows = rows_of(laptop_url)
    # … whose backup then restores into a new PostgreSQL database with every row intact.
    from_laptop = tmp_path / "laptop.gz"
    result = run_cli(other_app(laptop_url), "backup", str(from_laptop))
    assert result.exit_code == 0, result.output
    with gzip.open(from_laptop, "rt", encoding="utf-8") as handle:
        assert json.loads(handle.readline())["source_dialect"] == "sqlite"
    with scratch_database(database_url, tmp_path, "server") as server_url:
        result = run_cli(other_app(server_url), "restore", str(from_laptop))
        assert result.exit_code == 0, result.output
        assert rows_of(server_url) == laptop_rows == rows_of(database_url)
        engine = create_engine(server_url)
        assert engine.dialect.name == "postgresql" and "attempts" in inspect(engine).get_table_names()
        engine.dispose()


def test_backup_of_a_database_never_migrated_says_so(tmp_path):
    app = other_app(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    result = run_cli(app, "backup", str(tmp_path / "x.gz"))
    assert result.exit_code == 1
    assert "还没有建表" in result.output
    assert not (tmp_path / "x.gz").exists()


def test_created_at_in_header_is_utc(populated, tmp_path):
    backup = tmp_path / "b.gz"
    assert cli(populated, "backup", str(backup)).exit_code == 0
    with gzip.open(backup, "rt", encoding="utf-8") as handle:
        created = datetime.fromisoformat(json.loads(handle.readline())["created_at"])
    assert created.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - created).total_seconds()) < 120
