"""Database models (SQLAlchemy 2.0 typed declarations).

Rubrics are versioned snapshots: a rubric version copies the terms and format
rules it scores with, so an attempt's result can always be explained by the
version it was scored against, whatever the library or the genre rules
became later.
"""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    inspect,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .scoring import spec


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(db.TypeDecorator):
    """Timezone-aware datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use datetime.now(UTC)")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Role(enum.StrEnum):
    CANDIDATE = "candidate"
    TUTOR = "tutor"
    ADMIN = "admin"


ROLE_LABELS = {Role.CANDIDATE: "考生", Role.TUTOR: "教师", Role.ADMIN: "管理员"}


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # the admin list's order, read a page at a time; ids never reused (SQLite
    # would otherwise hand a deleted account's id to the next one)
    __table_args__ = (Index("ix_users_role_username", "role", "username"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default=Role.CANDIDATE.value)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    # The login this request runs under (set by auth.sessions); cookies carry
    # its token, never the id (Flask-Login's alternative id).
    login_token = None  # not a column

    def get_id(self) -> str | None:
        return self.login_token

    def set_password(self, password: str) -> None:
        """A new password also ends every login made with the old one (see auth.sessions)."""
        self.password_hash = generate_password_hash(password)
        if self.id is not None:
            from .auth.sessions import end_all_logins

            end_all_logins(self)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role) -> bool:
        # Admins can do everything a tutor can.
        granted = {self.role} | ({Role.TUTOR.value} if self.role == Role.ADMIN.value else set())
        return any(r.value in granted for r in roles)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(Role(self.role), self.role)


class LoginSession(db.Model):
    """One login (one browser): its token is what the session and 记住我 cookies carry.

    Logging out deletes it; a new password, 退出所有设备 or deleting the
    account deletes all of the account's, so no copied cookie outlives them.
    """

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True, default=new_session_token)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class LibraryArea(db.Model):
    """A 纲要 area: one of the eight 健全……体系, the overall goal or 组织保障."""

    __tablename__ = "library_areas"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    points: Mapped[list[LibraryPoint]] = relationship(
        back_populates="area", order_by="LibraryPoint.position", cascade="all, delete-orphan"
    )


class LibraryPoint(db.Model):
    """A sub-point of the shared 纲要 rubric library, with its term groups."""

    __tablename__ = "library_points"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    area_key: Mapped[str] = mapped_column(ForeignKey("library_areas.key"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    need: Mapped[int | None]
    groups: Mapped[list[list[str]]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)
    area: Mapped[LibraryArea] = relationship(back_populates="points")


class Genre(db.Model):
    __tablename__ = "genres"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)
    elements: Mapped[list[FormatElement]] = relationship(
        back_populates="genre", order_by="FormatElement.position", cascade="all, delete-orphan"
    )


class FormatElement(db.Model):
    """A genre's format element (标题, 主送机关, 落款…) and how to detect it."""

    __tablename__ = "format_elements"
    __table_args__ = (UniqueConstraint("genre_key", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    genre_key: Mapped[str] = mapped_column(ForeignKey("genres.key"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(64))
    expect: Mapped[str] = mapped_column(Text)
    where: Mapped[str] = mapped_column(String(8))
    patterns: Mapped[list[str]] = mapped_column(JSON)
    match_all: Mapped[bool] = mapped_column(default=False)
    weight: Mapped[float] = mapped_column(default=1.0)
    position: Mapped[int] = mapped_column(default=0)
    genre: Mapped[Genre] = relationship(back_populates="elements")

    def to_rule(self, weight: float | None = None) -> spec.FormatRule:
        return spec.FormatRule(
            key=self.key,
            label=self.label,
            expect=self.expect,
            where=self.where,  # type: ignore[arg-type]
            patterns=tuple(self.patterns),
            weight=self.weight if weight is None else weight,
            match_all=self.match_all,
        )


class CommonError(db.Model):
    """A wrong or outdated 提法 (常见错误) with its correction."""

    __tablename__ = "common_errors"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    wrong: Mapped[list[str]] = mapped_column(JSON)
    right: Mapped[str] = mapped_column(Text)
    explain: Mapped[str] = mapped_column(Text)
    unless: Mapped[list[str]] = mapped_column(JSON, default=list)
    # an enumeration that must be complete: each member a list of alternatives
    members: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    window: Mapped[int] = mapped_column(default=12)
    position: Mapped[int] = mapped_column(default=0)

    def to_spec(self) -> spec.CommonError:
        return spec.CommonError(
            self.key,
            tuple(self.wrong),
            self.right,
            self.explain,
            tuple(self.unless or ()),
            tuple(tuple(alts) for alts in self.members or ()),
            self.window,
        )


class Setting(db.Model):
    """Bank-wide settings a tutor may tune (e.g. the 常见错误 deduction)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


def limit_label(limit_min: int | None, limit_max: int | None) -> str:
    """A question's 字数要求 as shown (lists that read the columns without the question use it too)."""
    if limit_min and limit_max:
        return f"{limit_min}–{limit_max}字"
    return f"{limit_max}字" if limit_max else "不限"


def seconds_used(started_at: datetime, submitted_at: datetime) -> int:
    """An attempt's writing time in whole seconds."""
    return max(0, int((submitted_at - started_at).total_seconds()))


class ScoreAndTime:
    """An attempt's score that counts and its writing time, for the model and for list rows
    that read the same columns without loading attempts (practice.progress.HistoryRow)."""

    __slots__ = ()  # properties only: the classes using it keep their own attributes (and slots)

    @property
    def final_score(self) -> float:
        return self.override_score if self.override_score is not None else self.score

    @property
    def seconds_used(self) -> int:
        return seconds_used(self.started_at, self.submitted_at)


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        # the question list: published questions in bank order, a page at a time, per filter
        Index("ix_questions_published_order", "published", "position", "slug"),
        Index("ix_questions_genre_key", "genre_key"),
        Index("ix_questions_limit_max", "limit_max"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    genre_key: Mapped[str] = mapped_column(ForeignKey("genres.key"))
    prompt: Mapped[str] = mapped_column(Text)
    limit_text: Mapped[str | None] = mapped_column(String(32))  # explicit override, if any
    limit_min: Mapped[int | None]
    limit_max: Mapped[int | None]
    minutes: Mapped[int]
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    materials: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    # Bumped on every change; tutors' concurrent edits compare it (optimistic locking).
    revision: Mapped[int] = mapped_column(default=1)
    # Hash of the question's file text at the last load/export: tells a file edit
    # from a browser edit, so a change on both sides is reported, not overwritten.
    synced_hash: Mapped[str | None] = mapped_column(String(64))
    # A rubric being edited in the browser, not yet published as a version. Loaded only when
    # read (authoring): every candidate's page and autosave looks its question up, and would
    # otherwise read and parse a tutor's half-written rubric each time.
    rubric_draft: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    genre: Mapped[Genre] = relationship()
    # ``areas`` mirrored as rows, so the area filter is an index look-up (kept in step on flush)
    area_links: Mapped[list[QuestionArea]] = relationship(cascade="all, delete-orphan")
    rubrics: Mapped[list[Rubric]] = relationship(
        back_populates="question", order_by="Rubric.version", cascade="all, delete-orphan"
    )
    model_answers: Mapped[list[ModelAnswer]] = relationship(
        back_populates="question",
        order_by="[ModelAnswer.primary.desc(), ModelAnswer.variant]",
        cascade="all, delete-orphan",
    )

    @property
    def rubric(self) -> Rubric | None:
        """The current (latest) rubric version.

        Read alone (one indexed row) unless every version is loaded already: a
        question may have hundreds of versions, each with its JSON spec.
        """
        if "rubrics" not in inspect(self).unloaded or self.id is None:
            return self.rubrics[-1] if self.rubrics else None
        return db.session.scalar(
            select(Rubric).where(Rubric.question_id == self.id).order_by(Rubric.version.desc()).limit(1)
        )

    @property
    def limit_label(self) -> str:
        return limit_label(self.limit_min, self.limit_max)

    @property
    def primary_answer(self) -> ModelAnswer | None:
        return self.model_answers[0] if self.model_answers else None


class QuestionArea(db.Model):
    """One 纲要 area a question draws on (a copy of ``Question.areas``, for filtering)."""

    __tablename__ = "question_areas"
    __table_args__ = (Index("ix_question_areas_area_question", "area_key", "question_id"),)

    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    area_key: Mapped[str] = mapped_column(String(32), primary_key=True)


class Rubric(db.Model):
    """One version of a question's rubric; never edited once attempts use it."""

    __tablename__ = "rubrics"
    __table_args__ = (UniqueConstraint("question_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    version: Mapped[int]
    fingerprint: Mapped[str] = mapped_column(String(64))
    scoring: Mapped[str] = mapped_column(String(16), default="tiered")
    parts: Mapped[dict[str, float]] = mapped_column(JSON)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)  # as written in the file, refs kept
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    question: Mapped[Question] = relationship(back_populates="rubrics")
    points: Mapped[list[RubricPoint]] = relationship(
        back_populates="rubric", order_by="RubricPoint.position", cascade="all, delete-orphan"
    )
    format_elements: Mapped[list[RubricFormatElement]] = relationship(
        order_by="RubricFormatElement.position", cascade="all, delete-orphan"
    )

    def to_spec(self) -> spec.Rubric:
        return spec.Rubric(
            points=tuple(p.to_spec() for p in self.points),
            format_rules=tuple(f.to_rule() for f in self.format_elements),
            scoring=self.scoring,  # type: ignore[arg-type]
            parts=spec.Parts(**self.parts),
        )


class RubricPoint(db.Model):
    """A 要点 of one rubric version, with its term groups copied in."""

    __tablename__ = "rubric_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id"), index=True)
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(64))
    ref: Mapped[str | None] = mapped_column(String(64))  # library point it came from
    label: Mapped[str] = mapped_column(String(200))
    weight: Mapped[float]
    source: Mapped[str] = mapped_column(Text)
    need: Mapped[int | None]
    area: Mapped[str | None] = mapped_column(String(32))
    groups: Mapped[list[list[str]]] = mapped_column(JSON)

    rubric: Mapped[Rubric] = relationship(back_populates="points")

    def to_spec(self) -> spec.Point:
        # groups stay marked (★, =) in the stored groups, as in the files
        groups, core, whole = spec.split_marks(self.groups)
        return spec.Point(
            key=self.key,
            label=self.label,
            weight=self.weight,
            source=self.source,
            groups=groups,
            need=self.need,
            area=self.area,
            core=core,
            whole=whole,
        )


class RubricFormatElement(db.Model):
    """A format rule as a rubric version scores it (a snapshot of the genre's element)."""

    __tablename__ = "rubric_format_elements"

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id"), index=True)
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(64))
    expect: Mapped[str] = mapped_column(Text)
    where: Mapped[str] = mapped_column(String(8))
    patterns: Mapped[list[str]] = mapped_column(JSON)
    match_all: Mapped[bool] = mapped_column(default=False)
    weight: Mapped[float] = mapped_column(default=1.0)

    def to_rule(self) -> spec.FormatRule:
        return spec.FormatRule(
            key=self.key,
            label=self.label,
            expect=self.expect,
            where=self.where,  # type: ignore[arg-type]
            patterns=tuple(self.patterns),
            weight=self.weight,
            match_all=self.match_all,
        )


class ModelAnswer(db.Model):
    __tablename__ = "model_answers"
    __table_args__ = (UniqueConstraint("question_id", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    variant: Mapped[str] = mapped_column(String(32), default="main")
    title: Mapped[str] = mapped_column(String(120))
    author: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    primary: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(Text)

    question: Mapped[Question] = relationship(back_populates="model_answers")
    stored_results: Mapped[list[ModelAnswerResult]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class Draft(db.Model):
    """The answer being written: one per candidate and question, autosaved."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("user_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    # Counts saves: a save made from an older revision was written without the
    # text another device saved since, and is refused rather than overwrite it.
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    exam_mode: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    user: Mapped[User] = relationship()
    question: Mapped[Question] = relationship()


class Attempt(ScoreAndTime, db.Model):
    """A submitted answer with the result of scoring it against one rubric version."""

    __tablename__ = "attempts"
    __table_args__ = (
        # history and the question list's per-question stats
        Index("ix_attempts_user_submitted", "user_id", "submitted_at", "id"),
        # covers the question list's per-question count, best and latest (no row read)
        Index(
            "ix_attempts_user_question", "user_id", "question_id", "submitted_at", "id", "score", "override_score"
        ),
        # the review list, newest first: unfiltered, per question, flagged, overridden
        Index("ix_attempts_submitted", "submitted_at", "id"),
        Index("ix_attempts_question_submitted", "question_id", "submitted_at", "id"),
        Index(
            "ix_attempts_flagged_submitted", "submitted_at", "id",
            sqlite_where=text("flagged"), postgresql_where=text("flagged"),
        ),
        Index(
            "ix_attempts_overridden_submitted", "submitted_at", "id",
            sqlite_where=text("override_score IS NOT NULL"),
            postgresql_where=text("override_score IS NOT NULL"),
        ),
        # a candidate's re-marked attempts (评分校准 summary on the history page)
        Index(
            "ix_attempts_user_overridden", "user_id", "submitted_at",
            sqlite_where=text("override_score IS NOT NULL"),
            postgresql_where=text("override_score IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id"))
    answer: Mapped[str] = mapped_column(Text)
    exam_mode: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    char_count: Mapped[int]
    score: Mapped[float]
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    # result["flags"] is not empty: a column, so the 只看被标记的 filter does not read JSON
    flagged: Mapped[bool] = mapped_column(default=False, server_default=false())
    # {point_key: {"mark": "covered"|"partly"|"missed", "note": str}}
    self_marks: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    override_score: Mapped[float | None]
    override_comment: Mapped[str | None] = mapped_column(Text)
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    override_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    question: Mapped[Question] = relationship()
    rubric: Mapped[Rubric] = relationship()
    override_by: Mapped[User | None] = relationship(foreign_keys=[override_by_id])
    rescores: Mapped[list[Rescore]] = relationship(
        back_populates="attempt", order_by="Rescore.created_at", cascade="all, delete-orphan"
    )
    # the 模拟考试 question this attempt answered, if any (read-only: PaperAnswer.attempt sets it)
    paper_answer: Mapped[PaperAnswer | None] = relationship(viewonly=True, uselist=False)


class Rescore(db.Model):
    """An attempt scored again with a later rubric version; the original stays."""

    __tablename__ = "rescores"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id"))
    score: Mapped[float]
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="rescores")
    rubric: Mapped[Rubric] = relationship()


class SampleAnswer(db.Model):
    """A tutor-marked sample answer: the rubric's test set and candidates' 评分校准 material."""

    __tablename__ = "sample_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    # {point_key: "covered" | "partly" | "missed"} as the tutor marks it
    expected: Mapped[dict[str, str]] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    question: Mapped[Question] = relationship()


class CalibrationMark(db.Model):
    """A candidate's marks on a tutor's sample answer (评分校准)."""

    __tablename__ = "calibration_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    sample_answer_id: Mapped[int] = mapped_column(ForeignKey("sample_answers.id"), index=True)
    marks: Mapped[dict[str, str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    sample_answer: Mapped[SampleAnswer] = relationship()


class Paper(db.Model):
    """A 模拟考试 paper: several questions answered in one sitting under one clock."""

    __tablename__ = "papers"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int]  # the whole sitting, reading the materials included
    instructions: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    # Optimistic locking and file ↔ browser sync, as for questions.
    revision: Mapped[int] = mapped_column(default=1)
    synced_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    questions: Mapped[list[PaperQuestion]] = relationship(
        back_populates="paper", order_by="PaperQuestion.position", cascade="all, delete-orphan"
    )

    @property
    def points(self) -> float:
        return sum(q.points for q in self.questions)


class PaperQuestion(db.Model):
    """A question's place in a paper: order, suggested minutes and 分值."""

    __tablename__ = "paper_questions"
    __table_args__ = (UniqueConstraint("paper_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    minutes: Mapped[int]
    points: Mapped[float]

    paper: Mapped[Paper] = relationship(back_populates="questions")
    question: Mapped[Question] = relationship()


class PaperAttempt(db.Model):
    """One sitting of a paper: the server's clock for all its questions.

    Questions, minutes and 分值 are copied in at the start (``PaperAnswer``),
    so a tutor editing the paper never changes a sitting under way or done.
    """

    __tablename__ = "paper_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    minutes: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # "<user>:<paper>" while open, NULL once handed in: at most one open sitting
    # per candidate and paper, enforced by the database (NULLs never collide).
    open_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The question being worked on since ``active_since`` (time accounting).
    active_position: Mapped[int | None]
    active_since: Mapped[datetime | None] = mapped_column(UtcDateTime())
    timed_out: Mapped[bool] = mapped_column(default=False)

    paper: Mapped[Paper] = relationship()
    user: Mapped[User] = relationship()
    answers: Mapped[list[PaperAnswer]] = relationship(
        back_populates="sitting", order_by="PaperAnswer.position", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None


class PaperAnswer(db.Model):
    """One question of a sitting: its draft, time spent, and (after hand-in) its Attempt."""

    __tablename__ = "paper_answers"
    __table_args__ = (UniqueConstraint("sitting_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("paper_attempts.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    position: Mapped[int]
    minutes: Mapped[int]  # suggested
    points: Mapped[float]  # 分值
    text: Mapped[str] = mapped_column(Text, default="")
    saved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    seconds_spent: Mapped[int] = mapped_column(default=0)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id"), unique=True)

    sitting: Mapped[PaperAttempt] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
    attempt: Mapped[Attempt | None] = relationship()

    @property
    def earned(self) -> float:
        """Marks earned out of ``points``: the question's final score (of 100) scaled."""
        if self.attempt is None:
            return 0.0
        return round(self.points * self.attempt.final_score / 100, 1)


class UserAreaStat(db.Model):
    """A candidate's running coverage totals for one 纲要 area, over all their attempts.

    Kept up to date as attempts are stored (``practice.area_totals``), so the
    history page reads a handful of rows instead of every attempt's result.
    """

    __tablename__ = "user_area_stats"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[str] = mapped_column(String(32), primary_key=True)
    weighted: Mapped[float] = mapped_column(default=0.0)  # sum of weight × counted coverage
    weight: Mapped[float] = mapped_column(default=0.0)  # sum of weights
    points: Mapped[int] = mapped_column(default=0)  # point results counted
    attempts: Mapped[int] = mapped_column(default=0)  # attempts that touched the area


class ModelAnswerResult(db.Model):
    """A model answer scored against one rubric version, computed once and reused.

    The result depends only on the rubric version and the texts it is scored
    with; ``text_hash`` covers the answer and everything else the engine reads
    (limits, 给定材料, 常见错误), so an edit to any of them is a new row.
    """

    __tablename__ = "model_answer_results"
    __table_args__ = (UniqueConstraint("rubric_id", "model_answer_id", "text_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id", ondelete="CASCADE"))
    model_answer_id: Mapped[int] = mapped_column(
        ForeignKey("model_answers.id", ondelete="CASCADE"), index=True
    )
    text_hash: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
