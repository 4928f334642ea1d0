"""The job page in a real browser: `jobs.js` moves the progress bar, then shows the download.

The app is served over HTTP from a thread, on a database of its own, to headless Chromium; the
test stands in for the workers, advancing the job in the database.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from werkzeug.serving import make_server

from app.auth.models import Role
from app.auth.operations import create_user
from app.jobs import bulk, operations
from tests.app.jobs.committed import committed_app, in_app, seed
from tests.factories import DEFAULT_PASSWORD
from tests.functional.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]

EMAIL = "reviewer@example.org"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("jobs_browser")
    with committed_app(folder, f"jobs_browser_{worker_id}") as app:
        seeded = seed(app, published=("FRA", "KEN"))
        in_app(app, create_user, EMAIL, DEFAULT_PASSWORD, Role.REVIEWER, name="Reviewer")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield app, seeded, f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            thread.join()
            server.server_close()


@pytest.fixture
def page(served: Any) -> Iterator[Page]:
    _app, _seeded, url = served
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=url)
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        try:
            yield page
        finally:
            browser.close()
    assert not problems, problems


def queue_job(app: Any, campaign_id: int, lang: str) -> int:
    """A bulk job for the campaign's published scorecards in `lang`, queued for no worker."""

    def queued() -> int:
        from app import db
        from app.campaigns.models import Campaign

        campaign = db.session.get(Campaign, campaign_id)
        return bulk.request_bulk_scorecards(campaign, lang, background=False)[0].id

    job_id: int = in_app(app, queued)
    return job_id


def test_the_progress_bar_follows_the_job_then_offers_the_download(served: Any, page: Page) -> None:
    app, seeded, _url = served
    job_id = queue_job(app, seeded.campaign_id, "en")
    sign_in(page, EMAIL)

    page.goto(f"/downloads/{job_id}")
    bar, message = page.locator("#job-progress"), page.locator("#job-message")
    expect(page.locator("#job-refresh")).to_be_hidden()  # the script polls: no need to click
    expect(message).to_have_text("Waiting for a free worker…")

    in_app(app, operations.start_job, job_id)
    in_app(app, operations.add_progress, job_id)
    expect(message).to_have_text("1 of 2 scorecards ready", timeout=10_000)
    expect(bar).to_have_js_property("value", 1)
    expect(bar).to_have_js_property("max", 2)

    def finished() -> None:
        path = operations.result_folder(job_id) / "scorecards.zip"
        path.write_bytes(b"PK\x05\x06" + bytes(18))
        operations.finish_job(job_id, path)

    in_app(app, finished)
    download = page.locator("#job-download")
    expect(download).to_be_visible(timeout=10_000)  # the page reloaded once the job ended
    expect(message).to_have_text("Ready: 2 scorecards in one ZIP file.")
    with page.expect_download() as event:
        download.click()
    assert event.value.suggested_filename == "scorecards.zip"


def test_without_javascript_the_page_offers_a_link_to_reload(served: Any, page: Page) -> None:
    app, seeded, url = served
    job_id = queue_job(app, seeded.campaign_id, "fr")
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(base_url=url, java_script_enabled=False)
    plain = context.new_page()
    sign_in(plain, EMAIL)
    plain.goto(f"/downloads/{job_id}")
    refresh = plain.locator("#job-refresh a")
    expect(refresh).to_be_visible()
    in_app(app, operations.start_job, job_id)
    in_app(app, operations.add_progress, job_id)
    refresh.click()
    expect(plain.locator("#job-message")).to_have_text("1 of 2 scorecards ready")
    context.close()
