"""`bank evaluate` and fazhi_prep.evaluation on a tiny made-up folder (the mini bank)."""

from __future__ import annotations

import json

import opencc
import pytest

from fazhi_prep.bank import read_bank
from fazhi_prep.evaluation import LabelError, auc, band_of, evaluate, library_areas, read_labels
from tests.test_bank_load import cli

GOOD = """关于召开行政执法工作会议的通知
各有关单位：
会议传达学习上级文件，坚持党的领导，部署全面推行行政执法公示、执法全过程记录和重大执法决定法制审核制度。
请准时参加。
市司法局
2021年9月1日
"""
THIN = "我们要做好执法公示，让群众看得见。"
TRAVEL = "十月的黄山云海翻涌，我们清晨从山脚出发，到光明顶时东方已经泛白，傍晚回到镇上吃了一碗面。"
LABELS = (
    "file\tquestion\texpected\tareas\n"
    "good.txt\tt-01\t80-100\tzhifa,baozhang\n"
    "thin.txt\tt-01\t30-59\tzhifa\n"
    "travel.txt\t*\toff\t-\n"
)


@pytest.fixture
def folder(tmp_path):
    for name, text in (("good.txt", GOOD), ("thin.txt", THIN), ("travel.txt", TRAVEL)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "labels.tsv").write_text(LABELS, encoding="utf-8")
    return tmp_path


@pytest.fixture
def bank(mini_root):
    return read_bank(mini_root / "question_bank", mini_root / "model_answers")


def test_auc_counts_ties_half_and_needs_both_kinds():
    assert auc([0.9, 0.5], [0.1, 0.5]) == pytest.approx((1 + 1 + 1 + 0.5) / 4)
    assert auc([0.2], [0.8]) == 0.0
    assert auc([], [0.3]) is None


def test_bands_have_closed_lower_bounds():
    assert [band_of(x) for x in (0, 29.99, 30, 59.9, 60, 79.99, 80, 100)] == [
        "0-29", "0-29", "30-59", "30-59", "60-79", "60-79", "80-100", "80-100",
    ]


def test_labels_are_read_and_checked(folder, bank):
    texts = read_labels(folder, bank.files, [a.key for a in bank.areas])
    assert [(t.file, t.question, t.expected, sorted(t.areas)) for t in texts] == [
        ("good.txt", "t-01", "80-100", ["baozhang", "zhifa"]),
        ("thin.txt", "t-01", "30-59", ["zhifa"]),
        ("travel.txt", "*", "off", []),
    ]
    (folder / "labels.tsv").write_text(LABELS + "good.txt\tt-09\t80-100\t-\n", encoding="utf-8")
    with pytest.raises(LabelError, match=r"labels.tsv:5: 未知的题目 t-09"):
        read_labels(folder, bank.files)
    (folder / "labels.tsv").write_text(LABELS + "travel.txt\t*\t0-29\t-\n", encoding="utf-8")
    with pytest.raises(LabelError, match=r":5: 题目为 \* 的文本 expected 应为 off"):
        read_labels(folder, bank.files)
    (folder / "labels.tsv").write_text(LABELS + "thin.txt\tt-01\t30-59\tzhifa,keji\n", encoding="utf-8")
    with pytest.raises(LabelError, match=r":5: 未知的纲要领域 keji"):
        read_labels(folder, bank.files, [a.key for a in bank.areas])


def test_an_area_is_found_from_half_a_library_point(bank):
    library = bank.library_rubric()
    assert len(library.points) == len(bank.library)
    assert library_areas(library, THIN) == {"zhifa"}  # one of the two needed groups of 三项制度
    assert library_areas(library, TRAVEL) == set()


def test_figures_on_a_tiny_folder(folder, bank):
    texts = read_labels(folder, bank.files)
    ev = evaluate(texts, bank.questions, bank.library_rubric(), opencc.OpenCC("s2t").convert)
    assert (ev.n_on, ev.n_off) == (2, 1)
    assert ev.zero_coverage == []
    assert ev.coverage_auc == 1.0
    assert ev.score_auc == 1.0
    good, thin, travel = ev.texts
    assert good.band == "80-100" and good.score >= 80
    assert travel.coverage == 0 and travel.zero_everywhere
    assert ev.band_table["off"]["0-29"] == 1
    assert ev.area_counts == {"found": 3, "labelled": 3, "agreed": 3}
    assert (ev.area_precision, ev.area_recall) == (1.0, 1.0)
    assert ev.traditional_max_diff is not None and ev.traditional_mean_diff <= ev.traditional_max_diff
    assert ev.point_hits["t-01"]["zhifa.sanxiang"] == {"hit": 1.0, "full": 0.5}
    assert ev.flagged == {}


def test_cli_prints_the_figures_and_json(app, folder, mini_root):
    result = cli(app, "bank", "evaluate", str(folder), "--root", str(mini_root))
    assert result.exit_code == 0, result.output
    assert "文本：切题 2 篇，跑题 1 篇" in result.output
    assert "覆盖率 AUC：1.000" in result.output
    assert "纲要领域：精确率 1.000（3/3），召回率 1.000（3/3）" in result.output
    result = cli(app, "bank", "evaluate", str(folder), "--root", str(mini_root), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["n_on"] == 2 and data["coverage_auc"] == 1.0
    assert [t["file"] for t in data["texts"]] == ["good.txt", "thin.txt", "travel.txt"]


def test_cli_reports_a_bad_label_file(app, folder, mini_root):
    (folder / "labels.tsv").write_text("name\tq\n", encoding="utf-8")
    result = cli(app, "bank", "evaluate", str(folder), "--root", str(mini_root))
    assert result.exit_code != 0
    assert "第一行应为表头" in result.output
