"""Files and browser in step: a question changed on both sides since the last sync is a
conflict that changes nothing; tutor-vs-tutor edits are caught by the revision column."""

from __future__ import annotations

import pytest

from fazhi_prep import authoring
from fazhi_prep.bank.sync import ABSENT
from fazhi_prep.extensions import db
from tests.conftest import login, make_user
from tests.test_bank_check import QUESTION, edit
from tests.test_bank_load import cli, load
from tests.tutor_support import post_form, question, tutor_client


@pytest.fixture
def bank(app, mini_root):
    """The app's own bank is the mini bank: `bank load` / `bank export` without paths sync with it."""
    app.config["BANK_DIR"] = str(mini_root / "question_bank")
    app.config["MODEL_ANSWERS_DIR"] = str(mini_root / "model_answers")
    result = cli(app, "bank", "load")
    assert result.exit_code == 0, result.output
    return mini_root


def browser_edit(title: str = "浏览器改的标题"):
    q = question("t-01")
    data = authoring.QuestionData(q.slug, title, q.genre_key, q.prompt, q.limit_text, q.minutes, q.areas, q.materials)
    authoring.update_question(q, data, q.revision)
    db.session.commit()


def file_text(bank, rel=QUESTION):
    return (bank / rel).read_text(encoding="utf-8")


def test_load_records_the_sync_base(app, bank):
    q = question("t-01")
    assert q.synced_hash and q.synced_hash != ABSENT


def test_browser_edit_survives_a_load_and_export_writes_it(app, bank):
    browser_edit()
    result = cli(app, "bank", "load")
    assert "浏览器中的修改尚未导出" in result.output and "t-01" in result.output
    assert question("t-01").title == "浏览器改的标题"
    exported = cli(app, "bank", "export")
    assert exported.exit_code == 0, exported.output
    assert "与题库同步" in exported.output
    assert "title: 浏览器改的标题" in file_text(bank)
    assert "题库无变化" in cli(app, "bank", "load").output


def test_file_edit_is_loaded(app, bank):
    edit(bank / QUESTION, "title: 测试会议通知", "title: 文件改的标题")
    cli(app, "bank", "load")
    assert question("t-01").title == "文件改的标题"


def test_both_sides_changed_is_a_conflict_that_changes_nothing(app, bank):
    browser_edit()
    edit(bank / QUESTION, "title: 测试会议通知", "title: 文件改的标题")
    on_disk = file_text(bank)
    revision = question("t-01").revision
    result = cli(app, "bank", "load")
    assert result.exit_code == 0
    assert "冲突：t-01" in result.output and "bank load --force t-01" in result.output
    q = question("t-01")
    assert q.title == "浏览器改的标题" and q.revision == revision
    # export does not overwrite the file edit either
    exported = cli(app, "bank", "export")
    assert "冲突：t-01" in exported.output
    assert file_text(bank) == on_disk


def test_conflict_resolved_with_the_file_version(app, bank):
    browser_edit()
    edit(bank / QUESTION, "title: 测试会议通知", "title: 文件改的标题")
    result = cli(app, "bank", "load", "--force", "t-01")
    assert "冲突" not in result.output
    assert question("t-01").title == "文件改的标题"
    assert "题库无变化" in cli(app, "bank", "load").output


def test_conflict_resolved_with_the_browser_version(app, bank):
    browser_edit()
    edit(bank / QUESTION, "title: 测试会议通知", "title: 文件改的标题")
    cli(app, "bank", "export", "--force", "t-01")
    assert "title: 浏览器改的标题" in file_text(bank)
    assert "题库无变化" in cli(app, "bank", "load").output


def test_same_change_on_both_sides_is_no_conflict(app, bank):
    browser_edit("同样的标题")
    edit(bank / QUESTION, "title: 测试会议通知", "title: 同样的标题")
    result = cli(app, "bank", "load")
    assert "冲突" not in result.output and "尚未导出" not in result.output


def test_export_does_not_overwrite_an_unloaded_file_edit(app, bank):
    edit(bank / QUESTION, "title: 测试会议通知", "title: 文件改的标题")
    result = cli(app, "bank", "export")
    assert "文件在上次同步后被修改且尚未导入" in result.output
    assert "title: 文件改的标题" in file_text(bank)


