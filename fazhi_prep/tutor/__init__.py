"""The tutor workspace: author questions, rubrics, model answers and test sets; review attempts."""

from flask import Blueprint

bp = Blueprint("tutor", __name__, url_prefix="/tutor")

from . import content_routes, errors_routes, review_routes, routes, rubric_routes  # noqa: E402,F401
