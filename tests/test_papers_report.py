"""The paper report, history and CSV with papers, the printable paper, the result page's link back."""

from __future__ import annotations

import csv
import io
import re

import pytest

from fazhi_prep.extensions import db
from tests.conftest import login, make_user
from tests.paper_support import (
    SPEECH,
    add_paper_bank,
    hand_in,
    move_back,
    save,
    sittings,
    start,
)
from tests.test_bank_load import load


@pytest.fixture
def bank(app, mini_root):
    load(app, add_paper_bank(mini_root))


@pytest.fixture
def handed_in(logged_in, bank):
    """A sitting with question 1 answered (6 minutes) and question 2 left empty."""
    start(logged_in)
    [s] = sittings()
    move_back(s, 6)
    save(logged_in, s.id, 1, SPEECH)
    hand_in(logged_in, s.id)
    [s] = sittings()
    return s


def test_report_shows_total_per_question_scores_and_time_against_suggested(logged_in, handed_in):
    s = handed_in
    attempt = s.answers[0].attempt
    page = logged_in.get(f"/papers/sittings/{s.id}/report").get_data(as_text=True)
    earned = round(40 * attempt.score / 100, 1)
    assert f'<span class="score-value" id="paper-total">{earned:g}</span>' in page
    assert "/ 100</span>" in page
    assert f"<strong>{earned:g}</strong> / 40" in page and "<strong>0</strong> / 60" in page
    assert "未作答" in page
    assert "6分00秒 / 15 分钟" in page or "6分01秒 / 15 分钟" in page
    assert "0分00秒 / 20 分钟" in page
    assert f'href="/attempts/{attempt.id}"' in page
    # missed points grouped by 纲要 area (t-01's own point has none: 本题要点)
    assert "全卷未覆盖的要点（按纲要领域）" in page
    # the model answer beside the candidate's answer
    assert "你的答案与范文对照" in page and "高分范文" in page


def test_missed_points_are_grouped_by_gangyao_area(app, handed_in):
    from fazhi_prep.papers import report

    groups = report.missed_by_area(handed_in)
    labels = [p.label for g in groups for p in g.points]
    result_missed = [
        p["label"] for p in handed_in.answers[0].attempt.result["points"]
        if p.get("counted_coverage", p.get("coverage", 0)) < 0.8
    ]
    assert sorted(labels) == sorted(result_missed)
    assert all(g.label for g in groups)


def test_override_of_one_question_moves_the_paper_total(app, handed_in):
    from fazhi_prep.models import Role
    from fazhi_prep.papers import report
    from tests.conftest import csrf_from

    make_user("jiaoshi9", Role.TUTOR)
    client = app.test_client()
    login(client, "jiaoshi9")
    attempt = handed_in.answers[0].attempt
    token = csrf_from(client.get(f"/tutor/attempts/{attempt.id}").get_data(as_text=True))
    response = client.post(
        f"/tutor/attempts/{attempt.id}/override", data={"csrf_token": token, "score": "90", "comment": "结构完整"}
    )
    assert response.status_code == 302
    [s] = sittings()
    assert report.total(s) == 36.0
    page = client.get(f"/papers/sittings/{s.id}/report").get_data(as_text=True)
    assert 'id="paper-total">36</span>' in page and "教师改分" in page


def test_result_page_of_a_paper_question_links_back_to_the_report(logged_in, handed_in):
    page = logged_in.get(f"/attempts/{handed_in.answers[0].attempt.id}").get_data(as_text=True)
    assert "本题是模拟考试“测试试卷”中的一题" in page
    assert f'href="/papers/sittings/{handed_in.id}/report"' in page


def test_history_shows_papers_beside_single_attempts_and_csv_includes_them(logged_in, handed_in):
    page = logged_in.get("/me/history").get_data(as_text=True)
    assert "模拟考试" in page and "测试试卷" in page
    assert f'href="/papers/sittings/{handed_in.id}/report"' in page
    assert 'class="chart score-chart"' in page
    assert "模考：测试试卷" in page  # the paper's question among the single attempts
    body = logged_in.get("/me/history.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    header = rows[0]
    assert header[-3:] == ["模拟考试", "试卷总分", "教师评语"]
    [row] = rows[1:]
    assert row[1] == "t-01" and row[-3].startswith("测试试卷 · ")
    from fazhi_prep.papers import report

    assert row[-2] == f"{report.total(handed_in):g}"


def test_papers_list_shows_attempts_and_best_total(logged_in, handed_in):
    from fazhi_prep.papers import report

    page = logged_in.get("/papers").get_data(as_text=True)
    assert "已考 1 次" in page and f"最高 <strong>{report.total(handed_in):g}</strong> 分" in page
    detail = logged_in.get("/papers/tp-01").get_data(as_text=True)
    assert "开始考试" in detail and "其余时间用于阅读给定材料" in detail and "5 分钟" in detail


def test_a_tutor_reads_a_report_but_another_candidate_cannot(app, handed_in):
    from fazhi_prep.models import Role

    make_user("jiaoshi5", Role.TUTOR)
    make_user("other5")
    tutor = app.test_client()
    login(tutor, "jiaoshi5")
    page = tutor.get(f"/papers/sittings/{handed_in.id}/report").get_data(as_text=True)
    # each question opens in 作答复核, where the tutor can override it
    assert f'href="/tutor/attempts/{handed_in.answers[0].attempt.id}"' in page
    other = app.test_client()
    login(other, "other5")
    assert other.get(f"/papers/sittings/{handed_in.id}/report").status_code == 404


def test_printable_paper_has_prompts_materials_and_answer_sheets(logged_in, bank):
    page = logged_in.get("/papers/tp-01/print").get_data(as_text=True)
    assert page.count('class="answer-sheet"') == 2
    assert "第1题（40 分，建议 15 分钟）：测试会议通知" in page
    assert "某市决定召开常务会议" in page  # 给定材料
    # 300字 and a fifth more, in whole 100-cell blocks: 400 cells, 16 rows of 25
    sheet = page[page.index('class="sheet"'):]
    sheet = sheet[: sheet.index("</div>\n  </section>")]
    assert sheet.count('class="sheet-row"') == 16  # the first sheet only
    assert re.search(r'data-mark="400"', sheet)
    assert " style=" not in page and "<style" not in page


def test_report_page_prints_without_inline_styles(logged_in, handed_in):
    response = logged_in.get(f"/papers/sittings/{handed_in.id}/report")
    page = response.get_data(as_text=True)
    assert " style=" not in page and "<style" not in page
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    db.session.expire_all()
