"""Helpers shared by the 模拟考试 tests: a two-question test bank with a paper, and requests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from fazhi_prep.extensions import db
from fazhi_prep.models import Paper, PaperAttempt
from tests.conftest import csrf_from

PAPER = """\
id: tp-01
title: 测试试卷
minutes: 40
instructions: |
  先读材料。
questions:
- question: t-01
  minutes: 15
  points: 40
- question: t-02
  minutes: 20
  points: 60
"""

SPEECH = (
    "关于召开全市法治政府建设推进会的通知\n"
    "各区人民政府：\n"
    "为学习贯彻《纲要》，坚持党的领导，全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度，定于2021年9月1日召开推进会。\n"
    "某市人民政府\n"
    "2021年8月20日"
)


def add_paper_bank(root: Path) -> Path:
    """The mini bank plus a second question (t-02) and the paper tp-01 naming both."""
    questions = root / "question_bank" / "questions"
    source = (questions / "t-01.md").read_text("utf-8")
    second = source.replace("id: t-01", "id: t-02").replace("title: 测试会议通知", "title: 测试推进会通知")
    second = second.replace("key: t-01.yiti", "key: t-02.yiti")
    (questions / "t-02.md").write_text(second, "utf-8")
    papers = root / "question_bank" / "papers"
    papers.mkdir(parents=True, exist_ok=True)
    (papers / "tp-01.yaml").write_text(PAPER, "utf-8")
    return root


def paper(slug: str = "tp-01") -> Paper:
    db.session.expire_all()
    return db.session.scalar(select(Paper).where(Paper.slug == slug))


def sittings() -> list[PaperAttempt]:
    db.session.expire_all()
    return list(db.session.scalars(select(PaperAttempt).order_by(PaperAttempt.id)))


def token(client, path: str = "/papers") -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def start(client, slug: str = "tp-01"):
    return client.post(f"/papers/{slug}/start", data={"csrf_token": token(client, f"/papers/{slug}")})


def save(client, sitting_id: int, position: int, text: str):
    return client.post(
        f"/papers/sittings/{sitting_id}/answers/{position}", json={"text": text}, headers={"X-CSRFToken": token(client)}
    )


def focus(client, sitting_id: int, position: int):
    return client.post(
        f"/papers/sittings/{sitting_id}/focus", json={"position": position}, headers={"X-CSRFToken": token(client)}
    )


def hand_in(client, sitting_id: int, *, confirm: bool = True, **texts):
    data = {"csrf_token": token(client), **texts}
    if confirm:
        data["confirm"] = "1"
    return client.post(f"/papers/sittings/{sitting_id}/hand-in", data=data)


def move_back(sitting: PaperAttempt, minutes: float) -> None:
    """As if the sitting (and its last switch) had started ``minutes`` earlier."""
    sitting.started_at -= timedelta(minutes=minutes)
    if sitting.active_since is not None:
        sitting.active_since -= timedelta(minutes=minutes)
    db.session.commit()

SECOND = (
    "关于召开法治政府建设专题会议的通知\n"
    "市政府各部门：\n"
    "经研究，定于2021年9月10日召开专题会议，传达学习《纲要》，由主要负责人汇报推进法治建设第一责任人职责情况，"
    "部署全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度。\n"
    "某市人民政府办公室\n"
    "2021年9月1日"
)
