"""The practice experience end to end, as a new candidate walks it in chromium.

Every test ends by checking that no request left 127.0.0.1 and that no
script error or CSP violation happened (the `device` fixture).
"""

from __future__ import annotations

import json
import re
import time
import uuid

import pytest

from fazhi_prep.scoring import char_count
from tests.browser.support import (
    LAPTOP,
    PHONE,
    ROOT,
    missing_browser,
    screenshot,
    shift_draft_start,
)

_why = missing_browser()
if _why:
    pytest.skip(f"browser tests skipped: {_why}", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402  (only once we know playwright is there)

pytestmark = pytest.mark.browser

PASSWORD = "mima-12345678"
NOTICE = (
    "关于召开市政府常务会议的通知\n"
    "各区人民政府，市政府各部门：\n"
    "为学习贯彻《法治政府建设实施纲要（2021—2025年）》，经市政府同意，定于2021年8月20日上午9:00召开市政府常务会议。"
    "现将有关事项通知如下：\n"
    "一、会议内容：传达学习《纲要》；研究全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。\n"
    "二、会议地点：市政府3楼第一会议室。\n"
    "三、参会人员：市政府领导，各区区长，市政府各部门主要负责同志。\n"
    "四、有关要求：请提前15分钟签到，不得缺席。\n"
    "联系人：王明，电话：1234567。\n"
    "J市人民政府办公室\n"
    "2021年8月16日"
)
NO_ROW_START = set("，。、；：？！,.;:?!”’）》」』】〉〕)]}")
SAVED = (
    "() => window.fazhiAutosave && !window.fazhiAutosave.dirty && !window.fazhiAutosave.inflight"
    " && document.getElementById('save-status').dataset.kind === 'saved'"
)


def new_name(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def register(session, username: str) -> None:
    page = session.page
    session.goto("/register")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#password2", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/questions$"))


def log_in(session, username: str, path: str = "/login") -> None:
    page = session.page
    session.goto(path)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("input[type=submit]")


def start(session, slug: str, *, exam: bool = False) -> None:
    page = session.page
    session.goto("/questions")
    page.click(f'a[href="/questions/{slug}"]')
    if exam:
        page.check('input[name=mode][value=exam]')
    page.click("input[type=submit][value=开始作答]")
    page.wait_for_url(re.compile(rf"/questions/{slug}/practice$"))
    page.wait_for_function("() => !!window.fazhiAutosave")


def wait_saved(page, timeout: int = 15_000) -> None:
    page.wait_for_function(SAVED, timeout=timeout)


def server_draft(session, slug: str) -> dict:
    response = session.context.request.get(
        f"{session.live.url}/questions/{slug}/draft", headers={"Accept": "application/json"}
    )
    assert response.ok, response.status
    return response.json()


def new_candidate_practising(device, live, prefix: str):
    """A newly registered candidate on a laptop, the clock started on the bank's question."""
    laptop = device()
    username = new_name(prefix)
    register(laptop, username)
    start(laptop, live.bank.slug)
    return laptop, username, live.bank.slug


def clock_seconds(page) -> int:
    value = page.inner_text("#clock-value").lstrip("+")
    parts = [int(p) for p in value.split(":")]
    return sum(p * 60**i for i, p in enumerate(reversed(parts)))


def test_candidate_walks_the_whole_flow(device, live):
    slug = live.bank.slug
    laptop = device(LAPTOP)
    page = laptop.page
    username = new_name("ks")
    register(laptop, username)
    start(laptop, slug)
    minutes = int(page.get_attribute("#practice", "data-minutes"))
    limit = int(page.get_attribute("#practice", "data-limit-max"))
    assert char_count(NOTICE) <= limit, "the notice must fit the question's limit"

    # the live counter implements the server's rule: the engine's own vectors, in the browser
    vectors = json.loads((ROOT / "tests/fixtures/char_count_vectors.json").read_text(encoding="utf-8"))["vectors"]
    counted = page.evaluate(
        "async (texts) => { const m = await import('/static/js/counter.js'); return texts.map(m.charCount); }",
        [v["text"] for v in vectors],
    )
    assert counted == [v["count"] for v in vectors]

    # type a notice; the counter matches the server's count of the saved draft
    before = {sel: page.locator(sel).bounding_box() for sel in ("#answer", "#count-value", "#submit-btn")}
    page.locator("#answer").press_sequentially(NOTICE)
    wait_saved(page)
    # no layout jump while typing: the editor, the counter and the buttons stay put
    for sel, box in before.items():
        after = page.locator(sel).bounding_box()
        assert (after["x"], after["y"], after["height"]) == (box["x"], box["y"], box["height"]), sel
    # keyboard: from the editor, Tab reaches 提交 next
    page.focus("#answer")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "submit-btn"
    shown = int(page.inner_text("#count-value"))
    assert shown == char_count(NOTICE) == server_draft(laptop, slug)["char_count"]
    assert page.evaluate("window.fazhiAutosave.serverCount") == shown
    assert page.get_attribute("#limit-bar", "data-state") == "within"
    assert re.fullmatch(r"已保存 \d\d:\d\d:\d\d", page.inner_text("#save-status"))

    # paste a long text: the bar turns to over-limit
    page.focus("#answer")
    page.keyboard.press("Control+End")
    page.keyboard.insert_text("\n" + "坚持依法行政，建设法治政府。" * 20)
    assert page.get_attribute("#limit-bar", "data-state") == "over"
    assert page.inner_text("#limit-note").startswith("超出上限")
    page.fill("#answer", NOTICE)
    wait_saved(page)
    assert server_draft(laptop, slug)["text"] == NOTICE
    screenshot(page, "practice-laptop")

    # reload: the draft and the clock come back (the start is the server's)
    started = page.get_attribute("#practice", "data-started-at")
    page.reload()
    page.wait_for_function("() => !!window.fazhiAutosave")
    assert page.input_value("#answer") == NOTICE
    assert page.get_attribute("#practice", "data-started-at") == started
    assert page.inner_text("#clock-label") == "剩余时间"
    assert minutes * 60 - 120 < clock_seconds(page) < minutes * 60

    # a second tab: the same clock and text; what it saves reaches the first tab
    tab = laptop.new_page()
    tab.goto(page.url)
    tab.wait_for_function("() => !!window.fazhiAutosave")
    assert tab.get_attribute("#practice", "data-started-at") == started
    assert tab.input_value("#answer") == NOTICE
    tab.focus("#answer")
    tab.keyboard.press("Control+End")
    tab.keyboard.insert_text("\n第二个窗口补充的一句。")
    wait_saved(tab)
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    page.wait_for_function("() => document.getElementById('answer').value.endsWith('第二个窗口补充的一句。')")
    assert page.inner_text("#save-status").startswith("已载入其他窗口保存的内容")
    tab.close()
    page.fill("#answer", NOTICE)
    wait_saved(page)

    # the 方格纸 view: 25 cells a row, a mark every 100 cells, no row starting with a sentence mark
    page.click("#grid-toggle")
    page.wait_for_selector(".grid-row")
    rows = page.eval_on_selector_all(".grid-row", "rows => rows.map(r => [...r.children].map(c => c.textContent))")
    assert all(len(r) == 25 for r in rows)
    assert page.locator('.grid-row[data-mark="100"]').count() == 1
    assert not [r for r in rows if r[0] and r[0][0] in NO_ROW_START]
    assert "".join("".join(r) for r in rows) == re.sub(r"\s", "", NOTICE)
    assert rows[0][0] == "" and rows[1][0] == "各"  # title centred, addressee flush left
    screenshot(page, "grid-laptop")

    # the sheet's rules on a made-up text: body paragraphs indented two cells, two
    # ASCII letters/digits a cell, a closing mark squeezed into the row above
    layout = page.evaluate(
        "async (t) => (await import('/static/js/grid.js')).layoutGrid(t)",
        "标题文字\n各单位：\n" + "一" * 23 + "。" + "二" * 10 + "\n2021年AB12",
    )
    cells = [[c and c["text"] for c in row] for row in layout["rows"]]
    assert cells[0] == [None] * 10 + list("标题文字")
    assert cells[1] == list("各单位：")
    assert cells[2] == [None, None] + ["一"] * 22 + ["一。"] and layout["rows"][2][-1]["squeezed"]
    assert cells[3] == ["二"] * 10
    assert cells[4] == [None, None, "20", "21", "年", "AB", "12"]
    assert len(layout["rows"]) % 4 == 0  # whole 100-cell blocks, as on a printed sheet

    # printing gives the sheet alone
    page.emulate_media(media="print")
    assert page.is_visible("#grid-pane") and not page.is_visible(".editor-pane")
    page.emulate_media(media="screen")

    # submit: the result with highlights and the model answer side by side
    page.click("#submit-btn")
    page.wait_for_url(re.compile(r"/attempts/\d+$"))
    attempt_path = page.url.removeprefix(live.url)
    assert page.locator(".compare-col:not(.model) mark.hit").count() > 0
    assert page.locator(".compare-col.model mark.hit").count() > 0
    assert page.locator("h3", has_text="范文覆盖而你未覆盖的要点").is_visible()
    assert page.locator(".score-value").inner_text() != ""
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('fazhi:draft:'))") == []
    screenshot(page, "result-laptop")

    # self-scoring: mark every point, note one, see agreement
    points = page.locator("fieldset.self-point")
    for i in range(points.count()):
        points.nth(i).get_by_label("覆盖", exact=True).check()
    points.nth(0).locator("input[type=text]").fill("写了三项制度")
    page.click("input[type=submit][value=保存自评]")
    page.wait_for_url(re.compile(r"/attempts/\d+#self$"))
    assert "你的自评与系统评分一致" in page.inner_text("#self")

    # history: the attempt and both charts
    page.click("nav >> text=我的练习")
    page.wait_for_url(re.compile(r"/me/history$"))
    assert page.locator(f'a[href="{attempt_path}"]').count() == 1
    assert page.locator("svg.score-chart circle.score-dot").count() == 1
    assert page.locator("svg.area-chart rect.bar").count() >= 1
    assert page.locator("a.button", has_text="练习薄弱领域").count() == 1
    screenshot(page, "history-laptop")

    # the same candidate on a phone
    phone = device(PHONE)
    log_in(phone, username)
    phone.goto(attempt_path)
    screenshot(phone.page, "result-phone")
    phone.page.click("button:has-text('再练一次')")
    phone.page.wait_for_url(re.compile(rf"/questions/{slug}/practice$"))
    phone.page.wait_for_function("() => !!window.fazhiAutosave")
    phone.page.locator("#answer").press_sequentially(NOTICE[:60])
    wait_saved(phone.page)
    screenshot(phone.page, "practice-phone")
    phone.page.click("#grid-toggle")
    phone.page.wait_for_selector(".grid-row")
    screenshot(phone.page, "grid-phone")
    phone.goto("/me/history")
    screenshot(phone.page, "history-phone")


def test_lapsed_login_keeps_the_text_and_restores_it_after_login(device, live):
    laptop, username, slug = new_candidate_practising(device, live, "lapse")
    page = laptop.page
    page.locator("#answer").press_sequentially("第一段：已自动保存。")
    wait_saved(page)

    laptop.context.clear_cookies()  # the session lapses
    page.locator("#answer").press_sequentially("\n第二段：登录过期后写的。")
    page.wait_for_function("() => document.getElementById('save-status').dataset.kind === 'login'")
    alert = page.locator("#save-alert")
    assert "登录已过期" in alert.inner_text()
    stored = page.evaluate(
        "JSON.parse(localStorage.getItem(Object.keys(localStorage).find(k => k.startsWith('fazhi:draft:')))).text"
    )
    assert stored == "第一段：已自动保存。\n第二段：登录过期后写的。"

    # a submit now fails without losing anything
    page.click("#submit-btn")
    expect(alert).to_contain_text("未提交：登录已过期")
    assert page.url.endswith(f"/questions/{slug}/practice")

    page.click("#relogin-link")
    page.wait_for_url(re.compile(r"/login\?next="))
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(rf"/questions/{slug}/practice$"))
    page.wait_for_function("() => !!window.fazhiAutosave")
    assert page.input_value("#answer") == stored  # the browser copy was newer than the server's
    wait_saved(page)
    assert server_draft(laptop, slug)["text"] == stored


