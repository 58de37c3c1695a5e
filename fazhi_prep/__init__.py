"""fazhi_prep: 申论 practice on 法治政府建设."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .boundary import register_boundary
from .config import PROJECT_ROOT, build_config
from .extensions import csrf, db, limiter, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    """Application factory: binds extensions and blueprints; touches no database."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(build_config(app.instance_path, config))
    _ensure_sqlite_folder(app)
    _trust_proxy(app)
    register_boundary(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    from . import denormalized, models  # noqa: F401  (models and flush hooks registered before use)
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .calibration import bp as calibration_bp
    from .cli import register_cli
    from .health import bp as health_bp
    from .papers import bp as papers_bp
    from .practice import bp as practice_bp
    from .questions import bp as questions_bp
    from .tutor import bp as tutor_bp
    from .web import register_web

    app.register_blueprint(auth_bp)
    app.register_blueprint(questions_bp)
    app.register_blueprint(practice_bp)
    app.register_blueprint(tutor_bp)
    app.register_blueprint(calibration_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(papers_bp)
    app.register_blueprint(health_bp)
    register_web(app)
    register_cli(app)
    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # WAL lets readers and the autosave writer work at once; SQLite leaves FKs off by default.
    # The busy timeout is the driver's `timeout` (SQLITE_BUSY_TIMEOUT), set per engine.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL still never corrupts the database and keeps every commit across an
        # application crash; only a power cut may lose the last commits. It spares an fsync per
        # commit, which is most of an autosave's time.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _trust_proxy(app: Flask) -> None:
    # Only behind a proxy that sets them may X-Forwarded-For/-Proto be believed:
    # otherwise anyone could pick the address the login throttle counts.
    hops = int(app.config.get("TRUST_PROXY") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _ensure_sqlite_folder(app: Flask) -> None:
    # The default database lives in the instance folder, which a fresh clone lacks.
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)


__all__ = ["create_app"]
