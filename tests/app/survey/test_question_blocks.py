"""Question blocks and section pages are kept between page views: whatever changes what they
show (an answer, its evidence, whether it is shown, the language, whether the page can be edited,
the submission's status, the campaign's title) shows at once."""

from __future__ import annotations

import datetime as dt
import re
import sys
from typing import Any

import pytest
from markupsafe import Markup

from app.survey.fragments import FragmentCache
from app.survey.models import SubmissionStatus
from tests.app.conftest import login, page_form
from tests.app.survey.test_section import url
from tests.factories import UserFactory


def inputs(html: str, name: str) -> list[str]:
    tags = re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert tags, name
    return tags


def checked(html: str, name: str) -> list[str]:
    """The values of the ticked radio buttons or boxes called `name`."""
    values = [re.search(r'value="([^"]*)"', tag) for tag in inputs(html, name) if "checked" in tag]
    return [value.group(1) for value in values if value]


def disabled(html: str, name: str) -> bool:
    return all(re.search(r"\sdisabled[\s>]", tag) for tag in inputs(html, name))


def without_signed_tokens(html: str) -> str:
    """The page without its CSRF token and page owner mark: signed with the time in seconds,
    they differ between two views a second apart while everything else stays the same."""
    return re.sub(r'(name="(?:csrf_token|page_owner)"[^>]*value=")[^"]*"', r'\1"', html)


def block(html: str, question_id: str) -> str:
    """The opening tag of a question's block."""
    match = re.search(rf'<div class="question[^"]*"\s+id="q-{re.escape(question_id)}"[^>]*>', html)
    assert match, question_id
    return match.group(0)


@pytest.fixture
def colleagues(app: Any, focal_point: Any, country: Any) -> tuple[Any, Any]:
    """Two focal points of one country, each signed in on a client of their own."""
    mine, theirs = app.test_client(), app.test_client()
    login(mine, focal_point)
    login(theirs, UserFactory(country=country))
    return mine, theirs


def test_a_colleagues_save_shows_on_the_next_view(
    submission: Any, colleagues: tuple[Any, Any]
) -> None:
    mine, theirs = colleagues
    first, _ = page_form(mine, url(submission))
    assert checked(first, "legal.law.exists") == []
    assert " hidden" in block(first, "legal.law.adopted")  # shown for a yes or a partial only
    again = page_form(mine, url(submission))[0]
    assert without_signed_tokens(again) == without_signed_tokens(first)  # nothing changed

    _, hidden = page_form(theirs, url(submission))
    saved = theirs.post(url(submission), data={**hidden, "legal.law.exists": "partial"})
    assert saved.status_code == 302

    after, hidden = page_form(mine, url(submission))
    assert checked(after, "legal.law.exists") == ["partial"]
    assert hidden["v:legal.law.exists"] == "1"
    assert " hidden" not in block(after, "legal.law.adopted")


def test_evidence_added_by_a_colleague_is_listed(
    submission: Any, colleagues: tuple[Any, Any]
) -> None:
    mine, theirs = colleagues
    link = "https://law.example.gov/cybercrime-act"
    assert link not in page_form(mine, url(submission))[0]
    _, hidden = page_form(theirs, url(submission))
    data = {**hidden, "legal.law.exists": "yes", "link:legal.law.exists": link}
    assert theirs.post(url(submission), data=data).status_code == 302
    assert link in page_form(mine, url(submission))[0]


def test_each_language_and_a_submitted_page_show_as_they_should(
    app: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    client = app.test_client()
    login(client, focal_point)
    english = client.get(url(submission), headers={"Accept-Language": "en"}).get_data(as_text=True)
    french = client.get(url(submission), headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "[en] Question legal.law.exists" in english
    assert "[fr] Question legal.law.exists" in french
    assert "[en] Question legal.law.exists" not in french
    assert not disabled(english, "legal.law.exists")

    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_dt = dt.datetime.now(dt.UTC)
    db_session.commit()
    read_only = client.get(url(submission), headers={"Accept-Language": "en"})
    assert disabled(read_only.text, "legal.law.exists")
    assert "read-only (Submitted for review)" in read_only.text

    # Not editable either way, but the page says which.
    submission.status = SubmissionStatus.VALIDATED
    db_session.commit()
    validated = client.get(url(submission), headers={"Accept-Language": "en"}).text
    assert "read-only (Validated)" in validated


def test_a_renamed_campaign_shows_at_once(
    client: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    assert "Test campaign" in client.get(url(submission)).text
    submission.campaign.title = "Cyber readiness 2027"
    db_session.commit()
    page = client.get(url(submission)).text
    assert "Cyber readiness 2027" in page
    assert "Test campaign" not in page


def test_the_cache_keeps_the_most_recently_used_blocks_up_to_its_budget() -> None:
    a, b, c = (Markup.escape(letter * 1000) for letter in "abc")
    cache = FragmentCache(sys.getsizeof(a) * 2)
    cache.put(("a",), a)
    cache.put(("b",), b)
    assert cache.get(("a",)) == a  # now the most recently used
    cache.put(("c",), c)
    assert (cache.get(("a",)), cache.get(("b",)), cache.get(("c",))) == (a, None, c)
    assert len(cache) == 2
    assert cache.used == sys.getsizeof(a) * 2
    small = Markup.escape("c")
    cache.put(("c",), small)  # replaced: the budget counts the new text only
    assert cache.used == sys.getsizeof(a) + sys.getsizeof(small)
    cache.put(("big",), Markup.escape("x" * 5000))  # larger than the whole budget: not kept
    assert cache.get(("big",)) is None
    assert len(cache) == 2
    off = FragmentCache(0)
    off.put(("a",), a)
    assert off.get(("a",)) is None
