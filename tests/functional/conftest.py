"""Browser journeys: the real app served over HTTP from a thread, driven by headless Chromium.

The server runs against a database of its own (an SQLite file, or a PostgreSQL database when
TEST_DATABASE_URL is set), migrated once per run and dropped at the end. The browser's requests
arrive on other connections than the test's, so data is committed for real rather than kept in
the savepoint of `db_session`; every test seeds a country, people and a campaign of its own.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

from app import PROJECT_ROOT, create_app, db
from app.auth.models import Role
from app.campaigns.operations import create_campaign
from app.survey.models import Answer, Submission, SubmissionStatus
from questionnaires.loader import definition_from_json
from tests.factories import DEFAULT_PASSWORD, CountryFactory, UserFactory
from tests.support import database

#: Debian's Chromium (the `chromium` package the Makefile installs); never a downloaded build.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: Screenshots for people to look at; the folder is ignored by git.
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


def text(en: str, ar: str, zh: str, fr: str, ru: str, es: str) -> dict[str, str]:
    return {"en": en, "ar": ar, "zh": zh, "fr": fr, "ru": ru, "es": es}


LEGAL = text(
    "Legal measures",
    "التدابير القانونية",
    "法律措施",
    "Mesures juridiques",
    "Правовые меры",
    "Medidas jurídicas",
)
TECHNICAL = text(
    "Technical measures",
    "التدابير التقنية",
    "技术措施",
    "Mesures techniques",
    "Технические меры",
    "Medidas técnicas",
)
LAW = text(
    "Is there a law that makes attacks on computer systems a criminal offence?",
    "هل يوجد قانون يجرّم الاعتداء على الأنظمة الحاسوبية؟",
    "是否有法律将攻击计算机系统的行为定为刑事犯罪？",
    "Une loi érige-t-elle en infraction les attaques contre les systèmes informatiques ?",
    "Есть ли закон, который признаёт атаки на компьютерные системы преступлением?",
    "¿Existe una ley que tipifique como delito los ataques contra sistemas informáticos?",
)
YEAR = text(
    "In which year was the law adopted?",
    "في أي سنة اعتُمد القانون؟",
    "该法律于哪一年通过？",
    "En quelle année la loi a-t-elle été adoptée ?",
    "В каком году был принят закон?",
    "¿En qué año se aprobó la ley?",
)
CIRT = text(
    "Does the country have a national CIRT?",
    "هل لدى البلد فريق وطني للاستجابة للحوادث الحاسوبية؟",
    "该国是否设有国家计算机事件响应小组？",
    "Le pays dispose-t-il d'un CIRT national ?",
    "Есть ли в стране национальная группа CIRT?",
    "¿Cuenta el país con un CIRT nacional?",
)
STAFF = text(
    "How many people work full time in the national CIRT?",
    "كم عدد العاملين بدوام كامل في الفريق الوطني؟",
    "国家计算机事件响应小组有多少全职人员？",
    "Combien de personnes travaillent à plein temps au CIRT national ?",
    "Сколько человек работает в национальной группе CIRT на полную ставку?",
    "¿Cuántas personas trabajan a tiempo completo en el CIRT nacional?",
)
SCOPE = text(
    "Whom does the national CIRT serve?",
    "لمن يقدّم الفريق الوطني خدماته؟",
    "国家计算机事件响应小组为谁提供服务？",
    "Au service de qui le CIRT national travaille-t-il ?",
    "Кому оказывает услуги национальная группа CIRT?",
    "¿A quién presta servicio el CIRT nacional?",
)
GOVERNMENT = text(
    "Government bodies only",
    "الجهات الحكومية فقط",
    "仅政府机构",
    "Les administrations seulement",
    "Только государственным органам",
    "Solo a los organismos públicos",
)
WHOLE_COUNTRY = text(
    "The whole country",
    "البلد بأكمله",
    "全国",
    "Tout le pays",
    "Всей стране",
    "Todo el país",
)

#: Two pillars, a follow-up shown only after "yes" in each, evidence required for a "yes", and
#: a required question the journeys leave open until the submission says it is missing.
DEFINITION: dict[str, Any] = {
    "id": "browser-journey",
    "version": 1,
    "model": "weighted",
    "title": text(
        "National cybersecurity (short form)",
        "الأمن السيبراني الوطني (صيغة مختصرة)",
        "国家网络安全（简表）",
        "Cybersécurité nationale (version courte)",
        "Национальная кибербезопасность (краткая форма)",
        "Ciberseguridad nacional (versión breve)",
    ),
    "pillars": [
        {
            "id": "legal",
            "title": LEGAL,
            "indicators": [
                {
                    "id": "legal.cybercrime",
                    "title": text(
                        "Cybercrime law",
                        "قانون الجرائم الإلكترونية",
                        "网络犯罪立法",
                        "Loi sur la cybercriminalité",
                        "Закон о киберпреступности",
                        "Ley sobre ciberdelincuencia",
                    ),
                    "questions": [
                        {
                            "id": "legal.cybercrime.law",
                            "type": "yes_no",
                            "text": LAW,
                            "evidence": {
                                "rule": "required_if_positive",
                                "help": text(
                                    "The published text of the law.",
                                    "النص المنشور للقانون.",
                                    "已公布的法律文本。",
                                    "Le texte publié de la loi.",
                                    "Опубликованный текст закона.",
                                    "El texto publicado de la ley.",
                                ),
                            },
                        },
                        {
                            "id": "legal.cybercrime.year",
                            "type": "number",
                            "text": YEAR,
                            "integer": True,
                            "min": 1970,
                            "max": 2100,
                            "scored": False,
                            "show_if": {"question": "legal.cybercrime.law", "equals": "yes"},
                        },
                    ],
                }
            ],
        },
        {
            "id": "technical",
            "title": TECHNICAL,
            "indicators": [
                {
                    "id": "technical.cirt",
                    "title": text(
                        "National CIRT",
                        "الفريق الوطني للاستجابة للحوادث",
                        "国家计算机事件响应小组",
                        "CIRT national",
                        "Национальная группа CIRT",
                        "CIRT nacional",
                    ),
                    "questions": [
                        {"id": "technical.cirt.exists", "type": "yes_no", "text": CIRT},
                        {
                            "id": "technical.cirt.staff",
                            "type": "number",
                            "text": STAFF,
                            "integer": True,
                            "min": 0,
                            "thresholds": [{"min": 0, "score": 0}, {"min": 10, "score": 1}],
                            "unit": text("people", "شخصًا", "人", "personnes", "чел.", "personas"),
                            "show_if": {"question": "technical.cirt.exists", "equals": "yes"},
                        },
                        {
                            "id": "technical.cirt.scope",
                            "type": "single_choice",
                            "text": SCOPE,
                            "choices": [
                                {"id": "government", "label": GOVERNMENT, "score": 0.5},
                                {"id": "national", "label": WHOLE_COUNTRY, "score": 1},
                            ],
                        },
                    ],
                }
            ],
        },
    ],
}

#: Real countries, so pages and screenshots show real names in every script; one per test.
_COUNTRIES = iter([("JO", "JOR"), ("UY", "URY"), ("NP", "NPL"), ("SN", "SEN"), ("FJ", "FJI")])
_CAMPAIGN_NUMBERS = itertools.count(1)


@dataclass(frozen=True)
class Seed:
    submission_id: int
    campaign_title: str
    emails: list[str]


@dataclass
class LiveServer:
    app: Flask
    url: str

    def ui(self, lang: str, message: str) -> str:
        """A message of the interface as the app shows it in `lang` (translated or not)."""
        with self.app.test_request_context(), force_locale(lang):
            return str(gettext(message))

    def ui_pattern(self, lang: str, message: str) -> re.Pattern[str]:
        """A message with `{placeholders}` (filled in by the page's script) as a pattern."""
        parts = re.split(r"\{\w+\}", self.ui(lang, message))
        return re.compile(".+".join(re.escape(part) for part in parts))

    def seed(self, focal_points: int = 1, definition: dict[str, Any] | None = None) -> Seed:
        """A country with its focal points and an open campaign on `definition` (DEFINITION
        unless given), committed."""
        with self.app.app_context():
            codes = next(_COUNTRIES, None)
            country: Any = (
                CountryFactory(iso2=codes[0], iso3=codes[1]) if codes else CountryFactory()
            )
            users: list[Any] = [
                UserFactory(role=Role.FOCAL_POINT, country=country) for _ in range(focal_points)
            ]
            title = f"Cybersecurity self-assessment {2025 + next(_CAMPAIGN_NUMBERS)}"
            today = dt.datetime.now(dt.UTC).date()
            campaign = create_campaign(
                definition_from_json(definition or DEFINITION),
                title,
                today - dt.timedelta(days=1),
                today + dt.timedelta(days=30),
            )
            submission_id = db.session.scalar(
                select(Submission.id).where(
                    Submission.campaign_id == campaign.id, Submission.country_id == country.id
                )
            )
            assert submission_id is not None
            seed = Seed(submission_id, title, [user.email for user in users])
            db.session.commit()
        return seed

    def status_of(self, submission_id: int) -> SubmissionStatus:
        with self.app.app_context():
            submission = db.session.get(Submission, submission_id)
            assert submission is not None
            return submission.status

    def answers_of(self, submission_id: int) -> dict[str, Any]:
        with self.app.app_context():
            rows = db.session.scalars(select(Answer).where(Answer.submission_id == submission_id))
            return {row.question_id: row.value for row in rows}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    reason = f"no Chromium at {CHROMIUM}: `make test` installs Debian's `chromium` package"
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_database(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[str]:
    """A migrated database for the served app alone, dropped after the run."""
    with database.empty_database(
        os.environ.get("TEST_DATABASE_URL"), tmp_path_factory.mktemp("live-db"), f"live_{worker_id}"
    ) as url:
        database.upgrade(url)
        yield url


@pytest.fixture(scope="session")
def live_server(
    live_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The app on 127.0.0.1 at a free port, one thread per request, for the whole run."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": live_database,
            "INSTANCE_PATH": tmp_path_factory.mktemp("live-instance"),
            "SECRET_KEY": "browser-test-secret-key-not-for-production",
            "SESSION_COOKIE_SECURE": False,  # plain HTTP on the loopback interface
            "SCORECARD_RENDER_PROCESSES": 0,
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        db.dispose(app)  # before the database is dropped


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def screenshot(page: Page, path: Path) -> None:
    """The whole page as it lays out in a window that tall (the save bar then sits at the end
    of the form instead of across the middle of a stitched full-page capture)."""
    viewport = page.viewport_size
    assert viewport is not None
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": height})
    page.screenshot(path=path)
    page.set_viewport_size(viewport)


def sign_in(page: Page, email: str) -> None:
    """Sign in through the form, as a person does, and land on the survey list."""
    page.goto("/sign-in")
    page.locator('input[name="email"]').fill(email)
    password = page.locator('input[name="password"]')
    password.fill(DEFAULT_PASSWORD)
    password.press("Enter")
    expect(page).to_have_url(re.compile(r"/survey/$"))


@pytest.fixture
def open_page(browser: Browser, live_server: LiveServer) -> Iterator[Any]:
    """Open a page in a fresh browser context (its own cookies: its own person) in a language.

    Script errors and Content-Security-Policy violations on any of these pages fail the test.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def open_page(lang: str = "en") -> Page:
        context = browser.new_context(
            base_url=live_server.url, locale=lang, viewport={"width": 1280, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, problems
