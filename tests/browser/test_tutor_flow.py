"""A tutor authors a question in the browser, tries its rubric, publishes; a candidate practises it.

Runs on the practice tests' live server and chromium fixtures; every test
ends by checking that no request left 127.0.0.1 and that no script error
or CSP violation happened (the `device` fixture).
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.support import LAPTOP, missing_browser, screenshot

_why = missing_browser()
if _why:
    pytest.skip(f"browser tests skipped: {_why}", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402  (only once we know playwright is there)

pytestmark = pytest.mark.browser

PASSWORD = "mima-12345678"
MATERIALS = "## 给定材料\n\n1. K市决定召开**依法行政工作会议**。\n2. 会议要求推行柔性执法。"
MODEL = (
    "关于召开全市依法行政工作会议的通知\n"
    "各区人民政府，市政府各部门：\n"
    "为推进严格规范公正文明执法，市政府定于2021年9月1日上午9时在市政府第一会议室召开全市依法行政工作会议。"
    "会议将部署推行柔性执法，运用说服教育、劝导示范等方式，让执法既有力度又有温度。\n"
    "请各单位主要负责同志准时参加。联系人：李红，电话：7654321。\n"
    "K市人民政府办公室\n"
    "2021年8月25日"
)
ANSWER = (
    "关于召开依法行政工作会议的通知\n"
    "各区人民政府，市政府各部门：\n"
    "市政府定于9月1日召开依法行政工作会议，部署推行柔性执法、说服教育和劝导示范，"
    "请各单位主要负责同志参加。\n"
    "K市人民政府办公室\n"
    "2021年8月25日"
)


def log_in(session, username: str) -> None:
    page = session.page
    session.goto("/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/questions$"))


def flash(page) -> str:
    return page.inner_text(".flashes")


def test_tutor_authors_tries_and_publishes_then_a_candidate_practises(device, live):
    tutor = f"js{uuid.uuid4().hex[:8]}"
    created = live.cli("users", "create", tutor, "--role", "tutor", "--password", PASSWORD)
    assert created.returncode == 0, created.stderr
    slug = f"k-{uuid.uuid4().hex[:6]}"
    laptop = device(LAPTOP)
    page = laptop.page
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(laptop, tutor)

    # 1. a new question: the 给定材料 preview follows the typing, sanitised by the server
    laptop.goto("/tutor/")
    page.click("text=新建题目")
    page.fill("#slug", slug)
    page.fill("#title", "K市依法行政工作会议通知")
    page.select_option("#genre", "notice")
    page.fill("#prompt", "K市决定召开依法行政工作会议，请你以市政府办公室名义撰写一份会议通知（300字）。")
    expect(page.locator("#limit-hint")).to_contain_text("300字")
    page.check("input[name=areas][value=zhifa]")
    page.fill("#materials", MATERIALS + "\n\n<script>alert(1)</script>")
    expect(page.locator("#materials-preview strong")).to_have_text("依法行政工作会议")
    assert "<script" not in page.inner_html("#materials-preview")
    page.click("input[type=submit][value=保存]")
    page.wait_for_url(re.compile(rf"/tutor/questions/{slug}/rubric$"))
    assert "题目已创建" in flash(page)

    # 2. the rubric: a library point and an own point with its term groups
    library_key = page.eval_on_selector("#library_point", "s => [...s.options].map(o => o.value).find(v => v.startsWith('zhifa.'))")
    page.select_option("#library_point", library_key)
    page.click("button[value=add_library]")
    expect(page.locator("#point-1 legend")).to_contain_text(library_key)
    page.click("button[value=add]")
    own = page.locator("#point-2")
    own.locator("input[name$='-label']").fill("会议内容：推行柔性执法")
    own.locator("input[name$='-source']").fill("给定材料2")
    own.locator("textarea[name$='-terms']").fill("柔性执法 | 说服教育\n劝导示范")
    own.locator("input[name$='-weight']").fill("3")

    # moving a point is done in the page, and kept when saved
    own.locator("[data-move=up]").click()
    first = page.locator("#point-list .point-edit").first
    expect(first.locator("input[name$='-label']")).to_have_value("会议内容：推行柔性执法")
    expect(first.locator("legend .point-no")).to_have_text("1")

    # live 试评 on pasted text: every term's hits, before anything is saved
    page.fill("#pasted", "我们要推行柔性执法，坚持说服教育。")
    expect(page.locator("#trial")).to_contain_text("粘贴的文字", timeout=15_000)
    expect(page.locator("#live-status")).to_contain_text("尚未保存")
    page.click(".sticky-actions button[value=save]")
    expect(page.locator(".flashes")).to_contain_text("草稿已保存")
    assert page.locator("#point-list .point-edit").first.locator("input[name$='-label']").input_value() == (
        "会议内容：推行柔性执法"
    )

    # 3. a model answer, checked against the rubric being edited
    page.click("nav.tabs >> text=范文")
    page.click("text=添加范文")
    page.fill("#body", MODEL)
    page.fill("#author", "教研组")
    page.click("input[type=submit][value=保存范文]")
    page.wait_for_url(re.compile(rf"/tutor/questions/{slug}/answers$"))
    expect(page.locator(".model-answer")).to_contain_text("高分范文")

    # 4. back to the rubric: the model answer is tried, term by term; a suggested term is added in one click
    page.click("nav.tabs >> text=评分要点与试评")
    trial = page.locator("#trial-card")
    expect(trial).to_contain_text("高分范文（main）")
    row = trial.locator("tr.term-row", has_text="柔性执法")
    expect(row.locator("td.hit")).to_have_text("×1")
    expect(row.locator("td.hit")).to_have_attribute("title", re.compile("【柔性执法】"))
    # the link, clicked without scrolling: scrolling to it would let the list load
    # itself (it loads when it comes into view) and replace the link mid-click
    page.evaluate("document.querySelector('a.load-suggestions')?.click()")
    expect(page.locator("#suggestion-list .chip").first).to_be_visible(timeout=30_000)
    # as another wording of the first group, so the candidate below still covers the point
    page.select_option("#term_target", "grp-0-0")
    chip = page.locator("#suggestion-list .chip").first
    term = chip.inner_text()
    chip.click()
    expect(page.locator(".flashes")).to_contain_text(f"已把“{term}”加入要点1")
    screenshot(page, "tutor-rubric-editor")

    page.click(".sticky-actions button[value=publish]")
    expect(page.locator(".flashes")).to_contain_text("已发布评分要点 v1")

    # 5. publish the question
    page.click("nav.tabs >> text=题目设置")
    page.click("button:has-text('发布题目')")
    expect(page.locator(".flashes")).to_contain_text("题目已发布")

    # 6. a candidate finds it, practises it and gets a result scored with the new rubric
    candidate = device(LAPTOP)
    cpage = candidate.page
    name = f"ks{uuid.uuid4().hex[:8]}"
    candidate.goto("/register")
    cpage.fill("#username", name)
    cpage.fill("#password", PASSWORD)
    cpage.fill("#password2", PASSWORD)
    cpage.click("input[type=submit]")
    cpage.wait_for_url(re.compile(r"/questions$"))
    cpage.click(f'a[href="/questions/{slug}"]')
    expect(cpage.locator(".materials strong")).to_have_text("依法行政工作会议")
    cpage.click("input[type=submit][value=开始作答]")
    cpage.wait_for_url(re.compile(rf"/questions/{slug}/practice$"))
    cpage.fill("#answer", ANSWER)
    cpage.click("#submit-answer, input[type=submit][value=提交评分]")
    cpage.wait_for_url(re.compile(r"/attempts/\d+$"))
    expect(cpage.locator("#points-title")).to_be_visible()
    expect(cpage.locator("ol.points")).to_contain_text("会议内容：推行柔性执法")
    expect(cpage.locator("ol.points li", has_text="会议内容：推行柔性执法").locator(".badge").first).to_have_text("覆盖")
    screenshot(cpage, "tutor-flow-candidate-result")
