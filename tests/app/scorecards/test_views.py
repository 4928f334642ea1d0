"""The preview page and the PDF download, as a browser gets them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from app import db
from app.scorecards import rendering
from app.survey.models import SubmissionStatus
from tests.app.conftest import login, submission_of
from tests.app.scorecards.conftest import ANSWERS, Pdf, give_answers
from tests.factories import UserFactory


def get(client: Any, url: str) -> Any:
    """The response, read whole and closed (a file download otherwise stays open)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


@pytest.fixture
def answered(submission: Any, isolated_cache: Path) -> Any:
    return give_answers(submission, ANSWERS)


@pytest.fixture
def signed_in(client: Any, focal_point: Any) -> Any:
    login(client, focal_point)
    return client


def test_preview_is_the_scorecard_page(signed_in: Any, answered: Any, country: Any) -> None:
    response = signed_in.get(f"/scorecards/{answered.id}/?lang=fr")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert '<html lang="fr" dir="ltr">' in html
    assert country.name("fr") in html
    assert "[fr] Test survey" in html
    assert 'href="/scorecards/assets/scorecard.css"' in html
    assert f'href="/scorecards/{answered.id}/scorecard-fr.pdf"' in html
    assert f'href="/survey/{answered.id}/"' in html  # back to the questionnaire


def test_preview_needs_no_inline_script_or_style(signed_in: Any, answered: Any) -> None:
    """The site's Content-Security-Policy (no inline script or style) holds for the preview."""
    response = signed_in.get(f"/scorecards/{answered.id}/?lang=ar")
    html = response.get_data(as_text=True)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "<script" not in html
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert '<html lang="ar" dir="rtl">' in html


def test_the_preview_language_defaults_to_the_readers(
    client: Any, answered: Any, country: Any
) -> None:
    login(client, UserFactory(role="focal_point", country=country, locale="es"))
    html = client.get(f"/scorecards/{answered.id}/").get_data(as_text=True)
    assert '<html lang="es" dir="ltr">' in html
    assert client.get(f"/scorecards/{answered.id}/?lang=xx").status_code == 404


def test_stylesheets_are_served_for_the_preview(client: Any) -> None:
    response = get(client, "/scorecards/assets/scorecard.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert b'@import url("charts.css")' in response.data
    assert get(client, "/scorecards/assets/charts.css").status_code == 200
    assert get(client, "/scorecards/assets/national.html").status_code == 404
    assert get(client, "/scorecards/assets/..%2Fpdf%2Fnational.html").status_code == 404


def test_download_is_a_private_pdf_attachment(signed_in: Any, answered: Any, country: Any) -> None:
    response = get(signed_in, f"/scorecards/{answered.id}/scorecard-ar.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"scorecard-{answered.campaign_id}-{country.iso3}-ar.pdf" in disposition
    assert response.headers["Cache-Control"] == "private, no-store"
    assert country.name("ar") in Pdf(response.data).pages[0]
    assert get(signed_in, f"/scorecards/{answered.id}/scorecard-xx.pdf").status_code == 404


@pytest.fixture
def queries(app: Any) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    engine = app.extensions["database_engine"]
    event.listen(engine, "before_cursor_execute", record)
    yield statements
    event.remove(engine, "before_cursor_execute", record)


def test_a_cached_download_reads_the_file_and_little_else(
    signed_in: Any, answered: Any, monkeypatch: pytest.MonkeyPatch, queries: list[str]
) -> None:
    url = f"/scorecards/{answered.id}/scorecard-en.pdf"
    first = get(signed_in, url).data

    def refuse(*_args: Any) -> bytes:
        raise AssertionError("rendered again")

    monkeypatch.setattr(rendering, "render_scorecard_pdf", refuse)
    queries.clear()
    again = get(signed_in, url)
    assert again.data == first
    # The browser session, the user, the submission with its campaign and country, the benchmark
    # peers' state.
    selects = [q for q in queries if q.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 4, selects


def test_published_scorecards_are_for_every_signed_in_user(
    client: Any, campaign: Any, other_country: Any, focal_point: Any, isolated_cache: Path
) -> None:
    theirs = submission_of(campaign, other_country)
    give_answers(theirs, ANSWERS)
    login(client, focal_point)
    assert client.get(f"/scorecards/{theirs.id}/").status_code == 404
    assert get(client, f"/scorecards/{theirs.id}/scorecard-en.pdf").status_code == 404
    theirs.status = SubmissionStatus.PUBLISHED
    db.session.flush()
    page = client.get(f"/scorecards/{theirs.id}/")
    assert page.status_code == 200
    assert f'href="/survey/{theirs.id}/"' not in page.get_data(as_text=True)  # not theirs to edit
    pdf = get(client, f"/scorecards/{theirs.id}/scorecard-en.pdf")
    assert pdf.status_code == 200
    assert "Draft, not validated" not in Pdf(pdf.data).text


def test_a_stored_number_beyond_the_maximum_never_breaks_a_scorecard(
    client: Any, submission: Any, focal_point: Any, isolated_cache: Path
) -> None:
    # Stored before the app kept numbers within ±1e15: the scorecard treats it as unanswered.
    give_answers(submission, {"technical.cirt.exists": "yes", "technical.cirt.staff": 10**25})
    login(client, focal_point)
    preview = client.get(f"/scorecards/{submission.id}/?lang=en")
    assert preview.status_code == 200
    assert "10000000000000000000000000" not in preview.get_data(as_text=True)
    pdf = client.get(f"/scorecards/{submission.id}/scorecard-en.pdf")
    assert pdf.status_code == 200
    assert pdf.get_data().startswith(b"%PDF")
    pdf.close()