def test_in_step_questions_keep_their_hand_written_files(app, bank):
    edit(bank / QUESTION, "title: 测试会议通知", "title: 测试会议通知  # 注释保留")
    cli(app, "bank", "load")
    before = file_text(bank)
    result = cli(app, "bank", "export")
    assert "与文件一致、未改写：1" in result.output
    assert file_text(bank) == before


def test_model_answer_and_rubric_changes_count_as_question_changes(app, bank, client):
    tutor_client(app, client, bank)  # loads again: no change
    q = question("t-01")
    answer = q.model_answers[0]
    authoring.save_model_answer(q, answer, authoring.AnswerData("main", "改过的范文", "", "", True, answer.body),
                                q.revision)
    db.session.commit()
    edit(bank / "model_answers/t-01.md", "title: 高分范文", "title: 文件改的范文")
    result = cli(app, "bank", "load")
    assert "冲突：t-01" in result.output
    assert question("t-01").model_answers[0].title == "改过的范文"


def test_browser_question_then_a_file_with_its_id_is_a_conflict(app, bank, client):
    tutor_client(app, client, bank)
    q = authoring.create_question(authoring.QuestionData("t-02", "浏览器题", "notice", "写通知（300字）", None, None, [], "材料"))
    db.session.commit()
    assert q.synced_hash == ABSENT
    source = file_text(bank).replace("id: t-01", "id: t-02")
    (bank / "question_bank/questions/t-02.md").write_text(source, encoding="utf-8")
    result = cli(app, "bank", "load")
    assert "冲突：t-02" in result.output
    assert question("t-02").title == "浏览器题"


def test_question_loaded_before_sync_tracking_takes_the_file(app, bank):
    q = question("t-01")
    q.synced_hash = None
    db.session.commit()
    edit(bank / QUESTION, "title: 测试会议通知", "title: 文件改的标题")
    cli(app, "bank", "load")
    assert question("t-01").title == "文件改的标题"


def test_new_question_form_refuses_an_id_that_has_an_unloaded_file(app, bank, client):
    tutor_client(app, client, bank)
    (bank / "question_bank/questions/t-09.md").write_text(file_text(bank).replace("id: t-01", "id: t-09"), "utf-8")
    response = post_form(client, "/tutor/questions/new", {
        "slug": "t-09", "title": "x", "genre": "notice", "prompt": "写（300字）", "materials": ""})
    assert "题库文件中已有 t-09" in response.get_data(as_text=True)
    assert question("t-09") is None


# -- tutor vs tutor ---------------------------------------------------------------


def test_second_tutor_save_is_refused_and_keeps_their_text(app, client, mini_root):
    tutor_client(app, client, mini_root)
    make_user("jiaoshi2", role=__import__("fazhi_prep.models", fromlist=["Role"]).Role.TUTOR)
    other = app.test_client()
    login(other, "jiaoshi2")
    page_a = client.get("/tutor/questions/t-01/edit").get_data(as_text=True)
    page_b = other.get("/tutor/questions/t-01/edit").get_data(as_text=True)
    from tests.conftest import csrf_from

    q = question("t-01")
    fields = {"slug": "t-01", "genre": "notice", "prompt": q.prompt, "areas": q.areas, "materials": q.materials,
              "revision": q.revision}
    first = client.post("/tutor/questions/t-01/edit",
                        data={**fields, "title": "甲老师的标题", "csrf_token": csrf_from(page_a)})
    assert first.status_code == 302
    second = other.post("/tutor/questions/t-01/edit",
                        data={**fields, "title": "乙老师的标题", "csrf_token": csrf_from(page_b)})
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "已被修改" in html
    assert 'value="乙老师的标题"' in html  # their text, kept to merge
    assert "甲老师的标题" in html  # the saved version, shown beside it
    assert question("t-01").title == "甲老师的标题"
    # saving again after merging succeeds (the form now carries the current revision)
    revision = html.split('name="revision" type="hidden" value="', 1)[1].split('"', 1)[0]
    third = other.post("/tutor/questions/t-01/edit", data={
        **fields, "revision": revision, "title": "合并后的标题", "csrf_token": csrf_from(html)})
    assert third.status_code == 302
    assert question("t-01").title == "合并后的标题"


