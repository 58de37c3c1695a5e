"""常见错误 in the browser: view, edit and try them; they sync with common_errors.yaml like a question."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import select

from fazhi_prep.bank.reader import read_bank
from fazhi_prep.extensions import db
from fazhi_prep.models import CommonError, Role
from fazhi_prep.scoring.errors import find_errors
from fazhi_prep.scoring.normalize import normalize
from tests.conftest import ROOT, login, make_user
from tests.test_bank_load import cli
from tests.tutor_support import post_form

ERRORS_FILE = "question_bank/common_errors.yaml"
NEW_ERROR = {
    "key": "yifa-xingzheng",
    "wrong": "依法行正\n依法形政",
    "right": "依法行政",
    "explain": "“依法行政”的“政”是政府的政，不能写错。",
    "unless": "",
    "members": "",
    "window": "12",
}


@pytest.fixture
def bank(app, mini_root):
    """The mini bank is the app's own bank, loaded; a tutor is logged in."""
    app.config["BANK_DIR"] = str(mini_root / "question_bank")
    app.config["MODEL_ANSWERS_DIR"] = str(mini_root / "model_answers")
    result = cli(app, "bank", "load")
    assert result.exit_code == 0, result.output
    return mini_root


@pytest.fixture
def tutor(client, bank):
    make_user("jiaoshi1", Role.TUTOR)
    login(client, "jiaoshi1")
    return client


def errors() -> dict[str, CommonError]:
    db.session.expire_all()
    return {e.key: e for e in db.session.scalars(select(CommonError))}


def test_the_page_lists_every_error_with_its_forms(tutor):
    page = tutor.get("/tutor/errors").get_data(as_text=True)
    assert "常见错误" in page and "fazhi-fazhi" in page and "法制政府" in page and "应为“法治政府”" in page
    assert "与文件 question_bank/common_errors.yaml 一致" in page
    assert 'href="/tutor/errors"' in tutor.get("/tutor/").get_data(as_text=True)


