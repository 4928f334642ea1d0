"""The download pages: asking for a ZIP, following it, downloading it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import select, update

from app import db
from app.audit import AuditEvent
from app.auth.models import Role
from app.db import utcnow
from app.jobs import bulk, operations
from app.jobs.models import Job, JobStatus
from app.survey.models import SubmissionStatus
from tests.app.conftest import login, page_form
from tests.app.jobs.conftest import RecordingRunner
from tests.factories import UserFactory


@pytest.fixture
def no_csrf(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)


def ask(client: Any, campaign: Any, lang: str = "fr", **extra: str) -> Any:
    return client.post(
        "/downloads/scorecards", data={"campaign": str(campaign.id), "language": lang, **extra}
    )


def job_id_of(response: Any) -> int:
    match = re.fullmatch(r"/downloads/(\d+)", response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match.group(1))


@pytest.mark.usefixtures("no_csrf")
def test_the_form_offers_campaigns_languages_and_for_reviewers_unpublished_ones(
    client: Any, campaign: Any, published: list[Any], focal_point: Any
) -> None:
    login(client, focal_point)
    html = client.get("/downloads/scorecards").get_data(as_text=True)
    assert "Test campaign (2 published scorecards)" in html
    assert 'value="ar"' in html
    assert "العربية" in html
    assert "include_unpublished" not in html

    client.post("/sign-out")
    login(client, UserFactory(reviewer=True))
    assert "include_unpublished" in client.get("/downloads/scorecards").get_data(as_text=True)


def test_asking_starts_one_job_after_commit_and_asking_again_returns_it(
    client: Any, campaign: Any, published: list[Any], runner: RecordingRunner
) -> None:
    admin = UserFactory(admin=True)
    login(client, admin)
    _html, fields = page_form(client, "/downloads/scorecards")
    first = client.post(
        "/downloads/scorecards", data={**fields, "campaign": campaign.id, "language": "fr"}
    )
    assert first.status_code == 302
    job_id = job_id_of(first)
    assert runner.submitted == [job_id]
    job = db.session.get(Job, job_id)
    assert job is not None
    assert job.status is JobStatus.QUEUED
    assert job.requested_by_id == admin.id
    assert job.parameters == {
        "campaign_id": campaign.id,
        "lang": "fr",
        "include_unpublished": False,
        "submission_ids": sorted(s.id for s in published),
    }
    assert job.progress_total == 2
    trail = db.session.scalars(select(AuditEvent).where(AuditEvent.module == "jobs")).one()
    assert trail.summary == f"Scorecards ZIP asked for: campaign {campaign.id}, fr"
    assert (trail.user_id, trail.meta["job_id"]) == (admin.id, job_id)

    again = client.post(
        "/downloads/scorecards", data={**fields, "campaign": campaign.id, "language": "fr"}
    )
    assert job_id_of(again) == job_id
    assert runner.submitted == [job_id]  # nothing handed over twice
    assert "already being prepared" in client.get(again.headers["Location"]).get_data(as_text=True)


@pytest.mark.usefixtures("no_csrf")
def test_a_focal_point_cannot_include_unpublished_scorecards(
    client: Any, campaign: Any, published: list[Any], focal_point: Any, runner: RecordingRunner
) -> None:
    published[0].status = SubmissionStatus.SUBMITTED
    db.session.flush()
    login(client, focal_point)
    job = db.session.get(Job, job_id_of(ask(client, campaign, include_unpublished="y")))
    assert job is not None
    assert job.parameters["include_unpublished"] is False
    assert job.parameters["submission_ids"] == [published[1].id]


@pytest.mark.usefixtures("no_csrf")
def test_unpublished_scorecards_are_for_reviewers_and_admins_only(
    client: Any, campaign: Any, published: list[Any], focal_point: Any, runner: RecordingRunner
) -> None:
    published[0].status = SubmissionStatus.DRAFT  # answered, not published
    db.session.flush()
    login(client, UserFactory(reviewer=True))
    job_id = job_id_of(ask(client, campaign, include_unpublished="y"))
    job = db.session.get(Job, job_id)
    assert job is not None
    assert job.parameters["include_unpublished"] is True
    assert job.progress_total == 2
    assert client.get(f"/downloads/{job_id}").status_code == 200

    client.post("/sign-out")
    login(client, focal_point)
    for url in (f"/downloads/{job_id}", f"/downloads/{job_id}/status", f"/downloads/{job_id}/file"):
        assert client.get(url).status_code == 403, url


@pytest.mark.usefixtures("no_csrf")
def test_a_campaign_without_published_scorecards_is_refused(
    client: Any, campaign: Any, focal_point: Any, runner: RecordingRunner
) -> None:
    login(client, focal_point)
    response = ask(client, campaign)
    assert response.status_code == 422
    assert "no scorecard to download yet" in response.get_data(as_text=True)
    assert runner.submitted == []
    assert db.session.scalars(select(Job)).all() == []


@pytest.mark.usefixtures("no_csrf")
def test_an_unknown_campaign_or_language_is_refused(
    client: Any, campaign: Any, published: list[Any], focal_point: Any, runner: RecordingRunner
) -> None:
    login(client, focal_point)
    assert ask(client, campaign, lang="xx").status_code == 422
    wrong = client.post("/downloads/scorecards", data={"campaign": "999999", "language": "fr"})
    assert wrong.status_code == 422
    assert runner.submitted == []


@pytest.mark.usefixtures("no_csrf")
def test_the_job_page_polls_with_a_static_script_and_works_without_it(
    client: Any, campaign: Any, published: list[Any], focal_point: Any, runner: RecordingRunner
) -> None:
    login(client, focal_point)
    job_id = job_id_of(ask(client, campaign))
    response = client.get(f"/downloads/{job_id}")
    html = response.get_data(as_text=True)
    # No inline script: the Content-Security-Policy forbids it.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/jobs.js" defer>']
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert f'data-status-url="/downloads/{job_id}/status"' in html
    assert f'<a href="/downloads/{job_id}">' in html  # reload by hand without JavaScript
    assert '<progress id="job-progress" max="2" value="0">' in html
    script = client.get("/static/jobs.js")
    script.close()
    assert script.status_code == 200


@pytest.mark.usefixtures("no_csrf", "app_context")
def test_the_status_shows_progress_then_the_download(
    app: Any, client: Any, campaign: Any, published: list[Any], focal_point: Any, runner: Any
) -> None:
    login(client, focal_point)
    job_id = job_id_of(ask(client, campaign))
    status = client.get(f"/downloads/{job_id}/status", headers={"Accept": "application/json"})
    assert status.headers["Cache-Control"] == "no-store"
    assert status.json == {
        "id": job_id,
        "status": "queued",
        "active": True,
        "done": 0,
        "total": 2,
        "percent": 0,
        "message": "Waiting for a free worker…",
        "download_url": None,
    }
    assert client.get(f"/downloads/{job_id}/file").status_code == 404

    operations.start_job(job_id)
    operations.add_progress(job_id)
    assert client.get(f"/downloads/{job_id}/status").json["percent"] == 50
    path = operations.result_folder(job_id) / "scorecards-test.zip"
    path.write_bytes(b"PK\x05\x06" + bytes(18))
    operations.finish_job(job_id, path)
    data = client.get(f"/downloads/{job_id}/status").json
    assert (data["status"], data["active"], data["percent"]) == ("done", False, 100)
    assert data["download_url"] == f"/downloads/{job_id}/file"
    html = client.get(f"/downloads/{job_id}").get_data(as_text=True)
    assert "Download the ZIP file" in html
    assert "Refresh" not in html

    download = client.get(f"/downloads/{job_id}/file")
    assert download.status_code == 200
    assert download.mimetype == "application/zip"
    assert download.headers["Content-Disposition"] == "attachment; filename=scorecards-test.zip"
    assert download.headers["Cache-Control"] == "private, no-store"
    assert download.data.startswith(b"PK")
    download.close()


@pytest.mark.usefixtures("no_csrf")
def test_a_job_whose_worker_died_shows_failed_and_can_be_asked_again(
    client: Any, campaign: Any, published: list[Any], runner: RecordingRunner
) -> None:
    admin = UserFactory(admin=True)
    login(client, admin)
    job_id = job_id_of(ask(client, campaign))
    operations.start_job(job_id)
    db.session.execute(
        update(Job).where(Job.id == job_id).values(heartbeat_dt=utcnow() - dt.timedelta(hours=1))
    )
    # The poll only reads: it shows the job failed; the page it then reloads records it.
    poll = client.get(f"/downloads/{job_id}/status").json
    assert (poll["status"], poll["active"]) == ("failed", False)
    assert db.session.get(Job, job_id, populate_existing=True).status is JobStatus.RUNNING
    html = client.get(f"/downloads/{job_id}").get_data(as_text=True)
    assert db.session.get(Job, job_id, populate_existing=True).status is JobStatus.FAILED
    assert "could not be prepared" in html
    assert operations.STALE_ERROR in html  # administrators see why
    new_id = job_id_of(ask(client, campaign))
    assert new_id != job_id
    assert runner.submitted == [job_id, new_id]


@pytest.mark.usefixtures("no_csrf")
def test_asking_is_rate_limited_per_user(
    client: Any, campaign: Any, published: list[Any], focal_point: Any, runner: RecordingRunner
) -> None:
    login(client, focal_point)
    statuses = [ask(client, campaign, lang).status_code for lang in ("fr", "en", "es", "ru", "zh")]
    assert statuses == [302] * 5
    refused = ask(client, campaign, "ar")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert "Please wait a minute" in refused.get_data(as_text=True)
    assert len(runner.submitted) == 5
    # Another person is not held back by this one.
    client.post("/sign-out")
    login(client, UserFactory(reviewer=True))
    assert ask(client, campaign, "ar").status_code == 302


def test_a_signed_out_poll_gets_json(client: Any, campaign: Any) -> None:
    response = client.get("/downloads/1/status", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.json["error"] == "signed_out"


@pytest.mark.usefixtures("app_context")
def test_recent_downloads_are_listed_for_those_who_may_see_them(
    client: Any, campaign: Any, published: list[Any], focal_point: Any, runner: RecordingRunner
) -> None:
    reviewer = UserFactory(role=Role.REVIEWER)
    everyone, _ = bulk.request_bulk_scorecards(campaign, "es", user=reviewer)
    reviewers_only, _ = bulk.request_bulk_scorecards(
        campaign, "zh", include_unpublished=True, user=reviewer
    )
    login(client, focal_point)
    html = client.get("/downloads/scorecards").get_data(as_text=True)
    assert f'href="/downloads/{everyone.id}"' in html
    assert f'href="/downloads/{reviewers_only.id}"' not in html


@pytest.mark.usefixtures("no_csrf", "app_context")
def test_a_job_that_left_out_a_scorecard_says_which_country(
    client: Any, campaign: Any, published: list[Any], runner: RecordingRunner
) -> None:
    admin = UserFactory(admin=True)
    login(client, admin)
    job_id = job_id_of(ask(client, campaign, "en"))
    operations.start_job(job_id)
    path = operations.result_folder(job_id) / "scorecards-test.zip"
    path.write_bytes(b"PK\x05\x06" + bytes(18))
    left_out = published[0]
    operations.finish_job(job_id, path, [left_out.id])
    data = client.get(f"/downloads/{job_id}/status").json
    assert data["status"] == "done"
    assert data["message"] == (
        "Ready: 1 of 2 scorecards in one ZIP file; the others could not be prepared."
    )
    html = client.get(f"/downloads/{job_id}").get_data(as_text=True)
    assert "Download the ZIP file" in html
    assert "Left out of the ZIP file" in html
    assert f"<li>{left_out.country.name('en')}</li>" in html
    assert f"<li>{published[1].country.name('en')}</li>" not in html
