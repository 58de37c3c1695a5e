"""作答复核: list and filter attempts, override with a comment (seen by the candidate), rescore."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from fazhi_prep.extensions import db
from fazhi_prep.models import Attempt, Rescore, Role
from tests.conftest import login, make_user
from tests.practice_support import start, submit
from tests.test_bank_check import QUESTION, edit
from tests.test_bank_load import load
from tests.tutor_support import FULL_NOTICE, NOTICE, post_form, switch_user


@pytest.fixture
def attempts(app, client, mini_root):
    """Two candidates' attempts on t-01 (the second over-long, so flagged), then a tutor logged in."""
    load(app, mini_root)
    make_user("kao1")
    make_user("kao2")
    make_user("jiaoshi1", Role.TUTOR)
    login(client, "kao1")
    start(client)
    submit(client, FULL_NOTICE)
    switch_user(client, "kao2")
    start(client)
    submit(client, NOTICE + "\n" + "补充说明。" * 70)
    switch_user(client, "jiaoshi1")
    return db.session.scalars(select(Attempt).order_by(Attempt.id)).all()


def ids(page: str, attempts) -> list[int]:
    return [a.id for a in attempts if f'name="attempt" value="{a.id}"' in page]


def row(page: str, attempt_id: int) -> str:
    """The list row of an attempt."""
    start = page.index(f'id="pick-{attempt_id}"')
    return page[page.rindex("<tr>", 0, start):page.index("</tr>", start)]


def test_list_and_filters(client, attempts):
    first, second = attempts
    page = client.get("/tutor/attempts").get_data(as_text=True)
    assert ids(page, attempts) == [first.id, second.id] and "共 2 份作答" in page
    assert ids(client.get("/tutor/attempts?candidate=kao2").get_data(as_text=True), attempts) == [second.id]
    flagged = client.get("/tutor/attempts?flagged=y").get_data(as_text=True)
    assert ids(flagged, attempts) == [second.id] and "超出字数" in flagged
    qid = first.question_id
    assert len(ids(client.get(f"/tutor/attempts?question={qid}").get_data(as_text=True), attempts)) == 2
    today = datetime.now(UTC).astimezone().date()
    tomorrow = (today + timedelta(days=2)).isoformat()
    assert ids(client.get(f"/tutor/attempts?date_from={tomorrow}").get_data(as_text=True), attempts) == []
    assert len(ids(client.get(f"/tutor/attempts?date_to={tomorrow}").get_data(as_text=True), attempts)) == 2
    assert client.get("/tutor/attempts?date_from=not-a-date").status_code == 200


def test_override_is_seen_by_the_candidate(client, attempts):
    first = attempts[0]
    review = client.get(f"/tutor/attempts/{first.id}").get_data(as_text=True)
    assert "kao1" in review and "原始评分" in review
    response = post_form(client, f"/tutor/attempts/{first.id}/override",
                         {"score": "88.5", "comment": "要点齐全，<b>格式</b>规范。"}, page=f"/tutor/attempts/{first.id}")
    assert response.status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, first.id)
    assert attempt.override_score == 88.5 and attempt.override_by.username == "jiaoshi1"
    assert attempt.final_score == 88.5 and attempt.score != 88.5
    switch_user(client, "kao1")
    result = client.get(f"/attempts/{first.id}").get_data(as_text=True)
    assert "教师改分：88.5" in result and "要点齐全，&lt;b&gt;格式&lt;/b&gt;规范。" in result
    history = client.get("/me/history").get_data(as_text=True)
    assert "88.5" in history and "要点齐全" in history


def test_override_needs_a_comment_and_a_valid_score(client, attempts):
    first = attempts[0]
    page = f"/tutor/attempts/{first.id}"
    bad = post_form(client, f"{page}/override", {"score": "120", "comment": ""}, page=page)
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "分数应在 0 到 100 之间" in html and "请写评语" in html
    assert db.session.get(Attempt, first.id).override_score is None


def test_override_can_be_cleared(client, attempts):
    first = attempts[0]
    page = f"/tutor/attempts/{first.id}"
    post_form(client, f"{page}/override", {"score": "50", "comment": "再想想。"}, page=page)
    post_form(client, f"{page}/override/clear", {}, page=page)
    db.session.expire_all()
    assert db.session.get(Attempt, first.id).override_score is None


