"""Tables and figures of lesson 01, *Reading real open data* (book/open_data/01-opening-files.md).

Views only: each function receives what the model computed (a :class:`~modules.open_data.model.ReadReport`,
a :class:`~modules.open_data.model.QualityReport`, series that the lesson read) and returns a
formatted table (:class:`~modules.common.views.tables.FullTable`) or an accessible figure (see
:func:`modules.common.views.plotting.show`). Counts are cyclists per day; shares are in %.
"""

from __future__ import annotations

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from modules.common.i18n import N_, translator
from modules.common.views import plotting
from modules.common.views.tables import FullTable
from modules.open_data import model
from modules.open_data.model.wording import count, decimal, percent

_ = translator(__name__)

#: Names shown for each encoding and separator (in English, marked with ``N_``; translated where shown).
_ENCODING_WORDS = {
    "utf-8": "UTF-8",
    "utf-8-sig": N_("UTF-8, after a byte order mark (BOM)"),
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1 (ISO-8859-1)",
}
_SEPARATOR_WORDS = {";": N_("semicolon"), ",": N_("comma"), "\t": N_("tab"), "|": N_("vertical bar")}


def report_table(report: model.ReadReport) -> FullTable:
    """What the reader detected in a file, one row per finding, with what it did about it."""
    rows = [
        (_("Encoding"), _(_ENCODING_WORDS[report.encoding]), _("decoded with it, so accents read right")),
        (_("Separator"), _(_SEPARATOR_WORDS[report.separator]), _("columns split on it")),
        (_("Decimal mark"), _("comma") if report.decimal == "," else _("point"),
         _("{count} columns read as numbers", count=count(len(report.numeric_columns)))),
    ]
    for column, fmt in report.date_formats.items():
        if fmt.startswith("%d"):
            order = _("day first")
        else:
            order = _("year first") if fmt.startswith("%Y") else _("month first")
        note = _("; no day above 12, so the order is a guess") if column in report.ambiguous_dates else ""
        rows.append((_("Dates in {column}", column=repr(column)), f"{fmt} ({order}{note})", _("read as dates")))
    rows.append((_("Rows of data"), count(report.rows), _("all kept")))
    rows.append((_("Rows one field short"), count(len(report.padded_lines)), _("padded with missing values, listed")))
    rows.append((_("Rows with extra fields"), count(len(report.skipped_lines)), _("set aside and listed with their text")))
    rows.append((_("Empty columns"), ", ".join(report.empty_columns) or _("none"),
                 _("dropped and named") if report.empty_columns_dropped else _("kept, all missing")))
    return FullTable(pd.DataFrame(rows, columns=[_("What"), _("Found"), _("What the reader did")]))


def quality_table(quality: model.QualityReport) -> FullTable:
    """The columns of a quality report that have something to say: missing values or several spellings."""
    frame = quality.columns.reset_index()
    frame = frame[(frame["missing"] > 0) | frame["column"].isin(quality.inconsistent)]
    spelled = {column: "; ".join(" / ".join(spellings) for spellings in variants.values())
               for column, variants in quality.inconsistent.items()}
    table = pd.DataFrame({
        _("Column"): frame["column"],
        _("Type"): [_(model.TYPE_NAMES.get(kind, kind)) for kind in frame["type"]],
        _("Missing"): [_("{missing} of {rows} ({share})", missing=count(m), rows=count(quality.rows), share=percent(p, 0))
                       for m, p in zip(frame["missing"], frame["missing_pct"])],
        _("Spelled in several ways"): [spelled.get(column, "") for column in frame["column"]],
    })
    return FullTable(table.reset_index(drop=True))


