"""Papers for candidates: the published list with each one's attempts and best total."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Paper, PaperQuestion
from . import report


def published_papers() -> list[Paper]:
    stmt = (
        select(Paper)
        .where(Paper.published.is_(True))
        .options(selectinload(Paper.questions).selectinload(PaperQuestion.question))
        .order_by(Paper.position, Paper.slug)
    )
    return list(db.session.scalars(stmt))


def paper_or_404(slug: str, *, include_drafts: bool = False) -> Paper:
    paper = db.session.scalar(select(Paper).where(Paper.slug == slug))
    if paper is None or not (paper.published or include_drafts):
        abort(404)
    return paper


@dataclass
class PaperStats:
    attempts: int = 0
    best: float | None = None
    last: float | None = None


def paper_stats(user_id: int) -> dict[int, PaperStats]:
    stats: dict[int, PaperStats] = {}
    for sitting in report.user_sittings(user_id):
        s = stats.setdefault(sitting.paper_id, PaperStats())
        value = report.total(sitting)
        s.attempts += 1
        s.best = value if s.best is None else max(s.best, value)
        s.last = value
    return stats


def unavailable(paper: Paper) -> list[str]:
    """Questions of ``paper`` a sitting could not score (unpublished, or no rubric yet)."""
    return [pq.question.title for pq in paper.questions if not pq.question.published or pq.question.rubric is None]
