"""`bank load` / `bank export`: atomic, idempotent, versioned, round-trips."""

from __future__ import annotations

import filecmp

from sqlalchemy import func, select

from fazhi_prep.extensions import db
from fazhi_prep.models import Attempt, LibraryPoint, ModelAnswer, Question, Rubric, User
from tests.test_bank_check import ANSWER, QUESTION, edit


def cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def load(app, root):
    result = cli(app, "bank", "load", "--root", str(root))
    assert result.exit_code == 0, result.output
    return result


def snapshot():
    """Everything a load may touch, as plain values."""
    db.session.expire_all()
    questions = {
        q.slug: (q.title, q.prompt, q.limit_max, q.revision, [r.version for r in q.rubrics])
        for q in db.session.scalars(select(Question))
    }
    answers = sorted((a.question.slug, a.variant, a.body) for a in db.session.scalars(select(ModelAnswer)))
    points = sorted((p.key, str(p.groups)) for p in db.session.scalars(select(LibraryPoint)))
    return questions, answers, points


def test_load_creates_everything(app, mini_root):
    result = load(app, mini_root)
    assert "题目：新增 1" in result.output
    question = db.session.scalar(select(Question).where(Question.slug == "t-01"))
    assert question.limit_max == 300 and question.limit_min is None
    assert question.minutes == 15
    assert question.genre.label == "会议通知"
    assert [p.key for p in question.rubric.points] == ["zhifa.sanxiang", "baozhang.lingdao", "t-01.yiti"]
    sanxiang = question.rubric.points[0]
    assert sanxiang.ref == "zhifa.sanxiang" and sanxiang.need == 2 and len(sanxiang.groups) == 3
    assert [f.key for f in question.rubric.format_elements] == ["title", "addressee", "date"]
    assert question.primary_answer.title == "高分范文"


def test_load_twice_changes_nothing(app, mini_root):
    load(app, mini_root)
    before = snapshot()
    result = load(app, mini_root)
    assert "题库无变化" in result.output
    assert snapshot() == before


def test_bad_file_leaves_database_unchanged(app, mini_root):
    load(app, mini_root)
    before = snapshot()
    # One good change and one bad file: neither may be written.
    edit(mini_root / QUESTION, "title: 测试会议通知", "title: 改过的标题")
    edit(mini_root / "question_bank/gangyao.yaml", "- 党的领导 | 党的全面领导", "- '|'")
    result = cli(app, "bank", "load", "--root", str(mini_root))
    assert result.exit_code == 1
    assert "词组为空" in result.output
    assert snapshot() == before


def test_failure_during_write_rolls_back(app, mini_root, monkeypatch):
    load(app, mini_root)
    before = snapshot()
    edit(mini_root / QUESTION, "title: 测试会议通知", "title: 改过的标题")
    import fazhi_prep.bank.sync as sync

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(sync, "_sync_answers", explode)
    result = cli(app, "bank", "load", "--root", str(mini_root))
    assert result.exit_code != 0
    assert snapshot() == before


def test_changed_rubric_becomes_new_version(app, mini_root):
    load(app, mini_root)
    question = db.session.scalar(select(Question).where(Question.slug == "t-01"))
    v1 = question.rubric
    user = User(username="u1", role="candidate", password_hash="x")
    db.session.add(user)
    db.session.flush()
    from datetime import UTC, datetime

    attempt = Attempt(
        user_id=user.id, question_id=question.id, rubric_id=v1.id, answer="答案",
        started_at=datetime.now(UTC), char_count=2, score=10, result={"score": 10},
    )
    db.session.add(attempt)
    db.session.commit()

    edit(mini_root / QUESTION, "weight: 2", "weight: 5")
    result = load(app, mini_root)
    assert "评分要点新版本：t-01 v2" in result.output
    db.session.expire_all()
    question = db.session.scalar(select(Question).where(Question.slug == "t-01"))
    assert [r.version for r in question.rubrics] == [1, 2]
    assert question.rubric.points[0].weight == 5
    old = db.session.get(Rubric, v1.id)
    assert old.points[0].weight == 2  # the old version is kept as it was
    assert db.session.get(Attempt, attempt.id).rubric_id == v1.id


def test_library_change_versions_questions_that_use_it(app, mini_root):
    load(app, mini_root)
    edit(mini_root / "question_bank/gangyao.yaml", "- 党的领导 | 党的全面领导", "- 党的领导 | 党的全面领导 | 党委领导")
    result = load(app, mini_root)
    assert "t-01 v2" in result.output


def test_export_load_export_is_byte_identical(app, mini_root, tmp_path):
    load(app, mini_root)
    first, second = tmp_path / "first", tmp_path / "second"
    assert cli(app, "bank", "export", str(first)).exit_code == 0
    result = load(app, first)
    assert "题库无变化" in result.output  # exporting loses nothing the database knows
    assert cli(app, "bank", "export", str(second)).exit_code == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert len(files) == 5  # 3 bank files, 1 question, 1 model answer
    match, mismatch, errors = filecmp.cmpfiles(first, second, [str(f) for f in files], shallow=False)
    assert mismatch == [] and errors == []


def test_exported_bank_passes_check(app, mini_root, tmp_path):
    load(app, mini_root)
    cli(app, "bank", "export", str(tmp_path / "out"))
    result = cli(app, "bank", "check", "--root", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output


def test_removed_model_answer_file_is_removed(app, mini_root):
    load(app, mini_root)
    (mini_root / ANSWER).rename(mini_root / "model_answers/t-01-outline.md")
    result = load(app, mini_root)
    assert "删除 1" in result.output
    assert db.session.scalar(select(func.count()).select_from(ModelAnswer)) == 1
    assert db.session.scalar(select(ModelAnswer.variant)) == "outline"


def test_shipped_bank_round_trip(app, shipped_root, tmp_path):
    load(app, shipped_root)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 7
    first, second = tmp_path / "a", tmp_path / "b"
    cli(app, "bank", "export", str(first))
    assert "题库无变化" in load(app, first).output
    cli(app, "bank", "export", str(second))
    files = [str(p.relative_to(first)) for p in first.rglob("*") if p.is_file()]
    _, mismatch, errors = filecmp.cmpfiles(first, second, files, shallow=False)
    assert mismatch == [] and errors == []
