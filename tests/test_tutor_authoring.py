"""Authoring in the browser: questions, rubric drafts and versions, model answers, files."""

from __future__ import annotations

import filecmp
import re

from sqlalchemy import func, select

from fazhi_prep.extensions import db
from fazhi_prep.models import Attempt, ModelAnswer, Question, Rubric, User
from tests.conftest import make_user
from tests.test_bank_load import cli
from tests.tutor_support import (
    NOTICE,
    post_form,
    question,
    rubric_form_data,
    switch_user,
    token,
    tutor_client,
)

SANXIANG_TERMS = "行政执法公示 | 执法公示\n执法全过程记录 | 全过程记录\n重大执法决定法制审核 | 法制审核"
NEW_QUESTION = {
    "slug": "my-01",
    "title": "J市常务会议通知（浏览器）",
    "genre": "notice",
    "prompt": "J市决定召开常务会议传达学习《纲要》，请你撰写一份会议通知（300字）。",
    "limit": "",
    "minutes": "",
    "areas": ["zhifa"],
    "materials": "## 给定材料\n\n1. J市决定召开常务会议。\n2. 会议要求全面落实行政执法三项制度。",
}
POINTS = [
    {"ref": "zhifa.sanxiang", "key": "zhifa.sanxiang", "label": "全面落实行政执法三项制度", "weight": 2,
     "source": "《纲要》四、行政执法工作体系", "need": 2, "area": "zhifa", "terms": SANXIANG_TERMS},
    {"key": "my-01.yiti", "label": "会议议题：传达学习《纲要》", "weight": 1, "source": "题干",
     "terms": "传达学习 | 学习贯彻\n纲要 | 法治政府建设实施纲要"},
]
FORMATS = [("title", True, 1), ("addressee", True, 1), ("date", True, 1)]


def create_question(client, **changes):
    return post_form(client, "/tutor/questions/new", {**NEW_QUESTION, **changes})


def post_rubric(client, slug="my-01", action="save", points=POINTS, **kw):
    data = rubric_form_data(points, formats=kw.pop("formats", FORMATS), **kw)
    data["revision"] = question(slug).revision
    data["action"] = action
    return post_form(client, f"/tutor/questions/{slug}/rubric", data)


def add_answer(client, slug="my-01", body=NOTICE, **fields):
    data = {"variant": "main", "title": "高分范文", "author": "教研组", "note": "要素齐全。", "primary": "y",
            "body": body, "revision": question(slug).revision, **fields}
    return post_form(client, f"/tutor/questions/{slug}/answers/new", data)


def publish_question(client, slug="my-01"):
    return post_form(client, f"/tutor/questions/{slug}/publish",
                     {"revision": question(slug).revision, "published": "1"}, page=f"/tutor/questions/{slug}/edit")


def build_question(client):
    assert create_question(client).status_code == 302
    assert post_rubric(client, action="publish").status_code == 302
    assert add_answer(client).status_code == 302
    assert publish_question(client).status_code == 302


