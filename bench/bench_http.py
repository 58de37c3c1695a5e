"""HTTP bench: every page under gunicorn, as a ratio to /healthz measured in the same run.

    .venv/bin/python bench/bench_http.py                  # small data, all cases (about 2 minutes)
    .venv/bin/python bench/bench_http.py --large URL      # also: lists at small vs large data
    .venv/bin/python bench/bench_http.py --browser        # also: practice page weight and first render

It fills a small SQLite database (``bench/fill.py --small``: the shipped bank,
the bench accounts and a page or two of everything), starts the app under gunicorn (the same 2 workers
for every case) on 127.0.0.1, and drives it with a bounded load generator:
``--clients`` threads (10), each with its own login and its own
``http.client`` connection, for ``--seconds`` per case (4). For each case it
prints requests/s, p50 and p99 latency, and the ratio of requests/s to
/healthz measured on the same server just before the case (``--ceiling-seconds``,
2), against the issue's targets (autosave ≥ 0.5, submit ≥ 0.25, pages ≥ 0.2,
p99 < 50 ms).

With ``--large URL`` (a database filled by ``bench/fill.py``, SQLite or
PostgreSQL) the list pages are measured again there, under the same
gunicorn settings, and compared with small data: each page's ratio to
/healthz at small data divided by the same at large data must stay under
1.5. The load generator shares the machine with the server: note the
``uptime`` load printed with every run; ratios from one run are what count.

Also printed: gunicorn workers' RSS after start and after 1,000 submits, and
whether a worker imported jieba (``python -X importtime``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
GUNICORN = PYTHON.with_name("gunicorn")
PASSWORD = "bench-password"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
META_CSRF_RE = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
REALISTIC = ROOT / "tests" / "fixtures" / "realistic"

TARGETS = {"autosave": 0.5, "submit": 0.25}
PAGE_TARGET = 0.2
P99_TARGET_MS = 50.0
FLAT_TARGET = 1.5


# -- a logged-in HTTP client ----------------------------------------------------------


class Client:
    """One connection and one session cookie; reconnects when gunicorn closes the connection."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                if attempt:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.headers.get("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, data, response.headers

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict):
        return self.request("POST", path, urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def token(self, path: str) -> str:
        _, body, _ = self.get(path)
        html = body.decode()
        match = CSRF_RE.search(html) or META_CSRF_RE.search(html)
        if not match:
            raise RuntimeError(f"no CSRF token on {path}")
        self.csrf = match.group(1)
        return self.csrf

    def login(self, username: str) -> Client:
        token = self.token("/login")
        status, _, headers = self.post_form("/login", {"username": username, "password": PASSWORD,
                                                       "csrf_token": token})
        if status != 302 or "/login" in (headers.get("Location") or ""):
            raise RuntimeError(f"login as {username} failed ({status})")
        return self


# -- the server ------------------------------------------------------------------------


@dataclass
class Server:
    database_url: str
    port: int
    workers: int
    process: subprocess.Popen | None = None
    log: Path = field(default_factory=lambda: Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1]))

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("FLASK_DEBUG",)}
        env.update(DATABASE_URL=self.database_url, SECRET_KEY="bench-http-secret", FAZHI_ENV="production",
                   PYTHONPATH=str(ROOT))
        return env

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(GUNICORN), "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
             "--worker-class", "sync", "app:app"],
            cwd=ROOT, env=self.env(), stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _, _ = Client(self.port).get("/healthz")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def worker_pids(self) -> list[str]:
        return Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the workers have used so far: what the server spends,
        whatever else the shared machine is doing."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / tick

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each gunicorn worker (children of the master), in MB."""
        out = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out.append(int(line.split()[1]) / 1024)
        return out


# -- the load generator -----------------------------------------------------------------


@dataclass
class Measure:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: int
    kind: str = "page"
    cpu_ms: float | None = None  # server CPU per request, when the server was given
    ceiling_rps: float | None = None  # /healthz measured just before this case, on the same server

    @property
    def cpu(self) -> str:
        return f"{self.cpu_ms:.2f}" if self.cpu_ms is not None else "-"

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_case(name: str, clients: list[Client], step, seconds: float, warmup: float = 0.5, kind: str = "page",
             max_requests: int | None = None, server: Server | None = None) -> Measure:
    """Every client thread calls ``step(client, i)`` in a loop for ``seconds`` (bounded); step returns (ms, ok)."""
    stop = threading.Event()
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    counted = threading.Event()
    budget = [max_requests]

    def loop(client: Client, index: int) -> None:
        i = 0
        while not stop.is_set():
            ms, ok = step(client, index * 1_000_000 + i)
            i += 1
            if counted.is_set():
                with lock:
                    if ok:
                        latencies.append(ms)
                    else:
                        errors[0] += 1
                    if budget[0] is not None:
                        budget[0] -= 1
                        if budget[0] <= 0:
                            stop.set()

    threads = [threading.Thread(target=loop, args=(c, n), daemon=True) for n, c in enumerate(clients)]
    for t in threads:
        t.start()
    time.sleep(warmup)
    cpu_before = server.cpu_seconds() if server else 0.0
    counted.set()
    started = time.perf_counter()
    stop.wait(seconds)
    stop.set()
    elapsed = time.perf_counter() - started
    with lock:
        served = len(latencies) + errors[0]
        cpu_used = server.cpu_seconds() - cpu_before if server else 0.0
    for t in threads:
        t.join(timeout=30)
    cpu_ms = cpu_used * 1000 / served if server and served else None
    return Measure(name, len(latencies), elapsed, latencies, errors[0], kind, cpu_ms)


def timed_get(path_for):
    def step(client: Client, i: int):
        path = path_for(i) if callable(path_for) else path_for
        t = time.perf_counter()
        status, _, _ = client.get(path)
        return (time.perf_counter() - t) * 1000, status == 200
    return step


# -- cases ------------------------------------------------------------------------------


def submit_text() -> str:
    """A realistic answer of about 1,200 字 (the longest on-subject fixture)."""
    texts = [p.read_text(encoding="utf-8") for p in REALISTIC.glob("*.txt") if not p.name.startswith("off_")]
    return max(texts, key=len)


def discover(client: Client) -> dict:
    """Slugs and ids the cases need, read through the app's own pages (logged in as bench-heavy)."""
    _, body, _ = client.get("/questions")
    slugs = re.findall(r'href="/questions/(bc-\d+)"', body.decode())
    _, body, _ = client.get("/me/history")
    attempt_ids = [int(x) for x in re.findall(r'href="/attempts/(\d+)"', body.decode())]
    return {"slug": slugs[0], "slugs": sorted(set(slugs)), "attempts": attempt_ids[:40]}


