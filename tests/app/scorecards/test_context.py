"""The scorecard's context: scoring results turned into display values, in one language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.scorecards.context import (
    MAX_TEXT_ANSWER,
    EarlierResult,
    Place,
    Scorecard,
    ScorecardData,
    build_scorecard,
)
from questionnaires.answers import parse_answers
from questionnaires.loader import definition_from_json
from questionnaires.schema import Definition
from scoring import score
from tests.app.conftest import DEFINITION
from tests.app.scorecards.conftest import (
    ANSWERS,
    CIRT,
    NATIONAL,
    answers_for,
    peer_benchmark,
    shipped,
)

KENYA = Place("KE", "KEN", "africa")


@pytest.fixture
def small() -> Definition:
    return definition_from_json(DEFINITION)


def card_of(
    definition: Definition, raw: dict[str, Any], lang: str = "en", **extra: Any
) -> Scorecard:
    return build_scorecard(ScorecardData(definition, parse_answers(definition, raw), **extra), lang)


def test_headline_figures_in_the_language(small: Definition) -> None:
    card = card_of(small, ANSWERS, "fr", country=KENYA, date=dt.date(2026, 5, 1))
    profile = score(small, parse_answers(small, ANSWERS))
    assert card.country == "Kenya"
    assert card.total == f"{profile.total:.2f}".replace(".", ",")
    assert card.max_total == "100"
    assert card.date == "1 mai 2026"
    assert card.direction == "ltr"
    assert card.draft
    assert [s.title for s in card.sections] == ["[fr] Legal", "[fr] Technical"]
    assert card.radar is None  # two pillars make no radar


def test_arabic_is_right_to_left(small: Definition) -> None:
    card = card_of(small, ANSWERS, "ar", country=KENYA)
    assert card.direction == "rtl"
    assert card.country == "كينيا"


def test_official_statuses_carry_no_watermark(small: Definition) -> None:
    for status, draft in (("submitted", True), ("validated", False), ("published", False)):
        assert card_of(small, ANSWERS, status=status).draft is draft


def test_appendix_lists_shown_questions_with_answers_and_evidence(small: Definition) -> None:
    raw = {**ANSWERS, "legal.law.exists": "no", "technical.cirt.maturity": 3}
    card = card_of(small, raw, "es", evidence=frozenset({"technical.cirt.exists"}))
    rows = {row.id: row for part in card.appendix for row in part.rows}
    assert "legal.law.adopted" not in rows  # hidden: the law does not exist
    assert rows["legal.law.exists"].answer.kind == "no"
    assert rows["legal.law.exists"].evidence is False  # evidence asked for, none given
    assert rows["technical.cirt.exists"].evidence is None  # no evidence asked for
    assert rows["legal.law.offences"].answer.lines == ("[es] Access",)
    assert rows["technical.cirt.maturity"].answer.kind == "level"
    assert rows["technical.cirt.staff"].answer.lines == ("12",)
    assert rows["legal.law.remarks"].answer.kind == "none"
    assert rows["legal.law.exists"].number == "1.1.1"
    assert rows["technical.cirt.kind"].number == "2.1.3"


def test_a_long_text_answer_is_cut(small: Definition) -> None:
    card = card_of(small, {"legal.law.remarks": "word " * MAX_TEXT_ANSWER})
    row = next(r for part in card.appendix for r in part.rows if r.id == "legal.law.remarks")
    assert row.answer.cut
    assert sum(len(line) for line in row.answer.lines) <= MAX_TEXT_ANSWER


def test_benchmarks_and_the_radar() -> None:
    definition = shipped(NATIONAL)
    answers = answers_for(definition, 0.5)
    peers = peer_benchmark(definition, "africa", count=3)
    card = build_scorecard(ScorecardData(definition, answers, country=KENYA, benchmark=peers), "en")
    assert card.region_countries == 3
    assert card.region_total == f"{peers.groups['africa'].total.mean:.2f}"
    assert all(row.region_mean is not None for row in card.sections)
    assert card.radar is not None
    assert str(card.radar).count("<polygon") == 4 + 3  # four rings, three series
    elsewhere = build_scorecard(
        ScorecardData(definition, answers, country=Place("FR", "FRA", "europe"), benchmark=peers),
        "en",
    )
    assert elsewhere.region_total is None  # no European peers
    assert elsewhere.world_total is not None
    small_group = peer_benchmark(definition, "africa", count=2)
    hidden = build_scorecard(
        ScorecardData(definition, answers, country=KENYA, benchmark=small_group), "en"
    )
    assert hidden.region_total is None
    assert hidden.world_total is None
    assert all(row.world_mean is None for row in hidden.sections)


def test_change_since_an_earlier_campaign(small: Definition) -> None:
    before = score(small, parse_answers(small, {"legal.law.exists": "no"}))
    card = card_of(small, ANSWERS, earlier=EarlierResult("2024", before))
    assert card.change is not None
    assert card.change.trend == "up"
    assert card.change.before == f"{before.total:.2f}"
    assert card.change.difference.startswith("+")
    assert all(row.change is not None for row in card.sections)


def test_cirt_grid_and_gaps() -> None:
    definition = shipped(CIRT)
    card = build_scorecard(ScorecardData(definition, answers_for(definition, 0.4)), "en")
    assert card.model == "levels"
    assert len(card.parameters) == len(definition.questions())
    for row in card.parameters:
        if row.level is None:
            continue
        assert row.cells[row.level] == "at"
        assert all(cell == "below" for cell in row.cells[: row.level])
        if row.required is not None:
            assert row.cells[row.required] == "needed"
    assert card.gaps
    assert card.next_tier is not None
    assert all(gap.required > gap.level for gap in card.gaps)
