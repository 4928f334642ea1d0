from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select

from app.countries.models import Country, Region, country_name
from app.countries.operations import read_country_records, sync_countries
from questionnaires.schema import LANGUAGES


def test_the_list_holds_the_193_member_states_and_palestine() -> None:
    records = read_country_records()
    assert len(records) == 194
    assert len({r.iso3 for r in records}) == len({r.iso2 for r in records}) == 194
    statuses = Counter(r.itu_status.value for r in records)
    assert statuses == {"member": 193, "observer": 1}
    assert {r.region for r in records} == set(Region)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_country_has_a_name_in_each_un_language(lang: str) -> None:
    for record in read_country_records():
        name = country_name(record.iso2, lang)
        assert name, (record.iso3, lang)
        assert name != record.iso2, (record.iso3, lang)


def test_names_are_in_the_language_asked_for() -> None:
    assert country_name("FR", "fr") == "France"
    assert country_name("CN", "zh") == "中国"
    assert country_name("EG", "ar") == "مصر"
    assert country_name("RU", "ru") == "Россия"


def test_sync_is_idempotent_and_updates_changes(app_context: None, db_session: Any) -> None:
    assert sync_countries() == (194, 0)
    assert sync_countries() == (0, 0)
    records = read_country_records()
    moved = [
        r if r.iso3 != "GEO" else type(r)(r.iso3, r.iso2, Region.CIS, r.itu_status) for r in records
    ]
    assert sync_countries(moved) == (0, 1)
    georgia = db_session.scalar(select(Country).where(Country.iso3 == "GEO"))
    assert georgia.region is Region.CIS
