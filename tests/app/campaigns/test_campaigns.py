from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.campaigns.operations import CampaignError, campaign_definition, create_campaign
from app.survey.models import SubmissionStatus
from questionnaires.export import content_hash
from questionnaires.loader import definition_from_json
from tests.app.conftest import DEFINITION, campaign_submissions
from tests.factories import CountryFactory

TODAY = dt.date(2026, 3, 1)


def test_a_campaign_freezes_its_definition_and_opens_a_draft_per_country(db_session: Any) -> None:
    countries = CountryFactory.create_batch(3)
    definition = definition_from_json(DEFINITION)
    campaign = create_campaign(definition, "Cycle 2026", TODAY, TODAY + dt.timedelta(days=90))
    assert campaign.definition_hash == content_hash(definition)
    assert campaign_definition(campaign) == definition
    submissions = campaign_submissions(campaign)
    assert {s.country_id for s in submissions} == {c.id for c in countries}
    assert {s.status for s in submissions} == {SubmissionStatus.DRAFT}


def test_a_version_changed_since_a_campaign_used_it_is_refused(db_session: Any) -> None:
    definition = definition_from_json(DEFINITION)
    create_campaign(definition, "Cycle 2026", TODAY, TODAY + dt.timedelta(days=90))
    edited = {**DEFINITION, "title": {**DEFINITION["title"], "en": "Edited title"}}
    with pytest.raises(CampaignError, match="raise its version"):
        create_campaign(definition_from_json(edited), "Cycle 2027", TODAY, TODAY)
    # Raising the version is the way to change it.
    create_campaign(definition_from_json({**edited, "version": 2}), "Cycle 2027", TODAY, TODAY)


def test_closing_before_opening_is_refused(db_session: Any) -> None:
    definition = definition_from_json(DEFINITION)
    with pytest.raises(CampaignError, match="closing date"):
        create_campaign(definition, "Backwards", TODAY, TODAY - dt.timedelta(days=1))
