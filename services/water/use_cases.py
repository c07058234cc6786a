"""The data editors' water use case, with a probe that runs it for real
(services/shared/capability.py: UseCase; tests/app/test_role_matrix.py)."""

from __future__ import annotations

from sqlmodel import Session

from services.core.accounts import Actor, Role
from services.core.messages import N_
from services.shared.capability import UseCase
from services.water import importer


def _import(session: Session, actor: Actor | None) -> object:
    """The import runs its own transaction on the session's engine."""
    data = importer.template_csv().encode()
    return importer.import_samples(session.get_bind(), actor=actor, data=data,
                                   file_name="probe.csv")  # fmt: skip


USE_CASES: tuple[UseCase, ...] = (
    UseCase("water.import", N_("Water samples imported"), (Role.DATA_EDITOR,), _import,
            audits=("water.import",)),
)
