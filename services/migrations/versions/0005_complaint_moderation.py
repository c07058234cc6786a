"""complaints: the moderated public target and the filing form's submission key

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("complaint_case") as batch:
        # Existing cases start with no public target: the reporter's wording is never published
        # unmoderated; staff set it when they next edit the public text.
        batch.add_column(
            sa.Column("public_target", sa.String(length=120), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("submission_key", sa.String(length=64), nullable=True))
        batch.create_unique_constraint("uq_complaint_case_submission_key", ["submission_key"])


def downgrade() -> None:
    with op.batch_alter_table("complaint_case") as batch:
        batch.drop_constraint("uq_complaint_case_submission_key", type_="unique")
        batch.drop_column("submission_key")
        batch.drop_column("public_target")
