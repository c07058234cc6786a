"""Air-quality evaluation: daily statistics, HJ 663 annual evaluation, good days, composite index.

Hourly input (`daily_statistics`): columns ``station_code``, ``observed_at`` (aware UTC, the END of
the hour), ``so2 no2 pm10 pm25 o3`` (µg/m³), ``co`` (mg/m³), ``is_valid``. Rows with
``is_valid`` False count as missing everywhere.

Daily frames (output of `daily_statistics` / `city_daily`, input of `annual_evaluation`): columns
``station_code``, ``date`` (naive datetime64 at midnight, Beijing calendar day), ``so2 no2 pm10 pm25
co`` (24-hour means), ``o3_1h_max``, ``o3_8h_max``, ``standard`` (HJ633-2012 / HJ633-2026).

Limits come from content/standards/gb3095_limits.csv (Table 1, by the phase in force on the date);
the standard switch follows content/standards/DECISIONS.md §1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from services.air.aqi_frame import SCALE, round_mean
from services.air.standards import LEVEL_UPPER_BOUNDS, SWITCH_DATE
from services.core.settings import CONTENT_DIR

LIMITS_CSV = CONTENT_DIR / "standards" / "gb3095_limits.csv"
MEAN_POLLUTANTS = ("so2", "no2", "pm10", "pm25", "co")
HOURLY_POLLUTANTS = (*MEAN_POLLUTANTS, "o3")
DAILY_COLUMNS = (*MEAN_POLLUTANTS, "o3_1h_max", "o3_8h_max")
DAY_KEYS = ["station_code", "date"]

# GB 3095-2012 Table 4 (kept by GB 3095-2026): a 24-hour mean needs >= 20 valid hours that day
MIN_VALID_HOURS = 20
# GB 3095-2012 Table 4: an 8-hour mean needs >= 6 valid hours
WINDOW_HOURS, MIN_WINDOW_HOURS = 8, 6
# HJ 663-2013 §6.1.2: O3 daily max 8h over the windows ending 08:00..24:00, >= 14 of them valid,
# or fewer when the maximum found already exceeds the limit
MIN_VALID_WINDOWS = 14
# GB 3095-2012 Table 4: an annual mean needs >= 324 daily values, >= 27 in each month (Feb >= 25)
MIN_DAYS_PER_YEAR, MIN_DAYS_PER_MONTH, MIN_DAYS_IN_FEBRUARY = 324, 27, 25
# HJ 633 Table 2: levels 1-2 (优, 良) are good days, i.e. AQI <= 100
GOOD_AQI_MAX = LEVEL_UPPER_BOUNDS[1]


# --- GB 3095 limits --------------------------------------------------------------------------


@cache
def _limits_table() -> pd.DataFrame:
    """Table 1 limits as exact decimal strings, with each phase's validity dates."""
    table = pd.read_csv(LIMITS_CSV, dtype=str, keep_default_na=False)
    table = table[table["table"] == "Table1"].copy()
    table["effective_from"] = pd.to_datetime(table["effective_from"])
    open_ended = table["effective_to"] == ""
    table["effective_to"] = pd.to_datetime(table["effective_to"].mask(open_ended, None))
    table["effective_to"] = table["effective_to"].fillna(pd.Timestamp.max.normalize())
    return table


def gb3095_phases() -> pd.DataFrame:
    """The GB 3095 phases (standard_phase, effective_from, effective_to), oldest first."""
    columns = ["standard_phase", "effective_from", "effective_to"]
    phases = _limits_table()[columns].drop_duplicates("standard_phase")
    return phases.sort_values("effective_from").reset_index(drop=True)


def gb3095_phase_on(day: date) -> str:
    """The GB 3095 phase in force on a day (GB3095-2012, GB3095-2026-transition, -final)."""
    moment = pd.Timestamp(day)
    phases = gb3095_phases()
    found = phases[(phases["effective_from"] <= moment) & (moment <= phases["effective_to"])]
    if found.empty:
        raise LookupError(f"no GB 3095 limits in force on {day}")
    return str(found["standard_phase"].iloc[0])


@cache
def gb3095_limit(*, pollutant: str, averaging: str, phase: str, zone_class: int = 2) -> Decimal:
    """A Table 1 limit, e.g. ``gb3095_limit(pollutant="PM2.5", averaging="annual", ...)``."""
    if zone_class not in (1, 2):
        raise ValueError("zone_class must be 1 or 2")  # GB 3095: class 1 and class 2 zones
    table = _limits_table()
    row = table[
        (table["standard_phase"] == phase)
        & (table["pollutant"] == pollutant)
        & (table["averaging"] == averaging)
    ]
    if row.empty:
        raise LookupError((phase, pollutant, averaging))
    return Decimal(row[f"class{zone_class}_limit"].iloc[0])


@cache
def _phase_days() -> tuple[tuple[str, np.datetime64, np.datetime64], ...]:
    return tuple(
        (p.standard_phase, np.datetime64(p.effective_from, "D"), np.datetime64(p.effective_to, "D"))
        for p in gb3095_phases().itertuples()
    )


def _limits_on(days: np.ndarray, *, pollutant: str, averaging: str, zone_class: int) -> np.ndarray:
    """The limit in force on each day (datetime64 days; NaN before the first phase)."""
    days = np.asarray(days, dtype="datetime64[D]")
    limits = np.full(days.shape, np.nan)
    for phase, effective_from, effective_to in _phase_days():
        in_force = (days >= effective_from) & (days <= effective_to)
        limit = gb3095_limit(
            pollutant=pollutant,
            averaging=averaging,
            phase=phase,
            zone_class=zone_class,
        )
        limits[in_force] = float(limit)
    return limits


def aqi_standard(days: pd.Series) -> pd.Series:
    """HJ633-2012 before the switch date, HJ633-2026 from it (DECISIONS.md §1)."""
    return pd.Series(
        np.where(days < pd.Timestamp(SWITCH_DATE), "HJ633-2012", "HJ633-2026"), index=days.index
    )


# --- daily statistics ------------------------------------------------------------------------


# China Standard Time: UTC+8 with no daylight saving since 1991
BEIJING_OFFSET_S = 8 * 3600


@dataclass(frozen=True)
class DailyGrid:
    """Daily statistics laid out as one row per station and one column per Beijing day.

    Arrays have shape ``(len(codes), n_days)``; column ``j`` is day ``first_day + j``.
    ``present`` marks the station-days with any hourly row at all. A daily mean is kept exactly,
    as the sum of its hours in millionths (``totals``) over the number of hours (``counts``, 0
    where there is no valid value); for ``o3_8h_max`` the sum and hours of the highest window.
    Built by `daily_grid`; `daily_statistics` is its frame and `published` its rounded values.
    """

    codes: np.ndarray
    first_day: np.datetime64
    n_days: int
    present: np.ndarray
    totals: dict[str, np.ndarray]  # MEAN_POLLUTANTS and o3_8h_max -> int64 millionths
    counts: dict[str, np.ndarray]
    o3_1h_max: np.ndarray  # NaN where there is no valid value
    valid_hours: dict[str, np.ndarray]  # HOURLY_POLLUTANTS -> valid hours that day
    o3_8h_valid_windows: np.ndarray

    @property
    def dates(self) -> np.ndarray:
        """The grid's days as naive datetime64[ns] midnights."""
        return (self.first_day + np.arange(self.n_days)).astype("datetime64[ns]")

    def means(self) -> dict[str, np.ndarray]:
        """DAILY_COLUMNS -> float daily values, NaN where there is none."""
        with np.errstate(invalid="ignore", divide="ignore"):
            means = {
                c: np.where(n > 0, self.totals[c] / (np.maximum(n, 1) * SCALE), np.nan)
                for c, n in self.counts.items()
            }
        return {c: self.o3_1h_max if c == "o3_1h_max" else means[c] for c in DAILY_COLUMNS}

    def published(self) -> tuple[np.ndarray, np.ndarray]:
        """(millionths, has a value), each ``(column, station, day)`` in DAILY_COLUMNS order.

        Rounded exactly as published: GB/T 8170 half to even, µg/m³ to integers and CO (mg/m³)
        to one decimal, the precision of HJ 633's tables.
        """
        o3_1h, o3_1h_have = to_millionths(self.o3_1h_max)
        totals = np.stack([o3_1h if c == "o3_1h_max" else self.totals[c] for c in DAILY_COLUMNS])
        counts = np.stack(
            [o3_1h_have if c == "o3_1h_max" else self.counts[c] for c in DAILY_COLUMNS]
        ).astype(np.int64)
        return round_mean(totals, np.maximum(counts, 1), PUBLISHED_UNITS), counts > 0


