"""Hostile bank files: alias bombs, deep nesting and non-finite numbers are refused
with a `file:line: message`, never a traceback, a hang or a silent 0 score."""

from __future__ import annotations

import pytest

from fazhi_prep.bank.yamlines import YamlSyntaxError, load_yaml
from tests.test_bank_check import LIBRARY, QUESTION, edit, run_check

ALIAS_BOMB = """\
a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]
"""


def test_alias_is_refused_with_its_line():
    with pytest.raises(YamlSyntaxError) as info:
        load_yaml(ALIAS_BOMB)
    assert "别名" in str(info.value)
    assert info.value.line == 1


def test_plain_yaml_still_loads():
    data = load_yaml("a: [1, 2]\nb: {c: 3.5}\n")
    assert data == {"a": [1, 2], "b": {"c": 3.5}}


def test_deep_nesting_is_refused_not_a_traceback():
    with pytest.raises(YamlSyntaxError) as info:
        load_yaml("x: " + "[" * 5000 + "]" * 5000)
    assert "嵌套" in str(info.value)


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN"])
def test_non_finite_number_is_refused(value):
    with pytest.raises(YamlSyntaxError) as info:
        load_yaml(f"weight: {value}\n")
    assert "有限" in str(info.value)


def test_bank_check_names_alias_in_question(app, mini_root):
    path = mini_root / QUESTION
    edit(path, "areas: [zhifa, baozhang]", "areas: &x [zhifa, baozhang]\nextra: *x")
    result = run_check(app, mini_root)
    assert result.exit_code == 1
    assert f"{QUESTION}:7: YAML 格式错误" in result.output
    assert "别名" in result.output


def test_bank_check_names_nan_weight(app, mini_root):
    edit(mini_root / QUESTION, "weight: 2", "weight: .nan")
    result = run_check(app, mini_root)
    assert result.exit_code == 1
    assert "有限" in result.output


def test_bank_check_refuses_alias_bomb_in_library(app, mini_root):
    path = mini_root / LIBRARY
    path.write_text(ALIAS_BOMB + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_check(app, mini_root)
    assert result.exit_code == 1
    assert f"{LIBRARY}:1: YAML 格式错误" in result.output


def test_export_never_writes_aliases_the_loader_refuses():
    from fazhi_prep.bank.yamlines import dump_yaml

    shared = ["依法行政", "法治政府"]
    text = dump_yaml({"a": shared, "b": shared})
    assert "&" not in text and "*" not in text
    assert load_yaml(text) == {"a": shared, "b": shared}
