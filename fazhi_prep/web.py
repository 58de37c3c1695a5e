"""App-wide web concerns: security headers, error pages, template helpers."""

from __future__ import annotations

import math
import time
from functools import lru_cache

from flask import Flask, jsonify, render_template, request
from markupsafe import Markup
from sqlalchemy.exc import OperationalError

from .busy import BUSY_MESSAGE, is_lock_timeout, retry_headers
from .extensions import db, limiter
from .models import ROLE_LABELS, Role
from .static_files import register_static_cache
from .text import render_markdown

GENRE_LABELS_FALLBACK = "其他"

# No inline scripts or styles anywhere, so the policy can be strict.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


@lru_cache(maxsize=512)
def cached_markdown(text: str) -> Markup:
    """render_markdown for the pages: the same 给定材料 is shown on every question and practice view,
    and Markdown + sanitising cost more than the rest of the page; a text's HTML never changes."""
    return render_markdown(text)


def register_web(app: Flask) -> None:
    register_static_cache(app)
    app.jinja_env.filters["markdown"] = lambda text: cached_markdown(text or "")
    app.jinja_env.globals["ROLE_LABELS"] = ROLE_LABELS
    app.jinja_env.globals["Role"] = Role

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    @app.errorhandler(403)
    def forbidden(error):
        return render_template("errors/error.html", code=403, message="你没有权限访问这个页面。"), 403

    @app.errorhandler(404)
    def not_found(error):
        return render_template("errors/error.html", code=404, message="页面不存在。"), 404

    @app.errorhandler(400)
    def bad_request(error):
        message = getattr(error, "description", None) or "请求无效。"
        if "CSRF" in str(message):
            message = "页面已过期或表单校验失败，请刷新页面后重试（已输入的内容不会丢失）。"
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(OperationalError)
    def database_busy(error):
        # Only lock contention is retryable; any other database error is a real 500.
        if not is_lock_timeout(error):
            raise error
        db.session.rollback()
        if request.is_json or request.accept_mimetypes.best == "application/json":
            return jsonify(error="busy", message=BUSY_MESSAGE), 503, retry_headers()
        return render_template("errors/error.html", code=503, message=BUSY_MESSAGE), 503, retry_headers()
    @app.errorhandler(429)
    def too_many_requests(error):
        message = getattr(error, "description", None) or "请求过于频繁，请稍后再试。"
        if not isinstance(message, str) or not message.strip() or "per" in message:
            message = "请求过于频繁，请稍后再试。"
        # Only a refused request says when to come back: with the limiter's headers on every
        # response, its rounding would also rewrite the Retry-After of a busy-database 503.
        return render_template("errors/error.html", code=429, message=message), 429, _retry_after_limit()

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_template("errors/error.html", code=500, message="服务器出错了，请稍后再试。"), 500


def _retry_after_limit() -> dict[str, str]:
    current = limiter.current_limit
    seconds = max(1, math.ceil(current.reset_at - time.time())) if current else 60
    return {"Retry-After": str(seconds)}
