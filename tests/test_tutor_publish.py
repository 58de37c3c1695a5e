"""Publishing in one obvious sequence: a failing test set is named before publishing, and a
draft question's rubric page offers 发布题目 (server side of issue 14, items 1 and 2)."""

from __future__ import annotations

from fazhi_prep.extensions import db
from fazhi_prep.models import SampleAnswer
from tests.test_tutor_authoring import POINTS, create_question, post_rubric
from tests.tutor_support import post_form, question, tutor_client

# marked generously: the rubric finds neither point in it
GENEROUS = {"title": "空泛的样例", "body": "关于召开会议的通知\n各部门：\n请准时参加。\n市政府办公室",
            "expected": {"zhifa.sanxiang": "covered", "my-01.yiti": "covered"}}


def add_sample():
    q = question("my-01")
    db.session.add(SampleAnswer(question_id=q.id, **GENEROUS))
    db.session.commit()


def test_a_failing_test_set_holds_the_publish_names_the_samples_and_can_be_overridden(app, client, mini_root):
    tutor_client(app, client, mini_root)
    create_question(client)
    add_sample()
    held = post_rubric(client, action="publish")
    page = held.get_data(as_text=True)
    assert held.status_code == 200
    assert "测试集未通过，尚未发布" in page and "空泛的样例" in page
    assert "2 个标注中有 2 个与评分要点不一致（100%，容差 10%）" in page
    assert 'value="publish_anyway"' in page
    q = question("my-01")
    assert q.rubric is None and q.rubric_draft["spec"]["points"][0]["ref"] == "zhifa.sanxiang"  # kept as draft

    published = post_rubric(client, action="publish_anyway")
    assert question("my-01").rubric.version == 1
    page = client.get(published.headers["Location"]).get_data(as_text=True)
    assert "已发布评分要点 v1。这道题还是草稿，考生还看不到它" in page


def test_a_passing_test_set_publishes_at_once(app, client, mini_root):
    tutor_client(app, client, mini_root)
    create_question(client)
    q = question("my-01")
    db.session.add(SampleAnswer(question_id=q.id, **{**GENEROUS, "expected": {"zhifa.sanxiang": "missed"}}))
    db.session.commit()
    response = post_rubric(client, action="publish")
    assert response.status_code == 302 and question("my-01").rubric.version == 1


def test_the_rubric_page_of_a_draft_question_offers_to_publish_it(app, client, mini_root):
    tutor_client(app, client, mini_root)
    create_question(client)
    page = client.get("/tutor/questions/my-01/rubric").get_data(as_text=True)
    assert 'id="publish-question"' not in page  # no rubric yet: nothing to publish
    post_rubric(client, action="publish", points=POINTS)
    page = client.get("/tutor/questions/my-01/rubric").get_data(as_text=True)
    assert "下一步：发布题目。" in page and "这道题还是草稿，考生还看不到它" in page
    response = post_form(client, "/tutor/questions/my-01/publish",
                         {"published": "1", "revision": question("my-01").revision,
                          "next": "/tutor/questions/my-01/rubric"}, page="/tutor/questions/my-01/rubric")
    assert response.headers["Location"] == "/tutor/questions/my-01/rubric"
    assert question("my-01").published
    page = client.get("/tutor/questions/my-01/rubric").get_data(as_text=True)
    assert 'id="publish-question"' not in page


def test_browser_pages_speak_of_the_browser_not_the_command_line(app, client, mini_root):
    tutor_client(app, client, mini_root)
    create_question(client)
    add_sample()
    for path in ("/tutor/", "/tutor/questions/my-01/rubric", "/tutor/questions/my-01/samples"):
        page = client.get(path).get_data(as_text=True)
        assert "bank check" not in page and "bank export" not in page and "bank load" not in page, path
    help_page = client.get("/tutor/sync").get_data(as_text=True)
    assert "flask --app app bank export" in help_page and "bank load --force" in help_page
