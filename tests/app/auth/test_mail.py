"""The mailer: the recipient's language, sent only after commit, folder and SMTP delivery."""

from __future__ import annotations

import json
import logging
import re
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.models import Role
from app.auth.operations import request_password_reset
from app.config import ConfigError, load_settings
from app.mail import FolderMailer, SMTPMailer, get_mailer, mailer_from_config
from app.transactions import transactional
from tests.app.auth.conftest import Mailbox, link_in, post_form, text_of
from tests.app.auth.test_sign_in import csrf_token
from tests.factories import UserFactory


def test_mail_is_written_in_the_recipients_language(
    client: Any, db_session: Any, mailbox: Mailbox
) -> None:
    user = UserFactory(reviewer=True, locale="fr")
    post_form(client, "/forgot-password", {"email": user.email}, headers={"Accept-Language": "ar"})
    message = mailbox.only(user.email)
    assert message["Content-Language"] == "fr"
    assert re.search(r"\b2\s+heures\b", text_of(message))  # CLDR puts a no-break space
    assert '<html lang="fr" dir="ltr">' in text_of(message, "html")


def test_without_a_profile_language_mail_uses_the_default(
    client: Any, db_session: Any, mailbox: Mailbox
) -> None:
    user = UserFactory(reviewer=True, locale=None)
    post_form(client, "/forgot-password", {"email": user.email}, headers={"Accept-Language": "fr"})
    message = mailbox.only(user.email)
    assert message["Content-Language"] == "en"
    assert "2 hours" in text_of(message)


def test_nothing_is_sent_when_the_transaction_rolls_back(
    app: Any, db_session: Any, mailbox: Mailbox
) -> None:
    user = UserFactory(reviewer=True)

    @transactional
    def request_then_fail() -> None:
        request_password_reset(user.email)
        raise RuntimeError("something failed after the mail was queued")

    with app.app_context(), pytest.raises(RuntimeError):
        request_then_fail()
    assert mailbox.messages() == []
    with app.app_context():
        transactional(request_password_reset)(user.email)
    assert len(mailbox.messages(user.email)) == 1


def test_links_use_base_url_never_the_host_header(
    client: Any, db_session: Any, mailbox: Mailbox
) -> None:
    user = UserFactory(reviewer=True)
    client.get("/forgot-password", base_url="http://evil.example")
    token = csrf_token(client.get("/forgot-password", base_url="http://evil.example").text)
    client.post(
        "/forgot-password",
        data={"email": user.email, "csrf_token": token},
        base_url="http://evil.example",
    )
    text = text_of(mailbox.only(user.email))
    assert "evil.example" not in text
    assert "http://127.0.0.1:5000/reset-password/" in text


def test_the_folder_mailer_logs_recipient_and_subject_only(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    message = _message()
    with caplog.at_level(logging.INFO, logger="app.mail"):
        FolderMailer(tmp_path / "mail").send(message)
    assert "mail to someone@example.org: Hello there" in caplog.text
    assert "secret body" not in caplog.text
    [written] = (tmp_path / "mail").glob("*.eml")
    assert b"secret body" in written.read_bytes()
    assert not list((tmp_path / "mail").glob(".*"))  # no partial file left behind


def _message() -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = "Hello there"
    message["From"] = "cybermaturity@example.org"
    message["To"] = "someone@example.org"
    message.set_content("secret body")
    return message


class FakeSMTP:
    """Records what the mailer asks of an SMTP server; never opens a socket."""

    instances: list[FakeSMTP] = []

    def __init__(self, host: str, port: int, **kwargs: Any) -> None:
        self.host, self.port, self.kwargs = host, port, kwargs
        self.calls: list[str] = []
        self.sent: list[EmailMessage] = []
        FakeSMTP.instances.append(self)

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc: object) -> None:
        self.calls.append("quit")

    def starttls(self, **kwargs: Any) -> None:
        self.calls.append("starttls")

    def login(self, user: str, password: str) -> None:
        self.calls.append(f"login {user} {password}")

    def send_message(self, message: EmailMessage) -> None:
        self.calls.append("send")
        self.sent.append(message)