def test_create_question_is_a_draft_with_parsed_limit(app, client, mini_root):
    tutor_client(app, client, mini_root)
    response = create_question(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/tutor/questions/my-01/rubric")
    q = question("my-01")
    assert q.published is False and q.limit_max == 300 and q.limit_text is None
    assert q.minutes == 15 and q.areas == ["zhifa"]
    make_user("kao1")
    switch_user(client, "kao1")
    assert client.get("/questions/my-01").status_code == 404
    assert "my-01" not in client.get("/questions").get_data(as_text=True)


def test_limit_override_and_bad_input(app, client, mini_root):
    tutor_client(app, client, mini_root)
    response = create_question(client, prompt="写一份通知。", limit="")
    assert response.status_code == 422
    assert "题干中找不到字数要求" in response.get_data(as_text=True)
    assert create_question(client, prompt="写一份通知。", limit="1000-1200").status_code == 302
    q = question("my-01")
    assert (q.limit_text, q.limit_min, q.limit_max, q.minutes) == ("1000-1200", 1000, 1200, 60)
    response = create_question(client, slug="t-01")
    assert "已被使用" in response.get_data(as_text=True)
    assert create_question(client, slug="Bad Id").status_code == 422


def test_materials_preview_is_sanitised(app, client, mini_root):
    tutor_client(app, client, mini_root)
    evil = '**加粗**\n\n<script>alert("x")</script>\n\n<img src=x onerror="alert(1)">'
    page = post_form(client, "/tutor/questions/new", {**NEW_QUESTION, "materials": evil, "preview": "预览材料"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and question("my-01") is None  # preview saves nothing
    preview = html.split('id="materials-preview">', 1)[1].split("</div>", 1)[0]
    assert "<strong>加粗</strong>" in preview and "<script" not in preview and "<img" not in preview
    assert "&lt;script&gt;" in preview and "&lt;img src=x" in preview  # shown as text
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html  # the source, as text
    live = client.post("/tutor/preview", json={"materials": evil, "prompt": "（300字）"},
                       headers={"X-CSRFToken": token(client, "/tutor/")})
    assert "<script" not in live.json["html"] and "<strong>加粗</strong>" in live.json["html"]
    assert "&lt;script&gt;" in live.json["html"]
    assert "300字" in live.json["limit_hint"]


def test_script_in_rubric_label_is_shown_as_text(app, client, mini_root):
    tutor_client(app, client, mini_root)
    create_question(client)
    points = [dict(POINTS[1], label='<script>alert("要点")</script>')]
    post_rubric(client, points=points)
    html = client.get("/tutor/questions/my-01/rubric").get_data(as_text=True)
    assert '<script>alert("要点")' not in html
    assert "&lt;script&gt;alert(" in html


def test_rubric_draft_then_publish_creates_versions(app, client, mini_root):
    tutor_client(app, client, mini_root)
    create_question(client)
    response = post_rubric(client)
    assert response.status_code == 302
    q = question("my-01")
    assert q.rubric is None and q.rubric_draft["spec"]["points"][0] == {"ref": "zhifa.sanxiang", "weight": 2}
    assert q.rubric_draft["spec"]["points"][1]["terms"] == ["传达学习 | 学习贯彻", "纲要 | 法治政府建设实施纲要"]
    post_rubric(client, action="publish")
    q = question("my-01")
    assert q.rubric.version == 1 and q.rubric_draft is None
    assert [p.key for p in q.rubric.points] == ["zhifa.sanxiang", "my-01.yiti"]
    assert q.rubric.points[0].ref == "zhifa.sanxiang" and q.rubric.points[0].area == "zhifa"
    # publishing the same rubric again makes no new version
    response = post_rubric(client, action="publish")
    assert "没有创建新版本" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert question("my-01").rubric.version == 1
    changed = [POINTS[0], dict(POINTS[1], weight=3)]
    post_rubric(client, action="publish", points=changed)
    assert [r.version for r in question("my-01").rubrics] == [1, 2]


def test_editing_library_terms_makes_an_own_point_keeping_key_and_area(app, client, mini_root):
    tutor_client(app, client, mini_root)
    create_question(client)
    edited = [dict(POINTS[0], terms=SANXIANG_TERMS + "\n三项制度")]
    post_rubric(client, points=edited, action="publish")
    point = question("my-01").rubric.points[0]
    assert point.ref is None and point.key == "zhifa.sanxiang" and point.area == "zhifa"
    assert point.groups[-1] == ["三项制度"] and point.need == 2


def test_publish_refuses_an_invalid_rubric_but_keeps_the_draft(app, client, mini_root):
    tutor_client(app, client, mini_root)
    create_question(client)
    bad = [{"key": "my-01.x", "label": "", "weight": 1, "source": "", "terms": ""}]
    response = post_rubric(client, points=bad, action="publish", parts=(50, 40, 20))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "不能发布" in page and "分值之和应为 100" in page
    # the editor's names for the fields, not the file format's (label, source, terms)
    assert "要点1：请填写名称（必填）；要点1：请填写来源（必填）；要点1：请填写词组（必填，至少一行）" in page
    assert not any(word in page for word in ("缺少字段", "label；", "terms 至少", "parts 之和"))
    q = question("my-01")
    assert q.rubric is None and q.rubric_draft["spec"]["points"][0]["key"] == "my-01.x"


def test_editor_buttons_add_move_and_remove_points(app, client, mini_root):
    tutor_client(app, client, mini_root)
    create_question(client)
    post_rubric(client, action="add")
    spec = question("my-01").rubric_draft["spec"]
    assert spec["points"][-1]["key"] == "my-01.p1"
    post_rubric(client, action="down:0")
    assert [p.get("ref") or p["key"] for p in question("my-01").rubric_draft["spec"]["points"]] == [
        "my-01.yiti", "zhifa.sanxiang"]
    data_points = [POINTS[0], POINTS[1]]
    post_rubric(client, points=data_points, action="remove:0")
    assert [p["key"] for p in question("my-01").rubric_draft["spec"]["points"]] == ["my-01.yiti"]
    response = post_form(client, "/tutor/questions/my-01/rubric", {
        **rubric_form_data([POINTS[1]], formats=FORMATS), "revision": question("my-01").revision,
        "action": "add_library", "library_point": "zhifa.fangshi"})
    assert response.status_code == 302
    assert question("my-01").rubric_draft["spec"]["points"][-1] == {"ref": "zhifa.fangshi", "weight": 1}


def test_trial_shows_what_each_term_hits_in_model_answers_and_pasted_text(app, client, mini_root):
    tutor_client(app, client, mini_root)
    build_question(client)
    response = post_rubric(client, action="try", pasted="我们要学习贯彻纲要。")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "高分范文（main）" in html and "粘贴的文字" in html
    assert "执法公示" in html and "×1" in html
    assert 'title="…' in html  # excerpt of the hit


def test_live_preview_tries_unsaved_rubric(app, client, mini_root):
    tutor_client(app, client, mini_root)
    build_question(client)
    before = question("my-01").revision
    data = rubric_form_data([dict(POINTS[1], terms="请准时参会")], formats=FORMATS, pasted="")
    response = post_form(client, "/tutor/questions/my-01/rubric/preview", data, page="/tutor/questions/my-01/rubric")
    assert response.status_code == 200
    assert "请准时参会" in response.get_data(as_text=True)
    assert question("my-01").revision == before  # nothing saved


def test_model_answers_primary_and_warnings(app, client, mini_root):
    tutor_client(app, client, mini_root)
    build_question(client)
    long_outline = "提纲\n" + "传达学习纲要。" * 60
    assert add_answer(client, variant="outline", title="提纲版", body=long_outline, primary="y").status_code == 302
    answers = {a.variant: a for a in question("my-01").model_answers}
    assert answers["outline"].primary and not answers["main"].primary
    page = client.get("/tutor/questions/my-01/answers").get_data(as_text=True)
    assert "超过字数上限 300 字" in page
    assert "未完全覆盖要点" in page and "缺少格式要素" in page
    response = add_answer(client, variant="outline", title="重复")
    assert "已有版本名为 outline" in response.get_data(as_text=True)


def test_browser_question_exports_passes_check_and_load_reproduces_it(app, client, mini_root, tmp_path):
    tutor_client(app, client, mini_root)
    build_question(client)
    out = tmp_path / "export"
    result = cli(app, "bank", "export", str(out))
    assert result.exit_code == 0, result.output
    text = (out / "question_bank/questions/my-01.md").read_text(encoding="utf-8")
    assert "id: my-01" in text and "ref: zhifa.sanxiang" in text and "published" not in text
    assert (out / "model_answers/my-01.md").exists()
    check = cli(app, "bank", "check", "--root", str(out))
    assert check.exit_code == 0, check.output

    q = question("my-01")
    before = (q.title, q.prompt, q.limit_max, q.minutes, q.areas, q.materials, q.published,
              [(p.key, p.weight, p.groups, p.need, p.area) for p in q.rubric.points],
              [f.key for f in q.rubric.format_elements], [(a.variant, a.body, a.primary) for a in q.model_answers])
    db.session.delete(q)
    db.session.commit()
    assert cli(app, "bank", "load", "--root", str(out)).exit_code == 0
    q = question("my-01")
    after = (q.title, q.prompt, q.limit_max, q.minutes, q.areas, q.materials, q.published,
             [(p.key, p.weight, p.groups, p.need, p.area) for p in q.rubric.points],
             [f.key for f in q.rubric.format_elements], [(a.variant, a.body, a.primary) for a in q.model_answers])
    assert after == before
    again = tmp_path / "again"
    cli(app, "bank", "export", str(again))
    files = [str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()]
    _, mismatch, errors = filecmp.cmpfiles(out, again, files, shallow=False)
    assert mismatch == [] and errors == []


def test_unpublished_question_round_trips_as_draft(app, client, mini_root, tmp_path):
    tutor_client(app, client, mini_root)
    create_question(client)
    post_rubric(client, action="publish")
    out = tmp_path / "export"
    cli(app, "bank", "export", str(out))
    assert "published: false" in (out / "question_bank/questions/my-01.md").read_text(encoding="utf-8")
    db.session.delete(question("my-01"))
    db.session.commit()
    cli(app, "bank", "load", "--root", str(out))
    assert question("my-01").published is False


def test_question_without_rubric_cannot_be_published_nor_exported(app, client, mini_root, tmp_path):
    tutor_client(app, client, mini_root)
    create_question(client)
    response = publish_question(client)
    assert "还没有发布评分要点" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert question("my-01").published is False
    result = cli(app, "bank", "export", str(tmp_path / "out"))
    assert "还没有发布评分要点、未导出：my-01" in result.output
    assert not (tmp_path / "out/question_bank/questions/my-01.md").exists()


def test_new_rubric_version_keeps_old_attempts_results(app, client, mini_root):
    tutor_client(app, client, mini_root)
    build_question(client)
    make_user("kao1")
    from tests.practice_support import start, submit

    switch_user(client, "kao1")
    start(client, "my-01")
    submit(client, NOTICE, "my-01")
    attempt = db.session.scalar(select(Attempt))
    v1_id, v1_result = attempt.rubric_id, dict(attempt.result)
    switch_user(client, "jiaoshi1")
    post_rubric(client, action="publish", points=[POINTS[0], dict(POINTS[1], weight=5)])
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.rubric_id == v1_id and attempt.result == v1_result
    assert db.session.get(Rubric, v1_id).points[1].weight == 1
    assert question("my-01").rubric.version == 2


def test_counts(app, client, mini_root):
    """The overview lists drafts too, with their state."""
    tutor_client(app, client, mini_root)
    create_question(client)
    page = client.get("/tutor/").get_data(as_text=True)
    assert "my-01" in page and "草稿" in page and "尚无文件" in page
    assert db.session.scalar(select(func.count()).select_from(ModelAnswer)) == 1
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert db.session.scalar(select(func.count()).select_from(Question)) == 2


def test_changing_the_genre_warns_about_the_rubric_format(app, client, mini_root):
    tutor_client(app, client, mini_root)
    q = question("t-01")
    data = {"slug": "t-01", "title": q.title, "genre": "notice", "prompt": q.prompt, "areas": q.areas,
            "materials": q.materials, "revision": q.revision}
    from fazhi_prep.models import FormatElement, Genre

    db.session.add(Genre(key="report", label="报告", elements=[FormatElement(
        key="title", label="标题", expect="x", where="title", patterns=["报告"])]))
    db.session.commit()
    response = post_form(client, "/tutor/questions/t-01/edit", {**data, "genre": "report"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "格式要素不属于现在的文种" in page
    rubric_page = client.get("/tutor/questions/t-01/rubric").get_data(as_text=True)
    assert "文种 报告 没有格式要素 addressee" in rubric_page


def test_library_picker_groups_points_by_area_with_the_question_s_areas_first(app, client, mini_root):
    tutor_client(app, client, mini_root)
    create_question(client, areas=["baozhang"])
    post_rubric(client, points=POINTS[:1])
    page = client.get("/tutor/questions/my-01/rubric").get_data(as_text=True)
    picker = page[page.index('<select id="library_point"'):]
    picker = picker[: picker.index("</select>")]
    groups = re.findall(r'<optgroup label="([^"]+)"', picker)
    assert groups[0].endswith("（本题领域）") and ("保障" in groups[0] or "领导" in groups[0]), groups
    assert not any(g.endswith("（本题领域）") for g in groups[1:])
    # label — source, and a point already in the rubric cannot be added again
    assert re.search(r'value="zhifa.sanxiang"[^>]*disabled[^>]*>全面落实行政执法三项制度 — 《纲要》', picker), picker
    assert "只看本题领域" in page and 'id="library-filter"' in page


def test_one_link_called_题目_on_tutor_pages(app, client, mini_root):
    tutor_client(app, client, mini_root)
    for path in ("/tutor/", "/tutor/questions/t-01/edit", "/tutor/questions/t-01/rubric", "/tutor/questions/t-01/answers"):
        page = client.get(path).get_data(as_text=True)
        assert len(re.findall(r">题目</a>", page)) == 1, path  # the site's question list
        assert ">题目设置</a>" in page, path
