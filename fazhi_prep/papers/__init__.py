"""模拟考试: papers of several questions answered in one sitting under one clock."""

from flask import Blueprint

bp = Blueprint("papers", __name__)

from . import routes, tutor_routes  # noqa: E402,F401
