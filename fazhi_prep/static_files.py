"""Static files: content-hashed URLs served as immutable."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, request

# A static URL carrying its file's content hash never changes meaning: cache it for a year.
IMMUTABLE = "public, max-age=31536000, immutable"


def static_hashes(folder: str | None) -> dict[str, str]:
    """Short content hash of every static file, computed once at start (path relative to the folder)."""
    if not folder or not Path(folder).is_dir():
        return {}
    root = Path(folder)
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def register_static_cache(app: Flask) -> None:
    """``url_for('static', …)`` adds ``?v=<content hash>``; such URLs are served as immutable."""
    hashes = static_hashes(app.static_folder)

    @app.url_defaults
    def hashed_static_url(endpoint, values):
        if endpoint == "static" and "v" not in values:
            digest = hashes.get(values.get("filename", ""))
            if digest:
                values["v"] = digest

    @app.after_request
    def static_cache_headers(response):
        if request.endpoint == "static" and response.status_code == 200:
            filename = (request.view_args or {}).get("filename", "")
            if request.args.get("v") and request.args.get("v") == hashes.get(filename):
                response.headers["Cache-Control"] = IMMUTABLE
        return response
