"""Work that must not grow with the data: SQL statements per page, stored results, static caching.

Timings are measured by bench/bench_http.py, not here; these tests hold the
properties the timings rest on: a page runs the same number of SQL
statements with a handful of rows as with many, model answers are scored
once per rubric version, derived columns follow the JSON they summarise.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from fazhi_prep import model_results
from fazhi_prep.extensions import db
from fazhi_prep.models import (
    Attempt,
    ModelAnswerResult,
    Question,
    QuestionArea,
    Role,
    User,
    UserAreaStat,
)
from fazhi_prep.practice.progress import area_stats
from tests.conftest import login, make_user
from tests.practice_support import NOTICE, attempts_of, question, start, submit
from tests.test_bank_load import load


@pytest.fixture
def bank(app, mini_root):
    load(app, mini_root)


class StatementCounter:
    """Counts SQL statements sent while it is active (SQLAlchemy's before_cursor_execute)."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


def statements_for(client, url: str) -> int:
    with StatementCounter(db.engine) as counter:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(counter.statements)


def _result_from(attempt: Attempt) -> dict:
    return attempt.result


def add_attempts(user: User, template: Attempt, questions: list[Question], count: int, *, flagged_every: int = 3,
                 override_every: int = 5) -> None:
    """``count`` more attempts of ``user`` with a real result, spread over questions and days."""
    now = datetime.now(UTC)
    for i in range(count):
        q = questions[i % len(questions)]
        result = dict(template.result)
        result["flags"] = [{"name": "keyword_stuffing"}] if i % flagged_every == 0 else []
        db.session.add(Attempt(
            user_id=user.id, question_id=q.id, rubric_id=q.rubric.id, answer=template.answer,
            started_at=now - timedelta(days=i, minutes=30), submitted_at=now - timedelta(days=i),
            char_count=template.char_count, score=template.score, result=result,
            override_score=template.score + 1 if i % override_every == 0 else None,
        ))
    db.session.commit()


def copy_questions(source: Question, count: int) -> list[Question]:
    """More published questions like ``source`` (same rubric points), each with its own rubric version."""
    from fazhi_prep.models import ModelAnswer, Rubric, RubricFormatElement, RubricPoint

    made = []
    rubric = source.rubric
    for n in range(count):
        q = Question(slug=f"copy-{n:03d}", title=f"{source.title}{n}", genre_key=source.genre_key,
                     prompt=source.prompt, limit_min=source.limit_min, limit_max=source.limit_max,
                     minutes=source.minutes, areas=list(source.areas), materials=source.materials,
                     position=100 + n)
        r = Rubric(version=1, fingerprint=rubric.fingerprint, scoring=rubric.scoring, parts=rubric.parts,
                   spec=rubric.spec)
        r.points = [RubricPoint(position=p.position, key=p.key, ref=p.ref, label=p.label, weight=p.weight,
                                source=p.source, need=p.need, area=p.area, groups=p.groups) for p in rubric.points]
        r.format_elements = [RubricFormatElement(position=f.position, key=f.key, label=f.label, expect=f.expect,
                                                 where=f.where, patterns=f.patterns, match_all=f.match_all,
                                                 weight=f.weight) for f in rubric.format_elements]
        q.rubrics = [r]
        q.model_answers = [ModelAnswer(variant="main", title=a.title, body=a.body, primary=a.primary)
                           for a in source.model_answers]
        db.session.add(q)
        made.append(q)
    db.session.commit()
    return made


PAGES = [
    ("candidate", "/questions"),
    ("candidate", "/questions?area=zhifa"),
    ("candidate", "/questions?limit=short"),
    ("candidate", "/questions/t-01"),
    ("candidate", "/me/history"),
    ("tutor", "/tutor/attempts"),
    ("tutor", "/tutor/attempts?flagged=y"),
    ("tutor", "/tutor/attempts?overridden=y"),
    ("tutor", "/tutor/attempts?candidate=kaosheng1"),
    ("tutor", "/tutor/attempts?date_from=2020-01-01&date_to=2099-01-01"),
    ("admin", "/admin/users"),
]


def test_sql_statements_per_page_do_not_grow_with_the_data(app, bank):
    candidate = make_user("kaosheng1")
    make_user("jiaoshi1", Role.TUTOR)
    make_user("guanli1", Role.ADMIN)
    clients = {}
    for role, name in (("candidate", "kaosheng1"), ("tutor", "jiaoshi1"), ("admin", "guanli1")):
        clients[role] = app.test_client()
        login(clients[role], name)
    start(clients["candidate"])
    submit(clients["candidate"], NOTICE)
    first = attempts_of("kaosheng1")[0]
    add_attempts(candidate, first, [question()], 2)
    tutor_client = clients["tutor"]
    question_id = question().id

    def counts() -> dict[str, int]:
        pages = PAGES + [("tutor", f"/tutor/attempts?question={question_id}"),
                         ("candidate", f"/attempts/{first.id}")]
        return {url: statements_for(clients[role], url) for role, url in pages}

    counts()  # first use: model answers scored and stored once
    small = counts()

    # more of everything: questions (past one page), candidates (past one page), attempts, rubric versions
    more = copy_questions(question(), 45)
    for n in range(60):
        make_user(f"kao{n:03d}")
    add_attempts(candidate, first, [question(), *more], 140)
    for name in ("kao001", "kao002"):
        other = db.session.scalar(select(User).where(User.username == name))
        add_attempts(other, first, more, 40)
    large = counts()

    grown = {url: (small[url], large[url]) for url in small if large[url] != small[url]}
    assert not grown, f"SQL statements per page grew with the data (small, large): {grown}"
    # the pages really are paginated at that size
    page = tutor_client.get("/tutor/attempts").get_data(as_text=True)
    assert "下一页" in page and "共 " in page


def test_model_answers_are_scored_once_per_rubric_version(app, bank, monkeypatch):
    make_user("kaosheng1")
    client = app.test_client()
    login(client, "kaosheng1")
    start(client)
    submit(client, NOTICE)
    attempt = attempts_of("kaosheng1")[0]
    first = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    stored = db.session.scalars(select(ModelAnswerResult)).all()
    assert len(stored) == len(question().model_answers) and stored[0].rubric_id == attempt.rubric_id

    def no_scoring(*args, **kwargs):
        raise AssertionError("a stored model answer was scored again")

    monkeypatch.setattr(model_results, "score", no_scoring)
    again = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    strip = re.compile(r'name="csrf_token" type="hidden" value="[^"]+"')
    assert strip.sub("", again) == strip.sub("", first)  # the same page, from the stored results

    # an edited model answer is a different text: scored once more, beside the old row
    monkeypatch.undo()
    answer = question().model_answers[0]
    answer.body = answer.body + "\n坚持党的领导，全面推行行政执法公示制度。"
    db.session.commit()
    client.get(f"/attempts/{attempt.id}")
    db.session.expire_all()
    assert db.session.query(ModelAnswerResult).count() == len(stored) + 1


def test_flags_area_totals_and_question_areas_follow_the_json(app, bank, logged_in, candidate):
    start(logged_in)
    submit(logged_in, NOTICE)
    attempt = attempts_of("kaosheng1")[0]
    assert attempt.flagged is bool(attempt.result["flags"])
    add_attempts(candidate, attempt, [question()], 4, flagged_every=2)
    attempts = attempts_of("kaosheng1")
    assert [a.flagged for a in attempts] == [bool(a.result["flags"]) for a in attempts]
    # the running totals equal the figures computed from every result
    labels = {"zhifa": "执法", "baozhang": "保障", "keji": "科技"}
    expected = {(s.key, round(s.coverage, 6), s.points, s.attempts) for s in area_stats(attempts, labels)}
    stored = {(r.area, round(r.weighted / r.weight, 6), r.points, r.attempts)
              for r in db.session.scalars(select(UserAreaStat).where(UserAreaStat.user_id == candidate.id))}
    assert stored == expected and stored
    # question areas as rows, rewritten when the list changes
    q = question()
    assert {a.area_key for a in db.session.scalars(select(QuestionArea).where(QuestionArea.question_id == q.id))} \
        == set(q.areas)
    q.areas = ["keji"]
    db.session.commit()
    assert [a.area_key for a in db.session.scalars(select(QuestionArea).where(QuestionArea.question_id == q.id))] \
        == ["keji"]
    assert "t-01" not in logged_in.get("/questions?area=zhifa").get_data(as_text=True)
    assert "t-01" in logged_in.get("/questions?area=keji").get_data(as_text=True)


def test_deleting_a_user_removes_their_area_totals(app, bank, logged_in, candidate):
    from fazhi_prep.admin import service

    start(logged_in)
    submit(logged_in, NOTICE)
    admin = make_user("guanli1", Role.ADMIN)
    assert db.session.scalars(select(UserAreaStat).where(UserAreaStat.user_id == candidate.id)).first()
    service.delete_user(candidate, admin)
    db.session.commit()
    assert db.session.scalars(select(UserAreaStat)).first() is None


def test_lists_page_and_say_how_many(app, bank, candidate):
    make_user("guanli1", Role.ADMIN)
    for n in range(30):
        make_user(f"kao{n:03d}")
    admin = app.test_client()
    login(admin, "guanli1")
    first = admin.get("/admin/users").get_data(as_text=True)
    assert "（32 个）" in first and "第 1 / 2 页" in first and 'href="/admin/users?page=2"' in first
    second = admin.get("/admin/users?page=2").get_data(as_text=True)
    assert "第 2 / 2 页" in second and "kao029" in second
    found = admin.get("/admin/users?q=kao02").get_data(as_text=True)
    assert "用户名含“kao02”的 10 个" in found and "kao021" in found and "kao010" not in found

    copy_questions(question(), 25)
    client = app.test_client()
    login(client, "kaosheng1")
    page = client.get("/questions").get_data(as_text=True)
    assert "第 1 / 2 页" in page and page.count('class="mono"') == 20
    assert "copy-024" in client.get("/questions?page=2").get_data(as_text=True)


def test_history_shows_the_latest_scores_and_pages_the_table(app, bank, logged_in, candidate):
    start(logged_in)
    submit(logged_in, NOTICE)
    add_attempts(candidate, attempts_of("kaosheng1")[0], [question()], 120)
    page = logged_in.get("/me/history").get_data(as_text=True)
    assert "共作答 121 次。" in page
    assert page.count('class="score-dot"') == 60 and "（最近 60 次）" in page
    assert "第 1 / 7 页" in page
    last = logged_in.get("/me/history?page=7").get_data(as_text=True)
    assert "第 7 / 7 页" in last and last.count('href="/attempts/') == 1  # the oldest row


def test_static_files_have_content_hashed_urls_cached_for_a_year(app, client):
    html = client.get("/login").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css\?v=([0-9a-f]{12}))"', html)
    assert css, "the stylesheet URL carries no content hash"
    with client.get(css.group(1)) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # without the hash (or with a stale one) the file is revalidated, never cached blindly
    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        with client.get(url) as response:
            assert response.status_code == 200
            assert "immutable" not in response.headers.get("Cache-Control", "")


