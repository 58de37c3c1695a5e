"""Measure the scoring engine on a folder of labelled texts (`bank evaluate`).

A tutor (or the project) keeps real answers and documents in a folder with a
label file beside them, ``labels.tsv`` (tab-separated, header line
``file	question	expected	areas``):

* ``question``: the question id the text answers (scored against it), or
  ``*`` for a text on another subject (scored against every question);
* ``expected``: the band a grader gives an on-topic text (``0-29``,
  ``30-59``, ``60-79``, ``80-100``) or ``off``;
* ``areas``: the 纲要 area keys a grader sees really discussed in the text,
  comma-separated, or ``-`` for none.

Figures (all plain functions of the scores, so they can be re-run on any
folder):

* **coverage AUC**: how well the rubric coverage (``Result.coverage``, the
  weighted covered share before anti-gaming) separates on-topic from
  off-topic texts. Positives: each on-topic text's coverage on its own
  question; negatives: each off-topic text's highest coverage over all
  questions. The AUC is the Mann–Whitney probability that a random positive
  outranks a random negative, ties counting half. **score AUC** likewise
  with the final score.
* **zero coverage**: on-topic texts whose coverage is 0 on every question.
* **bands**: an on-topic text's score on its question falls in one of the
  four bands; agreement is exact or within one band. An off-topic text's
  row in the table uses its highest score.
* **areas**: every text is also scored against the whole 纲要 library (all
  library points as one rubric, one weight each). An area counts as found
  when at least one of its points reaches half credit under the tiered rule
  (coverage ≥ 40 %, ``coverage.HALF_AT``; the core-group rule applies).
  Precision and recall are micro-averaged over all texts: Σ|found ∩
  labelled| / Σ|found| and Σ|found ∩ labelled| / Σ|labelled|.
* **繁體 twin**: each on-topic text converted to traditional script
  (OpenCC ``s2t``) and scored again on its question: the max and mean
  absolute score difference.
* **flags**: anti-gaming flags (堆砌, 照抄) a text raised on its question (an
  off-topic text: on any question).
* **per-point hit rates**: for each question, the share of its on-topic
  texts that earn something (credit > 0) on each point, and full credit.

Plain Python: no Flask, no database.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .scoring import score
from .scoring.coverage import credit, point_coverage
from .scoring.spec import Question, Rubric

BANDS = ("0-29", "30-59", "60-79", "80-100")
OFF = "off"
ANY_QUESTION = "*"
NO_AREAS = "-"
HEADER = ("file", "question", "expected", "areas")
GAMING_FLAGS = ("keyword_stuffing", "copied_material")
GAMING_FLAGS_SET = frozenset(GAMING_FLAGS)


class LabelError(ValueError):
    """The label file is malformed; the message names the line."""


@dataclass(frozen=True)
class LabelledText:
    file: str
    question: str  # a question id, or ANY_QUESTION
    expected: str  # a band, or OFF
    areas: frozenset[str]
    text: str

    @property
    def on_topic(self) -> bool:
        return self.question != ANY_QUESTION


def band_of(value: float) -> str:
    if value < 30:
        return BANDS[0]
    if value < 60:
        return BANDS[1]
    if value < 80:
        return BANDS[2]
    return BANDS[3]


def read_labels(
    folder: Path, questions: Iterable[str] | None = None, areas: Iterable[str] | None = None
) -> list[LabelledText]:
    """The labelled texts of ``folder`` (see the module docstring), checked."""
    folder = Path(folder)
    path = folder / "labels.tsv"
    if not path.is_file():
        raise LabelError(f"{path}: 没有标注文件 labels.tsv")
    known_q = set(questions) if questions is not None else None
    known_a = set(areas) if areas is not None else None
    out: list[LabelledText] = []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    if not rows or tuple(c.strip() for c in rows[0][:4]) != HEADER:
        raise LabelError(f"{path}:1: 第一行应为表头 file\\tquestion\\texpected\\tareas")
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) < 4:
            raise LabelError(f"{path}:{n}: 应有 4 列（file、question、expected、areas）")
        name, qid, expected, area_list = (c.strip() for c in row[:4])
        text_path = folder / name
        if not text_path.is_file():
            raise LabelError(f"{path}:{n}: 找不到文件 {name}")
        if qid != ANY_QUESTION and known_q is not None and qid not in known_q:
            raise LabelError(f"{path}:{n}: 未知的题目 {qid}")
        if qid == ANY_QUESTION and expected != OFF:
            raise LabelError(f"{path}:{n}: 题目为 * 的文本 expected 应为 off")
        if qid != ANY_QUESTION and expected not in BANDS:
            raise LabelError(f"{path}:{n}: expected 应为 {'、'.join(BANDS)} 之一")
        keys = frozenset() if area_list in ("", NO_AREAS) else frozenset(
            a.strip() for a in area_list.split(",") if a.strip()
        )
        if known_a is not None and keys - known_a:
            raise LabelError(f"{path}:{n}: 未知的纲要领域 {'、'.join(sorted(keys - known_a))}")
        out.append(LabelledText(name, qid, expected, keys, text_path.read_text(encoding="utf-8")))
    if not out:
        raise LabelError(f"{path}: 没有标注的文本")
    return out


def auc(positives: list[float], negatives: list[float]) -> float | None:
    """P(random positive > random negative), ties half; None without both kinds."""
    if not positives or not negatives:
        return None
    wins = 0.0
    for p in positives:
        for n in negatives:
            wins += 1.0 if p > n else 0.5 if p == n else 0.0
    return wins / (len(positives) * len(negatives))


def library_areas(library: Rubric, text: str) -> set[str]:
    """The 纲要 areas found in ``text``: a library point of the area reaches half credit."""
    found = set()
    for cov in point_coverage(library, text):
        if cov.point.area and credit(cov.coverage, "tiered") >= 0.5:
            found.add(cov.point.area)
    return found


@dataclass
class TextFigures:
    file: str
    question: str
    expected: str
    coverage: float  # on its question; an off-topic text: the highest over all questions
    score: float  # likewise
    best_question: str  # where the off-topic text scored highest (its own question if on-topic)
    band: str
    zero_everywhere: bool  # coverage 0 on every question
    areas_expected: list[str]
    areas_found: list[str]
    flags: list[str]  # gaming flags: own question, or any question for off-topic texts
    traditional_score: float | None = None  # on-topic only


@dataclass
class Evaluation:
    texts: list[TextFigures]
    n_on: int
    n_off: int
    zero_coverage: list[str]
    coverage_auc: float | None
    score_auc: float | None
    band_exact: float | None
    band_within_one: float | None
    band_table: dict[str, dict[str, int]]  # expected -> actual band -> count
    area_precision: float | None
    area_recall: float | None
    area_counts: dict[str, int]  # found, labelled, agreed
    traditional_max_diff: float | None
    traditional_mean_diff: float | None
    flagged: dict[str, list[str]]
    point_hits: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def evaluate(
    texts: list[LabelledText],
    questions: Mapping[str, Question],
    library: Rubric,
    to_traditional: Callable[[str], str] | None = None,
) -> Evaluation:
    """Score every text and compute the figures described in the module docstring."""
    figures: list[TextFigures] = []
    hits: dict[str, dict[str, list[float]]] = {}
    for item in texts:
        results = {qid: score(q, item.text) for qid, q in questions.items()}
        zero = all(r.coverage == 0 for r in results.values())
        if item.on_topic:
            own = results[item.question]
            best_q, cov, sc = item.question, own.coverage, own.score
            flags = sorted(GAMING_FLAGS_SET & own.flag_names)
            per = hits.setdefault(item.question, {})
            for p in own.points:
                per.setdefault(p.key, []).append(p.credit)
        else:
            best_q = max(results, key=lambda q: (results[q].score, results[q].coverage))
            cov = max(r.coverage for r in results.values())
            sc = results[best_q].score
            flags = sorted({f for r in results.values() for f in GAMING_FLAGS_SET & r.flag_names})
        twin = None
        if item.on_topic and to_traditional is not None:
            twin = score(questions[item.question], to_traditional(item.text)).score
        figures.append(
            TextFigures(
                file=item.file,
                question=item.question,
                expected=item.expected,
                coverage=round(cov, 4),
                score=round(sc, 2),
                best_question=best_q,
                band=band_of(sc),
                zero_everywhere=zero,
                areas_expected=sorted(item.areas),
                areas_found=sorted(library_areas(library, item.text)),
                flags=flags,
                traditional_score=twin,
            )
        )
    return _summarise(figures, hits)



def _summarise(figures: list[TextFigures], hits: dict[str, dict[str, list[float]]]) -> Evaluation:
    on = [f for f in figures if f.question != ANY_QUESTION]
    off = [f for f in figures if f.question == ANY_QUESTION]
    table: dict[str, dict[str, int]] = {}
    for f in figures:
        row = table.setdefault(f.expected, dict.fromkeys(BANDS, 0))
        row[f.band] += 1
    exact = sum(f.band == f.expected for f in on)
    near = sum(abs(BANDS.index(f.band) - BANDS.index(f.expected)) <= 1 for f in on)
    found = sum(len(f.areas_found) for f in figures)
    labelled = sum(len(f.areas_expected) for f in figures)
    agreed = sum(len(set(f.areas_found) & set(f.areas_expected)) for f in figures)
    diffs = [abs(f.traditional_score - f.score) for f in on if f.traditional_score is not None]
    point_hits = {
        qid: {
            key: {
                "hit": round(sum(c > 0 for c in credits) / len(credits), 3),
                "full": round(sum(c >= 1 for c in credits) / len(credits), 3),
            }
            for key, credits in per.items()
        }
        for qid, per in sorted(hits.items())
    }
    return Evaluation(
        texts=figures,
        n_on=len(on),
        n_off=len(off),
        zero_coverage=[f.file for f in on if f.zero_everywhere],
        coverage_auc=auc([f.coverage for f in on], [f.coverage for f in off]),
        score_auc=auc([f.score for f in on], [f.score for f in off]),
        band_exact=_ratio(exact, len(on)),
        band_within_one=_ratio(near, len(on)),
        band_table={k: table[k] for k in (*BANDS, OFF) if k in table},
        area_precision=_ratio(agreed, found),
        area_recall=_ratio(agreed, labelled),
        area_counts={"found": found, "labelled": labelled, "agreed": agreed},
        traditional_max_diff=round(max(diffs), 2) if diffs else None,
        traditional_mean_diff=round(sum(diffs) / len(diffs), 2) if diffs else None,
        flagged={f.file: f.flags for f in figures if f.flags},
        point_hits=point_hits,
    )


def _fmt(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def render(ev: Evaluation) -> str:
    """The evaluation as plain text for a terminal."""
    lines = [
        f"文本：切题 {ev.n_on} 篇，跑题 {ev.n_off} 篇",
        f"各题覆盖率均为 0 的切题文本：{len(ev.zero_coverage)} 篇"
        + (f"（{'、'.join(ev.zero_coverage)}）" if ev.zero_coverage else ""),
        f"覆盖率 AUC：{_fmt(ev.coverage_auc)}    得分 AUC：{_fmt(ev.score_auc)}",
        f"分数段一致：{_fmt(ev.band_exact)}（相差不超过一段：{_fmt(ev.band_within_one)}）",
        "分数段（行：预期，列：实际）",
        "  " + "预期\\实际".ljust(10) + "".join(b.rjust(8) for b in BANDS),
    ]
    for expected, row in ev.band_table.items():
        lines.append("  " + expected.ljust(12) + "".join(str(row[b]).rjust(8) for b in BANDS))
    c = ev.area_counts
    lines += [
        f"纲要领域：精确率 {_fmt(ev.area_precision)}（{c['agreed']}/{c['found']}），"
        f"召回率 {_fmt(ev.area_recall)}（{c['agreed']}/{c['labelled']}）"
        f"，以全部纲要要点为评分要点，某领域有要点得到一半以上分即算找到",
        f"繁體对照：最大分差 {_fmt(ev.traditional_max_diff, 2)}，平均分差 {_fmt(ev.traditional_mean_diff, 2)}",
        "标记（堆砌/照抄）：" + ("无" if not ev.flagged else ""),
    ]
    for name, flags in ev.flagged.items():
        lines.append(f"  {name}：{'、'.join(flags)}")
    lines.append("逐篇：")
    for f in ev.texts:
        twin = "" if f.traditional_score is None else f" 繁體 {f.traditional_score:.1f}"
        lines.append(
            f"  {f.file}  {f.question}→{f.best_question}  预期 {f.expected}  得分 {f.score:.1f}"
            f"  覆盖 {f.coverage:.2f}{twin}  领域 {','.join(f.areas_found) or '-'}"
            f"（标注 {','.join(f.areas_expected) or '-'}）"
        )
    lines.append("各题要点命中率（有得分 / 满分）：")
    for qid, per in ev.point_hits.items():
        lines.append(f"  {qid}")
        for key, rates in per.items():
            lines.append(f"    {key:<28} {rates['hit']:.2f} / {rates['full']:.2f}")
    return "\n".join(lines)
