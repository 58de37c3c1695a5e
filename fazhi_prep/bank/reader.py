"""Read and validate the question bank files.

Everything is checked before anything is returned, and each problem carries
its file and line, so `bank check` can list them all and `bank load` can
refuse to write anything from a bank with a single bad file.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fazhi_prep.scoring import spec
from fazhi_prep.scoring.generic import generic_only
from fazhi_prep.scoring.limits import parse_limit

from ..text import markdown_issue
from .yamlines import LineDict, LineList, YamlSyntaxError, load_yaml

QUESTION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,40}$")
KEY = re.compile(r"^[a-z0-9][a-z0-9._-]{0,60}$")
WHERE = ("title", "head", "tail", "body")
SCORING = ("tiered", "proportional")
PRIMARY_COVERAGE_FLOOR = 0.85
# A tutor's expected mark for a rubric point in a sample answer (rubric test set).
MARKS = ("covered", "partly", "missed")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class BankError(Exception):
    """Raised with every problem found; nothing may be loaded from such a bank."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass
class LibraryPoint:
    key: str
    area: str
    label: str
    source: str
    need: int | None
    terms: list[list[str]]


@dataclass
class LibraryArea:
    key: str
    label: str
    source: str
    points: list[LibraryPoint]


@dataclass
class Genre:
    key: str
    label: str
    elements: dict[str, spec.FormatRule]


@dataclass
class ErrorList:
    deduction: float
    errors: list[spec.CommonError]


@dataclass
class ModelAnswerFile:
    path: str
    question: str
    variant: str
    title: str
    author: str
    note: str
    primary: bool
    body: str


@dataclass
class SampleFile:
    """A tutor-marked sample answer from ``samples/<id>.yaml`` (the rubric's test set)."""

    path: str
    line: int
    title: str
    body: str
    expected: dict[str, str]  # {point_key: covered | partly | missed}


@dataclass
class QuestionFile:
    """A question as written in its file, plus the resolved scoring spec."""

    path: str
    id: str
    title: str
    genre: str
    prompt: str
    limit: str | None  # the explicit override as written, None when parsed from the prompt
    limit_min: int | None
    limit_max: int | None
    minutes: int
    areas: list[str]
    rubric_spec: dict[str, Any]  # as written: refs kept, for export
    materials: str
    rubric: spec.Rubric | None = None
    model_answers: list[ModelAnswerFile] = field(default_factory=list)
    published: bool = True  # `published: false` keeps a question from candidates
    samples: list[SampleFile] = field(default_factory=list)
    samples_path: str | None = None


@dataclass
class Bank:
    areas: list[LibraryArea]
    genres: dict[str, Genre]
    common_errors: ErrorList
    files: dict[str, QuestionFile]
    papers: dict[str, Any] = field(default_factory=dict)  # 模拟考试 papers (paper_files.PaperFile)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def library(self) -> dict[str, LibraryPoint]:
        return {p.key: p for a in self.areas for p in a.points}

    @property
    def questions(self) -> dict[str, spec.Question]:
        return {qid: to_spec(q, self.common_errors) for qid, q in self.files.items()}

    def library_rubric(self) -> spec.Rubric:
        """Every library point as one rubric, one weight each (what areas a text covers)."""
        points = []
        for p in self.library.values():
            plain, core, whole = spec.split_marks(p.terms)
            points.append(
                spec.Point(p.key, p.label, 1.0, p.source, plain, p.need, p.area, core, whole)
            )
        return spec.Rubric(tuple(points))


def default_minutes(limit_max: int | None) -> int:
    """About a minute per 20 字 (1000字 → 50, 300字 → 15), never under 10."""
    return max(10, math.ceil((limit_max or 600) / 20))


def split_terms(line: str) -> list[str]:
    """A group's alternatives; a core group's mark kept in one spelling (``★term``)."""
    alternatives = [alt.strip() for alt in str(line).split("|") if alt.strip()]
    if alternatives and alternatives[0][:1] in spec.GROUP_MARKS:
        # a bare mark is reported as an empty group
        alternatives[0] = alternatives[0][0] + spec.unmarked(alternatives[0])
    return alternatives