def test_two_devices_one_draft_shows_both_texts_and_merges(device, live):
    laptop, username, slug = new_candidate_practising(device, live, "twodev")
    phone = device(PHONE)
    log_in(phone, username)
    phone.page.wait_for_url(re.compile(r"/questions$"))
    phone.goto(f"/questions/{slug}/practice")
    phone.page.wait_for_function("() => !!window.fazhiAutosave")

    laptop.page.locator("#answer").press_sequentially("电脑上写的第一段。")
    wait_saved(laptop.page)
    phone.page.locator("#answer").press_sequentially("手机上写的一段。")  # from the older revision
    phone.page.wait_for_function("() => !document.getElementById('conflict-pane').hidden")
    assert phone.page.input_value("#conflict-server") == "电脑上写的第一段。"
    assert phone.page.input_value("#answer") == "手机上写的一段。"
    assert "其他设备" in phone.page.inner_text("#save-alert")
    assert server_draft(phone, slug)["text"] == "电脑上写的第一段。"  # nothing was overwritten
    screenshot(phone.page, "draft-conflict-phone")

    phone.page.click("#conflict-merge")
    wait_saved(phone.page)
    assert phone.page.is_hidden("#conflict-pane")
    assert server_draft(phone, slug)["text"] == "手机上写的一段。\n电脑上写的第一段。"
    for session in (laptop, phone):
        session.check_clean()


