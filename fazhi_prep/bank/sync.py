"""Move the bank between its files and the database.

`load_bank` upserts a validated Bank inside the caller's transaction; the
caller commits once, so a failure anywhere leaves the database as it was.
`export_bank` writes the database back in the file format, deterministically,
so export → load → export reproduces the same bytes.

Files and browser stay in step through a three-way comparison per question.
A question's *state* is everything its files say (question file, model
answers, sample answers) in a canonical form; ``Question.synced_hash`` is
the hash of the state at the last load or export (the merge base). On load,
a file whose state differs from the base was edited on disk; a database row
whose state differs from the base was edited in the browser. One side
changed: that side wins. Both changed (and differently): a conflict — the
question is left alone on both sides and reported, until a tutor picks a
side with ``--force``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi_prep import models as m
from fazhi_prep.scoring import spec

from .paper_sync import export_all as export_papers
from .paper_sync import export_sync as export_papers_sync
from .paper_sync import load_papers
from .reader import (
    Bank,
    BankError,
    ErrorList,
    ModelAnswerFile,
    QuestionFile,
    SampleFile,
    read_bank,
    split_terms,
)
from .yamlines import dump_yaml

# The sync base of a question created in the browser: no file has existed yet,
# so a file with the same id appearing later is a change on the file side too.
ABSENT = hashlib.sha256(b"fazhi_prep:absent").hexdigest()

# The 常见错误 file syncs like a question, as one unit: this is its id for
# `--force` and in reports, and the Setting row holding its merge base.
ERRORS_ID = "common_errors"
ERRORS_BASE = "common_errors_synced_hash"


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)
    new_versions: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # changed on both sides: left alone
    kept_browser: list[str] = field(default_factory=list)  # browser edits not yet exported
    browser_only: list[str] = field(default_factory=list)  # questions with no file at all
    paper_conflicts: list[str] = field(default_factory=list)  # 模拟考试 papers changed on both sides
    papers_kept: list[str] = field(default_factory=list)  # papers edited in the browser, not exported

    @property
    def changed(self) -> bool:
        # library/genres/errors count what was read, not what changed
        return bool(self.new_versions) or any(
            v for k, v in self.counts.items() if k.endswith(("created", "updated", "deleted"))
        )

    def lines(self) -> list[str]:
        c = self.counts
        out = [
            f"纲要要点 {c['library']} 个，文种 {c['genres']} 个，常见错误 {c['errors']} 条",
            f"题目：新增 {c['questions created']}，更新 {c['questions updated']}，"
            f"未变 {c['questions unchanged']}",
            f"范文：新增 {c['answers created']}，更新 {c['answers updated']}，删除 {c['answers deleted']}",
        ]
        if c["samples created"] or c["samples updated"] or c["samples deleted"]:
            out.append(
                f"样例答案：新增 {c['samples created']}，更新 {c['samples updated']}，删除 {c['samples deleted']}"
            )
        out += [f"评分要点新版本：{v}" for v in self.new_versions]
        if self.kept_browser:
            out.append(
                "浏览器中的修改尚未导出，保留数据库中的版本："
                + "、".join(self.kept_browser)
                + "（运行 flask --app app bank export 写回文件）"
            )
        for qid in self.conflicts:
            out.append(
                f"冲突：{qid} 在上次同步后文件和浏览器中都被修改，本题两边都未做任何更改。"
                f"保留文件版本：bank load --force {qid}；保留浏览器版本：bank export --force {qid}"
            )
        if self.browser_only:
            out.append("只在浏览器中的题目（还没有文件）：" + "、".join(self.browser_only))
        out += paper_lines(self.counts, self.papers_kept, self.paper_conflicts)
        return out


def paper_lines(counts: Counter, kept: list[str], conflicts: list[str]) -> list[str]:
    """What a load did to the 模拟考试 papers."""
    out = []
    if any(counts[f"papers {k}"] for k in ("created", "updated", "unchanged")) or kept or conflicts:
        out.append(
            f"试卷：新增 {counts['papers created']}，更新 {counts['papers updated']}，未变 {counts['papers unchanged']}"
        )
    if kept:
        out.append("浏览器中修改的试卷尚未导出，保留数据库中的版本：" + "、".join(kept))
    for pid in conflicts:
        out.append(
            f"冲突：试卷 {pid} 在上次同步后文件和浏览器中都被修改，两边都未做任何更改。"
            f"保留文件版本：bank load --force {pid}；保留浏览器版本：bank export --force {pid}"
        )
    return out


# -- question state (what the files say), for conflict detection ---------------


def state_hash(state: dict[str, Any] | None) -> str:
    payload = json.dumps(state, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _state(question: dict[str, Any], answers: list[dict], samples: list[dict]) -> dict[str, Any]:
    return {
        "question": question,
        "answers": sorted(answers, key=lambda a: a["variant"]),
        "samples": sorted(samples, key=lambda s: s["title"]),
    }


def file_state(q: QuestionFile) -> dict[str, Any]:
    """A question as its files say it, in the canonical form db_state() also produces."""
    return _state(
        {
            "id": q.id,
            "title": q.title,
            "genre": q.genre,
            "prompt": q.prompt,
            "limit": q.limit,
            "minutes": q.minutes,
            "areas": [str(a) for a in q.areas],
            "published": q.published,
            "materials": q.materials,
            "rubric": plain(q.rubric_spec),
        },
        [
            {"variant": a.variant, "title": a.title, "author": a.author, "note": a.note,
             "primary": a.primary, "body": a.body}
            for a in q.model_answers
        ],
        [{"title": s.title, "body": s.body, "expected": dict(s.expected)} for s in q.samples],
    )


def db_state(row: m.Question, samples: list[m.SampleAnswer] | None = None) -> dict[str, Any]:
    """A question as the database holds it (current rubric version, not a draft)."""
    if samples is None:
        samples = question_samples(row)
    return _state(
        {
            "id": row.slug,
            "title": row.title,
            "genre": row.genre_key,
            "prompt": row.prompt,
            "limit": row.limit_text,
            "minutes": row.minutes,
            "areas": [str(a) for a in row.areas or []],
            "published": bool(row.published),
            "materials": row.materials,
            "rubric": plain(row.rubric.spec) if row.rubric else None,
        },
        [
            {"variant": a.variant, "title": a.title, "author": a.author, "note": a.note,
             "primary": a.primary, "body": a.body}
            for a in row.model_answers
        ],
        [{"title": s.title, "body": s.body, "expected": dict(s.expected)} for s in samples],
    )


def question_samples(row: m.Question) -> list[m.SampleAnswer]:
    from sqlalchemy.orm import object_session

    session = object_session(row)
    if session is None or row.id is None:
        return []
    return list(
        session.scalars(
            select(m.SampleAnswer).where(m.SampleAnswer.question_id == row.id).order_by(m.SampleAnswer.id)
        )
    )


def sync_status(row: m.Question) -> str:
    """For the tutor pages: "synced", "browser" (edits not exported) or "new" (no file yet)."""
    if row.synced_hash == ABSENT or row.rubric is None:
        return "new"
    if row.synced_hash is None:
        return "synced"  # loaded before sync tracking: assume in step
    return "synced" if state_hash(db_state(row)) == row.synced_hash else "browser"


def decide(base: str | None, file_hash: str | None, db_hash: str) -> str:
    """Which side a sync takes: "same", "file", "db" or "conflict".

    ``base`` None is a row loaded before sync tracking: its database side is
    taken as unchanged. ``file_hash`` None: the question has no file.
    """
    if file_hash is None:
        return "db"
    if file_hash == db_hash:
        return "same"
    base = db_hash if base is None else base
    file_changed, db_changed = file_hash != base, db_hash != base
    if file_changed and db_changed:
        return "conflict"
    return "file" if file_changed else "db"


def plain(value: Any) -> Any:
    """Strip line bookkeeping and normalise term lines so stored specs compare cleanly."""
    if isinstance(value, dict):
        out = {str(k): plain(v) for k, v in value.items()}
        if isinstance(out.get("terms"), list):
            out["terms"] = [" | ".join(split_terms(t)) for t in out["terms"]]
        return out
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def rubric_fingerprint(q: QuestionFile) -> str:
    """Identity of a rubric version: what it scores with and how it is written."""
    assert q.rubric is not None
    return version_fingerprint(q.rubric, q.rubric_spec)


def _assign(obj: Any, values: dict[str, Any]) -> bool:
    """Set attributes that differ; report whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def load_bank(session: Session, bank: Bank, *, force: frozenset[str] | set[str] = frozenset()) -> LoadReport:
    """Upsert ``bank``; a question edited in the browser since the last sync is kept
    (and reported), one edited on both sides is a conflict, unless its id is in ``force``."""
    report = LoadReport()
    shared_before = _shared_data(session)
    _load_library(session, bank, report)
    _load_formats(session, bank, report)
    _load_errors(session, bank, report, force)
    session.flush()
    if _shared_data(session) != shared_before:
        report.counts["shared updated"] += 1
    for position, q in enumerate(bank.files.values()):
        row = session.scalar(select(m.Question).where(m.Question.slug == q.id))
        file_hash = state_hash(file_state(q))
        if row is not None and q.id not in force:
            side = decide(row.synced_hash, file_hash, state_hash(db_state(row)))
            if side == "conflict":
                report.conflicts.append(q.id)
                report.counts["questions conflict"] += 1
                continue
            if side == "db":
                report.kept_browser.append(q.id)
                report.counts["questions kept"] += 1
                continue
        row = _load_question(session, q, position, report, row)
        row.synced_hash = file_hash
    session.flush()
    load_papers(session, bank.papers, report, force)
    wanted = set(bank.files)
    report.browser_only = list(
        session.scalars(select(m.Question.slug).where(m.Question.slug.not_in(wanted)).order_by(m.Question.slug))
    ) if wanted else []
    session.flush()
    return report


