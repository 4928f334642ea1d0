"""The audit trail: an append-only log, written in the same transaction as the change it records."""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, event
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from app import db
from app.db import Model, enum_column, model_repr, utcnow

logger = logging.getLogger(__name__)


class AuditKind(StrEnum):
    """How a change reads at a glance in the trail."""

    POSITIVE = "positive"  # something was created or granted
    CHANGE = "change"
    NEGATIVE = "negative"  # something was removed, refused or returned
    SECURITY = "security"  # sign-ins, denied access, password changes


class AuditEvent(Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_dt: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[AuditKind] = mapped_column(enum_column(AuditKind, "audit_kind"))
    module: Mapped[str] = mapped_column(String(50))
    #: Untranslated, so the trail reads the same for everyone; `data` holds the details shown.
    summary: Mapped[str] = mapped_column(String(500))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    country_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Machine-readable details (ids, old and new values) not shown as such.
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)

    def __repr__(self) -> str:
        return model_repr(self, "id", "module", "summary")


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_changes(_mapper: Mapper[AuditEvent], _conn: Any, target: AuditEvent) -> None:
    raise AppendOnlyError(f"audit events are append-only; refused to change {target!r}")


def record(
    module: str,
    summary: str,
    *,
    kind: AuditKind = AuditKind.CHANGE,
    user_id: int | None = None,
    country_id: int | None = None,
    submission_id: int | None = None,
    data: dict[str, Any] | None = None,
    meta: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an entry to the trail; it commits (or rolls back) with the change it describes."""
    entry = AuditEvent(
        module=module,
        summary=summary,
        kind=kind,
        user_id=user_id,
        country_id=country_id,
        submission_id=submission_id,
        data=data or {},
        meta=meta or {},
    )
    db.session.add(entry)
    logger.debug("audit %s: %s", module, summary)
    return entry
