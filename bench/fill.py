"""Fill a database for the benches: the shipped bank, accounts, questions, rubric versions, attempts.

    python bench/fill.py --database-url sqlite:////tmp/big.sqlite3            # large (the issue's sizes)
    python bench/fill.py --database-url postgresql+psycopg://…/test_perf_big
    python bench/fill.py --database-url sqlite:////tmp/small.sqlite3 --small  # the same accounts, little data

The database is emptied first (SQLite: the file is replaced; PostgreSQL: the
public schema is dropped), migrated, and the shipped bank loaded with its
model answers scored (``bank load``). Then, in bulk (``executemany`` on
SQLite, ``COPY`` on PostgreSQL, explicit ids, one transaction per table):

- questions: copies of the shipped ones (``gen-00001``…) with their rubric
  (points and format rules) and a model answer each;
- rubric versions: extra versions of the shipped questions, so their
  current rubric is one of hundreds;
- candidates (``cand-00001``…), and the bench's own accounts:
  ``bench-admin``, ``bench-tutor``, ``bench-heavy`` (2,000 attempts),
  ``bench-light`` (3 attempts) and ``bench-w01``… (no attempts; the HTTP
  bench writes and submits with them), all with the password ``bench-password``;
- attempts spread over candidates, questions and the last year, with
  results the engine really produced for realistic texts (about one in
  twelve flagged, one in fifty overridden); area totals and question area
  rows written as the app keeps them.

Sizes default to the issue's (10,000 questions, 1,000 extra rubric versions,
10,000 candidates, 1,000,000 attempts); ``--small`` keeps only the bench
accounts, the shipped bank and a page or two of everything (40 questions, 10
versions, 40 candidates, 6,000 attempts). Prints what it wrote and how long it took.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select, text  # noqa: E402

PASSWORD = "bench-password"
WRITERS = 20
HEAVY_ATTEMPTS = 2000
REALISTIC = ROOT / "tests" / "fixtures" / "realistic"
NOW = datetime(2026, 11, 30, tzinfo=UTC)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--small", action="store_true",
                        help="a page or two of everything: 40 questions, 10 versions, 40 candidates, 6,000 attempts")
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--versions", type=int, default=1_000, help="extra rubric versions of the shipped questions")
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)
    if args.small:
        # a page or two of everything, so "small vs large" compares full pages, not a page filling up
        args.questions, args.versions, args.candidates, args.attempts = 40, 10, 40, 6_000
    return args


# -- writing rows fast, per backend -------------------------------------------


class Writer:
    """Bulk inserts on a raw DBAPI connection: executemany (SQLite) or COPY (PostgreSQL)."""

    def __init__(self, engine):
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        engine.dispose()  # no other connection may hold the file while the journal mode changes
        self.raw = engine.raw_connection()
        if self.postgres:
            # lz4 compresses the result JSON several times faster than the default pglz
            cursor = self.raw.cursor()
            cursor.execute("SET default_toast_compression = 'lz4'")
            cursor.execute("SET synchronous_commit = off")
            cursor.close()
        else:
            # A bench database can be rebuilt: no journal, no fsync, a large page cache while filling.
            cursor = self.raw.cursor()
            for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-400000", "temp_store=MEMORY"):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

    def value(self, v):
        if isinstance(v, datetime):
            v = v.astimezone(UTC)
            return v.strftime("%Y-%m-%d %H:%M:%S.%f") + ("+00" if self.postgres else "")
        if isinstance(v, (dict, list)):
            return json.dumps(v, ensure_ascii=False)
        if isinstance(v, bool) and not self.postgres:
            return int(v)
        return v

    def insert(self, table: str, columns: list[str], rows) -> int:
        cursor = self.raw.cursor()
        n = 0
        quoted = ", ".join(f'"{c}"' for c in columns)  # "where", "primary" are SQL words
        if self.postgres:
            with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([self.value(v) for v in row])
                    n += 1
        else:
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(columns))})"
            batch = []
            for row in rows:
                batch.append([self.value(v) for v in row])
                if len(batch) == 20_000:
                    cursor.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                n += len(batch)
        self.raw.commit()
        cursor.close()
        return n

    def close(self) -> None:
        if self.postgres:
            cursor = self.raw.cursor()
            for table in ("users", "questions", "rubrics", "rubric_points", "rubric_format_elements",
                          "model_answers", "attempts"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"
                )
            cursor.execute("ANALYZE")
            self.raw.commit()
        else:
            cursor = self.raw.cursor()
            cursor.execute("ANALYZE")
            self.raw.commit()
            cursor.execute("PRAGMA journal_mode=WAL")  # as the app runs it
        self.raw.close()

    def drop_indexes(self, table) -> list:
        """Drop ``table``'s secondary indexes (a bulk load then builds each once, sorted)."""
        cursor = self.raw.cursor()
        for index in table.indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {index.name}")
        self.raw.commit()
        cursor.close()
        return list(table.indexes)

    def create_indexes(self, indexes) -> None:
        from sqlalchemy.schema import CreateIndex

        cursor = self.raw.cursor()
        for index in indexes:
            cursor.execute(str(CreateIndex(index).compile(dialect=self.engine.dialect)))
        self.raw.commit()
        cursor.close()


