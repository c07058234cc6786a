"""The case registry's screens (pages/complaints/complaints.py).

The list, a case page, the map, the statistics and following a case."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from portal.complaints import ui as cui
from portal.kit import charts, data, i18n, pages, ui
from portal.kit.i18n import _
from services.complaints import registry
from services.complaints.catalog import POLLUTION_TYPES, Status
from services.complaints.manifest import REGISTRY_PAGE
from services.core import geography
from services.core.clock import beijing

PER_PAGE = 50


@st.cache_data(show_spinner=False, max_entries=64)
def _search(version, filters: dict, page: int):
    with data.unit_of_work() as session:
        cases, total = registry.search(session, registry.Filters(**filters), page=page,
                                       per_page=PER_PAGE)  # fmt: skip
    return cases, total


@st.cache_data(show_spinner=False, max_entries=16)
def _statistics(version, year: int | None):
    with data.unit_of_work() as session:
        return registry.statistics(session, registry.Filters(year=year))


@st.cache_data(show_spinner=False, max_entries=4)
def _district_counts(version):
    with data.unit_of_work() as session:
        return registry.district_counts(session)


def _case(number: str):
    with data.unit_of_work() as session:
        case = registry.get(session, number)
        if case is None:
            return None, [], None
        return (
            case,
            registry.timeline(session, case),
            registry.number_of(session, case.duplicate_of_id),
        )


def case_page(version, number: str) -> None:
    lang = i18n.current_lang()
    case, timeline, duplicate_of = _case(number)
    st.page_link(
        pages.page(REGISTRY_PAGE),
        label=_("All cases"),
        icon=":material/arrow_back:",
        query_params={"lang": lang},
    )
    if case is None:
        st.error(_("No published case has this number."))
        return
    st.subheader(case.number)
    columns = st.columns(3)
    with columns[0]:
        updated = _("Updated {time}").format(time=i18n.fmt_datetime(case.updated_at))
        ui.tile(_("Status"), cui.status_label(case.status), caption=updated)
    with columns[1]:
        cui.due_tile(_("Next deadline"), case.current_due, provisional=case.provisional_due)
    with columns[2]:
        ui.tile(_("District"), cui.district_name(case.district_code),
                caption=ui.literal(case.location) if case.location else "—")  # fmt: skip
    if case.escalated:
        st.warning(
            _("Escalated: several complaints about the same target."),
            icon=":material/priority_high:",
        )
    st.markdown("**" + _("Type of pollution") + ":** " + cui.types_text(case.types))
    if case.target:  # the moderated target, never the reporter's wording
        st.markdown("**" + _("Enterprise or site") + ":** " + ui.literal(case.target))
    st.markdown("**" + _("Summary (moderated)") + "**")
    cui.quoted(case.summary)
    st.markdown("**" + _("Deadlines") + "**")
    st.dataframe(
        pd.DataFrame(
            [
                (_("Filed"), cui.fmt_day(case.filed_on), ""),
                (_("Acceptance decided"), cui.fmt_day(case.decided_on),
                 cui.due_text(case.acceptance_due, on=case.decided_on) if case.decided_on
                 else cui.due_text(case.acceptance_due)),
                (_("Closed"), cui.fmt_day(case.closed_on),
                 cui.due_text(case.closure_due, on=case.closed_on) if case.closed_on
                 else cui.due_text(case.closure_due, provisional=case.provisional_due)),
            ],
            columns=[_("Step"), _("Done on"), _("Deadline")],
        ),
        hide_index=True,
        width="stretch",
    )  # fmt: skip
    if case.extension_days:
        st.caption(_("Handling extended by {n} days (approved).").format(n=case.extension_days))
    if case.status == Status.NOT_ACCEPTED and case.not_accepted_reason:
        st.info(cui.reason_labels().get(case.not_accepted_reason, ""))
    if duplicate_of:
        st.markdown(_("Duplicate of [{number}]({url}).").format(
            number=duplicate_of, url=cui.case_url(duplicate_of)))  # fmt: skip
    if case.outcome:
        st.markdown("**" + _("Outcome") + f":** {cui.finding_label(case.finding)}")
        cui.quoted(case.outcome)
    if case.remediation:
        st.markdown("**" + _("Remediation progress") + "**")
        cui.quoted(case.remediation)
    st.markdown("**" + _("Timeline") + "**")
    for event in timeline:
        line = f"- {i18n.fmt_date(beijing(event.at).date())} · {cui.action_label(event.action)}"
        if event.action == "transfer" and event.reason:
            line += " · " + cui.unit_names().get(event.reason, event.reason)
        st.markdown(line)
        if event.note:
            cui.quoted(event.note)
    st.caption(
        _("Follow this case: [Atom feed](/feeds/complaints/{number}.atom) · "
          "[Open311](/open311/v2/requests/{number}.json)").format(number=case.number)
    )  # fmt: skip


def cases_list(version) -> None:
    districts = cui.district_names()
    main_types = {k: _(v) for k, v in POLLUTION_TYPES.items()}
    statuses = {"open": _("Open"), "overdue": _("Overdue"), **cui.status_labels()}
    statuses.pop(Status.SUBMITTED.value)  # never public
    row = st.columns([2, 1, 1, 1])
    text = row[0].text_input(_("Search number, enterprise or summary"), key="reg_text")
    district = row[1].selectbox(_("District"), list(districts), format_func=districts.get,
                                index=None, placeholder=_("All"), key="reg_district")  # fmt: skip
    main_type = row[2].selectbox(_("Type of pollution"), list(main_types),
                                 format_func=main_types.get, index=None, placeholder=_("All"),
                                 key="reg_type")  # fmt: skip
    status = row[3].selectbox(_("Status"), list(statuses), format_func=statuses.get, index=None,
                              placeholder=_("All"), key="reg_status")  # fmt: skip
    filters = {"text": text, "district": district, "main_type": main_type, "status": status}
    page = st.session_state.get("reg_page", 1)
    cases, total = _search(version, filters, page)
    pages = max(1, -(-total // PER_PAGE))
    st.caption(
        _("{n} cases · page {page} of {pages} · newest first").format(
            n=i18n.fmt_number(total), page=page, pages=pages
        )
    )
    if cases:
        ui.data_table(
            pd.DataFrame(
                {
                    _("Case"): [cui.case_url(c.number) for c in cases],
                    _("Filed"): [cui.fmt_day(c.filed_on) for c in cases],
                    _("Status"): [cui.status_label(c.status) for c in cases],
                    _("District"): [districts.get(c.district_code, "") for c in cases],
                    _("Type of pollution"): [cui.types_text(c.types) for c in cases],
                    _("Enterprise or site"): [c.target for c in cases],
                    _("Summary (moderated)"): [c.summary for c in cases],
                    _("Next deadline"): [
                        cui.due_text(c.current_due, provisional=c.provisional_due) for c in cases
                    ],
                }
            ),
            column_config={
                _("Case"): st.column_config.LinkColumn(display_text=r"case=([^&]*)"),
            },
            hide_index=True,
            width="stretch",
        )
    else:
        st.info(_("No published case matches."))
    st.number_input(_("Page"), min_value=1, max_value=pages, key="reg_page")
    ui.source_line(
        _("moderated public records of the complaint desk; data time {time}").format(
            time=i18n.fmt_datetime(pd.Timestamp(version[1]).to_pydatetime()) if version[0] else "—"
        )
    )


def district_map(version) -> None:
    lang = i18n.current_lang()
    counts = _district_counts(version)
    places = {d.key: d for d in geography.districts()}
    counts = counts[counts["district"].isin(places)].assign(
        name=lambda f: f["district"].map(lambda k: places[k].name(lang)),
        lat=lambda f: f["district"].map(lambda k: places[k].lat),
        lon=lambda f: f["district"].map(lambda k: places[k].lon),
    )
    if counts.empty:
        st.info(_("No published case yet."))
    else:
        charts.show(cui.case_map(counts, lang=lang))
        st.caption(_("Circles sit at each district's seat: their size is the number of published "
                     "cases, their colour the open cases past a deadline."))  # fmt: skip


def statistics(version) -> None:
    main_types = {k: _(v) for k, v in POLLUTION_TYPES.items()}
    districts = cui.district_names()
    years = list(range(cui.today().year, cui.today().year - 4, -1))
    year = st.selectbox(_("Year filed"), years, index=None, placeholder=_("All years"),
                        key="reg_year")  # fmt: skip
    stats = _statistics(version, year)
    share = lambda v: "—" if v is None else i18n.fmt_percent(v, 1)  # noqa: E731
    days = lambda v: "—" if v is None else i18n.fmt_number(v, 1)  # noqa: E731
    tiles = st.columns(3)
    with tiles[0]:
        ui.tile(_("Published cases"), i18n.fmt_number(stats.cases),
                caption=_("As of {date}").format(date=cui.fmt_day(stats.as_of)))  # fmt: skip
    with tiles[1]:
        ui.tile(
            _("Average days to accept"),
            days(stats.mean_acceptance_days),
            caption=_("From filing to the acceptance decision (national 2017: 3 days)"),
        )  # fmt: skip
    with tiles[2]:
        ui.tile(
            _("Average days to close"),
            days(stats.mean_closure_days),
            caption=_("From acceptance to the written reply (national 2017: 24 days)"),
        )  # fmt: skip
    tiles = st.columns(3)
    with tiles[0]:
        ui.tile(_("Accepted on time"), share(stats.on_time_acceptance),
                caption=_("Decided within the 15-day deadline"))  # fmt: skip
    with tiles[1]:
        ui.tile(_("Closed on time"), share(stats.on_time_closure),
                caption=_("Closed within 60 days (plus any approved extension)"))  # fmt: skip
    with tiles[2]:
        ui.tile(_("Satisfaction"), share(stats.satisfaction),
                caption=_("Satisfied or fairly satisfied, of {n} rated cases").format(
                    n=i18n.fmt_number(stats.rated)))  # fmt: skip

    def bars(frame: pd.DataFrame, labels: dict | None, title: str, *, sort="-x"):
        frame = frame.assign(label=frame["key"].map(labels) if labels else frame["key"])
        return (
            alt.Chart(frame)
            .mark_bar(color="#2f7d6b")
            .encode(
                x=alt.X("cases:Q", title=_("Cases")),
                y=alt.Y("label:N", title=title, sort=sort),
                tooltip=[alt.Tooltip("label:N", title=title),
                         alt.Tooltip("cases:Q", title=_("Cases"))],
            )
        )  # fmt: skip

    left, right = st.columns(2)
    charts.show(bars(stats.by_type, main_types, _("Type of pollution")), where=left)
    charts.show(bars(stats.by_district, districts, _("District")), where=right)
    months = stats.by_month
    if not months.empty:
        charts.show(
            alt.Chart(months)
            .mark_bar(color="#2f7d6b")
            .encode(
                x=alt.X("key:O", title=_("Month filed")),
                y=alt.Y("cases:Q", title=_("Cases")),
                tooltip=[alt.Tooltip("key:O", title=_("Month filed")),
                         alt.Tooltip("cases:Q", title=_("Cases"))],
            ),
        )  # fmt: skip
    left, right = st.columns(2)
    charts.show(bars(stats.by_channel, cui.channel_labels(), _("Channel")), where=left)
    charts.show(bars(stats.by_status, cui.status_labels(), _("Status")), where=right)
    st.markdown("**" + _("Enterprises and sites complained about more than once") + "**")
    ui.data_table(
        stats.repeat_targets.rename(
            columns={"target": _("Enterprise or site"), "cases": _("Cases"),
                     "open": _("Open"), "escalated": _("Escalated")}
        ),
        hide_index=True,
        width="stretch",
    )  # fmt: skip
    ui.source_line(_("published cases of the complaint desk; definitions under each figure"))


def follow() -> None:
    main_types = {k: _(v) for k, v in POLLUTION_TYPES.items()}
    st.markdown(_("Follow new and updated cases with a feed reader, or download the data."))
    st.markdown(
        "- " + _("All cases") + ": [Atom](/feeds/complaints.atom)\n"
        + "\n".join(
            f"- {name}: [Atom](/feeds/complaints.atom?district={key})"
            for key, name in cui.district_names().items()
        )
    )  # fmt: skip
    st.markdown(
        "- " + _("By type") + ": "
        + " · ".join(f"[{name}](/feeds/complaints.atom?type={key})"
                     for key, name in main_types.items())
    )  # fmt: skip
    st.markdown(
        _("Open data: [CSV of all published cases](/api/v1/complaints.csv) · "
          "[Open311 GeoReport v2](/open311/v2/requests.json) "
          "([services](/open311/v2/services.json))")
    )  # fmt: skip
    st.caption(
        _("The CSV neutralises cells that a spreadsheet would run as formulas. Open311 "
          "statuses are open/closed; the Chinese status is in the status_zh field.")
    )  # fmt: skip
