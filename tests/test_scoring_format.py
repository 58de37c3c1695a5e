"""Genre format checks driven by question_bank/formats.yaml, on realistic documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from test_scoring_support import MODEL_REPORT

from fazhi_prep.scoring import score, spec
from fazhi_prep.scoring.format_check import check_format, split_lines

FORMATS = Path(__file__).resolve().parent.parent / "question_bank" / "formats.yaml"
GENRE_KEYS = {
    "report": ["title", "addressee", "intro", "measures", "shortcomings", "first_responsible",
               "next_year", "closing", "signature", "date"],
    "analysis": ["problems", "countermeasures"],
    "experience": ["title", "lead", "practices", "results"],
    "notice": ["title", "addressee", "meeting_name", "time", "place", "attendees", "requirements",
               "contact", "signature", "date"],
    "speech_outline": ["title", "salutation", "opening", "numbering"],
    "opinion": ["section_heading", "numbered_measures"],
    "work_plan": ["steps", "owners", "dates"],
}
LABELS = {
    "notice": "会议通知", "report": "报告", "analysis": "问题对策", "experience": "经验材料",
    "speech_outline": "发言提纲", "opinion": "意见（补写部分）", "work_plan": "工作思路",
}


def load_rules() -> dict[str, tuple[spec.FormatRule, ...]]:
    data = yaml.safe_load(FORMATS.read_text(encoding="utf-8"))["genres"]
    return {
        genre: tuple(
            spec.FormatRule(
                key=el["key"], label=el["label"], expect=el["expect"], where=el.get("where", "body"),
                patterns=tuple(el["patterns"]), match_all=bool(el.get("match_all", False)),
            )
            for el in body["elements"]
            if "." not in el["key"]  # variants (meeting_name.training) are chosen per question
        )
        for genre, body in data.items()
    }


RULES = load_rules()

NOTICE = """关于召开市政府常务会议的通知
各区县人民政府，市政府各部门：
经市政府研究，定于2021年8月20日召开市政府常务会议，传达学习《法治政府建设实施纲要（2021—2025年）》，研究部署我市贯彻落实工作。现将有关事项通知如下：
一、会议时间
2021年8月20日（星期五）上午9:00
二、会议地点
市政府3楼第一会议室
三、参会人员
市政府领导，各区县政府主要负责同志，市政府各部门主要负责同志。
四、有关要求
（一）请参会同志提前15分钟到场签到，无特殊情况不得请假；确需请假的，报市政府主要领导同意。
（二）请各单位于8月18日前将本单位学习贯彻情况书面送市司法局。
联系人：市政府办公室秘书一科王××，电话：0531-12345678
J市人民政府办公室
2021年8月16日
"""

SPEECH = """在全省法治政府建设工作会议上的交流发言提纲
（Q市人民政府市长　×××）
各位领导、同志们：
按照会议安排，现将Q市推进法治政府建设的做法和体会汇报如下：
一、提高站位，压实法治政府建设责任
（一）健全领导机制。市政府常务会议每季度专题研究法治政府建设，主要负责同志履行第一责任人职责。
（二）抓住“关键少数”。落实政府常务会议会前学法制度，全年集体学法12次。
二、突出重点，推进依法行政
（一）深化“放管服”改革。
1.全面推行证明事项告知承诺制，取消证明材料126项。
2.推进政务服务“一网通办”，可网办率达92%。
（二）严格规范公正文明执法。全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。
三、下一步打算
我们将认真贯彻落实新《纲要》，对标先进找差距，努力创建全国法治政府建设示范市。
"""

EXPERIENCE = """S省“三个坚持”推进法治政府建设
近年来，S省坚持以习近平法治思想为指导，把法治政府建设作为全面依法治省的重点工程，聚焦政府职能转变、依法科学决策、严格规范执法三个关键环节持续发力，法治政府建设取得明显成效。
一、坚持高位推动，压实工作责任。省政府成立法治政府建设领导小组，把法治建设纳入市县综合考核，权重提高到10%，推动党政主要负责人切实履行第一责任人职责。
二、坚持改革创新，深化“放管服”改革。全面推行证明事项告知承诺制，取消证明材料126项；“一网通办”事项比例达到92%，企业开办时间压缩至1个工作日。
三、坚持规范执法，提升执法公信力。全面落实行政执法三项制度，组建6支综合行政执法队伍，执法案卷评查合格率由86%提高到97%，群众满意度明显提升。
"""

ANALYSIS = """一、存在的问题
1.领导干部法治意识不强。少数干部习惯于拍脑袋决策，重大行政决策程序走过场。
2.行政执法不规范。个别执法人员态度生硬，执法程序不严格，选择性执法时有发生。
3.普法宣传针对性不足。形式单一，群众参与度低。
二、对策建议
1.抓住领导干部这个“关键少数”，把法治素养作为考察干部的重要内容，严格落实重大行政决策法定程序。
2.全面落实行政执法三项制度，加强执法人员培训考核，推行说服教育、劝导示范等柔性执法方式。
3.落实“谁执法谁普法”责任制，创新普法形式，增强普法实效。
"""

OPINION = """五、精心组织，确保法治政府建设取得实效
（一）加强党的领导。各级政府要在党委统一领导下推进法治政府建设，政府常务会议每年至少听取两次法治政府建设工作汇报，及时研究解决重大问题。
（二）压实主体责任。政府主要负责人要切实履行推进法治建设第一责任人职责，把法治政府建设与经济社会发展同部署、同推进、同督促、同考核、同奖惩。
（三）强化督察考核。把法治政府建设成效纳入政绩考核指标体系，对工作不力、问题较多的地区和部门及时约谈、通报。
"""

WORK_PLAN = """按照协调会要求，我将按以下思路开展起草工作：
一是开展调研。9月15日前，由省司法厅牵头，赴市县和省直部门调研，摸清贯彻《纲要》的基础和短板。
二是起草初稿。9月30日前，起草组形成方案初稿，明确任务分工和时间表。
三是征求意见。10月中旬，书面征求省直部门和各市意见，并向社会公开征求意见。
四是审查报审。10月底前完成合法性审核，提交省委依法治省办审议后报省委、省政府印发。
"""

DOCS = {
    "notice": NOTICE,
    "report": MODEL_REPORT,
    "speech_outline": SPEECH,
    "experience": EXPERIENCE,
    "analysis": ANALYSIS,
    "opinion": OPINION,
    "work_plan": WORK_PLAN,
}


def failed(genre: str, text: str) -> list[str]:
    return [c.rule.key for c in check_format(RULES[genre], text) if not c.ok]


def without_element(genre: str, key: str, text: str) -> str:
    """The text with every line that satisfies element ``key`` (where it looks) removed."""
    rule = next(r for r in RULES[genre] if r.key == key)
    for _ in range(50):
        checks = check_format((rule,), text)
        if not checks[0].ok:
            return text
        start, end = checks[0].span
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        text = text[:line_start] + (text[line_end + 1 :] if line_end >= 0 else "")
    raise AssertionError("could not remove the element")


def test_formats_yaml_has_the_agreed_keys_and_labels():
    data = yaml.safe_load(FORMATS.read_text(encoding="utf-8"))["genres"]
    assert set(data) == set(GENRE_KEYS)
    for genre, keys in GENRE_KEYS.items():
        assert [el["key"] for el in data[genre]["elements"] if "." not in el["key"]] == keys
        # a variant stands in for one of the genre's elements
        assert {el["key"].partition(".")[0] for el in data[genre]["elements"]} == set(keys)
        assert data[genre]["label"] == LABELS[genre]
        for el in data[genre]["elements"]:
            assert el["label"] and el["expect"] and el["patterns"]
            assert el.get("where", "body") in ("title", "head", "tail", "body")
            for pattern in el["patterns"]:
                re.compile(pattern)


@pytest.mark.parametrize("genre", list(DOCS))
def test_each_genre_passes_on_a_complete_document(genre):
    assert failed(genre, DOCS[genre]) == []


@pytest.mark.parametrize(
    ("genre", "key"), [(g, k) for g, keys in GENRE_KEYS.items() for k in keys]
)
def test_removing_an_element_is_reported_by_name(genre, key):
    text = without_element(genre, key, DOCS[genre])
    assert key in failed(genre, text)
    rules = RULES[genre]
    q = spec.Question(
        id="t", genre=genre, limit_min=None, limit_max=None,
        rubric=spec.Rubric(points=(), format_rules=rules),
    )
    result = score(q, text)
    missing = next(f for f in result.format if f.key == key)
    assert not missing.ok
    assert missing.status == "missing"
    assert any(missing.label in line and "缺少" in line for line in result.explanation)


@pytest.mark.parametrize(
    ("genre", "text"),
    [
        # title over two lines, Chinese-numeral date, signature with seal note
        ("report", MODEL_REPORT.replace(
            "W市人民政府关于2020年度法治政府建设工作情况的报告",
            "W市人民政府\n关于2020年度法治政府建设工作情况的报告",
        ).replace("2021年3月15日", "二〇二一年三月十五日").replace("W市人民政府\n二", "W市人民政府（印章）\n二")),
        # signature and date on one line, full-width spaces
        ("report", MODEL_REPORT.replace("W市人民政府\n2021年3月15日", "W市人民政府　　2021年3月15日")),
        # issuing organ before the title, addressee with several organs
        ("notice", NOTICE.replace(
            "关于召开市政府常务会议的通知\n各区县人民政府，市政府各部门：",
            "J市人民政府办公室\n关于召开市政府常务会议的通知\n各区县人民政府，市政府各部门，各直属机构：",
        )),
        # time and place written inline; ○ used for 〇
        ("notice", NOTICE.replace("一、会议时间\n2021年8月20日（星期五）上午9:00\n二、会议地点\n市政府3楼第一会议室\n",
                                  "一、会议时间和地点：8月20日上午九时，在市政府常务会议室召开。\n")
         .replace("2021年8月16日", "二○二一年八月十六日")),
        # numbering with 一是 and 1、
        ("speech_outline", SPEECH.replace("（一）健全", "一是健全").replace("1.全面", "1、全面")),
        ("work_plan", WORK_PLAN.replace("一是", "（一）").replace("二是", "（二）")),
    ],
)
def test_real_world_variants_pass(genre, text):
    assert failed(genre, text) == []


@pytest.mark.parametrize(
    ("genre", "text", "key"),
    [
        ("notice", NOTICE.replace("各区县人民政府，市政府各部门：\n", ""), "addressee"),
        ("report", MODEL_REPORT.replace("特此报告。\n", ""), "closing"),
        ("report", MODEL_REPORT.replace("2021年3月15日\n", ""), "date"),
        ("speech_outline", SPEECH.replace("（一）", "").replace("（二）", "").replace("1.", "")
         .replace("2.", ""), "numbering"),
        ("experience", EXPERIENCE.replace("S省“三个坚持”推进法治政府建设\n", ""), "title"),
        ("opinion", OPINION.replace("五、精心组织，确保法治政府建设取得实效\n", ""), "section_heading"),
    ],
)
def test_missing_element_in_realistic_text(genre, text, key):
    assert key in failed(genre, text)


def test_lines_are_normalised_and_spanned():
    text = "  关于召开会议的通知  \r\n\n各区县人民政府：\n"
    lines = split_lines(text)
    assert [line.text for line in lines] == ["关于召开会议的通知", "各区县人民政府:"]
    assert text[lines[0].start : lines[0].end] == "关于召开会议的通知"
    assert text[lines[1].start : lines[1].end] == "各区县人民政府："


def test_format_marks_follow_element_weights():
    rules = (
        spec.FormatRule("closing", "结束语", "特此报告", "body", ("特此报告",), weight=3),
        spec.FormatRule("date", "日期", "日期", "tail", (r"\d{4}年\d{1,2}月\d{1,2}日$",), weight=1),
    )
    q = spec.Question(
        id="t", genre="report", limit_min=None, limit_max=None,
        rubric=spec.Rubric(points=(), format_rules=rules, parts=spec.Parts(0, 100, 0)),
    )
    result = score(q, "特此报告。")
    assert [f.earned for f in result.format] == [75.0, 0.0]
    assert result.breakdown.format == 75.0
