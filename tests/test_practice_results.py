"""The result page: highlights, points, format, model answers side by side, self-marks."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from fazhi_prep.practice.highlights import Mark, segments
from fazhi_prep.practice.results import MARK_LABELS, point_status
from tests.conftest import login, make_user
from tests.practice_support import NOTICE, attempts_of, start, submit, token
from tests.test_bank_load import load

OUTLINE = """---
question: t-01
title: 要点版范文
author: 测试
note: 只写议题的简短版本。
---
关于召开市政府常务会议的通知
各区人民政府：
定于2021年8月20日召开常务会议，传达学习《纲要》。
某市人民政府办公室
2021年8月16日
"""

HTML_ANSWER = NOTICE + "\n<script>alert('x')</script><img src=x onerror=alert(1)>"


@pytest.fixture
def bank(app, mini_root):
    (mini_root / "model_answers/t-01-outline.md").write_text(OUTLINE, encoding="utf-8")
    load(app, mini_root)


@pytest.fixture
def attempt_id(logged_in, bank):
    start(logged_in)
    submit(logged_in, HTML_ANSWER)
    return attempts_of("kaosheng1")[0].id


def test_result_page_shows_score_breakdown_time_and_length(logged_in, attempt_id):
    attempt = attempts_of("kaosheng1")[0]
    response = logged_in.get(f"/attempts/{attempt_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    bd = attempt.result["breakdown"]
    assert f'<span class="score-value">{attempt.score:g}</span>' in page
    assert f"{bd['content']['earned']:g} / {bd['content']['max']:g}" in page
    assert f"{bd['format']['earned']:g} / {bd['format']['max']:g}" in page
    assert f"{attempt.char_count} 字 / 300字" in page
    assert "建议 15 分钟" in page
    assert attempt.result["length"]["rule"] in page
    for flag in attempt.result["flags"]:
        assert str(escape(flag["reason"])) in page


def test_answer_is_escaped_and_hits_are_labelled_by_point(logged_in, attempt_id):
    page = logged_in.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))
    assert " style=" not in page and "<style" not in page
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    # point 1 (行政执法三项制度) is hit by the answer's own words, tagged with its number
    assert re.search(r'<mark class="hit hit-c0[^"]*" data-points="1" title="要点1：全面落实行政执法三项制度">执法全过程记录</mark><sup class="hit-tag">1</sup>', page)
    assert 'title="要点2：加强党对法治政府建设的领导">党的领导</mark>' in page
    assert "来源：《纲要》四、行政执法工作体系" in page


def test_points_format_and_model_answer_side_by_side(logged_in, attempt_id):
    page = logged_in.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert page.count('class="point status-') == 3
    assert "格式要素 · 会议通知" in page
    assert "标题" in page and "主送机关" in page and "成文日期" in page
    assert "你的答案" in page and "高分范文" in page
    assert "范文覆盖而你未覆盖的要点" in page
    # the model answer is highlighted with the same point numbers
    model = page.split('class="compare-col model"', 1)[1].split("</article>", 1)[0]
    assert 'data-points="1"' in model and 'data-points="3"' in model
    # both variants can be chosen
    assert f'href="/attempts/{attempt_id}?model=outline#compare"' in page
    outline = logged_in.get(f"/attempts/{attempt_id}?model=outline").get_data(as_text=True)
    model = outline.split('class="compare-col model"', 1)[1].split("</article>", 1)[0]
    assert "要点版范文" in model and "只写议题的简短版本。" in model


def test_model_only_points_are_listed(logged_in, bank):
    start(logged_in)
    submit(logged_in, "关于召开会议的通知\n各单位：\n定于8月20日开会，请准时参加。\n某市人民政府办公室\n2021年8月16日")
    attempt = attempts_of("kaosheng1")[0]
    page = logged_in.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    section = page.split("范文覆盖而你未覆盖的要点", 1)[1].split("</div>", 1)[0]
    assert "全面落实行政执法三项制度" in section and "（你：未覆盖，范文：覆盖）" in section
    assert "加强党对法治政府建设的领导" in section


def test_self_marks_are_saved_and_disagreements_shown(logged_in, attempt_id):
    attempt = attempts_of("kaosheng1")[0]
    points = attempt.result["points"]
    engine = [point_status(p) for p in points]
    other = "covered" if engine[1] != "covered" else "missed"
    data = {
        "csrf_token": token(logged_in, f"/attempts/{attempt_id}"),
        "mark_0": engine[0],
        "mark_1": other,
        "mark_2": engine[2],
        "note_1": "只提了一句，<b>没有展开</b>",
    }
    response = logged_in.post(f"/attempts/{attempt_id}/self-marks", data=data)
    assert response.status_code == 302 and response.location == f"/attempts/{attempt_id}#self"
    attempt = attempts_of("kaosheng1")[0]
    assert attempt.self_marks == {
        points[0]["key"]: {"mark": engine[0], "note": ""},
        points[1]["key"]: {"mark": other, "note": "只提了一句，<b>没有展开</b>"},
        points[2]["key"]: {"mark": engine[2], "note": ""},
    }
    page = logged_in.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "你的自评与系统评分一致 <strong>2</strong> 项，不一致 <strong>1</strong> 项。" in page
    table = page.split('<table class="disagree">', 1)[1].split("</table>", 1)[0]
    assert f"2. {points[1]['label']}" in table
    assert (
        f"<td>{MARK_LABELS[other]}</td><td>{MARK_LABELS[engine[1]]}</td>"
        "<td>只提了一句，&lt;b&gt;没有展开&lt;/b&gt;</td>"
    ) in table
    # the form shows the saved marks again
    [checked] = [tag for tag in re.findall(r'<input[^>]*name="mark_1"[^>]*>', page) if "checked" in tag]
    assert f'value="{other}"' in checked


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mark_0": "covered", "mark_1": "covered"}, "请为这个要点选择一项"),
        ({"mark_0": "covered", "mark_1": "covered", "mark_2": "all"}, "Not a valid choice"),
        ({"mark_0": "covered", "mark_1": "covered", "mark_2": "missed", "note_0": "长" * 201}, "理由最多 200 字"),
    ],
)
def test_bad_self_marks_change_nothing(logged_in, attempt_id, data, message):
    data = {"csrf_token": token(logged_in, f"/attempts/{attempt_id}"), **data}
    response = logged_in.post(f"/attempts/{attempt_id}/self-marks", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert attempts_of("kaosheng1")[0].self_marks is None


def test_self_marks_need_csrf(logged_in, attempt_id):
    response = logged_in.post(f"/attempts/{attempt_id}/self-marks", data={"mark_0": "covered"})
    assert response.status_code == 400
    assert attempts_of("kaosheng1")[0].self_marks is None


def test_another_candidate_gets_404_for_attempts_and_self_marks(client, app, bank):
    make_user("kaosheng1")
    make_user("kaosheng2")
    login(client, "kaosheng1")
    start(client)
    submit(client, NOTICE)
    attempt_id = attempts_of("kaosheng1")[0].id
    other = app.test_client()
    login(other, "kaosheng2")
    assert other.get(f"/attempts/{attempt_id}").status_code == 404
    csrf = token(other)
    response = other.post(f"/attempts/{attempt_id}/self-marks", data={"csrf_token": csrf, "mark_0": "missed"})
    assert response.status_code == 404
    assert attempts_of("kaosheng1")[0].self_marks is None
    assert "测试会议通知" not in other.get("/me/history").get_data(as_text=True)
    assert other.get("/me/history.csv").get_data(as_text=True).count("\n") == 1  # the header only


def test_a_tutor_may_read_but_not_self_mark(client, app, bank):
    make_user("kaosheng1")
    from fazhi_prep.models import Role

    make_user("jiaoshi1", Role.TUTOR)
    login(client, "kaosheng1")
    start(client)
    submit(client, NOTICE)
    attempt_id = attempts_of("kaosheng1")[0].id
    tutor = app.test_client()
    login(tutor, "jiaoshi1")
    page = tutor.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "你的答案" in page and "保存自评" not in page and "再练一次" not in page
    csrf = token(tutor)
    assert tutor.post(f"/attempts/{attempt_id}/self-marks", data={"csrf_token": csrf}).status_code == 404


def test_practise_again_button_starts_a_new_draft(logged_in, attempt_id):
    page = logged_in.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert 'action="/questions/t-01/start"' in page and "再练一次" in page
    response = logged_in.post("/questions/t-01/start", data={"csrf_token": token(logged_in), "mode": "practice"})
    assert response.location == "/questions/t-01/practice"
    assert logged_in.get(response.location).status_code == 200


def test_segments_split_overlaps_and_tag_the_end_of_each_run():
    text = "甲乙丙丁戊己"
    marks = [Mark(0, 3, (1,), ("一",)), Mark(2, 5, (2,), ("二",)), Mark(5, 6, error="应为“庚”")]
    segs = segments(text, marks)
    assert [(s.text, s.points, s.tag, s.error) for s in segs] == [
        ("甲乙", (1,), "", None),
        ("丙", (1, 2), "1,2", None),
        ("丁戊", (2,), "2", None),
        ("己", (), "", "应为“庚”"),
    ]
    assert "".join(s.text for s in segs) == text


def test_segments_ignore_spans_outside_the_text():
    segs = segments("法治", [Mark(1, 9, (1,), ("一",)), Mark(5, 7, (2,), ("二",))])
    assert [(s.text, s.points) for s in segs] == [("法", ()), ("治", (1,))]


def test_a_point_missing_its_core_wording_says_so(app, logged_in, mini_root):
    # t-01's own point: generic 传达学习 beside the core 《纲要》 group
    path = mini_root / "question_bank/questions/t-01.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("        - 传达学习 | 学习贯彻", "        - 传达学习 | 学习贯彻\n        - ★纲要 | 法治政府建设实施纲要"), encoding="utf-8")
    load(app, mini_root)
    start(logged_in)
    submit(logged_in, "关于召开会议的通知\n各单位：\n定于8月20日开会，传达学习有关文件。\n某市人民政府办公室\n2021年8月16日")
    attempt = attempts_of("kaosheng1")[0]
    point = next(p for p in attempt.result["points"] if p["key"] == "t-01.yiti")
    assert point["credit"] == 0 and point["core_missing"] == [["纲要", "法治政府建设实施纲要"]]
    page = logged_in.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "缺核心提法：纲要／法治政府建设实施纲要" in page


def test_self_scoring_points_to_calibration_first(logged_in, attempt_id):
    page = logged_in.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    section = page.split('id="self-title"', 1)[1]
    assert 'href="/calibration/"' in section and "评分校准" in section


def test_highlights_escape_text_labels_and_corrections():
    from fazhi_prep.practice.highlights import Segment, highlight_html

    html = highlight_html([
        Segment("<b>甲</b>", (1, 2), ("一<i>", "二"), counted=False, error="应为“<u>”", tag="1,2"),
        Segment("乙&", error="应为“丙”：<s>"),
        Segment("'丁'"),
    ])
    assert html == (
        '<mark class="hit hit-c0 uncounted err" data-points="1,2" title="要点1：一&lt;i&gt;；要点2：二'
        '（出现在被标记为堆砌或照抄的文字中，不计分）；常见错误，应为“&lt;u&gt;”">&lt;b&gt;甲&lt;/b&gt;</mark>'
        '<sup class="hit-tag">1,2</sup>'
        '<span class="err" title="常见错误，应为“丙”：&lt;s&gt;">乙&amp;</span>'
        "&#39;丁&#39;"
    )


def _without_tokens(page: str) -> str:
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", page)


def test_each_attempt_shows_its_own_result_on_every_view(logged_in, bank):
    """The parts rendered once per attempt (result_parts) never show another attempt's answer."""
    start(logged_in)
    submit(logged_in, HTML_ANSWER)
    start(logged_in)
    submit(logged_in, NOTICE + "\n第二次作答的补充。")
    first, second = sorted(attempts_of("kaosheng1"), key=lambda a: a.id)
    pages = {a.id: logged_in.get(f"/attempts/{a.id}").get_data(as_text=True) for a in (first, second)}
    assert "&lt;script&gt;" in pages[first.id] and "第二次作答的补充" not in pages[first.id]
    assert "第二次作答的补充" in pages[second.id] and "&lt;script&gt;" not in pages[second.id]
    for attempt in (first, second):
        again = logged_in.get(f"/attempts/{attempt.id}").get_data(as_text=True)
        assert _without_tokens(again) == _without_tokens(pages[attempt.id])


