"""字数 (方格纸 rule) on the shared vectors, and word limits parsed from prompts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fazhi_prep.scoring import char_count, parse_limit
from fazhi_prep.scoring.counting import WHITESPACE

VECTORS_PATH = Path(__file__).parent / "fixtures" / "char_count_vectors.json"
VECTORS = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))["vectors"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["note"] for v in VECTORS])
def test_char_count_vectors(vector):
    assert char_count(vector["text"]) == vector["count"]


def test_vectors_cover_the_rule():
    notes = " ".join(v["note"] for v in VECTORS)
    for topic in ("quotes", "dash", "ellipsis", "digit run", "ASCII letters", "blank line",
                  "full-width", "astral", "ideographic"):
        assert topic in notes, topic
    assert any("\n\n" in v["text"] for v in VECTORS)


@pytest.mark.parametrize("ch", list(WHITESPACE))
def test_every_whitespace_char_is_free(ch):
    assert char_count(f"法{ch}治") == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a" * 1, 1),
        ("a" * 2, 1),
        ("a" * 3, 2),
        ("a" * 4, 2),
        ("9" * 101, 51),
    ],
)
def test_ascii_runs_round_up(text, expected):
    assert char_count(text) == expected


def test_count_is_additive_over_paragraphs():
    paragraphs = ["关于召开会议的通知", "各区县人民政府：", "定于2021年8月20日上午9:00召开会议。"]
    assert char_count("\n\n".join(paragraphs)) == sum(map(char_count, paragraphs))


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("请你撰写一份会议通知（300字）。", (None, 300)),
        ("补充“精心组织”部分内容（1000-1200字）。", (1000, 1200)),
        ("（1000～1200字）", (1000, 1200)),
        ("（1000~1200字）", (1000, 1200)),
        ("（1000—1200字）", (1000, 1200)),
        ("（1000——1200字）", (1000, 1200)),
        ("（1000至1200字）", (1000, 1200)),
        ("（1000字至1200字）", (1000, 1200)),
        ("（１０００－１２００字）", (1000, 1200)),
        ("字数：１０００～１２００", (1000, 1200)),
        ("不超过５００字", (None, 500)),
        ("不超过一千字", (None, 1000)),
        ("不少于800字，不超过1000字", (800, 1000)),
        ("结合材料3，写一篇报告（1,000字）", (None, 1000)),
        ("围绕“十六字方针”作答（300字以内）", (None, 300)),
        ("9月7日召开协调会，请写出工作思路（250字）。", (None, 250)),
        ("请写出工作思路。", (None, None)),
        ("", (None, None)),
    ],
)
def test_parse_limit(prompt, expected):
    assert parse_limit(prompt) == expected


def test_fixture_publishes_the_whitespace_set():
    doc = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))
    assert doc["whitespace"] == WHITESPACE
    assert "ceil(n/2)" in doc["rule"]
