"""A condition may read a question of an earlier section, which may be conditional itself: a
section's page reads the answers its conditions depend on, however far back they are."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.survey.progress import section_scope
from questionnaires.loader import definition_from_json
from questionnaires.schema import Definition
from tests.app.conftest import DEFINITION, login, page_form


def _with_staff_after_adoption() -> dict[str, Any]:
    """The test survey, where the CIRT's staff is asked once a law's adoption date is given;
    that date is asked only when a law exists (an earlier section)."""
    data = copy.deepcopy(DEFINITION)
    cirt = data["pillars"][1]["indicators"][0]["questions"]
    staff = next(q for q in cirt if q["id"] == "technical.cirt.staff")
    staff["show_if"] = {"question": "legal.law.adopted", "answered": True}
    return data


@pytest.fixture
def definition() -> Definition:
    return definition_from_json(_with_staff_after_adoption())


def test_a_sections_scope_follows_its_conditions_back_to_earlier_sections(
    definition: Definition,
) -> None:
    legal, technical = definition.sections
    assert section_scope(definition, technical) == {
        *(q.id for q in technical.questions()),
        "legal.law.adopted",
        "legal.law.exists",
    }
    assert section_scope(definition, legal) == {q.id for q in legal.questions()}


def _staff_hidden(page: str) -> bool:
    start = page.index('id="q-technical.cirt.staff"')
    return page[start : page.index(">", start)].rstrip().endswith("hidden")


def _save_legal(client: Any, submission: Any, **answers: str) -> None:
    _, hidden = page_form(client, f"/survey/{submission.id}/legal")
    response = client.post(f"/survey/{submission.id}/legal", data={**hidden, **answers})
    assert response.status_code == 302


def test_the_page_and_autosave_apply_a_chain_of_conditions_from_an_earlier_section(
    client: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    technical = f"/survey/{submission.id}/technical"
    page, hidden = page_form(client, technical)
    assert _staff_hidden(page)

    law = {"legal.law.exists": "yes", "legal.law.adopted": "2024-05-01"}
    _save_legal(client, submission, **law)
    page, hidden = page_form(client, technical)
    assert not _staff_hidden(page)
    saved = client.post(
        f"{technical}/autosave",
        data={"v:technical.cirt.exists": "0", "technical.cirt.exists": "yes"},
        headers={"Accept": "application/json", "X-CSRFToken": hidden["csrf_token"]},
    )
    # The staff question counts among the section's questions while it is shown.
    assert saved.get_json()["progress"]["total"] == 5

    # No law: its adoption date is hidden, so it reveals nothing although it is still stored.
    _save_legal(client, submission, **{**law, "legal.law.exists": "no"})
    page, _ = page_form(client, technical)
    assert _staff_hidden(page)
    saved = client.post(
        f"{technical}/autosave",
        data={"v:technical.cirt.exists": "1", "technical.cirt.exists": "no"},
        headers={"Accept": "application/json", "X-CSRFToken": hidden["csrf_token"]},
    )
    assert saved.get_json()["progress"]["total"] == 4


def _earlier_answers(page: str) -> dict[str, Any]:
    import html
    import json
    import re

    match = re.search(r'<form[^>]*id="section-form"[^>]*data-answers="([^"]*)"', page, re.S)
    return json.loads(html.unescape(match.group(1))) if match else {}


def test_the_page_gives_its_script_the_earlier_answers_its_conditions_read(
    client: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    technical = f"/survey/{submission.id}/technical"
    assert _earlier_answers(page_form(client, technical)[0]) == {}
    _save_legal(
        client, submission, **{"legal.law.exists": "yes", "legal.law.adopted": "2020-05-01"}
    )
    assert _earlier_answers(page_form(client, technical)[0]) == {
        "legal.law.adopted": "2020-05-01",
        "legal.law.exists": "yes",
    }
    # Another date shows nothing else on the page (the staff question stays shown), yet the
    # page kept from before must not be served: the script would read the old date.
    law = {"legal.law.exists": "yes", "legal.law.adopted": "2021-06-02"}
    _save_legal(client, submission, **law)
    page = page_form(client, technical)[0]
    assert not _staff_hidden(page)
    assert _earlier_answers(page)["legal.law.adopted"] == "2021-06-02"
    # A hidden question's answer is no answer to the script either (nor to the server).
    _save_legal(client, submission, **{**law, "legal.law.exists": "no"})
    assert _earlier_answers(page_form(client, technical)[0]) == {"legal.law.exists": "no"}
