"""Markdown that can neither recurse nor run long, whatever a tutor (or a bank file) holds."""

from __future__ import annotations

import time

import pytest

from fazhi_prep.extensions import db
from fazhi_prep.models import Question
from fazhi_prep.text import (
    MAX_MARKDOWN_CHARS,
    MAX_MARKDOWN_DEPTH,
    markdown_problem,
    render_markdown,
)
from tests.test_bank_check import QUESTION, run_check
from tests.test_bank_load import load

HOSTILE = {
    "nested lists": "- " * 500 + "x",
    "nested ordered": "1. " * 500 + "x",
    "link openers": "[a](" * 6000,
    "brackets": "[" * 30000,
    "indented lists": "\n".join("    " * i + "- a" for i in range(300)),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_markdown_renders_fast_and_escaped(name):
    started = time.perf_counter()
    html = str(render_markdown(HOSTILE[name]))
    assert time.perf_counter() - started < 2
    assert "<script" not in html


def test_deep_nesting_is_named_with_its_line():
    text = "正文\n\n" + "- " * 500 + "x"
    assert markdown_problem(text) == f"第 3 行嵌套了 500 层列表或引用，最多 {MAX_MARKDOWN_DEPTH} 层"


def test_too_long_is_named():
    assert "超过" in markdown_problem("字" * (MAX_MARKDOWN_CHARS + 1))


def test_ordinary_materials_have_no_problem():
    text = "## 材料一\n\n- 要点\n  - 子要点\n\n> 引用\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert markdown_problem(text) is None
    html = str(render_markdown(text))
    assert "<li>子要点</li>" in html and "<table>" in html and "<blockquote>" in html


def test_refused_text_already_stored_renders_as_plain_text():
    html = str(render_markdown("- " * 500 + "<b>x</b>"))
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<li>" not in html


def test_code_span_is_escaped_once():
    html = str(render_markdown("比较 `a<b` 与 `c&d`"))
    assert "<code>a&lt;b</code>" in html
    assert "<code>c&amp;d</code>" in html


def test_raw_html_and_entities_show_as_written():
    html = str(render_markdown('<script>alert("x")</script> A&B **加粗**'))
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "A&amp;B" in html
    assert "<strong>加粗</strong>" in html


def test_bank_check_refuses_deep_materials(app, mini_root):
    path = mini_root / QUESTION
    path.write_text(path.read_text(encoding="utf-8") + "\n" + "- " * 500 + "x\n", encoding="utf-8")
    result = run_check(app, mini_root)
    assert result.exit_code == 1
    assert "给定材料" in result.output and "嵌套了 500 层" in result.output


def test_stored_hostile_materials_do_not_break_pages(logged_in, app, mini_root):
    load(app, mini_root)
    question = db.session.query(Question).filter_by(slug="t-01").one()
    question.materials = "- " * 500 + "x"
    db.session.commit()
    response = logged_in.get("/questions/t-01")
    assert response.status_code == 200


def test_tutor_form_refuses_deep_materials_and_keeps_the_text(app, client, mini_root):
    from tests.test_tutor_authoring import create_question
    from tests.tutor_support import question, tutor_client

    tutor_client(app, client, mini_root)
    response = create_question(client, materials="- " * 500 + "x")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"给定材料无法显示：第 1 行嵌套了 500 层列表或引用，最多 {MAX_MARKDOWN_DEPTH} 层" in page
    assert question("my-01") is None


def test_tutor_edit_page_opens_with_stored_hostile_materials(app, client, mini_root):
    from tests.tutor_support import tutor_client

    tutor_client(app, client, mini_root)
    stored = db.session.query(Question).filter_by(slug="t-01").one()
    stored.materials = "- " * 500 + "x"
    db.session.commit()
    response = client.get("/tutor/questions/t-01/edit")
    assert response.status_code == 200
    assert "嵌套了 500 层" in response.get_data(as_text=True)
