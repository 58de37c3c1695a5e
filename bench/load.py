"""Load and fault test: simulated candidates against a real gunicorn, then a check in the database.

    python bench/load.py [--candidates 50] [--duration 60] [--interval 3] [--kill]
                         [--workers 2] [--ramp S] [--port PORT] [--database-url URL] [--json FILE]

Candidates arrive over the first --ramp seconds (a quarter of the run, at
most 10). Each logs in and works in cycles: start a prompt, autosave growing
text every --interval seconds (± 20 %), submit after --saves (5-10) saves, start the
next prompt. At --duration the candidates stop where they are (an open draft
stays open). With --kill a gunicorn worker is sent SIGKILL at 30 % of the
run, and the master (with its whole process group, as a supervisor such as
systemd does) at 60 %; the server is then restarted at once. Candidates treat
a refused or dropped connection like the autosave script does: they keep the
text and retry (counted as retries, not errors) for up to 20 s.

Afterwards the database is read directly: every acknowledged submit must be
an attempt with exactly the submitted text, every acknowledged save must be
a prefix of its cycle's attempt, and every open draft must hold the last
acknowledged save. The report gives requests/s, p50/p95/p99 per endpoint,
errors (any unexpected HTTP status, or a request that never got through)
and lost writes; the exit status is 1 when either is non-zero.

The database is DATABASE_URL (PostgreSQL or SQLite) or a new SQLite file in
a temporary directory; it is migrated, the bank loaded and the candidates
(`load-001` …) created before the server starts. Only 127.0.0.1 is used;
the run is bounded by --duration plus fixed set-up and grace times.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
PASSWORD = "load-password-123"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
META_CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')
RETRY_FOR = 20.0  # seconds a candidate keeps retrying a refused connection
REQUEST_TIMEOUT = 30.0
# Sentences a candidate "types", a few at a time; real 申论 vocabulary keeps scoring realistic.
SENTENCES = (
    "坚持依法行政，推进法治政府建设。",
    "全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。",
    "健全依法行政制度体系，加强重点领域立法。",
    "深化“放管服”改革，持续优化法治化营商环境。",
    "严格规范公正文明执法，完善行政执法程序。",
    "健全行政决策制度体系，严格落实重大行政决策程序。",
    "加强行政权力制约和监督，自觉接受人大监督、民主监督。",
    "健全突发事件应对体系，依法预防处置重大突发事件。",
    "健全社会矛盾纠纷行政预防调处化解体系，推进行政复议体制改革。",
    "全面建设数字法治政府，坚持运用互联网、大数据等技术手段促进依法行政。",
)
# A refused, reset or cut-off connection (a killed worker): the browser would retry.
TRANSIENT = (OSError, http.client.HTTPException)


# -- the server ---------------------------------------------------------------


class Server:
    """gunicorn in its own process group, so a kill can take the whole group like a supervisor."""

    def __init__(self, port: int, workers: int, env: dict[str, str], log_path: Path):
        self.port = port
        self.workers = workers
        self.env = env
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None
        self.events: list[str] = []

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 (closed with the process)
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn",
                "--bind", f"{HOST}:{self.port}",
                "--workers", str(self.workers),
                "--timeout", "30",
                "app:app",
            ],
            cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True,
        )
        log.close()
        wait_ready(self.port, timeout=60)

    def workers_pids(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def kill_worker(self) -> None:
        pids = self.workers_pids()
        if pids:
            os.kill(pids[0], signal.SIGKILL)
            self.events.append(f"SIGKILL worker {pids[0]}")

    def kill_master_and_restart(self) -> None:
        pid = self.proc.pid
        os.kill(pid, signal.SIGKILL)
        # What a supervisor does to the orphans of a dead service (systemd: the cgroup).
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.events.append(f"SIGKILL master {pid} and its workers")
        started = time.monotonic()
        self.start()
        self.events.append(f"restarted in {time.monotonic() - started:.1f} s (master {self.proc.pid})")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def wait_ready(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except TRANSIENT:
            pass
        finally:
            conn.close()
        time.sleep(0.1)
    raise RuntimeError(f"server on port {port} not ready after {timeout} s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# -- the database -------------------------------------------------------------


def prepare_database(url: str, secret_key: str, candidates: int) -> list[str]:
    """Migrate, load the bank, create the candidates; the published prompts' slugs."""
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from fazhi_prep import create_app
    from fazhi_prep.bank import read_bank
    from fazhi_prep.bank.sync import load_bank
    from fazhi_prep.cli import upgrade_schema
    from fazhi_prep.extensions import db
    from fazhi_prep.models import Question, Role, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret_key})
    with app.app_context():
        upgrade_schema()
        bank = read_bank(Path(app.config["BANK_DIR"]), Path(app.config["MODEL_ANSWERS_DIR"]))
        load_bank(db.session, bank, force=frozenset())
        # One hash for all: hashing is slow on purpose, and logging in still checks it.
        password_hash = generate_password_hash(PASSWORD)
        existing = {u.username: u for u in db.session.scalars(select(User).where(User.username.like("load-%")))}
        for name in candidate_names(candidates):
            user = existing.get(name) or User(username=name, role=Role.CANDIDATE.value)
            user.password_hash = password_hash
            db.session.add(user)
        db.session.commit()
        slugs = list(
            db.session.scalars(
                select(Question.slug).where(Question.published.is_(True)).order_by(Question.position)
            )
        )
        db.engine.dispose()
    if not slugs:
        raise RuntimeError("no published questions after loading the bank")
    return slugs


