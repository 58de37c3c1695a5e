"""Is the answer about 法治政府 at all? (the 跑题 check)

An answer counts as on the subject in proportion to

* the density of the subject's own vocabulary (``TOPIC_TERMS``: 法治政府,
  依法行政, 行政执法, 行政复议 ... — words other subjects rarely use), full
  from ``TOPIC_FULL`` of the text, or
* its rubric coverage, but only above ``COVERAGE_OFF``: the stock words of
  any official document (贯彻落实, 考核, 专题研究, 主要负责人 ...) reach about
  a fifth of a rubric on their own, so coverage below that says nothing
  about the subject; from ``COVERAGE_ON`` it is enough by itself (an answer
  in its own paraphrases),

whichever is higher. The gate scales the format and length marks (a
well-formatted 安全生产 notice does not collect them on a 法治政府 prompt)
and, less steeply, the content marks (``content_share``): a 党风廉政 speech
that happens to say 第一责任人 and 考核 is not half an answer on 组织保障.
On the held-out fixtures the two populations sit far apart: on-topic
texts of every genre have a density of 0.03 or more, texts on other
subjects 0.01 or less.
"""

from __future__ import annotations

from functools import lru_cache

import ahocorasick

from .normalize import normalize_term

COVERAGE_OFF = 0.2
COVERAGE_ON = 0.45
TOPIC_FULL = 0.03
# the content marks an off-subject text keeps at worst: its hits are real
# words, just not an answer to this question
CONTENT_FLOOR = 0.5

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
    by_coverage = min(1.0, max(0.0, coverage - COVERAGE_OFF) / (COVERAGE_ON - COVERAGE_OFF))
    by_topic = min(1.0, density / TOPIC_FULL)
    return max(by_coverage, by_topic), density


def content_share(gate: float) -> float:
    """The share of content marks kept at a given gate."""
    return CONTENT_FLOOR + (1.0 - CONTENT_FLOOR) * gate