def _shared_data(session: Session) -> tuple[Any, ...]:
    """The bank-wide content (纲要 library, genres, 常见错误) as plain values."""
    return _library_data(session), _formats_data(session), _errors_data(session)


def _load_library(session: Session, bank: Bank, report: LoadReport) -> None:
    areas = {a.key: a for a in session.scalars(select(m.LibraryArea))}
    points = {p.key: p for p in session.scalars(select(m.LibraryPoint))}
    wanted = set()
    for a_pos, area in enumerate(bank.areas):
        row = areas.get(area.key) or m.LibraryArea(key=area.key)
        _assign(row, {"label": area.label, "source": area.source, "position": a_pos})
        session.add(row)
        for p_pos, point in enumerate(area.points):
            prow = points.get(point.key) or m.LibraryPoint(key=point.key)
            _assign(
                prow,
                {
                    "area_key": area.key,
                    "label": point.label,
                    "source": point.source,
                    "need": point.need,
                    "groups": point.terms,
                    "position": p_pos,
                },
            )
            session.add(prow)
            wanted.add(point.key)
            report.counts["library"] += 1
    session.flush()
    for key, prow in points.items():
        if key not in wanted:
            session.delete(prow)
    wanted_areas = {a.key for a in bank.areas}
    for key, row in areas.items():
        if key not in wanted_areas:
            session.delete(row)


