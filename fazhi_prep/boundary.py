"""The request boundary: what every view may assume about its input.

One place, before any view or form sees a request:

- text from forms, query strings and JSON has NUL bytes and lone surrogates
  removed: PostgreSQL refuses NUL in text, neither database can encode a lone
  surrogate, and a refused write would lose a candidate's answer. Nothing a
  person typed is lost by this: neither can be typed or displayed.
- a JSON body is an object, nested at most a few levels (the autosave and the
  preview send flat objects); anything else is a 400, not a RecursionError.
- forms are filled from form posts only, never from a JSON body, so a JSON
  value of the wrong type (a number, a list) cannot reach a validator.
- ``<int:…>`` URL parts and ``?page=`` stay within what the databases store
  (a 32-bit integer column): a larger id is a page that does not exist (404),
  as is a URL part holding NUL or a lone surrogate.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, abort, jsonify, request
from flask_wtf import FlaskForm
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

MAX_JSON_DEPTH = 16
MAX_DB_INT = 2**31 - 1
MAX_PAGE = 1_000_000
BAD_JSON = "请求格式不正确。"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def is_small_int(text: str | None) -> bool:
    """ASCII digits that fit a database integer column ("²" is a digit to str.isdigit, not to int)."""
    return bool(text) and len(text) <= 10 and text.isascii() and text.isdigit() and int(text) <= MAX_DB_INT


def clean_input_text(text: str) -> str:
    """``text`` without NUL bytes and lone surrogates (the shared rule for every input)."""
    return _UNSTORABLE.sub("", text)


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` that matches only ids a database column can hold."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_DB_INT)
        super().__init__(map, *args, **kwargs)


def _form_data_only(self, form, formdata):
    # flask-wtf would build forms from a JSON body; no form here is meant to be
    # filled that way, and JSON values of other types crash wtforms validators.
    from flask_wtf.form import _Auto, _is_submitted

    if formdata is _Auto:
        if not _is_submitted():
            return None
        if request.files:
            from werkzeug.datastructures import CombinedMultiDict

            return CombinedMultiDict((request.files, request.form))
        return request.form or None
    return formdata


def _clean_multidict(data: ImmutableMultiDict) -> ImmutableMultiDict | None:
    if not any(_UNSTORABLE.search(k) or _UNSTORABLE.search(v) for k, v in data.items(multi=True)):
        return None
    return ImmutableMultiDict(
        [(clean_input_text(k), clean_input_text(v)) for k, v in data.items(multi=True)]
    )


def _clean_json(value: Any, depth: int = 0) -> Any:
    if depth > MAX_JSON_DEPTH:
        raise ValueError("too deep")
    if isinstance(value, str):
        return clean_input_text(value)
    if isinstance(value, list):
        return [_clean_json(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {clean_input_text(k): _clean_json(v, depth + 1) for k, v in value.items()}
    return value


def _refuse_json():
    response = jsonify(error="invalid", message=BAD_JSON)
    response.status_code = 400
    abort(response)


def _check_json_body() -> None:
    raw = request.get_data(cache=True)
    if not raw.strip():
        _refuse_json()
    try:
        data = _clean_json(json.loads(raw))
    except (ValueError, RecursionError):
        _refuse_json()
    if not isinstance(data, dict):
        _refuse_json()
    request._cached_json = (data, data)  # what get_json() returns from now on


def _check_page_arg() -> None:
    page = request.args.get("page")
    if page is None:
        return
    if not is_small_int(page) or not 1 <= int(page) <= MAX_PAGE:
        abort(404)


def _check_view_args() -> None:
    # A NUL or lone surrogate in a URL part names nothing (and PostgreSQL
    # refuses NUL even in a lookup): the page does not exist.
    for value in (request.view_args or {}).values():
        if isinstance(value, str) and _UNSTORABLE.search(value):
            abort(404)


def clean_request() -> None:
    """Runs before every other before_request function (CSRF included)."""
    _check_view_args()
    args = _clean_multidict(request.args)
    if args is not None:
        request.args = args
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.is_json:
            _check_json_body()
        else:
            form = _clean_multidict(request.form)
            if form is not None:
                request.form = form
    _check_page_arg()


def register_boundary(app: Flask) -> None:
    """Call right after creating the app: before routes are added and before CSRFProtect."""
    app.url_map.converters["int"] = BoundedIntConverter
    FlaskForm.Meta.wrap_formdata = _form_data_only
    app.before_request_funcs.setdefault(None, []).insert(0, clean_request)
