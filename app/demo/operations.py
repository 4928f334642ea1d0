"""Creates demo accounts, campaigns and answers. Idempotent: running it again changes nothing
that is already there (and resets the demo passwords, so the printed logins always work)."""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.models import Role, User
from app.auth.operations import create_user, get_user_by_email
from app.auth.passwords import hash_password
from app.countries.operations import get_country, sync_countries

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published on purpose: demo databases only

#: Focal points for a few countries across regions and scripts.
DEMO_FOCAL_POINTS = ("FRA", "KEN", "EGY", "CHN", "BRA", "RUS")


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: Role
    country: str | None


def load_demo_data() -> list[DemoLogin]:
    sync_countries()
    logins = [
        _ensure_user("admin@demo.cybermaturity.org", Role.ADMIN),
        _ensure_user("reviewer@demo.cybermaturity.org", Role.REVIEWER),
    ]
    logins += [
        _ensure_user(f"focal.{iso3.lower()}@demo.cybermaturity.org", Role.FOCAL_POINT, iso3)
        for iso3 in DEMO_FOCAL_POINTS
    ]
    return logins


def _ensure_user(email: str, role: Role, iso3: str | None = None) -> DemoLogin:
    user: User | None = get_user_by_email(email)
    country = get_country(iso3) if iso3 else None
    if user is None:
        name = email.split("@", maxsplit=1)[0]
        create_user(email, DEMO_PASSWORD, role, name=name, country=country)
    else:
        user.password_hash = hash_password(DEMO_PASSWORD)
        user.is_active = True
    return DemoLogin(email, DEMO_PASSWORD, role, iso3)
