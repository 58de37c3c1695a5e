"""Term suggestions for a rubric: whole words and 提法 of the model answers and 给定材料 not yet in it.

Candidates are whole jieba words (part-of-speech filtered: nouns, verbal
nouns, set phrases) and runs of two or three of them ("柔性" + "执法"), so a
suggestion never starts or ends inside a word ("执法时未", "由市司法局" are
cut by the segmenter, not kept). Ranked first: terms of the 纲要 library found
in the texts; then terms the model answers and the materials share; then the
rest by TF-IDF. A run of words must be an established phrase: used more than
once, or in both the model answers and the materials. Generic words (执法,
建设, 推进 …) are never suggested: a rubric term that every 公文 uses would
match any answer.

jieba needs about a second to import and load its dictionaries, so it is
imported here, inside the function, the first time a tutor asks for
suggestions (the rubric editor loads them lazily); nothing else in the app
imports it, so ordinary requests never pay for it. The tokenizer is this
module's own instance (the 纲要 library's terms are added to it as words, so
"行政执法三项制度" stays one term) and jieba's global state is left alone.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import warnings
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .scoring.normalize import normalize_term

_LOCK = threading.Lock()
_STATE: dict[str, Any] = {}

# Words every 公文 uses: as rubric terms they would match any answer. These are the
# broad single words a suggestion list meets (执法, 建设, 推进 …); the scoring
# engine's list of generic words and phrases (fazhi_prep.scoring.generic, being
# consolidated there) is added to them in generic_terms().
BROAD_WORDS = frozenset(
    """
    制度 行政 法治 法制 建设 工作 改革 领导 环境 规范 深化 优化 全面 落实 全面落实 建立 健全 建立健全
    召开 加强 推进 完善 坚持 提高 提升 问题 情况 方面 政府 部门 机制 体系 能力 水平 进一步 不断 积极 有效
    切实 着力 持续 实施 开展 推动 强化 做好 要求 意见 通知 报告 我们 各级 相关 有关 主要 重要 同志们
    一是 二是 三是 四是 五是 六是 年度 今年 去年 全市 全省 我市 我省 市政府 人民政府 组织 保障 依法
    执法 监督 管理 服务 决策 审核 审查 公开 考核 责任 单位 人员 会议 培训 学习 贯彻 贯彻落实 专题研究
    部署 研究 统筹 协调 方式 力度 温度 措施 举措 任务 目标 成效 效果 质量 效率 基层 群众 社会 发展
    联系人 联系电话 办公室 会议室 办公厅 工作人员 负责同志 主要负责同志 有关单位 各单位 各部门 运用
    """.split()
)

# A run of words starting or ending with these is a clause fragment ("全市……", "……工作"), not a term.
LEAD_STOP = frozenset(
    """
    关于 召开 研究 推进 深化 坚持 加强 全面落实 建立健全 决定 定于 某市 各区 各 建设 完善 提高 提升
    实施 开展 推动 强化 做好 落实 全面 进一步 不断 积极 切实 着力 持续 我市 我省 全市 全省 市政府 和 及
    推行 运用 加快 组织 举办 参加 请 由 对 在 将
    """.split()
)
TAIL_STOP = frozenset("的 和 及 工作 情况 问题 方面 通知 报告 要求 意见 等 第一 第二 人员 单位".split())

# jieba's tags for words that can be rubric terms on their own: nouns, verbal
# nouns, idioms and set phrases, abbreviations, and the library's own words (nz).
WORD_TAGS = frozenset({"n", "nz", "vn", "an", "l", "i", "j"})
SET_TAGS = frozenset({"nz", "l", "i", "j"})
# ... and for the parts of a run of words (柔性 + 执法, 劝导 + 示范).
PART_TAGS = WORD_TAGS | {"v", "a", "b", "ad", "vd"}
# names of people, places and organisations are facts of one text, as dates are
NAME_TAGS = frozenset({"nr", "ns", "nt", "nrt", "nrfg"})
# dates and numbers are facts of one text; 三项制度 is a term
_DIGIT = re.compile(r"[0-9０-９]|[〇一二三四五六七八九十]+[年月日时点号]")
# where a meeting or a course is held (市委党校, 报告厅, 第一会议室) is a fact of one text too
_PLACE = re.compile(r"(厅|室|楼|馆|党校|酒店|宾馆|大厦|礼堂|会场)$")
_TOKEN = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]+$")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


@lru_cache(maxsize=1)
def generic_terms() -> frozenset[str]:
    """Words too generic to be a rubric term, normalised: the scoring engine's list and ours.

    The one place that names the engine's list: until its module is merged the
    import fails and only ``BROAD_WORDS`` count.
    """
    try:
        from .scoring.generic import GENERIC_TERMS
    except ImportError:
        GENERIC_TERMS = frozenset()
    return frozenset(normalize_term(w) for w in BROAD_WORDS) | GENERIC_TERMS


@dataclass
class Suggestion:
    term: str
    weight: float
    in_answers: int  # occurrences in the model answers
    in_materials: int  # occurrences in the 给定材料
    library: list[str] = field(default_factory=list)  # library points using the term


def _tools(words: set[str]):
    """(POS tokenizer, idf table, median idf) on a private tokenizer that knows ``words``."""
    with _LOCK:
        if "pos" not in _STATE:
            with warnings.catch_warnings():
                # jieba 0.42 leaves files open and imports pkg_resources: not our warnings
                warnings.simplefilter("ignore")
                import jieba
                import jieba.analyse
                import jieba.posseg

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                tfidf = jieba.analyse.TFIDF()
                pos = jieba.posseg.POSTokenizer(tokenizer)
            _STATE.update(pos=pos, tokenizer=tokenizer, idf=tfidf.idf_freq, median=tfidf.median_idf, words=set())
        known: set[str] = _STATE["words"]
        for word in sorted(words - known):
            if 2 <= len(word) <= 20 and _TOKEN.match(word):
                _STATE["tokenizer"].add_word(word, freq=20_000, tag="nz")
        known |= words
        return _STATE["pos"], _STATE["idf"], _STATE["median"]


def _usable_word(word: str, tag: str, generic: frozenset[str]) -> bool:
    return (
        _HAN.match(word) is not None
        and len(word) >= 2
        and normalize_term(word) not in generic
        and tag not in NAME_TAGS
        and not _DIGIT.search(word)
        and not _PLACE.search(word)
    )


def _candidates(tagged: list[tuple[str, str]], generic: frozenset[str]) -> Counter:
    """Whole words and runs of 2–3 adjacent words that can be terms, with their counts."""
    found: Counter = Counter()
    for i, (word, tag) in enumerate(tagged):
        # a two-character word stands alone only as a set phrase or a library word (放管服 is three)
        if tag in WORD_TAGS and _usable_word(word, tag, generic) and (len(word) >= 3 or tag in SET_TAGS):
            found[word] += 1
        for n in (2, 3):
            run = tagged[i : i + n]
            if len(run) < n or any(t not in PART_TAGS or not _HAN.match(w) or t in NAME_TAGS for w, t in run):
                continue
            words = [w for w, _ in run]
            if words[0] in LEAD_STOP or words[-1] in TAIL_STOP or len(words[0]) == 1 or len(words[-1]) == 1:
                continue
            # a verb opens a clause (推行……), unless the run is a pair of verbs (劝导示范)
            if run[0][1] == "v" and not (n == 2 and run[1][1] == "v"):
                continue
            if all(normalize_term(w) in generic for w in words):
                continue  # 监督考核, 学习贯彻: generic words stay generic together
            phrase = "".join(words)
            if (4 <= len(phrase) <= 10 and normalize_term(phrase) not in generic
                    and not _DIGIT.search(phrase) and not _PLACE.search(phrase)):
                found[phrase] += 1
    return found


def suggest_terms(
    answers: list[str],
    materials: str,
    existing: set[str],
    library: dict[str, list[str]] | None = None,
    limit: int = 20,
) -> list[Suggestion]:
    """Terms of ``answers`` and ``materials`` that no rubric alternative already is.

    ``existing``: the rubric's alternatives; ``library``: {term: [library point keys]}
    so a suggestion that is a library term says where it comes from, and comes first.
    """
    library = library or {}
    if not "".join(answers + [materials or ""]).strip():
        return []
    generic = generic_terms()
    pos, idf, median = _tools(set(library) | set(existing))
    answer_counts: Counter = Counter()
    for text in answers:
        answer_counts.update(_candidates(_tagged(pos, text), generic))
    material_counts = _candidates(_tagged(pos, materials or ""), generic)
    taken = {normalize_term(t) for t in existing} | set(generic)
    ranked = []
    for term in set(answer_counts) | set(material_counts):
        in_answers = sum(a.count(term) for a in answers)
        in_materials = (materials or "").count(term)
        count = answer_counts[term] + material_counts[term]
        single = term in idf or len(pos.tokenizer.lcut(term)) == 1
        in_library = term in library
        if not single and not in_library and count < 2 and not (in_answers and in_materials):
            continue  # a run of words used once is a clause, not an established 提法
        weight = idf.get(term, median) if single else _phrase_idf(term, pos, idf, median)
        score = weight * (1 + math.log(count))
        tier = 0 if in_library else (1 if in_answers and in_materials else 2)
        ranked.append((tier, -score, term, in_answers, in_materials))
    out: list[Suggestion] = []
    shown: list[str] = []
    for _tier, neg_score, term, in_answers, in_materials in sorted(ranked):
        norm = normalize_term(term)
        # one of 执法人员 / 行政执法人员 / 执法人员培训班 is enough: the better-ranked one
        if norm in taken or any(norm in t or t in norm for t in shown):
            continue
        shown.append(norm)
        out.append(Suggestion(term, round(-neg_score, 3), in_answers, in_materials, sorted(library.get(term, []))))
        taken.add(norm)
        if len(out) >= limit:
            break
    return out


def _tagged(pos, text: str) -> list[tuple[str, str]]:
    return [(p.word, p.flag) for p in pos.lcut(text)]


def _phrase_idf(phrase: str, pos, idf: dict[str, float], median: float) -> float:
    """A run's weight: the mean idf of its words, a little above a single word's."""
    parts = pos.tokenizer.lcut(phrase)
    return 1.2 * sum(idf.get(p, median) for p in parts) / len(parts)


def loaded() -> bool:
    """Whether jieba has been loaded in this process (tests check it stays lazy)."""
    return "pos" in _STATE