def candidate_names(count: int) -> list[str]:
    return [f"load-{i:03d}" for i in range(1, count + 1)]


# -- one simulated candidate ----------------------------------------------------


class RequestFailed(Exception):
    pass


@dataclass
class Cycle:
    slug: str
    saves: list[str] = field(default_factory=list)  # acknowledged texts, in order
    submitted: str | None = None  # acknowledged submit text
    attempt_id: int | None = None
    ambiguous: bool = False  # a save whose answer never came (it may or may not have landed)


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        # Autosaves sent once every candidate has arrived: the steady state a class writes in.
        self.steady_from = float("inf")
        self.steady_autosaves: list[float] = []
        self.errors: list[str] = []
        self.retries = 0

    def timing(self, endpoint: str, seconds: float, sent_at: float) -> None:
        with self.lock:
            self.latencies[endpoint].append(seconds)
            if endpoint == "autosave" and sent_at >= self.steady_from:
                self.steady_autosaves.append(seconds)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)

    def retry(self) -> None:
        with self.lock:
            self.retries += 1


class Candidate:
    """One browser: a cookie jar, the CSRF token, sequential requests."""

    def __init__(self, name: str, port: int, slugs: list[str], recorder: Recorder, rng: random.Random,
                 interval: float, stop_at: float, saves: tuple[int, int]):
        self.name = name
        self.port = port
        self.slugs = slugs
        self.rec = recorder
        self.rng = rng
        self.interval = interval
        self.stop_at = stop_at
        self.saves = saves
        self.cookies: dict[str, str] = {}
        self.cycles: list[Cycle] = []
        self.retried = False  # the last request was sent again after a dropped connection

    # HTTP ------------------------------------------------------------------
    def request(self, endpoint: str, method: str, path: str, *, body: bytes | None = None,
                headers: dict[str, str] | None = None, ok=(200,)) -> tuple[int, dict, str]:
        headers = dict(headers or {})
        deadline = time.monotonic() + RETRY_FOR
        self.retried = False
        while True:
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            sent_at = time.monotonic()
            started = time.perf_counter()
            conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                text = response.read().decode("utf-8", "replace")
            except TRANSIENT as exc:
                conn.close()
                if time.monotonic() > deadline:
                    raise RequestFailed(f"{endpoint}: no answer for {RETRY_FOR:.0f} s ({exc!r})") from exc
                self.rec.retry()
                self.retried = True
                time.sleep(0.2)
                continue
            elapsed = time.perf_counter() - started
            conn.close()
            for raw in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(raw)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
            if response.status not in ok:
                raise RequestFailed(f"{endpoint}: HTTP {response.status} {text[:120]!r}")
            self.rec.timing(endpoint, elapsed, sent_at)
            return response.status, dict(response.headers.items()), text

    def get_token(self, endpoint: str, path: str) -> str:
        _, _, html = self.request(endpoint, "GET", path)
        match = CSRF_RE.search(html) or META_CSRF_RE.search(html)
        if not match:
            raise RequestFailed(f"{endpoint}: no CSRF token on {path}")
        return match.group(1)

    def post_form(self, endpoint: str, path: str, data: dict[str, str], ok=(302,)):
        return self.request(
            endpoint, "POST", path, body=urlencode(data).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"}, ok=ok,
        )

    # The candidate's day ------------------------------------------------------
    def run(self) -> None:
        try:
            self.login()
            while time.monotonic() < self.stop_at:
                self.cycle(self.slugs[(len(self.cycles) + self.rng.randrange(len(self.slugs))) % len(self.slugs)])
        except RequestFailed as exc:
            self.rec.error(f"{self.name}: {exc}")
        except Exception as exc:  # a bug here must show as an error, not as a quiet thread
            self.rec.error(f"{self.name}: {exc!r}")

    def login(self) -> None:
        token = self.get_token("login_page", "/login")
        self.post_form("login", "/login", {"csrf_token": token, "username": self.name, "password": PASSWORD})

    def cycle(self, slug: str) -> None:
        cycle = Cycle(slug)
        self.cycles.append(cycle)
        token = self.get_token("question", f"/questions/{slug}")
        self.post_form("start", f"/questions/{slug}/start", {"csrf_token": token, "mode": "practice"})
        token = self.get_token("workspace", f"/questions/{slug}/practice")
        text = f"{self.name}第{len(self.cycles)}次作答：\n"
        for _ in range(self.rng.randint(*self.saves)):
            if not self.pause(self.interval * self.rng.uniform(0.8, 1.2)):
                return  # time is up: this draft stays open
            text += "".join(self.rng.choice(SENTENCES) for _ in range(self.rng.randint(1, 3)))
            self.autosave(cycle, slug, text, token)
        text += "\n综上，必须坚持在法治轨道上推进政府治理体系和治理能力现代化。"
        status, headers, _ = self.post_form(
            "submit", f"/questions/{slug}/submit", {"csrf_token": token, "text": text}, ok=(302, 422)
        )
        if status == 422:
            if not self.retried:
                raise RequestFailed("submit: refused (HTTP 422)")
            # The first try landed before its answer was cut off; the retry found the draft gone.
            cycle.submitted = text
            return
        location = urlsplit(headers.get("Location", "")).path
        match = re.fullmatch(r"/attempts/(\d+)", location)
        if not match:
            raise RequestFailed(f"submit: redirected to {location!r}, not to a result")
        cycle.submitted, cycle.attempt_id = text, int(match.group(1))
        self.request("result", "GET", location)

    def autosave(self, cycle: Cycle, slug: str, text: str, token: str) -> None:
        body = json.dumps({"text": text}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token}
        try:
            _, _, answer = self.request("autosave", "POST", f"/questions/{slug}/draft", body=body, headers=headers)
        except RequestFailed:
            cycle.ambiguous = True
            raise
        if not json.loads(answer).get("ok"):
            raise RequestFailed(f"autosave: unexpected answer {answer[:120]!r}")
        cycle.saves.append(text)

    def pause(self, seconds: float) -> bool:
        remaining = self.stop_at - time.monotonic()
        if remaining <= 0:
            return False
        time.sleep(min(seconds, remaining))
        return time.monotonic() < self.stop_at


