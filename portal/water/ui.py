"""Water-quality pieces of the screen: class words, the section map, river profile, trends,
the monthly class table, plain-words exceedances, city shares and drinking-water sources.

A class is always written out (Ⅲ类 / Class III) beside its colour, so nothing depends on colour.
"""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from portal.kit import charts, i18n, maps, ui
from portal.kit.downloads import table_downloads
from portal.kit.i18n import _
from services.core.messages import N_
from services.water import evaluation as ev
from services.water import public
from services.water.classify import SampleClass
from services.water.items import by_code
from services.water.sections import Section, sections
from services.water.sections import by_code as section_by_code

GRADE_LABELS = (
    N_("Class I"),
    N_("Class II"),
    N_("Class III"),
    N_("Class IV"),
    N_("Class V"),
    N_("Worse than class V"),
)
SHORT = {"zh_CN": ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"), "en": ("I", "II", "III", "IV", "V", ">V")}
KEY_ITEMS = list(public.KEY_ITEMS)


def text_colour(grade: int) -> str:
    """Dark or white, whichever contrasts more with the class's colour (portal/kit/charts.py)."""
    return charts.text_on(public.status_of_grade(grade).colour)


def listed(names: list[str], lang: str) -> str:
    """A list in running text: 、 between Chinese items, commas in English."""
    return ", ".join(names) if lang == "en" else "、".join(names)


STATUS_METHOD = {
    "mean": N_("fewer than 5 sections: the mean of each item over the sections, classed as one"),
    "shares": N_("5 or more sections: from the share of sections in class I-III and worse than V"),
}


def grade_label(grade: int) -> str:
    return _(GRADE_LABELS[grade - 1])


def grade_short(grade: int, lang: str) -> str:
    return SHORT["en" if lang == "en" else "zh_CN"][grade - 1]


def status_word(grade: int, lang: str) -> str:
    return public.status_of_grade(grade).name(lang)


def month_text(day: date, lang: str) -> str:
    return f"{day.year}-{day.month:02d}" if lang == "en" else f"{day.year}年{day.month}月"


def provenance(result: public.Evaluated) -> str:
    if result.last_day is None:
        return ""
    return _(
        "Classes under GB 3838-2002 by the single-factor method of the Surface Water Quality "
        "Assessment Method (trial, 2011), from monthly means. Newest sample: {day}."
    ).format(day=i18n.fmt_date(result.last_day))


# --- headline --------------------------------------------------------------------------------


def summary(headline: public.Headline, *, last_day: date | None, lang: str) -> None:
    """The three plan indicators for the headline month (public.headline_index), each saying
    how many sections or sources were sampled in that month."""
    latest = headline.shares
    month = month_text(latest.period, lang)
    sampled = _("{n} of {total} sections sampled in {month}").format(
        n=latest.sections, total=headline.registered, month=month
    )
    good, worst, sources = st.columns(3)
    with good:
        ui.tile(
            _("Sections at class III or better"),
            i18n.fmt_percent(float(latest.good_share)),
            caption=_("{sampled}; {good} of them at class III or better. Plan target: {target}.")
            .format(sampled=sampled, good=latest.good, target=ui.goal_text(public.PLAN_GOOD)),
        )  # fmt: skip
    with worst:
        ui.tile(
            _("Sections worse than class V"),
            i18n.fmt_percent(float(latest.worst_share)),
            caption=_("{sampled}; {worst} of them worse than class V. Plan target: {target}.")
            .format(sampled=sampled, worst=latest.worst, target=ui.goal_text(public.PLAN_WORST)),
        )  # fmt: skip
    newest = headline.sources
    caption = _(
        "{n} of {total} sources sampled in {month}. Compliant: Table 1 items at class III and "
        "Table 2 items. Target: all."
    ).format(n=len(newest), total=len(headline.sources_registered), month=month)
    if headline.sources_missing:
        names = [water_name(w, lang) for w in headline.sources_missing]
        caption += " " + _("Not sampled: {names}.").format(names=listed(names, lang))
    with sources:
        ui.tile(
            _("Drinking-water sources compliant"),
            f"{sum(s.compliant for s in newest)} / {len(newest)}",
            caption=caption,
        )
    st.caption(headline_caption(headline, last_day=last_day, lang=lang))


def headline_caption(headline: public.Headline, *, last_day: date | None, lang: str) -> str:
    """What the headline figures are: standard, month, data time, and any sections missing."""
    latest = headline.shares
    text = _(
        "Figures above: classes under GB 3838-2002 from the monthly means of {month}, counting "
        "only the sections and sources sampled in that month. Newest sample: {day}."
    ).format(
        month=month_text(latest.period, lang),
        day=i18n.fmt_date(last_day) if last_day else "—",
    )
    missing = headline.registered - latest.sections
    if missing:
        text += " " + _("{missing} of {total} sections have no sample in {month}.").format(
            missing=missing, total=headline.registered, month=month_text(latest.period, lang)
        )
    if headline.newest_is_partial:
        text += " " + _(
            "{newest}: only {n} of {total} sections sampled so far, so the figures are for "
            "{month}, the newest month in which more than half of the sections were sampled."
        ).format(
            newest=month_text(headline.newest.period, lang),
            n=headline.newest.sections,
            total=headline.registered,
            month=month_text(latest.period, lang),
        )
    return text


# --- map -------------------------------------------------------------------------------------


def map_points(result: public.Evaluated, *, lang: str) -> pd.DataFrame:
    latest = public.latest_by_section(result.month)
    registry = section_by_code()
    rows = []
    for row in latest.itertuples():
        section = registry[row.section_code]
        rows.append(
            {
                "name": section.name(lang),
                "water": section.water(lang),
                "lat": section.lat,
                "lon": section.lon,
                "month": month_text(pd.Timestamp(row.period).date(), lang),
                "class": grade_label(row.grade),
                "status": status_word(row.grade, lang),
                "target": grade_label(section.target_grade),
                "meets": _("Yes") if row.grade <= section.target_grade else _("No"),
                "colour": public.status_of_grade(row.grade).colour,
            }
        )
    return pd.DataFrame(rows)


def section_map(points: pd.DataFrame, *, lang: str) -> alt.LayerChart:
    dots = maps.coloured_points(
        points,
        size=180,
        tooltip=[
            ("name", _("Section")),
            ("water", _("River or lake")),
            ("month", _("Month")),
            ("class", _("Class")),
            ("status", _("Water status")),
        ],
    )
    return maps.map_chart(maps.outlines(lang=lang), dots, height=460)


def section_table(points: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _("Section"): points["name"],
            _("River or lake"): points["water"],
            _("Month"): points["month"],
            _("Class"): points["class"],
            _("Water status"): points["status"],
            _("Target"): points["target"],
            _("Meets the target"): points["meets"],
        }
    )


