"""Where a page spends its time: each bench page in-process, timed and profiled.

    .venv/bin/python bench/profile_pages.py                       # fills a small SQLite database first
    .venv/bin/python bench/profile_pages.py --database-url URL --no-fill --page result --top 25

The same pages as ``bench_http.py`` (same accounts, same data from
``fill.py --small``; the writing cases autosave and start+submit too), requested
through Flask's test client in one process, so
what is measured is the app alone: no gunicorn, no sockets. For each page it
prints the median milliseconds and SQL statements per request, and with
``--profile`` (pyinstrument, ``pip install -e '.[bench]'``) a call tree of
repeated requests, to name the bottleneck before changing anything.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def login(app, username: str):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = CSRF_RE.search(html).group(1)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    if response.status_code != 302:
        raise RuntimeError(f"login as {username} failed ({response.status_code})")
    return client


def pages(app) -> dict[str, tuple[object, str]]:
    heavy, tutor, admin = login(app, "bench-heavy"), login(app, "bench-tutor"), login(app, "bench-admin")
    writer = login(app, "bench-w01")
    slug = sorted(set(re.findall(r'href="/questions/(bc-\d+)"', heavy.get("/questions").get_data(as_text=True))))[0]
    attempt = re.search(r'href="/attempts/(\d+)"', heavy.get("/me/history").get_data(as_text=True)).group(1)
    html = writer.get(f"/questions/{slug}").get_data(as_text=True)
    writer.post(f"/questions/{slug}/start", data={"csrf_token": CSRF_RE.search(html).group(1), "mode": "practice"})
    today = date(2026, 11, 30)
    return {**_page_paths(heavy, tutor, admin, writer, slug, attempt, today), **writing(app, slug)}


def _page_paths(heavy, tutor, admin, writer, slug, attempt, today):
    return {
        "healthz": (heavy, "/healthz"),
        "practice": (writer, f"/questions/{slug}/practice"),
        "question": (heavy, f"/questions/{slug}"),
        "result": (heavy, f"/attempts/{attempt}"),
        "questions": (heavy, "/questions"),
        "questions-area": (heavy, "/questions?area=zhifa"),
        "history": (heavy, "/me/history"),
        "review": (tutor, "/tutor/attempts"),
        "review-flagged": (tutor, "/tutor/attempts?flagged=y"),
        "review-dates": (tutor, f"/tutor/attempts?date_from={today - timedelta(days=30)}&date_to={today}"),
        "admin-users": (admin, "/admin/users"),
    }


def writing(app, slug: str) -> dict[str, tuple[object, object]]:
    """The bench's writing cases as callables: autosave (JSON), and start + submit (the bench's submit pair)."""
    import json

    from bench_http import submit_text

    client = login(app, "bench-w02")
    html = client.get(f"/questions/{slug}").get_data(as_text=True)
    token = CSRF_RE.search(html).group(1)
    client.post(f"/questions/{slug}/start", data={"csrf_token": token, "mode": "practice"})
    text = submit_text()
    count = iter(range(10**9))

    def autosave(c):
        body = json.dumps({"text": text[: 200 + next(count) % 800]})
        return c.post(f"/questions/{slug}/draft", data=body, headers={
            "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token})

    def start(c):
        return c.post(f"/questions/{slug}/start", data={"csrf_token": token, "mode": "practice"})

    def submit(c):
        response = c.post(f"/questions/{slug}/submit", data={"csrf_token": token, "text": text})
        assert response.status_code == 302 and "/attempts/" in response.headers["Location"], response.status_code
        return response

    def start_submit(c):
        start(c)
        return submit(c)

    return {"autosave": (client, autosave), "start+submit": (client, start_submit)}


def request(client, path):
    """GET a page, or run a writing case (a callable)."""
    return path(client) if callable(path) else client.get(path)


def count_statements(app, client, path) -> int:
    from sqlalchemy import event

    from fazhi_prep.extensions import db

    seen = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: seen.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        request(client, path)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh small SQLite database")
    parser.add_argument("--no-fill", action="store_true")
    parser.add_argument("--page", action="append", help="only these pages (repeatable)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--profile", action="store_true", help="pyinstrument call tree per page")
    parser.add_argument("--top", type=int, default=0, help="with --profile: print as text, this many lines")
    args = parser.parse_args(argv)

    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='profile-pages-')}/small.sqlite3"
    if not args.no_fill:
        subprocess.run([sys.executable, str(ROOT / "bench" / "fill.py"), "--database-url", url, "--small"],
                       check=True, stdout=subprocess.DEVNULL)
    os.environ.update(DATABASE_URL=url, SECRET_KEY="profile-pages", FAZHI_ENV="production")
    from fazhi_prep import create_app

    app = create_app()
    chosen = pages(app)
    names = args.page or list(chosen)
    print(f"# profile_pages: {url.split('@')[-1]}; median of {args.requests} requests in-process")
    print(f"{'page':<16} {'ms':>7} {'SQL':>4}")
    for name in names:
        client, path = chosen[name]
        for _ in range(5):  # first use: stored model results, template compilation
            assert request(client, path).status_code in (200, 302), f"{name}: {path}"
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            request(client, path)
            times.append((time.perf_counter() - started) * 1000)
        print(f"{name:<16} {statistics.median(times):7.2f} {count_statements(app, client, path):4d}")
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            profiler.start()
            for _ in range(args.requests):
                request(client, path)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False)
                  if not args.top else "\n".join(profiler.output_text(unicode=True, color=False).splitlines()[:args.top]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
