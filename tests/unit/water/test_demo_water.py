"""Sample water data and the section registry: reproducible, complete, plausible, well placed."""

from __future__ import annotations

import csv
import itertools
import json
from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import select

from services.core import db
from services.core.settings import CONTENT_DIR
from services.water import demo as water_demo
from services.water.items import GRADES, by_code, drinking_items, evaluated, items
from services.water.model import below_dl_codes, below_dl_mask, water_sample
from services.water.sections import SECTIONS_FILE, sections

UNTIL = date(2026, 10, 31)
SEED = 20211
HEADER = (
    "code,name_zh,name_en,waterbody,water_zh,water_en,km,level,district,lat,lon,target_class,"
    "drinking_source,sampling,location_note"
)
DISTRICTS = {"520102", "520103", "520111", "520112", "520113", "520115"}
DISTRICTS |= {"520121", "520122", "520123", "520181"}
DRINKING_WATERS = {"红枫湖", "百花湖", "阿哈水库", "花溪水库", "松柏山水库"}
VALUE_COLUMNS = [item.column for item in items()]


def _fresh_engine(path):
    engine = db.make_engine(f"sqlite:///{path}")
    water_sample.create(engine, checkfirst=True)
    return engine


def _rows(engine) -> list[dict]:
    columns = [water_sample.c.section_code, water_sample.c.sampled_on, water_sample.c.below_dl]
    columns += [water_sample.c[name] for name in VALUE_COLUMNS]
    query = select(*columns).order_by(water_sample.c.section_code, water_sample.c.sampled_on)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    engine = _fresh_engine(tmp_path_factory.mktemp("water") / "water.db")
    progress: list[tuple[str, int, int]] = []
    written = water_demo.generate_samples(
        engine,
        size="small",
        seed=SEED,
        until=UNTIL,
        progress=lambda part, done, total: progress.append((part, done, total)),
    )
    rows = _rows(engine)
    with engine.connect() as conn:
        sources = set(conn.execute(select(water_sample.c.source).distinct()).scalars())
    engine.dispose()
    return written, rows, progress, sources


def _by_section(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["section_code"]].append(row)
    return grouped


# --- generation ------------------------------------------------------------------------------


def test_expected_rows_match_the_registry_for_both_sizes():
    registry = sections()
    automatic = [s for s in registry if s.sampling == "automatic"]
    assert 6 <= len(automatic) <= 10
    assert water_demo.expected_rows("small") == len(registry) * 120
    assert (
        water_demo.expected_rows("large")
        == (len(registry) - len(automatic)) * 120 + len(automatic) * 3650
    )


def test_small_set_writes_the_expected_rows_and_reports_progress(small):
    written, rows, progress, sources = small
    assert written == len(rows) == water_demo.expected_rows("small")
    assert sources == {"demo"}
    assert progress[0] == ("water_samples", 0, written)
    assert progress[-1] == ("water_samples", written, written)
    assert [done for _, done, _ in progress] == sorted(done for _, done, _ in progress)


def test_same_seed_and_end_give_the_same_rows_and_another_seed_does_not(small, tmp_path):
    _, rows, _, _ = small
    same = _fresh_engine(tmp_path / "same.db")
    water_demo.generate_samples(same, size="small", seed=SEED, until=UNTIL)
    other = _fresh_engine(tmp_path / "other.db")
    water_demo.generate_samples(other, size="small", seed=7, until=UNTIL)
    assert _rows(same) == rows
    assert _rows(other) != rows


def test_every_section_has_ten_years_of_monthly_samples_on_working_days(small):
    _, rows, _, _ = small
    grouped = _by_section(rows)
    assert set(grouped) == {s.code for s in sections()}
    for code, samples in grouped.items():
        days = [row["sampled_on"] for row in samples]
        months = [(d.year, d.month) for d in days]
        assert len(months) == len(set(months)) == 120, code
        first, last = months[0], months[-1]
        assert (last[0] - first[0]) * 12 + last[1] - first[1] == 119, code
        assert last == (2026, 10), code  # the last sampling day on or before UNTIL
        assert all(d <= UNTIL and 4 <= d.day <= 16 and d.weekday() < 5 for d in days), code


def test_values_are_never_negative_and_ph_stays_plausible(small):
    _, rows, _, _ = small
    for row in rows:
        for name in VALUE_COLUMNS:
            assert row[name] is None or row[name] >= 0, (row["section_code"], name)
        assert 0 <= row["v_ph"] <= 14
    outside = [row for row in rows if not 6 <= row["v_ph"] <= 9]
    assert len(outside) <= 2


def test_every_sample_carries_the_evaluated_items_tn_and_fecal_coliform(small):
    _, rows, _, _ = small
    wanted = [item.column for item in evaluated()] + ["v_tn", "v_fecal_coliform"]
    assert len(wanted) == 23
    assert all(row[name] is not None for row in rows for name in wanted)


def test_drinking_sources_carry_the_table_2_items_and_other_sections_do_not(small):
    _, rows, _, _ = small
    drinking = {s.code for s in sections() if s.drinking_source}
    table2 = [item.column for item in drinking_items()]
    assert len(table2) == 5
    for row in rows:
        present = [row[name] is not None for name in table2]
        assert all(present) if row["section_code"] in drinking else not any(present)
    manganese = [row["v_mn"] for row in rows if row["section_code"] in drinking]
    assert sum(value > 0.1 for value in manganese) < 0.05 * len(manganese)  # rare


