"""Helpers for the browser tests: a real server process and recorded browser sessions.

The server is a `flask run` subprocess on 127.0.0.1 and a free port, with
its own SQLite file, so a test can kill it and start it again on the same
database. The question bank is loaded with the CLI first: the shipped bank
(and bc-04) when it passes `bank check`, else the small test bank.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
FLASK = Path(sys.executable).with_name("flask")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install chromium fonts-noto-cjk; .ci/run does it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[test]')"
    try:
        import axe_playwright_python  # noqa: F401
    except ImportError:
        return "the axe-playwright-python package is not installed (pip install -e '.[test]')"
    return None


def _free_port() -> int:
    """A free port: any, or one from BROWSER_TEST_PORTS ("5600-5699") on a shared machine."""
    low, _, high = os.environ.get("BROWSER_TEST_PORTS", "0-0").partition("-")
    for port in range(int(low), int(high or low) + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"no free port in BROWSER_TEST_PORTS={os.environ['BROWSER_TEST_PORTS']}")


@dataclass
class Bank:
    root: Path
    slug: str  # the 会议通知 question the flow writes
    other: str  # a second question for the clock tests


@dataclass
class LiveServer:
    """`flask run` on 127.0.0.1; kill() and start() keep the port and the database."""

    db_path: Path
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen | None = None
    log: Path | None = None
    bank: Bank | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FLASK_DEBUG")}
        env.update(
            SECRET_KEY="browser-tests-secret",  # the same key across restarts keeps logins valid
            DATABASE_URL=f"sqlite:///{self.db_path}",
            FAZHI_ENV="production",
            PYTHONUNBUFFERED="1",
            # every test registers its own candidates from the one address 127.0.0.1
            REGISTER_LIMIT="1000 per hour",
        )
        return env

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(FLASK), "--app", "app", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120
        )

    def start(self) -> None:
        self.log = self.db_path.with_suffix(f".{int(time.time() * 1000)}.log")
        with self.log.open("w") as handle:  # the child keeps its own descriptor
            self.process = subprocess.Popen(
                [str(FLASK), "--app", "app", "run", "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=ROOT,
                env=self.env,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()}")

    def kill(self) -> None:
        """SIGKILL: no chance to flush or clean up, as in a crash."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


def shift_draft_start(db_path: Path, username: str, minutes: int) -> None:
    """Move a user's draft start back by ``minutes`` (as if they started earlier).

    Written straight into the SQLite file the server uses; SQLAlchemy keeps
    UTC datetimes there as naive ISO strings.
    """
    import sqlite3
    from datetime import datetime, timedelta

    fmt = "%Y-%m-%d %H:%M:%S.%f"
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT d.id, d.started_at FROM drafts d JOIN users u ON u.id = d.user_id WHERE u.username = ?",
            (username,),
        ).fetchall()
        assert rows, f"{username} has no draft"
        for draft_id, started in rows:
            moved = datetime.fromisoformat(started) - timedelta(minutes=minutes)
            conn.execute("UPDATE drafts SET started_at = ? WHERE id = ?", (moved.strftime(fmt), draft_id))


def pick_bank(server: LiveServer) -> Bank:
    check = server.cli("bank", "check")
    if check.returncode == 0 and (ROOT / "question_bank/questions/bc-04.md").exists():
        return Bank(ROOT, "bc-04", "bc-07")
    # The shipped bank is still being written: walk the same flow on the test bank's notice.
    sys.stderr.write(f"\nbrowser tests: shipped bank not usable yet, using tests/fixtures/mini_bank\n{check.stderr}\n")
    return Bank(ROOT / "tests" / "fixtures" / "mini_bank", "t-01", "t-01")


class Session:
    """One browser context (a device): its pages' requests and script errors are recorded."""

    def __init__(self, browser, live: LiveServer, viewport: dict, *, javascript: bool = True):
        self.live = live
        self.context = browser.new_context(
            viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai", java_script_enabled=javascript
        )
        self.context.set_default_timeout(10_000)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.new_page()

    def new_page(self):
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on(
            "console",
            lambda msg: self.errors.append(f"console: {msg.text}")
            if msg.type == "error" and "Failed to load resource" not in msg.text
            else None,
        )
        return page

    def goto(self, path: str):
        return self.page.goto(self.live.url + path)

    def check_clean(self) -> None:
        """Every request stayed on 127.0.0.1, and no script error or CSP violation happened."""
        foreign = [u for u in self.requests if urlsplit(u).hostname != "127.0.0.1"]
        assert not foreign, f"requests left 127.0.0.1: {foreign}"
        assert self.requests, "no request was recorded"
        assert not self.errors, self.errors

    def close(self) -> None:
        self.context.close()


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it is now, one readable line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def check_axe(page) -> None:
    """Fail with every axe-core violation of the page (WCAG rules axe runs by default)."""
    violations = axe_violations(page)
    assert not violations, f"{page.url}: " + "; ".join(violations)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")  # sticky toolbars render over the text otherwise
    page.screenshot(path=str(path), full_page=True)
    return path