def _load_formats(session: Session, bank: Bank, report: LoadReport) -> None:
    genres = {g.key: g for g in session.scalars(select(m.Genre))}
    for g_pos, genre in enumerate(bank.genres.values()):
        row = genres.get(genre.key) or m.Genre(key=genre.key)
        _assign(row, {"label": genre.label, "position": g_pos})
        session.add(row)
        existing = {e.key: e for e in row.elements}
        for e_pos, rule in enumerate(genre.elements.values()):
            el = existing.pop(rule.key, None) or m.FormatElement(key=rule.key)
            _assign(
                el,
                {
                    "label": rule.label,
                    "expect": rule.expect,
                    "where": rule.where,
                    "patterns": list(rule.patterns),
                    "match_all": rule.match_all,
                    "weight": rule.weight,
                    "position": e_pos,
                },
            )
            if el not in row.elements:
                row.elements.append(el)
        for stale in existing.values():
            row.elements.remove(stale)
        report.counts["genres"] += 1


def errors_file_data(errors: ErrorList) -> dict[str, Any]:
    """The 常见错误 as a file says them, in the form ``_errors_data`` gives the database's."""
    out = []
    for e in errors.errors:
        entry: dict[str, Any] = {
            "key": e.key,
            "wrong": list(e.wrong),
            "right": e.right,
            "explain": e.explain,
            "unless": list(e.unless),
        }
        if e.members:
            entry["members"] = [" | ".join(alts) for alts in e.members]
            entry["window"] = e.window
        out.append(entry)
    return {"deduction": errors.deduction, "errors": out}


