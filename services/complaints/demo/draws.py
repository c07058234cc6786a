"""Sample complaints, the draws: what each case is about, before its path through the workflow.

Every random number comes from one generator, in a fixed order, so a seed gives the same cases.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from services.complaints.catalog import Channel
from services.complaints.demo.chance import rows_choice
from services.complaints.demo.dates import as_date, midnight
from services.complaints.demo.params import (
    CHANNELS,
    DISTRICT_WEIGHTS,
    FILING_HOURS,
    FORCED,
    IDENTITIES,
    P_PIN,
    P_TARGET,
    TYPE_WEIGHTS,
)
from services.complaints.demo.targets import KINDS, Target, centre, inside

FLOW_DRAWS, WORD_DRAWS = 48, 25  # uniforms per case for its path and for its words


@dataclass
class Draws:
    """Everything about the cases that does not depend on the flow, in filing order."""

    day: list[int]
    at: list[float]  # filed, epoch seconds
    channel: list[str]
    identity: list[str]
    types: list[str]  # primary type code
    target: list[int]  # index into targets, -1 for none
    district: list[str]
    lat: list[float]
    lon: list[float]
    pin: list[bool]
    u: list[list[float]]  # uniforms for the flow
    w: list[list[float]]  # uniforms for the words


def summer(days: np.ndarray) -> np.ndarray:
    """+1 in mid-July, -1 in mid-January."""
    doy = np.array([as_date(int(d)).timetuple().tm_yday for d in days])
    return np.cos(2 * math.pi * (doy - 196) / 365.25)


def draw(rng: np.random.Generator, count: int, start: int, until: int,
         targets: list[Target]) -> Draws:  # fmt: skip
    """The cases filed from `start` to `until` (ordinal days), in the order they were filed."""
    day, channel, at = _filing(rng, count, start, until)
    identity = _weighted(rng, IDENTITIES, count)
    codes = list(TYPE_WEIGHTS)
    base = np.array([w for w, _ in TYPE_WEIGHTS.values()])
    season = np.array([s for _, s in TYPE_WEIGHTS.values()])
    primary = rows_choice(rng, base * (1 + season * summer(day)[:, None]))
    district = _weighted(rng, DISTRICT_WEIGHTS, count)
    target = _named_targets(rng, day, primary, district, targets)
    lat, lon = _places(rng.normal(0, 1, size=(count, 2)), target, district, targets)
    return Draws(
        day=day.tolist(), at=at.tolist(), channel=channel.tolist(), identity=identity.tolist(),
        types=[codes[p] for p in primary.tolist()], target=target.tolist(),
        district=district.tolist(), lat=lat.tolist(), lon=lon.tolist(),
        pin=(rng.random(count) < P_PIN).tolist(), u=rng.random((count, FLOW_DRAWS)).tolist(),
        w=rng.random((count, WORD_DRAWS)).tolist(),
    )  # fmt: skip


def _weighted(rng: np.random.Generator, shares: dict[str, float], count: int) -> np.ndarray:
    """`count` keys of `shares`, each drawn with its weight."""
    weights = np.tile(np.array(list(shares.values())), (count, 1))
    return np.array(list(shares))[rows_choice(rng, weights)]


def _filing(rng: np.random.Generator, count: int, start: int,
            until: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Filing days, channels and moments, sorted by moment.

    Volume grows about 12 % a year, follows the summer a little and dips at weekends; the hour
    of the day follows the channel (FILING_HOURS).
    """
    days = np.arange(start, until + 1)
    years = (days - start) / 365.25
    weekday = (days + 6) % 7  # date.fromordinal(1) is a Monday: 0 Monday … 6 Sunday
    rate = (1 + 0.12 * years) * (1 + 0.15 * summer(days)) * np.where(weekday >= 5, 0.85, 1.0)
    day = np.sort(rng.choice(days, size=count, p=rate / rate.sum()))
    channels = list(CHANNELS)
    channel = _weighted(rng, CHANNELS, count)
    hour_weights = np.array([FILING_HOURS[Channel(c)] for c in channels], dtype=float)
    index = {c: i for i, c in enumerate(channels)}
    hours = rows_choice(rng, hour_weights[[index[c] for c in channel]])
    at = np.array([midnight(int(d)) for d in day]) + hours * 3600 + rng.random(count) * 3599
    order = np.argsort(at, kind="stable")
    return day[order], channel[order], at[order]


def _named_targets(rng: np.random.Generator, day: np.ndarray, primary: np.ndarray,
                   district: np.ndarray, targets: list[Target]) -> np.ndarray:  # fmt: skip
    """Per case a target index (-1 for none): one that fits the type and is active then."""
    target = np.full(len(day), -1)
    wants = rng.random(len(day)) < P_TARGET
    for c, code in enumerate(TYPE_WEIGHTS):
        rows = np.flatnonzero(wants & (primary == c))
        candidates = [i for i, t in enumerate(targets) if code in KINDS[t.kind].types]
        if not len(rows) or not candidates:
            continue
        weights = _target_weights(code, candidates, day[rows], district[rows], targets)
        target[rows] = np.array(candidates)[rows_choice(rng, weights)]
    return target


def _target_weights(code: str, candidates: list[int], day: np.ndarray, district: np.ndarray,
                    targets: list[Target]) -> np.ndarray:  # fmt: skip
    """Per case, each candidate's weight: a target known for the type counts more; only active
    ones count, only those in the case's district when there are any; all when none is active."""
    chosen = [targets[i] for i in candidates]
    affinity = np.array(
        [t.weight * (1.0 if code in KINDS[t.kind].types[:2] else 0.35) for t in chosen]
    )
    start_at = np.array([t.active_from for t in chosen])
    end_at = np.array([t.active_to for t in chosen])
    home = np.array([t.district for t in chosen])
    active = (start_at[None, :] <= day[:, None]) & (day[:, None] < end_at[None, :])
    weights = np.where(active, affinity[None, :], 0.0)
    local = np.where(home[None, :] == district[:, None], weights, 0.0)
    has_local = local.sum(axis=1) > 0
    weights[has_local] = local[has_local]
    idle = weights.sum(axis=1) == 0
    weights[idle] = affinity
    return weights


def _places(noise: np.ndarray, target: np.ndarray, district: np.ndarray,
            targets: list[Target]) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Each case's point: its target's, else scattered around its district's centre.

    A case with a target takes the target's district (`district` is updated in place).
    """
    count = len(target)
    lat, lon = np.empty(count), np.empty(count)
    for i in range(count):
        if target[i] >= 0:
            t = targets[target[i]]
            district[i], lat[i], lon[i] = t.district, t.lat, t.lon
        else:
            c_lat, c_lon, spread = centre(str(district[i]))
            lat[i], lon[i] = inside(c_lat + noise[i, 0] * spread, c_lon + noise[i, 1] * spread)
    return lat, lon


def forced(rng: np.random.Generator, days: list[int], until: int) -> dict[int, str]:
    """Cases left in one state on purpose, chosen from those filed in each state's age window."""
    count = len(days)
    age = until - np.array(days)
    chosen: dict[int, str] = {}
    for name, (share, low, high) in FORCED.items():
        wanted = max(2, round(count * share))
        distance = np.maximum(low - age, 0) + np.maximum(age - high, 0)
        distance = np.where(np.isin(np.arange(count), list(chosen)), 10**6, distance)
        order = np.lexsort((rng.random(count), distance))  # in the window first, at random
        for i in order[:wanted].tolist():
            if distance[i] < 10**6:
                chosen[i] = name
    return chosen
