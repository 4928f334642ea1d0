"""A small questionnaire with every question type, a campaign on it, and its people."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from app.auth.models import Role
from app.campaigns.operations import create_campaign
from questionnaires.loader import definition_from_json
from questionnaires.schema import LANGUAGES, Definition
from tests.factories import CountryFactory, UserFactory


def t(text: str) -> dict[str, str]:
    """A text in six languages: `[fr] Label` and so on, so tests can tell which one is shown."""
    return {lang: f"[{lang}] {text}" for lang in LANGUAGES}


def q(qid: str, qtype: str, **extra: Any) -> dict[str, Any]:
    return {"id": qid, "type": qtype, "text": t(f"Question {qid}"), **extra}


DEFINITION: dict[str, Any] = {
    "id": "test-survey",
    "version": 1,
    "model": "weighted",
    "title": t("Test survey"),
    "pillars": [
        {
            "id": "legal",
            "title": t("Legal"),
            "indicators": [
                {
                    "id": "legal.law",
                    "title": t("Law"),
                    "questions": [
                        q(
                            "legal.law.exists",
                            "yes_no_partial",
                            evidence={"rule": "required_if_positive"},
                        ),
                        q(
                            "legal.law.adopted",
                            "date",
                            required=False,
                            show_if={"question": "legal.law.exists", "in": ["yes", "partial"]},
                        ),
                        q(
                            "legal.law.offences",
                            "multi_choice",
                            choices=[
                                {"id": "access", "label": t("Access"), "score": 0.5},
                                {"id": "fraud", "label": t("Fraud"), "score": 0.5},
                            ],
                        ),
                        q("legal.law.remarks", "text", required=False, max_length=300000),
                    ],
                }
            ],
        },
        {
            "id": "technical",
            "title": t("Technical"),
            "indicators": [
                {
                    "id": "technical.cirt",
                    "title": t("CIRT"),
                    "questions": [
                        q("technical.cirt.exists", "yes_no"),
                        q(
                            "technical.cirt.staff",
                            "number",
                            integer=True,
                            min=0,
                            thresholds=[{"min": 0, "score": 0}, {"min": 10, "score": 1}],
                            show_if={"question": "technical.cirt.exists", "equals": "yes"},
                        ),
                        q(
                            "technical.cirt.kind",
                            "single_choice",
                            not_applicable=True,
                            choices=[
                                {"id": "gov", "label": t("Government"), "score": 1},
                                {"id": "none", "label": t("None"), "score": 0},
                            ],
                        ),
                        q("technical.cirt.site", "url", required=False),
                        q(
                            "technical.cirt.maturity",
                            "level",
                            required=False,
                            levels={n: t(f"Level {n} description") for n in range(5)},
                        ),
                    ],
                }
            ],
        },
    ],
}


@pytest.fixture
def definition() -> Definition:
    return definition_from_json(DEFINITION)


@pytest.fixture
def country(db_session: Any) -> Any:
    return CountryFactory()


@pytest.fixture
def other_country(db_session: Any) -> Any:
    return CountryFactory()


@pytest.fixture
def campaign(db_session: Any, definition: Definition, country: Any, other_country: Any) -> Any:
    today = dt.datetime.now(dt.UTC).date()
    return create_campaign(
        definition, "Test campaign", today - dt.timedelta(days=1), today + dt.timedelta(days=30)
    )


def submission_of(campaign: Any, country: Any) -> Any:
    return next(s for s in campaign_submissions(campaign) if s.country_id == country.id)


def campaign_submissions(campaign: Any) -> list[Any]:
    from sqlalchemy import select

    from app import db
    from app.survey.models import Submission

    return list(db.session.scalars(select(Submission).where(Submission.campaign_id == campaign.id)))


@pytest.fixture
def submission(campaign: Any, country: Any) -> Any:
    return submission_of(campaign, country)


@pytest.fixture
def focal_point(country: Any) -> Any:
    return UserFactory(role=Role.FOCAL_POINT, country=country)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def login(client: Any, user: Any) -> None:
    from tests.factories import DEFAULT_PASSWORD

    page = client.get("/sign-in").get_data(as_text=True)
    data = {"email": user.email, "password": DEFAULT_PASSWORD}
    if 'name="csrf_token"' in page:  # absent where a test turned CSRF checks off
        data["csrf_token"] = csrf_token(page)
    response = client.post("/sign-in", data=data)
    assert response.status_code == 302


def owner_mark(app: Any, user: Any) -> str:
    """The mark a page made for `user` carries in its forms (`app.web.page_owner`)."""
    from flask_login import login_user

    from app.web import page_owner

    with app.test_request_context():
        login_user(user)
        return page_owner()


def page_form(client: Any, url: str) -> tuple[str, dict[str, str]]:
    """The page's HTML and the hidden fields a browser would send back with it."""
    html = client.get(url).get_data(as_text=True)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    hidden["csrf_token"] = csrf_token(html)
    return html, hidden