def errors_hash(data: dict[str, Any]) -> str:
    return state_hash({**data, "deduction": float(data.get("deduction", 1))})


def _errors_base(session: Session) -> m.Setting:
    return session.get(m.Setting, ERRORS_BASE) or m.Setting(key=ERRORS_BASE, value=None)


def errors_sync_status(session: Session) -> str:
    """"synced", or "browser" when the 常见错误 were edited in the browser since the last sync."""
    base = _errors_base(session).value
    return "synced" if base is None or errors_hash(_errors_data(session)) == base else "browser"


def _load_errors(session: Session, bank: Bank, report: LoadReport, force=frozenset()) -> None:
    file_hash = errors_hash(errors_file_data(bank.common_errors))
    base = _errors_base(session)
    if ERRORS_ID not in force and session.scalar(select(m.CommonError.key).limit(1)) is not None:
        side = decide(base.value, file_hash, errors_hash(_errors_data(session)))
        if side == "conflict":
            report.conflicts.append(ERRORS_ID)
            return
        if side == "db":
            report.kept_browser.append(ERRORS_ID)
            return
    base.value = file_hash
    session.add(base)
    rows = {e.key: e for e in session.scalars(select(m.CommonError))}
    for pos, err in enumerate(bank.common_errors.errors):
        row = rows.pop(err.key, None) or m.CommonError(key=err.key)
        _assign(
            row,
            {
                "wrong": list(err.wrong),
                "right": err.right,
                "explain": err.explain,
                "unless": list(err.unless),
                "members": [list(alts) for alts in err.members],
                "window": err.window,
                "position": pos,
            },
        )
        session.add(row)
        report.counts["errors"] += 1
    for stale in rows.values():
        session.delete(stale)
    setting = session.get(m.Setting, "common_error_deduction") or m.Setting(key="common_error_deduction")
    _assign(setting, {"value": bank.common_errors.deduction})
    session.add(setting)


def _load_question(
    session: Session, q: QuestionFile, position: int, report: LoadReport, row: m.Question | None
) -> m.Question:
    created = row is None
    if created:
        row = m.Question(slug=q.id, revision=0)
        session.add(row)
    changed = _assign(
        row,
        {
            "title": q.title,
            "genre_key": q.genre,
            "prompt": q.prompt,
            "limit_text": q.limit,
            "limit_min": q.limit_min,
            "limit_max": q.limit_max,
            "minutes": q.minutes,
            "areas": q.areas,
            "materials": q.materials,
            "published": q.published,
            "position": position,
        },
    )
    session.flush()
    if _sync_rubric(session, row, q, report):
        changed = True
    if _sync_answers(session, row, q.model_answers, report):
        changed = True
    if _sync_samples(session, row, q.samples, report):
        changed = True
    if changed:
        row.revision = (row.revision or 0) + 1
    state = "created" if created else ("updated" if changed else "unchanged")
    report.counts[f"questions {state}"] += 1
    return row


