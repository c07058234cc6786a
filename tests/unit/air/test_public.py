"""What the air page and its downloads publish."""

from __future__ import annotations

from datetime import date

import pandas as pd

from services.air import public
from services.air.standards import categories


def test_export_keeps_whole_numbers_whole_and_days_as_plain_dates():
    days = pd.DataFrame(
        {
            "day": [date(2026, 2, 28), date(2026, 3, 1)],
            "aqi": [57, None],
            "level": [2, None],
            "primary_pollutants": ["PM10_24H", ""],
            "standard": ["HJ633-2012", "HJ633-2026"],
            **{c: [12.4, None] for c in ("so2", "no2", "pm10", "pm25", "o3_1h_max", "o3_8h_max")},
            "co": [0.64, None],
        }
    )
    text = public.export_frame(days, place="1441A").to_csv(index=False)
    header, first, second = text.strip().splitlines()
    assert header == (
        "place,day,aqi,level,primary_pollutants,standard,so2_ug/m3,no2_ug/m3,pm10_ug/m3,"
        "pm25_ug/m3,co_mg/m3,o3_1h_max_ug/m3,o3_8h_max_ug/m3"
    )
    assert first == "1441A,2026-02-28,57,2,PM10_24H,HJ633-2012,12.0,12.0,12.0,12.0,0.6,12.0,12.0"
    assert second == "1441A,2026-03-01,,,,HJ633-2026,,,,,,,"


def test_category_ranges_come_from_each_standard():
    assert [(c.aqi_min, c.aqi_max) for c in categories("HJ633-2012")][:2] == [(0, 50), (51, 100)]
    assert categories("HJ633-2026")[0].aqi_min == 1
    assert categories("HJ633-2026")[-1].aqi_max is None


def test_primary_pollutant_keys_read_as_pollutant_names_once():
    assert public.pollutant_names(("O3_1H", "O3_8H")) == ["O3"]
    assert public.pollutant_names(("PM10_24H", "PM2_5_24H")) == ["PM10", "PM2.5"]
