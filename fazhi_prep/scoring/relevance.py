"""Is the answer about 法治政府 at all? (the 跑题 check)

An answer counts as on the subject in proportion to the higher of

* its own subject vocabulary (``TOPIC_TERMS``: 法治政府, 依法行政, 行政执法,
  行政复议, 纲要 ... — words other subjects rarely use): its density, full
  from ``TOPIC_FULL`` of the text, and how often it is used, nothing for a
  single mention (a 营商环境 speech that names 放管服 once is not about
  法治政府), full from ``TOPIC_MENTIONS``; and
* its coverage of the rubric's core groups (★, see ``spec.CORE_MARK``): the
  subject-specific 提法 of the points that have them, full from
  ``CORE_ON``. A rubric without core groups falls back to the coverage of
  all its points, counted only above ``COVERAGE_OFF`` — the stock words of
  any official document (贯彻落实, 考核, 专题研究 ...) reach about a fifth of
  a rubric on their own.

The gate scales the format and length marks (a well-formatted 安全生产
notice does not collect them on a 法治政府 prompt) and, less steeply, the
content marks (``content_share``): a 党风廉政 speech that happens to say
第一责任人 and 考核 is not half an answer on 组织保障.

On the realistic fixtures (tests/test_scoring_realistic.py) the on-topic
texts (39) have a density of 0.027 or more and two mentions or more (the
short 工作思路 lean on their core coverage: 纲要, 依法治省委员会), the texts
on other subjects (29) a density of 0.011 or less and two mentions at most.
"""

from __future__ import annotations

from functools import lru_cache

import ahocorasick

from .normalize import normalize_term

COVERAGE_OFF = 0.2
COVERAGE_ON = 0.45
CORE_OFF = 0.25
CORE_ON = 0.6
TOPIC_FULL = 0.03
TOPIC_MENTIONS = 3
# the content marks an off-subject text keeps at worst: its hits are real
# words, just not an answer to this question
CONTENT_FLOOR = 0.4

TOPIC_TERMS = (
    "法治政府", "依法行政", "法治建设", "法治思维", "法治方式", "法治轨道", "法治意识",
    "法治素养", "法治能力", "法治保障", "法治化", "法治国家", "法治社会", "法治中国",
    "全面依法治国", "依法治省", "依法治市", "依法治县", "依法治区", "法治思想",
    "实施纲要", "行政执法", "执法公示", "法制审核", "全过程记录", "三项制度", "重大行政决策",
    "规范性文件", "政府规章", "行政复议", "行政应诉", "行政诉讼",
    "行政裁决", "行政调解", "公职律师", "放管服", "简政放权", "权责清单",
    "权力清单", "政务公开", "政务诚信", "述法", "普法", "法治宣传",
    "行政权力", "制约和监督", "依法决策", "依法履职", "法治督察", "严格规范公正文明执法",
    "执法体制", "综合执法", "综合行政执法", "行政决策", "行政机关", "纲要", "法治", "复议",
    "应诉",
)
# Left out on purpose: 第一责任人 (安全生产, 食品安全 and 党风廉政 texts use it as
# much), 合法性审核/审查 (every 方案 or 规范性文件 goes through it, whatever
# its subject) and every other generic word (generic.GENERIC_TERMS, e.g.
# 法律顾问: schools and hospitals have one too).


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for term in TOPIC_TERMS:
        norm = normalize_term(term)
        auto.add_word(norm, len(norm))
    auto.make_automaton()
    return auto


def _topic_spans(norm_text: str) -> list[tuple[int, int]]:
    """Spans of subject terms, a term inside a longer one (纲要 in 实施纲要) left out."""
    spans = sorted({(end + 1 - length, end + 1) for end, length in _automaton().iter(norm_text)},
                   key=lambda s: (s[0], -s[1]))
    out: list[tuple[int, int]] = []
    reach = -1
    for a, b in spans:
        if b <= reach:
            continue
        out.append((a, b))
        reach = max(reach, b)
    return out


def _covered(spans: list[tuple[int, int]]) -> int:
    covered, reach = 0, 0
    for a, b in spans:
        covered += b - max(a, reach)
        reach = b
    return covered


def topic_density(norm_text: str) -> float:
    """Share of the (normalised) text covered by the subject's vocabulary."""
    return _covered(_topic_spans(norm_text)) / len(norm_text) if norm_text else 0.0


def _ramp(x: float, lo: float, hi: float) -> float:
    return min(1.0, max(0.0, (x - lo) / (hi - lo)))


def relevance(coverage: float, norm_text: str, *, core: bool = False) -> tuple[float, float]:
    """(gate 0–1, topic density): the share of format and length marks kept.

    ``coverage``: of the rubric's core-group points when ``core``, else of all points.
    """
    spans = _topic_spans(norm_text)
    density = _covered(spans) / len(norm_text) if norm_text else 0.0
    by_topic = min(_ramp(density, 0.0, TOPIC_FULL), _ramp(len(spans), 1, TOPIC_MENTIONS))
    return max(by_topic, coverage_gate(coverage, core=core)), density


def coverage_gate(coverage: float, *, core: bool = False) -> float:
    """The gate the rubric's coverage alone earns; ``relevance`` is never below it,
    so at 1.0 the text need not be read for the subject's vocabulary."""
    return _ramp(coverage, CORE_OFF, CORE_ON) if core else _ramp(coverage, COVERAGE_OFF, COVERAGE_ON)


def content_share(gate: float) -> float:
    """The share of content marks kept at a given gate."""
    return CONTENT_FLOOR + (1.0 - CONTENT_FLOOR) * gate
