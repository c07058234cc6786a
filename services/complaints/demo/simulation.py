"""Sample complaints, one case's path: filed, then moved step by step along the workflow.

Each step takes the workflow's action name, from/to statuses and actor as the services write
them (services.complaints.workflow.TRANSITIONS), on a day drawn from the case's uniforms; a
step after `until`, or the one a forced case is held before, ends the path.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.complaints.catalog import OTHER_UNITS, Channel, Rating, Status
from services.complaints.demo.chance import choose, cumulative, pick_u, triangular
from services.complaints.demo.dates import (
    acceptance_due,
    closure_due,
    day_of,
    midnight,
    objection_due,
    review_answer_due,
    review_request_due,
    workday,
)
from services.complaints.demo.draws import Draws
from services.complaints.demo.params import (
    CLOSURE_DAYS,
    DECISION_DAYS,
    DECISION_WEIGHTS,
    FINDINGS,
    NOT_ACCEPTED,
    P_DUPLICATE,
    P_EXTENSION,
    P_LATE_CLOSURE,
    P_LATE_DECISION,
    P_NOT_ACCEPTED,
    P_RATED,
    P_RE_REVIEW,
    P_REMEDIATION,
    P_REVIEW,
    P_SITE_CHECK,
    P_TO_DISTRICT,
    P_TRANSFER,
    RATINGS,
    REPORTER_HOURS,
    STAFF,
    STAFF_HOURS,
    STOP_BEFORE,
    SUPERVISOR,
    UNIT_FOR,
)
from services.complaints.demo.targets import Target
from services.complaints.demo.texts import (
    ACCEPTED_TEXT,
    DETAIL,
    EXTENSION_TEXT,
    NOT_ACCEPTED_TEXT,
    OUTCOME,
    PROBLEM,
    RATING_COMMENTS,
    RE_REVIEW_ANSWER,
    RE_REVIEW_REQUEST,
    REMEDIATION,
    REVIEW_ANSWER,
    REVIEW_REQUEST,
    SITE_NOTES,
    UNIT_ZH,
)
from services.complaints.workflow import TRANSITIONS
from services.core import geography

_DECISION = cumulative(DECISION_WEIGHTS)
_NOT_ACCEPTED = cumulative(NOT_ACCEPTED.values())
_FINDINGS = cumulative(FINDINGS.values())
_RATINGS = cumulative(RATINGS.values())


class Stop(Exception):
    """The next step has not happened yet (after `until`) or is held back on purpose."""


@dataclass
class Event:
    at: float
    actor: str
    action: str
    from_status: str
    to_status: str
    reason: str = ""
    note: str = ""
    public_note: str = ""
    to_reporter: str = ""


class CasePath:
    """One case moved along the workflow, step by step, until `until` or a forced stop."""

    def __init__(self, until: int, stop: str | None) -> None:
        self.until, self.stop = until, stop
        self.status = Status.SUBMITTED
        self.events: list[Event] = []
        self.fields: dict[str, object] = {}
        self.provisional = False

    def step(self, day: int, hours: tuple[float, float], u: float, action: str, actor: str,
             **notes: str) -> int:  # fmt: skip
        """Record `action` on `day` (never before the previous step) and return the day."""
        last = self.events[-1].at
        day = max(day, day_of(last))
        if day > self.until or action == self.stop:
            raise Stop
        allowed, target = TRANSITIONS[action]
        assert self.status in allowed, (action, self.status)
        base = midnight(day)
        at = base + hours[0] + u * (hours[1] - hours[0])
        if at <= last:
            at = last + 60 + u * 1800
        at = max(min(at, base + 86399), last)
        before = self.status
        if target is not None:
            self.status = target
        self.events.append(Event(at, actor, action, before, self.status, **notes))
        return day


@dataclass(frozen=True)
class _Facts:
    """What one case's path depends on besides its own steps (u: its uniforms)."""

    i: int
    u: list[float]
    code: str
    district: str
    filed: int
    until: int
    forced: str | None
    who: str  # the target, or whoever is responsible, as replies name it


