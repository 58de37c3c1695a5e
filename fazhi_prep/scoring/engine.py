"""score(question, text): everything put together.

Total = content + format + length − deductions, clamped to 0–100, where

* content: per point, its share of ``parts.content`` (by weight) times its
  credit — tiered (≥80% of the needed groups: full, 40–80%: half) or
  proportional, as the rubric says;
* format: ``parts.format`` times the weight share of elements found;
* length: ``parts.length``, scaled down when far too short, minus the
  over-limit deduction (what exceeds the length part is a deduction);
* deductions: anti-gaming (the content marks that flagged text earned),
  relevance (format and length marks scale down for a text that is not
  about the subject — see relevance.py — so an off-topic text in the right
  format scores low; its content marks scale down less steeply), the
  over-limit excess, and 常见错误
  (``question.error_deduction`` each).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from operator import itemgetter

from .copying import check_copied
from .counting import char_count
from .coverage import CompiledRubric, Occurrence, Occurrences, PointCoverage, compile_rubric, credit
from .errors import find_errors
from .format_check import check_format
from .gaming import GamingCheck
from .length import LengthCheck, check_length
from .normalize import Normalized, normalize, normalize_term, simplified
from .relevance import content_share, coverage_gate, relevance
from .result import (
    FLAG_NAMES,
    Breakdown,
    Deduction,
    ErrorResult,
    Flag,
    FormatResult,
    Hit,
    LengthResult,
    PointResult,
    Result,
    discount_of,
)
from .spec import Question
from .stuffing import check_stuffing

_PARTS = itemgetter(5)  # Occurrence.parts


# round(x, n) goes through a correctly rounded decimal conversion each time, and a
# rubric's marks and coverages take few distinct values (a point's share times 0,
# ½ or 1; found / required groups): the results are remembered
_ROUNDED: tuple[dict[float, float], dict[float, float]] = ({}, {})
_ROUNDED_SIZE = 4096


def _r(x: float) -> float:
    out = _ROUNDED[0].get(x)
    if out is None:
        out = _remember(_ROUNDED[0], x, round(x + 0.0, 2))
    return out


def _r4(x: float) -> float:
    out = _ROUNDED[1].get(x)
    if out is None:
        out = _remember(_ROUNDED[1], x, round(x + 0.0, 4))
    return out


def _remember(memo: dict[float, float], x: float, rounded: float) -> float:
    if len(memo) >= _ROUNDED_SIZE:
        memo.clear()
    memo[x] = rounded
    return rounded


class _Excluder:
    """Does an occurrence overlap any excluded (flagged) normalised span?"""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = _merge(spans)
        self.starts = [a for a, _ in self.spans]

    def keep(self, occ: Occurrence) -> bool:
        i = bisect_right(self.starts, occ.end - 1) - 1
        return i < 0 or self.spans[i][1] <= occ.start

    def outside(self, text: str) -> str:
        """``text`` without the excluded spans."""
        parts, pos = [], 0
        for a, b in self.spans:
            parts.append(text[pos:a])
            pos = b
        parts.append(text[pos:])
        return "".join(parts)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _content(covs: list[PointCoverage], mode: str, part: float) -> tuple[float, float, list[float]]:
    """(marks, weighted coverage 0–1, each point's maximum)."""
    total_w = sum(max(c.point.weight, 0.0) for c in covs)
    if total_w <= 0:
        return 0.0, 0.0, [0.0] * len(covs)
    maxes = [part * max(c.point.weight, 0.0) / total_w for c in covs]
    earned = sum(m * credit(c.coverage, mode) for m, c in zip(maxes, covs, strict=True))
    coverage = sum(max(c.point.weight, 0.0) * c.coverage for c in covs) / total_w
    return earned, coverage, maxes


@dataclass
class _Gaming:
    counted: list[PointCoverage]
    content: float  # content marks after exclusions
    coverage: float  # weighted coverage after exclusions
    excluder: _Excluder | None
    flags: list[Flag] = field(default_factory=list)
    deductions: list[Deduction] = field(default_factory=list)


def _anti_gaming(
    question: Question,
    norm: Normalized,
    compiled: CompiledRubric,
    by_point: Occurrences,
    raw: list[PointCoverage],
    as_model: bool,
    content: float,
    coverage: float,
) -> _Gaming:
    """Flag 堆砌 and 照抄; the flagged text's terms stop counting.

    ``content``, ``coverage``: what ``raw`` earns before anything is flagged.
    """
    rubric = question.rubric
    out = _Gaming(raw, content, coverage, None)
    # a gapped term covers its parts, not the writer's words between them
    term_spans = [
        p for groups in by_point for occs in groups.values() for o in occs
        for p in (o.parts or ((o.start, o.end),))
    ]
    checks: tuple[tuple[str, GamingCheck], ...] = (
        ("keyword_stuffing", check_stuffing(norm, term_spans)),
        (
            "copied_material",
            check_copied(
                norm,
                question.materials,
                () if as_model else tuple(question.model_answers),
                question.prompt,
            ),
        ),
    )
    excluded: list[tuple[int, int]] = []
    for name, check in checks:
        if not check.flagged:
            continue
        excluded += check.spans
        out.excluder = _Excluder(excluded)
        out.counted = compiled.assign(norm.text, by_point, out.excluder.keep)
        after, out.coverage, _ = _content(out.counted, rubric.scoring, rubric.parts.content)
        lost = _r(max(0.0, out.content - after))
        out.content = after
        spans = [norm.span(a, b) for a, b in check.spans]
        out.flags.append(Flag(name, check.reason, lost, spans, dict(check.detail)))
        out.deductions.append(Deduction(name, lost, check.reason))
    return out


def _point_results(
    norm: Normalized,
    raw: list[PointCoverage],
    counted: list[PointCoverage],
    maxes: list[float],
    mode: str,
    flags: list[Flag],
) -> list[PointResult]:
    flagged = bool(flags)
    # every occurrence and part is non-empty: its original span is read straight off
    # the positions (Normalized.span, without its empty-span case)
    pos = norm.positions
    original = norm.original
    out = []
    for cov, cnt, mx in zip(raw, counted, maxes, strict=True):
        point = cov.point
        counted_groups = {gh.group for gh in cnt.found} if flagged else set()
        hits = []
        for gh in cov.found:
            chosen = gh.chosen
            a, b = pos[chosen.start], pos[chosen.end - 1] + 1
            occs = gh.all
            if any(map(_PARTS, occs)):  # a gapped term highlights its parts
                spans = [(pos[s], pos[e - 1] + 1) for o in occs for s, e in (o.parts or ((o.start, o.end),))]
            else:
                spans = [(pos[o.start], pos[o.end - 1] + 1) for o in occs]
            counted_hit = not flagged or gh.group in counted_groups
            hits.append(Hit(gh.group, chosen.term, original[a:b], (a, b), gh.count, spans, counted_hit))
        cr = credit(cov.coverage, mode)
        discount = next(
            (w for h in hits if not h.counted if (w := discount_of(flags, h.span))), ""
        ) if flagged else ""
        # positional, in PointResult's field order: keyword arguments cost twice the call
        out.append(
            PointResult(
                point.key,
                point.label,
                point.weight,
                point.source,
                point.area,
                len(point.groups),
                point.required,
                len(cov.found),
                _r4(cov.coverage),
                _r4(cnt.coverage),
                cr,
                _r(mx * cr),
                _r(mx * credit(cnt.coverage, mode)),
                _r(mx),
                hits,
                [list(point.groups[g]) for g in cov.missing],
                [list(point.groups[g]) for g in point.core] if cov.core_missing else [],
                cov.by_whole_name,
                discount,
            )
        )
    return out


def _format_results(question: Question, text: str) -> list[FormatResult]:
    rules = question.rubric.format_rules
    part = question.rubric.parts.format
    total_w = sum(r.weight for r in rules)
    out = []
    for c in check_format(rules, text):
        fmax = part * c.rule.weight / total_w if total_w else 0.0
        rule = c.rule
        # positional, in FormatResult's field order (see _point_results)
        out.append(
            FormatResult(
                rule.key, rule.label, c.ok, rule.expect, rule.weight, _r(fmax if c.ok else 0.0), _r(fmax), c.span
            )
        )
    return out


def _length_part(
    question: Question, count: int
) -> tuple[LengthCheck, float, list[Flag], list[Deduction]]:
    """(check, length marks, flags, deductions beyond the length part)."""
    part = question.rubric.parts.length
    lc = check_length(count, question.limit_min, question.limit_max, question.length_rule)
    earned = part * lc.earned_share
    flags: list[Flag] = []
    deductions: list[Deduction] = []
    if lc.penalty:
        taken = min(lc.penalty, earned)
        earned -= taken
        if lc.penalty > taken:
            deductions.append(
                Deduction("over_limit", _r(lc.penalty - taken), f"超字数扣分超出字数分的部分：{lc.reason}")
            )
    if lc.over_limit:
        flags.append(Flag("over_limit", lc.reason, _r(lc.penalty)))
    if lc.under_limit:
        flags.append(Flag("under_limit", lc.reason, _r(part * (1 - lc.earned_share))))
    return lc, earned, flags, deductions


def _errors(question: Question, norm: Normalized) -> tuple[list[ErrorResult], list[Deduction]]:
    per = question.error_deduction
    hits = find_errors(question.common_errors, norm, normalize_term(question.prompt or ""))
    errors = [
        ErrorResult(
            key=h.error.key,
            kind=h.kind,
            text=h.text,
            span=(h.start, h.end),
            right=h.error.right,
            explain=h.error.explain,
            missing=list(h.missing),
            marks=_r(per),
        )
        for h in hits
    ]
    if not errors or per <= 0:
        return errors, []
    listed = "；".join(
        f"“{e.text}”应为“{e.right}”" if e.kind == "wrong" else f"“{e.text}”不完整，应为“{e.right}”"
        for e in errors
    )
    reason = f"常见错误{len(errors)}处，每处扣{per:g}分：{listed}。"
    return errors, [Deduction("common_errors", _r(per * len(errors)), reason)]


def _copied_length(gaming: _Gaming, length_marks: float) -> list[Deduction]:
    """Copied text fills the page but is not the candidate's writing: no 字数 marks for it."""
    copied = next((f for f in gaming.flags if f.name == "copied_material"), None)
    share = float(copied.detail.get("copied_share", 0)) if copied else 0.0
    if share <= 0 or length_marks <= 0:
        return []
    return [
        Deduction(
            "copied_length",
            _r(length_marks * min(1.0, share)),
            f"照抄的文字不算自己写的字数：字数分按自己写的{1 - min(1.0, share):.0%}计。",
        )
    ]


def _off_topic(gaming: _Gaming, norm: Normalized, form_marks: float) -> list[Deduction]:
    """跑题: judged on the candidate's own (unflagged) text, see relevance.py."""
    cored = [c for c in gaming.counted if c.point.core and c.point.weight > 0]
    if cored:
        weight = sum(c.point.weight for c in cored)
        coverage = sum(c.point.weight * c.coverage for c in cored) / weight
    else:
        coverage = gaming.coverage
    if coverage_gate(coverage, core=bool(cored)) >= 1.0:
        return []  # the rubric's own core wording already shows the text is on the subject
    own = gaming.excluder.outside(norm.text) if gaming.excluder else norm.text
    gate, _ = relevance(coverage, own, core=bool(cored))
    if gate >= 1.0:
        return []
    kept = content_share(gate)
    # a thin answer on the subject is told so, not accused of writing on another one
    verdict = "疑似跑题" if gate < 0.5 else "与题目的关联偏弱"
    if gaming.excluder:
        why = f"除去被标记为堆砌或照抄的文字，剩下自己写的内容{verdict}，"
    else:
        why = f"法治政府建设方面的表述和本题的核心提法都很少（{verdict}），"
    out = []
    if form_marks > 0:
        out.append(Deduction("relevance", _r(form_marks * (1 - gate)), why + f"格式分和字数分按{gate:.0%}计。"))
    if gaming.content > 0:
        out.append(
            Deduction(
                "relevance_content",
                _r(gaming.content * (1 - kept)),
                f"{verdict}：命中的提法多是各类工作都用的公文常用语，内容分按{kept:.0%}计。",
            )
        )
    return out


def score(question: Question, text: str, *, as_model: bool = False) -> Result:
    """Score ``text`` as an answer to ``question``.

    ``as_model``: the text is one of the question's model answers (``bank
    check``): the model answers are then not used to detect copying.
    """
    text = text or ""
    rubric = question.rubric
    parts = rubric.parts
    # traditional script is scored as simplified, once per answer (same offsets)
    simple = simplified(text)
    norm = normalize(text, simple)
    compiled = compile_rubric(rubric)

    by_point = compiled.occurrences(norm.text, norm.clause_starts)
    raw = compiled.assign(norm.text, by_point)
    content_raw, coverage_raw, maxes = _content(raw, rubric.scoring, parts.content)
    gaming = _anti_gaming(question, norm, compiled, by_point, raw, as_model, content_raw, coverage_raw)
    points = _point_results(norm, raw, gaming.counted, maxes, rubric.scoring, gaming.flags)

    formats = _format_results(question, simple)
    format_earned = sum(f.earned for f in formats) if formats else parts.format
    count = char_count(text)
    lc, length_earned, length_flags, deductions = _length_part(question, count)
    deductions = gaming.deductions + _copied_length(gaming, length_earned) + deductions

    if any(p.weight > 0 for p in rubric.points):
        deductions += _off_topic(gaming, norm, format_earned + length_earned)

    errors, error_deductions = _errors(question, norm)
    deductions += error_deductions

    total = _r(content_raw) + _r(format_earned) + _r(length_earned) - sum(d.marks for d in deductions)
    total = _r(min(100.0, max(0.0, total)))
    flags = sorted(gaming.flags + length_flags, key=lambda f: FLAG_NAMES.index(f.name))
    result = Result(
        question_id=question.id,
        genre=question.genre,
        scoring=rubric.scoring,
        rubric_fingerprint=compiled.fingerprint,
        char_count=count,
        limit_min=question.limit_min,
        limit_max=question.limit_max,
        score=total,
        coverage=_r4(coverage_raw),
        counted_coverage=_r4(gaming.coverage),
        points=points,
        format=formats,
        length=LengthResult(lc.rule_text, lc.reason, lc.over, lc.under, lc.floor, lc.soft_floor),
        flags=flags,
        errors=errors,
        breakdown=Breakdown(
            content=_r(content_raw),
            content_max=_r(parts.content),
            format=_r(format_earned),
            format_max=_r(parts.format),
            length=_r(length_earned),
            length_max=_r(parts.length),
            deductions=deductions,
            total=total,
        ),
    )
    return result