@pytest.fixture
def fake_smtp(monkeypatch: pytest.MonkeyPatch) -> type[FakeSMTP]:
    FakeSMTP.instances = []
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    monkeypatch.setattr("smtplib.SMTP_SSL", FakeSMTP)
    return FakeSMTP


def test_smtp_upgrades_with_starttls_and_logs_in(fake_smtp: type[FakeSMTP]) -> None:
    mailer = SMTPMailer("smtp://mailer%40example.org:p%40ss@smtp.example.org")
    mailer.send(_message())
    [server] = fake_smtp.instances
    assert (server.host, server.port) == ("smtp.example.org", 587)
    assert server.calls == ["starttls", "login mailer@example.org p@ss", "send", "quit"]
    assert "context" not in server.kwargs


def test_smtps_is_tls_from_the_start(fake_smtp: type[FakeSMTP]) -> None:
    SMTPMailer("smtps://smtp.example.org").send(_message())
    [server] = fake_smtp.instances
    assert (server.host, server.port) == ("smtp.example.org", 465)
    assert server.calls == ["send", "quit"]  # no STARTTLS, no login without credentials
    assert "context" in server.kwargs


def test_the_mailer_follows_the_configuration(tmp_path: Path) -> None:
    folder = mailer_from_config({"SMTP_URL": None, "MAIL_FOLDER": tmp_path})
    assert isinstance(folder, FolderMailer)
    assert folder.folder == tmp_path
    smtp = mailer_from_config({"SMTP_URL": "smtp://relay.example.org:25", "MAIL_FOLDER": tmp_path})
    assert isinstance(smtp, SMTPMailer)
    assert smtp.port == 25


def test_the_app_mailer_can_be_replaced(
    app: Any, client: Any, db_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Recorder:
        def __init__(self) -> None:
            self.sent: list[EmailMessage] = []

        def send(self, message: EmailMessage) -> None:
            self.sent.append(message)

        def describe(self) -> str:
            return "kept in memory"

    recorder = Recorder()
    monkeypatch.setitem(app.extensions, "mailer", recorder)
    user = UserFactory(reviewer=True)
    post_form(client, "/forgot-password", {"email": user.email})
    with app.app_context():
        assert get_mailer() is recorder
    assert [m["To"] for m in recorder.sent] == [user.email]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("SMTP_URL", "http://smtp.example.org"),
        ("BASE_URL", "cybermaturity.example.org"),
        ("BASE_URL", "ftp://cybermaturity.example.org"),
    ],
)
def test_mail_settings_are_validated(tmp_path: Path, key: str, value: str) -> None:
    with pytest.raises(ConfigError, match=key):
        load_settings({"INSTANCE_PATH": tmp_path}, environ={key: value})


def test_no_mail_content_or_token_reaches_the_audit_trail(
    app: Any, client: Any, db_session: Any, mailbox: Mailbox
) -> None:
    from tests.app.auth.test_invitations import accept, invite

    user = UserFactory(reviewer=True)
    post_form(client, "/forgot-password", {"email": user.email})
    reset = mailbox.only(user.email)
    reset_link = link_in(reset)
    post_form(client, reset_link, {"password": "x" * 16 + " long", "confirm": "x" * 16 + " long"})
    invite(app, "invited@example.org", Role.REVIEWER)
    invitation = mailbox.only("invited@example.org")
    accept(app.test_client(), link_in(invitation))

    trail = json.dumps(
        [
            [e.summary, e.data, e.meta]
            for e in db_session.scalars(select(AuditEvent).where(AuditEvent.module == "auth"))
        ]
    )
    for message in (reset, invitation):
        token = link_in(message).rsplit("/", 1)[1]
        assert token not in trail
        assert token.split(".")[0] not in trail  # not even the readable payload
        assert message["Subject"] not in trail
        assert "Open this link" not in trail
    assert "Password changed" in trail
    assert "Invitation accepted" in trail
