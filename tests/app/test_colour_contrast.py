"""Text stays readable on the portal's colours: every category colour (AQI, water class) carries
text at 4.5:1 or better, and so do captions (Streamlit draws them in the theme's text colour at
60 % opacity) on every surface of the theme."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from portal.air import ui as air_ui
from portal.kit import charts
from portal.water import ui as water_ui
from services.air.standards import categories
from services.water import public

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
CAPTION_OPACITY = 0.6  # Streamlit's fadedText60: the text colour at 60 % over the surface


def _blend(colour: str, surface: str, opacity: float) -> str:
    fg = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    bg = [int(surface[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(opacity * f + (1 - opacity) * b):02x}" for f, b in zip(fg, bg))


def test_the_contrast_ratio_matches_the_wcag_examples() -> None:
    assert charts.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert charts.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert charts.contrast_ratio("#ff0000", "#ffffff") == pytest.approx(4.0, abs=0.01)


@pytest.mark.parametrize("standard", ["HJ633-2012", "HJ633-2026"])
def test_every_aqi_category_carries_readable_text(standard: str) -> None:
    for category in categories(standard):  # type: ignore[arg-type]
        text = charts.text_on(category.colour)
        assert charts.contrast_ratio(text, category.colour) >= charts.MIN_CONTRAST, category
    no_data = air_ui.NO_DATA_COLOUR
    assert charts.contrast_ratio(charts.text_on(no_data), no_data) >= charts.MIN_CONTRAST


def test_every_water_class_carries_readable_text() -> None:
    for grade in range(1, 7):
        colour = public.status_of_grade(grade).colour
        ratio = charts.contrast_ratio(water_ui.text_colour(grade), colour)
        assert ratio >= charts.MIN_CONTRAST, (grade, colour, round(ratio, 2))


def test_captions_are_readable_on_every_surface_of_the_theme() -> None:
    theme = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["theme"]
    text = theme["textColor"]
    assert text == charts.DARK_TEXT  # the dark text on category colours is the theme's
    surfaces = [
        theme["backgroundColor"],
        theme["secondaryBackgroundColor"],
        theme["sidebar"]["backgroundColor"],
    ]
    for surface in surfaces:
        caption = _blend(text, surface, CAPTION_OPACITY)
        ratio = charts.contrast_ratio(caption, surface)
        assert ratio >= charts.MIN_CONTRAST, (surface, caption, round(ratio, 2))
