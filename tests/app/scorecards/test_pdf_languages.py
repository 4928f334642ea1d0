"""The national scorecard in the six UN languages and the CIRT profile, read back from the PDF:
country, total and tier in the scorecard's language, the fonts embedded, page numbers in the
reading order, the draft watermark on every page, Arabic in logical order.

Each PDF is rendered once per test run (`render_once`), whatever the number of assertions.
"""

from __future__ import annotations

import datetime as dt

import pytest
from babel import Locale
from babel.numbers import format_decimal

from app.scorecards.context import EarlierResult, Place, ScorecardData, build_scorecard
from app.scorecards.rendering import render_scorecard_pdf, translations
from questionnaires.schema import LANGUAGES
from scoring import score
from tests.app.scorecards.conftest import (
    CIRT,
    NATIONAL,
    Pdf,
    RenderOnce,
    answers_for,
    peer_benchmark,
    shipped,
)

EGYPT = Place("EG", "EGY", "arab_states")
KENYA = Place("KE", "KEN", "africa")
LATIN = {"Noto-Sans", "Noto-Sans-Bold"}
FONTS = {
    "ar": LATIN | {"Noto-Sans-Arabic", "Noto-Sans-Arabic-Bold"},
    "zh": LATIN | {"Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"},
    "en": LATIN,
    "fr": LATIN,
    "ru": LATIN,
    "es": LATIN,
}


def national_data(status: str = "draft") -> ScorecardData:
    definition = shipped(NATIONAL)
    before = score(definition, answers_for(definition, 0.35, seed=3), "EGY")
    return ScorecardData(
        definition=definition,
        answers=answers_for(definition, 0.6),
        evidence=frozenset({"legal.cybercrime_substantive.q1"}),
        country=EGYPT,
        campaign="Commitment 2026",
        status=status,
        date=dt.date(2026, 3, 4),
        benchmark=peer_benchmark(definition, "arab_states"),
        earlier=EarlierResult("Commitment 2024", before),
    )


def cirt_data(status: str) -> ScorecardData:
    definition = shipped(CIRT)
    return ScorecardData(
        definition, answers_for(definition, 0.5), country=KENYA, campaign="CIRT 2026", status=status
    )


def national(render_once: RenderOnce, lang: str) -> Pdf:
    return render_once(
        f"national-{lang}", lambda: render_scorecard_pdf(build_scorecard(national_data(), lang))
    )


def translated(lang: str, message: str) -> str:
    """`message` in `lang` as the scorecard templates translate it."""
    return str(translations(lang).gettext(message))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_country_total_and_tier_in_the_scorecards_language(
    render_once: RenderOnce, lang: str
) -> None:
    pdf = national(render_once, lang)
    data = national_data()
    profile = score(data.definition, data.answers, "EGY")
    first_page = pdf.pages[0]
    assert pdf.data.startswith(b"%PDF-")
    assert Locale.parse(lang).territories["EG"] in first_page
    assert str(format_decimal(profile.total, "0.00", locale=lang)) in first_page
    assert profile.tier is not None
    assert profile.tier.name.get(lang) in first_page
    assert data.definition.sections[0].title.get(lang) in first_page
    assert "Commitment 2026" in first_page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_only_the_expected_fonts_are_embedded(render_once: RenderOnce, lang: str) -> None:
    """Noto for every script and nothing else: a character missing from these fonts would
    bring in a fallback font (or a blank box) and show up here."""
    assert national(render_once, lang).fonts() == FONTS[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_has_its_number_and_the_draft_watermark(
    render_once: RenderOnce, lang: str
) -> None:
    pdf = national(render_once, lang)
    count = len(pdf.pages)
    assert count >= 4  # summary, indicators, the appendix
    watermark = translated(lang, "Draft, not validated")
    for number, text in enumerate(pdf.pages, start=1):
        # pypdf gives text left to right as drawn: in Arabic, read from the right, "1 / 7" is
        # drawn as "7 / 1".
        expected = f"{count} / {number}" if lang == "ar" else f"{number} / {count}"
        assert pdf.footer(number - 1) == expected
        assert watermark in text


def test_arabic_comes_out_in_logical_order(render_once: RenderOnce) -> None:
    pdf = national(render_once, "ar")
    definition = shipped(NATIONAL)
    for text in (
        "مصر",  # Egypt
        definition.title.ar,
        definition.sections[0].title.ar,
        definition.questions()[0].text.ar,
    ):
        assert len(text.split()) >= 1
        assert text in pdf.text.replace("\n", " ") or text in pdf.text
    assert "رصم" not in pdf.text  # the country's name reversed


def test_chinese_uses_the_cjk_font_for_every_han_character(render_once: RenderOnce) -> None:
    pdf = national(render_once, "zh")
    assert "埃及" in pdf.pages[0]  # Egypt
    assert shipped(NATIONAL).sections[1].title.zh in pdf.pages[0]
    assert "Noto-Sans-CJK-SC" in pdf.fonts()


def test_change_since_the_earlier_campaign_is_shown(render_once: RenderOnce) -> None:
    pdf = national(render_once, "en")
    data = national_data()
    now = score(data.definition, data.answers).total
    assert data.earlier is not None
    difference = round(now, 2) - round(data.earlier.profile.total, 2)
    assert "Commitment 2024" in pdf.pages[0]
    assert f"{difference:+.2f}" in pdf.pages[0]


def test_cirt_profile_validated_has_no_watermark(render_once: RenderOnce) -> None:
    pdf = render_once(
        "cirt-en-validated",
        lambda: render_scorecard_pdf(build_scorecard(cirt_data("validated"), "en")),
    )
    data = cirt_data("validated")
    profile = score(data.definition, data.answers, "KEN")
    assert "Draft, not validated" not in pdf.text
    assert "Kenya" in pdf.pages[0]
    assert f"{profile.total:.2f}" in pdf.pages[0]
    assert profile.next_tier is not None
    assert f"Gaps to the tier {profile.next_tier.name.en}" in pdf.text
    for category in data.definition.sections:
        assert category.title.en in pdf.text
    assert pdf.fonts() == LATIN


def test_cirt_profile_in_arabic(render_once: RenderOnce) -> None:
    pdf = render_once(
        "cirt-ar-draft",
        lambda: render_scorecard_pdf(build_scorecard(cirt_data("draft"), "ar")),
    )
    data = cirt_data("draft")
    profile = score(data.definition, data.answers, "KEN")
    assert "كينيا" in pdf.pages[0]  # Kenya
    assert profile.tier is None or profile.tier.name.ar in pdf.pages[0]
    assert all(translated("ar", "Draft, not validated") in text for text in pdf.pages)
    assert pdf.fonts() == FONTS["ar"]
