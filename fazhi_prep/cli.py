"""Command-line interface: `flask --app app bank|users|score …`."""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from .config import PROJECT_ROOT
from .extensions import db
from .models import Role, User

bank_cli = AppGroup("bank", help="题库：检查、导入、导出。")
users_cli = AppGroup("users", help="账号管理。")

DEMO_ACCOUNTS = (("kaosheng", Role.CANDIDATE), ("jiaoshi", Role.TUTOR), ("admin", Role.ADMIN))


def _bank_paths(root: str | None) -> tuple[Path, Path]:
    """The bank to read: ``root``'s question_bank/ and model_answers/, else the configured bank."""
    if root:
        return Path(root) / "question_bank", Path(root) / "model_answers"
    config = current_app.config
    return (
        Path(config.get("BANK_DIR") or PROJECT_ROOT / "question_bank"),
        Path(config.get("MODEL_ANSWERS_DIR") or PROJECT_ROOT / "model_answers"),
    )


def _read_or_exit(root: str | None):
    from .bank import BankError, read_bank

    bank_dir, answers_dir = _bank_paths(root)
    try:
        return read_bank(bank_dir, answers_dir)
    except BankError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"题库有 {len(exc.problems)} 处问题，未做任何导入。", err=True)
        sys.exit(1)


def upgrade_schema() -> None:
    """Bring the schema to the newest migration (what `flask db upgrade` does)."""
    from flask_migrate import upgrade

    upgrade(directory=current_app.extensions["migrate"].directory)


@bank_cli.command("check")
@click.option("--root", type=click.Path(file_okay=False), help="含 question_bank/ 与 model_answers/ 的目录")
@click.option(
    "--tolerance",
    type=click.FloatRange(0, 1),
    default=None,
    help="评分要点测试集允许的不一致比例（0–1），默认取 RUBRIC_TEST_TOLERANCE（0.1）",
)
def bank_check(root: str | None, tolerance: float | None) -> None:
    """Validate every bank file and run the rubric test sets; list problems as file:line: message."""
    from .rubric_tests import DEFAULT_TOLERANCE, check_bank_test_sets

    bank = _read_or_exit(root)
    if tolerance is None:
        tolerance = float(current_app.config.get("RUBRIC_TEST_TOLERANCE", DEFAULT_TOLERANCE))
    problems, reports = check_bank_test_sets(bank, tolerance)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(f"评分要点测试集未通过（容差 {tolerance:.0%}）。", err=True)
        sys.exit(1)
    answers = sum(len(q.model_answers) for q in bank.files.values())
    samples = sum(len(q.samples) for q in bank.files.values())
    tested = f"，{samples} 篇样例答案（测试集）" if samples else ""
    click.echo(
        f"题库检查通过：{len(bank.files)} 道题，{answers} 篇范文，"
        f"{len(bank.library)} 个纲要要点，{len(bank.genres)} 个文种{tested}。"
    )
    for qid, report in reports.items():
        if report.disagreements:
            click.echo(f"  {qid}：测试集不一致 {report.disagreements}/{report.compared}（在容差内）")
    for warning in bank.warnings:
        click.echo(f"提示：{warning}", err=True)


@bank_cli.command("evaluate")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--root", type=click.Path(file_okay=False), help="含 question_bank/ 与 model_answers/ 的目录")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def bank_evaluate(directory: str, root: str | None, as_json: bool) -> None:
    """Score the labelled texts in DIRECTORY (labels.tsv) and print coverage AUC, bands, areas.

    The rubrics come from the bank files (not the database), so a tutor can
    check an edited bank before loading it. See fazhi_prep/evaluation.py.
    """
    import opencc

    from .evaluation import LabelError, evaluate, read_labels, render

    bank = _read_or_exit(root)
    try:
        texts = read_labels(Path(directory), bank.files, [a.key for a in bank.areas])
    except LabelError as exc:
        raise click.ClickException(str(exc)) from exc
    to_traditional = opencc.OpenCC("s2t").convert
    result = evaluate(texts, bank.questions, bank.library_rubric(), to_traditional)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(render(result))


@bank_cli.command("load")
@click.option("--root", type=click.Path(file_okay=False), help="含 question_bank/ 与 model_answers/ 的目录")
@click.option("--force", "force", multiple=True, metavar="ID", help="以文件版本覆盖该题在浏览器中的修改（解决冲突）")
def bank_load(root: str | None, force: tuple[str, ...]) -> None:
    """Create or upgrade the schema, then upsert the whole bank in one transaction.

    A question edited in the browser since the last sync keeps its browser
    version; one edited in both places is reported as a conflict and left alone.
    """
    from .bank.sync import load_bank

    bank = _read_or_exit(root)
    upgrade_schema()
    try:
        report = load_bank(db.session, bank, force=frozenset(force))
        db.session.commit()
        # score the model answers against each current rubric version now, not on a first result page
        from .catalog import published_questions
        from .model_results import warm

        warm(published_questions())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for line in report.lines():
        click.echo(line)
    click.echo("题库已导入。" if report.changed else "题库无变化。")


