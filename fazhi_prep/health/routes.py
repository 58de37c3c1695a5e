from __future__ import annotations

from . import bp


@bp.get("/healthz")
def healthz():
    # Touches no database: it answers whether this process can serve at all.
    return {"status": "ok"}
