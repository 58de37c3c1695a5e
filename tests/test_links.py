"""row_links: one url_for per list page, the same URLs as url_for per row."""

from __future__ import annotations

import pytest
from flask import url_for

from fazhi_prep.links import row_links


@pytest.mark.parametrize("slug", ["bc-01", "t-01", "a b", "题目/1", "x?y#z", "100%", "<b>&'\""])
def test_string_arguments_are_quoted_as_url_for_quotes_them(app, slug):
    with app.test_request_context():
        assert row_links("questions.detail", "slug")(slug) == url_for("questions.detail", slug=slug)
        assert row_links("practice.workspace", "slug")(slug) == url_for("practice.workspace", slug=slug)


def test_int_arguments_and_other_values(app):
    with app.test_request_context():
        link = row_links("practice.attempt", "attempt_id")
        for attempt_id in (1, 42, 918273645, 10**12):
            assert link(attempt_id) == url_for("practice.attempt", attempt_id=attempt_id)
        assert row_links("admin.change_role", "user_id")(7) == "/admin/users/7/role"


def test_an_argument_that_is_not_in_the_path_is_refused(app):
    with app.test_request_context(), pytest.raises(ValueError):
        row_links("questions.index", "page")
