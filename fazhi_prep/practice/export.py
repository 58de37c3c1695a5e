"""CSV export of a candidate's attempts."""

from __future__ import annotations

import csv
import io
from typing import Any

from ..models import Attempt

CSV_HEADER = [
    "提交时间", "题号", "题目", "得分", "系统评分", "字数", "字数要求", "用时（秒）", "建议用时（分钟）", "模式", "要点覆盖率",
    "模拟考试", "试卷总分", "教师评语",
]


def _csv_cell(value: Any) -> Any:
    # Spreadsheet apps run cells starting with these as formulas (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def attempts_csv(attempts: list[Attempt], tz, papers: dict[int, tuple[str, float]] | None = None) -> str:
    """The user's attempts as CSV (UTF-8 with BOM, so spreadsheet apps read the Chinese).

    ``papers``: for attempts written in a 模拟考试, attempt id → (the paper and
    its hand-in time, the paper's total), so paper totals come out beside them.
    """
    papers = papers or {}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for a in attempts:
        writer.writerow(
            [
                _csv_cell(v)
                for v in (
                    a.submitted_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
                    a.question.slug,
                    a.question.title,
                    f"{a.final_score:g}",
                    f"{a.score:g}",
                    a.char_count,
                    a.question.limit_label,
                    a.seconds_used,
                    a.question.minutes,
                    "考试" if a.exam_mode else "练习",
                    f"{a.result.get('counted_coverage', a.result.get('coverage', 0)):.0%}",
                    papers[a.id][0] if a.id in papers else "",
                    f"{papers[a.id][1]:g}" if a.id in papers else "",
                    a.override_comment or "",
                )
            ]
        )
    return "\ufeff" + buffer.getvalue()