def test_self_marks_and_model_answer_edits_show_on_the_next_view(app, logged_in, attempt_id):
    from fazhi_prep.extensions import db
    from tests.practice_support import question

    logged_in.get(f"/attempts/{attempt_id}")  # the parts and model columns are built
    page = logged_in.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "你的自评与系统评分一致" not in page
    points = attempts_of("kaosheng1")[0].result["points"]
    data = {"csrf_token": token(logged_in, f"/attempts/{attempt_id}")}
    data.update({f"mark_{i}": "covered" for i in range(len(points))})
    assert logged_in.post(f"/attempts/{attempt_id}/self-marks", data=data).status_code == 302
    answer = question().model_answers[0]
    answer.title = "改过标题的范文"
    answer.body = answer.body + "\n范文新加的一句结尾。"
    db.session.commit()
    page = logged_in.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "你的自评与系统评分一致" in page
    model = page.split('class="compare-col model"', 1)[1].split("</article>", 1)[0]
    plain = re.sub(r"<[^>]+>", "", model)
    assert "改过标题的范文" in plain and "范文新加的一句结尾。" in plain


def test_the_self_mark_and_practise_again_forms_carry_the_csrf_token(logged_in, attempt_id):
    page = logged_in.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    for action in (f'action="/attempts/{attempt_id}/self-marks"', 'action="/questions/t-01/start"'):
        form = page.split(action, 1)[1].split("</form>", 1)[0]
        assert re.search(r'<input id="csrf_token" name="csrf_token" type="hidden" value="[^"]+">', form)
    form = page.split(f'action="/attempts/{attempt_id}/self-marks"', 1)[1].split("</form>", 1)[0]
    assert form.count('type="radio"') == 3 * len(attempts_of("kaosheng1")[0].result["points"])
    assert '<label class="self-option"><input id="mark_0-0" name="mark_0" required type="radio" value="covered"> 覆盖</label>' in form