def _sync_rubric(session: Session, row: m.Question, q: QuestionFile, report: LoadReport) -> bool:
    fingerprint = rubric_fingerprint(q)
    current = row.rubric
    if current is not None and current.fingerprint == fingerprint:
        return False
    assert q.rubric is not None
    rubric = add_rubric_version(session, row, plain(q.rubric_spec), q.rubric, fingerprint)
    report.new_versions.append(f"{q.id} v{rubric.version}")
    return True


def version_fingerprint(resolved: spec.Rubric, written: dict[str, Any]) -> str:
    """The same identity rubric_fingerprint() gives a file, for a rubric written in the browser."""
    text = json.dumps(plain(written), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256((resolved.fingerprint() + text).encode()).hexdigest()


def add_rubric_version(
    session: Session,
    row: m.Question,
    written: dict[str, Any],
    resolved: spec.Rubric,
    fingerprint: str,
) -> m.Rubric:
    """Append a rubric version: the spec as written (refs kept, for export) plus a
    snapshot of the terms and format rules it scores with."""
    current = row.rubric
    version = (current.version + 1) if current else 1
    rubric = m.Rubric(
        question=row,
        version=version,
        fingerprint=fingerprint,
        scoring=resolved.scoring,
        parts={
            "content": resolved.parts.content,
            "format": resolved.parts.format,
            "length": resolved.parts.length,
        },
        spec=written,
    )
    refs = {p.get("ref") for p in written.get("points") or [] if isinstance(p, dict)}
    for pos, point in enumerate(resolved.points):
        rubric.points.append(
            m.RubricPoint(
                position=pos,
                key=point.key,
                ref=point.key if point.key in refs else None,
                label=point.label,
                weight=point.weight,
                source=point.source,
                need=point.need,
                area=point.area,
                groups=spec.marked_groups(point),
            )
        )
    for pos, rule in enumerate(resolved.format_rules):
        rubric.format_elements.append(
            m.RubricFormatElement(
                position=pos,
                key=rule.key,
                label=rule.label,
                expect=rule.expect,
                where=rule.where,
                patterns=list(rule.patterns),
                match_all=rule.match_all,
                weight=rule.weight,
            )
        )
    session.add(rubric)
    session.flush()
    session.refresh(row, ["rubrics"])
    return rubric


def _sync_answers(
    session: Session, row: m.Question, answers: list[ModelAnswerFile], report: LoadReport
) -> bool:
    existing = {a.variant: a for a in row.model_answers}
    changed = False
    for answer in answers:
        arow = existing.pop(answer.variant, None)
        if arow is None:
            arow = m.ModelAnswer(question=row, variant=answer.variant)
            session.add(arow)
            report.counts["answers created"] += 1
            changed = True
        values = {
            "title": answer.title,
            "author": answer.author,
            "note": answer.note,
            "primary": answer.primary,
            "body": answer.body,
        }
        if _assign(arow, values) and arow.id is not None:
            report.counts["answers updated"] += 1
            changed = True
    for stale in existing.values():
        session.delete(stale)
        report.counts["answers deleted"] += 1
        changed = True
    session.flush()
    session.refresh(row, ["model_answers"])
    return changed


def _sync_samples(
    session: Session, row: m.Question, samples: list[SampleFile], report: LoadReport
) -> bool:
    """Sample answers are matched by title within their question."""
    existing = {s.title: s for s in question_samples(row)}
    changed = False
    for sample in samples:
        srow = existing.pop(sample.title, None)
        if srow is None:
            srow = m.SampleAnswer(question_id=row.id, title=sample.title)
            session.add(srow)
            report.counts["samples created"] += 1
            changed = True
        if _assign(srow, {"body": sample.body, "expected": dict(sample.expected)}) and srow.id is not None:
            report.counts["samples updated"] += 1
            changed = True
    for stale in existing.values():
        delete_sample(session, stale)
        report.counts["samples deleted"] += 1
        changed = True
    session.flush()
    return changed


def delete_sample(session: Session, sample: m.SampleAnswer) -> None:
    """Remove a sample answer and the candidates' 评分校准 marks made on it."""
    for mark in session.scalars(select(m.CalibrationMark).where(m.CalibrationMark.sample_answer_id == sample.id)):
        session.delete(mark)
    session.flush()
    session.delete(sample)


# -- export ------------------------------------------------------------


def _front_matter(data: dict[str, Any], body: str) -> str:
    return f"---\n{dump_yaml(data)}---\n{body.strip()}\n"


@dataclass
class ExportReport:
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # already in step: files left as written
    conflicts: list[str] = field(default_factory=list)  # changed on both sides: left alone
    file_edits: list[str] = field(default_factory=list)  # files edited since the last sync, not loaded
    no_rubric: list[str] = field(default_factory=list)  # no published rubric: nothing to write
    invalid: dict[str, list[str]] = field(default_factory=dict)  # would fail `bank check`
    blocked: list[str] = field(default_factory=list)  # the bank on disk does not read: nothing written
    paper_conflicts: list[str] = field(default_factory=list)  # 模拟考试 papers changed on both sides
    papers_unchanged: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        if self.blocked:
            out += self.blocked
            out.append("题库文件有错误，未导出任何题目：请先修正（bank check），再导出。")
            return out
        out.append(f"写入 {len(self.written)} 个文件，删除 {len(self.removed)} 个文件。")
        if self.unchanged:
            out.append(f"与文件一致、未改写：{len(self.unchanged)} 道题")
        if self.papers_unchanged:
            out.append(f"与文件一致、未改写：{len(self.papers_unchanged)} 份试卷")
        if self.no_rubric:
            out.append("还没有发布评分要点、未导出：" + "、".join(self.no_rubric))
        for qid, problems in self.invalid.items():
            out.append(f"{qid} 导出后将通不过 bank check，未导出：" + "；".join(problems))
        if self.file_edits:
            out.append(
                "文件在上次同步后被修改且尚未导入，未覆盖："
                + "、".join(self.file_edits)
                + "（先运行 bank load；或用 bank export --force <编号> 以浏览器版本覆盖）"
            )
        for qid in self.conflicts:
            out.append(
                f"冲突：{qid} 在上次同步后文件和浏览器中都被修改，本题两边都未做任何更改。"
                f"保留文件版本：bank load --force {qid}；保留浏览器版本：bank export --force {qid}"
            )
        out += paper_lines(Counter(), [], self.paper_conflicts)
        return out


def export_bank(
    session: Session,
    root: Path,
    *,
    sync: bool = False,
    force: frozenset[str] | set[str] = frozenset(),
) -> ExportReport:
    """Write the database in the bank's file format under ``root``.

    ``sync=False`` (a copy): every file is written. ``sync=True`` (``root`` is
    the bank the app loads from): only questions changed in the browser since
    the last sync are written, never a file edited on disk meanwhile (unless
    forced), never one that would fail ``bank check``; the 纲要 library and
    genres are file-only content and are written only when missing; the
    常见错误 are written when edited in the browser, by the same rule as a
    question (``ERRORS_ID``).
    """
    if not sync:
        report = ExportReport()
        report.written = _export_all(session, root, report)
        return report
    return _export_sync(session, root, force)


def _export_all(session: Session, root: Path, report: ExportReport) -> list[Path]:
    bank_dir, answers_dir = root / "question_bank", root / "model_answers"
    (bank_dir / "questions").mkdir(parents=True, exist_ok=True)
    answers_dir.mkdir(parents=True, exist_ok=True)
    written = [
        _write(bank_dir / "gangyao.yaml", dump_yaml(_library_data(session))),
        _write(bank_dir / "formats.yaml", dump_yaml(_formats_data(session))),
        _write(bank_dir / "common_errors.yaml", dump_yaml(_errors_data(session))),
    ]
    questions = session.scalars(select(m.Question).order_by(m.Question.position, m.Question.slug))
    for q in questions:
        if q.rubric is None:
            report.no_rubric.append(q.slug)
            continue
        written += [_write(root / rel, text) for rel, text in question_files(q).items()]
    written += export_papers(session, root)
    return written


def question_files(q: m.Question, samples: list[m.SampleAnswer] | None = None) -> dict[str, str]:
    """Every file of one question, by path relative to the bank root."""
    files = {f"question_bank/questions/{q.slug}.md": question_file_text(q)}
    for answer in q.model_answers:
        name = q.slug if answer.variant == "main" else f"{q.slug}-{answer.variant}"
        files[f"model_answers/{name}.md"] = model_answer_text(q, answer)
    samples = question_samples(q) if samples is None else samples
    if samples:
        files[f"question_bank/samples/{q.slug}.yaml"] = samples_file_text(q, samples)
    return files


def _export_sync(session: Session, root: Path, force: frozenset[str] | set[str]) -> ExportReport:
    import tempfile

    report = ExportReport()
    bank_dir = root / "question_bank"
    on_disk: dict[str, QuestionFile] = {}
    papers_on_disk: dict = {}
    disk_errors: ErrorList | None = None
    if (bank_dir / "gangyao.yaml").exists():
        try:
            read = read_bank(bank_dir, root / "model_answers")
        except BankError as exc:
            report.blocked = [str(p) for p in exc.problems]
            return report
        on_disk, papers_on_disk, disk_errors = read.files, read.papers, read.common_errors
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp)
        _export_all(session, staging, ExportReport())
        report.invalid = _staged_problems(staging)
        for row in session.scalars(select(m.Question).order_by(m.Question.position, m.Question.slug)):
            if row.rubric is None:
                report.no_rubric.append(row.slug)
            elif row.slug in report.invalid:
                continue
            else:
                _export_question(row, root, on_disk.get(row.slug), force, report)
        session.flush()
        export_papers_sync(session, root, papers_on_disk, force, report)
        for name in ("gangyao.yaml", "formats.yaml", "common_errors.yaml"):
            target = bank_dir / name
            if not target.exists():
                report.written.append(_write(target, (staging / "question_bank" / name).read_text("utf-8")))
            elif name == "common_errors.yaml" and disk_errors is not None:
                _export_errors(session, target, disk_errors, force, report)
    return report


