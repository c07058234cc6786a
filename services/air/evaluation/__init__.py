"""Air-quality evaluation: daily statistics, HJ 663 annual evaluation, good days, composite index.

The parts: rules (columns and the GB 3095 / HJ 663 completeness rules), limits (GB 3095 Table 1
by phase, the AQI standard of a day), hours (hourly rows onto the station-day-hour grid), grid
(`DailyGrid`), daily_stats (daily statistics), city (city and district daily values), annual (HJ
663 annual evaluation, composite index) and good_days (good-day ratios).
"""

from services.air.evaluation.annual import (
    ANNUAL_STATISTICS,
    EVALUATION_COLUMNS,
    AnnualStatistic,
    EvaluationPeriod,
    annual_evaluation,
    composite_index,
    evaluation_periods,
    percentile,
)
from services.air.evaluation.city import city_daily, stations_total
from services.air.evaluation.daily_stats import (
    CHUNK_ROWS,
    WINDOW_MATRIX,
    daily_grid,
    daily_statistics,
    grid_frame,
)
from services.air.evaluation.good_days import (
    GoodDayRatio,
    good_day_ratio,
    monthly_good_day_ratio,
)
from services.air.evaluation.grid import PUBLISHED_UNITS, DailyGrid, to_millionths
from services.air.evaluation.limits import (
    LIMITS_CSV,
    aqi_standard,
    gb3095_limit,
    gb3095_phase_on,
    gb3095_phases,
)
from services.air.evaluation.rules import (
    BEIJING_OFFSET_S,
    DAILY_COLUMNS,
    DAY_KEYS,
    GOOD_AQI_MAX,
    HOURLY_POLLUTANTS,
    MEAN_POLLUTANTS,
    MIN_DAYS_IN_FEBRUARY,
    MIN_DAYS_PER_MONTH,
    MIN_DAYS_PER_YEAR,
    MIN_VALID_HOURS,
    MIN_VALID_WINDOWS,
    MIN_WINDOW_HOURS,
    WINDOW_HOURS,
)

__all__ = [
    "ANNUAL_STATISTICS", "BEIJING_OFFSET_S", "CHUNK_ROWS", "DAILY_COLUMNS", "DAY_KEYS",
    "EVALUATION_COLUMNS", "GOOD_AQI_MAX", "HOURLY_POLLUTANTS", "LIMITS_CSV", "MEAN_POLLUTANTS",
    "MIN_DAYS_IN_FEBRUARY", "MIN_DAYS_PER_MONTH", "MIN_DAYS_PER_YEAR", "MIN_VALID_HOURS",
    "MIN_VALID_WINDOWS", "MIN_WINDOW_HOURS", "PUBLISHED_UNITS", "WINDOW_HOURS", "WINDOW_MATRIX",
    "AnnualStatistic", "DailyGrid", "EvaluationPeriod", "GoodDayRatio", "annual_evaluation",
    "aqi_standard", "city_daily", "composite_index", "daily_grid", "daily_statistics",
    "evaluation_periods", "gb3095_limit", "gb3095_phase_on", "gb3095_phases", "good_day_ratio",
    "grid_frame", "monthly_good_day_ratio", "percentile", "stations_total", "to_millionths",
]  # fmt: skip
