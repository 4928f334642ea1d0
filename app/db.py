"""The database layer: the declarative base, shared column types and the request-scoped session."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, cast

from flask import Flask, current_app, has_app_context
from flask.globals import app_ctx
from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    DateTime,
    Engine,
    Enum,
    MetaData,
    String,
    any_,
    bindparam,
    create_engine,
    event,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import (
    DeclarativeBase,
    InstrumentedAttribute,
    Session,
    scoped_session,
    sessionmaker,
)
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
}


#: The largest value of an INTEGER column (ids, versions) on every database the app runs on.
MAX_INTEGER = 2**31 - 1


def parse_integer(text: str) -> int | None:
    """`text` as a whole number an INTEGER column can hold, or None: ASCII digits only (`"²"`
    and other digits of Unicode are not numbers here), no sign, at most `MAX_INTEGER`."""
    if not (0 < len(text) <= 10 and text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= MAX_INTEGER else None


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: JSON everywhere, JSONB on PostgreSQL (indexable, compact).
JSONType = JSON().with_variant(JSONB(), "postgresql")


def enum_column(enum: type[StrEnum], name: str) -> Enum:
    """Enums stored as their values in a VARCHAR with a named CHECK, the same on every database."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Model(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONType}

    def __repr__(self) -> str:
        return model_repr(self, "id")


def is_among(
    column: ColumnElement[str] | InstrumentedAttribute[str], name: str, dialect: str
) -> ColumnElement[bool]:
    """`column` is one of the strings given at execution as the parameter `name` (a list).

    On PostgreSQL, one array parameter (`= ANY`). A list of parameters (`IN`) makes the
    statement's text grow with the list, and both SQLAlchemy and psycopg (whose cache keeps short
    statements only) then process the text anew at every execution, which costs more than
    running the query.
    """
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(String)))
    return column.in_(bindparam(name, expanding=True))


def model_repr(obj: object, *attrs: str) -> str:
    """One `__repr__` shape for every model: `<Name id=1 code='FR'>`."""
    shown = " ".join(f"{attr}={getattr(obj, attr, None)!r}" for attr in attrs)
    return f"<{type(obj).__name__} {shown}>"


#: Set in `session.info` by `reads_only`, and on the engine that read-only work binds to.
READ_ONLY = "cybermaturity_read_only"


class AppSession(Session):
    """Binds to the current app's engine unless a test bound it to a connection."""

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        if self.bind is not None:
            return self.bind
        if self.info.get(READ_ONLY):
            return current_app.extensions["database_engine_read_only"]
        return current_app.extensions["database_engine"]


def _app_context_id() -> int:
    # Outside an app context (a test body, a script) all code shares one scope.
    return id(cast(Any, app_ctx)._get_current_object()) if has_app_context() else 0


#: One session per app context (a request, a CLI command, a task); removed at teardown.
session = scoped_session(sessionmaker(class_=AppSession), scopefunc=_app_context_id)


def make_engine(url: str, **options: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **options)
        _make_sqlite_transactional(engine)
        return engine
    engine = create_engine(url, **options)
    _ping_when_idle(engine)
    return engine


#: A pooled connection left unused for longer than this is checked before it is used again: the
#: server may have closed it meanwhile (a restart, an idle timeout). One used a moment ago is
#: taken as it is, which saves every request a round trip under load. Should the server go away
#: in between, the request fails, SQLAlchemy discards every pooled connection, and the next one
#: connects afresh.
PING_AFTER_IDLE_SECONDS = 5.0


