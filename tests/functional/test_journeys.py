"""A focal point's work in a real browser: answering, autosave, evidence, submitting, conflicts."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Locator, Page, Route, expect
from pypdf import PdfWriter

from app.survey.models import SubmissionStatus
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
    screenshot,
    sign_in,
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


@contextmanager
def autosaved(page: Page, saved: re.Pattern[str]) -> Iterator[None]:
    """Wait for the autosave request the answer sent in the block makes, then for the status."""
    with page.expect_response(lambda response: response.url.endswith("/autosave")):
        yield
    expect(page.locator(".save-status")).to_have_text(saved)


@dataclass
class Journey:
    """One focal point's visit, in one language; each step checks what the person would see."""

    live: LiveServer
    page: Page
    lang: str
    pdf: bytes = field(default_factory=tiny_pdf)

    @property
    def saved(self) -> re.Pattern[str]:
        return self.live.ui_pattern(self.lang, "All changes saved at {time}")

    def ui(self, message: str) -> str:
        return self.live.ui(self.lang, message)

    def tab(self, title: dict[str, str]) -> None:
        self.page.locator(".section-tabs").get_by_role("link", name=title[self.lang]).click()

    def answer_the_legal_pillar(self) -> None:
        """Answering "yes" brings up the follow-up; answers save themselves; Save sends the file."""
        page, lang = self.page, self.lang
        expect(page.get_by_role("heading", level=1)).to_have_text(LEGAL[lang])
        expect(question(page, "legal.cybercrime.law")).to_contain_text(LAW[lang])
        expect(question(page, "legal.cybercrime.year")).to_be_hidden()
        progress = page.locator("[data-section-progress] progress")
        expect(progress).to_have_attribute("value", "0")
        with autosaved(page, self.saved):
            choose(page, "legal.cybercrime.law", "yes")
            expect(question(page, "legal.cybercrime.year")).to_be_visible()
        expect(progress).to_have_attribute("value", "1")  # the bar follows each save
        year = page.get_by_label(YEAR[lang])
        with autosaved(page, self.saved):
            year.fill("2019")
            year.press("Tab")

        # The page's Save button sends the whole form, as it does without the script.
        law = question(page, "legal.cybercrime.law")
        pdf = FilePayload(name="cybercrime-law.pdf", mimeType="application/pdf", buffer=self.pdf)
        law.locator('input[type="file"]').set_input_files(files=[pdf])
        page.get_by_role("button", name=self.ui("Save"), exact=True).click()
        expect(page.locator(".flash-success")).to_have_text(self.ui("Saved."))
        expect(law.locator(".evidence-list")).to_contain_text("cybercrime-law.pdf")

    def answer_the_technical_pillar(self) -> None:
        """All but the last (required) question, which the submission will ask for."""
        page, lang = self.page, self.lang
        self.tab(TECHNICAL)
        expect(question(page, "technical.cirt.exists")).to_contain_text(CIRT[lang])
        expect(question(page, "technical.cirt.staff")).to_be_hidden()
        with autosaved(page, self.saved):
            choose(page, "technical.cirt.exists", "yes")
            expect(question(page, "technical.cirt.staff")).to_be_visible()
        staff = page.get_by_label(STAFF[lang])
        with autosaved(page, self.saved):
            staff.fill("12")
            staff.press("Tab")

    def find_everything_saved(self) -> None:
        page, lang = self.page, self.lang
        page.reload()
        expect(
            question(page, "technical.cirt.exists").locator('input[value="yes"]')
        ).to_be_checked()
        expect(page.get_by_label(STAFF[lang])).to_have_value("12")
        expect(question(page, "technical.cirt.scope").locator("input:checked")).to_have_count(0)
        self.tab(LEGAL)
        law = question(page, "legal.cybercrime.law")
        expect(law.locator('input[value="yes"]')).to_be_checked()
        expect(page.get_by_label(YEAR[lang])).to_have_value("2019")
        with page.expect_download() as download:
            law.locator(".evidence-list").get_by_role("link", name="cybercrime-law.pdf").click()
        assert Path(download.value.path()).read_bytes() == self.pdf

    def submit_with_the_missing_answer_then_fix_it(self, artifacts: Path) -> None:
        """The refused submission names the question and links to it; answered, it goes."""
        page, lang = self.page, self.lang
        page.locator(".breadcrumb a").click()
        submit = page.get_by_role("button", name=self.ui("Submit for review"))
        submit.click()
        expect(page.locator(".flash-error")).to_have_text(
            self.ui("The submission is not complete yet: see the list below.")
        )
        problems = page.locator(".problems li")
        expect(problems).to_have_count(1)
        expect(problems).to_contain_text(SCOPE[lang])
        expect(problems).to_contain_text(self.ui("an answer is required"))
        screenshot(page, artifacts / f"journey-{lang}-problems.png")
        problems.get_by_role("link", name=SCOPE[lang]).click()
        expect(page).to_have_url(re.compile(r"/technical#q-technical\.cirt\.scope$"))
        with autosaved(page, self.saved):
            choose(page, "technical.cirt.scope", "national")

        page.locator(".breadcrumb a").click()
        submit.click()
        expect(page.locator(".flash-success")).to_have_text(
            self.ui("Thank you. Your submission has been sent for review.")
        )
        expect(page.locator(".facts .status")).to_have_text(self.ui("Submitted for review"))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_focal_point_answers_two_pillars_finds_them_saved_and_submits(
    live_server: LiveServer, open_page: OpenPage, artifacts: Path, lang: str
) -> None:
    seed = live_server.seed()
    page = open_page(lang)
    journey = Journey(live_server, page, lang)

    sign_in(page, seed.emails[0])
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    page.get_by_role("link", name=seed.campaign_title).click()
    page.get_by_role("link", name=LEGAL[lang]).click()

    journey.answer_the_legal_pillar()
    journey.answer_the_technical_pillar()
    journey.find_everything_saved()
    screenshot(page, artifacts / f"journey-{lang}-section.png")
    journey.submit_with_the_missing_answer_then_fix_it(artifacts)

    assert live_server.status_of(seed.submission_id) is SubmissionStatus.SUBMITTED
    assert live_server.answers_of(seed.submission_id) == {
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
    with autosaved(first, live.ui_pattern("en", "All changes saved at {time}")):
        choose(first, "technical.cirt.scope", "government")

    # The second one's autosave is refused and says who changed the answer.
    with second.expect_response(lambda response: response.url.endswith("/autosave")) as refused:
        choose(second, "technical.cirt.scope", "national")
    assert refused.value.status == 409
    mine = question(second, "technical.cirt.scope")
    expect(second.locator(".save-status")).to_have_text(
        live.ui("en", "Some answers were not saved: see the messages next to them.")
    )
    expect(mine.locator(".autosave-problem")).to_contain_text(seed.emails[0])

    # Saving the page shows both answers side by side.
    save = second.get_by_role("button", name=live.ui("en", "Save"), exact=True)
    save.click()
    expect(second.locator(".flash-error")).to_have_text(
        live.ui(
            "en",
            "Someone else changed some of these answers while you were editing. "
            "Nothing was saved: choose which answer to keep below.",
        )
    )
    conflict = mine.locator(".conflict")
    expect(conflict.locator(".their-value")).to_have_text(GOVERNMENT["en"])
    expect(conflict.locator(".your-value")).to_have_text(WHOLE_COUNTRY["en"])
    expect(conflict).to_contain_text(seed.emails[0])
    screenshot(second, artifacts / "journey-en-conflict.png")

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


def test_an_answer_changed_while_the_previous_one_is_being_saved_is_saved_as_well(
    live_server: LiveServer, open_page: OpenPage
) -> None:
    live = live_server
    seed = live.seed()
    page = open_page()
    sign_in(page, seed.emails[0])
    page.goto(f"/survey/{seed.submission_id}/technical")
    held: list[Route] = []

    def hold_the_first(route: Route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/autosave", hold_the_first)
    with page.expect_request("**/autosave"):
        choose(page, "technical.cirt.scope", "government")
    choose(page, "technical.cirt.scope", "national")  # while "government" is on its way
    assert len(held) == 1
    expect(page.locator(".save-status")).to_have_text(live.ui("en", "Unsaved changes…"))

    with autosaved(page, live.ui_pattern("en", "All changes saved at {time}")):
        held[0].continue_()
    assert live.answers_of(seed.submission_id) == {"technical.cirt.scope": "national"}
