"""The format checks' literal prefilter (scoring/literals.py) never hides a match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from fazhi_prep.scoring.format_check import check_format, split_lines
from fazhi_prep.scoring.literals import needles, requirements
from fazhi_prep.scoring.spec import FormatRule

ROOT = Path(__file__).resolve().parent.parent
FORMAT_FILES = [ROOT / "question_bank" / "formats.yaml",
                ROOT / "tests" / "fixtures" / "mini_bank" / "question_bank" / "formats.yaml"]
TEXTS = sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.suffix in (".txt", ".md"))
TEXTS += sorted((ROOT / "model_answers").glob("*.md"))


def shipped_patterns() -> list[str]:
    out = []
    for path in FORMAT_FILES:
        for genre in yaml.safe_load(path.read_text(encoding="utf-8"))["genres"].values():
            for element in genre["elements"]:
                out.extend(element["patterns"])
    return out


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("会议(名称|议题)", ("会议",)),
        ("报告|汇报", ("报告", "汇报")),
        ("[上下]午|晚上", ("午", "晚上")),
        ("(会议|开会)?时间(:|为)", ("时间",)),
        ("^(近年来|\\d{4}年以来)", ("近年来", "年以来")),
        ("(举办|召开).{0,40}(培训班|培训)", ("培训",)),  # the parser factors out 培训
        # nothing every match must hold: no prefilter
        ("(报告)?", None),
        ("\\d+", None),
        ("[^。]{4,}", None),
        ("(?i)report", None),
        ("a|\\d", None),
        ("(\\w)\\1", None),
    ],
)
def test_needles(pattern, expected):
    assert needles(re.compile(pattern)) == expected


def test_requirements_are_all_needed_and_the_most_selective_first():
    assert requirements(re.compile("(主要|工作|重点)(安排|打算)")) == (("安排", "打算"), ("主要", "工作", "重点"))
    assert requirements(re.compile("(\\d{4}|[一二]{4})年(度)?.{0,20}(安排|打算)")) == (("年",), ("安排", "打算"))
    assert requirements(re.compile("(报告)?\\d+")) == ()


def test_every_match_of_a_shipped_pattern_holds_a_needle_of_each_requirement():
    lines = [line.text for path in TEXTS for line in split_lines(path.read_text(encoding="utf-8"))]
    assert len(lines) > 1000
    checked = 0
    for source in shipped_patterns():
        pattern = re.compile(source)
        reqs = requirements(pattern)
        for line in lines:
            if reqs and pattern.search(line):
                assert all(any(n in line for n in need) for need in reqs), (source, line)
                checked += 1
    assert checked > 1000


def test_prefiltered_search_finds_the_same_first_line_as_a_plain_scan():
    rules = tuple(
        FormatRule(f"r{i}", "r", "r", where, (source,))
        for i, source in enumerate(shipped_patterns())
        for where in ("title", "head", "tail", "body")
    )
    for path in TEXTS:
        text = path.read_text(encoding="utf-8")
        lines = split_lines(text)
        for rule, check in zip(rules, check_format(rules, text), strict=True):
            pattern = re.compile(rule.patterns[0])
            n = len(lines)
            window = {"title": range(min(n, 1)), "head": range(min(n, 3)),
                      "tail": range(max(0, n - 4), n), "body": range(n)}[rule.where]
            first = next((i for i in window if pattern.search(lines[i].text)), None)
            assert check.line == first, (path.name, rule.patterns[0], rule.where)
