"""Helpers for the operations tests: scratch databases, free ports, app servers in subprocesses."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

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


def wait_ready(port: int, path: str = "/healthz", timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        finally:
            conn.close()
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
        try:
            wait_ready(port)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}; gunicorn said:\n{log.read_text(errors='replace')[-2000:]}") from exc
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class FormParser(HTMLParser):
    """The fields of one HTML form (by its id) as a browser would post them, buttons left out."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input" and a.get("type", "text") not in ("submit", "button", "image", "reset"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            # As in a browser: CRLF becomes LF, and one newline right after <textarea> is dropped.
            value = "".join(self._text).replace("\r\n", "\n")
            self.fields.append((self._textarea, value.removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormParser(form_id)
    parser.feed(html)
    return parser.fields


class Browser:
    """One person's browser: a cookie jar shared across servers (same host, different ports)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8")
        finally:
            conn.close()
        for raw in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(raw)
            for key, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        return response.status, {k.lower(): v for k, v in response.headers.items()}, text

    def get(self, port: int, path: str, **headers):
        return self.request(port, "GET", path, headers=headers)

    def post_form(self, port: int, path: str, fields: list[tuple[str, str]] | dict[str, str]):
        return self.request(port, "POST", path, body=urlencode(fields).encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded"})

    def post_json(self, port: int, path: str, payload: dict, csrf: str):
        return self.request(port, "POST", path, body=json.dumps(payload).encode(), headers={
            "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf,
        })

    def csrf(self, port: int, path: str) -> str:
        status, _, html = self.get(port, path)
        assert status == 200, (status, path)
        match = _CSRF.search(html)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def login(self, port: int, username: str, password: str) -> None:
        token = self.csrf(port, "/login")
        status, _, _ = self.post_form(port, "/login", {"csrf_token": token, "username": username, "password": password})
        assert status == 302, f"login as {username} on port {port}: HTTP {status}"


_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
