"""Outgoing e-mail: rendered from template folders in the recipient's language, queued during the
unit of work and delivered only once it has committed.

A message is a folder `templates/<feature>/email/<name>/` holding `subject.txt`, `body.txt` and
`body.html`, plus a function decorated with `@email(feature, name)` that returns the template
context. Calling the function renders the message and queues it:

    @email("auth", "invitation")
    def send_invitation_email(user: User, link: str) -> dict[str, Any]:
        return {"link": link}

The mailer is chosen by configuration: SMTP when `SMTP_URL` is set, otherwise a folder mailer that
writes one `.eml` file per message into `MAIL_FOLDER` (so a demo works offline).
"""

from __future__ import annotations

import functools
import logging
import os
import secrets
import smtplib
import ssl
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Protocol
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template

from app.db import utcnow
from app.i18n import LANGUAGES, force_locale
from app.transactions import after_commit

logger = logging.getLogger(__name__)

P = ParamSpec("P")

SMTP_TIMEOUT = 30  # seconds; a hung server must not hold a worker for ever


class Addressee(Protocol):
    """Whom a message goes to: an address and, when known, the language they read."""

    @property
    def email(self) -> str: ...

    @property
    def locale(self) -> str | None: ...


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...

    def describe(self) -> str:
        """Where mail goes, in a few words (for the command line)."""
        ...


class FolderMailer:
    """Writes each message to `<folder>/<time>-<random>.eml` and logs its recipient and subject."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}.eml"
        partial = self.folder / f".{name}.part"
        partial.write_bytes(message.as_bytes())
        os.replace(partial, self.folder / name)  # readers never see half a message
        logger.info("mail to %s: %s", message["To"], message["Subject"])

    def describe(self) -> str:
        return f"written to {self.folder} (SMTP_URL is not set)"


class SMTPMailer:
    """Sends through an SMTP server: `smtp://` upgrades with STARTTLS, `smtps://` is TLS at once.

    The URL may carry credentials: `smtp://user:password@host:587`.
    """

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://host:587 or smtps://host:465")
        self.use_ssl = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.use_ssl else 587)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None

    def send(self, message: EmailMessage) -> None:
        context = ssl.create_default_context()
        server: smtplib.SMTP
        if self.use_ssl:
            server = smtplib.SMTP_SSL(self.host, self.port, timeout=SMTP_TIMEOUT, context=context)
        else:
            server = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT)
        with server:
            if not self.use_ssl:
                server.starttls(context=context)
            if self.username:
                server.login(self.username, self.password or "")
            server.send_message(message)
        logger.info("mail to %s: %s", message["To"], message["Subject"])

    def describe(self) -> str:
        return f"sent through {self.host}:{self.port}"


def mailer_from_config(config: Mapping[str, Any]) -> Mailer:
    if config.get("SMTP_URL"):
        return SMTPMailer(config["SMTP_URL"])
    return FolderMailer(Path(config["MAIL_FOLDER"]))


def get_mailer() -> Mailer:
    """The app's mailer, made from its configuration on first use; tests may replace it in
    `app.extensions["mailer"]`."""
    mailer: Mailer | None = current_app.extensions.get("mailer")
    if mailer is None:
        mailer = current_app.extensions["mailer"] = mailer_from_config(current_app.config)
    return mailer


def recipient_language(to: Addressee) -> str:
    return to.locale if to.locale in LANGUAGES else str(current_app.config["DEFAULT_LANGUAGE"])


def render_email(folder: str, to: Addressee, context: Mapping[str, Any]) -> EmailMessage:
    """The message in `folder` (e.g. `auth/email/invitation`) in the recipient's language."""
    language = recipient_language(to)
    with force_locale(language):
        subject = render_template(f"{folder}/subject.txt", **context)
        text = render_template(f"{folder}/body.txt", **context)
        html = render_template(f"{folder}/body.html", **context)
    sender = str(current_app.config["MAIL_SENDER"])
    message = EmailMessage()
    message["Subject"] = " ".join(subject.split())  # one line, whatever the template did
    message["From"] = sender
    message["To"] = to.email
    message["Date"] = format_datetime(utcnow())
    # A domain of our own: without one, make_msgid asks DNS for this host's name.
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = language  # after the body: setting one drops Content-* headers
    return message


def queue(message: EmailMessage) -> None:
    """Send `message` once the current transaction commits; drop it if it rolls back."""
    after_commit(functools.partial(get_mailer().send, message))


def email(
    feature: str, name: str
) -> Callable[
    [Callable[Concatenate[Any, P], dict[str, Any]]],
    Callable[Concatenate[Any, P], EmailMessage],
]:
    """Make a context function into one that renders `templates/<feature>/email/<name>/` for its
    first argument (the recipient, e.g. a User) and queues the message. The context function runs
    in the recipient's language too, so what it formats or translates reads right."""
    folder = f"{feature}/email/{name}"

    def decorator(
        func: Callable[Concatenate[Any, P], dict[str, Any]],
    ) -> Callable[Concatenate[Any, P], EmailMessage]:
        @functools.wraps(func)
        def wrapper(to: Any, /, *args: P.args, **kwargs: P.kwargs) -> EmailMessage:
            with force_locale(recipient_language(to)):  # the context may hold translated text
                context = {"recipient": to, **func(to, *args, **kwargs)}
                message = render_email(folder, to, context)
            queue(message)
            return message

        return wrapper

    return decorator


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link to `endpoint` under BASE_URL, for e-mail.

    Never built from the request's Host header: a forged header would otherwise put an
    attacker's address into a password reset link.
    """
    base = urlsplit(str(current_app.config["BASE_URL"]))
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