def _ping_when_idle(engine: Engine) -> None:
    """Pessimistic disconnect handling, as SQLAlchemy's `pool_pre_ping`, for idle connections."""

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _taken(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        returned_at = record.info.get("returned_at")  # none on a new connection: not checked
        if returned_at is None or time.monotonic() - returned_at <= PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError from exc  # the pool connects afresh and tries again


def make_read_only_engine(engine: Engine) -> Engine:
    """The engine that work declared read-only (`reads_only`) binds to.

    On SQLite, the same engine and pool: its connections carry the read-only option to
    `_on_begin`. On PostgreSQL, a pool of its own whose connections run each statement on its own
    (autocommit) and refuse writes (`default_transaction_read_only`): at the default isolation,
    READ COMMITTED, every statement of a transaction sees a snapshot of its own anyway, so a
    reader loses nothing by it and saves the BEGIN and COMMIT round trips of each request.
    """
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{READ_ONLY: True})
    return make_engine(
        engine.url.render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
        connect_args={"options": "-c default_transaction_read_only=on"},
    )


def _make_sqlite_transactional(engine: Engine) -> None:
    """pysqlite's implicit transactions break SAVEPOINT and foreign keys; take control of them.

    SQLAlchemy documents this recipe under "Serializable isolation / Savepoints / Transactional
    DDL" for pysqlite.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers begin IMMEDIATE: they take the write lock first and wait for it (busy timeout),
        # so two writers never deadlock. A DEFERRED transaction that has read cannot wait for the
        # lock: it fails at once when another writer holds it or committed since it began. So
        # only work declared read-only (`reads_only`) begins DEFERRED, and SQLite refuses its
        # writes (query_only) rather than letting one fail now and then under load. In WAL mode
        # such readers do not wait for the writer or for each other: page views run side by side.
        read_only = bool(conn.get_execution_options().get(READ_ONLY))
        state = conn.connection.info
        if state.get(READ_ONLY, False) is not read_only:
            conn.exec_driver_sql(f"PRAGMA query_only = {int(read_only)}")
            state[READ_ONLY] = read_only
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def reads_only() -> None:
    """Declare that the unit of work about to start only reads (a page view, a download).

    On SQLite its transaction then begins DEFERRED and cannot write, so readers work side by side
    instead of queueing for the write lock one request at a time; on PostgreSQL nothing changes.
    Call it before the first query: it applies from the next transaction the session begins.
    """
    session.info[READ_ONLY] = True
    # Nothing read can have changed when it ends: expiring every loaded object would be waste.
    session().expire_on_commit = False


def is_read_only() -> bool:
    return bool(session.info.get(READ_ONLY))


def allow_writes() -> None:
    """Let the next transaction write again. End the read-only one first (commit or roll back)."""
    session.info.pop(READ_ONLY, None)
    session().expire_on_commit = True


def end_reading() -> None:
    """End the read-only transaction and let the next one write.

    What was read stays loaded as it was read (`reads_only` turned expiring off): the next
    transaction reads again what its writes depend on. Nothing changes in a read-only
    transaction, so ending it writes nothing.
    """
    session.commit()
    allow_writes()


@contextmanager
def separate_unit() -> Iterator[Session]:
    """A short unit of work on a session of its own, beside the request's (which may not have
    begun yet, or has ended): for what lives outside the request's transaction, as the stored
    browser sessions do."""
    unit = session.session_factory()
    try:
        yield unit
        unit.commit()
    except BaseException:
        unit.rollback()
        raise
    finally:
        unit.close()


@contextmanager
def read_connection() -> Iterator[Connection]:
    """A connection for one quick read beside the request's unit, without an ORM session: one
    from the read-only pool, or the test's own when a test bound the sessions to one."""
    bound = session.session_factory.kw.get("bind")
    if isinstance(bound, Connection):
        yield bound
        return
    with current_app.extensions["database_engine_read_only"].connect() as connection:
        yield connection


def init_app(app: Flask) -> None:
    # Engines open their pool lazily: nothing connects at factory time, so forked workers are safe.
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["database_engine"] = engine
    app.extensions["database_engine_read_only"] = make_read_only_engine(engine)
    app.teardown_appcontext(_remove_session)


def dispose(app: Flask) -> None:
    """Close the app's pooled connections (before its database is dropped, say)."""
    app.extensions["database_engine"].dispose()
    app.extensions["database_engine_read_only"].dispose()


def _remove_session(_exc: BaseException | None) -> None:
    session.remove()