# published precision in millionths per DAILY_COLUMNS entry (shaped to broadcast over a stack)
PUBLISHED_UNITS = np.array([SCALE // 10 if c == "co" else SCALE for c in DAILY_COLUMNS])[
    :, None, None
]


def to_millionths(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Float values read to the nearest millionth (int64; no monitor reports finer) and which
    are present (not NaN)."""
    have = ~np.isnan(values)
    return np.rint(np.where(have, values, 0.0) * SCALE).astype(np.int64), have


def _station_runs(codes: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hourly rows come in runs of one station: (run starts, run station index, sorted codes).

    Only the first row of each run is looked up, so this costs one string comparison per row.
    """
    if codes.isna().any():
        raise ValueError("station_code is required")
    text = pa.array(codes.array)  # zero-copy for pandas' Arrow-backed strings
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    if len(text) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.array([], object)
    changes = pc.not_equal(text.slice(1), text.slice(0, len(text) - 1))
    starts = np.append(0, pc.indices_nonzero(changes).to_numpy().astype(np.int64) + 1)
    heads = text.take(pa.array(starts)).to_numpy(zero_copy_only=False)
    index, sorted_codes = pd.factorize(heads, sort=True)
    return starts, index.astype(np.int64), np.asarray(sorted_codes, dtype=object)


def _hour_cells(hourly: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Each row's cell in a flat (station, day, hour) grid: (cell, codes, first day, days)."""
    ends = hourly["observed_at"]
    if getattr(ends.dt, "tz", None) is None:
        raise ValueError("observed_at must be timezone-aware (UTC)")
    per_hour = 3600 * {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[ends.dt.unit]
    # HJ 633 / HJ 663: a day is the hours ending 01:00..24:00 Beijing time, so 00:00 closes the
    # previous day; shifting the end back one hour puts each hour on its own day
    cell = ends.array.asi8 // per_hour
    cell += BEIJING_OFFSET_S // 3600 - 1  # hours since the epoch, Beijing, of the hour's start
    first = int(cell.min()) // 24
    n_days = int(cell.max()) // 24 - first + 1
    starts, stations, codes = _station_runs(hourly["station_code"])
    offsets = stations * (n_days * 24) - first * 24
    if len(starts) <= 256:  # in place, run by run: no row-length temporary
        for start, stop, offset in zip(starts, [*starts[1:], len(cell)], offsets, strict=True):
            cell[start:stop] += offset
    else:
        cell += np.repeat(offsets, np.diff(np.append(starts, len(cell))))
    return cell, codes, first, n_days


def _is_every_cell_in_order(cell: np.ndarray, n_cells: int) -> bool:
    """True when row i is cell i for every cell, checked in slices (no row-length temporary)."""
    if cell.size != n_cells or n_cells == 0 or cell[0] != 0:
        return False
    piece = 1 << 16
    return all(
        bool((np.diff(cell[start : start + piece + 1]) == 1).all())
        for start in range(0, n_cells, piece)
    )


def _hour_columns(
    hourly: pd.DataFrame, cell: np.ndarray, n_rows: int, *, whole: bool
) -> list[np.ndarray]:
    """Per pollutant, its hours as a flat (station, day, hour) array, NaN where missing or invalid.

    A station-hour given in several rows counts once, with the mean of its valid values.
    """
    valid = hourly["is_valid"].fillna(False).to_numpy(dtype=bool)
    n_cells = n_rows * 24
    repeated = not whole and bool((np.bincount(cell, minlength=n_cells) > 1).any())
    columns = []
    for pollutant in HOURLY_POLLUTANTS:
        raw = hourly[pollutant].to_numpy(dtype="float64", na_value=np.nan)
        if not valid.all():
            raw = np.where(valid, raw, np.nan)
        if whole:
            grid = raw
        elif not repeated:
            grid = np.full(n_cells, np.nan)
            grid[cell] = raw
        else:
            usable = ~np.isnan(raw)
            total = np.bincount(cell, weights=np.where(usable, raw, 0.0), minlength=n_cells)
            count = np.bincount(cell, weights=usable, minlength=n_cells)
            with np.errstate(invalid="ignore", divide="ignore"):
                grid = np.where(count > 0, total / count, np.nan)  # the hour's rows averaged
        columns.append(grid)
    return columns


def _exact(float_sums: np.ndarray) -> np.ndarray:
    """Float sums of hourly values as exact int64 millionths.

    Each hour is a whole number of millionths, and a float sum of at most 24 of them is off by
    far less than half a millionth, whatever the order of the additions.
    """
    return np.rint(float_sums * SCALE).astype(np.int64)


# HJ 663-2013 §6.1.2: the O3 8-hour windows end at hours 8..24; as a (24, 17) 0/1 matrix whose
# column k sums hours k..k+7 of a day
_WINDOW_OFFSET = np.arange(24)[:, None] - np.arange(24 - WINDOW_HOURS + 1)[None, :]
WINDOW_MATRIX = ((_WINDOW_OFFSET >= 0) & (_WINDOW_OFFSET < WINDOW_HOURS)).astype(np.float64)
_DAY = np.ones(24)
CHUNK_ROWS = 4096  # station-days per pass: the working arrays stay in the CPU cache


def _o3_daily_max_8h(
    window_sums: np.ndarray, window_hours: np.ndarray, limit: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sum, hours) of the highest valid 8-hour O3 window per day, and the valid-window count.

    `window_sums` / `window_hours` are (days, 17) float sums and hour counts of the windows;
    `limit` is the O3 8h limit in millionths per day. Windows are compared exactly.
    """
    totals = np.rint(window_sums * SCALE)  # exact whole millionths (see `_exact`), as floats
    valid = window_hours >= MIN_WINDOW_HOURS  # GB 3095-2012 Table 4: >= 6 hours per 8h mean
    valid_windows = np.count_nonzero(valid, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(valid, totals / window_hours, -1.0)
    # Exact ordering: two different means of 6 to 8 whole millionths differ by at least 1/64 of
    # a millionth, far above float resolution, and equal ones divide to the same float.
    best = means.argmax(axis=1)[:, None]
    total = np.take_along_axis(totals, best, axis=1)[:, 0].astype(np.int64)
    count = np.take_along_axis(window_hours, best, axis=1)[:, 0].astype(np.int64)
    count = np.where(valid_windows > 0, count, 0)
    # HJ 663-2013 §6.1.2: fewer than 14 valid windows is still valid if the max exceeds the limit
    over_limit = (count > 0) & (total > limit * count)
    kept = (valid_windows >= MIN_VALID_WINDOWS) | over_limit
    return np.where(kept, total, 0), np.where(kept, count, 0), valid_windows


def daily_grid(hourly: pd.DataFrame, *, zone_class: int = 2) -> DailyGrid:
    """GB 3095 daily statistics per station and Beijing day, as arrays (see `DailyGrid`)."""
    cell, codes, first, n_days = _hour_cells(hourly)
    shape, n_rows = (len(codes), n_days), len(codes) * n_days
    # the usual case: every station-hour exactly once, in order, so row i is cell i
    whole = _is_every_cell_in_order(cell, n_rows * 24)
    columns = _hour_columns(hourly, cell, n_rows, whole=whole)
    present = np.zeros(shape, dtype=bool)
    if whole:
        present[:] = True
    else:
        present.ravel()[cell // 24] = True
    first_day = np.datetime64(first, "D")
    limit = _limits_on(
        first_day + np.arange(n_days), pollutant="O3", averaging="daily_max_8h",
        zone_class=zone_class,
    )  # fmt: skip
    limit = np.tile(np.rint(limit * SCALE).astype(np.int64), len(codes))
    totals = {c: np.zeros(n_rows, dtype=np.int64) for c in (*MEAN_POLLUTANTS, "o3_8h_max")}
    counts = {c: np.zeros(n_rows, dtype=np.int64) for c in totals}
    valid_hours = {p: np.zeros(n_rows, dtype=np.int64) for p in HOURLY_POLLUTANTS}
    o3_1h_max = np.zeros(n_rows)
    windows = np.zeros(n_rows, dtype=np.int64)
    for start in range(0, n_rows, CHUNK_ROWS):
        rows = slice(start, min(start + CHUNK_ROWS, n_rows))
        for pollutant, column in zip(HOURLY_POLLUTANTS, columns, strict=True):
            hours = column[rows.start * 24 : rows.stop * 24].reshape(-1, 24)  # (day, hour)
            have = ~np.isnan(hours)
            filled = np.where(have, hours, 0.0)  # a missing hour adds nothing
            ones = have.astype(np.float64)
            n = np.rint(ones @ _DAY).astype(np.int64)
            valid_hours[pollutant][rows] = n
            enough = n >= MIN_VALID_HOURS  # GB 3095-2012 Table 4: >= 20 valid hours a day
            if pollutant == "o3":
                # project rule (no clause found): the daily max 1-hour O3 needs the same 20 hours
                o3_1h_max[rows] = np.where(enough, np.fmax.reduce(hours, axis=1), np.nan)
                totals["o3_8h_max"][rows], counts["o3_8h_max"][rows], windows[rows] = (
                    _o3_daily_max_8h(filled @ WINDOW_MATRIX, ones @ WINDOW_MATRIX, limit[rows])
                )
            else:
                totals[pollutant][rows] = np.where(enough, _exact(filled @ _DAY), 0)
                counts[pollutant][rows] = np.where(enough, n, 0)
    return DailyGrid(
        codes=codes,
        first_day=first_day,
        n_days=n_days,
        present=present,
        totals={c: v.reshape(shape) for c, v in totals.items()},
        counts={c: v.reshape(shape) for c, v in counts.items()},
        o3_1h_max=o3_1h_max.reshape(shape),
        valid_hours={p: v.reshape(shape) for p, v in valid_hours.items()},
        o3_8h_valid_windows=windows.reshape(shape),
    )


def grid_frame(grid: DailyGrid) -> pd.DataFrame:
    """The present station-days of a grid as a daily frame, sorted by station and date."""
    rows = np.flatnonzero(grid.present.ravel())
    daily = pd.DataFrame(
        {
            "station_code": grid.codes[rows // grid.n_days],
            "date": grid.dates[rows % grid.n_days],
            **{c: v.ravel()[rows] for c, v in grid.means().items()},
            "o3_8h_valid_windows": grid.o3_8h_valid_windows.ravel()[rows],
            **{f"{p}_valid_hours": v.ravel()[rows] for p, v in grid.valid_hours.items()},
        }
    )
    daily["standard"] = aqi_standard(daily["date"])
    return daily


def daily_statistics(hourly: pd.DataFrame, *, zone_class: int = 2) -> pd.DataFrame:
    """One row per station and Beijing day: 24-hour means, O3 daily max 1h and max 8h.

    Also ``<pollutant>_valid_hours`` for each pollutant, ``o3_8h_valid_windows`` and
    ``standard``. ``zone_class`` picks the O3 8h limit used by the "fewer windows" rule.
    Rows come sorted by station and date.
    """
    return grid_frame(daily_grid(hourly, zone_class=zone_class))


def stations_total(
    millionths: np.ndarray, have: np.ndarray, *, axis: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Per day: the exact sum of the stations (along `axis`) with a value, and their number.

    A city's or district's daily value is this sum over this number (air.md): the arithmetic
    mean of its assessment stations, leaving out a station without a valid value that day.
    """
    return np.where(have, millionths, 0).sum(axis=axis), have.sum(axis=axis)


def city_daily(
    daily: pd.DataFrame, *, stations: list[str], city_code: str = "city"
) -> pd.DataFrame:
    """City value per day: arithmetic mean of the listed evaluation stations (air.md).

    Missing station values are skipped; ``stations_reporting`` counts the listed stations with a
    row that day. The caller leaves out background stations.
    """
    chosen = daily[daily["station_code"].isin(stations)]
    columns = [c for c in DAILY_COLUMNS if c in daily.columns]
    wide = chosen.pivot_table(
        index="station_code", columns="date", values=columns, aggfunc="mean", dropna=False
    )
    dates = pd.DatetimeIndex(sorted(chosen["date"].unique()))
    city = pd.DataFrame({"station_code": city_code, "date": dates})
    for column in columns:
        total, count = stations_total(
            *to_millionths(wide[column].reindex(columns=dates).to_numpy())
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            city[column] = np.where(count > 0, total / (np.maximum(count, 1) * SCALE), np.nan)
    city["stations_reporting"] = (
        chosen.groupby("date")["station_code"].nunique().reindex(dates).to_numpy()
    )
    city["standard"] = aqi_standard(city["date"])
    return city


# --- HJ 663 annual evaluation ----------------------------------------------------------------


def percentile(values: pd.Series | np.ndarray | list[float], p: float) -> float:
    """HJ 663-2013 Appendix A percentile (numpy "linear", type 7), NaN excluded, exact decimals.

    k = 1 + (n - 1) * p / 100; m = X[s] + (X[s+1] - X[s]) * (k - s) with s = floor(k).
    """
    if not 0 <= p <= 100:
        raise ValueError("p must be within 0..100")
    data = np.asarray(values, dtype="float64")
    ordered = np.sort(data[~np.isnan(data)])
    if ordered.size == 0:
        return math.nan
    k = 1 + (ordered.size - 1) * Decimal(repr(float(p))) / 100
    s = int(k)  # k >= 1, so int() is floor
    low = Decimal(repr(float(ordered[s - 1])))  # the float's shortest decimal, read exactly
    high = Decimal(repr(float(ordered[min(s, ordered.size - 1)])))
    return float(low + (high - low) * (k - s))


@dataclass(frozen=True)
class AnnualStatistic:
    statistic: str
    column: str  # daily column
    pollutant: str  # gb3095_limits.csv pollutant
    averaging: str  # gb3095_limits.csv averaging of the limit it is compared with
    percentile: int | None = None  # None = arithmetic mean


# HJ 663-2013 §5 (annual evaluation items, air.md); percentiles compare with the 24h limit
ANNUAL_STATISTICS = (
    AnnualStatistic("SO2 annual mean", "so2", "SO2", "annual"),
    AnnualStatistic("SO2 P98", "so2", "SO2", "24h", 98),
    AnnualStatistic("NO2 annual mean", "no2", "NO2", "annual"),
    AnnualStatistic("NO2 P98", "no2", "NO2", "24h", 98),
    AnnualStatistic("PM10 annual mean", "pm10", "PM10", "annual"),
    AnnualStatistic("PM10 P95", "pm10", "PM10", "24h", 95),
    AnnualStatistic("PM2.5 annual mean", "pm25", "PM2.5", "annual"),
    AnnualStatistic("PM2.5 P95", "pm25", "PM2.5", "24h", 95),
    AnnualStatistic("CO P95", "co", "CO", "24h", 95),
    AnnualStatistic("O3 8h P90", "o3_8h_max", "O3", "daily_max_8h", 90),
)
EVALUATION_COLUMNS = [
    "station_code", "period_start", "period_end", "standard", "statistic", "value", "limit",
    "compliant", "exceedance_multiple", "days", "complete",
]  # fmt: skip


@dataclass(frozen=True)
class EvaluationPeriod:
    start: date
    end: date
    phase: str

    @property
    def is_calendar_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)


def evaluation_periods(*, year: int) -> list[EvaluationPeriod]:
    """The year cut where the GB 3095 phase changes (DECISIONS.md §1: never mix standards)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    periods = []
    for phase in gb3095_phases().itertuples():
        start = max(first, phase.effective_from.date())
        end = min(last, phase.effective_to.date())
        if start <= end:
            periods.append(EvaluationPeriod(start=start, end=end, phase=phase.standard_phase))
    return periods


def _required_days_per_month(period: EvaluationPeriod) -> pd.Series:
    """GB 3095-2012 Table 4 monthly minimum, capped at the month's days inside the period."""
    days = pd.Series(pd.date_range(period.start, period.end, freq="D"))
    in_period = days.groupby(days.dt.month).size()
    minimum = pd.Series(MIN_DAYS_PER_MONTH, index=in_period.index)
    minimum[minimum.index == 2] = MIN_DAYS_IN_FEBRUARY
    return np.minimum(minimum, in_period)


def _completeness(frame: pd.DataFrame, period: EvaluationPeriod) -> pd.DataFrame:
    """Per station and daily column: does the period meet the GB 3095 Table 4 day counts?"""
    columns = sorted({s.column for s in ANNUAL_STATISTICS})
    required = _required_days_per_month(period)
    monthly = frame.groupby(["station_code", frame["date"].dt.month])[columns].count()
    complete = {}
    for column in columns:
        table = monthly[column].unstack(fill_value=0).reindex(columns=required.index, fill_value=0)
        ok = (table >= required).all(axis=1)
        if period.is_calendar_year:  # GB 3095-2012 Table 4: >= 324 days in a calendar year
            ok &= table.sum(axis=1) >= MIN_DAYS_PER_YEAR
        complete[column] = ok
    return pd.DataFrame(complete)


def _evaluate_statistic(
    frame: pd.DataFrame,
    statistic: AnnualStatistic,
    *,
    period: EvaluationPeriod,
    zone_class: int,
    complete: pd.Series,
) -> pd.DataFrame:
    by_station = frame.groupby("station_code")[statistic.column]
    if statistic.percentile is None:
        value = by_station.mean()
    else:
        value = by_station.agg(percentile, p=statistic.percentile)
    limit = float(
        gb3095_limit(
            pollutant=statistic.pollutant,
            averaging=statistic.averaging,
            phase=period.phase,
            zone_class=zone_class,
        )
    )
    result = pd.DataFrame({"value": value, "days": by_station.count()})
    result["limit"] = limit
    result["compliant"] = (value <= limit).astype("boolean").mask(value.isna())
    # HJ 663-2013 §5: exceedance multiple (C - S) / S for C > S, else 0
    result["exceedance_multiple"] = ((value - limit) / limit).clip(lower=0)
    result["complete"] = complete.reindex(result.index, fill_value=False)
    result["statistic"] = statistic.statistic
    return result


def annual_evaluation(daily: pd.DataFrame, *, year: int, zone_class: int = 2) -> pd.DataFrame:
    """HJ 663 annual evaluation per station (a city row when ``station_code`` is the city).

    One row per station, period and statistic. A year that straddles a GB 3095 phase change
    (2026: 01-01..02-28 under GB3095-2012, 03-01..12-31 under GB3095-2026-transition) gives two
    periods, each against its own limits; ``period_start``/``period_end`` label them and
    ``standard`` names the phase. ``complete`` is False when the GB 3095 Table 4 day counts are not
    met (>= 27 valid days per month, Feb >= 25, and >= 324 in a whole calendar year); the values
    are still computed.
    """
    frame = daily.assign(date=pd.to_datetime(daily["date"]))
    results = []
    for period in evaluation_periods(year=year):
        in_period = frame[frame["date"].between(*map(pd.Timestamp, (period.start, period.end)))]
        if in_period.empty:
            continue
        complete = _completeness(in_period, period)
        for statistic in ANNUAL_STATISTICS:
            result = _evaluate_statistic(
                in_period,
                statistic,
                period=period,
                zone_class=zone_class,
                complete=complete[statistic.column],
            )
            labels = {"period_start": period.start, "period_end": period.end}
            results.append(result.assign(**labels, standard=period.phase))
    if not results:
        return pd.DataFrame(columns=EVALUATION_COLUMNS)
    evaluation = pd.concat(results).rename_axis("station_code").reset_index()[EVALUATION_COLUMNS]
    return evaluation.sort_values(
        ["station_code", "period_start"], kind="stable", ignore_index=True
    )


def composite_index(
    *,
    pm25: Decimal | str | float,
    pm10: Decimal | str | float,
    so2: Decimal | str | float,
    no2: Decimal | str | float,
    o3_p90: Decimal | str | float,
    co_p95: Decimal | str | float,
    standard: str = "GB3095-2012",
) -> Decimal:
    """HJ 663 composite index Σ Ci/Si, exact (class II limits of the given phase; air.md).

    Si: annual limits for SO2, NO2, PM10, PM2.5; the daily max 8h limit for O3 P90 and the 24h
    limit for CO P95.
    """
    terms = (
        (pm25, "PM2.5", "annual"),
        (pm10, "PM10", "annual"),
        (so2, "SO2", "annual"),
        (no2, "NO2", "annual"),
        (o3_p90, "O3", "daily_max_8h"),
        (co_p95, "CO", "24h"),
    )
    return sum(
        (
            Decimal(str(value))
            / gb3095_limit(pollutant=pollutant, averaging=averaging, phase=standard, zone_class=2)
            for value, pollutant, averaging in terms
        ),
        Decimal(0),
    )


# --- good-day ratio --------------------------------------------------------------------------


def _percent_half_up(good: int, valid: int, decimals: int) -> Decimal | None:
    """good / valid as a percentage, rounded half up as bulletins publish it (GD01: 94.5)."""
    if valid == 0:
        return None
    scaled = Fraction(good * 100 * 10**decimals, valid)
    return Decimal(math.floor(scaled + Fraction(1, 2))).scaleb(-decimals)


@dataclass(frozen=True)
class GoodDayRatio:
    good_days: int
    valid_days: int

    @property
    def ratio(self) -> Fraction | None:
        """Exact share of good days; None without a valid day."""
        return Fraction(self.good_days, self.valid_days) if self.valid_days else None

    def percent(self, decimals: int = 1) -> Decimal | None:
        return _percent_half_up(self.good_days, self.valid_days, decimals)


def good_day_ratio(daily_aqi: pd.Series) -> GoodDayRatio:
    """Days with AQI <= 100 over days with a valid AQI (air.md: good-day ratio)."""
    aqi = pd.to_numeric(daily_aqi, errors="coerce")
    good_days = int((aqi <= GOOD_AQI_MAX).sum())
    return GoodDayRatio(good_days=good_days, valid_days=int(aqi.notna().sum()))


def monthly_good_day_ratio(daily: pd.DataFrame) -> pd.DataFrame:
    """Good-day ratio per month and standard (columns ``date``, ``aqi``, ``standard`` in).

    A month is never mixed across standards: a month that straddles the switch gives two rows.
    ``break_in_series`` is True on the first row under a new standard (DECISIONS.md §1).
    """
    frame = daily.assign(
        date=pd.to_datetime(daily["date"]), aqi=pd.to_numeric(daily["aqi"], errors="coerce")
    )
    frame["month"] = frame["date"].dt.strftime("%Y-%m")
    frame["good"] = frame["aqi"] <= GOOD_AQI_MAX
    frame["valid"] = frame["aqi"].notna()
    months = (
        frame.groupby(["month", "standard"])
        .agg(first_day=("date", "min"), good_days=("good", "sum"), valid_days=("valid", "sum"))
        .reset_index()
        .sort_values("first_day", ignore_index=True)
    )
    months["ratio_percent"] = [
        _percent_half_up(int(g), int(v), 1)
        for g, v in zip(months["good_days"], months["valid_days"], strict=True)
    ]
    previous = months["standard"].shift()
    months["break_in_series"] = previous.notna() & (months["standard"] != previous)
    columns = ["month", "good_days", "valid_days", "ratio_percent", "standard", "break_in_series"]
    return months[columns]
