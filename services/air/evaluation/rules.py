"""Air-quality evaluation rules: the columns and the GB 3095 / HJ 663 data-completeness rules."""

from __future__ import annotations

from services.air.standards import LEVEL_UPPER_BOUNDS

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
# China Standard Time: UTC+8 with no daylight saving since 1991
BEIJING_OFFSET_S = 8 * 3600