def test_rescore_with_the_current_version_keeps_both_results(app, client, attempts, mini_root):
    first, second = attempts
    original = (first.score, dict(first.result), first.rubric_id)
    edit(mini_root / QUESTION, "weight: 2", "weight: 6")
    load(app, mini_root)  # a new rubric version, v2
    page = client.get("/tutor/attempts").get_data(as_text=True)
    assert "当前 v2" in page
    response = post_form(client, "/tutor/attempts/rescore", {"attempt": [str(first.id)], "next": "/tutor/attempts"},
                         page="/tutor/attempts")
    assert response.headers["Location"] == "/tutor/attempts"
    listed = client.get("/tutor/attempts").get_data(as_text=True)
    assert "已用当前评分要点重新评分 1 份" in listed
    # the rescored row shows both versions; only the other one is still behind the current version
    assert "v1<br>" in row(listed, first.id) and "v2：" in row(listed, first.id)
    assert "当前 v2" not in row(listed, first.id) and "当前 v2" in row(listed, second.id)
    db.session.expire_all()
    attempt = db.session.get(Attempt, first.id)
    assert (attempt.score, attempt.result, attempt.rubric_id) == original
    [rescore] = attempt.rescores
    assert rescore.rubric.version == 2 and rescore.created_by_id is not None
    assert rescore.result["points"][0]["weight"] == 6
    review = client.get(f"/tutor/attempts/{first.id}").get_data(as_text=True)
    assert "原始评分" in review and "重新评分" in review and "v1" in review and "v2" in review
    # rescoring again with the same version adds nothing
    post_form(client, "/tutor/attempts/rescore", {"attempt": [str(first.id), str(second.id)]}, page="/tutor/attempts")
    assert db.session.scalar(select(Rescore.id).where(Rescore.attempt_id == second.id)) is not None
    assert len(db.session.scalars(select(Rescore).where(Rescore.attempt_id == first.id)).all()) == 1


def test_rescore_without_a_choice_says_so(client, attempts):
    response = post_form(client, "/tutor/attempts/rescore", {}, page="/tutor/attempts")
    assert "请先勾选" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_tutor_reviews_on_the_candidates_own_result_page(client, attempts):
    first = attempts[0]
    review = client.get(f"/tutor/attempts/{first.id}").get_data(as_text=True)
    # the practice result page itself: score card, points, model answer side by side ...
    for part in ('id="score-title"', 'id="points-title"', 'id="compare-title"', "你的答案"):
        assert part in review
    # ... with the review box under the score card, and no self-mark form (not the tutor's attempt)
    assert 'id="review"' in review and "教师复核 · kao1" in review
    assert review.index('id="score-title"') < review.index('id="review"') < review.index('id="points-title"')
    assert 'action="/attempts/' not in review.split('id="self"', 1)[-1].split("</section>", 1)[0]
    # the candidate's page, opened by a tutor, links to the review
    assert f'href="/tutor/attempts/{first.id}#review"' in client.get(f"/attempts/{first.id}").get_data(as_text=True)


def test_candidate_sees_rescores_beside_the_original(app, client, attempts, mini_root):
    first = attempts[0]
    edit(mini_root / QUESTION, "weight: 2", "weight: 6")
    load(app, mini_root)
    post_form(client, "/tutor/attempts/rescore", {"attempt": [str(first.id)]}, page="/tutor/attempts")
    switch_user(client, "kao1")
    page = client.get(f"/attempts/{first.id}").get_data(as_text=True)
    assert "重新评分" in page and "按评分要点 v2" in page and "按 v1 评的分" in page
    assert 'id="review"' not in page and "复核：改分" not in page


