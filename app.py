"""Entry point: `flask --app app run`, `gunicorn 'app:app'`."""

from fazhi_prep import create_app
from fazhi_prep.config import ConfigError

try:
    app = create_app()
except ConfigError as exc:
    # A missing SECRET_KEY is a set-up step, not a bug: one line saying what to do
    # instead of a traceback from inside the CLI's app loader.
    raise SystemExit(f"Error: {exc}") from None