def legend(*, lang: str) -> None:
    cells = []
    for grades, status in zip(((1, 2), (3,), (4,), (5,), (6,)), public.statuses(), strict=True):
        label = "–".join(grade_short(g, lang) for g in grades)
        text = text_colour(grades[0])
        cells.append(
            f'<span style="background:{status.colour};color:{text};padding:0.2rem 0.5rem;'
            f'border-radius:0.3rem;white-space:nowrap">{label} {status.name(lang)}</span>'
        )
    st.html('<div style="display:flex;flex-wrap:wrap;gap:0.4rem">' + "".join(cells) + "</div>")


# --- rivers and sections ---------------------------------------------------------------------


PROFILE_MONTHS = 12  # columns of the river profile: about 20 px each on a 390 px phone
PROFILE_ROW = 36  # px per section, so the class word in each cell stays readable


def profile_chart(frame: pd.DataFrame, *, lang: str) -> alt.Chart:
    """Sections (upstream at the top) by month, each cell its class word on its colour; the
    height follows the number of sections (PROFILE_ROW each)."""
    registry = section_by_code()
    names = [registry[c].name(lang) for c in dict.fromkeys(frame["section_code"])]
    data = frame.assign(
        section=frame["section_code"].map(lambda c: registry[c].name(lang)),
        month=pd.to_datetime(frame["period"]),
        label=frame["grade"].map(lambda g: grade_short(int(g), lang)),
        status=frame["grade"].map(lambda g: status_word(int(g), lang)),
        colour=frame["grade"].map(lambda g: public.status_of_grade(int(g)).colour),
        text_colour=frame["grade"].map(lambda g: text_colour(int(g))),
    )
    base = alt.Chart(data).encode(
        x=alt.X("yearmonth(month):O", title=None, axis=alt.Axis(format="%Y-%m", labelAngle=-90)),
        y=alt.Y("section:N", sort=names, title=None,
                axis=alt.Axis(labelOverlap=False, labelLimit=120)),
    )  # fmt: skip
    cells = base.mark_rect(stroke="#ffffff").encode(
        color=alt.Color("colour:N", scale=None),
        tooltip=[
            alt.Tooltip("section:N", title=_("Section")),
            alt.Tooltip("yearmonth(month):T", title=_("Month")),
            alt.Tooltip("label:N", title=_("Class")),
            alt.Tooltip("status:N", title=_("Water status")),
        ],
    )
    text = base.mark_text(fontSize=12).encode(
        text="label:N", color=alt.Color("text_colour:N", scale=None)
    )
    # fit-x: the width follows the page, the height is the rows' alone (with "fit", which
    # Streamlit sets otherwise, the month labels would take their room from the rows)
    return (cells + text).properties(
        height=PROFILE_ROW * len(names),
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )


