"""Helpers for the operations tests: scratch databases, free ports, app servers in subprocesses."""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
# Servers started by tests listen on 127.0.0.1, on a port from this range.
PORTS = os.environ.get("FAZHI_TEST_PORTS", "5300-5399")


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


@contextlib.contextmanager
def scratch_database(suite_url: str, tmp_path: Path, name: str) -> Iterator[str]:
    """A new, empty database beside the suite's: a SQLite file, or a PostgreSQL schema.

    The suite's own schema is reset per session and shared by every test, so
    anything that needs a database of its own (a server, a restore) gets one
    here and it is dropped afterwards.
    """
    if not is_postgres(suite_url):
        yield f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        return
    schema = f"{name}_{secrets.token_hex(4)}"
    engine = create_engine(suite_url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(suite_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def free_port() -> int:
    low, high = (int(p) for p in PORTS.split("-"))
    for port in range(low, high + 1):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS}")


def wait_ready(port: int, path: str = "/healthz", timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not answer {path} within {timeout} s")


@contextlib.contextmanager
def gunicorn(port: int, env: dict[str, str], log: Path, workers: int = 1) -> Iterator[subprocess.Popen]:
    """The app under gunicorn on 127.0.0.1:port, stopped (and waited for) afterwards."""
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "app:app"],
            cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=out, start_new_session=True,
        )
    try:
        wait_ready(port)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
