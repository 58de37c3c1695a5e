from __future__ import annotations

from fazhi_prep.extensions import db
from fazhi_prep.models import Question
from tests.test_bank_load import load


def test_question_list_and_detail(logged_in, app, mini_root):
    load(app, mini_root)
    page = logged_in.get("/questions").get_data(as_text=True)
    assert "t-01" in page and "测试会议通知" in page and "会议通知" in page
    assert "300字" in page and "15 分钟" in page
    assert 'href="/questions/t-01"' in page
    detail = logged_in.get("/questions/t-01").get_data(as_text=True)
    assert "请你撰写一份会议通知（300字）。" in detail
    assert "某市决定召开常务会议。" in detail


def test_unknown_and_unpublished_questions_are_404(logged_in, app, mini_root):
    load(app, mini_root)
    assert logged_in.get("/questions/zz-99").status_code == 404
    question = db.session.query(Question).filter_by(slug="t-01").one()
    question.published = False
    db.session.commit()
    assert logged_in.get("/questions/t-01").status_code == 404
    assert "t-01" not in logged_in.get("/questions").get_data(as_text=True)


def test_materials_markdown_is_sanitised(logged_in, app, mini_root):
    path = mini_root / "question_bank/questions/t-01.md"
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n<script>alert("x")</script>\n\n<img src=x onerror="alert(1)">\n\n**加粗**\n',
        encoding="utf-8",
    )
    load(app, mini_root)
    page = logged_in.get("/questions/t-01").get_data(as_text=True)
    assert "<script>alert" not in page and "<img" not in page
    # shown as the text it is, not silently dropped
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page or "&lt;script&gt;alert(\"x\")&lt;/script&gt;" in page
    assert "&lt;img src=x" in page
    assert "<strong>加粗</strong>" in page
