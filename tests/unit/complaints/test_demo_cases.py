"""Sample complaints: a plausible flow through the real workflow's states, deadlines and events."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from statistics import mean

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from services import demo
from services.complaints import deadlines, workflow
from services.complaints import demo as complaints_demo
from services.complaints.catalog import (
    AWAITING_ACCEPTANCE,
    BEING_HANDLED,
    NOT_ACCEPTED_REASONS,
    OPEN,
    OTHER_UNITS,
    TYPE_CODES,
    Channel,
    IdentityMode,
    Status,
)
from services.complaints.intake import id_number_valid, normalise_target
from services.complaints.model import ComplaintCase, ComplaintEvent, ComplaintIdentity
from services.complaints.workflow import TRANSITIONS
from services.core import geography, migrate
from services.core.clock import BEIJING
from services.shared import pii
from services.shared.sealed import vault
from tests.conftest import portal_database

UNTIL = date(2026, 11, 20)
COUNT = 2_000
SEED = 4242
END_OF_UNTIL = datetime.combine(UNTIL + timedelta(days=1), time(0), tzinfo=BEIJING)
# columns compared between two runs with the same seed (sealed identities differ by design:
# Fernet uses a random IV)
COMPARED = (
    "id", "number", "status", "channel", "identity_mode", "types", "district_code",
    "target_name", "public_target", "location_text", "description", "public_summary",
    "public_location", "public_lat", "pin_lat", "filed_at", "filed_on", "decided_on",
    "closed_on", "current_due", "finding", "rating", "duplicate_of_id", "repeat_of_id",
    "escalated", "updated_at",
)  # fmt: skip


def generate(engine, seed: int = SEED, progress=None) -> int:
    return complaints_demo.generate_cases(
        engine, count=COUNT, seed=seed, until=UNTIL, progress=progress
    )


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One generated database for the whole module (each test only reads it)."""
    path = tmp_path_factory.mktemp("demo_cases") / "portal.db"
    calls: list[tuple[str, int, int]] = []
    with (
        pytest.MonkeyPatch.context() as monkeypatch,
        portal_database(f"sqlite:///{path}", monkeypatch) as engine,
    ):
        migrate.upgrade(engine)
        rows = generate(engine, progress=lambda *call: calls.append(call))
        with Session(engine) as session:
            cases = list(session.scalars(select(ComplaintCase).order_by(ComplaintCase.id)))
            events = list(session.scalars(
                select(ComplaintEvent).order_by(ComplaintEvent.at, ComplaintEvent.id)
            ))  # fmt: skip
            identities = list(session.scalars(select(ComplaintIdentity)))
            session.expunge_all()
        yield {"engine": engine, "rows": rows, "progress": calls, "cases": cases,
               "events": events, "identities": identities}  # fmt: skip


@pytest.fixture(scope="module")
def cases(seeded) -> list[ComplaintCase]:
    return seeded["cases"]


@pytest.fixture(scope="module")
def events_by_case(seeded) -> dict[int, list[ComplaintEvent]]:
    grouped: dict[int, list[ComplaintEvent]] = {}
    for event in seeded["events"]:
        grouped.setdefault(event.case_id, []).append(event)
    return grouped


def test_the_rows_written_are_reported_and_counted(seeded, cases, events_by_case):
    progress = seeded["progress"]
    total = COUNT + len(seeded["events"]) + len(seeded["identities"])
    assert len(cases) == COUNT
    assert seeded["rows"] == total
    assert {part for part, _, _ in progress} == {"complaints"}
    assert progress[-1] == ("complaints", total, total)
    assert [done for _, done, _ in progress] == sorted(done for _, done, _ in progress)
    assert len(progress) >= 2  # once per chunk, after a first call at zero
    assert set(events_by_case) == {c.id for c in cases}  # every case has its events


def test_every_status_occurs(cases):
    assert {c.status for c in cases} == {s.value for s in Status}


def test_some_open_cases_are_overdue_for_acceptance_and_for_closure(cases):
    late = [c for c in cases if workflow.overdue(c, UNTIL)]
    assert any(c.status in AWAITING_ACCEPTANCE for c in late)
    assert any(c.status in BEING_HANDLED for c in late)
    assert len(late) < 0.05 * COUNT  # a few, not the rule