def test_the_practice_page_preloads_every_module_its_script_imports(app, bank, logged_in):
    """Each import is fetched at once (not one round trip per level of imports), at the URL it resolves to."""
    start(logged_in)
    html = logged_in.get(f"/questions/{question().slug}/practice").get_data(as_text=True)
    head = html.split("</head>", 1)[0]
    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)">', head)
    assert re.fullmatch(r"/static/js/practice\.js\?v=[0-9a-f]{12}", preloaded[0])
    # what practice.js imports, directly or through editor.js, read from the files themselves
    static = Path(app.static_folder) / "js"
    wanted, pending = set(), ["practice.js"]
    while pending:
        source = (static / pending.pop()).read_text(encoding="utf-8")
        for name in re.findall(r'from "\./([\w-]+\.js)"', source):
            if name not in wanted:
                wanted.add(name)
                pending.append(name)
    assert {"editor.js", "grid.js", "counter.js", "autosave.js", "clock.js"} <= wanted
    # an import resolves against the importer's URL without its query: preloaded at the plain URL
    assert sorted(preloaded[1:]) == sorted(f"/static/js/{name}" for name in wanted)
    for url in preloaded:
        with logged_in.get(url) as response:
            assert response.status_code == 200


def test_migration_backfills_flags_area_totals_and_question_areas(tmp_path):
    """An existing database (schema 0001) keeps its filters and history after the upgrade."""
    import json

    from flask_migrate import upgrade
    from sqlalchemy import create_engine, text

    from fazhi_prep import create_app

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test"})
    directory = app.extensions["migrate"].directory
    with app.app_context():
        upgrade(directory=directory, revision="0001")
    engine = create_engine(url)
    at = "2026-11-01 08:00:00.000000"
    flagged = {"flags": [{"name": "over_limit"}], "points": [
        {"key": "a", "area": "zhifa", "weight": 3, "coverage": 1.0, "counted_coverage": 1.0},
        {"key": "b", "area": "zhifa", "weight": 1, "coverage": 0.0},
        {"key": "c", "area": None, "weight": 1, "coverage": 1.0}]}
    clean = {"flags": [], "points": [{"key": "d", "area": "keji", "weight": 0, "coverage": 0.5}]}
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (id, username, password_hash, role, created_at) "
                          "VALUES (1, 'k', 'x', 'candidate', :at)"), {"at": at})
        conn.execute(text("INSERT INTO genres (key, label, position) VALUES ('notice', '通知', 0)"))
        conn.execute(text(
            "INSERT INTO questions (id, slug, title, genre_key, prompt, minutes, areas, materials, published, "
            "position, revision, created_at, updated_at) VALUES (1, 'q', 'Q', 'notice', 'p', 30, :areas, '', 1, 0, "
            "1, :at, :at)"), {"areas": json.dumps(["zhifa", "keji"]), "at": at})
        conn.execute(text("INSERT INTO rubrics (id, question_id, version, fingerprint, scoring, parts, spec, "
                          "created_at) VALUES (1, 1, 1, 'f', 'tiered', '{}', '{}', :at)"), {"at": at})
        for attempt_id, result in ((1, flagged), (2, clean)):
            conn.execute(text(
                "INSERT INTO attempts (id, user_id, question_id, rubric_id, answer, exam_mode, started_at, "
                "submitted_at, char_count, score, result) VALUES (:id, 1, 1, 1, 'a', 0, :at, :at, 1, 50, :result)"),
                {"id": attempt_id, "at": at, "result": json.dumps(result)})
    with app.app_context():
        upgrade(directory=directory)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT id, flagged FROM attempts ORDER BY id")).all() == [(1, 1), (2, 0)]
        assert conn.execute(text("SELECT area, weighted, weight, points, attempts FROM user_area_stats "
                                 "ORDER BY area")).all() == [("keji", 0.5, 1.0, 1, 1), ("zhifa", 3.0, 4.0, 2, 1)]
        assert conn.execute(text("SELECT area_key FROM question_areas ORDER BY area_key")).scalars().all() \
            == ["keji", "zhifa"]
    engine.dispose()


def test_models_match_the_migrations(app):
    """The migrated schema is the one the models declare (indexes included)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []
