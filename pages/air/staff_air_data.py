"""Air data (data editors): import hourly station data from CSV, and flag invalid hours."""

from datetime import datetime, time, timedelta

import streamlit as st

from portal.kit import auth, data, forms, i18n, ui
from portal.kit.i18n import _
from services.air import importer
from services.core import geography
from services.core.accounts import Role
from services.core.clock import BEIJING, today
from services.core.messages import UserFacingError

actor = auth.require_role(Role.DATA_EDITOR)
lang = i18n.current_lang()
ui.page_header(
    _("Air data"),
    _("Import hourly station data. A file is imported only when every line is valid."),
)
st.caption(_("Columns: {header}").format(header=", ".join(importer.EXPECTED_HEADER)))

upload = st.file_uploader(_("Hourly data (CSV, UTF-8)"), type=["csv"], key="air_upload")
if upload is not None and st.button(_("Check and import"), type="primary"):

    def import_file(progress: forms.Progress) -> importer.ValidationReport:
        with data.unit_of_work() as session:
            return importer.import_hourly(
                session, actor=actor, data=upload.getvalue(), file_name=upload.name,
                progress=progress,
            )  # fmt: skip

    report = forms.run_import(import_file)
    if report.ok:
        st.success(
            _("Imported {n} hourly rows; daily values recomputed.").format(
                n=i18n.fmt_number(len(report.rows))
            )
        )

st.subheader(_("Flag an invalid hour"))
stations = {s.code: s.name(lang) for s in geography.air_stations()}
with st.form("flag_hour", clear_on_submit=False):
    station = st.selectbox(_("Station"), list(stations), format_func=stations.get)
    day_col, hour_col = st.columns(2)
    day = day_col.date_input(_("Date (Beijing time)"), value=today())
    hour = hour_col.number_input(_("Hour ending (1–24)"), min_value=1, max_value=24, value=12)
    reason = st.text_input(_("Reason"), max_chars=200)
    if st.form_submit_button(_("Flag as invalid")):
        ending = datetime.combine(day, time(0), tzinfo=BEIJING) + timedelta(hours=hour)
        try:
            with data.unit_of_work() as session:
                found = importer.flag_invalid(
                    session, actor=actor, station=station, hour_ending=ending, reason=reason
                )
        except UserFacingError as error:
            forms.show_error(error)
        else:
            if found:
                st.success(_("The hour is flagged; it stays stored but no longer counts."))
                st.cache_data.clear()
            else:
                st.error(_("There is no data for that station and hour."))