def _export_errors(session: Session, target: Path, disk: ErrorList, force, report: ExportReport) -> None:
    """Write the 常见错误 edited in the browser, by the same three-way rule as a question."""
    data = _errors_data(session)
    db_hash = errors_hash(data)
    base = _errors_base(session)
    side = "db" if ERRORS_ID in force else decide(base.value, errors_hash(errors_file_data(disk)), db_hash)
    if side == "conflict":
        report.conflicts.append(ERRORS_ID)
        return
    if side == "file":
        report.file_edits.append(ERRORS_ID)
        return
    if side == "db":
        # the file's opening comments document its format: keep them above the data
        header = []
        for line in target.read_text("utf-8").splitlines(keepends=True):
            if line.strip() and not line.lstrip().startswith("#"):
                break
            header.append(line)
        report.written.append(_write(target, "".join(header) + dump_yaml(data)))
    base.value = db_hash
    session.add(base)


def _staged_problems(staging: Path) -> dict[str, list[str]]:
    """Problems `bank check` would report in an export, by question id."""
    try:
        read_bank(staging / "question_bank", staging / "model_answers")
    except BankError as exc:
        out: dict[str, list[str]] = {}
        for problem in exc.problems:
            stem = Path(problem.path).stem
            qid = stem if "/questions/" in problem.path or "/samples/" in problem.path else None
            if qid is None:
                front = (staging / problem.path).read_text("utf-8") if (staging / problem.path).exists() else ""
                qid = next(
                    (line.split(":", 1)[1].strip() for line in front.splitlines() if line.startswith("question:")),
                    stem,
                )
            out.setdefault(qid, []).append(problem.message)
        return out
    return {}


