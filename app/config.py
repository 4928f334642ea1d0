"""Configuration: one declared set of settings, read from the environment, validated once.

Every setting, its environment variable and its default is documented in docs/configuration.md.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from questionnaires.schema import LANGUAGES

logger = logging.getLogger(__name__)

#: The folder for everything the app writes: the SQLite file, the secret key, uploads, mail.
DEFAULT_INSTANCE_PATH = Path(__file__).resolve().parent.parent / "instance"


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says which setting and why."""


class Settings(BaseModel):
    """Settings with their defaults; environment variables of the same name override them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    INSTANCE_PATH: Path = DEFAULT_INSTANCE_PATH
    DATABASE_URL: str = ""  # empty: an SQLite file under INSTANCE_PATH
    SECRET_KEY: str = ""  # empty: generated once and kept in INSTANCE_PATH/secret_key
    UPLOAD_FOLDER: Path | None = None  # None: INSTANCE_PATH/uploads
    MAX_UPLOAD_SIZE: int = Field(default=20 * 1024 * 1024, gt=0)
    REDIS_URL: str | None = None
    DEFAULT_LANGUAGE: str = "en"
    SESSION_COOKIE_SECURE: bool = True
    MAIL_FOLDER: Path | None = None  # None: INSTANCE_PATH/mail
    SMTP_URL: str | None = None
    MAIL_SENDER: str = "cybermaturity@localhost"
    BASE_URL: str = "http://127.0.0.1:5000"  # links in e-mail; never taken from the Host header
    SURVEY_FRAGMENT_CACHE_MB: int = Field(default=64, ge=0)  # rendered questions, per worker
    SCORECARD_RENDER_PROCESSES: int | None = Field(default=None, ge=0, le=64)  # None: per core
    SESSION_IDLE_MINUTES: int = Field(default=60, ge=1, le=7 * 24 * 60)
    SESSION_MAX_HOURS: int = Field(default=12, ge=1, le=30 * 24)
    TESTING: bool = False
    DEBUG: bool = False

    @field_validator("DEFAULT_LANGUAGE")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("REDIS_URL", "SMTP_URL")
    @classmethod
    def _empty_is_unset(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("SMTP_URL")
    @classmethod
    def _smtp_scheme(cls, value: str | None) -> str | None:
        if value and urlsplit(value).scheme not in ("smtp", "smtps"):
            raise ValueError("must start with smtp:// (STARTTLS) or smtps:// (TLS)")
        return value

    @field_validator("BASE_URL")
    @classmethod
    def _absolute_http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an absolute http:// or https:// address")
        return value.rstrip("/")


def _from_environment(environ: dict[str, str]) -> dict[str, str]:
    return {key: environ[key] for key in Settings.model_fields if environ.get(key, "") != ""}


def load_settings(
    override: dict[str, Any] | None = None, environ: dict[str, str] | None = None
) -> Settings:
    """Defaults, then the environment, then `override` (tests); derived defaults filled in last."""
    override = dict(override or {})
    unknown = sorted(set(override) - set(Settings.model_fields))
    if unknown:
        logger.warning("Ignoring unknown configuration keys: %s", ", ".join(unknown))
        for key in unknown:
            override.pop(key)
    values: dict[str, Any] = {**_from_environment(dict(environ or os.environ)), **override}
    try:
        settings = Settings.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(f"{err['loc'][0]}: {err['msg']}" for err in exc.errors())
        raise ConfigError(f"Invalid configuration: {problems}") from exc
    return _fill_derived(settings)


def _fill_derived(settings: Settings) -> Settings:
    instance = settings.INSTANCE_PATH
    return settings.model_copy(
        update={
            "DATABASE_URL": settings.DATABASE_URL or f"sqlite:///{instance / 'cybermaturity.db'}",
            "UPLOAD_FOLDER": settings.UPLOAD_FOLDER or instance / "uploads",
            "MAIL_FOLDER": settings.MAIL_FOLDER or instance / "mail",
        }
    )


def secret_key(settings: Settings) -> str:
    """The configured key, or one generated on first start and kept in the instance folder.

    Never a constant in code: a shared default key would let anyone forge sessions.
    """
    if settings.SECRET_KEY:
        return settings.SECRET_KEY
    path = settings.INSTANCE_PATH / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def flask_config(settings: Settings) -> dict[str, Any]:
    """The Flask and extension keys derived from our settings."""
    return {
        **settings.model_dump(),
        "SECRET_KEY": secret_key(settings),
        # Room beside the largest file for a page of long answers (CJK text is 3 bytes a character).
        "MAX_CONTENT_LENGTH": settings.MAX_UPLOAD_SIZE + 16 * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 8 * 1024 * 1024,  # one field; Werkzeug's default is 500 kB
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "BABEL_DEFAULT_LOCALE": settings.DEFAULT_LANGUAGE,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    }
