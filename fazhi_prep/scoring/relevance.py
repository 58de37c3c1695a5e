"""Is the answer about 法治政府 at all? (跑题 check for format and length marks.)

Format and length marks are only earned by an answer to the question: a
well-formatted notice about 安全生产 must not collect them on a 法治政府
prompt. An answer counts as relevant in proportion to

* its rubric coverage (full from ``COVERAGE_FULL``), or
* the density of the subject's own vocabulary (``TOPIC_TERMS``: 法治政府,
  依法行政, 行政执法, 行政复议 ... — words other subjects rarely use), full
  from ``TOPIC_FULL`` of the text,

whichever is higher. A generic but on-topic answer keeps its format marks;
a text on another subject does not.
"""

from __future__ import annotations

from functools import lru_cache

import ahocorasick

from .normalize import normalize_term

COVERAGE_FULL = 0.4
TOPIC_FULL = 0.04

TOPIC_TERMS = (
    "法治政府", "依法行政", "法治建设", "法治思维", "法治方式", "法治轨道", "法治意识",
    "法治素养", "法治能力", "法治保障", "法治化", "法治国家", "法治社会", "法治中国",
    "全面依法治国", "依法治省", "依法治市", "依法治县", "依法治区", "法治思想",
    "实施纲要", "行政执法", "执法公示", "法制审核", "全过程记录", "三项制度", "重大行政决策",
    "合法性审查", "合法性审核", "规范性文件", "政府规章", "行政复议", "行政应诉", "行政诉讼",
    "行政裁决", "行政调解", "法律顾问", "公职律师", "放管服", "简政放权", "权责清单",
    "权力清单", "政务公开", "政务诚信", "述法", "第一责任人", "普法", "法治宣传",
    "行政权力", "制约和监督", "依法决策", "依法履职", "法治督察", "严格规范公正文明执法",
    "执法体制", "综合执法", "综合行政执法", "行政决策", "行政机关",
)


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for term in TOPIC_TERMS:
        norm = normalize_term(term)
        auto.add_word(norm, len(norm))
    auto.make_automaton()
    return auto


def topic_density(norm_text: str) -> float:
    """Share of the (normalised) text covered by the subject's vocabulary."""
    if not norm_text:
        return 0.0
    cover = bytearray(len(norm_text))
    for end, length in _automaton().iter(norm_text):
        cover[end + 1 - length : end + 1] = b"\x01" * length
    return cover.count(1) / len(norm_text)


def relevance(coverage: float, norm_text: str) -> tuple[float, float]:
    """(gate 0–1, topic density): the share of format and length marks kept."""
    density = topic_density(norm_text)
    by_coverage = min(1.0, coverage / COVERAGE_FULL) if COVERAGE_FULL > 0 else 1.0
    by_topic = min(1.0, density / TOPIC_FULL) if TOPIC_FULL > 0 else 1.0
    return max(by_coverage, by_topic), density