def reset(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


# -- the app's own steps: schema, bank, real results ----------------------------


def load_bank(app) -> None:
    result = app.test_cli_runner().invoke(args=["bank", "load"])
    if result.exit_code != 0:
        raise SystemExit(f"bank load failed:\n{result.output}")


def real_results(app) -> dict[int, list[tuple[str, dict, int]]]:
    """Per shipped question id: (answer text, result dict, 字数) for texts the engine really scored."""
    from fazhi_prep import catalog
    from fazhi_prep.scoring import score

    texts = [p.read_text(encoding="utf-8") for p in sorted(REALISTIC.glob("*.txt"))]
    out: dict[int, list[tuple[str, dict, int]]] = {}
    for i, question in enumerate(catalog.published_questions()):
        spec = catalog.question_spec(question)
        chosen = [a.body for a in question.model_answers[:1]] + texts[i::7][:5]
        out[question.id] = []
        for body in chosen:
            result = score(spec, body).to_dict()
            out[question.id].append((body, result, result["char_count"]))
    return out


# -- the synthetic rows -----------------------------------------------------------


def fill(args: argparse.Namespace) -> None:
    from werkzeug.security import generate_password_hash

    from fazhi_prep import create_app
    from fazhi_prep.cli import upgrade_schema
    from fazhi_prep.denormalized import area_totals
    from fazhi_prep.extensions import db
    from fazhi_prep.models import Attempt, Question, Rubric

    rng = random.Random(args.seed)
    started = time.perf_counter()
    reset(args.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench-fill"})
    with app.app_context():
        upgrade_schema()
        load_bank(app)
        scored = real_results(app)
        shipped = list(db.session.scalars(select(Question).order_by(Question.id)))
        rubrics = {q.id: q.rubric for q in shipped}
        source = {
            q.id: {
                "q": {c: getattr(q, c) for c in ("title", "genre_key", "prompt", "limit_text", "limit_min",
                                                 "limit_max", "minutes", "areas", "materials")},
                "rubric": {c: getattr(rubrics[q.id], c) for c in ("fingerprint", "scoring", "parts", "spec")},
                "points": [{c: getattr(p, c) for c in ("position", "key", "ref", "label", "weight", "source", "need",
                                                        "area", "groups")} for p in rubrics[q.id].points],
                "formats": [{c: getattr(f, c) for c in ("position", "key", "label", "expect", "where", "patterns",
                                                         "match_all", "weight")}
                            for f in rubrics[q.id].format_elements],
                "answer": q.primary_answer,
            }
            for q in shipped
        }
        ids = {
            t: (db.session.scalar(text(f"SELECT COALESCE(MAX(id), 0) FROM {t}")) or 0) + 1
            for t in ("users", "questions", "rubrics", "rubric_points", "rubric_format_elements", "model_answers",
                      "attempts")
        }
        max_version = {q.id: rubrics[q.id].version for q in shipped}
        db.session.remove()
        writer = Writer(db.engine)
        counts: dict[str, int] = {}
        step = time.perf_counter()

        def timed(name: str, n: int) -> None:
            nonlocal step
            counts[name] = counts.get(name, 0) + n
            now = time.perf_counter()
            print(f"  {name:<24} {n:>9,} rows  {now - step:6.1f} s", flush=True)
            step = now

        # accounts: one password hash for all (hashing 10,000 would take minutes)
        hashed = generate_password_hash(PASSWORD)
        accounts = [("bench-admin", "admin"), ("bench-tutor", "tutor"), ("bench-heavy", "candidate"),
                    ("bench-light", "candidate")]
        accounts += [(f"bench-w{i:02d}", "candidate") for i in range(1, WRITERS + 1)]
        accounts += [(f"cand-{i:05d}", "candidate") for i in range(1, args.candidates + 1)]
        user_ids = {name: ids["users"] + i for i, (name, _) in enumerate(accounts)}
        timed("users", writer.insert(
            "users", ["id", "username", "password_hash", "role", "created_at"],
            ((user_ids[name], name, hashed, role, NOW - timedelta(days=400)) for name, role in accounts),
        ))

        # questions copied from the shipped ones, each with its rubric, points, format rules, model answer
        questions: list[tuple[int, int]] = [(q.id, q.id) for q in shipped]  # (question id, shipped source id)
        rubric_of: dict[int, list[int]] = {q.id: [rubrics[q.id].id] for q in shipped}
        q_rows, r_rows, p_rows, f_rows, a_rows, area_rows = [], [], [], [], [], []
        pid, fid = ids["rubric_points"], ids["rubric_format_elements"]
        for n in range(args.questions):
            src = shipped[n % len(shipped)].id
            qid, rid, aid = ids["questions"] + n, ids["rubrics"] + n, ids["model_answers"] + n
            s = source[src]
            q = s["q"]
            q_rows.append((qid, f"gen-{n + 1:05d}", f"{q['title']}（练习{n + 1}）", q["genre_key"], q["prompt"],
                           q["limit_text"], q["limit_min"], q["limit_max"], q["minutes"], q["areas"],
                           q["materials"], True, 100 + n, 1, None, None, NOW, NOW))
            area_rows.extend((qid, a) for a in dict.fromkeys(q["areas"] or []))
            r_rows.append((rid, qid, 1, s["rubric"]["fingerprint"], s["rubric"]["scoring"], s["rubric"]["parts"],
                           s["rubric"]["spec"], NOW))
            for p in s["points"]:
                p_rows.append((pid, rid, *p.values()))
                pid += 1
            for f in s["formats"]:
                f_rows.append((fid, rid, *f.values()))
                fid += 1
            if s["answer"] is not None:
                a = s["answer"]
                a_rows.append((aid, qid, "main", a.title, a.author, a.note, True, a.body))
            questions.append((qid, src))
            rubric_of[qid] = [rid]
        # extra versions of the shipped questions (the current one becomes the last of them)
        rid = ids["rubrics"] + args.questions
        for n in range(args.versions):
            src = shipped[n % len(shipped)].id
            s = source[src]
            max_version[src] += 1
            r_rows.append((rid, src, max_version[src], s["rubric"]["fingerprint"], s["rubric"]["scoring"],
                           s["rubric"]["parts"], s["rubric"]["spec"], NOW))
            for p in s["points"]:
                p_rows.append((pid, rid, *p.values()))
                pid += 1
            for f in s["formats"]:
                f_rows.append((fid, rid, *f.values()))
                fid += 1
            rubric_of[src].append(rid)
            rid += 1
        timed("questions", writer.insert("questions", [
            "id", "slug", "title", "genre_key", "prompt", "limit_text", "limit_min", "limit_max", "minutes", "areas",
            "materials", "published", "position", "revision", "synced_hash", "rubric_draft", "created_at",
            "updated_at"], q_rows))
        timed("question_areas", writer.insert("question_areas", ["question_id", "area_key"], area_rows))
        timed("rubrics", writer.insert("rubrics", [
            "id", "question_id", "version", "fingerprint", "scoring", "parts", "spec", "created_at"], r_rows))
        timed("rubric_points", writer.insert("rubric_points", [
            "id", "rubric_id", "position", "key", "ref", "label", "weight", "source", "need", "area", "groups"],
            p_rows))
        timed("rubric_format_elements", writer.insert("rubric_format_elements", [
            "id", "rubric_id", "position", "key", "label", "expect", "where", "patterns", "match_all", "weight"],
            f_rows))
        timed("model_answers", writer.insert("model_answers", [
            "id", "question_id", "variant", "title", "author", "note", "primary", "body"], a_rows))
        del q_rows, r_rows, p_rows, f_rows, a_rows, area_rows

        # attempts: results serialised once per real result, reused
        encoded = {src: [(body, json.dumps(res, ensure_ascii=False), res, count) for body, res, count in results]
                   for src, results in scored.items()}
        # The other candidates' attempts keep score, points, flags and breakdown but not the wording
        # (explanation, format checklist): 4 KB instead of 8 KB a row keeps a million rows within minutes.
        compact = {src: [(body, json.dumps({**res, "explanation": [], "format": []}, ensure_ascii=False), res,
                          count) for body, res, count in results]
                   for src, results in scored.items()}
        areas_of = {(src, i): area_totals(res) for src, results in scored.items()
                    for i, (_, res, _) in enumerate(results)}
        totals: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0, 0])
        candidates = [user_ids[f"cand-{i:05d}"] for i in range(1, args.candidates + 1)]
        plan = [(user_ids["bench-heavy"], HEAVY_ATTEMPTS), (user_ids["bench-light"], 3)]
        if candidates:
            plan.append((None, max(0, args.attempts - HEAVY_ATTEMPTS - 3)))
        span = 365 * 24 * 3600

        def attempt_rows():
            aid = ids["attempts"]
            for owner, how_many in plan:
                for _ in range(how_many):
                    user_id = owner or rng.choice(candidates)
                    qid, src = questions[rng.randrange(len(questions))] if owner is None or rng.random() < 0.5 \
                        else questions[rng.randrange(len(shipped))]
                    k = rng.randrange(len(encoded[src]))
                    body, payload, res, count = (encoded if owner else compact)[src][k]
                    submitted = NOW - timedelta(seconds=rng.randrange(span))
                    override = round(res["score"] + 5, 1) if rng.random() < 0.02 else None
                    for area, (w, wt, pts) in areas_of[(src, k)].items():
                        acc = totals[(user_id, area)]
                        acc[0] += w
                        acc[1] += wt
                        acc[2] += pts
                        acc[3] += 1
                    yield (aid, user_id, qid, rng.choice(rubric_of[qid]), body, False,
                           submitted - timedelta(minutes=40), submitted, count, res["score"], payload,
                           bool(res.get("flags")), None, override, "改分说明" if override is not None else None,
                           None, None)
                    aid += 1

        # the result column gets the JSON text as is (Writer.value passes strings through)
        dropped = writer.drop_indexes(Attempt.__table__)
        timed("attempts", writer.insert("attempts", [
            "id", "user_id", "question_id", "rubric_id", "answer", "exam_mode", "started_at", "submitted_at",
            "char_count", "score", "result", "flagged", "self_marks", "override_score", "override_comment",
            "override_by_id", "override_at"], attempt_rows()))
        writer.create_indexes(dropped)
        timed("attempts' indexes", 0)
        timed("user_area_stats", writer.insert("user_area_stats", [
            "user_id", "area", "weighted", "weight", "points", "attempts"],
            ((u, a, v[0], v[1], int(v[2]), int(v[3])) for (u, a), v in totals.items())))
        writer.close()

        # the new rubric versions' model answers, scored once (as publishing them would)
        from fazhi_prep.catalog import published_questions
        from fazhi_prep.model_results import warm

        warm([q for q in published_questions() if q.slug.startswith("bc-")])
        db.session.commit()
        latest = {q.id: db.session.scalar(select(Rubric.version).where(Rubric.question_id == q.id)
                                          .order_by(Rubric.version.desc()).limit(1)) for q in shipped}
        db.session.remove()
        db.engine.dispose()
    print(f"filled {args.database_url} in {time.perf_counter() - started:.0f} s: "
          + ", ".join(f"{k} {v:,}" for k, v in counts.items())
          + f"; shipped questions at rubric versions {sorted(set(latest.values()))}")


def main(argv: list[str] | None = None) -> None:
    fill(parse_args(argv))


if __name__ == "__main__":
    main()
