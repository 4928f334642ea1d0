"""Country reference data: the ITU member states with their ITU-D regions."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app import audit, db
from app.countries.models import Country, ItuStatus, Region

DATA_FILE = Path(__file__).with_name("itu_countries.tsv")


@dataclass(frozen=True)
class CountryRecord:
    iso3: str
    iso2: str
    region: Region
    itu_status: ItuStatus


def read_country_records(path: Path = DATA_FILE) -> list[CountryRecord]:
    with path.open(encoding="utf-8") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        return [
            CountryRecord(row["iso3"], row["iso2"], Region(row["region"]), ItuStatus(row["status"]))
            for row in rows
        ]


def sync_countries(records: list[CountryRecord] | None = None) -> tuple[int, int]:
    """Insert missing countries and update changed ones; returns (created, updated)."""
    records = records if records is not None else read_country_records()
    existing = {c.iso3: c for c in db.session.scalars(select(Country))}
    created = updated = 0
    for record in records:
        country = existing.get(record.iso3)
        if country is None:
            db.session.add(_new_country(record))
            created += 1
        elif (country.iso2, country.region, country.itu_status) != (
            record.iso2,
            record.region,
            record.itu_status,
        ):
            country.iso2, country.region, country.itu_status = (
                record.iso2,
                record.region,
                record.itu_status,
            )
            updated += 1
    db.session.flush()
    if created or updated:
        audit.record("countries", f"Country list synchronised: {created} new, {updated} changed")
    return created, updated


def _new_country(record: CountryRecord) -> Country:
    return Country(
        iso3=record.iso3, iso2=record.iso2, region=record.region, itu_status=record.itu_status
    )


def get_country(iso3: str) -> Country | None:
    return db.session.scalar(select(Country).where(Country.iso3 == iso3.upper()))
