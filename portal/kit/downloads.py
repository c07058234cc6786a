"""Download buttons for a table: CSV (UTF-8 with BOM, formula cells neutralised) and JSON."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from portal.kit.i18n import _
from services.shared.open_data import safe_cell


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The table as a spreadsheet opens it safely: text cells go through the open-data layer's
    `safe_cell`, like every CSV the portal serves."""
    text_columns = [
        c for c in frame.columns
        if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
    ]  # fmt: skip
    safe = frame.assign(**{c: frame[c].map(safe_cell) for c in text_columns})
    return safe.to_csv(index=False).encode("utf-8-sig")


def table_downloads(frame: pd.DataFrame, *, file_stem: str, key: str) -> None:
    """Two buttons side by side: `<file_stem>.csv` and `<file_stem>.json`."""
    csv_col, json_col = st.columns(2)
    csv_col.download_button(
        _("Download CSV"),
        csv_bytes(frame),
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
    )
    json_col.download_button(
        _("Download JSON"),
        frame.to_json(orient="records", date_format="iso", force_ascii=False),
        file_name=f"{file_stem}.json",
        mime="application/json",
        key=f"{key}_json",
    )
