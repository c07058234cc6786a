"""Water data (data editors): import section samples (one line per item) from CSV."""

import streamlit as st

from portal.kit import auth, data, forms, i18n, ui
from portal.kit.i18n import _
from services.core.accounts import Role
from services.water import importer
from services.water.items import items

actor = auth.require_role(Role.DATA_EDITOR)
lang = i18n.current_lang()
ui.page_header(
    _("Water data"),
    _("Import monthly or daily section samples. A file is imported only when every line is valid."),
)
st.caption(_("The file's header line; each further line is one item of one sample:"))
st.code(",".join(importer.EXPECTED_HEADER), language=None)
st.caption(
    _(
        "Units: mg/L; fecal coliform in count/L; pH without a unit. "
        "Write a result below the detection limit as `<` and the limit, for example `<0.01`."
    )
)
st.download_button(
    _("Download a template"),
    data=importer.template_csv(),
    file_name="water_samples_template.csv",
    mime="text/csv",
)

with st.expander(_("Item codes")):
    st.dataframe(
        [
            {_("Code"): item.code, _("Item"): item.name(lang), _("Unit"): item.unit or "—"}
            for item in items()
        ],
        hide_index=True,
        width="stretch",
    )

upload = st.file_uploader(_("Section samples (CSV, UTF-8)"), type=["csv"], key="water_upload")
if upload is not None and st.button(_("Check and import"), type="primary"):
    report = forms.run_import(
        lambda progress: importer.import_samples(
            data.engine(), actor=actor, data=upload.getvalue(), file_name=upload.name,
            progress=progress,
        )
    )  # fmt: skip
    if report.ok:
        st.success(
            _("Imported {lines} values; samples created or completed: {samples}.").format(
                lines=i18n.fmt_number(len(report.rows)),
                samples=i18n.fmt_number(len(importer.group(report.rows))),
            )
        )
