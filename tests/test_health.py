from sqlalchemy import text

from fazhi_prep.extensions import db
from fazhi_prep.models import Genre, Question


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def _add_question(published: bool = True) -> None:
    db.session.add(Genre(key="tongzhi", label="通知"))
    db.session.add(
        Question(slug="r-01", title="就绪检查", genre_key="tongzhi", prompt="写一则通知。", minutes=40, published=published)
    )
    db.session.commit()


def test_readyz_ready_with_schema_at_head_and_bank_loaded(client):
    _add_question()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ready",
        "checks": {"database": True, "schema": True, "bank": True},
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_not_ready_before_the_bank_is_loaded(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "not_ready",
        "checks": {"database": True, "schema": True, "bank": False},
    }


def test_readyz_not_ready_when_only_drafts_exist(client):
    _add_question(published=False)
    assert client.get("/readyz").get_json()["checks"]["bank"] is False


def test_readyz_not_ready_when_the_schema_is_behind(client):
    _add_question()
    (revision,) = db.session.scalars(text("SELECT version_num FROM alembic_version")).all()
    db.session.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    db.session.commit()
    try:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.get_json()["checks"] == {"database": True, "schema": False, "bank": True}
    finally:
        db.session.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
        db.session.commit()


def test_readyz_not_ready_when_the_database_is_unreachable(tmp_path):
    from fazhi_prep import create_app

    missing = tmp_path / "no-such-dir" / "db.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})
    with app.app_context():
        response = app.test_client().get("/readyz")
        db.engine.dispose()
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": False, "schema": False, "bank": False}


def test_readyz_not_ready_on_an_empty_database(tmp_path):
    from fazhi_prep import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e.db'}"})
    with app.app_context():
        response = app.test_client().get("/readyz")
        db.engine.dispose()
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": True, "schema": False, "bank": False}
