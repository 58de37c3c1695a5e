"""Helpers shared by the tutor, admin and calibration tests (server side)."""

from __future__ import annotations

from sqlalchemy import select

from fazhi_prep.extensions import db
from fazhi_prep.models import Question, Role
from tests.conftest import csrf_from, login, make_user
from tests.test_bank_load import load

NOTICE = (
    "关于召开市政府常务会议的通知\n"
    "各区人民政府，市政府各部门：\n"
    "经研究，定于2021年8月20日召开市政府常务会议，传达学习《纲要》，坚持党的领导，"
    "研究全面落实执法公示、全过程记录和法制审核制度。\n"
    "请准时参会。\n"
    "某市人民政府办公室\n"
    "2021年8月16日"
)

# A full answer to t-01 within its limit, in its own words: nothing for the engine to flag.
FULL_NOTICE = """关于召开全市依法行政工作推进会议的通知
各区人民政府，市政府各部门：
为深入学习贯彻《法治政府建设实施纲要（2021—2025年）》，市政府决定召开全市依法行政工作推进会议。现将有关事项通知如下：
一、会议内容：传达学习《纲要》精神，坚持党的领导，部署全面推行行政执法公示、执法全过程记录、重大执法决定法制审核工作，听取各区推进情况汇报。
二、会议时间：2021年8月20日上午9时。
三、会议地点：市政府第一会议室。
四、参会人员：各区分管负责同志，市政府各部门主要负责同志。
五、有关要求：请参会人员提前十分钟入场，因故不能参会的须书面请假。联系人：王明，电话：12345678。
某市人民政府办公室
2021年8月16日"""


def question(slug: str = "t-01") -> Question:
    db.session.expire_all()
    return db.session.scalar(select(Question).where(Question.slug == slug))


def token(client, path: str) -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def post_form(client, path: str, data: dict, *, page: str | None = None):
    """POST with a CSRF token taken from ``page`` (default: the same path)."""
    return client.post(path, data={"csrf_token": token(client, page or path), **data})


def tutor_client(app, client, mini_root, username: str = "jiaoshi1"):
    """A logged-in tutor with the mini bank loaded."""
    load(app, mini_root)
    make_user(username, Role.TUTOR)
    login(client, username)
    return client


def rubric_form_data(points: list[dict], *, formats: list[tuple[str, bool, float]] = (),
                     parts=(50, 40, 10), scoring="tiered", pasted="") -> dict:
    """The rubric editor's fields, as a browser posts them."""
    data = {"scoring": scoring, "content": parts[0], "format_part": parts[1], "length": parts[2], "pasted": pasted}
    for i, p in enumerate(points):
        for name in ("ref", "key", "label", "weight", "source", "need", "area", "terms"):
            value = p.get(name, "")
            data[f"points-{i}-{name}"] = "" if value is None else value
        data[f"points-{i}-position"] = i
    for i, (key, on, weight) in enumerate(formats):
        data[f"formats-{i}-key"] = key
        if on:
            data[f"formats-{i}-on"] = "y"
        data[f"formats-{i}-weight"] = weight
    return data


def switch_user(client, username: str):
    """Log out (a POST with the page's CSRF token) and log in as ``username``."""
    post_form(client, "/logout", {}, page="/questions")
    return login(client, username)