def plan(i: int, d: Draws, targets: list[Target], until: int, forced: str | None) -> CasePath:
    """Case `i`'s path as far as it would have got by `until` (or its forced state)."""
    target = targets[d.target[i]] if d.target[i] >= 0 else None
    x = _Facts(
        i=i,
        u=d.u[i],
        code=d.types[i],
        district=d.district[i],
        filed=d.day[i],
        until=until,
        forced=forced,
        who=target.name if target else "相关责任单位",
    )
    case = _filed(x, d.at[i], d.channel[i])
    try:
        accepted = _decide(case, x)
        if accepted is not None:
            _handle(case, x, accepted)
    except Stop:
        pass
    return case


def _filed(x: _Facts, at: float, channel: str) -> CasePath:
    case = CasePath(x.until, STOP_BEFORE.get(x.forced))
    case.fields["acceptance_due"], case.provisional = acceptance_due(x.filed)
    actor = "reporter" if channel == Channel.WEB else STAFF  # intake: staff enter other channels
    case.events.append(Event(at, actor, "file", "", Status.SUBMITTED, reason=channel))
    return case


# --- 待审核 → 待受理, then 受理 / 不予受理 / 重复 -------------------------------------------


def _decide(case: CasePath, x: _Facts) -> int | None:
    """Moderated, then decided; the day of acceptance, None when not accepted or a duplicate."""
    u = x.u
    # 待审核 → 待受理: the same or the next working day
    moderated = workday(x.filed + (0 if u[0] < 0.6 else 1 if u[0] < 0.9 else 2))
    case.step(moderated, STAFF_HOURS, u[30], "moderate", STAFF)
    case.fields["published"] = True
    outcome = "accept" if x.forced else (
        "not_accept" if u[1] < P_NOT_ACCEPTED else
        "mark_duplicate" if u[1] < P_NOT_ACCEPTED + P_DUPLICATE and x.i > 0 else "accept"
    )  # fmt: skip
    decided = _decision_day(x, case.fields["acceptance_due"], moderated)
    if outcome == "not_accept":
        _not_accept(case, x, decided)
        return None
    if outcome == "mark_duplicate":
        case.fields["decided_on"] = case.step(decided, STAFF_HOURS, u[31], "mark_duplicate",
                                              STAFF, reason="already_accepted")  # fmt: skip
        case.fields["duplicate"] = True
        return None
    accepted = case.step(decided, STAFF_HOURS, u[31], "accept", STAFF, to_reporter=ACCEPTED_TEXT)
    due, case.provisional = closure_due(accepted)
    case.fields.update(accepted_on=accepted, decided_on=accepted, closure_due=due)
    return accepted


def _decision_day(x: _Facts, acceptance: int, moderated: int) -> int:
    """1-5 days after filing, or late (after the acceptance deadline), on a working day."""
    if not x.forced and x.u[3] < P_LATE_DECISION:
        decided = acceptance + 1 + int(x.u[4] * 10)
    else:
        decided = x.filed + choose(x.u[2], DECISION_DAYS, _DECISION)
    return workday(max(decided, moderated))


def _not_accept(case: CasePath, x: _Facts, decided: int) -> None:
    reason = choose(x.u[5], list(NOT_ACCEPTED), _NOT_ACCEPTED)
    case.fields["decided_on"] = case.step(
        decided,
        STAFF_HOURS,
        x.u[31],
        "not_accept",
        STAFF,
        reason=reason,
        to_reporter=NOT_ACCEPTED_TEXT[reason],
    )
    case.fields["not_accepted_reason"] = reason


# --- 转办, 办理中, 延期, 办结 ---------------------------------------------------------------


