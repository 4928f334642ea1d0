"""Read-only units of work (`db.reads_only`): on SQLite they begin DEFERRED and cannot write,
so page views read side by side; everything else still begins IMMEDIATE. On PostgreSQL they run
without a transaction of their own, and cannot write either.

The shared test database runs each test inside one transaction, where no request begins one of
its own; these tests use a database of their own so that requests do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine, event, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from app import db
from app.audit import AuditEvent
from app.auth.models import Role, User
from app.campaigns.operations import create_campaign
from app.survey import operations
from app.survey.models import Submission
from app.transactions import transactional
from questionnaires.loader import definition_from_json
from tests.app.conftest import DEFINITION, csrf_token, login
from tests.factories import CountryFactory, UserFactory
from tests.support import database


@pytest.fixture(scope="module")
def own_app(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Any]:
    with database.committed_app(
        tmp_path_factory.mktemp("read_only"), f"read_only_{worker_id}"
    ) as app:
        yield app


@pytest.fixture
def statements(own_app: Any) -> Iterator[list[str]]:
    sent: list[str] = []
    engine = own_app.extensions["database_engine"]

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield sent
    event.remove(engine, "before_cursor_execute", record)


def on(app: Any, dialect: str) -> None:
    if app.extensions["database_engine"].dialect.name != dialect:
        pytest.skip(f"{dialect}'s way of reading")


def test_sqlite_read_only_transactions_begin_deferred_and_refuse_writes(own_app: Any) -> None:
    on(own_app, "sqlite")
    engine: Engine = own_app.extensions["database_engine"]
    reader = own_app.extensions["database_engine_read_only"]
    with reader.connect() as reading:
        reading.begin()
        assert reading.execute(text("PRAGMA query_only")).scalar() == 1
        reading.execute(text("SELECT count(*) FROM countries")).scalar()
        # Readers hold no write lock: a writer goes ahead meanwhile.
        with engine.begin() as writing:
            writing.execute(text("CREATE TABLE scratch (n INTEGER)"))
        with pytest.raises(OperationalError, match="readonly"):
            reading.execute(text("DELETE FROM countries"))
        reading.rollback()
    # The same pooled connection writes again in an ordinary transaction.
    with engine.begin() as writing:
        assert writing.execute(text("PRAGMA query_only")).scalar() == 0
        writing.execute(text("DROP TABLE scratch"))


def test_postgresql_read_only_work_runs_without_transactions_and_refuses_writes(
    own_app: Any,
) -> None:
    on(own_app, "postgresql")
    reader = own_app.extensions["database_engine_read_only"]
    with reader.connect() as reading:
        assert reading.connection.dbapi_connection.autocommit
        assert reading.execute(text("SHOW default_transaction_read_only")).scalar() == "on"
        with pytest.raises(DBAPIError, match="read-only transaction"):
            reading.execute(text("DELETE FROM countries"))
    with own_app.extensions["database_engine"].connect() as writing:
        assert not writing.connection.dbapi_connection.autocommit
        assert writing.execute(text("SHOW default_transaction_read_only")).scalar() == "off"


@pytest.fixture
def world(own_app: Any) -> dict[str, Any]:
    """Two countries with a submission each and a focal point of the first, committed."""

    def make() -> dict[str, Any]:
        own, other = CountryFactory(), CountryFactory()
        focal_point = UserFactory(role=Role.FOCAL_POINT, country=own)
        today = dt.datetime.now(dt.UTC).date()
        campaign = create_campaign(
            definition_from_json(DEFINITION),
            f"Read-only {own.iso3}",
            today - dt.timedelta(days=1),
            today + dt.timedelta(days=30),
        )
        submissions = db.session.scalars(
            select(Submission).where(Submission.campaign_id == campaign.id)
        ).all()
        by_country = {s.country_id: s.id for s in submissions}
        return {
            "focal_point": SimpleNamespace(id=focal_point.id, email=focal_point.email),
            "own": by_country[own.id],
            "other": by_country[other.id],
        }

    with own_app.app_context():
        made: dict[str, Any] = transactional(make)()
    return made


def test_page_views_read_in_deferred_transactions_and_autosave_writes_in_an_immediate_one(
    own_app: Any, world: dict[str, Any], statements: list[str]
) -> None:
    client = own_app.test_client()
    login(client, world["focal_point"])
    client.get(f"/survey/{world['own']}/legal")  # the session's first page stores its CSRF secret
    statements.clear()
    page = client.get(f"/survey/{world['own']}/legal")
    assert page.status_code == 200
    begins = [s for s in statements if s.startswith("BEGIN")]
    if own_app.extensions["database_engine"].dialect.name == "sqlite":
        assert begins == ["BEGIN", "BEGIN"]  # the browser session, then the page: both reading
    token = csrf_token(page.get_data(as_text=True))

    statements.clear()
    saved = client.post(
        f"/survey/{world['own']}/legal/autosave",
        data={"v:legal.law.exists": "0", "legal.law.exists": "yes"},
        headers={"Accept": "application/json", "X-CSRFToken": token},
    )
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["versions"] == {"legal.law.exists": 1}
    if own_app.extensions["database_engine"].dialect.name == "sqlite":
        # The browser session; reading and checking; then the save alone under the write lock.
        begins = [s for s in statements if s.startswith("BEGIN")]
        assert begins == ["BEGIN", "BEGIN", "BEGIN IMMEDIATE"]


def test_a_refused_page_view_is_still_written_to_the_trail(
    own_app: Any, world: dict[str, Any]
) -> None:
    client = own_app.test_client()
    login(client, world["focal_point"])
    assert client.get(f"/survey/{world['other']}/legal").status_code == 404
    with own_app.app_context():
        refusals = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.summary == "Access to another country's data refused",
                AuditEvent.user_id == world["focal_point"].id,
            )
        ).all()
        assert [r.meta["path"] for r in refusals] == [f"/survey/{world['other']}/legal"]


def test_a_save_between_the_reading_and_the_saving_of_an_autosave_is_a_conflict(
    own_app: Any, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Autosave checks versions again in its saving transaction: someone else's save committed
    after it read is found there, and nothing of theirs is overwritten."""
    client = own_app.test_client()
    login(client, world["focal_point"])
    token = csrf_token(client.get(f"/survey/{world['own']}/legal").get_data(as_text=True))
    end_reading = db.end_reading

    def end_reading_while_someone_saves() -> None:
        end_reading()
        with own_app.app_context():  # another request, committed in between

            def save() -> None:
                submission = db.session.get(Submission, world["own"])
                colleague = db.session.get(User, world["focal_point"].id)
                assert submission is not None
                assert colleague is not None
                operations.save_answers(submission, {"legal.law.exists": "no"}, {}, colleague)

            transactional(save)()

    monkeypatch.setattr(db, "end_reading", end_reading_while_someone_saves)
    response = client.post(
        f"/survey/{world['own']}/legal/autosave",
        data={"v:legal.law.exists": "0", "legal.law.exists": "yes"},
        headers={"Accept": "application/json", "X-CSRFToken": token},
    )
    assert response.status_code == 409
    conflict = response.get_json()["conflicts"][0]
    assert (conflict["yours"], conflict["theirs"], conflict["their_version"]) == ("yes", "no", 1)
