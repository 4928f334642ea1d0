"""Creates demo accounts, campaigns and answers. Idempotent: running it again adds nothing that is
already there (and resets the demo passwords, so the printed logins always work)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import select

from app import db
from app.auth.models import Role, User
from app.auth.operations import create_user, get_user_by_email
from app.auth.passwords import hash_password
from app.campaigns.models import Campaign
from app.campaigns.operations import create_campaign
from app.countries.models import Country
from app.countries.operations import get_country, sync_countries
from app.db import utcnow
from app.demo.answers import SAMPLE_LINK, generate_answers
from app.survey import operations as survey
from app.survey.models import Submission, SubmissionStatus
from app.survey.progress import evidence_required
from questionnaires.answers import parse_answers
from questionnaires.loader import get_definition
from questionnaires.schema import Definition

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published on purpose: demo databases only

#: Focal points for countries across regions and scripts; their questionnaires are half done.
DEMO_FOCAL_POINTS = ("FRA", "KEN", "EGY", "CHN", "BRA", "RUS")

#: Countries whose answers are complete, five per region (with the focal points, 30 in all).
DEMO_ANSWERED = (
    "NGA", "ZAF", "GHA", "RWA",  # Africa
    "USA", "CAN", "MEX", "CHL",  # Americas
    "SAU", "ARE", "MAR", "JOR",  # Arab States
    "JPN", "IND", "AUS", "IDN",  # Asia-Pacific
    "KAZ", "UZB", "ARM", "BLR",  # CIS
    "DEU", "EST", "ESP", "NOR",  # Europe
)  # fmt: skip

#: Statuses the complete ones end in, in turn, so every stage of the review shows up.
_FINAL_STATUSES = (
    SubmissionStatus.PUBLISHED,
    SubmissionStatus.VALIDATED,
    SubmissionStatus.SUBMITTED,
)

DEMO_CAMPAIGNS = (
    ("national-cybersecurity", "National cybersecurity commitment 2026"),
    ("cirt-maturity", "National CIRT maturity 2026"),
)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: Role
    country: str | None


def load_demo_data() -> list[DemoLogin]:
    sync_countries()
    admin = _ensure_user("admin@demo.cybermaturity.org", Role.ADMIN)
    logins = [admin, _ensure_user("reviewer@demo.cybermaturity.org", Role.REVIEWER)]
    logins += [
        _ensure_user(f"focal.{iso3.lower()}@demo.cybermaturity.org", Role.FOCAL_POINT, iso3)
        for iso3 in DEMO_FOCAL_POINTS
    ]
    author = get_user_by_email(admin.email)
    assert author is not None  # noqa: S101 - created just above
    for questionnaire_id, title in DEMO_CAMPAIGNS:
        _ensure_campaign(get_definition(questionnaire_id), title, author)
    return logins


def _ensure_user(email: str, role: Role, iso3: str | None = None) -> DemoLogin:
    user: User | None = get_user_by_email(email)
    country = get_country(iso3) if iso3 else None
    if user is None:
        name = email.split("@", maxsplit=1)[0]
        create_user(email, DEMO_PASSWORD, role, name=name, country=country)
    else:
        user.password_hash = hash_password(DEMO_PASSWORD)
        user.is_active = True
    return DemoLogin(email, DEMO_PASSWORD, role, iso3)


def _ensure_campaign(definition: Definition, title: str, author: User) -> None:
    if db.session.scalar(select(Campaign.id).where(Campaign.title == title)) is not None:
        return
    today = dt.datetime.now(dt.UTC).date()
    campaign = create_campaign(
        definition, title, today - dt.timedelta(days=60), today + dt.timedelta(days=120)
    )
    rng = random.Random(f"{definition.id}-{definition.version}")  # noqa: S311 - same demo each run
    for index, iso3 in enumerate((*DEMO_FOCAL_POINTS, *DEMO_ANSWERED)):
        complete = iso3 in DEMO_ANSWERED
        raw = generate_answers(
            definition, rng.uniform(0.15, 0.95), rng, completeness=1.0 if complete else 0.55
        )
        submission = _submission(campaign, iso3)
        _fill(submission, definition, raw, author)
        if complete:
            _finish(submission, _FINAL_STATUSES[index % len(_FINAL_STATUSES)])


def _submission(campaign: Campaign, iso3: str) -> Submission:
    return db.session.scalars(
        select(Submission)
        .join(Country)
        .where(Submission.campaign_id == campaign.id, Country.iso3 == iso3)
    ).one()


def _fill(
    submission: Submission, definition: Definition, raw: dict[str, object], author: User
) -> None:
    values = parse_answers(definition, raw)
    survey.save_answers(submission, values, {}, author)
    for question_id, value in values.items():
        question = definition.question(question_id)
        if evidence_required(question, value):
            link = SAMPLE_LINK.format(question_id.replace(".", "/")) + "/evidence"
            survey.add_link(submission, question, link, author)


def _finish(submission: Submission, status: SubmissionStatus) -> None:
    now = utcnow()
    submission.status = status
    submission.submitted_dt = now
    if status in (SubmissionStatus.VALIDATED, SubmissionStatus.PUBLISHED):
        submission.validated_dt = now
    if status is SubmissionStatus.PUBLISHED:
        submission.published_dt = now
