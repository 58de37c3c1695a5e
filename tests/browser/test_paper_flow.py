"""模拟考试 end to end in chromium: a paper across two questions, switching, reload in the
middle, hand-in with the confirmation, time-out, and the report — at laptop and phone widths.

Every page visited is checked with axe-core (no violations), and the `device` fixture
checks that no request left 127.0.0.1 and no script error or CSP violation happened.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from datetime import datetime, timedelta

import pytest

from fazhi_prep.scoring import char_count
from tests.browser.support import PHONE, SCREENSHOTS, screenshot

from tests.browser.support import missing_browser  # isort: skip

_why = missing_browser()
if _why:
    pytest.skip(f"browser tests skipped: {_why}", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "mima-12345678"
PAPER = "mk-01"
FIRST = (
    "关于召开市政府常务会议的通知\n"
    "各区人民政府，市政府各部门：\n"
    "为学习贯彻《法治政府建设实施纲要（2021—2025年）》，定于2021年8月20日上午9:00召开市政府常务会议。\n"
    "一、会议内容：传达学习《纲要》；研究全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。\n"
    "二、参会人员：各区区长，市政府各部门主要负责同志。\n"
    "J市人民政府办公室\n"
    "2021年8月16日"
)
SECOND = (
    "一、存在的问题\n"
    "一是依法决策意识不强，重大行政决策程序执行不到位。二是行政执法不规范，执法公示和全过程记录落实不够。\n"
    "二、对策建议\n"
    "一要严格落实重大行政决策程序，坚持公众参与、专家论证、风险评估、合法性审查和集体讨论决定。"
    "二要全面推行行政执法三项制度，规范执法行为。三要加强法治政府建设组织保障。"
)
AXE = Axe()
LAPTOP = {"width": 1366, "height": 768}  # the brief's laptop: a 768-pixel-high screen


def a11y(page, where: str) -> None:
    """axe-core on the page as it stands: no violations."""
    results = AXE.run(page)
    assert results.violations_count == 0, f"{where}:\n{results.generate_report()}"


def register(session, username: str) -> None:
    page = session.page
    session.goto("/register")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#password2", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/questions$"))


def start_paper(session) -> int:
    page = session.page
    session.goto("/papers")
    a11y(page, "papers list")
    page.click(f'a[href="/papers/{PAPER}"]')
    page.wait_for_url(re.compile(rf"/papers/{PAPER}$"))
    a11y(page, "paper page")
    page.click("#start-paper")
    page.wait_for_url(re.compile(r"/papers/sittings/\d+$"))
    page.wait_for_function("() => !!window.fazhiPaper")
    return int(page.get_attribute("#paper-exam", "data-sitting"))


def wait_saved(page, position: int) -> None:
    page.wait_for_function(
        """(n) => { const e = window.fazhiPaper.editors.get(n);
                    return !e.autosave.dirty && !e.autosave.inflight
                      && e.panel.querySelector('.save-status').dataset.kind === 'saved'; }""",
        arg=position,
        timeout=15_000,
    )


def server_state(session, sitting: int) -> dict:
    response = session.context.request.get(
        f"{session.live.url}/papers/sittings/{sitting}/state", headers={"Accept": "application/json"}
    )
    assert response.ok, response.status
    return response.json()


def shift_sitting(db_path, sitting: int, minutes: float) -> None:
    """Move a sitting's start (and last switch) back, as if it had begun earlier."""
    fmt = "%Y-%m-%d %H:%M:%S.%f"
    with sqlite3.connect(db_path) as conn:
        started, since = conn.execute(
            "SELECT started_at, active_since FROM paper_attempts WHERE id = ?", (sitting,)
        ).fetchone()
        moved = (datetime.fromisoformat(started) - timedelta(minutes=minutes)).strftime(fmt)
        moved_since = (datetime.fromisoformat(since) - timedelta(minutes=minutes)).strftime(fmt) if since else None
        conn.execute(
            "UPDATE paper_attempts SET started_at = ?, active_since = ? WHERE id = ?", (moved, moved_since, sitting)
        )


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_paper_across_two_questions_with_switching_reload_and_report(device, live, viewport):
    width = "laptop" if viewport is LAPTOP else "phone"
    session = device(viewport)
    page = session.page
    register(session, f"mk{uuid.uuid4().hex[:8]}")
    sitting = start_paper(session)
    assert page.inner_text("#paper-clock-label") == "剩余时间"
    assert page.locator(".q-tab").count() == 4
    assert page.locator("#q-1").is_visible() and page.locator("#q-2").is_hidden()
    a11y(page, f"exam page ({width})")

    # question 1: the live count on the editor and on its tab
    page.locator("#answer-1").press_sequentially(FIRST[:40])
    page.locator("#answer-1").evaluate("(el, rest) => { el.value += rest; el.dispatchEvent(new Event('input')); }", FIRST[40:])
    wait_saved(page, 1)
    assert int(page.inner_text("#q-1 .count-value")) == char_count(FIRST)
    assert page.inner_text("#tab-1 .tab-count") == str(char_count(FIRST))
    assert page.inner_text("#tab-1 .tab-status") == "已作答"

    # switch to question 2 without leaving the page; the server hears of it
    page.click("#tab-2")
    page.wait_for_function("() => window.fazhiPaper.current() === 2")
    assert page.locator("#q-2").is_visible() and page.locator("#q-1").is_hidden()
    assert page.get_attribute("#tab-2", "aria-current") == "step"
    assert page.url.endswith("?q=2")
    page.locator("#answer-2").fill(SECOND)
    wait_saved(page, 2)
    state = server_state(session, sitting)
    assert state["active"] == 2
    assert [a["text"] for a in state["answers"][:2]] == [FIRST, SECOND]
    page.click("#q-2 .grid-toggle")
    page.wait_for_selector("#q-2 .grid-row")
    assert page.locator("#q-2 .grid-row").first.locator(".cell").count() == 25
    a11y(page, f"exam page, question 2 with 方格纸 ({width})")
    screenshot(page, f"paper-exam-{width}")
    # what the candidate sees while writing: the sticky bar (clock, tabs) above the editor
    page.locator("#answer-2").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"paper-exam-{width}-writing.png"))
    page.click("#q-2 .grid-toggle")

    # reload in the middle: the same question, both texts, the same clock
    started = page.get_attribute("#paper-exam", "data-started-at")
    page.reload()
    page.wait_for_function("() => !!window.fazhiPaper")
    assert page.get_attribute("#paper-exam", "data-started-at") == started
    assert page.locator("#q-2").is_visible()
    assert page.input_value("#answer-2") == SECOND
    assert page.input_value("#answer-1") == FIRST
    page.click("#tab-1")
    assert page.locator("#q-1").is_visible()

    # 交卷: the server lists the unanswered questions first
    page.click("#hand-in-btn")
    page.wait_for_url(re.compile(rf"/papers/sittings/{sitting}/hand-in$"))
    assert "还有 2 道题没有作答：第3题" in page.inner_text("main")
    a11y(page, f"confirm page ({width})")
    page.click("#confirm-hand-in")
    page.wait_for_url(re.compile(rf"/papers/sittings/{sitting}/report$"))

    # the report: total, per-question scores and time, a link to each full result
    total = float(page.inner_text("#paper-total"))
    assert 0 < total <= 100
    rows = page.locator("table.paper-report tbody tr")
    assert rows.count() == 4
    assert "未作答" in rows.nth(2).inner_text() and "未作答" in rows.nth(3).inner_text()
    assert "查看第1题结果" in rows.nth(0).inner_text()
    assert "全卷未覆盖的要点（按纲要领域）" in page.inner_text("main")
    a11y(page, f"report ({width})")
    screenshot(page, f"paper-report-{width}")
    page.click("text=查看第1题结果")
    page.wait_for_url(re.compile(r"/attempts/\d+$"))
    assert "本题是模拟考试" in page.inner_text("main")
    a11y(page, f"question result from a paper ({width})")

    # history shows the paper beside single attempts
    session.goto("/me/history")
    assert "模拟考试" in page.inner_text("main") and "模拟考试一" in page.inner_text("main")
    a11y(page, f"history with a paper ({width})")


