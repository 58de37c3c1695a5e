"""Tutors' paper editor: pick published questions, order, suggested minutes and 分值.

The same checks as ``bank check`` applies to paper files, so a paper saved in
the browser always exports to a file that loads; a paper created here has
the sync base ABSENT (no file yet), as a question created in the browser.
"""

from __future__ import annotations

from sqlalchemy import select

from ..bank.paper_files import POINTS_TOTAL
from ..bank.paper_sync import apply_paper
from ..bank.sync import ABSENT
from ..extensions import db
from ..models import Paper, Question
from .forms import MAX_PAPER_QUESTIONS


class StalePaper(Exception):
    """Another tutor saved the paper since this form was opened."""


def question_choices() -> list[tuple[str, str]]:
    rows = db.session.scalars(
        select(Question).where(Question.published.is_(True)).order_by(Question.position, Question.slug)
    )
    return [("", "（不选）")] + [
        (q.slug, f"{q.slug} · {q.title}（建议 {q.minutes} 分钟）") for q in rows if q.rubric is not None
    ]


def form_data(paper: Paper) -> dict:
    data = {
        "slug": paper.slug, "title": paper.title, "minutes": paper.minutes,
        "instructions": paper.instructions, "published": paper.published, "revision": str(paper.revision),
    }
    for i, pq in enumerate(paper.questions, start=1):
        data.update({f"question_{i}": pq.question.slug, f"minutes_{i}": pq.minutes, f"points_{i}": pq.points})
    return data


def chosen_questions(form) -> tuple[list[tuple[Question, int, float]], list[str]]:
    """The rows a tutor filled in, in order, with every problem in words."""
    problems, chosen, seen = [], [], set()
    slugs = {q.slug: q for q in db.session.scalars(select(Question).where(Question.published.is_(True)))}
    for i in range(1, MAX_PAPER_QUESTIONS + 1):
        slug, minutes, points = form[f"question_{i}"].data, form[f"minutes_{i}"].data, form[f"points_{i}"].data
        if not slug:
            continue
        if slug in seen:
            problems.append(f"第{i}题：{slug} 在试卷中重复")
            continue
        seen.add(slug)
        if slug not in slugs:
            problems.append(f"第{i}题：{slug} 不是已发布的题目")
            continue
        if not minutes or not points:
            problems.append(f"第{i}题：请填写建议用时和分值")
            continue
        chosen.append((slugs[slug], int(minutes), float(points)))
    if not chosen and not problems:
        problems.append("请至少选择一道题")
    if chosen and not problems:
        used = sum(c[1] for c in chosen)
        if form.minutes.data and used > form.minutes.data:
            problems.append(f"各题建议用时合计 {used} 分钟，超过整场考试的 {form.minutes.data} 分钟")
        points = sum(c[2] for c in chosen)
        if abs(points - POINTS_TOTAL) > 0.01:
            problems.append(f"各题分值合计应为 {POINTS_TOTAL}，现为 {points:g}")
    return chosen, problems


def slug_taken(slug: str) -> bool:
    return db.session.scalar(select(Paper.id).where(Paper.slug == slug)) is not None


def save_paper(paper: Paper | None, form, chosen: list[tuple[Question, int, float]]) -> Paper:
    """Create or update a paper from the form; a stale revision raises StalePaper."""
    if paper is None:
        paper = Paper(slug=form.slug.data, revision=0, synced_hash=ABSENT,
                      position=(db.session.scalar(select(db.func.count(Paper.id))) or 0))
        db.session.add(paper)
    elif str(paper.revision) != (form.revision.data or ""):
        raise StalePaper()
    apply_paper(paper, form.title.data.strip(), form.minutes.data, (form.instructions.data or "").strip(),
                bool(form.published.data), chosen)
    paper.revision = (paper.revision or 0) + 1
    return paper
