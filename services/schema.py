"""Every capability's tables in one metadata (for Alembic and test set-up).

Importing the manifests imports their models, so SQLModel.metadata is complete.
"""

from sqlmodel import SQLModel

from services import domains

metadata = SQLModel.metadata


def declared_tables() -> set[str]:
    return {table for manifest in domains.domains() for table in manifest.tables}
