"""App-wide web concerns: security headers, error pages, template helpers."""

from __future__ import annotations

from flask import Flask, render_template

from .extensions import db
from .models import ROLE_LABELS, Role
from .text import render_markdown

GENRE_LABELS_FALLBACK = "其他"

# No inline scripts or styles anywhere, so the policy can be strict.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def register_web(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["ROLE_LABELS"] = ROLE_LABELS
    app.jinja_env.globals["Role"] = Role

    @app.context_processor
    def inject_forms():
        from .auth.forms import EmptyForm

        return {"logout_form": EmptyForm()}

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

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_template("errors/error.html", code=500, message="服务器出错了，请稍后再试。"), 500
