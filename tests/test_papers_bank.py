"""Papers as bank files: check, load, export, and the file ↔ browser conflict rules."""

from __future__ import annotations

import pytest

from fazhi_prep.bank import BankError, read_bank
from fazhi_prep.bank.sync import ABSENT
from tests.paper_support import PAPER, add_paper_bank, paper
from tests.test_bank_load import cli, load

PAPERS = "question_bank/papers/tp-01.yaml"


@pytest.fixture
def root(mini_root):
    return add_paper_bank(mini_root)


@pytest.fixture
def synced(app, root):
    """The app's own bank is the test bank, so load/export without paths sync with it."""
    app.config["BANK_DIR"] = str(root / "question_bank")
    app.config["MODEL_ANSWERS_DIR"] = str(root / "model_answers")
    result = cli(app, "bank", "load")
    assert result.exit_code == 0, result.output
    return root


def problems_of(root) -> list[str]:
    try:
        read_bank(root / "question_bank", root / "model_answers")
    except BankError as exc:
        return [str(p) for p in exc.problems]
    return []


def test_shipped_papers_read_and_split_150_to_180_minutes(shipped_root):
    bank = read_bank(shipped_root / "question_bank", shipped_root / "model_answers")
    assert len(bank.papers) >= 2
    for p in bank.papers.values():
        assert 150 <= p.minutes <= 180
        assert sum(q.points for q in p.questions) == 100
        assert sum(q.minutes for q in p.questions) < p.minutes  # time left to read the materials
        assert len(p.questions) >= 3
    used = {q.question for p in bank.papers.values() for q in p.questions}
    assert used == set(bank.files)  # together the papers use all seven prompts


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("question: t-02", "question: t-99", "tp-01.yaml:10: 题目 t-99 不存在"),
        ("question: t-02", "question: t-01", "tp-01.yaml:10: 题目 t-01 在试卷中重复"),
        ("points: 60", "points: 50", "tp-01.yaml:6: 各题分值合计应为 100，现为 90"),
        ("minutes: 20", "minutes: 30", "tp-01.yaml:6: 各题建议用时合计 45 分钟，超过整场考试的 40 分钟"),
        ("minutes: 40", "minutes: 400", "tp-01.yaml:3: minutes（整场考试分钟数）应是 30–300 之间的整数"),
        ("id: tp-01", "id: tp-02", "tp-01.yaml:1: 文件名应与试卷编号一致：tp-02.yaml"),
        ("  points: 40", "  points: 四十", "tp-01.yaml:9: points（分值）应是 0–100 之间的数"),
    ],
)
def test_check_names_file_and_line_of_every_paper_problem(root, old, new, message):
    path = root / PAPERS
    path.write_text(PAPER.replace(old, new, 1), "utf-8")
    found = problems_of(root)
    assert any(p.endswith(message) for p in found), found


def test_an_unpublished_question_cannot_be_in_a_paper(root):
    q = root / "question_bank/questions/t-02.md"
    q.write_text(q.read_text("utf-8").replace("minutes: 15", "minutes: 15\npublished: false"), "utf-8")
    assert any("题目 t-02 未发布，不能放进试卷" in p for p in problems_of(root))


def test_load_creates_papers_and_a_second_load_changes_nothing(app, root):
    first = load(app, root)
    assert "试卷：新增 1，更新 0，未变 0" in first.output
    p = paper()
    assert (p.title, p.minutes, p.instructions, p.published) == ("测试试卷", 40, "先读材料。", True)
    assert [(q.question.slug, q.minutes, q.points, q.position) for q in p.questions] == [
        ("t-01", 15, 40.0, 1), ("t-02", 20, 60.0, 2)
    ]
    again = load(app, root)
    assert "试卷：新增 0，更新 0，未变 1" in again.output and "题库无变化" in again.output


def test_export_writes_the_same_bytes_it_read(app, root, tmp_path):
    load(app, root)
    out = tmp_path / "copy"
    result = cli(app, "bank", "export", str(out))
    assert result.exit_code == 0, result.output
    assert (out / PAPERS).read_text("utf-8") == PAPER


def test_file_edit_is_loaded(app, synced):
    (synced / PAPERS).write_text(PAPER.replace("title: 测试试卷", "title: 文件改的试卷"), "utf-8")
    result = cli(app, "bank", "load")
    assert "试卷：新增 0，更新 1" in result.output
    assert paper().title == "文件改的试卷"


def browser_edit(title="浏览器改的试卷"):
    from fazhi_prep.bank.paper_sync import apply_paper
    from fazhi_prep.extensions import db

    p = paper()
    apply_paper(p, title, p.minutes, p.instructions, p.published, [(q.question, q.minutes, q.points) for q in p.questions])
    p.revision += 1
    db.session.commit()


def test_browser_edit_survives_a_load_and_export_writes_it(app, synced):
    browser_edit()
    result = cli(app, "bank", "load")
    assert "浏览器中修改的试卷尚未导出" in result.output and "tp-01" in result.output
    assert paper().title == "浏览器改的试卷"
    exported = cli(app, "bank", "export")
    assert exported.exit_code == 0, exported.output
    assert "title: 浏览器改的试卷" in (synced / PAPERS).read_text("utf-8")
    assert "题库无变化" in cli(app, "bank", "load").output


def test_a_paper_changed_on_both_sides_is_a_conflict_until_forced(app, synced):
    browser_edit()
    (synced / PAPERS).write_text(PAPER.replace("title: 测试试卷", "title: 文件改的试卷"), "utf-8")
    loaded = cli(app, "bank", "load")
    assert "冲突：试卷 tp-01" in loaded.output
    assert paper().title == "浏览器改的试卷"
    exported = cli(app, "bank", "export")
    assert "冲突：试卷 tp-01" in exported.output
    assert "title: 文件改的试卷" in (synced / PAPERS).read_text("utf-8")
    forced = cli(app, "bank", "load", "--force", "tp-01")
    assert forced.exit_code == 0
    assert paper().title == "文件改的试卷"


def test_a_paper_created_in_the_browser_is_new_until_exported(app, synced):
    from fazhi_prep.bank.paper_sync import apply_paper, sync_status
    from fazhi_prep.extensions import db
    from fazhi_prep.models import Paper

    p = Paper(slug="tp-02", revision=1, synced_hash=ABSENT)
    apply_paper(p, "新试卷", 60, "", True, [(q.question, q.minutes, q.points) for q in paper().questions])
    db.session.add(p)
    db.session.commit()
    assert sync_status(p) == "new"
    cli(app, "bank", "export")
    assert (synced / "question_bank/papers/tp-02.yaml").exists()
    assert sync_status(paper("tp-02")) == "synced"