# -- checking the database afterwards -------------------------------------------


def lost_writes(url: str, candidates: list[Candidate]) -> tuple[int, int, int, int, list[str]]:
    """(acknowledged saves, submits, open drafts checked, lost, details), read straight from the database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    saves = submits = open_drafts = 0
    lost: list[str] = []
    with engine.connect() as conn:
        users = dict(conn.execute(text("SELECT username, id FROM users WHERE username LIKE 'load-%'")).all())
        questions = dict(conn.execute(text("SELECT slug, id FROM questions")).all())
        for cand in candidates:
            for number, cycle in enumerate(cand.cycles, 1):
                saves += len(cycle.saves)
                where = f"{cand.name} cycle {number} ({cycle.slug})"
                if cycle.submitted is not None:
                    submits += 1
                    if cycle.attempt_id is None:  # acknowledged only through the retry's refusal
                        stored = conn.execute(
                            text("SELECT answer FROM attempts WHERE user_id = :user AND question_id = :question"
                                 " AND answer = :answer"),
                            {"user": users[cand.name], "question": questions[cycle.slug], "answer": cycle.submitted},
                        ).scalar()
                    else:
                        stored = conn.execute(
                            text("SELECT answer FROM attempts WHERE id = :id AND user_id = :user"),
                            {"id": cycle.attempt_id, "user": users[cand.name]},
                        ).scalar()
                    if stored != cycle.submitted:
                        lost.append(f"{where}: submit (attempt {cycle.attempt_id}) missing or different")
                        lost.extend(f"{where}: save {i + 1}" for i in range(len(cycle.saves)))
                        continue
                    lost.extend(
                        f"{where}: save {i + 1} not in the attempt"
                        for i, saved in enumerate(cycle.saves) if not stored.startswith(saved)
                    )
                elif cycle.saves:
                    open_drafts += 1
                    stored = conn.execute(
                        text("SELECT text FROM drafts WHERE user_id = :user AND question_id = :question"),
                        {"user": users[cand.name], "question": questions[cycle.slug]},
                    ).scalar()
                    last = cycle.saves[-1]
                    # A save whose answer never came may have landed after the last acknowledged one.
                    ok = stored is not None and (stored == last or (cycle.ambiguous and stored.startswith(last)))
                    if not ok:
                        lost.append(f"{where}: open draft does not hold the last acknowledged save")
    engine.dispose()
    return saves, submits, open_drafts, len(lost), lost


# -- the run --------------------------------------------------------------------


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def run(args: argparse.Namespace) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="fazhi-load-"))
    url = args.database_url or os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'load.sqlite3'}"
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    secret_key = secrets.token_hex(32)
    slugs = prepare_database(url, secret_key, args.candidates)
    env = {**os.environ, "SECRET_KEY": secret_key, "DATABASE_URL": url, "FAZHI_ENV": "production"}
    port = args.port or free_port()
    server = Server(port, args.workers, env, workdir / "gunicorn.log")
    recorder = Recorder()
    load_before = load_average()
    server.start()
    try:
        started = time.monotonic()
        stop_at = started + args.duration
        crowd = [
            Candidate(name, port, slugs, recorder, random.Random(f"{args.seed}-{name}"), args.interval, stop_at,
                      args.saves)
            for name in candidate_names(args.candidates)
        ]
        threads = []
        for cand in crowd:
            # Arrivals spread over the ramp, as a class trickles in.
            thread = threading.Thread(target=cand.run, daemon=True)
            threads.append(thread)
        ramp = args.ramp if args.ramp is not None else min(10.0, args.duration / 4)
        recorder.steady_from = started + ramp + args.interval
        for thread in threads:
            thread.start()
            time.sleep(ramp / max(1, len(threads)))
        if args.kill:
            sleep_until(started + args.duration * 0.3)
            server.kill_worker()
            sleep_until(started + args.duration * 0.6)
            server.kill_master_and_restart()
        for thread in threads:
            thread.join(timeout=max(0.0, stop_at - time.monotonic()) + RETRY_FOR + REQUEST_TIMEOUT + 5)
        elapsed = time.monotonic() - started
        stuck = sum(thread.is_alive() for thread in threads)
        if stuck:
            recorder.error(f"{stuck} candidates still busy after the run's time bound")
    finally:
        server.stop()
    saves, submits, open_drafts, lost, lost_detail = lost_writes(url, crowd)
    endpoints = {}
    for endpoint, values in sorted(recorder.latencies.items()):
        values.sort()
        endpoints[endpoint] = {
            "count": len(values),
            "p50_ms": round(percentile(values, 0.50) * 1000, 1),
            "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            "p99_ms": round(percentile(values, 0.99) * 1000, 1),
            "max_ms": round(values[-1] * 1000, 1),
        }
    requests = sum(e["count"] for e in endpoints.values())
    steady = sorted(recorder.steady_autosaves)
    steady_autosave = {
        "count": len(steady),
        "p50_ms": round(percentile(steady, 0.50) * 1000, 1),
        "p95_ms": round(percentile(steady, 0.95) * 1000, 1),
        "p99_ms": round(percentile(steady, 0.99) * 1000, 1),
    }
    return {
        "database": url.split(":", 1)[0],
        "ramp_s": ramp,
        "candidates": args.candidates,
        "duration_s": args.duration,
        "interval_s": args.interval,
        "saves_per_submit": list(args.saves),
        "workers": args.workers,
        "kill": args.kill,
        "elapsed_s": round(elapsed, 1),
        "requests": requests,
        "requests_per_s": round(requests / elapsed, 1),
        "endpoints": endpoints,
        "steady_autosave": steady_autosave,
        "acknowledged_saves": saves,
        "candidates_with_saves": sum(any(c.saves for c in cand.cycles) for cand in crowd),
        "acknowledged_submits": submits,
        "open_drafts_checked": open_drafts,
        "retries": recorder.retries,
        "errors": len(recorder.errors),
        "error_detail": recorder.errors[:20],
        "lost_writes": lost,
        "lost_detail": lost_detail[:20],
        "server_events": server.events,
        "load_average_before": load_before,
        "load_average_after": load_average(),
    }


def sleep_until(moment: float) -> None:
    delay = moment - time.monotonic()
    if delay > 0:
        time.sleep(delay)


def print_report(summary: dict) -> None:
    print(
        f"{summary['candidates']} candidates × {summary['duration_s']} s on {summary['database']}, "
        f"gunicorn {summary['workers']} workers, autosave every {summary['interval_s']} s"
        + (", with kills" if summary["kill"] else "")
    )
    print(f"load average before {summary['load_average_before']}, after {summary['load_average_after']}")
    for event in summary["server_events"]:
        print(f"  server: {event}")
    print(f"{summary['requests']} requests in {summary['elapsed_s']} s = {summary['requests_per_s']} req/s")
    print(f"{'endpoint':<12}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for name, e in summary["endpoints"].items():
        print(f"{name:<12}{e['count']:>7}{e['p50_ms']:>9}{e['p95_ms']:>9}{e['p99_ms']:>9}{e['max_ms']:>9}")
    steady = summary["steady_autosave"]
    print(
        f"autosave once all had arrived (after {summary['ramp_s']:.0f} s + one interval): {steady['count']} saves, "
        f"p50 {steady['p50_ms']} ms, p95 {steady['p95_ms']} ms, p99 {steady['p99_ms']} ms"
    )
    print(
        f"acknowledged: {summary['acknowledged_saves']} saves, {summary['acknowledged_submits']} submits "
        f"({summary['open_drafts_checked']} drafts left open, checked against their last save); "
        f"retried connections: {summary['retries']}"
    )
    print(f"errors: {summary['errors']}")
    for line in summary["error_detail"]:
        print(f"  {line}")
    print(f"lost writes: {summary['lost_writes']}")
    for line in summary["lost_detail"]:
        print(f"  {line}")


def _span(value: str) -> tuple[int, int]:
    low, _, high = value.partition("-")
    span = (int(low), int(high or low))
    if not 1 <= span[0] <= span[1]:
        raise argparse.ArgumentTypeError("MIN-MAX with 1 ≤ MIN ≤ MAX")
    return span


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between autosaves (the app's AUTOSAVE_MS)")
    parser.add_argument("--saves", type=_span, default=(5, 10), metavar="MIN-MAX",
                        help="autosaves before each submit (default 5-10)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--kill", action="store_true", help="SIGKILL a worker at 30 %%, the master at 60 %%")
    parser.add_argument("--ramp", type=float, default=None,
                        help="seconds over which candidates arrive (default: a quarter of the run, at most 10)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL, else a new SQLite file")
    parser.add_argument("--seed", default="fazhi")
    parser.add_argument("--json", dest="json_path", help="also write the summary as JSON to this file")
    args = parser.parse_args(argv)
    if not 1 <= args.candidates <= 1000 or not 1 <= args.duration <= 3600 or args.interval < 0.1:
        parser.error("bounded: 1–1000 candidates, 1–3600 s, interval ≥ 0.1 s")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    summary = run(args)
    print_report(summary)
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return 1 if summary["errors"] or summary["lost_writes"] else 0


if __name__ == "__main__":
    sys.exit(main())