def date_order_chart(right: pd.Series, month_first: pd.Series, path: str, credit: str) -> plotting.AccessibleFigure:
    """The same daily counts drawn at the right dates, and at the dates a month-first read gives them.

    right : counts indexed by the dates read day first; month_first : the same counts, in the same
    order, indexed by the dates read month first (NaT where the day is above 12: no 13th month exists).
    """
    with matplotlib.rc_context(plotting.STYLE):
        figure = Figure(figsize=(7.6, 5.2), layout="constrained")
        top, bottom = figure.subplots(2, 1, sharex=True)
    figure.suptitle(_("{path}: one year of daily counts, read two ways", path=path), fontweight="bold", fontsize=11)
    top.plot(right.index, right.to_numpy(), color=plotting.PALETTE["blue"], linewidth=1)
    top.set_title(_("Dates read day first (02/01/2012 = 2 January): the right reading"), fontsize=9.5)
    kept = month_first[month_first.index.notna()]
    bottom.scatter(kept.index, kept.to_numpy(), color=plotting.ALERT_COLOUR, s=6)
    same = int((month_first.index == right.index).sum())
    bottom.set_title(_("Dates read month first (02/01/2012 = 1 February): {lost} days lost, {moved} moved, {same} right",
                       lost=count(month_first.index.isna().sum()), moved=count(len(kept) - same), same=count(same)), fontsize=9.5)
    for axes in (top, bottom):
        axes.set_ylabel(_("Cyclists per day"))
    bottom.set_xlabel(_("Date, 2012"))
    figure.text(0.01, 0.0, credit, fontsize=7, color="#444444")
    lost = month_first.index.isna().sum()
    alt = _(
        "Two charts of the daily cyclists counted on {path} in 2012. Top, with the dates read day first, the counts "
        "rise from about {january} a day in January to a summer peak of {peak}. Bottom, "
        "with the same file read month first, {lost} of the {days} days have no date at all, "
        "{moved} are moved to another month and only {same} (the days whose day and month are equal) stay in place.",
        path=path, january=decimal(right.iloc[:31].mean(), 0), peak=decimal(right.max(), 0), lost=count(lost),
        days=count(len(month_first)), moved=count(len(kept) - same), same=count(same),
    )
    return plotting.show(figure, alt)


def sector_chart(raw: pd.Series, normalised: pd.Series, credit: str) -> plotting.AccessibleFigure:
    """Projects per sector, as the file spells the sectors and after one spelling per sector."""
    raw_counts = raw.value_counts().sort_index(key=lambda index: index.str.lower())
    clean_counts = normalised.value_counts().sort_index(key=lambda index: index.str.lower())
    with matplotlib.rc_context(plotting.STYLE):
        figure = Figure(figsize=(7.6, 4.2), layout="constrained")
        left, right = figure.subplots(1, 2, sharex=True)
    figure.suptitle(_("Avignon's 2017 participatory budget: projects per sector"), fontweight="bold", fontsize=11)
    split = {key for key, spellings in model.category_variants(raw).items() for _ in spellings}
    colours = [plotting.ALERT_COLOUR if model.fold(name) in split else plotting.PALETTE["blue"] for name in raw_counts.index]
    left.barh(range(len(raw_counts)), raw_counts.to_numpy(), color=colours)
    left.set_yticks(range(len(raw_counts)), raw_counts.index)
    left.set_title(_("As spelled in the file: {count} sectors", count=count(len(raw_counts))), fontsize=9.5)
    right.barh(range(len(clean_counts)), clean_counts.to_numpy(), color=plotting.PALETTE["blue"])
    right.set_yticks(range(len(clean_counts)), clean_counts.index)
    right.set_title(_("One spelling per sector: {count} sectors", count=count(len(clean_counts))), fontsize=9.5)
    for axes in (left, right):
        axes.invert_yaxis()
        axes.set_xlabel(_("Projects"))
    figure.text(0.01, 0.0, credit, fontsize=7, color="#444444")
    alt = _(
        "Two bar charts of the projects per sector. Left, as the file spells them, {raw_count} sectors: {raw}. "
        "Right, with one spelling per sector, {clean_count} sectors: {clean}.",
        raw_count=count(len(raw_counts)), raw=", ".join(f"{name} {count(number)}" for name, number in raw_counts.items()),
        clean_count=count(len(clean_counts)), clean=", ".join(f"{name} {count(number)}" for name, number in clean_counts.items()),
    )
    return plotting.show(figure, alt)
