"""Browser tests: the app as a real server process, driven by headless chromium.

The server is a `flask run` subprocess on 127.0.0.1 and a free port, with
its own SQLite file, so a test can kill it and start it again on the same
database. The question bank is loaded with the CLI first: the shipped bank
(and bc-04) when it passes `bank check`, else the small test bank.
"""

from __future__ import annotations

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, LAPTOP, LiveServer, Session, pick_bank


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A running server with a migrated database and the bank loaded."""
    server = LiveServer(tmp_path_factory.mktemp("live") / "app.sqlite3")
    bank = pick_bank(server)
    loaded = server.cli("bank", "load", "--root", str(bank.root))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    server.bank = bank
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def device(browser, live):
    """Open browser contexts (laptop by default); each is checked for foreign requests at the end."""
    sessions: list[Session] = []

    def open_device(viewport: dict = LAPTOP) -> Session:
        session = Session(browser, live, viewport)
        sessions.append(session)
        return session

    yield open_device
    try:
        for session in sessions:
            session.check_clean()
    finally:
        for session in sessions:
            session.close()
