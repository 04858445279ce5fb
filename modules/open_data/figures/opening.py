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

from modules.common.views import plotting
from modules.common.views.tables import FullTable
from modules.open_data import model

_ENCODING_WORDS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8, after a byte order mark (BOM)",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1 (ISO-8859-1)",
}


def report_table(report: model.ReadReport) -> FullTable:
    """What the reader detected in a file, one row per finding, with what it did about it."""
    rows = [
        ("Encoding", _ENCODING_WORDS[report.encoding], "decoded with it, so accents read right"),
        ("Separator", {";": "semicolon", ",": "comma", "\t": "tab", "|": "vertical bar"}[report.separator], "columns split on it"),
        ("Decimal mark", "comma" if report.decimal == "," else "point", f"{len(report.numeric_columns)} columns read as numbers"),
    ]
    for column, fmt in report.date_formats.items():
        order = "day first" if fmt.startswith("%d") else "year first" if fmt.startswith("%Y") else "month first"
        note = "; no day above 12, so the order is a guess" if column in report.ambiguous_dates else ""
        rows.append((f"Dates in {column!r}", f"{fmt} ({order}{note})", "read as dates"))
    rows.append(("Rows of data", f"{report.rows}", "all kept"))
    rows.append(("Rows one field short", f"{len(report.padded_lines)}", "padded with missing values, listed"))
    rows.append(("Rows with extra fields", f"{len(report.skipped_lines)}", "set aside and listed with their text"))
    rows.append(("Empty columns", ", ".join(report.empty_columns) or "none",
                 "dropped and named" if report.empty_columns_dropped else "kept, all missing"))
    return FullTable(pd.DataFrame(rows, columns=["What", "Found", "What the reader did"]))


def quality_table(quality: model.QualityReport) -> FullTable:
    """The columns of a quality report that have something to say: missing values or several spellings."""
    frame = quality.columns.reset_index()
    frame = frame[(frame["missing"] > 0) | frame["column"].isin(quality.inconsistent)]
    spelled = {column: "; ".join(" / ".join(spellings) for spellings in variants.values())
               for column, variants in quality.inconsistent.items()}
    table = pd.DataFrame({
        "Column": frame["column"],
        "Type": frame["type"],
        "Missing": [f"{m} of {quality.rows} ({p:.0f} %)" for m, p in zip(frame["missing"], frame["missing_pct"])],
        "Spelled in several ways": [spelled.get(column, "") for column in frame["column"]],
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
    figure.suptitle(f"{path}: one year of daily counts, read two ways", fontweight="bold", fontsize=11)
    top.plot(right.index, right.to_numpy(), color=plotting.PALETTE["blue"], linewidth=1)
    top.set_title("Dates read day first (02/01/2012 = 2 January): the right reading", fontsize=9.5)
    kept = month_first[month_first.index.notna()]
    bottom.scatter(kept.index, kept.to_numpy(), color=plotting.ALERT_COLOUR, s=6)
    same = int((month_first.index == right.index).sum())
    bottom.set_title(f"Dates read month first (02/01/2012 = 1 February): {month_first.index.isna().sum()} days lost, "
                     f"{len(kept) - same} moved, {same} right", fontsize=9.5)
    for axes in (top, bottom):
        axes.set_ylabel("Cyclists per day")
    bottom.set_xlabel("Date, 2012")
    figure.text(0.01, 0.0, credit, fontsize=7, color="#444444")
    lost = month_first.index.isna().sum()
    alt = (
        f"Two charts of the daily cyclists counted on {path} in 2012. Top, with the dates read day first, the counts "
        f"rise from about {right.iloc[:31].mean():.0f} a day in January to a summer peak of {right.max():.0f}. Bottom, "
        f"with the same file read month first, {lost} of the {len(month_first)} days have no date at all, "
        f"{len(kept) - same} are moved to another month and only {same} (the days whose day and month are equal) stay in place."
    )
    return plotting.show(figure, alt)


def sector_chart(raw: pd.Series, normalised: pd.Series, credit: str) -> plotting.AccessibleFigure:
    """Projects per sector, as the file spells the sectors and after one spelling per sector."""
    raw_counts = raw.value_counts().sort_index(key=lambda index: index.str.lower())
    clean_counts = normalised.value_counts().sort_index(key=lambda index: index.str.lower())
    with matplotlib.rc_context(plotting.STYLE):
        figure = Figure(figsize=(7.6, 4.2), layout="constrained")
        left, right = figure.subplots(1, 2, sharex=True)
    figure.suptitle("Avignon's 2017 participatory budget: projects per sector", fontweight="bold", fontsize=11)
    split = {key for key, spellings in model.category_variants(raw).items() for _ in spellings}
    colours = [plotting.ALERT_COLOUR if model.fold(name) in split else plotting.PALETTE["blue"] for name in raw_counts.index]
    left.barh(range(len(raw_counts)), raw_counts.to_numpy(), color=colours)
    left.set_yticks(range(len(raw_counts)), raw_counts.index)
    left.set_title(f"As spelled in the file: {len(raw_counts)} sectors", fontsize=9.5)
    right.barh(range(len(clean_counts)), clean_counts.to_numpy(), color=plotting.PALETTE["blue"])
    right.set_yticks(range(len(clean_counts)), clean_counts.index)
    right.set_title(f"One spelling per sector: {len(clean_counts)} sectors", fontsize=9.5)
    for axes in (left, right):
        axes.invert_yaxis()
        axes.set_xlabel("Projects")
    figure.text(0.01, 0.0, credit, fontsize=7, color="#444444")
    alt = (
        f"Two bar charts of the projects per sector. Left, as the file spells them, {len(raw_counts)} sectors: "
        + ", ".join(f"{name} {count}" for name, count in raw_counts.items())
        + f". Right, with one spelling per sector, {len(clean_counts)} sectors: "
        + ", ".join(f"{name} {count}" for name, count in clean_counts.items()) + "."
    )
    return plotting.show(figure, alt)