def test_closing_the_page_saves_what_was_typed_since_the_last_autosave(device, live):
    laptop, username, slug = new_candidate_practising(device, live, "close")
    page = laptop.page
    page.locator("#answer").press_sequentially("关掉页面之前写的一句。")
    page.close(run_before_unload=True)  # before the autosave timer fires: pagehide sends it
    other = device()
    log_in(other, username)
    deadline = time.monotonic() + 5
    while server_draft(other, slug)["text"] != "关掉页面之前写的一句。" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert server_draft(other, slug)["text"] == "关掉页面之前写的一句。"


def test_busy_server_keeps_the_text_and_saves_after_retry_after(device, live):
    """SQLite could not take the write in time (503 busy): the text stays, the retry lands."""
    laptop, username, slug = new_candidate_practising(device, live, "busy")
    page = laptop.page
    refusals = []

    def busy_once(route):
        if route.request.method == "POST" and not refusals:
            refusals.append(route.request.post_data_json["text"])
            route.fulfill(
                status=503,
                headers={"Retry-After": "1", "Content-Type": "application/json"},
                body=json.dumps({"error": "busy", "message": "服务器繁忙"}),
            )
        else:
            route.continue_()

    page.route(f"**/questions/{slug}/draft", busy_once)
    page.locator("#answer").press_sequentially("服务器繁忙时写的一句。")
    page.wait_for_function("() => document.getElementById('save-status').dataset.kind === 'busy'")
    assert page.inner_text("#save-status") == "服务器繁忙 · 已存本机"
    assert "服务器繁忙，几秒后会自动重试" in page.inner_text("#save-alert")
    kept = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('fazhi:draft:'))"
                         ".map(k => JSON.parse(localStorage.getItem(k)).text)")
    assert kept == ["服务器繁忙时写的一句。"]
    wait_saved(page)  # retried after Retry-After, without a keystroke
    assert refusals == ["服务器繁忙时写的一句。"]
    assert server_draft(laptop, slug)["text"] == "服务器繁忙时写的一句。"
    assert page.input_value("#answer") == "服务器繁忙时写的一句。"