def login_all(port: int, names: list[str]) -> list[Client]:
    return [Client(port).login(n) for n in names]


def page_cases(server: Server, args, info: dict, lists_only: bool = False) -> list[tuple[str, list[Client], object]]:
    port = server.port
    heavy = login_all(port, ["bench-heavy"] * args.clients)
    tutor = login_all(port, ["bench-tutor"] * args.clients)
    admin = login_all(port, ["bench-admin"] * args.clients)
    today = date(2026, 11, 30)
    lists = [
        ("question list", heavy, "/questions"),
        ("question list ?area", heavy, "/questions?area=zhifa"),
        ("history", heavy, "/me/history"),
        ("review list", tutor, "/tutor/attempts"),
        ("review ?question", tutor, f"/tutor/attempts?question={info['slug']}"),
        ("review ?candidate", tutor, "/tutor/attempts?candidate=bench-heavy"),
        ("review ?dates", tutor, f"/tutor/attempts?date_from={today - timedelta(days=30)}&date_to={today}"),
        ("review ?flagged (只看被标记的)", tutor, "/tutor/attempts?flagged=y"),
        ("review ?overridden", tutor, "/tutor/attempts?overridden=y"),
        ("admin user list", admin, "/admin/users"),
    ]
    if lists_only:
        return lists
    ids = info["attempts"]
    return [
        ("question page", heavy, f"/questions/{info['slug']}"),
        ("result page", heavy, lambda i: f"/attempts/{ids[i % len(ids)]}"),
    ] + lists


def measure_pages(server: Server, args, info: dict, lists_only: bool = False) -> list[Measure]:
    out = []
    for name, clients, path in page_cases(server, args, info, lists_only):
        for c in clients[:1]:  # one unmeasured request: first-use work (stored model results) is not the bench
            status, _, _ = c.get(path(0) if callable(path) else path)
            if status != 200:
                raise RuntimeError(f"{name}: {path} answered {status}")
        out.append(with_ceiling(server, args,
                                partial(run_case, name, clients, timed_get(path), args.seconds, server=server)))
    return out


