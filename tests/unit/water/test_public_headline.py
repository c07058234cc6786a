"""What the water page's headline, river year status and yearly tables count: the headline
month (the newest month in which most sections were sampled), the sources sampled in it, a
river's status for a year by the month rules, and the months a year needs for a verdict."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import numpy as np

from services.water import evaluation as ev
from services.water import public
from services.water.sections import sections, waters
from tests.unit.water.test_evaluation import frame

CLEAN = {"DO": 8, "CODMn": 2, "COD": 10, "BOD5": 2, "NH3_N": 0.1, "TP": 0.02, "pH": 7.5}
DIRTY = {**CLEAN, "NH3_N": 2.5}  # above the class V limit (2.0): worse than class V


def shares(period: date, n: int) -> ev.CityShares:
    return ev.CityShares(period=period, sections=n, good=n, worst=0, on_target=n)


def test_the_headline_month_is_the_newest_in_which_most_sections_were_sampled():
    rows = [
        shares(date(2026, 9, 1), 39),
        shares(date(2026, 10, 1), 39),
        shares(date(2026, 11, 1), 18),
    ]
    assert public.headline_index(rows, 39) == 1  # 18 of 39 is not most: October stands
    rows[-1] = shares(date(2026, 11, 1), 20)
    assert public.headline_index(rows, 39) == 2  # 20 of 39 is more than half
    few = [shares(date(2026, 10, 1), 3), shares(date(2026, 11, 1), 2)]
    assert public.headline_index(few, 39) == 1  # no month reaches half: the newest


def every_section(day: date, codes=None, values=CLEAN) -> list[dict]:
    codes = codes if codes is not None else [s.code for s in sections()]
    return [{"section": c, "day": day, **values} for c in codes]


def test_the_headline_counts_the_sections_and_sources_sampled_in_its_month():
    registered = len(sections())
    sources = public.registered_sources()
    assert len(sources) == 5
    source_codes = {s.code for s in sections() if s.drinking_source}
    kept = set(sources[:3])
    # November: every river section and 3 of the 5 sources -- more than half of all sections
    november = [
        s.code for s in sections()
        if not s.drinking_source or s.water_zh in kept
    ]  # fmt: skip
    assert 2 * len(november) > registered and len(november) < registered
    data = frame(*every_section(date(2026, 10, 5)), *every_section(date(2026, 11, 5), november))
    head = public.headline(ev.period_means(data, "month"))
    assert head is not None
    assert head.shares.period == date(2026, 11, 1) and head.shares.sections == len(november)
    assert head.registered == registered and not head.newest_is_partial
    assert {s.water_zh for s in head.sources} == kept
    assert head.sources_missing == sources[3:]
    # December: three sections only; the headline stays on November and says December is partial
    few = sorted(source_codes)[:3]
    data = frame(
        *every_section(date(2026, 11, 5), november), *every_section(date(2026, 12, 2), few)
    )
    head = public.headline(ev.period_means(data, "month"))
    assert head.shares.period == date(2026, 11, 1) and head.newest_is_partial
    assert head.newest.period == date(2026, 12, 1) and head.newest.sections == 3


def test_a_river_has_a_status_for_each_year_by_the_month_rules_with_its_months_counted():
    river = [s.code for s in waters()["南明河"]]  # 9 sections: the shares rule
    samples = []
    for month in range(1, 13):  # 2025 whole: 2 of 9 sections bad all year -> 7/9 good: 良好
        for j, code in enumerate(river):
            samples.append({"section": code, "day": date(2025, month, 10),
                            **(DIRTY if j < 2 else CLEAN)})  # fmt: skip
    for month in (1, 2, 3):  # 2026 so far: all clean -> 优
        samples += every_section(date(2026, month, 10), river)
    data = frame(*samples)
    year, month_means = ev.period_means(data, "year"), ev.period_means(data, "month")
    statuses = public.water_year_statuses(year, month_means, "南明河", heavy_below=75)
    assert [(y, k) for y, k, _s in statuses] == [(2026, 3), (2025, 12)]
    newest, whole = statuses[0][2], statuses[1][2]
    assert newest.method == "shares" and newest.status == 0
    assert whole.status == 1 and whole.sections == 9 and whole.share_good == Fraction(7, 9)
    # the same rule as a month: water_status over the year's columns
    cols = np.flatnonzero(year.period == np.datetime64("2025-01-01"))
    assert ev.water_status(year, list(cols), heavy_below=75) == whole


def test_a_year_needs_all_twelve_months_for_a_verdict():
    assert public.YEAR_MONTHS == 12
    assert not public.year_complete(2) and not public.year_complete(11)
    assert public.year_complete(12)
