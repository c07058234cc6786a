"""Showing a service's validation errors in the reader's language."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from portal.kit import ui
from portal.kit.i18n import _, tr
from services.core.messages import UserFacingError
from services.shared.imports import Problem, ValidationReport


def show_error(error: UserFacingError) -> None:
    problems = error.params.get("problems")
    if isinstance(problems, list) and len(problems) > 1:
        st.error("\n".join(f"- {tr(p)}" for p in problems))
    else:
        params = {k: v for k, v in error.params.items() if k != "problems"}
        st.error(ui.message(error.msgid, **params))


def refused_file(problems: list[Problem]) -> None:
    """A file import refused: say nothing was imported and list every problem by line."""
    st.error(_("Nothing was imported. Correct these problems and upload the file again."))
    ui.data_table(
        [
            {
                _("Line"): p.row or "—",
                _("Column"): p.column or "—",
                _("Problem"): tr(p.msgid, **p.params),
            }
            for p in problems
        ],
        hide_index=True,
        width="stretch",
    )


Progress = Callable[[int, int], None]


def run_import(do_import: Callable[[Progress], ValidationReport]) -> ValidationReport:
    """Run a file import with a progress bar; a refused file lists its problems, an accepted one
    clears the cached pages' data. The caller says what was imported."""
    bar = st.progress(0.0, text=_("Importing…"))
    report = do_import(lambda done, total: bar.progress(done / total, text=_("Importing…")))
    bar.empty()
    if report.ok:
        st.cache_data.clear()
    else:
        refused_file(report.problems)
    return report