def test_deadlines_are_the_statutory_ones(cases):
    for c in cases:
        acceptance = deadlines.acceptance_due(c.filed_on)
        assert c.acceptance_due == acceptance.due
        closure = None
        if c.accepted_on is not None:
            closure = deadlines.closure_due(c.accepted_on, extension_days=c.extension_days)
            assert c.closure_due == closure.due
        if c.status == Status.CLOSED:
            assert c.review_request_due == deadlines.review_request_due(c.closed_on).due
        if c.status in AWAITING_ACCEPTANCE:
            assert c.provisional_due == acceptance.provisional
        elif c.status in BEING_HANDLED:
            assert c.provisional_due == closure.provisional


def test_open_cases_wait_on_the_deadline_of_their_step(cases):
    assert any(c.provisional_due for c in cases)  # 2027 deadlines: no official calendar yet
    for c in cases:
        due, _ = workflow._due_of_open_step(c)
        if c.status in OPEN:
            assert due is not None and c.current_due == due, c.number
        else:
            assert c.current_due is None and not c.provisional_due, c.number


def beijing(moment: datetime) -> datetime:
    """Stored times are UTC (SQLite hands them back naive)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(BEIJING)


def test_dates_are_in_order_and_none_after_the_end(cases):
    for c in cases:
        assert c.observed_on <= c.filed_on <= UNTIL
        assert beijing(c.filed_at).date() == c.filed_on
        assert c.acceptance_due > c.filed_on
        if c.decided_on is not None:
            assert c.filed_on <= c.decided_on <= UNTIL
        if c.accepted_on is not None:
            assert c.accepted_on == c.decided_on
            assert c.closure_due is not None and c.closure_due > c.accepted_on
        if c.closed_on is not None:
            assert c.decided_on is not None and c.decided_on <= c.closed_on <= UNTIL
            assert c.accepted_on is not None and c.accepted_on <= c.closed_on
            assert c.review_request_due is not None and c.review_request_due > c.closed_on
        if c.rated_on is not None:
            assert c.closed_on is not None and c.closed_on <= c.rated_on <= UNTIL
        if c.transferred_to:
            assert c.transferred_to in OTHER_UNITS or geography.district_by_key(c.transferred_to)
            assert c.transfer_objection_due is not None


def test_events_start_at_filing_and_follow_in_time(cases, events_by_case):
    for c in cases:
        moments = [beijing(e.at) for e in events_by_case[c.id]]
        assert events_by_case[c.id][0].action == "file"
        assert moments[0] == beijing(c.filed_at)
        assert moments == sorted(moments)
        assert moments[-1] == beijing(c.updated_at)
        assert moments[-1] < END_OF_UNTIL
        days = {
            "accept": c.accepted_on,
            "not_accept": c.decided_on,
            "mark_duplicate": c.decided_on,
            "close": c.closed_on,
            "rate": c.rated_on,
        }
        for event, moment in zip(events_by_case[c.id], moments, strict=True):
            if event.action in days:
                assert moment.date() == days[event.action], (c.number, event.action)


def test_events_follow_the_workflow_transitions(cases, events_by_case):
    for c in cases:
        events = events_by_case[c.id]
        first, *rest = events
        assert (first.action, first.from_status, first.to_status) == ("file", "", "submitted")
        status = first.to_status
        for event in rest:
            allowed, target = TRANSITIONS[event.action]
            assert event.from_status == status, (c.number, event.action)
            assert event.from_status in allowed, (c.number, event.action, event.from_status)
            expected = target.value if target is not None else event.from_status
            assert event.to_status == expected, (c.number, event.action)
            status = event.to_status
        assert status == c.status, c.number


def test_actors_are_the_reporter_the_staff_or_the_system(seeded):
    reporter = {"rate", "request_review", "request_re_review"}
    for event in seeded["events"]:
        if event.action == "escalate":
            assert event.actor == "system"
        elif event.action in reporter:
            assert event.actor == "reporter"
        elif event.action == "file":
            assert event.actor in ("reporter", "staff:demo.handler")
        else:
            assert event.actor.startswith("staff:demo."), event.action


def test_decisions_carry_their_reasons_and_links(cases, events_by_case):
    by_id = {c.id: c for c in cases}
    not_accepted = [c for c in cases if c.status == Status.NOT_ACCEPTED]
    duplicates = [c for c in cases if c.status == Status.DUPLICATE]
    assert not_accepted and duplicates
    for c in not_accepted:
        assert c.not_accepted_reason in NOT_ACCEPTED_REASONS
        assert c.not_accepted_reason != "already_accepted"
        assert c.decided_on is not None and c.accepted_on is None and c.closed_on is None
    for c in duplicates:
        original = by_id[c.duplicate_of_id]
        assert original.id < c.id and original.filed_at <= c.filed_at
        assert events_by_case[c.id][-1].reason == "already_accepted" or any(
            e.reason == "already_accepted" for e in events_by_case[c.id]
        )
    assert all(c.duplicate_of_id is None for c in cases if c.status != Status.DUPLICATE)
    assert all(not c.not_accepted_reason for c in cases if c.status != Status.NOT_ACCEPTED)


def test_closed_cases_have_a_finding_a_reply_and_a_public_outcome(cases):
    answered = {Status.CLOSED, Status.REVIEW, Status.REVIEWED, Status.RE_REVIEW, Status.FINAL}
    for c in cases:
        if c.status in answered:
            assert c.finding and len(c.reply) >= 10 and len(c.public_outcome) >= 10
        else:
            assert not (c.finding or c.reply or c.public_outcome or c.remediation)
    assert any(c.remediation for c in cases)


def test_numbers_are_unique_and_match_the_id(cases):
    assert len({c.number for c in cases}) == COUNT
    for c in cases:
        assert c.number == f"GY-{c.filed_on.year}-{c.id:06d}"
        assert c.is_demo and c.receipt_key is None and c.version == 1


def test_published_cases_are_moderated_and_public_text_is_generic(cases):
    for c in cases:
        assert c.published == (c.status != Status.SUBMITTED)
        assert len(c.description) >= 20 and 4 <= len(c.location_text) <= 200
        assert set(c.types.split(",")) <= set(TYPE_CODES)
        if not c.published:
            assert not c.public_summary and not c.public_location and c.public_lat is None
            assert not c.public_target  # the reporter's target waits for moderation too
            continue
        assert c.public_target == c.target_name  # the sample targets are clean names
        assert pii.scan(c.public_target) == []
        assert c.public_summary.startswith("反映") and c.public_location.endswith("一带")
        assert "号" not in c.public_location  # never a house number
        for text in (c.public_summary, c.public_location, c.public_outcome, c.remediation):
            assert "示例用户" not in text and "1380000" not in text
            assert pii.scan(text) == [], text  # a handler editing it is not stopped for nothing
        assert round(c.public_lat, 2) == c.public_lat and round(c.public_lon, 2) == c.public_lon
        assert 26.0 <= c.public_lat <= 27.5 and 106.0 <= c.public_lon <= 107.4


def test_public_timeline_notes_hold_nothing_the_detector_flags(seeded):
    notes = {e.public_note for e in seeded["events"] if e.public_note}
    assert notes and [n for n in notes if pii.scan(n)] == []


def test_targets_are_plainly_fictional_and_repeats_link_to_earlier_cases(cases):
    by_id = {c.id: c for c in cases}
    named = [c for c in cases if c.target_name]
    assert all("示例" in c.target_name for c in named)
    assert all(c.target_key == normalise_target(c.target_name) for c in named)
    repeats = [c for c in cases if c.repeat_of_id is not None]
    assert repeats and any(c.escalated for c in cases)
    for c in repeats:
        first = by_id[c.repeat_of_id]
        assert first.id < c.id and first.target_key == c.target_key
        assert (c.filed_on - first.filed_on).days <= 2 * 180  # linked within the window
    busiest = Counter(c.target_key for c in named).most_common(1)[0][1]
    assert busiest >= 15  # a handful of targets draw many complaints


def test_escalated_cases_have_one_system_escalation_event(cases, events_by_case):
    for c in cases:
        escalations = [e for e in events_by_case[c.id] if e.action == "escalate"]
        assert len(escalations) == (1 if c.escalated else 0), c.number
        assert not c.escalated or c.target_key


def test_each_named_reporter_has_one_sealed_fake_identity(seeded, cases):
    by_case = Counter(i.case_id for i in seeded["identities"])
    assert max(by_case.values()) == 1
    named = {c.id for c in cases if c.identity_mode != IdentityMode.ANONYMOUS}
    assert set(by_case) == named
    modes = {c.id: c.identity_mode for c in cases}
    for identity in seeded["identities"]:
        assert "示例用户".encode() not in identity.sealed
        assert b"1380000" not in identity.sealed and b"example.com" not in identity.sealed
        record = vault.unseal_json(identity.sealed)
        assert isinstance(record, dict)
        assert str(record["name"]).startswith("示例用户")
        assert str(record["phone"]).startswith("1380000") and len(str(record["phone"])) == 11
        if modes[identity.case_id] == IdentityMode.REWARD:
            assert str(record["id_number"]).startswith("000000")  # a region that does not exist
            assert id_number_valid(str(record["id_number"]))


def test_the_mix_is_plausible(cases):
    share = lambda hits: sum(hits) / len(cases)  # noqa: E731
    assert 0.50 < share(c.channel == Channel.WEB for c in cases) < 0.60
    assert 0.40 < share(c.identity_mode == IdentityMode.ANONYMOUS for c in cases) < 0.50
    assert 0.12 < share("," in c.types for c in cases) < 0.18
    assert 0.65 < share(bool(c.target_name) for c in cases) < 0.75
    assert 0.35 < share(c.pin_lat is not None for c in cases) < 0.45
    assert 0.05 < share(c.status == Status.NOT_ACCEPTED for c in cases) < 0.09
    assert 0.02 < share(c.status == Status.DUPLICATE for c in cases) < 0.06
    mains = Counter(t.split(".")[0] for c in cases for t in c.types.split(","))
    assert [m for m, _ in mains.most_common(2)] == ["air", "noise"]
    districts = Counter(c.district_code for c in cases)
    assert {m for m, _ in districts.most_common(2)} == {"520103", "520102"}
    assert districts.most_common()[-1][1] < districts["520103"] / 4
    decided = [(c.decided_on - c.filed_on).days for c in cases if c.decided_on]
    closed = [(c.closed_on - c.accepted_on).days for c in cases if c.closed_on]
    assert 2 <= mean(decided) <= 4.5  # 12369 averages about 3 days to accept
    assert 18 <= mean(closed) <= 30  # and about 24 to close
    on_time = [c.closed_on <= c.closure_due for c in cases if c.closed_on]
    assert 0.93 < sum(on_time) / len(on_time) < 0.995
    summer = [c for c in cases if c.filed_on.month in (6, 7, 8)]
    winter = [c for c in cases if c.filed_on.month in (12, 1, 2)]
    assert len(summer) > len(winter)
    noisy = lambda group: sum(c.types.startswith("noise") for c in group) / len(group)  # noqa: E731
    assert noisy(summer) > noisy(winter)


def test_the_same_seed_gives_the_same_cases_and_another_seed_others(seeded, tmp_path, monkeypatch):
    def columns(engine) -> list[tuple]:
        with Session(engine) as session:
            table = ComplaintCase.__table__
            return list(session.execute(
                select(*[table.c[name] for name in COMPARED]).order_by(table.c.id)
            ))  # fmt: skip

    first = columns(seeded["engine"])
    with portal_database(f"sqlite:///{tmp_path / 'again.db'}", monkeypatch) as again:
        migrate.upgrade(again)
        generate(again)
        assert columns(again) == first
    with portal_database(f"sqlite:///{tmp_path / 'other.db'}", monkeypatch) as other:
        migrate.upgrade(other)
        generate(other, seed=SEED + 1)
        assert columns(other) != first


def test_a_database_holding_complaints_is_not_empty(engine):
    assert demo.is_empty(engine)
    complaints_demo.generate_cases(engine, count=20, seed=1, until=UNTIL)
    assert not demo.is_empty(engine)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(ComplaintCase)) == 20


def test_the_last_day_ends_at_the_cutoff(engine):
    cutoff = datetime(2026, 11, 20, 9, 0, tzinfo=BEIJING)
    complaints_demo.generate_cases(engine, count=3_000, seed=3, until=UNTIL, cutoff=cutoff)
    with Session(engine) as session:
        latest = session.scalar(select(func.max(ComplaintEvent.at)))
        last_day = session.scalar(
            select(func.count()).select_from(ComplaintCase)
            .where(ComplaintCase.filed_on == UNTIL)
        )  # fmt: skip
    assert last_day > 0
    assert beijing(latest) <= cutoff
