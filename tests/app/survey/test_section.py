"""Filling in a section page: rendering, saving all or nothing, conflicts, kept input."""

from __future__ import annotations

import html as html_lib
from typing import Any

import pytest
from sqlalchemy import select

from app.survey.models import Answer
from tests.app.conftest import login, page_form
from tests.factories import UserFactory


def url(submission: Any, section: str = "legal") -> str:
    return f"/survey/{submission.id}/{section}"


def answers_of(db_session: Any, submission: Any) -> dict[str, Any]:
    db_session.expire_all()
    rows = db_session.scalars(select(Answer).where(Answer.submission_id == submission.id))
    return {row.question_id: row.value for row in rows}


@pytest.mark.parametrize("lang", ["en", "ar", "zh"])
def test_section_page_shows_the_questions_in_the_users_language(
    client: Any, submission: Any, focal_point: Any, lang: str
) -> None:
    login(client, focal_point)
    response = client.get(url(submission, "technical"), headers={"Accept-Language": lang})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"[{lang}] Question technical.cirt.exists" in text
    assert f"[{lang}] Level 3 description" in text
    assert 'data-show-if="' in text
    # The follow-up question is hidden until the CIRT exists.
    assert 'id="q-technical.cirt.staff"' in text
    assert text.index('id="q-technical.cirt.staff"') < text.index(
        "hidden", text.index('id="q-technical.cirt.staff"')
    )


def test_save_stores_every_answer_in_normal_form(
    client: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    _, hidden = page_form(client, url(submission))
    data = {
        **hidden,
        "legal.law.exists": "partial",
        "legal.law.adopted": "2024-05-01",
        "legal.law.offences": ["fraud", "access"],
        "legal.law.remarks": "  Draft in parliament  ",
    }
    response = client.post(url(submission), data=data)
    assert response.status_code == 302
    assert answers_of(db_session, submission) == {
        "legal.law.exists": "partial",
        "legal.law.adopted": "2024-05-01",
        "legal.law.offences": ["access", "fraud"],
        "legal.law.remarks": "Draft in parliament",
    }
    db_session.refresh(submission)
    assert submission.revision == 1


def test_an_invalid_answer_saves_nothing_and_keeps_the_input(
    client: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    _, hidden = page_form(client, url(submission, "technical"))
    data = {
        **hidden,
        "technical.cirt.exists": "yes",
        "technical.cirt.staff": "twelve",
        "technical.cirt.site": "https://cirt.example.org\nnot a url",
    }
    response = client.post(url(submission, "technical"), data=data)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a number." in text
    assert "Enter full web addresses" in text
    assert 'value="twelve"' in text  # what was typed is still in the form
    assert answers_of(db_session, submission) == {}


def test_numbers_accept_a_decimal_comma_and_spaces(
    client: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    _, hidden = page_form(client, url(submission, "technical"))
    data = {**hidden, "technical.cirt.exists": "yes", "technical.cirt.staff": "1 200"}
    assert client.post(url(submission, "technical"), data=data).status_code == 302
    assert answers_of(db_session, submission)["technical.cirt.staff"] == 1200


def test_not_applicable_only_where_allowed(
    client: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    _, hidden = page_form(client, url(submission, "technical"))
    ok = client.post(url(submission, "technical"), data={**hidden, "technical.cirt.kind": "n/a"})
    assert ok.status_code == 302
    assert answers_of(db_session, submission)["technical.cirt.kind"] == "n/a"
    _, hidden = page_form(client, url(submission, "technical"))
    refused = client.post(
        url(submission, "technical"), data={**hidden, "technical.cirt.exists": "n/a"}
    )
    assert refused.status_code == 422


def test_edit_conflict_shows_both_values_and_lets_the_user_choose(
    app: Any, client: Any, db_session: Any, submission: Any, focal_point: Any, country: Any
) -> None:
    colleague = UserFactory(country=country)
    login(client, focal_point)
    _, mine = page_form(client, url(submission))
    other = app.test_client()
    login(other, colleague)
    _, theirs = page_form(other, url(submission))

    assert other.post(url(submission), data={**theirs, "legal.law.exists": "no"}).status_code == 302
    response = client.post(url(submission), data={**mine, "legal.law.exists": "yes"})
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert colleague.email in text
    assert 'class="their-value">[en] No' not in text  # labels are the UI's, not the definition's
    assert 'class="their-value">No</dd>' in text
    assert 'class="your-value">Yes</dd>' in text
    assert answers_of(db_session, submission)["legal.law.exists"] == "no"

    # Saving the returned page again is a choice made knowing their answer: it keeps mine.
    _, again = page_form_from(text)
    assert (
        client.post(url(submission), data={**again, "legal.law.exists": "yes"}).status_code == 302
    )
    assert answers_of(db_session, submission)["legal.law.exists"] == "yes"


def test_keeping_their_answer_leaves_it_in_place(
    app: Any, client: Any, db_session: Any, submission: Any, focal_point: Any, country: Any
) -> None:
    colleague = UserFactory(country=country)
    login(client, focal_point)
    _, mine = page_form(client, url(submission))
    other = app.test_client()
    login(other, colleague)
    _, theirs = page_form(other, url(submission))
    other.post(url(submission), data={**theirs, "legal.law.exists": "no"})
    text = client.post(url(submission), data={**mine, "legal.law.exists": "yes"}).get_data(
        as_text=True
    )
    _, again = page_form_from(text)
    data = {**again, "legal.law.exists": "yes", "take_theirs:legal.law.exists": "1"}
    assert client.post(url(submission), data=data).status_code == 302
    assert answers_of(db_session, submission)["legal.law.exists"] == "no"


def test_the_same_save_twice_creates_nothing_twice(
    client: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    _, hidden = page_form(client, url(submission))
    data = {**hidden, "legal.law.exists": "yes"}
    assert client.post(url(submission), data=data).status_code == 302
    assert client.post(url(submission), data=data).status_code == 302  # a double click
    db_session.refresh(submission)
    assert submission.revision == 1


def test_long_answers_in_any_script_are_kept(
    client: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    _, hidden = page_form(client, url(submission))
    long_text = ("网络安全法草案已提交议会审议。" * 10000 + "قانون الجرائم الإلكترونية " * 4000)[
        :200_000
    ]
    data = {**hidden, "legal.law.remarks": long_text}
    assert client.post(url(submission), data=data).status_code == 302
    assert answers_of(db_session, submission)["legal.law.remarks"] == long_text.strip()


def test_markup_in_answers_comes_back_escaped(
    client: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    _, hidden = page_form(client, url(submission))
    attack = '<script>alert(1)</script><img src=x onerror=alert(2)>"'
    data = {**hidden, "legal.law.remarks": attack, "link:legal.law.exists": "https://x.example/<b>"}
    client.post(url(submission), data=data)
    text = client.get(url(submission)).get_data(as_text=True)
    assert "<script>alert(1)" not in text
    assert "<img src=x" not in text
    assert (
        html_lib.escape(attack, quote=False).replace('"', "&#34;") in text
        or "&lt;script&gt;" in text
    )


def page_form_from(text: str) -> tuple[str, dict[str, str]]:
    import re

    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', text))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text)
    assert token
    hidden["csrf_token"] = token.group(1)
    return text, hidden