def test_result_caches_stay_within_their_bounds(logged_in, bank, monkeypatch):
    from fazhi_prep.practice import result_parts, results

    monkeypatch.setattr(result_parts._PARTS, "maxsize", 1)
    monkeypatch.setattr(results._MODEL_COLUMNS, "maxsize", 1)
    for text in (NOTICE, NOTICE + "\n补充。"):
        start(logged_in)
        submit(logged_in, text)
    for attempt in attempts_of("kaosheng1"):
        for model in ("main", "outline"):
            assert logged_in.get(f"/attempts/{attempt.id}?model={model}").status_code == 200
    assert len(result_parts._PARTS) == 1 and len(results._MODEL_COLUMNS) == 1


def test_result_question_and_practice_pages_run_a_few_statements(app, logged_in, attempt_id):
    """The attempt comes with its question, 文种, rubric version, rescores and paper question in one query."""
    from tests.test_performance import statements_for

    logged_in.get(f"/attempts/{attempt_id}")  # first view: model answers scored and stored
    # login, the attempt, its model answers, the 常见错误 and their deduction (what model results are keyed on)
    assert statements_for(logged_in, f"/attempts/{attempt_id}") <= 5
    assert statements_for(logged_in, "/questions/t-01") <= 5
    start(logged_in)
    assert statements_for(logged_in, "/questions/t-01/practice") <= 3
