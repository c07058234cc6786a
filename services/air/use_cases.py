"""The data editors' air use cases, each with a probe that runs it for real
(services/shared/capability.py: UseCase; tests/app/test_role_matrix.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from services.air import importer
from services.air.observations import AirHourly
from services.core import geography
from services.core.accounts import Actor, Role
from services.core.clock import BEIJING, utcnow
from services.core.messages import N_
from services.shared.capability import UseCase

EDITOR = (Role.DATA_EDITOR,)


def _hour() -> datetime:
    """The hour that ended an hour ago."""
    return utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)


def _import(session: Session, actor: Actor | None) -> object:
    station = geography.air_stations()[0].code
    hour = _hour().astimezone(BEIJING).isoformat()
    data = ",".join(importer.EXPECTED_HEADER) + f"\n{station},{hour},8,20,45,30,0.6,70\n"
    return importer.import_hourly(session, actor=actor, data=data.encode(), file_name="probe.csv")


def _flag_invalid(session: Session, actor: Actor | None) -> object:
    station, hour = geography.air_stations()[0].code, _hour()
    session.add(AirHourly(station_code=station, observed_at=hour, pm25=30.0, source="import"))
    session.flush()
    return importer.flag_invalid(session, actor=actor, station=station, hour_ending=hour,
                                 reason="仪器校准期间数据无效")  # fmt: skip


USE_CASES: tuple[UseCase, ...] = (
    UseCase("air.import", N_("Air data imported"), EDITOR, _import, audits=("air.import",)),
    UseCase("air.flag_invalid", N_("Air hours flagged invalid"), EDITOR, _flag_invalid,
            audits=("air.flag_invalid",)),
)
