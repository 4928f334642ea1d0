"""No figure a scorecard shows, alone or combined with the others, gives away a result its reader
may not see: the benchmarks are made of published results only, which every signed-in user may
read anyway. Each attack below works on figures that would include an unpublished result; here
it recovers nothing but what was published."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.countries.models import Region
from app.scorecards import operations
from app.survey.models import SubmissionStatus
from tests.app.conftest import submission_of
from tests.app.scorecards.conftest import give_answers, new_campaign
from tests.factories import CountryFactory

PUBLISHED, VALIDATED = SubmissionStatus.PUBLISHED, SubmissionStatus.VALIDATED
#: Published answers of four countries of one region, and one validated but unpublished.
PUBLISHED_ANSWERS = [
    {"legal.law.exists": "yes", "technical.cirt.exists": "yes", "technical.cirt.staff": 12},
    {"legal.law.exists": "partial", "technical.cirt.exists": "no"},
    {"legal.law.exists": "no", "technical.cirt.exists": "yes", "technical.cirt.staff": 3},
]
SECRET = {"legal.law.exists": "yes", "technical.cirt.exists": "yes", "technical.cirt.staff": 40}


@pytest.fixture
def region(app_context: None) -> dict[str, Any]:
    countries = [CountryFactory(region=Region.AFRICA) for _ in range(len(PUBLISHED_ANSWERS) + 1)]
    today = dt.datetime.now(dt.UTC).date()
    campaign = new_campaign("Privacy", today, today + dt.timedelta(days=9))
    published = [
        give_answers(submission_of(campaign, country), answers, PUBLISHED)
        for country, answers in zip(countries, PUBLISHED_ANSWERS, strict=False)
    ]
    secret = give_answers(submission_of(campaign, countries[-1]), SECRET, VALIDATED)
    return {"campaign": campaign, "published": published, "secret": secret}


def totals(submissions: list[Any]) -> list[float]:
    return sorted(operations._profile(s).total for s in submissions)


def test_a_regional_mean_times_its_count_is_the_published_scores_and_nothing_more(
    region: dict[str, Any],
) -> None:
    found = operations.campaign_benchmark(region["campaign"])
    assert found is not None
    africa = found.groups["africa"]
    assert africa.total is not None
    visible = totals(region["published"])
    assert africa.countries == len(visible)
    left_over = africa.countries * africa.total.mean - sum(visible)
    assert left_over == pytest.approx(0, abs=1e-9)  # nothing of the unpublished result
    assert found.overall.countries * found.overall.total.mean == pytest.approx(sum(visible))


def test_the_quartiles_of_a_group_of_three_give_back_published_scores_only(
    region: dict[str, Any],
) -> None:
    found = operations.campaign_benchmark(region["campaign"])
    assert found is not None
    stats = found.groups["africa"].total
    assert stats is not None
    assert sorted([stats.q1, stats.median, stats.q3])[1] in totals(region["published"])
    assert operations._profile(region["secret"]).total not in (stats.q1, stats.median, stats.q3)


def test_no_figure_moves_with_an_unpublished_result(region: dict[str, Any]) -> None:
    before = operations.campaign_benchmark(region["campaign"])
    give_answers(region["secret"], {"technical.cirt.kind": "gov", "legal.law.offences": ["fraud"]})
    after = operations.campaign_benchmark(region["campaign"])
    assert after == before
    region["secret"].status = PUBLISHED  # once published, it is everyone's, and counts
    assert operations.campaign_benchmark(region["campaign"]) != before


def test_an_unpublished_earlier_result_is_not_compared_with(region: dict[str, Any]) -> None:
    today = dt.datetime.now(dt.UTC).date()
    later = new_campaign("Later", today + dt.timedelta(days=400), today + dt.timedelta(days=500))
    current = submission_of(later, region["secret"].country)
    assert operations.earlier_result(current) is None
    region["secret"].status = PUBLISHED
    assert operations.earlier_result(current) is not None