def test_below_detection_limit_values_are_stored_as_the_detection_limit(small):
    _, rows, _, _ = small
    limits: dict[str, set[float]] = defaultdict(set)
    for row in rows:
        for code in below_dl_codes(row["below_dl"]):
            limits[code].add(row[by_code()[code].column])
    for code in ("Hg", "Cd", "Cr6", "Pb", "CN", "phenol", "petroleum", "sulfide"):
        assert len(limits[code]) == 1, code  # one detection limit per item
    mercury = [row for row in rows if "Hg" in below_dl_codes(row["below_dl"])]
    assert len(mercury) > 0.8 * len(rows)  # trace metals are mostly not detected


def test_polluted_tributaries_improve_over_the_decade(small):
    _, rows, _, _ = small
    grouped = _by_section(rows)
    improved = []
    for section in sections():
        if section.target in ("IV", "V"):
            samples = grouped[section.code]
            first = sum(row["v_nh3_n"] for row in samples[:12]) / 12
            last = sum(row["v_nh3_n"] for row in samples[-12:]) / 12
            if first > 1.5 * last:
                improved.append(section.code)
    assert improved


def test_the_main_river_is_worse_downstream(small):
    _, rows, _, _ = small
    grouped = _by_section(rows)
    main = sorted((s for s in sections() if s.water_zh == "南明河"), key=lambda s: s.km)
    assert len(main) >= 7

    def mean_nh3(code: str) -> float:
        return sum(row["v_nh3_n"] for row in grouped[code]) / len(grouped[code])

    assert mean_nh3(main[-2].code) > 2 * mean_nh3(main[0].code)


# --- the registry ----------------------------------------------------------------------------


def _point_in_polygon(lon: float, lat: float, rings: list) -> bool:
    """Even-odd ray casting over every ring (outer and holes) of a GeoJSON polygon."""
    inside = False
    for ring in rings:
        for i in range(len(ring)):
            x1, y1 = ring[i][:2]
            x2, y2 = ring[i - 1][:2]
            if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
                inside = not inside
    return inside


def _district_polygons() -> dict[str, list[list]]:
    path = CONTENT_DIR / "geo" / "guiyang_districts_tianditu_alt.geojson"
    polygons: dict[str, list[list]] = {}
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        geometry = feature["geometry"]
        parts = [geometry["coordinates"]]
        if geometry["type"] == "MultiPolygon":
            parts = geometry["coordinates"]
        polygons[feature["properties"]["code"]] = parts
    return polygons


def test_registry_file_has_the_agreed_columns():
    with SECTIONS_FILE.open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == HEADER.split(",")


def test_registry_codes_and_fields_are_valid():
    registry = sections()
    assert 34 <= len(registry) <= 40
    codes = [s.code for s in registry]
    assert len(codes) == len(set(codes))
    for s in registry:
        assert s.code.isascii() and len(s.code) <= 16
        assert s.waterbody in ("river", "lake")
        assert s.level in ("national", "provincial", "municipal")
        assert s.district in DISTRICTS
        assert s.target in GRADES[:5]
        assert s.sampling in ("automatic", "manual")
        assert "示例" not in s.name_zh + s.name_en + s.water_zh
        assert "sample registry" in s.location_note
        assert s.drinking_source == (s.waterbody == "lake" and s.water_zh in DRINKING_WATERS)
        if s.waterbody == "lake":
            assert s.km == 0
    assert {s.water_zh for s in registry if s.drinking_source} == DRINKING_WATERS
    assert len({(s.lat, s.lon) for s in registry}) == len(registry)


def test_each_river_runs_downstream_in_code_order():
    rivers: dict[str, list] = defaultdict(list)
    for s in sections():
        if s.waterbody == "river":
            rivers[s.water_zh].append(s)
    assert len(rivers["南明河"]) >= 7
    for water, stations in rivers.items():
        kms = [s.km for s in sorted(stations, key=lambda s: s.code)]
        assert all(a < b for a, b in itertools.pairwise(kms)), water


def test_every_section_lies_inside_its_district():
    polygons = _district_polygons()
    outside = [
        s.code
        for s in sections()
        if not any(_point_in_polygon(s.lon, s.lat, rings) for rings in polygons[s.district])
    ]
    assert outside == []


def test_automatic_stations_in_the_large_set_measure_their_analysers_daily(tmp_path):
    engine = _fresh_engine(tmp_path / "large.db")
    water_demo.generate_samples(engine, size="large", seed=SEED, until=UNTIL)
    rows = [r for r in _rows(engine) if r["section_code"] == "NMH-02"]  # an automatic station
    assert len(rows) == 3650
    lab = [r for r in rows if r["v_hg"] is not None]
    daily = [r for r in rows if r["v_hg"] is None]
    # about one laboratory sample a month carries every item; the other days only the analysers'
    assert 115 <= len(lab) <= 121
    assert all(r["v_nh3_n"] is not None and r["v_do"] is not None for r in daily)
    assert all(r["v_cod"] is None and r["v_fecal_coliform"] is None for r in daily)
    analysers = below_dl_mask(set(water_demo.AUTOMATIC_ITEMS))
    assert all(r["below_dl"] & ~analysers == 0 for r in daily)