def river_status_line(statuses: list[tuple[date, ev.WaterStatus]], *, lang: str) -> None:
    """The newest month's status of a river or lake, and how it was found."""
    if not statuses:
        return
    day, status = statuses[0]
    word = _status_name(status, lang)
    st.markdown(
        _("**{month}**: {status}. Sections in class I-III: {good} ({k} of {n} sections).").format(
            month=month_text(day, lang),
            status=word,
            good=i18n.fmt_percent(float(status.share_good)),
            k=round(status.share_good * status.sections),
            n=status.sections,
        )
    )
    st.caption(
        _("How the status is found: {method}.").format(method=_(STATUS_METHOD[status.method]))
    )


def river_year_lines(years: list[tuple[int, int, ev.WaterStatus]], *, lang: str) -> list[str]:
    """The newest year's status of a river or lake (the year to date when it is not complete)
    and, then, the latest complete year's; by the same rules as a month, from annual means."""
    if not years:
        return []
    chosen = [years[0]]
    if not public.year_complete(years[0][1]):
        chosen += [y for y in years[1:] if public.year_complete(y[1])][:1]
    lines = []
    for year, months, status in chosen:
        span = (
            _("whole year") if public.year_complete(months)
            else _("year to date, {k} of 12 months").format(k=months)
        )  # fmt: skip
        lines.append(
            _("**{year}** ({span}, annual means): {status}. Sections in class I-III: {good} "
              "({k} of {n} sections).").format(
                year=year, span=span, status=_status_name(status, lang),
                good=i18n.fmt_percent(float(status.share_good)),
                k=round(status.share_good * status.sections), n=status.sections,
            )
        )  # fmt: skip
    return lines


def _status_name(status: ev.WaterStatus, lang: str) -> str:
    if status.status is None:
        return _("not defined by the rule (see note)")
    return public.statuses()[status.status].name(lang)


def item_name(code: str, lang: str) -> str:
    return by_code()[code].name(lang)


def limit_caption(code: str, limit: float) -> str:
    item = by_code()[code]
    value = f"{i18n.fmt_number(limit, digits=_decimals(limit))} {item.unit}".strip()
    if item.direction == ">=":
        return _("Dashed line: the GB 3838 class III minimum ({value}).").format(value=value)
    return _("Dashed line: the GB 3838 class III limit ({value}).").format(value=value)


