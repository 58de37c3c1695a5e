"""Helpers shared by the practice tests (server side)."""

from __future__ import annotations

from sqlalchemy import select

from fazhi_prep.extensions import db
from fazhi_prep.models import Attempt, Draft, Question, User
from tests.conftest import csrf_from

NOTICE = (
    "关于召开市政府常务会议的通知\n"
    "各区人民政府，市政府各部门：\n"
    "经研究，定于2021年8月20日召开市政府常务会议，传达学习《纲要》，坚持党的领导，"
    "部署全面推行行政执法公示制度、执法全过程记录制度。\n"
    "请准时参会。\n"
    "某市人民政府办公室\n"
    "2021年8月16日"
)


def question(slug: str = "t-01") -> Question:
    return db.session.scalar(select(Question).where(Question.slug == slug))


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def draft_of(username: str, slug: str = "t-01") -> Draft | None:
    db.session.expire_all()
    return db.session.scalar(
        select(Draft).where(Draft.user_id == user(username).id, Draft.question_id == question(slug).id)
    )


def attempts_of(username: str) -> list[Attempt]:
    db.session.expire_all()
    return list(db.session.scalars(select(Attempt).where(Attempt.user_id == user(username).id)))


def token(client, path: str = "/questions") -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def start(client, slug: str = "t-01", mode: str = "practice"):
    return client.post(
        f"/questions/{slug}/start", data={"csrf_token": token(client, f"/questions/{slug}"), "mode": mode}
    )


def save_json(client, text: str, slug: str = "t-01", csrf: str | None = None):
    headers = {"X-CSRFToken": csrf if csrf is not None else token(client)}
    return client.post(f"/questions/{slug}/draft", json={"text": text}, headers=headers)


def submit(client, text: str, slug: str = "t-01", **extra):
    data = {"csrf_token": token(client, f"/questions/{slug}"), "text": text, **extra}
    return client.post(f"/questions/{slug}/submit", data=data)
