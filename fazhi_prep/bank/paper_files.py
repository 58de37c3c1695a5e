"""Read and check 模拟考试 papers: ``question_bank/papers/<id>.yaml``.

A paper names published questions of the bank in order, each with its
suggested minutes and 分值; its own minutes are the whole sitting (reading
the materials included), so the questions' minutes may not add up to more.
Every problem carries its file and line, as for questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .yamlines import LineDict, LineList

PAPER_MINUTES = (30, 300)
POINTS_TOTAL = 100


@dataclass
class PaperQuestionFile:
    question: str
    minutes: int
    points: float


@dataclass
class PaperFile:
    path: str
    id: str
    title: str
    minutes: int
    instructions: str = ""
    published: bool = True
    questions: list[PaperQuestionFile] = field(default_factory=list)


def _int_in(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def read_papers(reader: Any, bank: Any) -> None:
    """Read every paper under ``<bank>/papers/`` into ``bank.papers`` (problems to ``reader``)."""
    from .reader import QUESTION_ID

    for path in sorted((reader.root / "papers").glob("*.yaml")):
        data = reader.read_yaml(path)
        if data is None:
            continue
        if not isinstance(data, LineDict):
            reader.problem(path, 1, "试卷文件应是“字段: 值”的形式")
            continue
        paper = _read_paper(reader, path, data, bank, QUESTION_ID)
        if paper is None:
            continue
        if paper.id in bank.papers:
            reader.problem(path, data.line_of("id"), f"试卷编号 {paper.id} 重复（{bank.papers[paper.id].path} 已使用）")
            continue
        bank.papers[paper.id] = paper


def _read_paper(reader: Any, path: Path, data: LineDict, bank: Any, id_pattern) -> PaperFile | None:
    before = len(reader.problems)
    pid = reader.require(data, "id", path)
    title = reader.require(data, "title", path)
    if pid and not id_pattern.match(pid):
        reader.problem(path, data.line_of("id"), "试卷编号只能用小写字母、数字和 -")
    elif pid and path.stem != pid:
        reader.problem(path, data.line_of("id"), f"文件名应与试卷编号一致：{pid}.yaml")
    minutes = data.get("minutes")
    if not _int_in(minutes, *PAPER_MINUTES):
        reader.problem(path, data.line_of("minutes"), f"minutes（整场考试分钟数）应是 {PAPER_MINUTES[0]}–{PAPER_MINUTES[1]} 之间的整数")
    instructions = data.get("instructions") or ""
    if not isinstance(instructions, str):
        reader.problem(path, data.line_of("instructions"), "instructions 应是一段文字")
        instructions = ""
    published = data.get("published", True)
    if not isinstance(published, bool):
        reader.problem(path, data.line_of("published"), "published 只能是 true 或 false")
    questions = _read_questions(reader, path, data, bank)
    if len(reader.problems) > before:
        return None
    used = sum(q.minutes for q in questions)
    if used > minutes:
        reader.problem(path, data.line_of("questions"), f"各题建议用时合计 {used} 分钟，超过整场考试的 {minutes} 分钟")
    points = sum(q.points for q in questions)
    if abs(points - POINTS_TOTAL) > 0.01:
        reader.problem(path, data.line_of("questions"), f"各题分值合计应为 {POINTS_TOTAL}，现为 {points:g}")
    if len(reader.problems) > before:
        return None
    return PaperFile(reader.rel(path), pid, title, minutes, instructions.strip(), published, questions)


def _read_questions(reader: Any, path: Path, data: LineDict, bank: Any) -> list[PaperQuestionFile]:
    items = data.get("questions")
    if not isinstance(items, LineList) or not items:
        reader.problem(path, data.line_of("questions"), "questions 应列出至少一道题（question、minutes、points）")
        return []
    out: list[PaperQuestionFile] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        line = items.line_of(i)
        if not isinstance(item, LineDict):
            reader.problem(path, line, "每道题应写 question、minutes、points 三项")
            continue
        qid = str(item.get("question") or "").strip()
        q = bank.files.get(qid)
        if not qid:
            reader.problem(path, line, "缺少字段 question（题目编号）")
        elif q is None:
            reader.problem(path, item.line_of("question"), f"题目 {qid} 不存在")
        elif not q.published:
            reader.problem(path, item.line_of("question"), f"题目 {qid} 未发布，不能放进试卷")
        elif qid in seen:
            reader.problem(path, item.line_of("question"), f"题目 {qid} 在试卷中重复")
        seen.add(qid)
        minutes, points = item.get("minutes"), item.get("points")
        if not _int_in(minutes, 1, 240):
            reader.problem(path, item.line_of("minutes"), "minutes（建议用时）应是 1–240 之间的整数")
        if isinstance(points, bool) or not isinstance(points, int | float) or not 0 < points <= 100:
            reader.problem(path, item.line_of("points"), "points（分值）应是 0–100 之间的数")
        if q is not None and _int_in(minutes, 1, 240) and isinstance(points, int | float):
            out.append(PaperQuestionFile(qid, minutes, float(points)))
    return out
