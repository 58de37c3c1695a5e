"""常见错误 in the browser: list, edit and try them; they sync with common_errors.yaml like a question.

Plain functions over the database rows; routes own the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..bank.sync import errors_sync_status
from ..extensions import db
from ..models import CommonError, Setting
from ..scoring.errors import ErrorHit, find_errors
from ..scoring.normalize import normalize, normalize_term
from ..scoring.spec import CommonError as ErrorSpec

DEDUCTION_KEY = "common_error_deduction"


def all_errors() -> list[CommonError]:
    return list(db.session.scalars(select(CommonError).order_by(CommonError.position, CommonError.key)))


def error_or_none(key: str) -> CommonError | None:
    return db.session.get(CommonError, key)


def deduction() -> float:
    setting = db.session.get(Setting, DEDUCTION_KEY)
    return float(setting.value) if setting is not None else 1.0


def set_deduction(value: float) -> None:
    setting = db.session.get(Setting, DEDUCTION_KEY) or Setting(key=DEDUCTION_KEY)
    setting.value = float(value)
    db.session.add(setting)


def sync_status() -> str:
    return errors_sync_status(db.session)


def lines(text: str | None) -> list[str]:
    """One entry a line; blank lines and surrounding spaces dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def members_from(text: str | None) -> list[list[str]]:
    """Enumeration members: one a line, alternatives separated by | (or ｜)."""
    out = []
    for line in lines(text):
        alternatives = [alt.strip() for alt in line.replace("｜", "|").split("|") if alt.strip()]
        if alternatives:
            out.append(alternatives)
    return out


@dataclass
class ErrorData:
    key: str
    wrong: list[str]
    right: str
    explain: str
    unless: list[str]
    members: list[list[str]]
    window: int


def form_data(error: CommonError | None) -> dict:
    """The edit form's initial values."""
    if error is None:
        return {"window": 12}
    return {
        "key": error.key,
        "wrong": "\n".join(error.wrong),
        "right": error.right,
        "explain": error.explain,
        "unless": "\n".join(error.unless or []),
        "members": "\n".join(" | ".join(alts) for alts in error.members or []),
        "window": error.window,
    }


def data_from(form) -> ErrorData:
    return ErrorData(
        key=(form.key.data or "").strip(),
        wrong=lines(form.wrong.data),
        right=(form.right.data or "").strip(),
        explain=(form.explain.data or "").strip(),
        unless=lines(form.unless.data),
        members=members_from(form.members.data),
        window=form.window.data if form.window.data is not None else 12,
    )


def save(error: CommonError | None, data: ErrorData) -> CommonError:
    """Create or update an error; a new one goes to the end of the list."""
    if error is None:
        position = db.session.scalar(select(func.coalesce(func.max(CommonError.position), -1))) + 1
        error = CommonError(key=data.key, position=position)
        db.session.add(error)
    error.wrong = data.wrong
    error.right = data.right
    error.explain = data.explain
    error.unless = data.unless
    error.members = data.members
    error.window = data.window
    return error


def delete(error: CommonError) -> None:
    db.session.delete(error)


def as_spec(data: ErrorData) -> ErrorSpec:
    return ErrorSpec(data.key or "new", tuple(data.wrong), data.right, data.explain, tuple(data.unless),
                     tuple(tuple(m) for m in data.members), data.window)


@dataclass
class Finding:
    """One error found in a tried text, as the tutor page shows it."""

    key: str
    kind: str  # "wrong" or "incomplete"
    found: str
    right: str
    explain: str
    missing: tuple[str, ...]


def try_text(text: str, errors: list[ErrorSpec] | None = None, prompt: str = "") -> list[Finding]:
    """The errors a candidate's ``text`` would be told about (and lose marks for)."""
    specs = tuple(errors) if errors is not None else tuple(e.to_spec() for e in all_errors())
    if not (text or "").strip():
        return []
    hits: list[ErrorHit] = find_errors(specs, normalize(text), normalize_term(prompt or ""))
    return [Finding(h.error.key, h.kind, h.text, h.error.right, h.error.explain, h.missing) for h in hits]
