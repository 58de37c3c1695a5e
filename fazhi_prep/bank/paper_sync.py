"""Move 模拟考试 papers between ``question_bank/papers/`` and the database.

The same three-way rule as questions (see ``sync``): ``Paper.synced_hash`` is
the paper's state at the last load or export; a side that changed since wins,
both sides changed is a conflict left alone until ``--force <id>`` picks one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi_prep import models as m

from .paper_files import PaperFile
from .yamlines import dump_yaml


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def file_state(p: PaperFile) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": p.title,
        "minutes": p.minutes,
        "instructions": p.instructions.strip(),
        "published": p.published,
        "questions": [
            {"question": q.question, "minutes": q.minutes, "points": _number(q.points)} for q in p.questions
        ],
    }


def db_state(row: m.Paper) -> dict[str, Any]:
    return {
        "id": row.slug,
        "title": row.title,
        "minutes": row.minutes,
        "instructions": (row.instructions or "").strip(),
        "published": bool(row.published),
        "questions": [
            {"question": q.question.slug, "minutes": q.minutes, "points": _number(q.points)} for q in row.questions
        ],
    }


def sync_status(row: m.Paper) -> str:
    """For the tutor pages: "synced", "browser" (edits not exported) or "new" (no file yet)."""
    from .sync import ABSENT, state_hash

    if row.synced_hash == ABSENT:
        return "new"
    if row.synced_hash is None:
        return "synced"
    return "synced" if state_hash(db_state(row)) == row.synced_hash else "browser"


def load_papers(session: Session, papers: dict[str, PaperFile], report: Any, force) -> None:
    """Upsert the bank's papers after its questions (which they name)."""
    from .sync import decide, state_hash

    slugs = {q.slug: q for q in session.scalars(select(m.Question))}
    for position, p in enumerate(papers.values()):
        row = session.scalar(select(m.Paper).where(m.Paper.slug == p.id))
        file_hash = state_hash(file_state(p))
        if row is not None and p.id not in force:
            side = decide(row.synced_hash, file_hash, state_hash(db_state(row)))
            if side == "conflict":
                report.paper_conflicts.append(p.id)
                continue
            if side == "db":
                report.papers_kept.append(p.id)
                continue
            if side == "same":
                row.synced_hash = file_hash
                report.counts["papers unchanged"] += 1
                continue
        created = row is None
        if created:
            row = m.Paper(slug=p.id, revision=0)
            session.add(row)
        apply_paper(row, p.title, p.minutes, p.instructions, p.published,
                    [(slugs[q.question], q.minutes, q.points) for q in p.questions])
        row.position = position
        row.revision = (row.revision or 0) + 1
        row.synced_hash = file_hash
        report.counts[f"papers {'created' if created else 'updated'}"] += 1
    session.flush()


def apply_paper(row: m.Paper, title: str, minutes: int, instructions: str, published: bool,
                questions: list[tuple[m.Question, int, float]]) -> None:
    """Set a paper's fields and its ordered questions (shared by bank load and the tutor editor)."""
    row.title, row.minutes, row.instructions, row.published = title, minutes, instructions or "", published
    existing = {pq.question_id: pq for pq in row.questions}
    wanted = []
    for position, (question, q_minutes, points) in enumerate(questions, start=1):
        pq = existing.pop(question.id, None) or m.PaperQuestion(question=question)
        pq.position, pq.minutes, pq.points = position, q_minutes, float(points)
        wanted.append(pq)
    row.questions[:] = wanted


def paper_file_text(row: m.Paper) -> str:
    data = db_state(row)
    if not data["instructions"]:
        data.pop("instructions")
    else:  # a final newline: written as a `|` block, as a tutor would write it
        data["instructions"] += "\n"
    if data["published"]:
        data.pop("published")
    return dump_yaml(data, literal=True)


def paper_path(root: Path, slug: str) -> Path:
    return root / "question_bank" / "papers" / f"{slug}.yaml"


def export_all(session: Session, root: Path) -> list[Path]:
    from .sync import _write

    return [
        _write(paper_path(root, row.slug), paper_file_text(row))
        for row in session.scalars(select(m.Paper).order_by(m.Paper.position, m.Paper.slug))
    ]


def export_sync(session: Session, root: Path, on_disk: dict[str, PaperFile], force, report: Any) -> None:
    """Write papers changed in the browser; never one edited on disk since the last sync."""
    from .sync import _write, decide, state_hash

    for row in session.scalars(select(m.Paper).order_by(m.Paper.position, m.Paper.slug)):
        if row.slug in report.invalid:
            continue
        db_hash = state_hash(db_state(row))
        disk = on_disk.get(row.slug)
        file_hash = state_hash(file_state(disk)) if disk is not None else None
        side = "db" if row.slug in force else decide(row.synced_hash, file_hash, db_hash)
        if side == "same":
            row.synced_hash = db_hash
            report.papers_unchanged.append(row.slug)
        elif side == "conflict":
            report.paper_conflicts.append(row.slug)
        elif side == "file":
            report.file_edits.append(row.slug)
        else:
            report.written.append(_write(paper_path(root, row.slug), paper_file_text(row)))
            row.synced_hash = db_hash
