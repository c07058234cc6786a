"""Whether the database holds generated sample data, so every page can say so."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, Session, SQLModel, col, select

from services.core.clock import utcnow


class DemoDataset(SQLModel, table=True):
    __tablename__ = "demo_dataset"

    id: int | None = Field(default=None, primary_key=True)
    size: str = Field(max_length=8)
    seed: int
    rows: int
    generated_at: datetime = Field(default_factory=utcnow)


def current(session: Session) -> DemoDataset | None:
    return session.exec(select(DemoDataset).order_by(col(DemoDataset.id).desc())).first()
