"""A database whose data is committed, for tests where other processes do the work.

The savepoint fixtures keep each test's data in one uncommitted transaction, which worker
processes (a process pool, RQ workers, the command line) cannot see. These tests get a database
of their own instead, seeded once per module; they must not use the savepoint fixtures
(`db_session`, `client`, `app_context`), which rebind the shared session.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import select

from app import db
from app.auth.models import Role
from app.auth.operations import create_user
from app.campaigns.operations import create_campaign
from app.countries.models import Country
from app.countries.operations import sync_countries
from app.db import utcnow
from app.demo.answers import generate_answers
from app.survey import operations as survey
from app.survey.models import Submission, SubmissionStatus
from app.transactions import transactional
from questionnaires.answers import parse_answers
from questionnaires.loader import get_definition
from tests.support import database

QUESTIONNAIRE = "national-cybersecurity"


committed_app = database.committed_app


@dataclass(frozen=True)
class Seeded:
    campaign_id: int
    published: dict[str, int]  # ISO3 -> submission id
    unpublished: dict[str, int]  # answered, not published


def seed(app: Flask, published: tuple[str, ...], unpublished: tuple[str, ...] = ()) -> Seeded:
    """Every country, a national campaign, and answers for the countries named."""
    with app.app_context():
        return transactional(_seed)(published, unpublished)


def _seed(published: tuple[str, ...], unpublished: tuple[str, ...]) -> Seeded:
    sync_countries()
    definition = get_definition(QUESTIONNAIRE)
    today = dt.datetime.now(dt.UTC).date()
    campaign = create_campaign(definition, "Bulk test campaign", today, today)
    author = create_user("author@example.org", None, Role.ADMIN, name="Author")
    rng = random.Random(7)  # noqa: S311 - the same answers every run
    ids: dict[str, int] = {}
    for iso3 in (*published, *unpublished):
        submission = db.session.scalars(
            select(Submission)
            .join(Country)
            .where(Submission.campaign_id == campaign.id, Country.iso3 == iso3)
        ).one()
        raw = generate_answers(definition, rng.uniform(0.2, 0.9), rng)
        survey.save_answers(submission, parse_answers(definition, raw), {}, author)
        if iso3 in published:
            submission.status = SubmissionStatus.PUBLISHED
            submission.published_dt = submission.validated_dt = utcnow()
        ids[iso3] = submission.id
    db.session.flush()
    return Seeded(
        campaign.id,
        {iso3: ids[iso3] for iso3 in published},
        {iso3: ids[iso3] for iso3 in unpublished},
    )


def in_app(app: Flask, func: Any, *args: Any, **kwargs: Any) -> Any:
    """`func` in a transaction of its own, in a fresh app context (as a worker would)."""
    with app.app_context():
        return transactional(func)(*args, **kwargs)
