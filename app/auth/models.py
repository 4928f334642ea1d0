from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.countries.models import Country
from app.db import Model, enum_column, model_repr, utcnow


class Role(StrEnum):
    ADMIN = "admin"
    REVIEWER = "reviewer"
    FOCAL_POINT = "focal_point"


class User(UserMixin, Model):
    __tablename__ = "users"
    __table_args__ = (
        # A focal point answers for exactly one country; other roles are not bound to one.
        CheckConstraint(
            "(role = 'focal_point') = (country_id IS NOT NULL)", name="country_iff_focal_point"
        ),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    country_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_dt: Mapped[datetime | None]

    country: Mapped[Country | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return model_repr(self, "id", "email", "role")

    @property
    def credentials_fingerprint(self) -> str:
        """Changes whenever the e-mail or the password changes. Part of the session's user id and
        of every reset or invitation link, so that changing the password signs out every other
        session and voids links sent before. A one-way digest of the salted hash: it tells
        nothing about the password."""
        material = f"{self.email}\0{self.password_hash or ''}".encode()
        return hashlib.sha256(material).hexdigest()[:32]

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session; `app.auth.loader` checks it against the
        database on every request."""
        return f"{self.id}:{self.credentials_fingerprint}"
