"""Static files: content-hashed URLs served as immutable, and module scripts' imports preloaded."""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path

from flask import Flask, request, url_for
from markupsafe import Markup

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


# `import … from "./x.js"` in the project's own modules (relative specifiers only; no bare imports here).
_RELATIVE_IMPORT = re.compile(r"""^\s*import\b[^;]*?\bfrom\s*["'](\.{1,2}/[^"']+)["']""", re.MULTILINE)


def module_imports(folder: str | None) -> dict[str, tuple[str, ...]]:
    """Every module script's imports, direct and indirect (paths relative to the folder), read once at start."""
    if not folder or not Path(folder).is_dir():
        return {}
    root = Path(folder)
    direct = {}
    for path in sorted(root.rglob("*.js")):
        name = path.relative_to(root).as_posix()
        base = posixpath.dirname(name)
        text = path.read_text(encoding="utf-8")
        direct[name] = [posixpath.normpath(posixpath.join(base, spec)) for spec in _RELATIVE_IMPORT.findall(text)]

    def closure(name: str) -> tuple[str, ...]:
        seen: list[str] = []
        pending = list(direct.get(name, []))
        while pending:
            dep = pending.pop(0)
            if dep not in seen and dep != name:
                seen.append(dep)
                pending.extend(direct.get(dep, []))
        return tuple(seen)

    return {name: closure(name) for name in direct}


def register_static_cache(app: Flask) -> None:
    """``url_for('static', …)`` adds ``?v=<content hash>``; such URLs are served as immutable."""
    hashes = static_hashes(app.static_folder)
    imports = module_imports(app.static_folder)

    def module_preloads(entry: str) -> Markup:
        """``<link rel=modulepreload>`` for a module script and everything it imports.

        Without them the browser finds each import only after fetching the module
        that names it (practice.js → editor.js → grid.js: three round trips in a
        row on a cold cache), and the page's first paint waits for the last. An
        import resolves against the importing module's URL without its query, so
        the imported modules are preloaded at their plain URLs: the ones the
        import statements will ask for.
        """
        links = [url_for("static", filename=entry)]
        links += [url_for("static", filename=dep, v=None) for dep in imports.get(entry, ())]
        return Markup("").join(Markup('<link rel="modulepreload" href="{}">').format(href) for href in links)

    app.jinja_env.globals["module_preloads"] = module_preloads

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