def _export_question(
    row: m.Question, root: Path, disk: QuestionFile | None, force, report: ExportReport
) -> None:
    db_hash = state_hash(db_state(row))
    file_hash = state_hash(file_state(disk)) if disk is not None else None
    side = "db" if row.slug in force else decide(row.synced_hash, file_hash, db_hash)
    if side == "same":
        row.synced_hash = db_hash
        report.unchanged.append(row.slug)
        return
    if side == "conflict":
        report.conflicts.append(row.slug)
        return
    if side == "file":
        report.file_edits.append(row.slug)
        return
    files = question_files(row)
    old = set()
    if disk is not None:
        old = {a.path for a in disk.model_answers} | ({disk.samples_path} if disk.samples_path else set())
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        report.written.append(_write(target, text))
    for rel in sorted(old - set(files)):
        (root / rel).unlink(missing_ok=True)
        report.removed.append(root / rel)
    row.synced_hash = db_hash


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def question_file_text(q: m.Question) -> str:
    data: dict[str, Any] = {
        "id": q.slug,
        "title": q.title,
        "genre": q.genre_key,
        "prompt": q.prompt,
    }
    if q.limit_text:
        data["limit"] = q.limit_text
    data.update({"minutes": q.minutes, "areas": list(q.areas or [])})
    if not q.published:
        data["published"] = False
    data["rubric"] = q.rubric.spec
    return _front_matter(data, q.materials)


