"""Stored samples: one row per section and sampling day, one column per GB 3838 item.

A value below the detection limit is stored as the detection limit, with the item's bit set in
`below_dl` (bit i = the i-th item of services.water.items.items()). NULL = not measured.
Values are mg/L, except pH (no unit) and fecal coliform (count/L).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlmodel import SQLModel

from services.water.items import items

water_sample = Table(
    "water_sample",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True),
    Column("section_code", String(16), nullable=False),
    Column("sampled_on", Date, nullable=False),  # the sampling day (Beijing)
    *[Column(item.column, Float, nullable=True) for item in items()],
    Column("below_dl", BigInteger, nullable=False, default=0),
    Column("source", String(16), nullable=False, default="import"),  # import | demo
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("section_code", "sampled_on", name="uq_water_sample_section_day"),
    Index("ix_water_sample_sampled_on", "sampled_on"),
    Index("ix_water_sample_updated_at", "updated_at"),  # the data version: an index-only look-up
)


def below_dl_mask(codes: set[str] | frozenset[str]) -> int:
    return sum(1 << i for i, item in enumerate(items()) if item.code in codes)


def below_dl_codes(mask: int) -> list[str]:
    return [item.code for i, item in enumerate(items()) if mask >> i & 1]
