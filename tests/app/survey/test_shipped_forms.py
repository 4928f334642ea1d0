"""The shipped questionnaires become working forms in each of the six languages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import BaseModel

from app.campaigns.operations import create_campaign
from app.survey.forms import section_form_class
from questionnaires.export import content_hash
from questionnaires.loader import shipped_definitions
from questionnaires.schema import LANGUAGES, Definition, Text
from tests.app.conftest import login, submission_of
from tests.factories import UserFactory

SHIPPED = shipped_definitions()


def texts(node: object) -> list[Text]:
    """Every Text anywhere in a definition."""
    if isinstance(node, Text):
        return [node]
    if isinstance(node, BaseModel):
        return [t for name in type(node).model_fields for t in texts(getattr(node, name))]
    if isinstance(node, tuple | list):
        return [t for item in node for t in texts(item)]
    if isinstance(node, dict):
        return [t for item in node.values() for t in texts(item)]
    return []


@pytest.mark.parametrize("definition", SHIPPED, ids=lambda d: d.id)
def test_every_text_is_in_all_six_languages(definition: Definition) -> None:
    found = texts(definition)
    assert len(found) > 100
    for text in found:
        for lang in LANGUAGES:
            assert getattr(text, lang).strip(), (definition.id, text.en, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("definition", SHIPPED, ids=lambda d: d.id)
def test_every_section_builds_a_form_with_a_field_per_question(
    app: Any, definition: Definition, lang: str
) -> None:
    digest = content_hash(definition)
    with app.test_request_context(headers={"Accept-Language": lang}):
        for section in definition.sections:
            form_class = section_form_class(definition, digest, section, lang)
            assert section_form_class(definition, digest, section, lang) is form_class  # reused
            form = form_class(formdata=None)
            for question in section.questions():
                assert form[question.id].label.text == question.text.get(lang)


@pytest.mark.parametrize("definition", SHIPPED, ids=lambda d: d.id)
def test_every_section_page_renders_in_every_language(
    client: Any, db_session: Any, definition: Definition
) -> None:
    from tests.factories import CountryFactory

    country = CountryFactory()
    today = dt.datetime.now(dt.UTC).date()
    campaign = create_campaign(definition, "Shipped", today, today + dt.timedelta(days=10))
    submission = submission_of(campaign, country)
    login(client, UserFactory(country=country))
    for lang in LANGUAGES:
        for section in definition.sections:
            response = client.get(
                f"/survey/{submission.id}/{section.id}", headers={"Accept-Language": lang}
            )
            assert response.status_code == 200
            assert section.title.get(lang) in response.get_data(as_text=True)
