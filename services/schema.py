"""Import every table so SQLModel.metadata is complete (for Alembic and test set-up)."""

from sqlmodel import SQLModel

from services import accounts, audit, demo_meta  # noqa: F401
from services.air import daily, observations  # noqa: F401
from services.complaints import model  # noqa: F401
from services.water import model as water_model  # noqa: F401

metadata = SQLModel.metadata
