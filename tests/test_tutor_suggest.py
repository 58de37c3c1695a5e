"""Term suggestions: jieba keywords not yet in the rubric, loaded lazily, added in one click."""

from __future__ import annotations

import subprocess
import sys

from fazhi_prep.suggest import suggest_terms
from tests.conftest import ROOT
from tests.tutor_support import post_form, question, rubric_form_data, tutor_client

ANSWER = (
    "深化放管服改革，优化营商环境。全面推行行政执法公示制度，落实执法全过程记录制度，"
    "推进严格规范公正文明执法，推行柔性执法，建设数字法治政府。"
)


def test_suggestions_leave_out_what_the_rubric_has():
    found = suggest_terms([ANSWER], "材料：推行柔性执法。", {"执法公示", "行政执法公示", "全过程记录"},
                          {"柔性执法": ["zhifa.fangshi"]})
    terms = {s.term: s for s in found}
    assert "柔性执法" in terms and terms["柔性执法"].library == ["zhifa.fangshi"]
    assert terms["柔性执法"].in_answers == 1 and terms["柔性执法"].in_materials == 1
    assert "执法公示" not in terms and "全过程记录" not in terms
    assert not {"深化", "优化", "制度", "推进"} & set(terms)  # words every 公文 uses
    assert suggest_terms([], "", set()) == []


