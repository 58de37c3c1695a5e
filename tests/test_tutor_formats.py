"""Format elements per question: what each looks for, and variants (培训通知) picked in the editor."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fazhi_prep import authoring
from fazhi_prep.bank.reader import read_bank
from fazhi_prep.extensions import db
from fazhi_prep.models import Question
from fazhi_prep.scoring.format_check import check_format
from tests.conftest import ROOT
from tests.tutor_support import post_form, question, rubric_form_data, tutor_client

TRAINING_NOTICE = """关于举办全市行政执法人员培训班的通知
各区人民政府，市政府各部门：
为落实《法治政府建设实施纲要（2021—2025年）》，市政府决定举办全市行政执法人员培训班。现将有关事项通知如下：
一、培训内容：解读《纲要》，讲授行政执法三项制度。
二、培训时间：2021年9月1日上午9时。
三、培训地点：市委党校报告厅。
四、参训人员：各区执法部门分管负责同志。
五、有关要求：请于8月28日前报送参训名单。联系人：李红，电话：7654321。
K市人民政府办公室
2021年8月25日"""
NOTICE_ELEMENTS = ["title", "addressee", "meeting_name", "time", "place", "attendees", "requirements",
                   "contact", "signature", "date"]
VARIANTS = {"meeting_name": "meeting_name.training", "attendees": "attendees.training"}
POINT = {"key": "bc-04.px", "label": "培训内容", "weight": 1, "source": "给定材料", "terms": "三项制度"}


@pytest.fixture
def notice_rules():
    return read_bank(ROOT / "question_bank", ROOT / "model_answers").genres["notice"].elements


def failed(rules, keys, text):
    return [c.rule.key for c in check_format(tuple(rules[k] for k in keys), text) if not c.ok]


def test_a_training_notice_fails_the_meeting_element_and_passes_its_variants(notice_rules):
    # 参训人员 is not 参会人员 either
    assert failed(notice_rules, NOTICE_ELEMENTS, TRAINING_NOTICE) == ["meeting_name", "attendees"]
    chosen = [VARIANTS.get(k, k) for k in NOTICE_ELEMENTS]
    assert failed(notice_rules, chosen, TRAINING_NOTICE) == []
    # the variant still tells a notice with no training in it
    assert failed(notice_rules, ["meeting_name.training"], "关于召开常务会议的通知\n请准时参会。") == [
        "meeting_name.training"
    ]
    assert notice_rules["meeting_name.training"].label == "培训名称和内容（培训通知）"


def test_a_new_question_checks_the_genre_s_elements_but_no_variant(app):
    tutor_client(app, app.test_client(), ROOT)
    q = db.session.scalar(select(Question).where(Question.slug == "bc-04"))
    default = authoring.default_spec(q)["format"]
    assert default == NOTICE_ELEMENTS


def _formats(on: set[str]) -> list[tuple[str, bool, float]]:
    keys = NOTICE_ELEMENTS + ["meeting_name.training", "attendees.training"]
    return [(k, k in on, 1) for k in keys]


def test_the_editor_shows_what_each_element_looks_for_and_tries_a_variant(app, client):
    tutor_client(app, client, ROOT)
    page = client.get("/tutor/questions/bc-04/rubric").get_data(as_text=True)
    assert "查找什么" in page and "替代“会议名称和内容”" in page
    assert "(召开|举行|举办).{0,40}(会议|会)" in page  # the element's own pattern, escaped
    assert "在答案的任何一行中查找" in page

    chosen = {VARIANTS.get(k, k) for k in NOTICE_ELEMENTS}
    data = {**rubric_form_data([POINT], formats=_formats(chosen), parts=(50, 40, 10), pasted=TRAINING_NOTICE),
            "revision": question("bc-04").revision, "action": "try"}
    response = post_form(client, "/tutor/questions/bc-04/rubric", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    matrix = page[page.index('class="format-matrix"'):]
    matrix = matrix[: matrix.index("</table>")]
    assert "会议名称和内容</th>" not in matrix
    # the last column is the pasted training notice: every element, the variants too, is found
    rows = [row for row in matrix.split("<tr>")[2:]]
    assert len(rows) == len(NOTICE_ELEMENTS)
    assert all(row.rstrip().rsplit("<td", 1)[1].startswith(' class="ok"') for row in rows), rows
    assert any("培训名称和内容（培训通知）" in row for row in rows) and any("参训人员（培训通知）" in row for row in rows)

    # an element and its variant check the same thing: only one may be published
    both = chosen | {"meeting_name"}
    data = {**rubric_form_data([POINT], formats=_formats(both)), "revision": question("bc-04").revision,
            "action": "publish"}
    page = client.get(post_form(client, "/tutor/questions/bc-04/rubric", data).headers["Location"]).get_data(as_text=True)
    assert "格式要素“会议名称和内容”和它的变体“培训名称和内容（培训通知）”只能选一个" in page

    data = {**rubric_form_data([POINT], formats=_formats(chosen)), "revision": question("bc-04").revision,
            "action": "publish"}
    post_form(client, "/tutor/questions/bc-04/rubric", data)
    rubric = question("bc-04").rubric
    assert "meeting_name.training" in [f.key for f in rubric.format_elements]
    assert "meeting_name" not in [f.key for f in rubric.format_elements]