def test_draft_survives_a_server_crash_between_autosave_and_submit(device, live):
    laptop, username, slug = new_candidate_practising(device, live, "crash")
    page = laptop.page
    page.locator("#answer").press_sequentially(NOTICE[:80])
    wait_saved(page)

    live.kill()
    page.locator("#answer").press_sequentially(NOTICE[80:120])
    page.wait_for_function("() => document.getElementById('save-status').dataset.kind === 'offline'")
    assert "无法连接服务器" in page.inner_text("#save-alert")
    page.click("#submit-btn")  # fails, keeps the text
    expect(page.locator("#save-alert")).to_contain_text("未提交：无法连接服务器")
    assert page.input_value("#answer") == NOTICE[:120]

    live.start()
    wait_saved(page, timeout=25_000)  # the retry loop sends the browser copy

    # another device after the restart: the server has the whole draft
    other = device()
    log_in(other, username)
    other.goto(f"/questions/{slug}/practice")
    other.page.wait_for_function("() => !!window.fazhiAutosave")
    assert other.page.input_value("#answer") == NOTICE[:120]
    other.page.fill("#answer", NOTICE)
    other.page.click("#submit-btn")
    other.page.wait_for_url(re.compile(r"/attempts/\d+$"))
    assert "你的答案" in other.page.inner_text("#compare")