def test_jieba_is_not_loaded_by_the_app():
    code = (
        "import sys\n"
        "from fazhi_prep import create_app\n"
        "app = create_app({'TESTING': True, 'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': 'sqlite://'})\n"
        "import fazhi_prep.tutor.service, fazhi_prep.suggest, fazhi_prep.rubric_tests\n"
        "assert 'jieba' not in sys.modules, 'jieba imported at start-up'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_editor_page_does_not_compute_suggestions_until_asked(app, client, mini_root):
    tutor_client(app, client, mini_root)
    page = client.get("/tutor/questions/t-01/rubric").get_data(as_text=True)
    assert 'data-loaded="no"' in page and "生成术语建议" in page
    page = client.get("/tutor/questions/t-01/rubric?suggest=1").get_data(as_text=True)
    assert 'data-loaded="yes"' in page


def test_fragment_lists_suggestions_as_one_click_buttons(app, client, mini_root):
    tutor_client(app, client, mini_root)
    fragment = client.get("/tutor/questions/t-01/rubric/suggestions").get_data(as_text=True)
    assert 'name="action" value="term:' in fragment


def test_one_click_adds_a_suggestion_to_a_point(app, client, mini_root):
    tutor_client(app, client, mini_root)
    points = [{"key": "t-01.yiti", "label": "会议议题", "weight": 1, "source": "题干", "terms": "传达学习 | 学习贯彻"}]
    data = {**rubric_form_data(points), "revision": question("t-01").revision}
    added = post_form(client, "/tutor/questions/t-01/rubric", {**data, "action": "term:常务会议", "term_target": "new-0"})
    assert added.headers["Location"] == "/tutor/questions/t-01/rubric?suggest=1#point-1"  # the list stays open
    assert question("t-01").rubric_draft["spec"]["points"][0]["terms"] == ["传达学习 | 学习贯彻", "常务会议"]
    data["revision"] = question("t-01").revision
    post_form(client, "/tutor/questions/t-01/rubric", {**data, "action": "term:传达贯彻", "term_target": "grp-0-0"})
    assert question("t-01").rubric_draft["spec"]["points"][0]["terms"] == ["传达学习 | 学习贯彻 | 传达贯彻"]
    data["revision"] = question("t-01").revision
    response = post_form(client, "/tutor/questions/t-01/rubric", {**data, "action": "term:x", "term_target": ""})
    assert "请先在“加入到”中选择一个要点" in client.get(response.headers["Location"]).get_data(as_text=True)


# A 培训通知 and its materials with the fragments a tutor reported (执法时未, 由市司法局, 单位审核).
TRAINING_NOTICE = (
    "关于举办全市行政执法人员培训班的通知\n各区人民政府，市政府各部门：\n"
    "为推进严格规范公正文明执法，市政府定于2021年9月1日举办全市行政执法人员培训班，"
    "学习行政执法三项制度，推行柔性执法，运用说服教育、劝导示范等方式。"
    "执法时未全程记录的，由市司法局单位审核。请各单位报名。联系人：李红，电话：7654321。\n"
    "K市人民政府办公室\n2021年8月25日"
)
TRAINING_MATERIALS = (
    "1. 一些执法人员执法时未全程记录，执法方式简单粗暴。\n"
    "2. 市司法局要求推行柔性执法，推广说服教育、劝导示范、行政指导等方式。\n"
    "3. 落实行政执法三项制度。"
)
LIBRARY = {"行政执法三项制度": ["zhifa.sanxiang"], "柔性执法": ["zhifa.fangshi"], "说服教育": ["zhifa.fangshi"]}


def test_suggestions_are_whole_words_and_phrases_not_fragments():
    terms = [s.term for s in suggest_terms([TRAINING_NOTICE], TRAINING_MATERIALS, set(), LIBRARY)]
    assert {"柔性执法", "说服教育", "行政执法三项制度", "劝导示范"} <= set(terms)
    # pieces that cross word boundaries in the text are never offered
    for fragment in ("执法时未", "执法时未全程", "由市司法局", "单位审核", "时未全程"):
        assert not any(fragment in t for t in terms), (fragment, terms)
    # nor a date, a phone number or a name of a place or an office
    assert not any(ch.isdigit() for t in terms for ch in t)
    assert "司法局" not in terms and "市司法局" not in terms


def test_no_generic_word_is_suggested():
    from fazhi_prep.suggest import generic_terms

    terms = {s.term for s in suggest_terms([TRAINING_NOTICE], TRAINING_MATERIALS, set(), LIBRARY)}
    assert "执法" in generic_terms()
    assert not terms & generic_terms(), terms & generic_terms()
    assert not terms & {"执法", "运用", "联系人", "办公室", "方式"}


def test_library_terms_found_in_the_texts_come_first_and_say_where_they_are_from():
    found = suggest_terms([TRAINING_NOTICE], TRAINING_MATERIALS, set(), LIBRARY)
    first = found[: len(LIBRARY)]
    assert {s.term for s in first} == set(LIBRARY)
    assert all(s.library == LIBRARY[s.term] for s in first)
    # of 执法人员 / 行政执法人员 / 执法人员培训班, one is enough
    overlapping = [s.term for s in found if "执法人员" in s.term]
    assert len(overlapping) == 1, overlapping


def test_places_of_one_text_are_not_terms():
    text = TRAINING_NOTICE.replace("请各单位报名。", "培训地点：市委党校报告厅，报到地点：市政府第一会议室。请各单位报名。")
    terms = {s.term for s in suggest_terms([text], TRAINING_MATERIALS, set(), LIBRARY)}
    assert not {t for t in terms if t.endswith(("党校", "厅", "会议室"))}, terms


def test_the_scoring_engine_s_generic_list_is_honoured(monkeypatch):
    """Once fazhi_prep.scoring.generic exists, its words are never suggested either."""
    import sys
    import types

    from fazhi_prep import suggest

    engine = types.ModuleType("fazhi_prep.scoring.generic")
    engine.GENERIC_TERMS = frozenset({"劝导示范"})
    monkeypatch.setitem(sys.modules, "fazhi_prep.scoring.generic", engine)
    suggest.generic_terms.cache_clear()
    try:
        assert "劝导示范" in suggest.generic_terms() and "执法" in suggest.generic_terms()
        terms = {s.term for s in suggest_terms([TRAINING_NOTICE], TRAINING_MATERIALS, set(), LIBRARY)}
        assert "劝导示范" not in terms and "柔性执法" in terms
    finally:
        suggest.generic_terms.cache_clear()
