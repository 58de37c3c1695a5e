"""Trying a rubric on texts (试评) and testing it against tutor-marked samples.

Plain Python over the scoring engine: no Flask, no database. The rubric
editor, `bank check` and the tests all call these functions, so a rubric is
judged the same way everywhere.

* ``trial(question, texts)`` scores each text (model answers, pasted text)
  with the rubric and lists, per point, per term group and per alternative,
  what it hit and where.
* ``run_test_set(question, samples)`` compares the rubric's per-point
  verdict on each sample with the tutor's expected mark (covered / partly /
  missed) and reports agreements, false hits (the rubric gives more than the
  tutor) and misses (less), per point and per term.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .scoring import score, spec
from .scoring.coverage import compile_rubric, credit
from .scoring.normalize import Normalized, normalize
from .scoring.result import PointResult, Result

MARKS = ("covered", "partly", "missed")
MARK_LABELS = {"covered": "覆盖", "partly": "部分", "missed": "未覆盖"}
RANK = {"missed": 0, "partly": 1, "covered": 2}
# Share of (sample, point) marks allowed to disagree before `bank check` fails.
DEFAULT_TOLERANCE = 0.1
CONTEXT = 10  # characters of context either side of a hit in excerpts


def status_of(point: PointResult | dict) -> str:
    """covered / partly / missed as the engine grades it (tiers on counted coverage).

    Text flagged as 堆砌 or 照抄 covers nothing, exactly as on the result page.
    """
    cov = point["counted_coverage"] if isinstance(point, dict) else point.counted_coverage
    share = credit(float(cov), "tiered")
    return "covered" if share >= 1.0 else "partly" if share > 0 else "missed"


@dataclass(frozen=True)
class Excerpt:
    before: str
    hit: str
    after: str


@dataclass
class TermTrial:
    term: str
    count: int
    excerpt: Excerpt | None


@dataclass
class GroupTrial:
    index: int
    found: bool
    terms: list[TermTrial]
    discounted: bool = False  # written, but in text flagged as 照抄 / 堆砌


@dataclass
class PointTrial:
    key: str
    label: str
    status: str
    coverage: float
    earned: float
    max: float
    groups: list[GroupTrial]
    discount: str = ""  # "照抄" / "堆砌" when marks went to flagged text

    @property
    def status_label(self) -> str:
        return f"按{self.discount}扣除" if self.discount else MARK_LABELS[self.status]

    @property
    def status_class(self) -> str:
        return "discounted" if self.discount else self.status


@dataclass
class FormatTrial:
    label: str
    ok: bool
    expect: str


@dataclass
class TextTrial:
    label: str
    char_count: int
    score: float
    limit_max: int | None
    points: list[PointTrial]
    format: list[FormatTrial]
    flags: list[str]

    @property
    def over_limit(self) -> bool:
        return self.limit_max is not None and self.char_count > self.limit_max

    @property
    def missed_points(self) -> list[PointTrial]:
        return [p for p in self.points if p.status != "covered"]

    @property
    def failed_format(self) -> list[FormatTrial]:
        return [f for f in self.format if not f.ok]

    def warnings(self) -> list[str]:
        """What a tutor should fix in a model answer before publishing."""
        out = []
        if self.over_limit:
            out.append(f"{self.char_count} 字，超过字数上限 {self.limit_max} 字")
        if self.missed_points:
            names = "、".join(f"“{p.label}”（{p.status_label}）" for p in self.missed_points)
            out.append(f"未完全覆盖要点：{names}")
        if self.failed_format:
            out.append("缺少格式要素：" + "、".join(f.label for f in self.failed_format))
        return out


def _occurrences(rubric: spec.Rubric, norm: Normalized):
    compiled = compile_rubric(rubric)
    return compiled.occurrences(norm.text, norm.clause_starts)


def _excerpt(norm: Normalized, start: int, end: int) -> Excerpt:
    a, b = norm.span(start, end)
    text = norm.original
    return Excerpt(text[max(0, a - CONTEXT) : a], text[a:b], text[b : b + CONTEXT])


def _point_trials(question: spec.Question, result: Result, norm: Normalized) -> list[PointTrial]:
    by_point = _occurrences(question.rubric, norm)
    out = []
    for point, pres, groups in zip(question.rubric.points, result.points, by_point, strict=True):
        found_groups = {h.group for h in pres.hits if h.counted}
        written = {h.group for h in pres.hits}
        gtrials = []
        for g_idx, alternatives in enumerate(point.groups):
            occs = groups.get(g_idx, [])
            terms = []
            for alt in alternatives:
                mine = [o for o in occs if o.term == alt]
                first = mine[0] if mine else None
                terms.append(
                    TermTrial(alt, len(mine), _excerpt(norm, first.start, first.end) if first else None)
                )
            gtrials.append(
                GroupTrial(g_idx, g_idx in found_groups, terms, g_idx in written - found_groups)
            )
        out.append(
            PointTrial(
                key=pres.key,
                label=pres.label,
                status=status_of(pres),
                coverage=pres.counted_coverage,
                earned=pres.earned,
                max=pres.max,
                groups=gtrials,
                discount=pres.discount if status_of(pres) != _raw_status(pres) else "",
            )
        )
    return out


def _raw_status(point: PointResult) -> str:
    share = credit(point.coverage, "tiered")
    return "covered" if share >= 1.0 else "partly" if share > 0 else "missed"


def trial_one(question: spec.Question, label: str, text: str, *, as_model: bool = False) -> TextTrial:
    """Score one text and list what every term of every point hit."""
    result = score(question, text, as_model=as_model)
    norm = normalize(text)
    return TextTrial(
        label=label,
        char_count=result.char_count,
        score=result.score,
        limit_max=question.limit_max,
        points=_point_trials(question, result, norm),
        format=[FormatTrial(f.label, f.ok, f.expect) for f in result.format],
        flags=[f.reason for f in result.flags if f.name in ("keyword_stuffing", "copied_material")],
    )


def trial(
    question: spec.Question, models: list[tuple[str, str]], pasted: str = ""
) -> list[TextTrial]:
    """试评: the model answers (as models: not checked for copying themselves) and a pasted text."""
    out = [trial_one(question, label, body, as_model=True) for label, body in models]
    if pasted.strip():
        out.append(trial_one(question, "粘贴的文字", pasted))
    return out


# -- test sets -------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    title: str
    body: str
    expected: dict[str, str]
    line: int = 0  # where it is written in its file, for `bank check`


@dataclass
class PointCheck:
    key: str
    label: str
    expected: str
    actual: str
    hit_terms: list[TermTrial]  # alternatives of this point found in the sample
    missing: list[list[str]]  # groups not found (their alternatives)
    # groups written but in text flagged as 照抄 / 堆砌 (never reported as 未找到)
    discounted: list[list[str]] = field(default_factory=list)
    discount: str = ""

    @property
    def kind(self) -> str:
        diff = RANK[self.actual] - RANK[self.expected]
        return "agree" if diff == 0 else "false_hit" if diff > 0 else "miss"

    @property
    def agrees(self) -> bool:
        return self.kind == "agree"


@dataclass
class SampleCheck:
    title: str
    line: int
    score: float
    checks: list[PointCheck]
    flags: list[str] = field(default_factory=list)  # 堆砌 / 照抄: its terms earn nothing

    @property
    def agreed(self) -> int:
        return sum(c.agrees for c in self.checks)

    @property
    def disagreements(self) -> list[PointCheck]:
        return [c for c in self.checks if not c.agrees]


@dataclass
class PointStat:
    key: str
    label: str
    agree: int = 0
    false_hits: list[str] = field(default_factory=list)  # sample titles
    misses: list[str] = field(default_factory=list)

    @property
    def compared(self) -> int:
        return self.agree + len(self.false_hits) + len(self.misses)


@dataclass
class TermStat:
    point_key: str
    point_label: str
    group: int
    term: str
    # samples whose tutor mark says the point's content is there (covered/partly)
    true_hits: list[str] = field(default_factory=list)
    # samples the tutor marked "missed" for the point although the term occurs
    false_hits: list[str] = field(default_factory=list)


@dataclass
class RubricTestReport:
    samples: list[SampleCheck]
    points: list[PointStat]
    terms: list[TermStat]
    unknown_keys: list[str]  # expected marks for points the rubric does not have

    @property
    def compared(self) -> int:
        return sum(len(s.checks) for s in self.samples)

    @property
    def disagreements(self) -> int:
        return sum(len(s.disagreements) for s in self.samples)

    @property
    def share(self) -> float:
        """Share of compared marks that disagree, 0–1."""
        return self.disagreements / self.compared if self.compared else 0.0

    def passes(self, tolerance: float = DEFAULT_TOLERANCE) -> bool:
        return self.share <= tolerance + 1e-9

    @property
    def suspect_terms(self) -> list[TermStat]:
        return [t for t in self.terms if t.false_hits]


def run_test_set(question: spec.Question, samples: list[Sample]) -> RubricTestReport:
    """Score every sample and compare the rubric's verdict with the tutor's, point by point."""
    points = question.rubric.points
    labels = {p.key: p.label for p in points}
    stats = {p.key: PointStat(p.key, p.label) for p in points}
    terms: dict[tuple[str, int, str], TermStat] = {
        (p.key, g, alt): TermStat(p.key, p.label, g, alt)
        for p in points
        for g, group in enumerate(p.groups)
        for alt in group
    }
    unknown: set[str] = set()
    checks_out = []
    for sample in samples:
        trial_result = trial_one(question, sample.title, sample.body)
        by_key = {p.key: p for p in trial_result.points}
        checks = []
        for key, expected in sample.expected.items():
            pt = by_key.get(key)
            if pt is None or expected not in RANK:
                unknown.add(key)
                continue
            hit_terms = [t for g in pt.groups for t in g.terms if t.count]
            missing = [[t.term for t in g.terms] for g in pt.groups if not g.found and not g.discounted]
            discounted = [[t.term for t in g.terms if t.count] for g in pt.groups if g.discounted]
            check = PointCheck(
                key, labels[key], expected, pt.status, hit_terms, missing, discounted, pt.discount
            )
            checks.append(check)
            stat = stats[key]
            if check.kind == "agree":
                stat.agree += 1
            elif check.kind == "false_hit":
                stat.false_hits.append(sample.title)
            else:
                stat.misses.append(sample.title)
            for g in pt.groups:
                for t in g.terms:
                    if not t.count:
                        continue
                    ts = terms[(key, g.index, t.term)]
                    (ts.false_hits if expected == "missed" else ts.true_hits).append(sample.title)
        checks_out.append(SampleCheck(sample.title, sample.line, trial_result.score, checks, trial_result.flags))
    return RubricTestReport(checks_out, list(stats.values()), list(terms.values()), sorted(unknown))


def describe(check: PointCheck) -> str:
    """One line for a disagreement, as `bank check` and the editor say it."""
    base = (
        f"要点 {check.key}（{check.label}）：教师判为“{MARK_LABELS[check.expected]}”，"
        f"评分要点判为“{MARK_LABELS[check.actual]}”"
    )
    if check.kind == "false_hit":
        words = "、".join(f"“{t.term}”" for t in check.hit_terms)
        return base + (f"——误判命中，命中的词：{words}" if words else "——误判命中")
    out = base + "——漏判"
    if check.discounted:
        written = "、".join(f"“{t}”" for g in check.discounted for t in g)
        out += f"，写到的{written}按{check.discount or '堆砌或照抄'}扣除"
    groups = "；".join("／".join(g) for g in check.missing)
    return out + (f"，未找到的词组：{groups}" if groups else "")


def check_bank_test_sets(bank, tolerance: float = DEFAULT_TOLERANCE):
    """`bank check`: run every question's test set; a problem per disagreement when
    a question's share of disagreeing marks is beyond ``tolerance``.

    Returns (problems, reports by question id).
    """
    from .bank.reader import Problem, to_spec

    problems: list[Problem] = []
    reports: dict[str, RubricTestReport] = {}
    for qid, q in bank.files.items():
        if not q.samples:
            continue
        samples = [Sample(s.title, s.body, s.expected, s.line) for s in q.samples]
        report = run_test_set(to_spec(q, bank.common_errors), samples)
        reports[qid] = report
        if report.passes(tolerance):
            continue
        path = q.samples_path or qid
        for sample in report.samples:
            flagged = f"（样例被判为堆砌或照抄，其中的词不计分：{sample.flags[0]}）" if sample.flags else ""
            for check in sample.disagreements:
                problems.append(Problem(path, sample.line, f"样例“{sample.title}”{describe(check)}{flagged}"))
        problems.append(
            Problem(
                path,
                1,
                f"题目 {qid} 的评分要点与教师标注不一致 {report.disagreements}/{report.compared} 处"
                f"（{report.share:.0%}），超过容差 {tolerance:.0%}",
            )
        )
    return problems, reports