def _decimals(value: float) -> int:
    text = f"{value:f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def trend_chart(series: pd.DataFrame, code: str, section: Section):
    item = by_code()[code]
    limit = float(item.limits_for(section.waterbody)[2])
    unit = f" ({item.unit})" if item.unit else ""
    frame = series[["period", code]].rename(columns={"period": "time", code: "value"})
    return charts.trend_chart(
        frame.dropna(),
        value_title=item.name(i18n.current_lang()) + unit,
        limit=limit,
        limit_title=_("GB 3838 class III limit"),
        time_format="%Y-%m",
    ), limit


def class_table(series: pd.DataFrame, *, lang: str):
    """Years down, months across, each cell the month's class (coloured, with its word)."""
    frame = series.assign(year=series["period"].dt.year, month=series["period"].dt.month)
    table = frame.pivot_table(index="year", columns="month", values="grade", aggfunc="max")
    table = table.reindex(columns=range(1, 13)).sort_index(ascending=False)
    labels = table.map(lambda g: "" if pd.isna(g) else grade_short(int(g), lang))
    colours = table.map(
        lambda g: (
            ""
            if pd.isna(g)
            else f"background-color:{public.status_of_grade(int(g)).colour};"
            f"color:{text_colour(int(g))}"
        )
    )
    labels.index = labels.index.astype(str).rename(_("Year"))
    labels.columns = [str(m) for m in labels.columns]
    colours.index, colours.columns = labels.index, labels.columns
    return labels.style.apply(lambda _frame: colours, axis=None)


def exceedance_lines(detail: SampleClass, *, lang: str) -> list[str]:
    lines = []
    for e in public.exceedances(detail):
        name = by_code()[e.code].name(lang)
        if e.kind == "multiple" and e.multiple is not None:
            lines.append(
                _(
                    "{item} exceeds the class III limit by {multiple} times ({percent} above it)"
                ).format(
                    item=name,
                    multiple=public.multiple_text(e.multiple),
                    percent=i18n.fmt_percent(float(e.multiple), digits=0),
                )
            )
        elif e.kind == "below_minimum":
            lines.append(_("{item} is below the class III minimum").format(item=name))
        else:
            lines.append(_("{item} is outside the range 6–9").format(item=name))
    return lines


def section_facts(detail: SampleClass, day: date, *, lang: str) -> None:
    st.markdown(
        _("**{month}**: {grade} ({status}).").format(
            month=month_text(day, lang),
            grade=grade_label(detail.level),
            status=status_word(detail.level, lang),
        )
    )
    if detail.limiting_items:
        names = [by_code()[c].name(lang) for c in detail.limiting_items]
        st.markdown(_("Items at this class: {items}.").format(items=listed(names, lang)))
    lines = exceedance_lines(detail, lang=lang)
    if lines:
        main = [by_code()[c].name(lang) for c in detail.main_pollutants]
        st.markdown(_("Main pollutants: {items}.").format(items=listed(main, lang)))
        st.markdown("\n".join(f"- {line}" for line in lines))
    else:
        st.markdown(_("No item is worse than class III."))


def downloads(rows: list[dict[str, object]], *, code: str) -> None:
    table_downloads(pd.DataFrame(rows), file_stem=f"water-monthly-{code}", key="water")


# --- city and drinking water -------------------------------------------------------------------


def shares_chart(frame: pd.DataFrame) -> alt.LayerChart:
    good_name, worst_name = _("Class I-III"), _("Worse than class V")
    long = pd.concat(
        [
            pd.DataFrame({"month": pd.to_datetime(frame["period"]), "series": good_name,
                          "percent": frame["good_share"] * 100}),
            pd.DataFrame({"month": pd.to_datetime(frame["period"]), "series": worst_name,
                          "percent": frame["worst_share"] * 100}),
        ]
    )  # fmt: skip
    lines = (
        alt.Chart(long)
        .mark_line(point=len(frame) <= 36)
        .encode(
            x=alt.X("month:T", title=None, axis=alt.Axis(format="%Y-%m")),
            y=alt.Y(
                "percent:Q", title=_("Share of sections (%)"), scale=alt.Scale(domain=[0, 100])
            ),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=[good_name, worst_name], range=["#1d6b52", "#c8322f"]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("month:T", title=_("Month"), format="%Y-%m"),
                alt.Tooltip("series:N", title=_("Share")),
                alt.Tooltip("percent:Q", format=".1f"),
            ],
        )
    )
    target = (
        alt.Chart(pd.DataFrame({"target": [float(public.PLAN_GOOD.value)]}))
        .mark_rule(color="#b5651d", strokeDash=[6, 4])
        .encode(y="target:Q")
    )
    return alt.layer(lines, target).properties(height=300)


