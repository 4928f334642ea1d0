"""What a scorecard is built from (benchmarks, the earlier campaign), which scorecards a campaign
has, and the PDF cache: one render per change, a file read otherwise."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from app.db import Model
from app.scorecards import operations, rendering
from app.survey.models import SubmissionStatus
from scoring import MIN_GROUP_SIZE
from tests.app.conftest import campaign_submissions, submission_of
from tests.app.scorecards.conftest import ANSWERS, Pdf, give_answers, new_campaign
from tests.factories import CountryFactory

PUBLISHED, VALIDATED = SubmissionStatus.PUBLISHED, SubmissionStatus.VALIDATED


@pytest.fixture
def no_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any) -> bytes:
        raise AssertionError("rendered although the PDF was cached")

    monkeypatch.setattr(rendering, "render_scorecard_pdf", refuse)


def test_published_and_answered_submission_ids(app_context: None, campaign: Any) -> None:
    first, second = sorted(campaign_submissions(campaign), key=lambda s: s.id)
    assert operations.published_submission_ids(campaign.id) == []
    assert operations.all_submission_ids(campaign.id) == []
    give_answers(first, {"legal.law.exists": "no"}, PUBLISHED)
    give_answers(second, {"legal.law.exists": None})  # a cleared answer is no answer
    assert operations.published_submission_ids(campaign.id) == [first.id]
    assert operations.all_submission_ids(campaign.id) == [first.id]
    give_answers(second, {"technical.cirt.exists": "yes"}, VALIDATED)
    assert operations.published_submission_ids(campaign.id) == [first.id]
    assert operations.all_submission_ids(campaign.id) == sorted([first.id, second.id])


def test_benchmarks_need_three_published_results_in_a_group(app_context: None) -> None:
    countries = [CountryFactory() for _ in range(MIN_GROUP_SIZE + 1)]
    today = dt.datetime.now(dt.UTC).date()
    campaign = new_campaign("Peers", today, today + dt.timedelta(days=9))
    assert operations.campaign_benchmark(campaign) is None
    give_answers(submission_of(campaign, countries.pop()), ANSWERS, VALIDATED)  # counts nowhere
    assert operations.campaign_benchmark(campaign) is None
    for country in countries[:-1]:
        give_answers(submission_of(campaign, country), ANSWERS, PUBLISHED)
    found = operations.campaign_benchmark(campaign)
    assert found is not None
    assert found.groups["europe"].countries == MIN_GROUP_SIZE - 1
    assert found.groups["europe"].total is None  # two countries: no figures
    give_answers(submission_of(campaign, countries[-1]), {"legal.law.exists": "no"}, PUBLISHED)
    found = operations.campaign_benchmark(campaign)
    assert found is not None
    assert found.groups["europe"].total is not None
    assert found.overall.countries == MIN_GROUP_SIZE


def test_the_earlier_campaigns_published_result_is_compared(
    app_context: None, country: Any, campaign: Any
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    older = new_campaign("Older", today - dt.timedelta(days=800), today - dt.timedelta(days=700))
    old = new_campaign("Old", today - dt.timedelta(days=400), today - dt.timedelta(days=300))
    give_answers(submission_of(older, country), ANSWERS, PUBLISHED)
    give_answers(submission_of(old, country), {"legal.law.exists": "no"}, VALIDATED)  # unpublished
    current = submission_of(campaign, country)
    earlier = operations.earlier_result(current)
    assert earlier is not None
    assert earlier.campaign == "Older"
    assert earlier.profile.country == country.iso3
    assert earlier.profile.total > 0
    assert operations.earlier_result(submission_of(older, country)) is None


def test_a_pdf_is_rendered_once_then_read_from_the_cache(
    app_context: None, submission: Any, isolated_cache: Path, request: pytest.FixtureRequest
) -> None:
    give_answers(submission, ANSWERS)
    path = operations.scorecard_pdf_path(submission.id, "fr")
    assert path.read_bytes().startswith(b"%PDF-")
    assert path.parent == isolated_cache / str(submission.id)
    assert path.name.startswith(f"{submission.revision}_fr_{operations.TEMPLATE_VERSION}_")
    request.getfixturevalue("no_rendering")
    assert operations.scorecard_pdf_path(submission.id, "fr") == path


def test_a_change_renders_afresh_and_removes_the_older_files(
    app_context: None, submission: Any, isolated_cache: Path
) -> None:
    give_answers(submission, {"legal.law.exists": "partial"})
    french = operations.scorecard_pdf_path(submission.id, "fr")
    english = operations.scorecard_pdf_path(submission.id, "en")
    assert french.is_file()
    assert english.is_file()  # other languages of the same revision stay
    give_answers(submission, {"technical.cirt.exists": "no"})
    newer = operations.scorecard_pdf_path(submission.id, "fr")
    assert newer != french
    assert not french.exists()
    assert not english.exists()
    assert sorted(p.name for p in newer.parent.iterdir()) == [newer.name]


def test_validation_changes_the_key_and_lifts_the_watermark(
    app_context: None, submission: Any, isolated_cache: Path
) -> None:
    give_answers(submission, ANSWERS)
    draft = operations.scorecard_pdf_path(submission.id, "en")
    assert "Draft, not validated" in Pdf(draft.read_bytes()).text
    submission.status = VALIDATED
    official = operations.scorecard_pdf_path(submission.id, "en")
    assert official != draft
    assert not draft.exists()
    assert "Draft, not validated" not in Pdf(official.read_bytes()).text


def test_an_unknown_submission_is_a_lookup_error(app_context: None) -> None:
    with pytest.raises(LookupError):
        operations.scorecard_pdf_path(10**9, "en")


def test_the_scorecard_data_holds_no_orm_objects(
    app_context: None, submission: Any, country: Any
) -> None:
    give_answers(submission, ANSWERS)
    data = operations.scorecard_data(submission)
    assert data.country is not None
    assert (data.country.iso3, data.country.region) == (country.iso3, "europe")
    assert data.campaign == "Test campaign"
    assert data.status == "draft"
    assert dict(data.answers)["technical.cirt.staff"] == 12
    assert data.evidence == frozenset()
    assert not any(isinstance(value, Model) for value in vars(data).values())
