"""评分校准 (learn to assess): candidates mark tutors' sample answers and compare."""

from flask import Blueprint

bp = Blueprint("calibration", __name__, url_prefix="/calibration")

from . import routes  # noqa: E402,F401
