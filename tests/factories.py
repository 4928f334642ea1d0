"""factory_boy factories bound to the app's session; each flushes, none commits."""

from __future__ import annotations

import datetime as dt
import itertools
import string
from functools import cache
from typing import Any

import factory
from factory.alchemy import SQLAlchemyModelFactory

from app import db
from app.auth.models import Role, User
from app.auth.passwords import hash_password
from app.campaigns.models import Campaign
from app.countries.models import Country, Region
from app.survey.models import Answer, Submission

DEFAULT_PASSWORD = "correct horse battery staple"


@cache
def default_password_hash() -> str:
    """argon2 is slow on purpose; hash the shared test password once per run."""
    return hash_password(DEFAULT_PASSWORD)


class BaseFactory(SQLAlchemyModelFactory):  # type: ignore[misc]
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - resolved per test
        sqlalchemy_session_persistence = "flush"


#: ISO 3166 keeps these alpha-2 codes for private use, so no real country ever has one. Each test
#: rolls back, so the codes can come round again in later tests.
_CODES = itertools.cycle(
    ["AA", "ZZ", *(f"Q{c}" for c in "MNOPQRSTUVWXYZ"), *(f"X{c}" for c in string.ascii_uppercase)]
)


class CountryFactory(BaseFactory):
    """Countries with user-assigned ISO codes: they never clash with real ones."""

    class Meta:
        model = Country

    iso2 = factory.LazyFunction(lambda: next(_CODES))
    iso3 = factory.LazyAttribute(lambda o: f"{o.iso2}X")
    region = Region.EUROPE


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Sequence(lambda n: f"User {n}")
    role = Role.FOCAL_POINT
    country = factory.LazyAttribute(
        lambda o: CountryFactory() if o.role == Role.FOCAL_POINT else None
    )
    password_hash = factory.LazyFunction(default_password_hash)
    is_active = True

    class Params:
        admin = factory.Trait(role=Role.ADMIN)
        reviewer = factory.Trait(role=Role.REVIEWER)


class CampaignFactory(BaseFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Campaign {n}")
    questionnaire_id = "national-cybersecurity"
    questionnaire_version = 1
    definition: Any = factory.LazyFunction(dict)
    definition_hash = "0" * 64
    opens_on = dt.date(2026, 1, 1)
    closes_on = dt.date(2026, 12, 31)


class SubmissionFactory(BaseFactory):
    class Meta:
        model = Submission

    campaign = factory.SubFactory(CampaignFactory)
    country = factory.SubFactory(CountryFactory)


class AnswerFactory(BaseFactory):
    class Meta:
        model = Answer

    submission = factory.SubFactory(SubmissionFactory)
    question_id = factory.Sequence(lambda n: f"legal.law.q{n}")
    value = "yes"
