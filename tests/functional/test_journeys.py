"""A focal point's work in a real browser: answering, autosave, evidence, submitting, conflicts."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfWriter

from app.survey.models import SubmissionStatus
from tests.factories import DEFAULT_PASSWORD
from tests.functional.conftest import (
    CIRT,
    GOVERNMENT,
    LAW,
    LEGAL,
    SCOPE,
    STAFF,
    TECHNICAL,
    WHOLE_COUNTRY,
    YEAR,
    LiveServer,
)

pytestmark = pytest.mark.browser

OpenPage = Callable[..., Page]


def tiny_pdf() -> bytes:
    """A real, valid one-page PDF."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def question(page: Page, question_id: str) -> Locator:
    return page.locator(f'.question[data-question="{question_id}"]')


def choose(page: Page, question_id: str, value: str) -> None:
    question(page, question_id).locator(f'input[value="{value}"]').check()


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.locator('input[name="email"]').fill(email)
    password = page.locator('input[name="password"]')
    password.fill(DEFAULT_PASSWORD)
    password.press("Enter")
    expect(page).to_have_url(re.compile(r"/survey/$"))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_focal_point_answers_two_pillars_finds_them_saved_and_submits(
    live_server: LiveServer, open_page: OpenPage, artifacts: Path, lang: str
) -> None:
    live = live_server
    seed = live.seed()
    saved = live.ui_pattern(lang, "All changes saved at {time}")
    pdf = tiny_pdf()
    page = open_page(lang)
    status = page.locator(".save-status")

    sign_in(page, seed.emails[0])
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    page.get_by_role("link", name=seed.campaign_title).click()
    page.get_by_role("link", name=LEGAL[lang]).click()

    # First pillar: "yes" brings up the follow-up; each answer saves itself.
    expect(page.get_by_role("heading", level=1)).to_have_text(LEGAL[lang])
    expect(question(page, "legal.cybercrime.law")).to_contain_text(LAW[lang])
    expect(question(page, "legal.cybercrime.year")).to_be_hidden()
    choose(page, "legal.cybercrime.law", "yes")
    expect(question(page, "legal.cybercrime.year")).to_be_visible()
    expect(status).to_have_text(saved)
    year = page.get_by_label(YEAR[lang])
    year.fill("2019")
    year.press("Tab")
    expect(status).to_have_text(saved)

    # The evidence goes with the page's Save button, which works without the script too.
    law = question(page, "legal.cybercrime.law")
    law.locator('input[type="file"]').set_input_files(
        files=[{"name": "cybercrime-law.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    page.get_by_role("button", name=live.ui(lang, "Save"), exact=True).click()
    expect(page.locator(".flash-success")).to_have_text(live.ui(lang, "Saved."))
    expect(law.locator(".evidence-list")).to_contain_text("cybercrime-law.pdf")

    # Second pillar.
    page.locator(".section-tabs").get_by_role("link", name=TECHNICAL[lang]).click()
    expect(question(page, "technical.cirt.exists")).to_contain_text(CIRT[lang])
    expect(question(page, "technical.cirt.staff")).to_be_hidden()
    choose(page, "technical.cirt.exists", "yes")
    expect(question(page, "technical.cirt.staff")).to_be_visible()
    expect(status).to_have_text(saved)
    staff = page.get_by_label(STAFF[lang])
    staff.fill("12")
    staff.press("Tab")
    expect(status).to_have_text(saved)

    # Everything is still there after a reload, on both pillars.
    page.reload()
    expect(question(page, "technical.cirt.exists").locator('input[value="yes"]')).to_be_checked()
    expect(page.get_by_label(STAFF[lang])).to_have_value("12")
    expect(question(page, "technical.cirt.scope").locator("input:checked")).to_have_count(0)
    page.locator(".section-tabs").get_by_role("link", name=LEGAL[lang]).click()
    expect(law.locator('input[value="yes"]')).to_be_checked()
    expect(page.get_by_label(YEAR[lang])).to_have_value("2019")
    with page.expect_download() as download:
        law.locator(".evidence-list").get_by_role("link", name="cybercrime-law.pdf").click()
    assert Path(download.value.path()).read_bytes() == pdf
    page.screenshot(path=artifacts / f"journey-{lang}-section.png", full_page=True)

    # Submitting with a required answer missing says which one, and links to it.
    page.locator(".breadcrumb a").click()
    submit = page.get_by_role("button", name=live.ui(lang, "Submit for review"))
    submit.click()
    expect(page.locator(".flash-error")).to_have_text(
        live.ui(lang, "The submission is not complete yet: see the list below.")
    )
    problems = page.locator(".problems li")
    expect(problems).to_have_count(1)
    expect(problems).to_contain_text(SCOPE[lang])
    expect(problems).to_contain_text(live.ui(lang, "an answer is required"))
    page.screenshot(path=artifacts / f"journey-{lang}-problems.png", full_page=True)
    problems.get_by_role("link", name=SCOPE[lang]).click()
    expect(page).to_have_url(re.compile(r"/technical#q-technical\.cirt\.scope$"))
    choose(page, "technical.cirt.scope", "national")
    expect(status).to_have_text(saved)

    page.locator(".breadcrumb a").click()
    submit.click()
    expect(page.locator(".flash-success")).to_have_text(
        live.ui(lang, "Thank you. Your submission has been sent for review.")
    )
    expect(page.locator(".facts .status")).to_have_text(live.ui(lang, "Submitted for review"))
    assert live.status_of(seed.submission_id) is SubmissionStatus.SUBMITTED
    assert live.answers_of(seed.submission_id) == {
        "legal.cybercrime.law": "yes",
        "legal.cybercrime.year": 2019,
        "technical.cirt.exists": "yes",
        "technical.cirt.staff": 12,
        "technical.cirt.scope": "national",
    }


def test_a_conflicting_change_shows_both_answers_and_theirs_can_be_kept(
    live_server: LiveServer, open_page: OpenPage, artifacts: Path
) -> None:
    live = live_server
    seed = live.seed(focal_points=2)
    url = f"/survey/{seed.submission_id}/technical"
    first, second = open_page(), open_page()
    for page, email in ((first, seed.emails[0]), (second, seed.emails[1])):
        sign_in(page, email)
        page.goto(url)

    # Both opened the page before either answered; the first one's answer is saved.
    choose(first, "technical.cirt.scope", "government")
    expect(first.locator(".save-status")).to_have_text(
        live.ui_pattern("en", "All changes saved at {time}")
    )

    # The second one's autosave is refused and says who changed the answer.
    choose(second, "technical.cirt.scope", "national")
    mine = question(second, "technical.cirt.scope")
    expect(second.locator(".save-status")).to_have_text(
        live.ui("en", "Some answers were not saved: see the messages next to them.")
    )
    expect(mine.locator(".autosave-problem")).to_contain_text(seed.emails[0])

    # Saving the page shows both answers side by side.
    save = second.get_by_role("button", name=live.ui("en", "Save"), exact=True)
    save.click()
    expect(second.locator(".flash-error")).to_contain_text(
        live.ui("en", "Someone else changed some of these answers while you were editing.")[:40]
    )
    conflict = mine.locator(".conflict")
    expect(conflict.locator(".their-value")).to_have_text(GOVERNMENT["en"])
    expect(conflict.locator(".your-value")).to_have_text(WHOLE_COUNTRY["en"])
    expect(conflict).to_contain_text(seed.emails[0])
    second.screenshot(path=artifacts / "journey-en-conflict.png", full_page=True)

    # Keeping theirs leaves their answer in place and the conflict behind.
    conflict.get_by_label(live.ui("en", "Keep their answer instead of mine")).check()
    save.click()
    expect(second.locator(".flash-success")).to_have_text(live.ui("en", "Saved."))
    expect(mine.locator(".conflict")).to_have_count(0)
    expect(mine.locator('input[value="government"]')).to_be_checked()
    first.reload()
    expect(question(first, "technical.cirt.scope").locator("input:checked")).to_have_value(
        "government"
    )
    assert live.answers_of(seed.submission_id) == {"technical.cirt.scope": "government"}
