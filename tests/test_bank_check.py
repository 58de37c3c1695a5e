"""`bank check`: every kind of bad file is named with its file and line."""

from __future__ import annotations

import re

import pytest

from fazhi_prep.bank import BankError, read_bank


def run_check(app, root):
    return app.test_cli_runner().invoke(args=["bank", "check", "--root", str(root)])


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path, needle):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def test_mini_bank_passes(app, mini_root):
    result = run_check(app, mini_root)
    assert result.exit_code == 0, result.output
    assert "1 道题，1 篇范文" in result.output


QUESTION = "question_bank/questions/t-01.md"
LIBRARY = "question_bank/gangyao.yaml"
ANSWER = "model_answers/t-01.md"


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (QUESTION, "ref: baozhang.lingdao", "ref: baozhang.nonexistent", "未知的纲要要点 baozhang.nonexistent"),
        (LIBRARY, "- 柔性执法 | 说服教育 | 劝导示范", "- ' | '", "词组为空"),
        (QUESTION, "会议通知（300字）", "会议通知", "找不到字数要求"),
        (QUESTION, "minutes: 15", "limit: 300-200\nminutes: 15", "字数要求 300-200 不对"),
        (QUESTION, "genre: notice", "genre: poem", "未知的文种 poem"),
        (QUESTION, "[title, addressee, date]", "[title, addressee, signature]", "没有格式要素 signature"),
        (QUESTION, "content: 50,", "content: 60,", "parts 之和应为 100"),
        (QUESTION, "weight: 2", "weight: -1", "weight 应是大于 0 的数"),
        (QUESTION, "areas: [zhifa, baozhang]", "areas: [zhifa, wenhua]", "未知的纲要领域 wenhua"),
        (QUESTION, "title: 测试会议通知", "title: 测试: 会议通知", "YAML 格式错误"),
        (ANSWER, "question: t-01", "question: t-99", "文件名应为 t-99.md"),
    ],
)
def test_bad_file_is_named_with_line(app, mini_root, file, old, new, message):
    path = mini_root / file
    edit(path, old, new)
    expected_line = line_of(path, new.splitlines()[0]) if new.strip() else None
    result = run_check(app, mini_root)
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if message in line]
    assert problems, result.output
    match = re.match(rf"^{re.escape(file)}:(\d+): ", problems[0])
    assert match, problems[0]
    if expected_line and "找不到字数要求" not in message:
        assert int(match.group(1)) == expected_line
    assert "未做任何导入" in result.output


def test_missing_limit_points_at_prompt_line(app, mini_root):
    path = mini_root / QUESTION
    edit(path, "会议通知（300字）", "会议通知")
    result = run_check(app, mini_root)
    assert f"{QUESTION}:{line_of(path, 'prompt:')}: 题干中找不到字数要求" in result.output


def test_duplicate_id_names_both_files(app, mini_root):
    source = mini_root / QUESTION
    (mini_root / "question_bank/questions/t-02.md").write_text(
        source.read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = run_check(app, mini_root)
    assert result.exit_code == 1
    assert "question_bank/questions/t-02.md:2: 题目编号 t-01 重复（question_bank/questions/t-01.md 已使用）" in result.output


def test_model_answer_over_limit(app, mini_root):
    edit(mini_root / QUESTION, "会议通知（300字）", "会议通知（50字）")
    result = run_check(app, mini_root)
    assert result.exit_code == 1
    assert re.search(rf"{ANSWER}:1: 范文 \d+ 字，超过题目字数上限 50 字", result.output)


def test_model_answer_that_misses_the_rubric(app, mini_root):
    edit(mini_root / ANSWER, "坚持党的领导，研究全面落实执法公示、全过程记录和法制审核制度。", "研究有关事项。")
    result = run_check(app, mini_root)
    assert result.exit_code == 1
    assert re.search(rf"{ANSWER}:1: 范文只覆盖了 \d+% 的内容要点权重", result.output)


def test_all_problems_reported_at_once(mini_root):
    edit(mini_root / QUESTION, "ref: baozhang.lingdao", "ref: nope.nope")
    edit(mini_root / LIBRARY, "- 党的领导 | 党的全面领导", "- '|'")
    with pytest.raises(BankError) as info:
        read_bank(mini_root / "question_bank", mini_root / "model_answers")
    messages = [p.message for p in info.value.problems]
    assert any("未知的纲要要点 nope.nope" in m for m in messages)
    assert any("词组为空" in m for m in messages)


def test_shipped_bank_passes(app, shipped_root):
    result = run_check(app, shipped_root)
    assert result.exit_code == 0, result.output
    assert "7 道题" in result.output


def test_shipped_bank_answers_within_limit_and_covering(shipped_root):
    from fazhi_prep.scoring import char_count, score

    bank = read_bank(shipped_root / "question_bank", shipped_root / "model_answers")
    assert sorted(bank.files) == [f"bc-0{i}" for i in range(1, 8)]
    assert (bank.files["bc-06"].limit_min, bank.files["bc-06"].limit_max) == (1000, 1200)
    for qid, question in bank.questions.items():
        answers = bank.files[qid].model_answers
        assert answers, qid
        for answer in answers:
            assert char_count(answer.body) <= question.limit_max, qid
        assert score(question, answers[0].body).to_dict()["coverage"] >= 0.85, qid
