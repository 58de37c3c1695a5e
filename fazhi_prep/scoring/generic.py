"""Generic words: what every official text says, whatever its subject.

One list, used wherever the project needs to know that a word says nothing
about 法治政府 on its own:

* ``bank check`` warns when a non-core term group of a rubric point consists
  only of these words (the group is met by any 公文, so it credits nothing
  real — see ``generic_only``);
* the tutor workspace leaves them out of its term suggestions;
* the 跑题 check's subject vocabulary (``relevance.TOPIC_TERMS``) holds none
  of them (a test keeps it so).

Public name for other modules: ``GENERIC_TERMS`` (a frozenset of normalised
words) and ``is_generic(term)``.

Kept here: stock verbs of 公文 (贯彻落实, 研究部署 …), the 考核 / 督查 /
整改 family, leadership formulas (第一责任人, 亲自部署 …), 基层 words
(乡镇（街道）, 网格, 志愿者 …), everyday 矛盾 words (化解矛盾 …), 单位-yearbook
words (法律顾问, 专题研究 …), public-satisfaction words (群众满意, 获得感 …),
digital buzzwords (大数据, 数字化 …) and stock outcomes (办结, 整改到位 …).
"""

from __future__ import annotations

from .normalize import normalize_term
from .spec import parse_gapped, unmarked

_WORDS = """
贯彻落实 学习贯彻 深入贯彻 全面贯彻 认真贯彻 认真落实 抓好落实 狠抓落实 推动落实 压实责任 落实责任
研究部署 专题研究 专题部署 专题会议 动员部署 安排部署 统筹协调 统筹推进 牵头抓总 定期听取 重大问题
加强领导 组织领导 坚强领导 高度重视 摆上重要位置 重要议事日程 一级抓一级 层层抓落实
主要负责人 主要负责同志 主要领导 分管领导 一把手 第一责任人 亲自部署 亲自过问 亲自协调 亲自督办 亲自抓
主体责任 责任清单 责任分工 任务分工 任务清单 时间表 路线图 工作台账 台账
考核 考评 目标考核 绩效考核 综合考核 年度考核 考核指标 考核结果 考核权重 纳入考核
督查 督导 督促检查 跟踪督办 督办 约谈 通报 通报批评 问责 追责 整改 整改到位 整改落实 挂牌督办 回头看
乡镇（街道） 乡镇 街道 村（社区） 社区 网格 网格员 志愿者 志愿服务 社会组织 社会力量 基层组织
化解矛盾 矛盾化解 矛盾纠纷 排查化解 维护稳定 和谐稳定 平安建设
法律顾问 法律服务 法律知识 依法依规 依法 法规 规定 制度建设 规章制度
人民群众 群众满意 人民满意 满意度 满意率 获得感 幸福感 安全感 急难愁盼 切身利益 为民办实事
大数据 数字化 智能化 信息化 信息化建设 互联网 数据库 信息共享 互联互通
高质量发展 营造良好氛围 良好氛围 浓厚氛围 宣传报道 新闻媒体 新媒体 典型经验 经验做法 先进典型
办结 审结 结案 答复 办复率 按时完成 取得实效 取得成效 新成效 新进展
培训 业务培训 专题培训 学习培训 调研 调查研究 座谈会 征求意见 公开征求意见
应急演练 疫情防控 风险防范 协调联动 快速反应 监测预警 应急预案
重点领域 突出问题 专项整治 专项行动 集中整治
向社会公开 门户网站 政府网站 公开透明 透明度
招商引资 市场主体 民营企业 中小企业
""".split()

GENERIC_TERMS: frozenset[str] = frozenset(normalize_term(w) for w in _WORDS)


def is_generic(term: str) -> bool:
    """Is ``term`` (as written in a rubric, marks and gaps allowed) a generic word?

    A gapped term is generic only when every part is.
    """
    plain = unmarked(term)
    try:
        gapped = parse_gapped(plain)
    except ValueError:
        gapped = None
    parts = gapped.parts if gapped else (plain,)
    return all(normalize_term(p) in GENERIC_TERMS for p in parts)


def generic_only(group: tuple[str, ...] | list[str]) -> bool:
    """Does a term group consist only of generic words?"""
    return bool(group) and all(is_generic(t) for t in group)
