"""Sample complaints: a plausible, reproducible 12369-style flow of cases for demos and benchmarks.

`generate_cases` files `count` cases over the three years before `until` (a Beijing day) and moves
each one along the workflow as far as it would have got by then, with the statutory deadlines of
services.complaints.deadlines. Every row is labelled `is_demo`; every enterprise or site named
contains "示例" (no real company is named) and every reporter identity is obviously fake (示例用户…,
1380000xxxx) and sealed like a real one. Nobody holds a receipt: `receipt_key` stays NULL.

The flow (shares are of all cases unless said otherwise):

- types: mostly air (odour, cooking fumes, dust, industrial gas) and noise (construction, social,
  industrial), then water, solid waste and a little soil, ecology and radiation; noise and odour
  rise in summer; 15 % name two types; volume grows gently (about 12 % a year);
- districts by population (云岩 and 南明 most, 贵安 least); channels web 55 %, phone 30 %,
  WeChat 10 %, letter 3 %, visit 2 %; anonymous 45 %, confidential 50 %, reward 5 %;
- 70 % name a sample target (400 of them for up to 2,000 cases, growing with the square root of
  the count: 2,000 for 50,000, so repeats stay plausible), in the case's district when one fits;
  a handful draw many complaints; repeats are linked and escalated (督办) as intake does it,
  counting a case open until its first close, not-accept or duplicate decision;
- moderated the same or the next working day; decided 1-5 days after filing (4 % late): accepted,
  not accepted (7 %) or marked duplicate (4 %); 20 % of accepted cases transferred; 10 % extended;
  closed mostly 7-32 days after acceptance (3 % late); substantiated 55 %, partly 20 %, not 25 %;
  60 % of closed cases rated; 5 % ask for 复查 and 1 % go on to 复核;
- a few older cases are left stuck (acceptance and closure overdue) and a few recent ones sit in
  each open status, so every status and both kinds of 超期 are there to look at.

Events carry the workflow's action names, from/to statuses and actors as the services write them:
"file" by the reporter (web) or staff:demo.handler (other channels, as intake requires), staff steps
by staff:demo.handler, extension approvals by staff:demo.supervisor, ratings and review requests by
the reporter, 督办 by the system; extensions are requested then approved, and a remediation is an
"edit_public" step.

The parts: params (sizes, shares, weights), texts (the words), targets (sample enterprises and
sites), dates (days, working days, deadlines), chance (drawing helpers), draws (what each case is
about), simulation (each case's path through the workflow), links (repeats, 督办, duplicates) and
rows (bulk inserts in chunks).
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from services.complaints.demo.draws import Draws, draw, forced
from services.complaints.demo.links import link
from services.complaints.demo.params import CASES, ROWS_PER_CASE, YEARS
from services.complaints.demo.rows import Batch, Clock, Progress, insert_rows, next_id
from services.complaints.demo.simulation import CasePath, plan
from services.complaints.demo.targets import Target, make_targets
from services.complaints.model import ComplaintCase
from services.shared.capability import DemoContext

__all__ = ["CASES", "ROWS_PER_CASE", "Progress", "expected_rows", "generate", "generate_cases",
           "has_rows"]  # fmt: skip


def generate_cases(
    engine: Engine,
    *,
    count: int,
    seed: int,
    until: date,
    progress: Progress | None = None,
    cutoff: datetime | None = None,
) -> int:
    """File `count` sample cases over the 3 years up to `until` (a Beijing day) and move each
    along the workflow as far as it would be by then. Returns the rows written (cases, events
    and sealed identities). `cutoff` (optional, aware) squeezes the events of `until` itself into
    the hours before that moment, so nothing is later than it.
    """
    if count <= 0:
        return 0
    last = until.toordinal()
    cases, draws, targets = simulate(count, seed, last)
    batch = Batch(cases, draws, targets, next_id(engine), Clock(last, cutoff))
    return insert_rows(engine, batch, progress or (lambda _part, _done, _total: None))


def simulate(count: int, seed: int, last: int) -> tuple[list[CasePath], Draws, list[Target]]:
    """The cases filed over the YEARS up to the ordinal day `last`, each moved along its path."""
    rng = np.random.default_rng([seed, 12369])
    first = last - YEARS * 365 + 1
    targets = make_targets(rng, first, last, count)
    draws = draw(rng, count, first, last, targets)
    held = forced(rng, draws.day, last)
    cases = [plan(i, draws, targets, last, held.get(i)) for i in range(count)]
    link(cases, draws)
    return cases, draws, targets


def generate(context: DemoContext) -> int:
    """The demo part: cases up to the Beijing day of the last whole hour, events before it."""
    return generate_cases(context.engine, count=CASES[context.size], seed=context.seed,
                          until=context.last_day, progress=context.progress,
                          cutoff=context.until)  # fmt: skip


def expected_rows(size: str) -> int:
    """Cases, events and sealed identities: an estimate; the part reports its exact total."""
    return round(CASES[size] * ROWS_PER_CASE)


def has_rows(session: Session) -> bool:
    return session.exec(select(ComplaintCase.id).limit(1)).first() is not None