@bank_cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False), required=False)
@click.option("--force", "force", multiple=True, metavar="ID", help="以浏览器版本覆盖该题的文件（解决冲突）")
def bank_export(directory: str | None, force: tuple[str, ...]) -> None:
    """Write tutors' browser edits back to the bank files.

    Without DIRECTORY (or with the bank's own directory) this syncs with the
    bank the app loads from: only questions changed in the browser are
    written, and a file edited on disk since the last sync is never
    overwritten. Any other DIRECTORY gets a full copy of the bank.
    """
    from .bank.sync import export_bank

    bank_dir, _ = _bank_paths(None)
    root = Path(directory) if directory else bank_dir.parent
    sync = (root / "question_bank").resolve() == bank_dir.resolve()
    try:
        report = export_bank(db.session, root, sync=sync, force=frozenset(force))
        db.session.commit()  # export records the sync state (Question.synced_hash)
    except Exception:
        db.session.rollback()
        raise
    for line in report.lines():
        click.echo(line)
    if report.blocked:
        sys.exit(1)
    click.echo(f"已导出到 {root}" + ("（与题库同步）" if sync else "（完整副本）"))


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.CANDIDATE.value)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def users_create(username: str, role: str, password: str) -> None:
    """Create an account (or reset its password and role if it exists)."""
    from .auth.forms import USERNAME_RULES
    from .auth.passwords import password_problem

    username = username.strip()
    if not USERNAME_RULES[2].regex.match(username) or not 3 <= len(username) <= 32:
        raise click.BadParameter("用户名应为 3–32 个字符，只能包含中文、字母、数字、_ 和 -", param_hint="USERNAME")
    problem = password_problem(password, username)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    user = db.session.scalar(select(User).where(User.username == username))
    verb = "已更新" if user else "已创建"
    user = user or User(username=username)
    user.role = role
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"{verb}账号 {username}（{user.role_label}）")


@users_cli.command("demo")
def users_demo() -> None:
    """Create the demo accounts with fresh random passwords and print them."""
    click.echo("演示账号（本次启动有效的密码）：")
    for username, role in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(9)
        user = db.session.scalar(select(User).where(User.username == username)) or User(
            username=username
        )
        user.role = role.value
        user.set_password(password)
        db.session.add(user)
        click.echo(f"  {user.role_label:<4} 用户名 {username:<10} 密码 {password}")
    db.session.commit()


@click.command("score")
@click.argument("question_id")
@click.argument("files", nargs=-1, required=True, type=click.File("r", encoding="utf-8"))
@click.option("--json", "as_json", is_flag=True, help="每个文件输出一行 JSON（JSON Lines）")
def score_command(question_id: str, files, as_json: bool) -> None:
    """Score answer FILES ('-' for standard input) against QUESTION_ID's current rubric."""
    from .scoring import render_report, score

    spec, title = _question_to_score(question_id)
    for handle in files:
        result = score(spec, handle.read())
        name = "-" if handle.name == "<stdin>" else handle.name
        if as_json:
            payload = {"file": name, "question": question_id, **result.to_dict()}
            payload["flags"] = [f["name"] for f in payload["flags"]]
            click.echo(json.dumps(payload, ensure_ascii=False))
        else:
            click.echo(f"== {name} · {question_id} {title}")
            click.echo(render_report(result))


def _question_to_score(question_id: str):
    """The question's current rubric from the database, else straight from the bank files.

    Reading the files when the database has not been set up (or lacks the
    question) lets a fresh checkout score answers without `bank load`.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from . import catalog
    from .models import Question

    try:
        question = db.session.scalar(select(Question).where(Question.slug == question_id))
        if question is not None and question.rubric is not None:
            return catalog.question_spec(question), question.title
    except SQLAlchemyError:
        db.session.rollback()
    bank = _read_or_exit(None)
    if question_id not in bank.files:
        raise click.ClickException(f"题目 {question_id} 不存在（题库中有：{'、'.join(sorted(bank.files))}）")
    return bank.questions[question_id], bank.files[question_id].title


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def backup_command(file: Path) -> None:
    """Write the whole database to FILE (gzip'd JSON Lines, format in docs/backup-format.md)."""
    from .backup import BackupError, write_backup

    try:
        report = write_backup(file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"已备份 {len(report.rows)} 张表、{report.total} 行到 {file}"
        f"（数据库结构版本 {report.revision}）。"
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="数据库不是空的也恢复：先删除现有的全部数据")
def restore_command(file: Path, force: bool) -> None:
    """Restore FILE into this database (which must be empty unless --force)."""
    from .backup import BackupError, read_header, restore_backup, schema_revision

    try:
        header = read_header(file)
        with db.engine.connect() as conn:
            fresh = schema_revision(conn) is None
        if fresh:
            upgrade_schema()  # a new, empty database: create the tables first
        report = restore_backup(file, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"已从 {file} 恢复 {len(report.rows)} 张表、{report.total} 行"
        f"（备份于 {header['created_at']}，数据库结构版本 {report.revision}）。"
    )


def register_cli(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(bank_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(score_command)