def _handle(case: CasePath, x: _Facts, accepted: int) -> None:
    """An accepted case: taken up (perhaps transferred), checked, extended, closed, rated."""
    due = case.fields["closure_due"]
    taken = case.step(_take_up_day(case, x, accepted), STAFF_HOURS, x.u[33], "take_up", STAFF)
    closed, extension = _closing_day(x, accepted, due)
    if x.u[10] < P_SITE_CHECK or x.forced:
        _site_check(case, x, taken, closed)
    if extension:
        _extend(case, x, accepted, taken, due, extension)
    closed = _close(case, x, closed)
    _after_closing(case, x, closed)


def _take_up_day(case: CasePath, x: _Facts, accepted: int) -> int:
    """The day handling starts: after a transfer (20 % of cases), else within 4 days."""
    forced, u = x.forced, x.u
    transfer = forced == "transferred" or (
        forced in (None, "handling_overdue") and u[6] < P_TRANSFER
    )
    if forced == "accepted" or not transfer:
        return workday(accepted + int(u[9] * 4))
    unit = x.district if u[7] < P_TO_DISTRICT else UNIT_FOR.get(x.code, "market")
    assert unit in OTHER_UNITS or geography.district_by_key(unit) is not None
    name = UNIT_ZH.get(unit) or geography.district_by_key(unit).name_zh + "生态环境分局"
    moved = case.step(workday(accepted + int(u[8] * 3)), STAFF_HOURS, u[32], "transfer", STAFF,
                      reason=unit, note=f"转{name}办理")  # fmt: skip
    case.fields.update(transferred_to=unit, transfer_objection_due=objection_due(moved)[0])
    return workday(moved + 1 + int(u[9] * 6))


def _closing_day(x: _Facts, accepted: int, due: int) -> tuple[int, int]:
    """The planned closing day and the extension days (0 for none)."""
    u = x.u
    extended = not x.forced and u[12] < P_EXTENSION
    late = not x.forced and not extended and u[16] < P_LATE_CLOSURE
    extension = 10 + int(u[13] * 21) if extended else 0
    if extended:
        new_due = closure_due(accepted, extension)[0]
        closed = int(due - 8 + u[15] * (new_due - due + 8))
    elif late:
        closed = due + 1 + int(u[17] * 20)
    else:
        closed = accepted + round(triangular(u[15], *CLOSURE_DAYS))
    closed = workday(closed)
    return (max(closed, due + 1) if late else closed), extension


def _site_check(case: CasePath, x: _Facts, taken: int, closed: int) -> None:
    check = workday(min(taken + 1 + int(x.u[11] * 7), closed))
    case.step(
        check,
        STAFF_HOURS,
        x.u[34],
        "site_check",
        STAFF,
        note="现场检查：" + DETAIL[x.code][0],
        public_note=pick_u(x.u[40], SITE_NOTES),
    )


def _extend(case: CasePath, x: _Facts, accepted: int, taken: int, due: int,
            extension: int) -> None:  # fmt: skip
    """Asked for by the handler, approved by a supervisor before the closure deadline."""
    u = x.u
    asked = workday(max(taken, due - 3 - int(u[14] * 18)))
    case.step(asked, STAFF_HOURS, u[35], "request_extension", STAFF,
              reason=str(extension), note="需要连续监测取证")  # fmt: skip
    case.fields["extension_requested_days"] = extension
    approved = workday(asked + 1 + int(u[14] * 2))
    case.step(min(approved, due), STAFF_HOURS, u[36], "approve_extension", SUPERVISOR,
              reason=str(extension), to_reporter=pick_u(u[41], EXTENSION_TEXT))  # fmt: skip
    new_due, case.provisional = closure_due(accepted, extension)
    case.fields.update(extension_days=extension, extension_requested_days=0, closure_due=new_due)


