"""A new tutor's whole path, in chromium: a 300字 培训通知 from question to rescore (issue 14).

Each of the issue's items is checked where a tutor meets it (the comments
say which), every visited page is checked with axe-core, and the pages a
tutor decides on are kept as screenshots under artifacts/screenshots/.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.support import LAPTOP, check_axe, missing_browser, screenshot

_why = missing_browser()
if _why:
    pytest.skip(f"browser tests skipped: {_why}", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402  (only once we know playwright is there)

pytestmark = pytest.mark.browser

PASSWORD = "mima-12345678"
PROMPT = "K市将举办全市行政执法人员培训班，请你以市政府办公室名义撰写一份培训通知（300字）。"
MATERIALS = (
    "## 给定材料\n\n"
    "1. 一些执法人员执法时未全程记录，执法方式简单粗暴，群众意见较大。\n"
    "2. 市司法局要求推行柔性执法，推广说服教育、劝导示范、行政指导等方式。\n"
    "3. 全面落实行政执法三项制度，由市司法局单位审核培训内容。"
)
MODEL = (
    "关于举办全市行政执法人员培训班的通知\n"
    "各区人民政府，市政府各部门：\n"
    "为全面落实行政执法三项制度，推行柔性执法，市政府决定举办全市行政执法人员培训班。现将有关事项通知如下：\n"
    "一、培训内容：解读行政执法公示、执法全过程记录、重大执法决定法制审核制度，讲授说服教育、劝导示范等柔性执法方式。\n"
    "二、培训时间：2021年9月1日上午9时。\n"
    "三、培训地点：市委党校报告厅。\n"
    "四、参训人员：各区执法部门分管负责同志。\n"
    "五、有关要求：请于8月28日前报送参训名单。联系人：李红，电话：7654321。\n"
    "K市人民政府办公室\n"
    "2021年8月25日"
)
ANSWER = (
    "关于举办行政执法人员培训班的通知\n"
    "各区人民政府，市政府各部门：\n"
    "市政府定于9月1日举办行政执法人员培训班，培训内容：推行柔性执法，说服教育、劝导示范。\n"
    "参训人员：各区执法部门负责同志。请准时参加。\n"
    "K市人民政府办公室\n"
    "2021年8月25日"
)
FRAGMENTS = ("执法时未", "由市司法局", "单位审核", "时未全程")


def log_in(session, username: str) -> None:
    page = session.page
    session.goto("/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/questions$"))


def new_tutor(live, device):
    name = f"js{uuid.uuid4().hex[:8]}"
    created = live.cli("users", "create", name, "--role", "tutor", "--password", PASSWORD)
    assert created.returncode == 0, created.stderr
    session = device(LAPTOP)
    session.page.on("dialog", lambda dialog: dialog.accept())
    log_in(session, name)
    return session


def trial_settled(page) -> None:
    """Wait for the live 试评 after an edit (the status line says it is up to date)."""
    expect(page.locator("#live-status")).to_contain_text("试评已按当前修改更新", timeout=20_000)


def test_a_new_tutor_writes_a_training_notice_publishes_reviews_and_rescores(device, live):
    tutor = new_tutor(live, device)
    page = tutor.page
    slug = f"px-{uuid.uuid4().hex[:6]}"

    # -- the workspace: the file commands live on a help page, not in the intro (item 2)
    tutor.goto("/tutor/")
    check_axe(page)
    assert "bank export" not in page.inner_text("main") and "bank load" not in page.inner_text("main")
    page.click("text=文件同步说明")
    expect(page.locator("h1")).to_have_text("文件同步说明")
    expect(page.locator("main")).to_contain_text("flask --app app bank export")
    check_axe(page)

    # -- a new 300字 培训通知
    tutor.goto("/tutor/questions/new")
    page.fill("#slug", slug)
    page.fill("#title", "K市行政执法人员培训班通知")
    page.select_option("#genre", "notice")
    page.fill("#prompt", PROMPT)
    expect(page.locator("#limit-hint")).to_contain_text("300字")
    page.check("input[name=areas][value=zhifa]")
    page.fill("#materials", MATERIALS)
    check_axe(page)
    page.click("input[type=submit][value=保存]")
    page.wait_for_url(re.compile(rf"/tutor/questions/{slug}/rubric$"))
    check_axe(page)

    # one link called 题目 on a tutor page (item 9): the tab is 题目设置
    assert page.locator("a", has_text=re.compile(r"^题目$")).count() == 1
    expect(page.locator("nav.tabs a").first).to_have_text("题目设置")

    # the 计分方式 dropdown shows its whole text at 1366 px (item 9)
    room = page.eval_on_selector(
        "#scoring",
        """s => { const probe = document.createElement('span');
                  probe.style.font = getComputedStyle(s).font; probe.style.position = 'absolute';
                  probe.textContent = [...s.options].map(o => o.text).sort((a, b) => b.length - a.length)[0];
                  document.body.append(probe); const need = probe.offsetWidth; probe.remove();
                  const card = s.closest('.card').getBoundingClientRect(), box = s.getBoundingClientRect();
                  return {need, has: s.clientWidth, inside: box.right <= card.right}; }""",
    )
    assert room["inside"] and room["need"] + 24 <= room["has"], room

    # -- the 纲要 library picker: by area, this question's area first, label and source, search (item 5)
    first_group = page.locator("#library_point optgroup").first
    expect(first_group).to_have_attribute("label", re.compile("行政执法.*（本题领域）"))
    shown_groups = "gs => gs.filter(g => !g.hidden).map(g => g.label)"
    expect(page.locator("#library-mine")).to_be_checked()
    mine = page.eval_on_selector_all("#library_point optgroup", shown_groups)
    assert mine and all(g.endswith("（本题领域）") for g in mine), mine
    page.uncheck("#library-mine")
    assert len(page.eval_on_selector_all("#library_point optgroup", shown_groups)) > len(mine)
    page.check("#library-mine")
    page.fill("#library-filter", "三项制度")
    expect(page.locator("#library-count")).to_contain_text("找到")
    visible = page.eval_on_selector_all("#library_point option", "os => os.filter(o => !o.hidden).map(o => o.value)")
    assert visible and all(v.startswith("zhifa.") for v in visible), visible
    option_text = page.inner_text(f"#library_point option[value='{visible[0]}']")
    assert " — " in option_text and "纲要" in option_text  # label — source
    page.select_option("#library_point", visible[0])
    expect(page.locator("#library-preview")).to_contain_text(option_text.split(" — ")[1][:20])
    page.click("button[value=add_library]")
    expect(page.locator("#point-1 legend")).to_contain_text("纲要库")
    screenshot(page, "tutor-walk-1-library-point")

    # -- an own point left empty: the editor names its fields as the form does (item 3)
    page.click("button[value=add]")
    own = page.locator("#point-2")
    expect(own.locator(".required").first).to_have_text("（必填）")
    own_errors = own.locator(".field-error").all_inner_texts()
    assert "请填写名称（必填）" in own_errors and "请填写来源（必填）" in own_errors, own_errors
    assert "请填写词组（必填，至少一行）" in own_errors, own_errors
    assert not any(re.search(r"label|source|terms|缺少字段", e) for e in own_errors), own_errors
    own.locator("input[name$='-label']").fill("培训内容：推行柔性执法")
    own.locator("input[name$='-source']").fill("给定材料2")
    own.locator("textarea[name$='-terms']").fill("柔性执法\n说服教育 | 劝导示范")
    page.click(".sticky-actions button[value=save]")
    expect(page.locator(".flashes")).to_contain_text("草稿已保存")
    expect(page.locator("#point-2 .field-error")).to_have_count(0)

    # -- a model answer
    page.click("nav.tabs >> text=范文")
    page.click("text=添加范文")
    page.fill("#body", MODEL)
    page.fill("#author", "教研组")
    page.click("input[type=submit][value=保存范文]")
    page.wait_for_url(re.compile(rf"/tutor/questions/{slug}/answers$"))
    check_axe(page)

    # -- suggestions: whole words and 提法, library ones first, no fragment, no generic word (item 4)
    page.click("nav.tabs >> text=评分要点与试评")
    page.evaluate("document.querySelector('a.load-suggestions')?.click()")
    expect(page.locator("#suggestion-list .chip").first).to_be_visible(timeout=30_000)
    chips = page.locator("#suggestion-list .chip").all_inner_texts()
    assert chips and not any(f in c for c in chips for f in FRAGMENTS), chips
    assert not set(chips) & {"执法", "建设", "推进", "制度", "行政", "方式", "联系人"}, chips
    from_library = ["纲要库" in note for note in page.locator("#suggestion-list li").all_inner_texts()]
    assert from_library == sorted(from_library, reverse=True), from_library  # library terms first
    check_axe(page)
    page.select_option("#term_target", "grp-1-1")
    term = chips[0]
    page.locator("#suggestion-list .chip").first.click()
    expect(page.locator(".flashes")).to_contain_text(f"已把“{term}”加入要点2")
    # the list is there again for the next term, without asking for it again
    expect(page.locator("#suggestion-list .chip").first).to_be_visible()
    assert term not in page.locator("#suggestion-list .chip").all_inner_texts()
    screenshot(page, "tutor-walk-2-suggestions")

    # -- format elements: what each looks for; the 培训通知 variants, tried live (item 7)
    trial = page.locator("#trial-card .format-matrix")
    expect(trial.locator("tr", has_text="会议名称和内容").locator("td").first).to_have_text("✗ 缺少")
    detail = page.locator("#format-meeting_name details")
    detail.locator("summary").click()
    expect(detail).to_contain_text("在答案的任何一行中查找")
    expect(detail.locator("code").first).to_contain_text("召开")
    page.uncheck("#format-meeting_name input[type=checkbox]")
    page.check("#format-meeting_name-training input[type=checkbox]")
    page.uncheck("#format-attendees input[type=checkbox]")
    page.check("#format-attendees-training input[type=checkbox]")
    expect(page.locator("#format-meeting_name-training")).to_contain_text("替代“会议名称和内容”")
    trial_settled(page)
    expect(trial.locator("tr", has_text="培训名称和内容（培训通知）").locator("td").first).to_have_text("✓")
    expect(trial.locator("tr", has_text="参训人员（培训通知）").locator("td").first).to_have_text("✓")
    expect(trial).not_to_contain_text("✗")
    page.click(".sticky-actions button[value=save]")
    expect(page.locator(".flashes")).to_contain_text("草稿已保存")
    check_axe(page)
    screenshot(page, "tutor-walk-3-formats")

    # -- a test sample the rubric disagrees with
    page.click("nav.tabs >> text=测试集（样例答案）")
    page.click("text=添加样例答案")
    page.fill("#title", "空泛的样例")
    page.fill("#body", "关于举办培训班的通知\n各单位：\n定于9月1日举办培训班，请准时参加。\nK市人民政府办公室\n2021年8月25日")
    page.check("input[name=mark_0][value=covered]")  # marked generously: the rubric disagrees
    page.check("input[name=mark_1][value=covered]")
    check_axe(page)
    page.click("input[type=submit][value=保存样例]")
    expect(page.locator(".flashes")).to_contain_text("样例答案已保存")

    # -- publishing with a failing test set: named samples, then 仍然发布 (item 2)
    page.click("nav.tabs >> text=评分要点与试评")
    expect(page.locator(".test-summary")).to_contain_text("发布时会先提醒你")
    page.click(".sticky-actions button[value=publish]")
    warning = page.locator("#failing-tests")
    expect(warning).to_contain_text("测试集未通过，尚未发布")
    expect(warning).to_contain_text("空泛的样例")
    assert page.evaluate("document.querySelector('#publish-question')") is None  # nothing published yet
    check_axe(page)
    screenshot(page, "tutor-walk-4-failing-tests")
    warning.locator("button[value=publish_anyway]").click()

    # -- the second step is offered right there (item 1)
    expect(page.locator(".flashes")).to_contain_text("已发布评分要点 v1")
    expect(page.locator(".flashes")).to_contain_text("考生还看不到它")
    next_step = page.locator("#publish-question")
    expect(next_step).to_contain_text("这道题还是草稿")
    check_axe(page)
    screenshot(page, "tutor-walk-5-publish-question")
    next_step.locator("button", has_text="发布题目").click()
    expect(page.locator(".flashes")).to_contain_text("题目已发布")
    expect(page.locator("#publish-question")).to_have_count(0)
    expect(page.locator(".tutor-head .badge")).to_have_text("已发布")

    # -- a candidate answers
    candidate = device(LAPTOP)
    cpage = candidate.page
    name = f"ks{uuid.uuid4().hex[:8]}"
    candidate.goto("/register")
    cpage.fill("#username", name)
    cpage.fill("#password", PASSWORD)
    cpage.fill("#password2", PASSWORD)
    cpage.click("input[type=submit]")
    cpage.wait_for_url(re.compile(r"/questions$"))
    candidate.goto(f"/questions/{slug}")
    cpage.click("input[type=submit][value=开始作答]")
    cpage.wait_for_url(re.compile(rf"/questions/{slug}/practice$"))
    cpage.fill("#answer", ANSWER)
    cpage.click("#submit-answer, input[type=submit][value=提交评分]")
    cpage.wait_for_url(re.compile(r"/attempts/\d+$"))
    attempt_id = cpage.url.rsplit("/", 1)[1]
    check_axe(cpage)

    # -- review and override
    tutor.goto("/tutor/attempts")
    expect(page.locator(f'a[href="/tutor/attempts/{attempt_id}"]').first).to_be_visible()
    check_axe(page)
    tutor.goto(f"/tutor/attempts/{attempt_id}")
    page.fill("#score", "78")
    page.fill("#comment", "培训内容写得清楚，格式完整。")
    page.click("#review input[type=submit]")
    expect(page.locator(".flashes")).to_contain_text("改分已保存")
    check_axe(page)

    # -- change the rubric and publish v2 (the test set still disagrees: confirmed again)
    tutor.goto(f"/tutor/questions/{slug}/rubric")
    page.locator("#point-2 input[name$='-weight']").fill("2")
    page.click(".sticky-actions button[value=publish]")
    page.locator("#failing-tests button[value=publish_anyway]").click()
    expect(page.locator(".flashes")).to_contain_text("已发布评分要点 v2")

    # -- rescore: the card speaks of what the page shows, and the rescore opens in full (item 6)
    tutor.goto(f"/tutor/attempts/{attempt_id}")
    page.click("button:has-text('用当前评分要点 v2 重新评分')")
    expect(page.locator(".flashes")).to_contain_text("已用当前评分要点重新评分 1 份")
    card = page.locator("section.rescores")
    expect(card).to_contain_text("上面显示的是教师改分（78 分）")
    expect(card).not_to_contain_text("上面的得分仍是")
    check_axe(page)
    screenshot(page, "tutor-walk-6-rescore-card")
    card.locator("a", has_text="查看完整结果").click()
    expect(page.locator("#rescores-title")).to_have_text("重新评分的完整结果")
    expect(page.locator(".score-card")).to_contain_text("v2")
    expect(page.locator(".score-card")).not_to_contain_text("教师改分")
    expect(page.locator("section.rescores")).to_contain_text("教师改分 78 分")
    expect(page.locator("ol.points")).to_contain_text("培训内容：推行柔性执法")
    check_axe(page)
    screenshot(page, "tutor-walk-7-rescored-result")

    # -- the candidate's areas follow the override (item 9)
    candidate.goto("/me/history")
    expect(cpage.locator("main")).to_contain_text("教师改过分的作答，按改分折算各要点的覆盖率")
    check_axe(cpage)


def test_common_errors_are_seen_edited_and_tried_in_the_browser(device, live):
    tutor = new_tutor(live, device)
    page = tutor.page
    tutor.goto("/tutor/")
    page.click(".tutor-actions >> text=常见错误")
    page.wait_for_url(re.compile(r"/tutor/errors$"))
    expect(page.locator("h1")).to_have_text("常见错误")
    check_axe(page)

    # the 音像记录 conflict is gone: the library's wording is not an incomplete enumeration (item 8)
    page.fill("#text", "严格落实执法公示、音像记录、法制审核制度。")
    page.click("input[type=submit][value=试一试]")
    expect(page.locator("#findings")).to_contain_text("没有发现常见错误")
    page.fill("#text", "我们要建设法制政府。")
    page.click("input[type=submit][value=试一试]")
    expect(page.locator("#findings")).to_contain_text("应为“法治政府”")
    check_axe(page)

    key = f"t-{uuid.uuid4().hex[:6]}"
    page.click("text=新增常见错误")
    page.fill("#key", key)
    page.fill("#wrong", "依法行正")
    page.fill("#right", "依法行政")
    page.fill("#explain", "“依法行政”的“政”是政府的政。")
    page.fill("#sample", "坚持依法行正。")
    page.click("input[type=submit][value='试一试（不保存）']")
    expect(page.locator("#findings")).to_contain_text("写成了“依法行正”")
    check_axe(page)
    page.click("input[type=submit][value=保存]")
    expect(page.locator(".flashes")).to_contain_text(f"常见错误 {key} 已保存")
    expect(page.locator(f"#error-{key}")).to_contain_text("依法行正")
    expect(page.locator("main")).to_contain_text("有未写回文件 question_bank/common_errors.yaml 的修改")
    screenshot(page, "tutor-walk-8-common-errors")
    page.locator(f"#error-{key} button", has_text="删除").click()
    expect(page.locator(".flashes")).to_contain_text(f"已删除常见错误 {key}")