def to_spec(q: QuestionFile, errors: ErrorList) -> spec.Question:
    assert q.rubric is not None
    primary_first = sorted(q.model_answers, key=lambda a: (not a.primary, a.variant))
    return spec.Question(
        id=q.id,
        genre=q.genre,
        limit_min=q.limit_min,
        limit_max=q.limit_max,
        rubric=q.rubric,
        prompt=q.prompt,
        materials=q.materials,
        model_answers=tuple(a.body for a in primary_first),
        common_errors=tuple(errors.errors),
        error_deduction=errors.deduction,
    )


class _Reader:
    def __init__(self, root: Path, answers_root: Path):
        self.root = root
        self.answers_root = answers_root
        self.problems: list[Problem] = []
        # advice that does not stop a load (generic-only groups, a library point without ★)
        self.warnings: list[Problem] = []
        # 纲要 area keys a question's own point may name (`area:`); None: not checked
        self.known_areas: set[str] | None = None

    # -- reporting -----------------------------------------------------
    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def problem(self, path: Path | str, line: int, message: str) -> None:
        where = path if isinstance(path, str) else self.rel(path)
        self.problems.append(Problem(where, line, message))

    def warn(self, path: Path | str, line: int, message: str) -> None:
        where = path if isinstance(path, str) else self.rel(path)
        self.warnings.append(Problem(where, line, message))

    def require(self, data: LineDict, key: str, path: Path, kind: type = str) -> Any:
        value = data.get(key)
        if value is None or (kind is str and not str(value).strip()):
            self.problem(path, data.line, f"缺少字段 {key}")
            return None
        if kind is str:
            return str(value).strip()
        if not isinstance(value, kind):
            self.problem(path, data.line_of(key), f"字段 {key} 的格式不对")
            return None
        return value

    # -- files ---------------------------------------------------------
    def read_yaml(self, path: Path) -> Any:
        if not path.exists():
            self.problem(path, 1, "文件不存在")
            return None
        try:
            return load_yaml(path.read_text(encoding="utf-8"))
        except YamlSyntaxError as exc:
            self.problem(path, exc.line, str(exc))
        except UnicodeDecodeError:
            self.problem(path, 1, "文件不是 UTF-8 编码")
        return None

    def read_front_matter(self, path: Path) -> tuple[LineDict | None, str, int]:
        """Split `---` front matter from the body; returns (data, body, body's first line)."""
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.problem(path, 1, "文件不是 UTF-8 编码")
            return None, "", 1
        lines = text.splitlines()
        if not lines or lines[0].strip() != "---":
            self.problem(path, 1, "文件应以 --- 开头的 YAML 头信息开始")
            return None, "", 1
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        except StopIteration:
            self.problem(path, 1, "YAML 头信息缺少结尾的 ---")
            return None, "", 1
        try:
            data = load_yaml("\n".join(lines[1:end]), first_line=2)
        except YamlSyntaxError as exc:
            self.problem(path, exc.line, str(exc))
            return None, "", 1
        if not isinstance(data, LineDict):
            self.problem(path, 2, "YAML 头信息应是“字段: 值”的形式")
            return None, "", 1
        body = "\n".join(lines[end + 1 :]).strip("\n")
        return data, body, end + 2

    # -- library -------------------------------------------------------
    def read_terms(self, terms: Any, path: Path, owner: LineDict) -> list[list[str]]:
        if not isinstance(terms, LineList) or not terms:
            self.problem(path, owner.line_of("terms"), "terms 至少要有一个词组")
            return []
        groups = []
        for i, line in enumerate(terms):
            alternatives = split_terms(line) if isinstance(line, str) else []
            if not alternatives or alternatives[0] in spec.GROUP_MARKS:
                self.problem(path, terms.line_of(i), "词组为空：每行写一个或多个用 | 分隔的词")
                continue
            for alt in alternatives:
                try:
                    spec.parse_gapped(spec.unmarked(alt))
                except spec.TermSyntaxError as exc:
                    self.problem(path, terms.line_of(i), str(exc))
            if generic_only(alternatives):
                kind = "核心提法组" if alternatives[0][:1] == spec.CORE_MARK else "词组"
                self.warn(
                    path,
                    terms.line_of(i),
                    f"{kind}只有各类公文都用的通用词（{'、'.join(spec.unmarked(a) for a in alternatives[:4])}"
                    f"{'…' if len(alternatives) > 4 else ''}），写到它不说明答到了这个要点：请加入本要点特有的提法",
                )
            groups.append(alternatives)
        return groups

    def read_need(self, data: LineDict, n_groups: int, path: Path) -> int | None:
        need = data.get("need")
        if need is None:
            return None
        if not isinstance(need, int) or isinstance(need, bool) or not 1 <= need <= max(n_groups, 1):
            self.problem(path, data.line_of("need"), f"need 应是 1 到 {n_groups} 之间的整数")
            return None
        return need

    def read_library(self) -> list[LibraryArea]:
        path = self.root / "gangyao.yaml"
        data = self.read_yaml(path)
        if data is None:
            return []
        if not isinstance(data, LineDict) or not isinstance(data.get("areas"), LineList):
            self.problem(path, 1, "gangyao.yaml 应有 areas 列表")
            return []
        areas, seen = [], {}
        for raw in data["areas"]:
            if not isinstance(raw, LineDict):
                self.problem(path, data["areas"].line, "areas 的每一项应是一个领域")
                continue
            key = self.require(raw, "key", path)
            label = self.require(raw, "label", path)
            points = []
            for p in raw.get("points") or []:
                point = self.read_library_point(p, key, path, seen)
                if point:
                    points.append(point)
            if key and label:
                areas.append(LibraryArea(key, label, str(raw.get("source") or ""), points))
        return areas

    def read_library_point(
        self, p: Any, area: str | None, path: Path, seen: dict[str, int]
    ) -> LibraryPoint | None:
        if not isinstance(p, LineDict):
            self.problem(path, 1, "points 的每一项应是一个要点")
            return None
        key = self.require(p, "key", path)
        label = self.require(p, "label", path)
        source = self.require(p, "source", path)
        terms = self.read_terms(p.get("terms"), path, p)
        need = self.read_need(p, len(terms), path)
        if key and not KEY.match(key):
            self.problem(path, p.line_of("key"), f"要点编号 {key} 只能用小写字母、数字、. - _")
        if key in seen:
            self.problem(path, p.line_of("key"), f"要点编号 {key} 重复（第 {seen[key]} 行已有）")
            return None
        if not (key and label and source and terms and area):
            return None
        seen[key] = p.line_of("key")
        if not any(g[0][:1] == spec.CORE_MARK for g in terms):
            self.warn(path, p.line_of("key"), f"纲要要点 {key} 没有核心提法组（★）：只写到通用词也会得分")
        return LibraryPoint(key, area, label, source, need, terms)

    # -- formats and errors -------------------------------------------
    def read_formats(self) -> dict[str, Genre]:
        path = self.root / "formats.yaml"
        data = self.read_yaml(path)
        if data is None:
            return {}
        if not isinstance(data, LineDict) or not isinstance(data.get("genres"), LineDict):
            self.problem(path, 1, "formats.yaml 应有 genres")
            return {}
        genres = {}
        for gkey, raw in data["genres"].items():
            if not isinstance(raw, LineDict):
                self.problem(path, data["genres"].line_of(gkey), f"文种 {gkey} 的格式不对")
                continue
            elements = {}
            for el in raw.get("elements") or []:
                rule = self.read_format_rule(el, path)
                if rule and rule.key in elements:
                    self.problem(path, el.line_of("key"), f"格式要素 {rule.key} 在 {gkey} 中重复")
                elif rule:
                    elements[rule.key] = rule
            genres[gkey] = Genre(gkey, str(raw.get("label") or gkey), elements)
        return genres

    def read_format_rule(self, el: Any, path: Path) -> spec.FormatRule | None:
        if not isinstance(el, LineDict):
            self.problem(path, 1, "elements 的每一项应是一个格式要素")
            return None
        key = self.require(el, "key", path)
        label = self.require(el, "label", path)
        expect = self.require(el, "expect", path)
        where = str(el.get("where") or "body")
        if where not in WHERE:
            self.problem(path, el.line_of("where"), f"where 只能是 {'、'.join(WHERE)}")
        patterns = el.get("patterns")
        if not isinstance(patterns, LineList) or not patterns:
            self.problem(path, el.line_of("patterns"), "patterns 至少要有一个正则表达式")
            return None
        for i, pattern in enumerate(patterns):
            try:
                re.compile(str(pattern))
            except re.error as exc:
                self.problem(path, patterns.line_of(i), f"正则表达式有误：{exc}")
                return None
        weight = self.read_weight(el, path, default=1.0)
        if not (key and label and expect) or where not in WHERE or weight is None:
            return None
        return spec.FormatRule(
            key=key,
            label=label,
            expect=expect,
            where=where,  # type: ignore[arg-type]
            patterns=tuple(str(p) for p in patterns),
            weight=weight,
            match_all=bool(el.get("match_all", False)),
        )

    def read_weight(self, data: LineDict, path: Path, default: float | None = None) -> float | None:
        value = data.get("weight", default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            self.problem(path, data.line_of("weight"), "weight 应是大于 0 的数")
            return None
        return float(value)

    def read_common_errors(self) -> ErrorList:
        path = self.root / "common_errors.yaml"
        data = self.read_yaml(path)
        if not isinstance(data, LineDict):
            if data is not None:
                self.problem(path, 1, "common_errors.yaml 应有 deduction 和 errors")
            return ErrorList(1.0, [])
        deduction = data.get("deduction", 1)
        if isinstance(deduction, bool) or not isinstance(deduction, int | float) or deduction < 0:
            self.problem(path, data.line_of("deduction"), "deduction 应是不小于 0 的数")
            deduction = 1
        errors = []
        for raw in data.get("errors") or []:
            if not isinstance(raw, LineDict):
                self.problem(path, 1, "errors 的每一项应是一条常见错误")
                continue
            key, right = self.require(raw, "key", path), self.require(raw, "right", path)
            explain = self.require(raw, "explain", path)
            wrong = [str(w) for w in raw.get("wrong") or [] if str(w).strip()]
            if not wrong:
                self.problem(path, raw.line_of("wrong"), "wrong 至少要有一个错误写法")
            if key and right and explain and wrong:
                unless = tuple(str(u) for u in raw.get("unless") or [])
                members, window = self.read_enumeration(raw, path)
                errors.append(
                    spec.CommonError(key, tuple(wrong), right, explain, unless, members, window)
                )
        return ErrorList(float(deduction), errors)

    def read_enumeration(
        self, raw: LineDict, path: Path
    ) -> tuple[tuple[tuple[str, ...], ...], int]:
        """An error's optional ``members`` (alternatives split on |) and ``window``."""
        members = tuple(
            tuple(alts) for alts in (split_terms(m) for m in raw.get("members") or []) if alts
        )
        if members and len(members) < 2:
            self.problem(path, raw.line_of("members"), "members 至少要列出两项，才能判断列举是否完整")
        window = raw.get("window", spec.CommonError.window)
        if isinstance(window, bool) or not isinstance(window, int) or window < 0:
            self.problem(path, raw.line_of("window"), "window 应是不小于 0 的整数")
            window = spec.CommonError.window
        return members, window

    # -- questions -----------------------------------------------------
    def read_question(
        self, path: Path, known_areas: set[str], known_genres: set[str]
    ) -> QuestionFile | None:
        data, body, body_line = self.read_front_matter(path)
        if data is None:
            return None
        self.check_materials(body, body_line, path)
        qid = self.require(data, "id", path)
        if qid and not QUESTION_ID.match(qid):
            self.problem(path, data.line_of("id"), f"题目编号 {qid} 只能用小写字母、数字和 -")
        title = self.require(data, "title", path)
        genre = self.require(data, "genre", path)
        if genre and genre not in known_genres:
            self.problem(path, data.line_of("genre"), f"未知的文种 {genre}（见 formats.yaml）")
            genre = None
        prompt = self.require(data, "prompt", path)
        limits = self.read_limit(data, prompt or "", path)
        minutes = data.get("minutes")
        if minutes is not None and (not isinstance(minutes, int) or not 1 <= minutes <= 300):
            self.problem(path, data.line_of("minutes"), "minutes 应是 1 到 300 之间的整数")
            minutes = None
        areas = data.get("areas") or []
        if not isinstance(areas, list):
            self.problem(path, data.line_of("areas"), "areas 应是列表，如 [zhifa, jiandu]")
            areas = []
        for i, area in enumerate(areas):
            if area not in known_areas:
                line = areas.line_of(i) if isinstance(areas, LineList) else data.line_of("areas")
                self.problem(path, line, f"未知的纲要领域 {area}")
        published = data.get("published", True)
        if not isinstance(published, bool):
            self.problem(path, data.line_of("published"), "published 只能是 true 或 false")
            published = True
        rubric = data.get("rubric")
        if not isinstance(rubric, LineDict):
            self.problem(path, data.line_of("rubric"), "缺少 rubric（评分要点）")
            return None
        if not (qid and title and genre and prompt and limits):
            return None
        limit_text, lo, hi = limits
        return QuestionFile(
            path=self.rel(path),
            id=qid,
            title=title,
            genre=genre,
            prompt=prompt,
            limit=limit_text,
            limit_min=lo,
            limit_max=hi,
            minutes=minutes or default_minutes(hi),
            areas=[str(a) for a in areas],
            rubric_spec=rubric,
            materials=body.strip(),
            published=published,
        )

    def check_materials(self, body: str, body_line: int, path: Path) -> None:
        # The same refusal as the tutor's form: a text the renderer must not be given.
        issue = markdown_issue(body.strip())
        if issue:
            skipped = len(body) - len(body.lstrip())
            line = body_line + body[:skipped].count("\n") + issue[0] - 1
            self.problem(path, line, f"给定材料无法显示：{issue[1]}")

    def read_limit(
        self, data: LineDict, prompt: str, path: Path
    ) -> tuple[str | None, int | None, int | None] | None:
        explicit = data.get("limit")
        if explicit is None:
            lo, hi = parse_limit(prompt)
            if hi is None:
                self.problem(path, data.line_of("prompt"), "题干中找不到字数要求（如“1000字”），请写 limit")
                return None
            return None, lo, hi
        text = str(explicit).strip()
        lo, hi = parse_limit(text if text.endswith("字") else text + "字")
        if hi is None or (lo is not None and lo > hi) or hi <= 0:
            self.problem(path, data.line_of("limit"), f"字数要求 {text} 不对：写成 300 或 1000-1200")
            return None
        return text, lo, hi

    def resolve_rubric(self, q: QuestionFile, bank: Bank, path: Path) -> spec.Rubric | None:
        raw: LineDict = q.rubric_spec  # type: ignore[assignment]
        scoring = str(raw.get("scoring") or "tiered")
        if scoring not in SCORING:
            self.problem(path, raw.line_of("scoring"), "scoring 只能是 tiered 或 proportional")
        parts = self.read_parts(raw, path)
        points = self.resolve_points(raw, bank.library, path)
        rules = self.resolve_format(raw, bank.genres.get(q.genre), q.genre, path)
        if parts is None or points is None or rules is None or scoring not in SCORING:
            return None
        return spec.Rubric(tuple(points), tuple(rules), scoring, parts)  # type: ignore[arg-type]

    def read_parts(self, raw: LineDict, path: Path) -> spec.Parts | None:
        parts = raw.get("parts")
        if parts is None:
            return spec.Parts()
        line = raw.line_of("parts")
        if not isinstance(parts, dict) or set(parts) - {"content", "format", "length"}:
            self.problem(path, line, "parts 应写成 {content: 70, format: 20, length: 10}")
            return None
        values = {k: parts.get(k, 0) for k in ("content", "format", "length")}
        if any(isinstance(v, bool) or not isinstance(v, int | float) or v < 0 for v in values.values()):
            self.problem(path, line, "parts 的各项应是不小于 0 的数")
            return None
        if abs(sum(values.values()) - 100) > 1e-6:
            self.problem(path, line, f"parts 之和应为 100，现为 {sum(values.values()):g}")
            return None
        return spec.Parts(*(float(values[k]) for k in ("content", "format", "length")))

    def resolve_points(
        self, raw: LineDict, library: dict[str, LibraryPoint], path: Path
    ) -> list[spec.Point] | None:
        items = raw.get("points")
        if not isinstance(items, LineList) or not items:
            self.problem(path, raw.line_of("points"), "rubric 至少要有一个要点（points）")
            return None
        points, seen, ok = [], set(), True
        for i, item in enumerate(items):
            point = self.resolve_point(item, library, path, items.line_of(i))
            if point is None:
                ok = False
            elif point.key in seen:
                self.problem(path, items.line_of(i), f"要点 {point.key} 在本题中重复")
                ok = False
            else:
                seen.add(point.key)
                points.append(point)
        return points if ok else None

    def resolve_point(
        self, item: Any, library: dict[str, LibraryPoint], path: Path, line: int
    ) -> spec.Point | None:
        if not isinstance(item, LineDict):
            self.problem(path, line, "要点应写成 ref: … 或 key/label/weight/source/terms")
            return None
        weight = self.read_weight(item, path, default=1.0)
        if "ref" in item:
            ref = str(item["ref"])
            base = library.get(ref)
            if base is None:
                self.problem(path, item.line_of("ref"), f"未知的纲要要点 {ref}")
                return None
            need = self.read_need(item, len(base.terms), path) if "need" in item else base.need
            label = str(item.get("label") or base.label)
            groups = base.terms
            key, source, area = base.key, base.source, base.area
        else:
            key = self.require(item, "key", path)
            label = self.require(item, "label", path)
            source = self.require(item, "source", path)
            groups = self.read_terms(item.get("terms"), path, item)
            need = self.read_need(item, len(groups), path)
            # A question's own point may still belong to a 纲要 area (e.g. a library
            # point copied and re-worded), so progress per area keeps counting it.
            area = str(item["area"]) if item.get("area") else None
            if area and self.known_areas is not None and area not in self.known_areas:
                self.problem(path, item.line_of("area"), f"未知的纲要领域 {area}")
                return None
            if not (key and label and source and groups):
                return None
        if weight is None:
            return None
        plain, core, whole = spec.split_marks(groups)
        return spec.Point(
            key=key,
            label=label,
            weight=weight,
            source=source,
            groups=plain,
            need=need,
            area=area,
            core=core,
            whole=whole,
        )

    def resolve_format(
        self, raw: LineDict, genre: Genre | None, genre_key: str, path: Path
    ) -> list[spec.FormatRule] | None:
        if genre is None:  # reported by read_question
            return None
        items = raw.get("format") or []
        if not isinstance(items, list):
            self.problem(path, raw.line_of("format"), "format 应是格式要素列表")
            return None
        rules, ok = [], True
        for i, item in enumerate(items):
            line = items.line_of(i) if isinstance(items, LineList) else raw.line_of("format")
            key, weight = (item.get("key"), item.get("weight", 1)) if isinstance(item, dict) else (item, 1)
            rule = genre.elements.get(str(key))
            if rule is None:
                self.problem(path, line, f"文种 {genre.label} 没有格式要素 {key}")
                ok = False
                continue
            if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
                self.problem(path, line, "格式要素的 weight 应是大于 0 的数")
                ok = False
                continue
            rules.append(_with_weight(rule, float(weight)))
        return rules if ok else None

    # -- model answers -------------------------------------------------
    def read_model_answer(self, path: Path) -> ModelAnswerFile | None:
        data, body, body_line = self.read_front_matter(path)
        if data is None:
            return None
        question = self.require(data, "question", path)
        if not body.strip():
            self.problem(path, body_line, "范文正文为空")
            return None
        if not question:
            return None
        stem = path.stem
        if not (stem == question or stem.startswith(question + "-")):
            self.problem(path, data.line_of("question"), f"文件名应为 {question}.md 或 {question}-<版本>.md")
            return None
        variant = stem[len(question) + 1 :] or "main"
        return ModelAnswerFile(
            path=self.rel(path),
            question=question,
            variant=variant,
            title=str(data.get("title") or "范文"),
            author=str(data.get("author") or ""),
            note=str(data.get("note") or ""),
            primary=bool(data.get("primary", False)),
            body=body.strip(),
        )


def _with_weight(rule: spec.FormatRule, weight: float) -> spec.FormatRule:
    from dataclasses import replace

    return replace(rule, weight=weight)


def read_bank(root: Path, answers_root: Path | None = None) -> Bank:
    """Read every bank file under ``root``; raise BankError listing all problems."""
    root = Path(root)
    answers_root = Path(answers_root) if answers_root else root.parent / "model_answers"
    reader = _Reader(root, answers_root)
    bank = Bank(reader.read_library(), reader.read_formats(), reader.read_common_errors(), {})
    reader.known_areas = {a.key for a in bank.areas}
    _read_questions(reader, bank)
    _read_model_answers(reader, bank)
    _check_model_answers(reader, bank)
    _read_samples(reader, bank)
    _read_papers(reader, bank)
    if reader.problems:
        raise BankError(reader.problems)
    bank.warnings = reader.warnings
    return bank


def _read_papers(reader: _Reader, bank: Bank) -> None:
    from .paper_files import read_papers

    read_papers(reader, bank)


def _read_questions(reader: _Reader, bank: Bank) -> None:
    known_areas = {a.key for a in bank.areas}
    known_genres = set(bank.genres)
    first_seen: dict[str, str] = {}
    for path in sorted((reader.root / "questions").glob("*.md")):
        q = reader.read_question(path, known_areas, known_genres)
        if q is None:
            continue
        if q.id in first_seen:
            reader.problem(path, 2, f"题目编号 {q.id} 重复（{first_seen[q.id]} 已使用）")
            continue
        if path.stem != q.id:
            reader.problem(path, 2, f"文件名应与题目编号一致：{q.id}.md")
        first_seen[q.id] = q.path
        q.rubric = reader.resolve_rubric(q, bank, path)
        if q.rubric is not None:
            bank.files[q.id] = q


def _read_model_answers(reader: _Reader, bank: Bank) -> None:
    for path in sorted(reader.answers_root.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        answer = reader.read_model_answer(path)
        if answer is None:
            continue
        q = bank.files.get(answer.question)
        if q is None:
            reader.problem(path, 2, f"范文对应的题目 {answer.question} 不存在")
            continue
        q.model_answers.append(answer)


def _check_model_answers(reader: _Reader, bank: Bank) -> None:
    from fazhi_prep.scoring import char_count, score

    for q in bank.files.values():
        if not q.model_answers:
            continue
        primaries = [a for a in q.model_answers if a.primary]
        if len(primaries) > 1:
            reader.problem(primaries[1].path, 2, f"题目 {q.id} 只能有一篇 primary 范文")
        if not primaries:
            q.model_answers[0].primary = True
        question = to_spec(q, bank.common_errors)
        for answer in q.model_answers:
            count = char_count(answer.body)
            if q.limit_max is not None and count > q.limit_max:
                reader.problem(answer.path, 1, f"范文 {count} 字，超过题目字数上限 {q.limit_max} 字")
            if answer.primary:
                covered = score(question, answer.body).to_dict()["coverage"]
                if covered < PRIMARY_COVERAGE_FLOOR:
                    reader.problem(
                        answer.path,
                        1,
                        f"范文只覆盖了 {covered:.0%} 的内容要点权重（应不低于 85%）",
                    )


# -- sample answers (rubric test sets) ------------------------------------


def _read_samples(reader: _Reader, bank: Bank) -> None:
    """``samples/<id>.yaml``: tutor-marked answers a rubric is tested against."""
    for path in sorted((reader.root / "samples").glob("*.yaml")):
        data = reader.read_yaml(path)
        if data is None:
            continue
        if not isinstance(data, LineDict) or not isinstance(data.get("samples"), LineList):
            reader.problem(path, 1, "样例答案文件应有 question 和 samples 列表")
            continue
        qid = reader.require(data, "question", path)
        if not qid:
            continue
        if path.stem != qid:
            reader.problem(path, data.line_of("question"), f"文件名应与题目编号一致：{qid}.yaml")
            continue
        q = bank.files.get(qid)
        if q is None:
            reader.problem(path, data.line_of("question"), f"样例答案对应的题目 {qid} 不存在")
            continue
        keys = {p.key for p in q.rubric.points} if q.rubric else set()
        q.samples_path = reader.rel(path)
        titles: dict[str, int] = {}
        for i, raw in enumerate(data["samples"]):
            sample = _read_sample(reader, raw, path, data["samples"].line_of(i), keys)
            if sample is None:
                continue
            if sample.title in titles:
                reader.problem(
                    path, sample.line, f"样例标题“{sample.title}”重复（第 {titles[sample.title]} 行已有）"
                )
                continue
            titles[sample.title] = sample.line
            q.samples.append(sample)


def _read_sample(
    reader: _Reader, raw: Any, path: Path, line: int, keys: set[str]
) -> SampleFile | None:
    if not isinstance(raw, LineDict):
        reader.problem(path, line, "samples 的每一项应有 title、expected 和 body")
        return None
    title = reader.require(raw, "title", path)
    body = reader.require(raw, "body", path)
    expected = raw.get("expected")
    if not isinstance(expected, LineDict) or not expected:
        reader.problem(path, raw.line_of("expected"), "expected 应列出要点及教师的判断，如 zhifa.sanxiang: covered")
        return None
    marks, ok = {}, True
    for key, mark in expected.items():
        if str(key) not in keys:
            reader.problem(path, expected.line_of(key), f"要点 {key} 不在本题的评分要点中")
            ok = False
        elif mark not in MARKS:
            reader.problem(path, expected.line_of(key), f"要点 {key} 的判断只能是 covered、partly 或 missed")
            ok = False
        else:
            marks[str(key)] = str(mark)
    if not (title and body and ok):
        return None
    return SampleFile(reader.rel(path), raw.line, title, body.strip(), marks)