def writers(port: int, args, slug: str) -> list[Client]:
    clients = login_all(port, [f"bench-w{i:02d}" for i in range(1, args.clients + 1)])
    for c in clients:
        c.post_form(f"/questions/{slug}/start", {"csrf_token": c.token(f"/questions/{slug}"), "mode": "practice"})
        c.token(f"/questions/{slug}/practice")
    return clients


def measure_writing(server: Server, args, info: dict, clients: list[Client]) -> list[Measure]:
    slug = info["slug"]
    text = submit_text()

    def practice(client: Client, i: int):
        t = time.perf_counter()
        status, _, _ = client.get(f"/questions/{slug}/practice")
        return (time.perf_counter() - t) * 1000, status == 200

    def autosave(client: Client, i: int):
        body = json.dumps({"text": text[: 200 + i % 800]}).encode()
        t = time.perf_counter()
        status, _, _ = client.request("POST", f"/questions/{slug}/draft", body, {
            "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": client.csrf})
        return (time.perf_counter() - t) * 1000, status == 200

    cases = [
        lambda: run_case("practice page", clients, practice, args.seconds, server=server),
        lambda: run_case("autosave", clients, autosave, args.seconds, kind="autosave", server=server),
        lambda: run_case("submit (start + score + store)", clients, submit_step(slug, text), args.seconds,
                         kind="submit", server=server),
    ]
    return [with_ceiling(server, args, case) for case in cases]


def submit_step(slug: str, text: str):
    """Start (unmeasured latency, counted in the rate) and submit: a submit needs an open draft."""
    def step(client: Client, i: int):
        client.post_form(f"/questions/{slug}/start", {"csrf_token": client.csrf, "mode": "practice"})
        t = time.perf_counter()
        status, _, headers = client.post_form(f"/questions/{slug}/submit", {"csrf_token": client.csrf, "text": text})
        ok = status == 302 and "/attempts/" in (headers.get("Location") or "")
        return (time.perf_counter() - t) * 1000, ok
    return step


def healthz(server: Server, args, seconds: float | None = None) -> Measure:
    clients = [Client(server.port) for _ in range(args.clients)]
    return run_case("/healthz", clients, timed_get("/healthz"), seconds or args.seconds, kind="ceiling",
                    server=server)


def with_ceiling(server: Server, args, measure_case) -> Measure:
    """A case and, just before it, /healthz on the same server: the machine's load drifts over a
    run (other work starts and stops), so each case is divided by the ceiling of its own moment."""
    ceiling = healthz(server, args, args.ceiling_seconds)
    measured = measure_case()
    measured.ceiling_rps = ceiling.rps
    return measured


# -- reporting ----------------------------------------------------------------------------


def load_average() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def target_for(m: Measure) -> float | None:
    if m.kind == "ceiling":
        return None
    return TARGETS.get(m.kind, PAGE_TARGET)


def print_table(title: str, ceiling: Measure, measures: list[Measure]) -> None:
    print(f"\n## {title}  ({load_average()})")
    print("÷healthz: req/s ÷ /healthz req/s measured just before the case (the healthz column), same server")
    print(f"{'case':<34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'healthz':>8} {'÷healthz':>9} {'cpu ms':>7}  "
          f"{'target':<16} errors")
    for m in [ceiling, *measures]:
        base = m.ceiling_rps or ceiling.rps
        ratio = m.rps / base if base else 0.0
        target = target_for(m)
        verdict = ""
        if target is not None:
            ok = ratio >= target and m.pct(0.99) < P99_TARGET_MS
            verdict = f"≥{target:g}, p99<{P99_TARGET_MS:g} {'ok' if ok else 'MISS'}"
        print(f"{m.name:<34} {m.rps:8.0f} {m.pct(0.5):8.1f} {m.pct(0.99):8.1f} {base:8.0f} {ratio:9.2f} {m.cpu:>7}  "
              f"{verdict:<16} {m.errors}")