def test_time_out_hands_in_what_was_saved(device, live):
    session = device(LAPTOP)
    page = session.page
    register(session, f"mkt{uuid.uuid4().hex[:8]}")
    sitting = start_paper(session)
    page.locator("#answer-1").fill(FIRST)
    wait_saved(page, 1)
    minutes = int(page.get_attribute("#paper-exam", "data-minutes"))
    # as if the sitting began long ago: four seconds remain when the page opens again
    shift_sitting(live.db_path, sitting, minutes - 4 / 60)
    page.reload()
    page.wait_for_function("() => !!window.fazhiPaper")
    assert page.inner_text("#paper-clock-label") == "剩余时间"
    page.wait_for_url(re.compile(rf"/papers/sittings/{sitting}/report$"), timeout=20_000)
    assert "（时间到自动交卷）" in page.inner_text("main")
    first = page.locator("table.paper-report tbody tr").nth(0).inner_text()
    assert "查看第1题结果" in first
    a11y(page, "report after time-out")
    # the sitting is closed: the exam page now leads to the report
    session.goto(f"/papers/sittings/{sitting}")
    page.wait_for_url(re.compile(rf"/papers/sittings/{sitting}/report$"))


def test_lapsed_login_keeps_every_answer_and_restores_it_after_login(device, live):
    session = device(LAPTOP)
    page = session.page
    username = f"mkl{uuid.uuid4().hex[:8]}"
    register(session, username)
    sitting = start_paper(session)
    page.locator("#answer-1").fill("第一题：已自动保存。")
    wait_saved(page, 1)

    session.context.clear_cookies()  # the session lapses
    page.click("#tab-2")
    page.locator("#answer-2").press_sequentially("第二题：登录过期后写的。")
    page.wait_for_function("() => document.querySelector('#q-2 .save-status').dataset.kind === 'login'")
    assert "登录已过期" in page.inner_text("#save-alert")
    # 交卷 now fails without losing anything
    page.click("#hand-in-btn")
    page.wait_for_function("() => document.getElementById('save-alert').textContent.startsWith('未交卷：登录已过期')")
    assert re.search(rf"/papers/sittings/{sitting}(\?q=2)?$", page.url)

    page.click("#relogin-link")
    page.wait_for_url(re.compile(r"/login\?next="))
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(rf"/papers/sittings/{sitting}$"))
    page.wait_for_function("() => !!window.fazhiPaper")
    assert page.input_value("#answer-2") == "第二题：登录过期后写的。"  # the browser copy was newer
    wait_saved(page, 2)
    state = server_state(session, sitting)
    assert [a["text"] for a in state["answers"][:2]] == ["第一题：已自动保存。", "第二题：登录过期后写的。"]
    a11y(page, "exam page after logging in again")


def test_without_javascript_tabs_save_and_switch(browser, live, device):
    from tests.browser.support import Session

    session = Session(browser, live, LAPTOP, javascript=False)
    try:
        page = session.page
        register(session, f"mkn{uuid.uuid4().hex[:8]}")
        session.goto(f"/papers/{PAPER}")
        page.click("#start-paper")
        page.wait_for_url(re.compile(r"/papers/sittings/\d+$"))
        sitting = int(page.get_attribute("#paper-exam", "data-sitting"))
        page.fill("#answer-1", FIRST)
        page.click("#tab-2")  # a submit button: posts every answer, then shows question 2
        page.wait_for_url(re.compile(rf"/papers/sittings/{sitting}\?q=2$"))
        assert page.locator("#q-2").is_visible() and page.input_value("#answer-1") == FIRST
        html = page.content()
        session.check_clean()
    finally:
        session.close()
    # axe needs scripts: check the page as served without JavaScript, in a scripted tab
    # on the same origin with the page's own scripts taken out.
    checker = device(LAPTOP)
    checker.goto("/healthz")
    checker.page.set_content(re.sub(r"<script[^>]*></script>", "", html))
    a11y(checker.page, "exam page without scripts")
