"""Term suggestions for a rubric: keywords of the model answers and 给定材料 not yet in it.

jieba needs about a second to import and load its dictionaries, so it is
imported here, inside the function, the first time a tutor asks for
suggestions (the rubric editor loads them lazily); nothing else in the app
imports it, so ordinary requests never pay for it. The tokenizer is this
module's own instance (the 纲要 library's terms are added to it as words, so
"行政执法三项制度" stays one term) and jieba's global state is left alone.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .scoring.normalize import normalize_term

_LOCK = threading.Lock()
_STATE: dict[str, Any] = {}

# Words every 公文 uses: as rubric terms they would match any answer.
STOP_WORDS = frozenset(
    """
    制度 行政 法治 法制 建设 工作 改革 领导 环境 规范 深化 优化 全面 落实 全面落实 建立 健全 建立健全
    召开 加强 推进 完善 坚持 提高 提升 问题 情况 方面 政府 部门 机制 体系 能力 水平 进一步 不断 积极 有效
    切实 着力 持续 实施 开展 推动 强化 做好 要求 意见 通知 报告 我们 各级 相关 有关 主要 重要 同志们
    一是 二是 三是 四是 五是 六是 年度 今年 去年 全市 全省 我市 我省 市政府 人民政府 组织 保障 依法
    """.split()
)
# A phrase starting or ending with these is a clause fragment ("召开……", "……的"), not a term.
LEAD_STOP = frozenset(
    """
    关于 召开 研究 推进 深化 坚持 加强 全面落实 建立健全 决定 定于 经 某市 各区 各 建设 完善 提高 提升
    实施 开展 推动 强化 做好 落实 全面 进一步 不断 积极 切实 着力 持续 我市 我省 全市 全省 市政府 和 及
    """.split()
)
TAIL_STOP = frozenset("的 和 及 工作 情况 问题 方面 通知 报告 要求 意见 等 第一 第二".split())
_DIGIT = re.compile(r"[0-9０-９]")
_TOKEN = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]+$")
TOP_K = 80


@dataclass
class Suggestion:
    term: str
    weight: float
    in_answers: int  # occurrences in the model answers
    in_materials: int  # occurrences in the 给定材料
    library: list[str] = field(default_factory=list)  # library points using the term


def _extractor(words: set[str]):
    """jieba's TF-IDF extractor on a private tokenizer that knows ``words``."""
    with _LOCK:
        if "tfidf" not in _STATE:
            with warnings.catch_warnings():
                # jieba 0.42 leaves files open and imports pkg_resources: not our warnings
                warnings.simplefilter("ignore")
                import jieba
                import jieba.analyse

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                tfidf = jieba.analyse.TFIDF()
            tfidf.tokenizer = tokenizer
            _STATE.update(tfidf=tfidf, tokenizer=tokenizer, words=set())
        known: set[str] = _STATE["words"]
        for word in sorted(words - known):
            if 2 <= len(word) <= 20 and _TOKEN.match(word):
                _STATE["tokenizer"].add_word(word, freq=20_000, tag="nz")
        known |= words
        return _STATE["tfidf"], _STATE["tokenizer"]


def _phrases(tokens: list[str], weights: dict[str, float]) -> Counter:
    """Runs of 2–3 adjacent keywords ("执法" "公示") as one candidate term."""
    found: Counter = Counter()
    for i in range(len(tokens)):
        for n in (2, 3):
            run = tokens[i : i + n]
            if len(run) < n or not all(t in weights for t in run):
                continue
            # a one-character first or last token is a verb or particle (请、报、于…): a fragment
            if run[0] in LEAD_STOP or run[-1] in TAIL_STOP or len(run[0]) == 1 or len(run[-1]) == 1:
                continue
            phrase = "".join(run)
            if 4 <= len(phrase) <= 10:
                found[phrase] += 1
    return found


def suggest_terms(
    answers: list[str],
    materials: str,
    existing: set[str],
    library: dict[str, list[str]] | None = None,
    limit: int = 20,
) -> list[Suggestion]:
    """Keywords of ``answers`` and ``materials`` that no rubric alternative already is.

    ``existing``: the rubric's alternatives; ``library``: {term: [library point keys]}
    so a suggestion that is a library term says where it comes from.
    """
    library = library or {}
    tfidf, tokenizer = _extractor(set(library) | set(existing))
    text = "\n".join(answers + [materials])
    if not text.strip():
        return []
    weights = dict(tfidf.extract_tags(text, topK=TOP_K, withWeight=True))
    answer_tokens = [tokenizer.lcut(a) for a in answers]
    material_tokens = tokenizer.lcut(materials or "")
    scores: dict[str, float] = {}
    for word, weight in weights.items():
        scores[word] = weight * (1.0 if len(word) >= 3 else 0.6)
    counts: Counter = Counter()
    for tokens in answer_tokens + [material_tokens]:
        counts.update(_phrases(tokens, weights))
    for phrase, count in counts.items():
        parts = [t for t in tokenizer.lcut(phrase) if t in weights] or [phrase]
        mean = sum(weights.get(t, 0.0) for t in parts) / len(parts)
        scores[phrase] = max(scores.get(phrase, 0.0), mean * 1.2 * (1 + 0.25 * (count - 1)))
    taken = {normalize_term(t) for t in existing}
    out = []
    for term, weight in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
        norm = normalize_term(term)
        # numbers (dates, room numbers) are facts of one text, not terms of a rubric
        if len(norm) < 2 or term in STOP_WORDS or norm in taken or norm.isascii() or _DIGIT.search(norm):
            continue
        in_answers = sum(a.count(term) for a in answers)
        in_materials = (materials or "").count(term)
        if not (in_answers or in_materials):
            continue
        out.append(Suggestion(term, round(weight, 3), in_answers, in_materials, sorted(library.get(term, []))))
        taken.add(norm)
        if len(out) >= limit:
            break
    return out


def loaded() -> bool:
    """Whether jieba has been loaded in this process (tests check it stays lazy)."""
    return "tfidf" in _STATE