def compare_lists(small_url: str, large_url: str, args) -> bool:
    """The list pages at small and large data, measured back to back (small, large, small).

    Both servers run at once (each 2 workers; only one is loaded at a time), so
    the machine's load moves little between the two sides of a comparison:
    growth = mean req/s at small data ÷ req/s at large data; target ≤ 1.5.
    """
    small, large = Server(small_url, args.port + 10, args.workers), Server(large_url, args.port + 11, args.workers)
    small.start()
    large.start()
    ok_all = True
    try:
        info = {}
        for server in (small, large):
            info[server.port] = discover(Client(server.port).login("bench-heavy"))
        cases = {server.port: page_cases(server, args, info[server.port], lists_only=True)
                 for server in (small, large)}
        cases = {port: [("/healthz", [Client(port) for _ in range(args.clients)], "/healthz"), *c]
                 for port, c in cases.items()}
        print(f"\n## small vs large data, back to back: small, large, small  ({load_average()})")
        print("growth = server CPU per request at large ÷ at small (the shared machine's load moves req/s, "
              "not the CPU a request costs); req/s shown too")
        print(f"{'page':<34} {'small r/s':>9} {'large r/s':>9} {'cpu small':>10} {'cpu large':>10} {'growth':>7}")
        for (name, s_clients, s_path), (_, l_clients, l_path) in zip(cases[small.port], cases[large.port],
                                                                      strict=True):
            for clients, path in ((s_clients, s_path), (l_clients, l_path)):
                status, _, _ = clients[0].get(path)  # first use, unmeasured
                if status != 200:
                    raise RuntimeError(f"{name}: {path} answered {status}")
            first = run_case(name, s_clients, timed_get(s_path), args.seconds, server=small)
            big = run_case(name, l_clients, timed_get(l_path), args.seconds, server=large)
            again = run_case(name, s_clients, timed_get(s_path), args.seconds, server=small)
            small_rps = (first.rps + again.rps) / 2
            small_cpu = ((first.cpu_ms or 0) + (again.cpu_ms or 0)) / 2
            growth = (big.cpu_ms or 0) / small_cpu if small_cpu else float("inf")
            ok = growth <= FLAT_TARGET or name == "/healthz"
            ok_all &= ok
            print(f"{name:<34} {small_rps:9.0f} {big.rps:9.0f} {small_cpu:10.2f} {big.cpu_ms or 0:10.2f} "
                  f"{growth:7.2f} {'' if name == '/healthz' else ('ok' if ok else 'MISS')}")
    finally:
        small.stop()
        large.stop()
    return ok_all


# -- memory and imports ---------------------------------------------------------------------


