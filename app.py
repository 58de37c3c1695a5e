"""Entry point: `flask --app app run`, `gunicorn 'app:app'`."""

from fazhi_prep import create_app

app = create_app()