def _close(case: CasePath, x: _Facts, closed: int) -> int:
    """办结 with a finding, a reply and a public outcome (and perhaps a remediation)."""
    u = x.u
    finding = choose(u[18], list(FINDINGS), _FINDINGS)
    outcome_text = pick_u(u[42], OUTCOME[finding]).format(who=x.who)
    reply = f"您好！您反映的{PROBLEM[x.code]}已办结。{outcome_text}感谢您对生态环境保护工作的支持。"
    closed = case.step(closed, STAFF_HOURS, u[37], "close", STAFF, reason=finding,
                       public_note=outcome_text, to_reporter=reply)  # fmt: skip
    case.fields.update(
        finding=finding,
        reply=reply,
        public_outcome=outcome_text,
        closed_on=closed,
        review_request_due=review_request_due(closed)[0],
    )
    if u[28] < P_REMEDIATION.get(finding, 0.0):
        remediation = REMEDIATION.get(x.code) or REMEDIATION[x.code.split(".")[0]]
        case.step(closed, STAFF_HOURS, u[38], "edit_public", STAFF)
        case.fields["remediation"] = remediation
    return closed


# --- 评价, 复查, 复核 -----------------------------------------------------------------------


def _after_closing(case: CasePath, x: _Facts, closed: int) -> None:
    forced, u = x.forced, x.u
    review = forced in ("review", "re_review", "final") or (not forced and u[22] < P_REVIEW)
    re_review = forced in ("re_review", "final") or (review and not forced and u[25] < P_RE_REVIEW)
    asked = closed + 2 + int(u[23] * 24)
    if forced == "review":  # asked lately, so that the answer is still due
        asked = lately(u[23], closed + 2, review_request_due(closed)[0], x.until)
    if u[19] < P_RATED:
        _rate(case, x, closed, asked, review)
    if not review:
        return
    answer = pick_u(u[24], REVIEW_ANSWER)
    answered = _review_round(case, "review", asked, REVIEW_REQUEST, answer, (u[24], u[44], u[45]))
    if not re_review:
        return
    asked = answered + 2 + int(u[26] * 20)
    if forced == "re_review":
        asked = lately(u[26], answered + 2, review_request_due(answered)[0], x.until)
    _review_round(case, "re_review", asked, RE_REVIEW_REQUEST, RE_REVIEW_ANSWER,
                  (u[27], u[46], u[47]))  # fmt: skip


def _rate(case: CasePath, x: _Facts, closed: int, asked: int, review: bool) -> None:
    """A rating, dissatisfied or fair before a review request, within 10 days otherwise."""
    u = x.u
    if review:
        rating = Rating.DISSATISFIED if u[20] < 0.8 else Rating.FAIRLY
        rated = closed + int(u[21] * (asked - closed))
    else:
        rating = choose(u[20], list(RATINGS), _RATINGS)
        rated = closed + int(u[21] * 10)
    comment = pick_u(u[43], RATING_COMMENTS[rating])
    case.fields["rated_on"] = case.step(rated, REPORTER_HOURS, u[39], "rate", "reporter",
                                        reason=rating)  # fmt: skip
    case.fields.update(rating=rating, rating_comment=comment)


def _review_round(case: CasePath, kind: str, asked: int, request: str, answer: str,
                  u: tuple[float, float, float]) -> int:  # fmt: skip
    """复查 (`kind` "review") or 复核 ("re_review"): asked by the reporter, answered by staff
    7-28 days later. `u`: the answer's delay, the request's and the answer's hours."""
    delay, u_asked, u_answered = u
    asked = case.step(asked, REPORTER_HOURS, u_asked, f"request_{kind}", "reporter", note=request)
    case.fields["review_due"], case.provisional = review_answer_due(asked)
    answered = case.step(
        workday(asked + 7 + int(delay * 21)),
        STAFF_HOURS,
        u_answered,
        f"answer_{kind}",
        STAFF,
        public_note=answer,
        to_reporter=answer,
    )
    case.fields.update(reply=answer, review_request_due=review_request_due(answered)[0])
    return answered


def lately(u: float, earliest: int, latest: int, until: int) -> int:
    """A day in the last three weeks before `until`, within [earliest, latest] if possible."""
    return max(earliest, min(latest, until - int(u * 20)))