def test_the_rescore_card_speaks_of_what_the_page_shows_and_opens_in_full(app, client, attempts, mini_root):
    """With an override of 78 the card does not claim the page shows the system's score (issue 14)."""
    first = attempts[0]
    edit(mini_root / QUESTION, "weight: 2", "weight: 6")
    load(app, mini_root)
    post_form(client, "/tutor/attempts/rescore", {"attempt": [str(first.id)]}, page="/tutor/attempts")
    page = f"/tutor/attempts/{first.id}"
    review = client.get(page).get_data(as_text=True)
    assert f"上面的得分是提交时按 v1 评的分（{first.score:g} 分）" in review
    post_form(client, f"{page}/override", {"score": "78", "comment": "结构完整。"}, page=page)
    review = client.get(page).get_data(as_text=True)
    assert "上面显示的是教师改分（78 分），这是考生看到的分数。" in review
    assert f"系统在提交时按 v1 评的分是 {first.score:g} 分" in review and "上面的得分是提交时" not in review
    rescore = db.session.scalar(select(Rescore).where(Rescore.attempt_id == first.id))
    full_url = f"/tutor/attempts/{first.id}/rescores/{rescore.id}"
    assert f'href="{full_url}"' in review
    full = client.get(full_url).get_data(as_text=True)
    # the rescored result in full: its score card, points and version; the override named, not shown as its score
    assert "重新评分的完整结果" in full and f"{rescore.score:g}" in full
    assert "<dt>评分要点</dt><dd>v2</dd>" in full and 'id="points-title"' in full
    assert "教师改分：" not in full and "教师改分 78 分" in full
    assert client.get(f"/tutor/attempts/{first.id}/rescores/{rescore.id + 99}").status_code == 404
    # candidates see the card, without a link to a tutor page
    switch_user(client, "kao1")
    own = client.get(f"/attempts/{first.id}").get_data(as_text=True)
    assert "上面显示的是教师改分（78 分）。" in own and full_url not in own
    assert client.get(full_url).status_code == 403


@pytest.mark.parametrize("query", ["", "?candidate=kao%3Cb%3E&date_from=2026-01-02&date_to=bad&flagged=y&overridden=on",
                                   "?question=1&candidate=%22x%22"])
def test_filter_fields_are_the_widgets_markup(app, client, attempts, query):
    """The filter form is written out in the template: the same markup as AttemptFilterForm's widgets."""
    from werkzeug.datastructures import MultiDict

    from fazhi_prep.tutor.forms import AttemptFilterForm, choices
    from fazhi_prep.tutor.review import question_choices

    page = client.get(f"/tutor/attempts{query}").get_data(as_text=True)
    with app.test_request_context(f"/tutor/attempts{query}"):
        from flask import request

        form = AttemptFilterForm(MultiDict(request.args))
        form.question.choices = choices(question_choices())
        form.validate()
        expected = [
            f"{form.question.label}{form.question()}",
            f"{form.candidate.label}{form.candidate(placeholder='用户名')}",
            f"{form.date_from.label}{form.date_from()}",
            f"{form.date_to.label}{form.date_to()}",
            f"{form.flagged()} {form.flagged.label}",
            f"{form.overridden()} {form.overridden.label}",
        ]
    for markup in expected:
        assert markup in page, markup


def test_a_rescore_in_full_shows_its_own_points_after_the_original_was_shown(app, client, attempts, mini_root):
    """The original's points, rendered once per attempt (practice/result_parts.py), are not the rescore's."""
    first = attempts[0]
    edit(mini_root / QUESTION, "weight: 2", "weight: 6")
    load(app, mini_root)
    post_form(client, "/tutor/attempts/rescore", {"attempt": [str(first.id)]}, page="/tutor/attempts")
    rescore = db.session.scalar(select(Rescore).where(Rescore.attempt_id == first.id))

    def points(page: str) -> str:
        return page.split('<ol class="points">', 1)[1].split("</ol>", 1)[0]

    original = client.get(f"/tutor/attempts/{first.id}").get_data(as_text=True)
    full = client.get(f"/tutor/attempts/{first.id}/rescores/{rescore.id}").get_data(as_text=True)
    assert points(full) != points(original)
    maxima = [f"/ {p['max']:g} 分" for p in rescore.result["points"]]
    assert all(m in points(full) for m in maxima)
    assert points(client.get(f"/tutor/attempts/{first.id}").get_data(as_text=True)) == points(original)