def shares_caption(shares: pd.DataFrame, *, last_day: date, lang: str) -> str:
    """Where the city shares come from: the standard, the months, the newest sample, the targets."""
    return _(
        "Classes under GB 3838-2002 from monthly means, {first} to {last}, of the sections "
        "and lake verticals sampled in each month. Newest sample: {day}. Dashed line: the "
        "plan target, {good} at class III or better; the target for worse than class V is "
        "{worst}."
    ).format(
        first=month_text(shares["period"].iloc[0], lang),
        last=month_text(shares["period"].iloc[-1], lang),
        day=i18n.fmt_date(last_day),
        good=ui.goal_text(public.PLAN_GOOD),
        worst=ui.goal_text(public.PLAN_WORST),
    )


def yearly_shares(frame: pd.DataFrame, *, months: dict[int, int]) -> pd.DataFrame:
    frame = frame.iloc[::-1]
    return pd.DataFrame(
        {
            _("Year"): [str(p.year) for p in frame["period"]],
            _("Months with samples"): [months.get(p.year, 0) for p in frame["period"]],
            _("Sections"): frame["sections"],
            _("Class I-III"): [i18n.fmt_percent(v) for v in frame["good_share"]],
            _("Worse than class V"): [i18n.fmt_percent(v) for v in frame["worst_share"]],
            _("At their target class"): [i18n.fmt_percent(v) for v in frame["target_share"]],
            _("Plan targets met"): [
                year_verdict(
                    months.get(p.year, 0),
                    public.PLAN_GOOD.share_met(g) and public.PLAN_WORST.share_met(w),
                )
                for p, g, w in zip(
                    frame["period"], frame["good_share"], frame["worst_share"], strict=True
                )
            ],
        }
    )


def year_verdict(months: int, met: bool) -> str:
    """Yes / No for a year with all 12 months sampled; otherwise no verdict, only the count."""
    if not public.year_complete(months):
        return _("Incomplete: {k} of 12 months").format(k=months)
    return _("Yes") if met else _("No")


def water_name(water_zh: str, lang: str) -> str:
    first = next(s for s in sections() if s.water_zh == water_zh)
    return first.water(lang)


def drinking_table(
    results: list[ev.SourceCompliance],
    *,
    lang: str,
    yearly: bool = False,
    months: dict[int, int] | None = None,
) -> pd.DataFrame:
    """`months`: months with samples in each year; a yearly row of a year with fewer than 12
    gets no compliance verdict."""
    months = months or {}

    def verdict(result: ev.SourceCompliance) -> str:
        if yearly:
            return year_verdict(months.get(result.period.year, 0), result.compliant)
        return _("Yes") if result.compliant else _("No")

    def failing(result: ev.SourceCompliance) -> str:
        if result.compliant:
            return "—"
        return listed([by_code()[c].name(lang) for c in result.failing], lang)

    return pd.DataFrame(
        {
            _("Period"): [
                str(r.period.year) if yearly else month_text(r.period, lang) for r in results
            ],
            _("Source"): [water_name(r.water_zh, lang) for r in results],
            _("Verticals"): [r.verticals for r in results],
            _("Class of the mean"): [grade_label(r.grade) for r in results],
            _("Compliant"): [verdict(r) for r in results],
            _("Items that fail"): [failing(r) for r in results],
        }
    )