def test_trying_a_text_shows_what_a_candidate_would_be_told(tutor):
    response = post_form(tutor, "/tutor/errors", {"text": "我们要建设法制政府。"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "写成了“法制政府”；应为“法治政府”" in page and "这段答案会被扣 1 分" in page
    clean = post_form(tutor, "/tutor/errors", {"text": "我们要建设法治政府。"}).get_data(as_text=True)
    assert "没有发现常见错误" in clean


def test_a_new_error_is_validated_saved_and_counts_for_new_answers(tutor):
    bad = post_form(tutor, "/tutor/errors/new", {**NEW_ERROR, "key": "Bad Key", "right": "", "save": "保存"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "编号只能用小写字母、数字、. - _" in page and "请填写正确写法（必填）" in page
    assert "yifa-xingzheng" not in errors() and "Bad Key" not in errors()

    tried = post_form(tutor, "/tutor/errors/new", {**NEW_ERROR, "sample": "坚持依法行正。", "try_it": "试一试（不保存）"})
    assert "写成了“依法行正”；应为“依法行政”" in tried.get_data(as_text=True)
    assert "yifa-xingzheng" not in errors()  # trying saves nothing

    saved = post_form(tutor, "/tutor/errors/new", {**NEW_ERROR, "save": "保存"})
    assert saved.status_code == 302
    error = errors()["yifa-xingzheng"]
    assert error.wrong == ["依法行正", "依法形政"] and error.right == "依法行政"
    hits = find_errors((error.to_spec(),), normalize("坚持依法形政"))
    assert [h.error.key for h in hits] == ["yifa-xingzheng"]
    duplicate = post_form(tutor, "/tutor/errors/new", {**NEW_ERROR, "save": "保存"})
    assert "已有编号为 yifa-xingzheng 的常见错误" in duplicate.get_data(as_text=True)


def test_editing_keeps_the_key_and_deleting_removes(tutor):
    data = {**NEW_ERROR, "key": "something-else", "wrong": "法制政府\n法制型政府", "right": "法治政府",
            "explain": "用“法治”。", "save": "保存"}
    post_form(tutor, "/tutor/errors/fazhi-fazhi/edit", data)
    assert errors()["fazhi-fazhi"].wrong == ["法制政府", "法制型政府"] and "something-else" not in errors()
    assert tutor.get("/tutor/errors/nope/edit").status_code == 404
    post_form(tutor, "/tutor/errors/fazhi-fazhi/delete", {}, page="/tutor/errors")
    assert "fazhi-fazhi" not in errors()


def test_members_need_two_items_and_the_deduction_is_a_setting(tutor):
    response = post_form(tutor, "/tutor/errors/new", {**NEW_ERROR, "members": "只有一项", "save": "保存"})
    assert "至少列出两项，才能判断列举是否完整" in response.get_data(as_text=True)
    post_form(tutor, "/tutor/errors/deduction", {"deduction": "2"}, page="/tutor/errors")
    page = post_form(tutor, "/tutor/errors", {"text": "法制政府"}).get_data(as_text=True)
    assert "这段答案会被扣 2 分" in page


def test_browser_edits_are_exported_and_kept_by_a_load(app, tutor, bank):
    post_form(tutor, "/tutor/errors/new", {**NEW_ERROR, "save": "保存"})
    assert "有未写回文件 question_bank/common_errors.yaml 的修改" in tutor.get("/tutor/errors").get_data(as_text=True)
    loaded = cli(app, "bank", "load")
    assert "浏览器中的修改尚未导出" in loaded.output and "common_errors" in loaded.output
    assert "yifa-xingzheng" in errors()  # not overwritten by the file
    exported = cli(app, "bank", "export")
    assert exported.exit_code == 0, exported.output
    text = (bank / ERRORS_FILE).read_text(encoding="utf-8")
    assert "yifa-xingzheng" in text and "依法形政" in text
    # the file still reads, and the next load has nothing to do
    assert "yifa-xingzheng" in {e.key for e in read_bank(bank / "question_bank", bank / "model_answers").common_errors.errors}
    assert "题库无变化" in cli(app, "bank", "load").output
    assert "与文件 question_bank/common_errors.yaml 一致" in tutor.get("/tutor/errors").get_data(as_text=True)


def test_a_file_edit_is_loaded_and_both_sides_edited_is_a_conflict(app, tutor, bank):
    path = bank / ERRORS_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("现行中央文件用“法治政府”。", "文件里改的说明。"), encoding="utf-8")
    cli(app, "bank", "load")
    assert errors()["fazhi-fazhi"].explain == "文件里改的说明。"
    # now both sides change: neither wins until a tutor picks one
    post_form(tutor, "/tutor/errors/new", {**NEW_ERROR, "save": "保存"})
    path.write_text(path.read_text(encoding="utf-8").replace("文件里改的说明。", "文件又改了。"), encoding="utf-8")
    loaded = cli(app, "bank", "load")
    assert "冲突：common_errors" in loaded.output
    assert errors()["fazhi-fazhi"].explain == "文件里改的说明。" and "yifa-xingzheng" in errors()
    exported = cli(app, "bank", "export")
    assert "冲突：common_errors" in exported.output and "yifa-xingzheng" not in path.read_text(encoding="utf-8")
    forced = cli(app, "bank", "load", "--force", "common_errors")
    assert forced.exit_code == 0, forced.output
    assert errors()["fazhi-fazhi"].explain == "文件又改了。" and "yifa-xingzheng" not in errors()


def test_candidates_cannot_open_the_errors_pages(client, bank):
    make_user("kao1")
    login(client, "kao1")
    assert client.get("/tutor/errors").status_code == 403
    assert client.get("/tutor/errors/new").status_code == 403


def test_the_shipped_bank_no_longer_deducts_for_the_library_s_own_wording():
    """执法公示、音像记录、法制审核: the library point accepts 音像记录, so the enumeration is complete."""
    data = yaml.safe_load((ROOT / ERRORS_FILE).read_text(encoding="utf-8"))
    bank = read_bank(ROOT / "question_bank", ROOT / "model_answers")
    sanxiang = next(e for e in bank.common_errors.errors if e.key == "sanxiang-zhidu")
    text = "严格落实执法公示、音像记录、法制审核三项制度。"
    assert find_errors((sanxiang,), normalize(text)) == []
    # still incomplete when a member is left out
    hits = find_errors((sanxiang,), normalize("严格落实执法公示、法制审核。"))
    assert [h.kind for h in hits] == ["incomplete"]
    library = bank.library["zhifa.sanxiang"]
    assert any("音像记录" in group for group in library.terms)
    assert data["errors"]
