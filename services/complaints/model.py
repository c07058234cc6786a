"""Complaint tables. Three planes (docs/ARCHITECTURE.md, "Data planes"):

- staff plane, plain: what handlers need to act (types, target, where the problem is, description);
- sealed plane, encrypted (services.shared.sealed.vault): the reporter's identity and contacts
  and the original evidence files;
- public plane: only the moderated columns (``public_*``), statuses, dates and official outcomes.

Public code paths (registry pages, API, feeds, exports) read through services.complaints.registry,
which selects public-plane columns only.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Integer, LargeBinary, Text
from sqlmodel import Field, SQLModel

from services.core.clock import utcnow

_VERSION = Column("version", Integer, nullable=False, default=1)


def _text(**kwargs: object) -> Column:
    return Column(Text, nullable=False, server_default="", **kwargs)


class ComplaintCase(SQLModel, table=True):
    __tablename__ = "complaint_case"
    __table_args__ = (
        Index("ix_complaint_case_status_due", "status", "current_due"),
        Index("ix_complaint_case_district_status", "district_code", "status"),
        Index("ix_complaint_case_published_filed", "published", "filed_on", "id"),  # registry
        Index("ix_complaint_case_updated_at", "updated_at"),  # the registry's data version
    )
    # optimistic locking: every UPDATE checks and bumps `version` (two handlers never overwrite)
    __mapper_args__ = {"version_id_col": _VERSION}

    id: int | None = Field(default=None, primary_key=True)
    number: str | None = Field(default=None, max_length=20, unique=True)  # public case number
    receipt_key: str | None = Field(default=None, max_length=64, unique=True)  # Argon2id hex
    # keyed hash of the filing form's one-time token: a resent form finds its case, never a new one
    submission_key: str | None = Field(default=None, max_length=64, unique=True)
    status: str = Field(max_length=16)
    version: int = Field(default=1, sa_column=_VERSION)
    channel: str = Field(max_length=8)
    identity_mode: str = Field(max_length=16)
    is_demo: bool = False

    # what and where (staff plane)
    types: str = Field(max_length=300)  # type codes joined by ","; "air.odour,noise.construction"
    district_code: str = Field(max_length=8)
    target_name: str = Field(default="", max_length=120)
    target_key: str = Field(default="", max_length=120, index=True)  # normalised, links repeats
    target_address: str = Field(default="", max_length=200)
    location_text: str = Field(max_length=200)
    pin_lat: float | None = None
    pin_lon: float | None = None
    observed_on: date
    ongoing: bool = False
    description: str = Field(sa_column=Column(Text, nullable=False))
    wishes: str = Field(default="", sa_column=_text())

    # public plane (moderated)
    published: bool = False
    public_summary: str = Field(default="", sa_column=_text())
    public_location: str = Field(default="", max_length=120)
    public_target: str = Field(default="", max_length=120)  # the target as moderated for the public
    public_lat: float | None = None  # generalised point: about 1 km, never a home's exact spot
    public_lon: float | None = None
    public_outcome: str = Field(default="", sa_column=_text())
    remediation: str = Field(default="", sa_column=_text())

    # dates (Beijing calendar days) and deadlines
    filed_at: datetime = Field(default_factory=utcnow)
    filed_on: date
    acceptance_due: date
    accepted_on: date | None = None
    decided_on: date | None = None  # accepted, not accepted or marked duplicate
    closure_due: date | None = None
    extension_days: int = 0
    extension_requested_days: int = 0  # > 0 while a request awaits approval
    transferred_to: str = Field(default="", max_length=24)
    transfer_objection_due: date | None = None
    closed_on: date | None = None
    review_request_due: date | None = None
    review_due: date | None = None
    current_due: date | None = None  # the deadline of the open step, for queues
    provisional_due: bool = False  # a deadline counted without a published holiday calendar
    finding: str = Field(default="", max_length=16)
    reply: str = Field(default="", sa_column=_text())
    not_accepted_reason: str = Field(default="", max_length=24)
    duplicate_of_id: int | None = Field(default=None, foreign_key="complaint_case.id")
    repeat_of_id: int | None = Field(default=None, foreign_key="complaint_case.id")
    escalated: bool = False  # 督办: repeat complaints against one target
    rating: str = Field(default="", max_length=16)
    rating_comment: str = Field(default="", max_length=500)
    rated_on: date | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class ComplaintEvent(SQLModel, table=True):
    """Every transition and action on a case: who, when, why. Append-only in practice."""

    __tablename__ = "complaint_event"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="complaint_case.id", index=True, ondelete="CASCADE")
    at: datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=64)  # "staff:<username>", "reporter" or "system"
    action: str = Field(max_length=32)
    from_status: str = Field(default="", max_length=16)
    to_status: str = Field(default="", max_length=16)
    reason: str = Field(default="", max_length=24)  # a code from the catalog
    note: str = Field(default="", sa_column=_text())
    public_note: str = Field(default="", sa_column=_text())
    to_reporter: str = Field(default="", sa_column=_text())


class ComplaintMessage(SQLModel, table=True):
    """The handler's questions and the reporter's answers (never public)."""

    __tablename__ = "complaint_message"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="complaint_case.id", index=True, ondelete="CASCADE")
    at: datetime = Field(default_factory=utcnow)
    sender: str = Field(max_length=8)  # "staff" or "reporter"
    staff_username: str = Field(default="", max_length=32)
    body: str = Field(sa_column=Column(Text, nullable=False))


class ComplaintIdentity(SQLModel, table=True):
    """The sealed identity record: name, phone, email, ID number, home address (encrypted)."""

    __tablename__ = "complaint_identity"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="complaint_case.id", unique=True, ondelete="CASCADE")
    sealed: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class ComplaintEvidence(SQLModel, table=True):
    """A photo: the original sealed, and a re-encoded copy without metadata for staff by default."""

    __tablename__ = "complaint_evidence"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="complaint_case.id", index=True, ondelete="CASCADE")
    added_at: datetime = Field(default_factory=utcnow)
    added_by: str = Field(max_length=8)  # "reporter" or "staff"
    sealed_original: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    original_type: str = Field(max_length=16)
    sha256: str = Field(max_length=64)
    image: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    image_type: str = Field(max_length=16)
    width: int
    height: int
    public: bool = False  # staff may show the stripped copy on the public case page
