"""The append-only audit log: every staff write and every sealed-data access goes through here."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import event
from sqlmodel import Field, Session, SQLModel

from services.core.clock import utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=64, index=True)
    action: str = Field(max_length=64, index=True)
    object_type: str = Field(max_length=64)
    object_id: str = Field(default="", max_length=64)
    details: str = Field(default="{}")


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(*_args: object) -> None:
    raise AuditLogIsAppendOnly("audit entries are never changed or deleted")


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | int = "",
    details: dict[str, object] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        details=json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str),
    )
    session.add(entry)
    return entry