def jieba_imported_by_worker() -> bool:
    """Does loading the app (what a gunicorn worker does) import jieba? Read from -X importtime."""
    env = {**os.environ, "SECRET_KEY": "x", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([str(PYTHON), "-X", "importtime", "-c", "import app"], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    return bool(re.search(r"\|\s+jieba\b", out.stderr))


# -- the browser: page weight and first render ------------------------------------------------


def browser_practice_page(server: Server, slug: str) -> dict | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("browser: playwright is not installed (pip install -e '.[test]')")
        return None
    sys.path.insert(0, str(ROOT))
    from tests.browser.support import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        print(f"browser: {CHROMIUM} not found (apt-get install chromium fonts-noto-cjk)")
        return None
    base = f"http://127.0.0.1:{server.port}"
    weigh = """() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const res = performance.getEntriesByType('resource');
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        return {
            bytes: nav.encodedBodySize + res.reduce((n, r) => n + r.encodedBodySize, 0),
            transferred: nav.transferSize + res.reduce((n, r) => n + r.transferSize, 0),
            files: 1 + res.length,
            paint: paint ? paint.startTime : null,
        };
    }"""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        login = browser.new_context()
        page = login.new_page()
        page.goto(f"{base}/login")
        page.fill("input[name=username]", "bench-w01")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.press("input[name=password]", "Enter")
        # The practice page needs an open draft (the writers' drafts were submitted by now):
        # without one it redirects to the question page, which is not what is being weighed.
        page.goto(f"{base}/questions/{slug}")
        start = page.locator("form[action$='/start'] input[type=submit]")
        if start.count():
            with page.expect_navigation():
                start.click()
        if not page.url.endswith(f"/questions/{slug}/practice"):
            raise RuntimeError(f"no practice page to weigh (at {page.url})")
        state = login.storage_state()
        login.close()
        cold, warm = [], []
        for _ in range(3):  # a fresh browser cache each time: everything is fetched
            context = browser.new_context(storage_state=state)
            page = context.new_page()
            page.goto(f"{base}/questions/{slug}/practice", wait_until="load")
            if not page.url.endswith("/practice"):
                raise RuntimeError(f"the practice page redirected to {page.url}")
            cold.append(page.evaluate(weigh))
            for _ in range(3):  # the same tab again: hashed static files come from the cache
                page.goto(f"{base}/questions/{slug}/practice", wait_until="load")
                warm.append(page.evaluate(weigh))
            context.close()
        browser.close()
    return {"cold": cold, "warm": warm}


# -- main ------------------------------------------------------------------------------------------


def fill(url: str, small: bool) -> None:
    cmd = [str(PYTHON), str(ROOT / "bench" / "fill.py"), "--database-url", url] + (["--small"] if small else [])
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def bench_database(url: str, args, *, full: bool) -> tuple[Measure, list[Measure], dict]:
    server = Server(url, args.port, args.workers)
    server.start()
    extra: dict = {}
    try:
        heavy = Client(server.port).login("bench-heavy")
        info = discover(heavy)
        if full:
            extra["rss_start"] = server.worker_rss_mb()
        ceiling = healthz(server, args)
        measures = measure_pages(server, args, info, lists_only=not full)
        if full:
            clients = writers(server.port, args, info["slug"])
            measures = measure_writing(server, args, info, clients) + measures
            # 1,000 submits in all, then the workers' memory
            run_case("1,000 submits", clients, submit_step(info["slug"], submit_text()), 600, warmup=0,
                     max_requests=1000)
            extra["rss_after_submits"] = server.worker_rss_mb()
            if args.browser:
                try:
                    extra["browser"] = browser_practice_page(server, info["slug"])
                except Exception as exc:  # the HTTP figures still count
                    print(f"browser: failed ({exc.__class__.__name__}: {str(exc).splitlines()[0]})")
        ceiling_again = healthz(server, args)
        extra["ceiling_again"] = ceiling_again
    finally:
        server.stop()
    return ceiling, measures, extra


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="HTTP bench: pages as a ratio to /healthz in the same run")
    parser.add_argument("--small", help="database URL for small data (default: a fresh SQLite file)")
    parser.add_argument("--large", help="database URL filled by bench/fill.py (lists compared with small data)")
    parser.add_argument("--no-fill", action="store_true", help="use --small as it is")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--ceiling-seconds", type=float, default=2.0, help="/healthz before each case")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=5400)
    parser.add_argument("--browser", action="store_true", help="practice page weight and first render in chromium")
    parser.add_argument("--compare-only", action="store_true", help="with --large: only the small vs large lists")
    args = parser.parse_args(argv)

    print(f"# bench_http: gunicorn {args.workers} sync workers, {args.clients} clients, {args.seconds:g} s a case")
    print(f"# machine: {os.cpu_count()} cores; {load_average()}")
    tmp = tempfile.mkdtemp(prefix="bench-http-")
    small_url = args.small or f"sqlite:///{tmp}/small.sqlite3"
    if not args.no_fill:
        fill(small_url, small=True)
    if args.large and args.compare_only:
        return 0 if compare_lists(small_url, args.large, args) else 1
    ceiling, measures, extra = bench_database(small_url, args, full=True)
    print_table(f"small data ({small_url.split('@')[-1]})", ceiling, measures)
    again = extra["ceiling_again"]
    print(f"/healthz again at the end: {again.rps:.0f} req/s (drift {again.rps / ceiling.rps - 1:+.0%})")
    print(f"\nworker RSS after start: {', '.join(f'{x:.0f} MB' for x in extra['rss_start'])}; "
          f"after 1,000 submits: {', '.join(f'{x:.0f} MB' for x in extra['rss_after_submits'])} (target < 150 MB)")
    print(f"a worker imports jieba: {'YES' if jieba_imported_by_worker() else 'no'} (python -X importtime)")
    if extra.get("browser"):
        b = extra["browser"]
        cold, warm = b["cold"], b["warm"]

        def median_paint(runs: list[dict]) -> str:
            paints = [r["paint"] for r in runs if r["paint"] is not None]
            return f"{statistics.median(paints):.0f} ms" if paints else "not reported"

        print(f"practice page in chromium: {cold[0]['files']} files, {cold[0]['bytes'] / 1024:.1f} KB with everything "
              f"it loads (target < 150 KB); transferred on a repeat visit {warm[0]['transferred'] / 1024:.1f} KB; "
              f"first contentful paint median {median_paint(cold)} with an empty cache, {median_paint(warm)} "
              f"cached (target < 200 ms)")
    ok = True
    if args.large:
        big_ceiling, big, _ = bench_database(args.large, args, full=False)
        print_table(f"large data ({args.large.split('@')[-1]})", big_ceiling, big)
        ok = compare_lists(small_url, args.large, args)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
