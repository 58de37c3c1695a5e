"""Two devices, one draft: a save from a stale revision is refused with both texts."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.practice_support import attempts_of, draft_of, start, token
from tests.test_bank_load import load


@pytest.fixture
def bank(app, mini_root):
    load(app, mini_root)


def autosave(client, text, revision):
    return client.post("/questions/t-01/draft", json={"text": text, "revision": revision},
                       headers={"X-CSRFToken": token(client)})


@pytest.fixture
def two_devices(app, logged_in, bank):
    start(logged_in)
    laptop = logged_in
    phone = app.test_client()
    login(phone, "kaosheng1")
    return laptop, phone


def test_each_save_returns_the_next_revision(two_devices):
    laptop, _ = two_devices
    first = laptop.get("/questions/t-01/draft").get_json()["revision"]
    saved = autosave(laptop, "第一稿", first)
    assert saved.status_code == 200 and saved.get_json()["revision"] == first + 1
    assert autosave(laptop, "第二稿", first + 1).get_json()["revision"] == first + 2


def test_stale_autosave_is_refused_with_the_servers_text(two_devices):
    laptop, phone = two_devices
    base = laptop.get("/questions/t-01/draft").get_json()["revision"]
    assert autosave(phone, "手机上写的内容", base).status_code == 200
    response = autosave(laptop, "电脑上写的内容", base)
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"] == "conflict"
    assert body["text"] == "手机上写的内容" and body["revision"] == base + 1
    assert "其他设备" in body["message"]
    assert draft_of("kaosheng1").text == "手机上写的内容"  # nothing overwritten
    # the candidate has seen both and chose: saving on top of the server's revision works
    merged = autosave(laptop, "电脑上写的内容\n手机上写的内容", body["revision"])
    assert merged.status_code == 200
    assert draft_of("kaosheng1").text == "电脑上写的内容\n手机上写的内容"


def test_save_without_a_revision_still_works(two_devices):
    laptop, _ = two_devices
    response = laptop.post("/questions/t-01/draft", json={"text": "旧版脚本"}, headers={"X-CSRFToken": token(laptop)})
    assert response.status_code == 200


@pytest.mark.parametrize("revision", ["3", 1.5, True, [1]])
def test_revision_must_be_a_whole_number(two_devices, revision):
    laptop, _ = two_devices
    assert autosave(laptop, "内容", revision).status_code == 400


def _form_post(client, path, text, revision, **extra):
    return client.post(path, data={"text": text, "revision": str(revision),
                                   "csrf_token": token(client, "/questions/t-01"), **extra})


def test_stale_save_without_javascript_shows_both_texts(two_devices):
    laptop, phone = two_devices
    page = laptop.get("/questions/t-01/practice").get_data(as_text=True)
    base = int(page.split('id="draft-revision" name="revision" type="hidden" value="')[1].split('"')[0])
    autosave(phone, "手机上写的内容", base)
    response = _form_post(laptop, "/questions/t-01/draft", "电脑上写的内容", base)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "草稿在其他设备或窗口中被修改过" in html
    assert "手机上写的内容" in html and "电脑上写的内容" in html
    assert f'value="{base + 1}"' in html  # saving again from this page is a deliberate choice
    assert draft_of("kaosheng1").text == "手机上写的内容"
    again = _form_post(laptop, "/questions/t-01/draft", "电脑上写的内容", base + 1)
    assert again.status_code == 302
    assert draft_of("kaosheng1").text == "电脑上写的内容"


def test_stale_submit_is_not_handed_in_silently(two_devices):
    laptop, phone = two_devices
    base = laptop.get("/questions/t-01/draft").get_json()["revision"]
    autosave(phone, "手机上写的更完整的内容", base)
    response = _form_post(laptop, "/questions/t-01/submit", "电脑上的旧内容", base)
    assert response.status_code == 409
    assert "手机上写的更完整的内容" in response.get_data(as_text=True)
    assert attempts_of("kaosheng1") == []
    assert draft_of("kaosheng1").text == "手机上写的更完整的内容"


def test_workspace_and_state_carry_the_revision(two_devices):
    laptop, _ = two_devices
    state = laptop.get("/questions/t-01/draft").get_json()
    page = laptop.get("/questions/t-01/practice").get_data(as_text=True)
    assert f'id="draft-revision" name="revision" type="hidden" value="{state["revision"]}"' in page
    assert 'id="conflict-pane"' in page and 'data-conflict="0"' in page
