"""Sample complaints, links between cases: repeats (复投) and 督办 as intake makes them at filing,
and the originals of duplicates.

A case counts as open until its first close, not-accept or duplicate decision.
"""

from __future__ import annotations

import math

from services.complaints.catalog import Status
from services.complaints.demo.draws import Draws
from services.complaints.demo.simulation import CasePath, Event
from services.complaints.intake import ESCALATE_AT, REPEAT_WINDOW_DAYS

_ENDS = ("close", "not_accept", "mark_duplicate")


def link(cases: list[CasePath], d: Draws) -> None:
    """Link every case, in filing order; escalations are added to the events, in time order."""
    links = _Links(cases, d)
    for i in range(len(cases)):
        links.link(i)
    for case in cases:
        case.events.sort(key=lambda e: e.at)  # stable: escalations after steps at the same time


def status_at(case: CasePath, moment: float) -> str:
    status = Status.SUBMITTED
    for event in case.events:
        if event.at > moment:
            break
        status = event.to_status
    return status


class _Links:
    """The cases seen so far: open ones per target, the last per target and per place."""

    def __init__(self, cases: list[CasePath], d: Draws) -> None:
        self.cases, self.d = cases, d
        self.ends = [next((e.at for e in c.events if e.action in _ENDS), math.inf) for c in cases]
        self.open_by_target: dict[int, list[int]] = {}
        self.last_by_target: dict[int, int] = {}
        self.last_by_place: dict[tuple[str, str], int] = {}

    def link(self, i: int) -> None:
        d, target = self.d, self.d.target[i]
        place = (d.district[i], d.types[i].split(".")[0])
        earlier = self._repeat(i, target) if target >= 0 else []
        fields = self.cases[i].fields
        if fields.get("duplicate"):
            original = earlier[-1] if earlier else self.last_by_target.get(target)
            if original is None:
                original = self.last_by_place.get(place, i - 1)
            fields["duplicate_of"] = original
        if target >= 0:
            self.last_by_target[target] = i
        self.last_by_place[place] = i

    def _repeat(self, i: int, target: int) -> list[int]:
        """The open cases about the same target filed within the window (a repeat links to the
        first of them), escalated all together once there are ESCALATE_AT."""
        d, moment = self.d, self.d.at[i]
        since = d.day[i] - REPEAT_WINDOW_DAYS
        earlier = [j for j in self.open_by_target.get(target, [])
                   if self.ends[j] > moment and d.day[j] >= since]  # fmt: skip
        self.open_by_target[target] = [*earlier, i]
        if earlier:
            first = earlier[0]
            self.cases[i].fields["repeat_of"] = self.cases[first].fields.get("repeat_of", first)
        if len(earlier) + 1 >= ESCALATE_AT:
            for j in [*earlier, i]:
                _escalate(self.cases[j], moment)
        return earlier


def _escalate(case: CasePath, moment: float) -> None:
    """督办 by the system, at `moment`, unless the case is escalated already."""
    if case.fields.get("escalated"):
        return
    case.fields["escalated"] = True
    status = status_at(case, moment)
    case.events.append(Event(moment, "system", "escalate", status, status, reason="repeat"))