def test_clock_overtime_in_practice_and_auto_submit_in_exam_mode(device, live):
    laptop = device()
    page = laptop.page
    username = new_name("clock")
    register(laptop, username)

    start(laptop, live.bank.other, exam=True)
    page.locator("#answer").press_sequentially(NOTICE[:100])
    wait_saved(page)
    minutes = int(page.get_attribute("#practice", "data-minutes"))
    shift_draft_start(live.db_path, username, minutes + 1)
    page.reload()  # past the end: the exam submits itself
    page.wait_for_url(re.compile(r"/attempts/\d+$"))
    facts = page.inner_text(".score-card")
    assert "考试" in facts and "建议" in facts

    start(laptop, live.bank.slug)
    shift_draft_start(live.db_path, username, 200)
    page.reload()
    page.wait_for_function("() => !!window.fazhiAutosave")
    assert page.inner_text("#clock-label") == "已超时"
    assert page.inner_text("#clock-value").startswith("+")
    assert "overtime" in page.get_attribute("#clock", "class")
    assert page.url.endswith("/practice")  # practice mode keeps going


def test_without_javascript_the_forms_still_work(browser, live):
    from tests.browser.support import Session

    session = Session(browser, live, LAPTOP, javascript=False)
    try:
        page = session.page
        register(session, new_name("nojs"))
        slug = live.bank.slug
        session.goto(f"/questions/{slug}")
        page.click("input[type=submit][value=开始作答]")
        page.wait_for_url(re.compile(rf"/questions/{slug}/practice$"))
        assert page.locator("#grid-toggle").is_hidden()
        page.fill("#answer", NOTICE)
        page.click("input[type=submit][value=保存草稿]")
        page.wait_for_url(re.compile(rf"/questions/{slug}/practice$"))
        assert "草稿已保存" in page.inner_text(".flashes")
        assert page.input_value("#answer") == NOTICE
        page.click("input[type=submit][value=提交评分]")
        page.wait_for_url(re.compile(r"/attempts/\d+$"))
        assert page.locator(".compare-col:not(.model) mark.hit").count() > 0
        session.check_clean()
    finally:
        session.close()