def samples_file_text(q: m.Question, samples: list[m.SampleAnswer]) -> str:
    data = {
        "question": q.slug,
        "samples": [
            {"title": s.title, "expected": dict(s.expected), "body": s.body} for s in samples
        ],
    }
    header = "# 评分要点测试集：教师标注的样例答案（格式见 question_bank/README.md）\n"
    return header + dump_yaml(data, literal=True)


def model_answer_text(q: m.Question, answer: m.ModelAnswer) -> str:
    data = {
        "question": q.slug,
        "title": answer.title,
        "author": answer.author,
        "note": answer.note,
        "primary": answer.primary,
    }
    return _front_matter(data, answer.body)


def _library_data(session: Session) -> dict[str, Any]:
    areas = []
    for area in session.scalars(select(m.LibraryArea).order_by(m.LibraryArea.position)):
        points = []
        for p in area.points:
            point: dict[str, Any] = {"key": p.key, "label": p.label, "source": p.source}
            if p.need is not None:
                point["need"] = p.need
            point["terms"] = [" | ".join(g) for g in p.groups]
            points.append(point)
        areas.append({"key": area.key, "label": area.label, "source": area.source, "points": points})
    return {"areas": areas}


def _formats_data(session: Session) -> dict[str, Any]:
    genres: dict[str, Any] = {}
    for genre in session.scalars(select(m.Genre).order_by(m.Genre.position)):
        elements = []
        for e in genre.elements:
            el: dict[str, Any] = {"key": e.key, "label": e.label, "expect": e.expect, "where": e.where}
            if e.weight != 1.0:
                el["weight"] = e.weight
            if e.match_all:
                el["match_all"] = True
            el["patterns"] = list(e.patterns)
            elements.append(el)
        genres[genre.key] = {"label": genre.label, "elements": elements}
    return {"genres": genres}


def _errors_data(session: Session) -> dict[str, Any]:
    setting = session.get(m.Setting, "common_error_deduction")
    errors = []
    for e in session.scalars(select(m.CommonError).order_by(m.CommonError.position)):
        entry = {
            "key": e.key,
            "wrong": list(e.wrong),
            "right": e.right,
            "explain": e.explain,
            "unless": list(e.unless or []),
        }
        if e.members:
            entry["members"] = [" | ".join(alts) for alts in e.members]
            entry["window"] = e.window
        errors.append(entry)
    return {"deduction": setting.value if setting else 1, "errors": errors}
