"""The page's script and the server show and hide the same questions, for every operator of
`show_if` and for conditions that read answers of an earlier section.

Each case changes answers in the browser, checks what the script shows, then reloads the page
once autosave has saved them: the server's page must show exactly the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.functional.conftest import LiveServer, sign_in

pytestmark = pytest.mark.browser

OpenPage = Callable[..., Page]


def t(en: str) -> dict[str, str]:
    return {lang: (en if lang == "en" else f"[{lang}] {en}") for lang in LANGUAGES}


LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


def q(question_id: str, kind: str, **options: Any) -> dict[str, Any]:
    return {
        "id": question_id,
        "type": kind,
        "text": t(question_id),
        "required": False,
        "scored": False,
        **options,
    }


def choices(*ids: str) -> list[dict[str, Any]]:
    return [{"id": i, "label": t(i.title()), "score": 0} for i in ids]


CHOICE = "second.gates.choice"
NUMBER = "second.gates.number"
MULTI = "second.gates.multi"
LEVEL = "first.gates.level"

#: One shown-if question per operator, on the second page; `cross` reads the first page.
CONDITIONS: dict[str, Any] = {
    "equals": {"question": CHOICE, "equals": "a"},
    "in": {"question": CHOICE, "in": ["b", "c"]},
    "answered": {"question": NUMBER, "answered": True},
    "gt": {"question": NUMBER, "gt": 10},
    "gte": {"question": NUMBER, "gte": 10},
    "lt": {"question": NUMBER, "lt": 5},
    "lte": {"question": NUMBER, "lte": 5},
    "all": {"all": [{"question": CHOICE, "equals": "a"}, {"question": MULTI, "equals": "x"}]},
    "any": {"any": [{"question": CHOICE, "equals": "b"}, {"question": NUMBER, "gte": 100}]},
    "not": {"not": {"question": CHOICE, "equals": "a"}},
    "cross": {"all": [{"question": LEVEL, "gte": 3}, {"question": CHOICE, "answered": True}]},
}

DEFINITION: dict[str, Any] = {
    "id": "browser-conditions",
    "version": 1,
    "model": "weighted",
    "title": t("Conditions"),
    "pillars": [
        {
            "id": "first",
            "title": t("First"),
            "indicators": [
                {
                    "id": "first.gates",
                    "title": t("First gates"),
                    "questions": [
                        q(LEVEL, "level", levels={str(n): t(f"Level {n}") for n in range(5)}),
                    ],
                }
            ],
        },
        {
            "id": "second",
            "title": t("Second"),
            "indicators": [
                {
                    "id": "second.gates",
                    "title": t("Second gates"),
                    "questions": [
                        q(CHOICE, "single_choice", choices=choices("a", "b", "c")),
                        q(NUMBER, "number"),
                        q(MULTI, "multi_choice", choices=choices("x", "y")),
                        *(
                            q(f"second.gates.if_{name}", "yes_no", show_if=condition)
                            for name, condition in CONDITIONS.items()
                        ),
                    ],
                }
            ],
        },
    ],
}


@dataclass
class Visit:
    live: LiveServer
    page: Page
    submission_id: int

    def open(self, section: str) -> None:
        self.page.goto(f"/survey/{self.submission_id}/{section}")

    def block(self, question_id: str) -> Locator:
        return self.page.locator(f'.question[data-question="{question_id}"]')

    def saving(self, change: Callable[[], None]) -> None:
        """Make a change and wait until autosave has saved it."""
        saved = self.live.ui_pattern("en", "All changes saved at {time}")
        with self.page.expect_response(lambda r: r.url.endswith("/autosave")):
            change()
        expect(self.page.locator(".save-status")).to_have_text(saved)

    def choose(self, question_id: str, value: str) -> None:
        self.saving(lambda: self.block(question_id).locator(f'input[value="{value}"]').check())

    def tick(self, question_id: str, value: str, on: bool = True) -> None:
        box = self.block(question_id).locator(f'input[value="{value}"]')
        self.saving(lambda: box.check() if on else box.uncheck())

    def type_number(self, question_id: str, text: str) -> None:
        field = self.block(question_id).locator(f'input[name="{question_id}"]')

        def change() -> None:
            field.fill(text)
            field.dispatch_event("change")

        self.saving(change)

    def shows(self, name: str, visible: bool) -> None:
        """The script shows (or hides) the question of `name`, and so does the server's page."""
        block = self.block(f"second.gates.if_{name}")
        for _ in ("script", "server"):
            if visible:
                expect(block).to_be_visible()
            else:
                expect(block).to_be_hidden()
            self.page.reload()


