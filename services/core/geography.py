"""Guiyang's administrative units, monitoring stations and sites, read from content/geo/.

One source of truth: the CSV/GeoJSON files copied from the reference set; rows cite sources.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from services.core.settings import CONTENT_DIR

GEO_DIR = CONTENT_DIR / "geo"
CITY_CODE = "520100"
GUIAN_KEY = "guian"  # 贵安新区 is a national-level new area, not a GB/T 2260 division: no code


@dataclass(frozen=True)
class District:
    key: str  # GB/T 2260 code, or GUIAN_KEY
    name_zh: str
    name_en: str
    level: str
    area_km2: float | None
    lat: float | None
    lon: float | None
    has_boundary: bool

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


@dataclass(frozen=True)
class AirStation:
    code: str
    name_zh: str
    name_en: str
    district_zh: str
    lat: float
    lon: float
    is_background: bool

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


def _rows(name: str) -> list[dict[str, str]]:
    with (GEO_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _float(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


@cache
def districts() -> tuple[District, ...]:
    """The ten county-level units and the 贵安新区 core area, city total excluded."""
    units = []
    for row in _rows("districts.csv"):
        if row["code"] == CITY_CODE:
            continue
        key = row["code"] or GUIAN_KEY
        units.append(
            District(
                key=key,
                name_zh=row["name_zh"],
                name_en=row["name_en"],
                level=row["level"],
                area_km2=_float(row["area_km2"]),
                lat=_float(row["seat_lat"]) or _float(row["centroid_lat"]),
                lon=_float(row["seat_lon"]) or _float(row["centroid_lon"]),
                has_boundary=bool(row["code"]),
            )
        )
    return tuple(units)


def district_by_key(key: str) -> District | None:
    return next((d for d in districts() if d.key == key), None)


def district_by_name_zh(name: str) -> District | None:
    return next((d for d in districts() if d.name_zh == name), None)


@cache
def air_stations() -> tuple[AirStation, ...]:
    return tuple(
        AirStation(
            code=r["station_code"],
            name_zh=r["name_zh"],
            name_en=r["name_en"],
            district_zh=r["district"],
            lat=float(r["lat"]),
            lon=float(r["lon"]),
            is_background="background" in r["kind"] or "对照" in r["kind"],
        )
        for r in _rows("air_stations.csv")
    )


@cache
def water_sections() -> tuple[dict[str, str], ...]:
    return tuple(_rows("water_sections.csv"))


@cache
def facilities() -> tuple[dict[str, str], ...]:
    return tuple(_rows("facilities.csv"))


@cache
def contaminated_plots() -> tuple[dict[str, str], ...]:
    return tuple(_rows("contaminated_plots.csv"))


@cache
def district_boundaries() -> dict[str, Any]:
    """GeoJSON FeatureCollection (WGS84) of the ten county-level units, for offline maps."""
    path: Path = GEO_DIR / "guiyang_districts.geojson"
    return json.loads(path.read_text(encoding="utf-8"))


def evaluation_stations_by_district() -> dict[str, list[str]]:
    """District key -> its national assessment stations (the background station is left out)."""
    grouped: dict[str, list[str]] = {}
    for station in air_stations():
        district = district_by_name_zh(station.district_zh)
        if district is not None and not station.is_background:
            grouped.setdefault(district.key, []).append(station.code)
    return grouped


@cache
def district_outlines() -> tuple[dict[str, Any], ...]:
    """Light outlines for orientation maps: the official Tianditu boundaries (about 22 KB,
    coarser, no overlaps), only code and names kept (content/geo/SOURCES.md)."""
    path = GEO_DIR / "guiyang_districts_tianditu_alt.geojson"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return tuple(
        {
            "type": "Feature",
            "properties": {k: f["properties"][k] for k in ("code", "name_zh", "name_en")},
            "geometry": f["geometry"],
        }
        for f in features
    )
