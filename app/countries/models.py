from __future__ import annotations

from enum import StrEnum

from babel import Locale
from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Model, enum_column, model_repr


class Region(StrEnum):
    """The six ITU-D regions."""

    AFRICA = "africa"
    AMERICAS = "americas"
    ARAB_STATES = "arab_states"
    ASIA_PACIFIC = "asia_pacific"
    CIS = "cis"
    EUROPE = "europe"


class ItuStatus(StrEnum):
    MEMBER = "member"
    OBSERVER = "observer"


class Country(Model):
    __tablename__ = "countries"
    __table_args__ = (
        CheckConstraint("length(iso2) = 2", name="iso2_length"),
        CheckConstraint("length(iso3) = 3", name="iso3_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    iso2: Mapped[str] = mapped_column(String(2), unique=True)
    iso3: Mapped[str] = mapped_column(String(3), unique=True)
    region: Mapped[Region] = mapped_column(enum_column(Region, "region"), index=True)
    itu_status: Mapped[ItuStatus] = mapped_column(
        enum_column(ItuStatus, "itu_status"), default=ItuStatus.MEMBER
    )

    def name(self, lang: str = "en") -> str:
        """The country's name in `lang`, from the Unicode CLDR data that Babel ships."""
        return country_name(self.iso2, lang)

    def __repr__(self) -> str:
        return model_repr(self, "id", "iso3")


def country_name(iso2: str, lang: str) -> str:
    territories = Locale.parse(lang).territories
    return str(territories.get(iso2, iso2))
