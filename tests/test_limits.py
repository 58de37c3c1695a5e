import pytest

from fazhi_prep.scoring.limits import parse_limit


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("请你撰写一份会议通知（300字）。", (None, 300)),
        ("撰写一份报告(1000字)", (None, 1000)),
        ("补充内容（1000-1200字）。", (1000, 1200)),
        ("补充内容（1000～1200字）。", (1000, 1200)),
        ("补充内容（1000~1200字）", (1000, 1200)),
        ("补充内容（1000—1200字）", (1000, 1200)),
        ("不超过５００字", (None, 500)),
        ("请写出工作思路（250字）。", (None, 250)),
        ("请写出工作思路。", (None, None)),
    ],
)
def test_parse_limit(prompt, expected):
    assert parse_limit(prompt) == expected
