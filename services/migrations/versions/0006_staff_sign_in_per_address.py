"""staff: sign-in failures are counted per account and address, not on the account row

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 23:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The counters live in the rate-limit store, keyed by account and address
    # (services/core/accounts.py); an account-wide count would let anyone lock staff out.
    with op.batch_alter_table("staff_user") as batch:
        batch.drop_column("failed_attempts")


def downgrade() -> None:
    with op.batch_alter_table("staff_user") as batch:
        batch.add_column(
            sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0")
        )
