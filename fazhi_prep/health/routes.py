"""/healthz (is this process up?) and /readyz (can it serve candidates?).

Both are cheap enough to poll every few seconds: /healthz touches nothing,
/readyz runs three one-row queries. Neither needs a login, and neither says
more than a proxy needs (no versions of software, no counts).
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import exists, select, text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models import Question
from . import bp, schema


@bp.get("/healthz")
def healthz():
    # Touches no database: it answers whether this process can serve at all.
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """200 when the database answers, the schema is at the newest migration and the bank is loaded."""
    checks = {"database": False, "schema": False, "bank": False}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = True
        checks["schema"] = schema.current_revisions(db.session) == schema.head_revisions(
            current_app.extensions["migrate"].directory
        )
        checks["bank"] = bool(db.session.scalar(select(exists().where(Question.published.is_(True)))))
    except SQLAlchemyError:
        # A missing table (never migrated) lands here too: not ready, not a 500.
        db.session.rollback()
    ready = all(checks.values())
    response = {"status": "ready" if ready else "not_ready", "checks": checks}
    return response, 200 if ready else 503, {"Cache-Control": "no-store"}