@pytest.fixture
def visit(live_server: LiveServer, open_page: OpenPage) -> Visit:
    seed = live_server.seed(definition=DEFINITION)
    page = open_page("en")
    sign_in(page, seed.emails[0])
    visit = Visit(live_server, page, seed.submission_id)
    visit.open("second")
    return visit


def test_equals(visit: Visit) -> None:
    visit.shows("equals", False)
    visit.choose(CHOICE, "a")
    visit.shows("equals", True)
    visit.choose(CHOICE, "b")
    visit.shows("equals", False)


def test_in(visit: Visit) -> None:
    visit.shows("in", False)
    visit.choose(CHOICE, "c")
    visit.shows("in", True)
    visit.choose(CHOICE, "a")
    visit.shows("in", False)


def test_answered(visit: Visit) -> None:
    visit.shows("answered", False)
    visit.type_number(NUMBER, "0")
    visit.shows("answered", True)
    visit.type_number(NUMBER, "")
    visit.shows("answered", False)


@pytest.mark.parametrize(
    ("name", "cases"),
    [
        ("gt", [("10", False), ("10.5", True), ("1 200", True)]),
        ("gte", [("9,99", False), ("10", True), ("11", True)]),
        ("lt", [("5", False), ("4.9", True), ("-3", True)]),
        ("lte", [("5.01", False), ("5", True), ("0", True)]),
    ],
)
def test_number_comparisons(visit: Visit, name: str, cases: list[tuple[str, bool]]) -> None:
    visit.shows(name, False)  # unanswered compares as no number
    for typed, shown in cases:
        visit.type_number(NUMBER, typed)
        visit.shows(name, shown)


def test_all(visit: Visit) -> None:
    visit.choose(CHOICE, "a")
    visit.shows("all", False)
    visit.tick(MULTI, "x")
    visit.shows("all", True)
    visit.tick(MULTI, "y")
    visit.shows("all", True)  # `equals` looks among the ticked choices
    visit.tick(MULTI, "x", on=False)
    visit.shows("all", False)


def test_any(visit: Visit) -> None:
    visit.shows("any", False)
    visit.type_number(NUMBER, "100")
    visit.shows("any", True)
    visit.type_number(NUMBER, "99")
    visit.shows("any", False)
    visit.choose(CHOICE, "b")
    visit.shows("any", True)


def test_not(visit: Visit) -> None:
    visit.shows("not", True)  # unanswered equals nothing
    visit.choose(CHOICE, "a")
    visit.shows("not", False)
    visit.choose(CHOICE, "c")
    visit.shows("not", True)


def test_a_condition_on_an_answer_of_an_earlier_section(visit: Visit) -> None:
    visit.choose(CHOICE, "a")
    visit.shows("cross", False)  # the first page's level is not answered yet
    visit.open("first")
    visit.choose(LEVEL, "3")
    visit.open("second")
    page = visit.page
    form = page.locator("#section-form")
    expect(form).to_have_attribute("data-answers", re.compile(r'"first\.gates\.level": ?3'))
    visit.shows("cross", True)
    # The script reads the earlier answer as the server does, whatever changes on this page.
    visit.choose(CHOICE, "b")
    visit.shows("cross", True)
    visit.open("first")
    visit.choose(LEVEL, "2")
    visit.open("second")
    visit.shows("cross", False)
