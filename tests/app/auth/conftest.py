"""Reading what the folder mailer wrote, and posting the auth forms as a browser would."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import pytest

from tests.app.auth.test_sign_in import csrf_token


@dataclass
class Mailbox:
    folder: Path

    def messages(self, to: str | None = None) -> list[EmailMessage]:
        found = []
        for path in sorted(self.folder.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if to is None or message["To"] == to:
                found.append(cast(EmailMessage, message))
        return found

    def only(self, to: str) -> EmailMessage:
        messages = self.messages(to)
        assert len(messages) == 1, f"{len(messages)} messages to {to}"
        return messages[0]


def text_of(message: EmailMessage, subtype: str = "plain") -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None
    return cast(str, cast(EmailMessage, part).get_content())


def link_in(message: EmailMessage) -> str:
    """The path of the first link to one of our token pages in the message's text."""
    match = re.search(r"https?://\S+/(?:reset-password|invitation)/\S+", text_of(message))
    assert match, "no link in the message"
    return urlsplit(match.group(0)).path


@pytest.fixture
def mailbox(app: Any) -> Mailbox:
    """The folder mailer's messages, starting from an empty folder."""
    folder = Path(app.config["MAIL_FOLDER"])
    for path in folder.glob("*.eml"):
        path.unlink()
    return Mailbox(folder)


def post_form(client: Any, url: str, data: dict[str, str], **kwargs: Any) -> Any:
    """POST a form with the session's CSRF token (read from a page that always shows one)."""
    token = csrf_token(client.get("/forgot-password").get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


class Clock:
    """A frozen `utcnow` for the token module; `advance` moves it on."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    frozen = Clock()
    monkeypatch.setattr("app.auth.tokens.utcnow", frozen)
    return frozen
