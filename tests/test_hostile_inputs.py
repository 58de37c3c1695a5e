"""Every route, every method, every identity, hostile bodies: no 5xx, no leak, no unescaped payload.

The walk is derived from ``app.url_map``: a route added later is covered
without editing this file. URL arguments come from the rule's converters and
real rows (``<int:attempt_id>`` is an attempt of candidate A, ``<slug>`` a
question's slug, any ``<x>`` a value of a column named ``x``), plus hostile
values (ids beyond int32/int64, NUL, a lone surrogate, 300 characters).

Identities: anonymous, candidate A (owns the secrets checked for), candidate
B (another candidate), a tutor and an admin. Every request carries a valid
CSRF token, so bodies get past CSRF to the views. A request that ended the
identity's login (logout, a new password) is followed by a fresh sign-in.

Fails on: any 5xx; candidate A's draft text shown to anyone else, A's answer
shown to another candidate or anonymous (tutors may review answers), B's
texts shown to A; a payload that comes back unescaped in an HTML page.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from fazhi_prep.auth.sessions import begin_login
from fazhi_prep.extensions import db
from fazhi_prep.models import CalibrationMark, LoginSession, Role, SampleAnswer, User
from tests.conftest import make_user
from tests.paper_support import add_paper_bank
from tests.practice_support import NOTICE, question
from tests.test_bank_load import load

XSS = '<script>alert("hx1")</script>"><img src=x onerror=alert("hx2")>'
RAW_MARKERS = ('<script>alert("hx1")', "<img src=x onerror")
SURROGATE = "\ud800"
NESTED_MD = "- " * 500 + "x"
BRACKETS = "[a](" * 3000
HOSTILE_INTS = ("0", "2147483648", "9223372036854775808", "99999999999999999999")
HOSTILE_STRINGS = ("no-such-thing", "%00", "%ED%A0%80", "x" * 300)
HOSTILE_QUERY = {"page": "99999999999999999999", "next": "/\r\nSet-Cookie: x=1", "model": XSS, "q": "\x00"}


def hostile_queries(fields: set[str]) -> list[tuple[str, dict]]:
    """Query strings for GETs: every form field name too (filters are forms)."""
    return [
        ("query-text", {**{n: XSS + "\x00" for n in fields}, **HOSTILE_QUERY}),
        ("query-numbers", {**{n: "99999999999999999999" for n in fields}, "page": "²"}),
    ]

ATTEMPT_A = "甲考生答案暗号QZX7"
DRAFT_A = "甲考生草稿暗号WPV3"
ATTEMPT_B = "乙考生答案暗号KLM5"
DRAFT_B = "乙考生草稿暗号RTY8"
PAPER_A = "甲考生试卷暗号NBH2"  # an answer in a 模拟考试 sitting: as private as a draft
PASSWORD = "mima-Zq7-2026"


# -- the world: a bank, two candidates with attempts and drafts, a tutor, an admin ------


@dataclass
class World:
    users: dict[str, User]
    attempt_a: int
    mark_a: int | None
    bystander: int  # what <int:user_id> points at: admin actions on it harm no walker
    fields: set[str] = field(default_factory=set)


def sign_in(app, client, user: User | None) -> str:
    """A session for ``user`` (None: anonymous) with a CSRF token; returns the token."""
    raw = hashlib.sha1(os.urandom(32)).hexdigest()
    token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    login_token = None
    if user is not None:
        login_token = begin_login(db.session.get(User, user.id))
        db.session.commit()
    with client.session_transaction() as session:
        session.clear()
        session["csrf_token"] = raw
        if login_token:
            session["_user_id"] = login_token
            session["_fresh"] = True
    return token


def session_of(app, client) -> dict:
    cookie = client.get_cookie("session")
    if cookie is None:
        return {}
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def still_signed_in(app, client, user: User | None) -> bool:
    session = session_of(app, client)
    if "csrf_token" not in session:
        return False
    if user is None:
        return True
    token = session.get("_user_id")
    return bool(token) and db.session.scalar(select(LoginSession.id).where(LoginSession.token == token)) is not None


def practise(app, client, user: User, answer_secret: str, draft_secret: str, paper_secret: str) -> None:
    csrf = sign_in(app, client, user)
    headers = {"X-CSRFToken": csrf}
    started = client.post("/papers/tp-01/start", headers=headers)
    assert started.status_code == 302, started.status_code
    sitting = started.headers["Location"].rstrip("/").split("/")[-1]
    assert client.post(f"/papers/sittings/{sitting}/answers/1", json={"text": paper_secret},
                       headers=headers).status_code == 200
    assert client.post("/questions/t-01/start", headers=headers).status_code == 302
    assert client.post("/questions/t-01/submit", data={"text": NOTICE + answer_secret}, headers=headers).status_code == 302
    assert client.post("/questions/t-01/start", headers=headers).status_code == 302
    saved = client.post("/questions/t-01/draft", json={"text": draft_secret}, headers=headers)
    assert saved.status_code == 200


def build_world(app, mini_root) -> World:
    add_paper_bank(mini_root)
    load(app, mini_root)
    users = {
        "candidate": make_user("walker_a", password=PASSWORD),
        "other": make_user("walker_b", password=PASSWORD),
        "tutor": make_user("walker_t", Role.TUTOR, password=PASSWORD),
        "admin": make_user("walker_m", Role.ADMIN, password=PASSWORD),
    }
    bystander = make_user("bystander", password=PASSWORD)
    client = app.test_client()
    practise(app, client, users["other"], ATTEMPT_B, DRAFT_B, "乙考生试卷内容")
    practise(app, client, users["candidate"], ATTEMPT_A, DRAFT_A, PAPER_A)
    sample = SampleAnswer(question_id=question().id, title="样例", body=NOTICE, expected={"t-01.yiti": "covered"})
    db.session.add(sample)
    db.session.commit()
    mark = CalibrationMark(user_id=users["candidate"].id, sample_answer_id=sample.id, marks={"t-01.yiti": "covered"})
    db.session.add(mark)
    db.session.commit()
    from fazhi_prep.models import Attempt

    attempt_a = db.session.scalar(select(Attempt.id).where(Attempt.user_id == users["candidate"].id))
    return World(users=users, attempt_a=attempt_a, mark_a=mark.id, bystander=bystander.id)


# -- URL arguments from converters and real rows -------------------------------------------


def _table_for(arg: str, path: str):
    """The table an ``<int:x_id>`` names: ``x…`` by name, else one named after an earlier
    path word that has rows of a user (``/papers/sittings/<int:sitting_id>``: paper_attempts)."""
    tables = db.metadata.sorted_tables
    stem = arg.removesuffix("_id")
    found = next((t for t in tables if t.name.startswith(stem)), None)
    if found is None:
        found = next((t for t in tables if stem in t.name), None)
    if found is None:
        words = [w.rstrip("s") for w in path.split("<", 1)[0].split("/") if w]
        found = next((t for w in words for t in tables if t.name.startswith(w) and "user_id" in t.c), None)
    return found


def real_value(world: World, rule, arg: str, converter: str) -> str:
    if rule.endpoint == "static":
        return "css/app.css"
    if arg.endswith("_id"):
        if arg == "user_id":
            return str(world.bystander)
        if arg == "attempt_id":
            return str(world.attempt_a)
        table = _table_for(arg, rule.rule)
        if table is None:
            return "1"
        query = select(table.c.id)
        if "user_id" in table.c:  # prefer candidate A's row: the one others must not see
            query = query.where(table.c.user_id == world.users["candidate"].id)
        return str(db.session.scalar(query.order_by(table.c.id).limit(1)) or 1)
    words = [w.rstrip("s") for w in rule.rule.split(f"<{_converter_text(rule, arg)}{arg}>", 1)[0].split("/") if w]
    # prefer the table the path names just before the argument (…/answers/<int:position>: paper_answers)
    for table in sorted(db.metadata.sorted_tables, key=lambda t: not any(w in t.name for w in words[-1:])):
        if arg in table.c:
            # a number: the largest (it exists whether counting starts at 0 or 1); a name: the first
            column = table.c[arg]
            order = column.desc() if converter == "int" else column
            value = db.session.scalar(select(column).order_by(order).limit(1))
            if value is not None:
                return str(value)
    return "1" if converter == "int" else "x"


def url_variants(world: World, rule) -> list[tuple[str, bool]]:
    """(url, is_real): the real URL first, then one hostile value per argument."""
    # "int" for any integer converter (the app's own bounded one included), else "str"
    converters = {name: "int" if isinstance(conv, IntegerConverter) else "str"
                  for name, conv in rule._converters.items()}
    real = {arg: real_value(world, rule, arg, converters.get(arg, "")) for arg in rule.arguments}
    variants = [(_build(rule, real), True)]
    for arg in sorted(rule.arguments):
        hostile = HOSTILE_INTS if converters.get(arg) == "int" else HOSTILE_STRINGS
        variants.extend((_build(rule, {**real, arg: value}), False) for value in hostile)
    return variants


def _build(rule, values: dict[str, str]) -> str:
    # Built by hand: hostile values must reach the server as they are, unvalidated.
    path = rule.rule
    for arg, value in values.items():
        path = path.replace(f"<{_converter_text(rule, arg)}{arg}>", value)
    return path


def _converter_text(rule, arg: str) -> str:
    for part in rule.rule.split("<")[1:]:
        inside = part.split(">", 1)[0]
        if inside.split(":")[-1] == arg:
            return inside[: -len(arg)]
    return ""


# -- bodies -----------------------------------------------------------------------------------


def form_bodies(fields: set[str]) -> list[tuple[str, dict]]:
    def every(value):
        return {name: value for name in fields}

    return [
        ("form-xss-nul", {"kwargs": {"data": every("依法\x00行政" + XSS)}}),
        ("form-huge-numbers", {"kwargs": {"data": every("99999999999999999999")}}),
        ("form-local-path-crlf", {"kwargs": {"data": every("/tutor/\r\nSet-Cookie: x=1")}}),
        ("form-markdown-bombs", {"kwargs": {"data": every(NESTED_MD + "\n\n" + BRACKETS)}}),
        ("form-empty", {"kwargs": {"data": {}}}),
    ]


def json_bodies(fields: set[str]) -> list[tuple[str, str]]:
    names = sorted(fields | {"text", "materials", "prompt", "revision"})
    hostile_text = json.dumps(XSS)[1:-1] + "\\ud800\\u0000" + json.dumps(NESTED_MD + BRACKETS)[1:-1]
    return [
        ("json-list", "[1]"),
        ("json-deep", "[" * 5000 + "]" * 5000),
        ("json-hostile-text", "{" + ", ".join(f'"{n}": "{hostile_text}"' for n in names) + "}"),
        ("json-wrong-types", json.dumps({n: [10**30, {"a": None}] if i % 2 else 10**30
                                         for i, n in enumerate(names)})),
    ]


def request_bodies(fields: set[str]) -> list[tuple[str, dict]]:
    return form_bodies(fields) + [
        (name, {"kwargs": {"data": raw, "content_type": "application/json"}}) for name, raw in json_bodies(fields)
    ]


# -- the walk ---------------------------------------------------------------------------------


@dataclass
class Report:
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    timings: list[tuple[float, str]] = field(default_factory=list)

    def check(self, identity: str, label: str, response) -> None:
        self.requests += 1
        status = response.status_code
        body = response.get_data(as_text=True)
        response.close()
        if status >= 500:
            self.failures.append(f"{status} {label}")
            return
        leaks = forbidden_texts(identity)
        shown = [secret for secret in leaks if secret in body]
        if shown:
            self.failures.append(f"leak {shown} {label}")
        if response.mimetype == "text/html" and any(marker in body for marker in RAW_MARKERS):
            self.failures.append(f"unescaped payload {label}")


def forbidden_texts(identity: str) -> tuple[str, ...]:
    if identity == "candidate":
        return (ATTEMPT_B, DRAFT_B)
    if identity in ("tutor", "admin"):
        return (DRAFT_A, DRAFT_B, PAPER_A)  # tutors review handed-in answers, never drafts
    if identity == "other":
        return (ATTEMPT_A, DRAFT_A, PAPER_A)
    return (ATTEMPT_A, DRAFT_A, ATTEMPT_B, DRAFT_B, PAPER_A)  # anonymous


def field_names(app, world: World) -> set[str]:
    """Every form field name on every page the admin can open: new forms are covered too."""
    import re

    client = app.test_client()
    sign_in(app, client, world.users["admin"])
    names: set[str] = {"text", "username", "password", "next", "revision"}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        url, _ = url_variants(world, rule)[0]
        page = client.get(url).get_data(as_text=True)
        names.update(re.findall(r'\bname="([^"]+)"', page))
    names.discard("csrf_token")
    return names


IDENTITIES = ["anonymous", "other", "candidate", "tutor", "admin"]


def walk(app, world: World, identity: str) -> Report:
    user = world.users.get(identity)
    client = app.test_client()
    csrf = sign_in(app, client, user)
    report = Report()
    bodies = request_bodies(world.fields)
    queries = hostile_queries(world.fields)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for url, real in url_variants(world, rule):
                if method == "GET":
                    cases = [("plain", {})]
                    if real:
                        cases += [(name, {"kwargs": {"query_string": query}}) for name, query in queries]
                else:
                    cases = bodies if real else bodies[:1]
                for name, spec in cases:
                    started = time.perf_counter()
                    response = client.open(url, method=method, headers={"X-CSRFToken": csrf}, **spec.get("kwargs", {}))
                    report.check(identity, f"{identity} {method} {url[:80]} {name}", response)
                    report.timings.append((time.perf_counter() - started, f"{method} {url[:60]} {name}"))
                    if method != "GET" and not still_signed_in(app, client, user):
                        csrf = sign_in(app, client, user)
    return report


@pytest.mark.parametrize("identity", IDENTITIES)
def test_hostile_inputs_on_every_route(app, mini_root, identity):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash is a 500 to count, not the end of the walk
    world = build_world(app, mini_root)
    world.fields = field_names(app, world)
    report = walk(app, world, identity)
    routes = sum(len(rule.methods - {"HEAD", "OPTIONS"}) for rule in app.url_map.iter_rules())
    print(f"\n{identity}: {routes} route-methods, {report.requests} requests, {len(report.failures)} failures")
    if os.environ.get("HOSTILE_URLS"):  # which real URL each rule was walked with
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            print(f"  {rule.rule} -> {url_variants(world, rule)[0][0]}")
    if os.environ.get("HOSTILE_SLOWEST"):
        for seconds, label in sorted(report.timings, reverse=True)[:15]:
            print(f"  {seconds * 1000:7.1f} ms  {label}")
    assert report.requests > routes * 5
    assert not report.failures, "\n".join(report.failures[:40])


def test_the_walk_would_notice_a_leak_and_a_500(app, mini_root):
    """The checks themselves: a page showing A's draft to B, a 500, a raw payload all fail."""

    class Fake:
        def __init__(self, status, text, mimetype="text/html"):
            self.status_code, self.text, self.mimetype = status, text, mimetype

        def get_data(self, as_text=True):
            return self.text

        def close(self):
            pass

    report = Report()
    report.check("other", "a", Fake(200, f"<p>{DRAFT_A}</p>"))
    report.check("other", "b", Fake(500, "boom"))
    report.check("admin", "c", Fake(200, XSS))
    report.check("admin", "d", Fake(200, XSS, "application/json"))
    report.check("candidate", "e", Fake(200, f"<p>{DRAFT_A}{ATTEMPT_A}</p>"))
    assert [f.split(" ")[0] for f in report.failures] == ["leak", "500", "unescaped"]