def test_stale_rubric_save_is_refused_and_kept(app, client, mini_root):
    from tests.tutor_support import rubric_form_data

    tutor_client(app, client, mini_root)
    stale_revision = question("t-01").revision
    browser_edit("别人先改了")
    data = rubric_form_data([{"key": "t-01.new", "label": "我的新要点", "weight": 1, "source": "题干",
                              "terms": "传达学习"}])
    response = post_form(client, "/tutor/questions/t-01/rubric", {**data, "revision": stale_revision,
                                                                  "action": "save"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "已被修改" in html
    assert 'value="我的新要点"' in html
    assert question("t-01").rubric_draft is None


def test_claim_is_compare_and_set(app, mini_root):
    load(app, mini_root)
    q = question("t-01")
    revision = q.revision
    authoring.claim(q, revision)
    db.session.commit()
    with pytest.raises(authoring.StaleRevision) as caught:
        authoring.claim(question("t-01"), revision)
    assert caught.value.current == revision + 1


def test_export_removes_files_of_deleted_model_answers(app, bank):
    outline = (bank / "model_answers/t-01.md").read_text(encoding="utf-8").replace("primary: true", "primary: false")
    (bank / "model_answers/t-01-outline.md").write_text(outline, encoding="utf-8")
    cli(app, "bank", "load")
    q = question("t-01")
    outline_row = next(a for a in q.model_answers if a.variant == "outline")
    authoring.delete_model_answer(q, outline_row, q.revision)
    db.session.commit()
    result = cli(app, "bank", "export")
    assert "删除 1 个文件" in result.output
    assert not (bank / "model_answers/t-01-outline.md").exists()
    assert (bank / "model_answers/t-01.md").exists()


def test_export_never_writes_a_question_that_would_fail_check(app, bank):
    q = question("t-01")
    answer = q.model_answers[0]
    too_long = answer.body + "\n" + "补充。" * 150
    authoring.save_model_answer(q, answer, authoring.AnswerData("main", "高分范文", "", "", True, too_long), q.revision)
    db.session.commit()
    before = (bank / "model_answers/t-01.md").read_text(encoding="utf-8")
    result = cli(app, "bank", "export")
    assert "t-01 导出后将通不过 bank check，未导出" in result.output and "超过题目字数上限" in result.output
    assert (bank / "model_answers/t-01.md").read_text(encoding="utf-8") == before


def test_export_refuses_while_the_bank_files_are_broken(app, bank):
    browser_edit()
    edit(bank / QUESTION, "genre: notice", "genre: poem")
    result = cli(app, "bank", "export")
    assert result.exit_code == 1
    assert "未知的文种 poem" in result.output and "未导出任何题目" in result.output
    assert "genre: poem" in file_text(bank)


def test_every_loaded_question_is_in_step_with_its_files(app, shipped_root):
    from fazhi_prep.bank.sync import sync_status
    from fazhi_prep.models import Question

    load(app, shipped_root)
    db.session.expire_all()
    questions = db.session.scalars(__import__("sqlalchemy").select(Question)).all()
    assert questions and {sync_status(q) for q in questions} == {"synced"}


def test_stale_model_answer_save_is_refused_and_keeps_the_body(app, client, mini_root):
    from fazhi_prep.models import Role
    from tests.conftest import csrf_from

    tutor_client(app, client, mini_root)
    make_user("jiaoshi2", role=Role.TUTOR)
    other = app.test_client()
    login(other, "jiaoshi2")
    url = "/tutor/questions/t-01/answers/main/edit"
    page_a, page_b = client.get(url).get_data(as_text=True), other.get(url).get_data(as_text=True)
    revision = question("t-01").revision
    fields = {"variant": "main", "title": "高分范文", "revision": revision}
    first = client.post(url, data={**fields, "body": "甲老师改过的范文正文。", "csrf_token": csrf_from(page_a)})
    assert first.status_code == 302
    second = other.post(url, data={**fields, "body": "乙老师改过的范文正文。", "csrf_token": csrf_from(page_b)})
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "乙老师改过的范文正文。" in html  # their text, kept to merge
    assert next(a for a in question("t-01").model_answers if a.variant == "main").body == "甲老师改过的范文正文。"
