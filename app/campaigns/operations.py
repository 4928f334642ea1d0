"""Campaigns: opening a survey cycle on a frozen copy of a questionnaire definition."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select

from app import audit, db
from app.audit import AuditKind
from app.campaigns.models import Campaign
from app.countries.models import Country
from app.survey.models import Submission
from questionnaires.export import content_hash
from questionnaires.loader import definition_from_json, definition_to_json
from questionnaires.schema import Definition

logger = logging.getLogger(__name__)


class CampaignError(ValueError):
    """A campaign that cannot be created as asked; the message says why."""


def create_campaign(
    definition: Definition, title: str, opens_on: dt.date, closes_on: dt.date
) -> Campaign:
    """Freeze `definition` into a new campaign with a draft submission for every country."""
    if closes_on < opens_on:
        raise CampaignError("The closing date is before the opening date.")
    digest = content_hash(definition)
    _check_version_unchanged(definition, digest)
    campaign = Campaign(
        title=title,
        questionnaire_id=definition.id,
        questionnaire_version=definition.version,
        definition=definition_to_json(definition),
        definition_hash=digest,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    db.session.add(campaign)
    db.session.flush()
    country_ids = db.session.scalars(select(Country.id).order_by(Country.id)).all()
    db.session.add_all(Submission(campaign_id=campaign.id, country_id=cid) for cid in country_ids)
    db.session.flush()
    audit.record(
        "campaigns",
        f'Campaign "{title}" created on {definition.id} version {definition.version}',
        kind=AuditKind.POSITIVE,
        meta={"campaign_id": campaign.id, "definition_hash": digest},
    )
    return campaign


def _check_version_unchanged(definition: Definition, digest: str) -> None:
    """A version already used by a campaign must not have changed since: raise `version`."""
    used = db.session.scalars(
        select(Campaign.definition_hash).where(
            Campaign.questionnaire_id == definition.id,
            Campaign.questionnaire_version == definition.version,
        )
    ).first()
    if used is not None and used != digest:
        raise CampaignError(
            f"{definition.id} version {definition.version} has changed since a campaign used it; "
            "raise its version before opening a new campaign."
        )


#: Frozen definitions by content hash: parsed once per process, shared by every request.
_frozen_definitions: dict[str, Definition] = {}


def campaign_definition(campaign: Campaign) -> Definition:
    """The campaign's frozen definition (the same object for every campaign with that content)."""
    definition = _frozen_definitions.get(campaign.definition_hash)
    if definition is None:
        definition = definition_from_json(campaign.definition)
        _frozen_definitions[campaign.definition_hash] = definition
    return definition


def is_open(campaign: Campaign, today: dt.date | None = None) -> bool:
    today = today or dt.datetime.now(dt.UTC).date()
    return campaign.opens_on <= today <= campaign.closes_on
