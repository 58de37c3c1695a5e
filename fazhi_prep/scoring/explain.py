"""Plain-Chinese explanations: the itemised ``Result.explanation`` and ``render_report``."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .coverage import FULL_AT, HALF_AT

if TYPE_CHECKING:
    from .result import PointResult, Result

MAX_SUGGESTIONS = 5
ALTS_SHOWN = 2


def _n(x: float) -> str:
    """A mark for display: 7.0 -> "7", 4.67 -> "4.67"."""
    return f"{round(x, 2):g}"


def _quote(words: list[str]) -> str:
    return "、".join(f"“{w}”" for w in words)


def _alts(group: list[str]) -> str:
    shown = group[:ALTS_SHOWN]
    return "或".join(f"“{w}”" for w in shown)


def mode_text(mode: str) -> str:
    if mode == "proportional":
        return "内容按比例计分：每个要点按写到的提法组数占所需组数的比例得分。"
    return (
        f"内容按采分点计分：一个要点写到所需提法的{FULL_AT:.0%}以上得满分，"
        f"{HALF_AT:.0%}～{FULL_AT:.0%}得一半，{HALF_AT:.0%}以下不得分。"
    )


def _needed_for_full(p: PointResult) -> int:
    return max(0, math.ceil(FULL_AT * p.required - 1e-9) - p.found)


def _label(text: str) -> str:
    """Quotes inside quotes: “放管服” -> ‘放管服’."""
    return text.replace("“", "‘").replace("”", "’")


def point_line(p: PointResult, mode: str) -> str:
    head = f"要点“{_label(p.label)}”（满分{_n(p.max)}分）"
    words = [h.text for h in p.hits]
    uncounted = [h.text for h in p.hits if not h.counted]
    if p.found == 0:
        hint = "；".join(_alts(g) for g in p.missing[:3])
        return f"✗ {head}：未写到，0分。可写{hint}。"
    basis = f"得分依据：{_quote(words)}。"
    if p.core_missing:
        hint = "；".join(_alts(g) for g in p.core_missing)
        return (
            f"✗ {head}：写到了{_quote(words)}，但没有写到核心提法（{hint}），"
            f"这些词在各类公文里都常见，单独出现不能说明写到了这个要点，0分。"
        )
    if p.credit >= 1 and p.by_whole_name and p.found < p.required:
        line = f"✓ {head}：写到了这一要点的总称，得{_n(p.earned)}分。{basis}"
    elif p.credit >= 1:
        need = f"（需{p.required}组）" if p.required < p.groups else ""
        line = f"✓ {head}：写到{p.found}组提法{need}，得{_n(p.earned)}分。{basis}"
    else:
        share = f"{p.found}/{p.required}组（{p.coverage:.0%}）"
        if mode == "proportional":
            line = f"◐ {head}：写到{share}，按比例得{_n(p.earned)}分。{basis}"
        elif p.credit > 0:
            line = f"◐ {head}：写到{share}，按采分点得一半，{_n(p.earned)}分。{basis}"
        else:
            line = f"✗ {head}：只写到{share}，不足{HALF_AT:.0%}，不得分。{basis}"
        if p.missing:
            more = _needed_for_full(p) if mode != "proportional" else len(p.missing)
            hint = "；".join(_alts(g) for g in p.missing[:3])
            line += f"再写到{more or 1}组即可得满分，如{hint}。"
    if uncounted:
        where = p.discount or "堆砌或照抄"
        line += (
            f"但其中{_quote(uncounted)}出现在被标记为{where}的文字里，按{where}扣除，"
            f"本要点实得{_n(p.counted_earned)}分。"
        )
    return line


def explain(result: Result) -> list[str]:
    b = result.breakdown
    lines = [
        f"总分{_n(result.score)}分（满分100）：内容{_n(b.content)}/{_n(b.content_max)}分，"
        f"格式{_n(b.format)}/{_n(b.format_max)}分，字数{_n(b.length)}/{_n(b.length_max)}分，"
        f"扣分{_n(b.deducted)}分。",
        mode_text(result.scoring),
    ]
    lines += [point_line(p, result.scoring) for p in result.points]
    if result.format:
        ok = [f.label for f in result.format if f.ok]
        missing = [f for f in result.format if not f.ok]
        text = f"格式得{_n(b.format)}/{_n(b.format_max)}分。"
        if ok:
            text += "具备：" + "、".join(ok) + "。"
        if missing:
            text += "缺少：" + "；".join(f"{f.label}（{f.expect}）" for f in missing) + "。"
        lines.append(text)
    lines.append(f"字数：全文{result.char_count}字。{result.length.rule}{result.length.reason}")
    for d in b.deductions:
        lines.append(f"扣{_n(d.marks)}分：{d.reason}")
    for e in result.errors:
        if e.kind == "incomplete":
            lines.append(
                f"常见错误：“{e.text}”列举不全，缺{_quote(e.missing)}，应为“{e.right}”。{e.explain}"
            )
        else:
            lines.append(f"常见错误：“{e.text}”应为“{e.right}”。{e.explain}")
    lines += suggestions(result)
    return lines


def suggestions(result: Result) -> list[str]:
    gains = []
    for p in result.points:
        gain = p.max - p.earned
        if gain > 0.005 and p.missing:
            gains.append((gain, p))
    gains.sort(key=lambda g: -g[0])
    out = []
    for gain, p in gains[:MAX_SUGGESTIONS]:
        hint = "；".join(_alts(g) for g in p.missing[:3])
        out.append(f"提分建议：补写“{_label(p.label)}”最多可多得{_n(gain)}分，可用提法：{hint}。")
    for f in result.format:
        if not f.ok:
            out.append(f"提分建议：补上{f.label}（{f.expect}），可多得{_n(f.max)}分。")
    return out


def render_report(result: Result | dict[str, Any]) -> str:
    """A readable plain-Chinese text report of a result (or of its stored dict)."""
    d = result.to_dict() if hasattr(result, "to_dict") else result
    limit = d.get("limit") or {}
    lo, hi = limit.get("min"), limit.get("max")
    if lo is not None and hi is not None:
        limit_text = f"{lo}～{hi}字"
    elif hi is not None:
        limit_text = f"不超过{hi}字"
    elif lo is not None:
        limit_text = f"不少于{lo}字"
    else:
        limit_text = "未规定"
    b = d["breakdown"]
    out = [
        f"评分报告　题目：{d.get('question_id', '')}",
        "=" * 40,
        f"总分：{_n(d['score'])} / 100",
        f"字数：{d['char_count']}字（要求：{limit_text}）",
        f"要点覆盖率：{d['coverage']:.0%}",
        "",
        "【分项】",
        f"  内容：{_n(b['content']['earned'])} / {_n(b['content']['max'])}",
        f"  格式：{_n(b['format']['earned'])} / {_n(b['format']['max'])}",
        f"  字数：{_n(b['length']['earned'])} / {_n(b['length']['max'])}",
        f"  扣分：{_n(b['deducted'])}",
    ]
    for ded in b["deductions"]:
        out.append(f"    −{_n(ded['marks'])}　{ded['reason']}")
    out += ["", "【内容要点】"]
    for p in d["points"]:
        mark = "✓" if p["credit"] >= 1 else "◐" if p["credit"] > 0 else "✗"
        out.append(
            f"  {mark} {p['label']}　{_n(p['earned'])}/{_n(p['max'])}分"
            f"　写到{p['found']}组（满分需{p['required']}组）"
        )
        for h in p["hits"]:
            note = "" if h["counted"] else f"（按{p.get('discount') or '堆砌或照抄'}扣除）"
            out.append(f"      命中“{h['text']}”（第{h['span'][0] + 1}字起，提法“{h['term']}”）{note}")
        for g in p["missing"][:3]:
            out.append(f"      缺：{'、'.join(g[:3])}")
    if d["format"]:
        out += ["", "【格式】"]
        for f in d["format"]:
            mark = "✓" if f["ok"] else "✗"
            tail = "" if f["ok"] else f"　应：{f['expect']}"
            out.append(f"  {mark} {f['label']}　{_n(f['earned'])}/{_n(f['max'])}分{tail}")
    if d["flags"]:
        out += ["", "【提示】"]
        for f in d["flags"]:
            out.append(f"  [{f['name']}] {f['reason']}")
    if d["errors"]:
        out += ["", "【常见错误】"]
        for e in d["errors"]:
            out.append(f"  “{e['text']}” → “{e['right']}”：{e['explain']}")
    out += ["", "【逐项说明】"]
    out += [f"  {i}. {line}" for i, line in enumerate(d["explanation"], 1)]
    return "\n".join(out) + "\n"
