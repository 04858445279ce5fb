"""Avignon's temporary traffic orders for works (2019–2022): real first-planned and extended durations.

The file ``data/avignon_arretes_travaux/84007-travauxArretes.csv`` (see its README) has one row per
area of road (*emprise*) of an order (*arrêté*), so an order can span several rows. Some orders are
extensions (*prorogations*, ``nommodele`` "AM2 - Prorogation d'arrêtés temporaires"): they push
back the end of an earlier order because the works could not be finished in time, and their free
text gives the reason, the new end date and often the number of the order they extend.

How durations are read (calendar days, both ends included: an order from 9 to 9 April lasts 1 day):

- an order's planned period runs from its earliest area start (``emprisedebut``) to its latest
  order end (``arretefin``);
- an order does **not** say when works really ended. An extension says when they were then
  expected to end (``new_end``, its "Nouvelle date de fin", always equal to its ``arretefin`` in the
  real file). So "overrun" here means how much later the works were expected to end after the
  extension than before it, not a measured delay;
- the planned end before the extension (``first_planned_end``) is taken from the extended order
  when that order is in the file **and** plausibly the same works (it ends at most
  :data:`PLAUSIBLE_GAP_DAYS` days before the extension's areas start and no later than the
  extension's own start). Otherwise it is the day before the extension order starts
  (``arretedebut − 1 day``): the extension takes over when the first order runs out. In the real
  file the file holds only 2 of the 39 orders that extensions quote, and both are orders of the
  year before with the same number (probably a typo in the year: 20-AT-0425 ended in May 2020, its
  "extension" 21-AT-0550 starts in May 2021), so every overrun is measured from the extension's
  start. :func:`extensions` says which rule was used for each row (``measured_from``);
- an extension's areas start (``emprisedebut``) before the extension itself in 81 of its 82 rows,
  against 24 of the 1,192 other rows: we read the area start of an extension as the start of the
  works it extends, so the first planned duration is ``site_start → first_planned_end``.

Nothing is dropped: every value that cannot be parsed is kept as missing (NaT, NaN or None) in
``rows`` and listed in ``problems`` with its row, column, value and the reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from modules.common.i18n import N_, translator

from ...common import data as common_data
from .datasets import ROADWORKS, ROADWORKS_FILE, SLUG

_ = translator(__name__)

#: How each date column of the raw file is written (each column has its own format).
DATE_FORMATS = {
    "arretedebut": "%Y%m%d%H%M%S",
    "arretefin": "%Y%m%d%H%M%S",
    "emprisedebut": "%Y-%m-%dT%H:%M:%SZ",
    "emprisefin": "%Y-%m-%dT%H:%M:%SZ",
}

#: Parsed date column of ``rows`` for each raw column.
DATE_COLUMNS = {
    "arretedebut": "order_start",
    "arretefin": "order_end",
    "emprisedebut": "site_start",
    "emprisefin": "site_end",
}

#: Raw columns the reader needs.
RAW_COLUMNS = ("arretesrcid", "arretedebut", "arretefin", "emprisedebut", "emprisefin", "nommodele", "parametresarrete")

#: Columns of ``rows`` that :func:`orders`, :func:`extensions`, :func:`extension_summary` and
#: :func:`concurrent_works` use: a table with these columns (from another city, or built by hand)
#: works with them too.
ROW_COLUMNS = ("arretesrcid", "order_start", "order_end", "site_start", "site_end", "is_extension", "extended_order", "reason", "new_end")

#: Reason categories of :func:`reason_category`, checked in this order.
REASON_CATEGORIES = ("weather", "late start", "works not finished", "other")

#: How tables and figures name each reason category (the keys stay as they are; shown translated with ``_``).
REASON_CATEGORY_NAMES = {
    "weather": N_("weather"),
    "late start": N_("late start"),
    "works not finished": N_("works not finished"),
    "other": N_("other"),
}

#: Keywords (lower case, without accents) of each reason category.
REASON_KEYWORDS = {
    "weather": ("intemperi", "pluie", "meteo", "neige", "vent violent", "orage"),
    "late start": ("report", "retard", "pas ete commence", "pas commence", "dates d'intervention ont change", "decal"),
    "works not finished": ("termin", "fini", "achev", "finition"),
}

#: An order quoted by an extension counts as the extended one only if it ends at most this many
#: days before the extension's areas start (otherwise it is another order with the same number).
PLAUSIBLE_GAP_DAYS = 31

#: Order numbers as written in the free text: "20-AT-0358", "21-at-0803", "n°21-AT-1212", "20-at 1210".
ORDER_NUMBER = re.compile(r"(?<!\d)(\d{2})\s*-\s*AT\s*[-\s]?\s*(\d{1,4})(?!\d)", re.IGNORECASE)

_FIELD = re.compile(r"(?:^|;)\s*([^;:]+?)\s+:\s")
_TEXT_DATE = re.compile(r"(\d{1,2}/\d{1,2}/\d{4})")
_PROBLEM_COLUMNS = ["row", "arretesrcid", "column", "value", "why"]


def _plain(text: str) -> str:
    """Lower case without accents, typographic apostrophes made straight, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", text.replace("’", "'").lower()).strip()


def parse_fields(text) -> dict[str, str]:
    """Split the free text of ``parametresarrete`` ("Key : value ; Key : value") into a dict.

    Keys are kept as written; values are stripped of spaces and trailing semicolons.
    """
    if not isinstance(text, str) or not text.strip():
        return {}
    matches = list(_FIELD.finditer(text))
    fields: dict[str, str] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        value = text[match.end():end].strip().rstrip(";").strip()
        fields[match.group(1).strip()] = re.sub(r"\s+", " ", value)
    return fields


def _field(fields: dict[str, str], prefix: str) -> str | None:
    """The value whose key starts with ``prefix`` (compared without case or accents)."""
    for key, value in fields.items():
        if _plain(key).startswith(prefix):
            return value
    return None


def order_number(text) -> str | None:
    """The first order number quoted in ``text``, normalised to ``YY-AT-NNNN`` (None if there is none).

    "l'arrêté n°21-at-1212" → "21-AT-1212"; "20-at 1210" → "20-AT-1210".
    """
    if not isinstance(text, str):
        return None
    match = ORDER_NUMBER.search(text)
    return None if match is None else f"{match.group(1)}-AT-{int(match.group(2)):04d}"


def reason_category(reason) -> str:
    """Classify an extension's reason into one of :data:`REASON_CATEGORIES`, by keywords.

    Checked in order: weather ("intempéries"), late start ("reportés", "retardée", "pas été
    commencés", "dates d'intervention ont changé"), works not finished ("terminés", "finis",
    "achevés", "inachevés", "finition"); anything else is "other" (as is a missing reason). A reason
    that names the weather and unfinished works counts as weather: the cause wins over the symptom.
    """
    if not isinstance(reason, str) or not reason.strip():
        return "other"
    plain = _plain(reason)
    for category in REASON_CATEGORIES[:-1]:
        if any(keyword in plain for keyword in REASON_KEYWORDS[category]):
            return category
    return "other"


@dataclass(frozen=True, eq=False)
class RoadworksOrders:
    """What :func:`read_orders` returns.

    Attributes
    ----------
    rows : DataFrame
        One row per area of road, in file order (index 0 = first data line). Columns: ``arretesrcid``
        (order number), ``order_start``, ``order_end``, ``site_start``, ``site_end`` (dates as
        Timestamps at midnight, NaT when unparseable), ``is_extension`` (bool), ``extended_order``
        (order number quoted in the reason, or None), ``reason`` (the "Motif de prorogation" text,
        or None), ``new_end`` (the "Nouvelle date de fin" date, NaT if absent), ``reason_category``,
        ``description`` (the "Description des travaux" text, or None), then the raw columns
        ``emprisetype``, ``mesures``, ``localisations``, ``nommodele``, ``parametresarrete`` and
        ``latitude``, ``longitude`` (floats, degrees).
    problems : DataFrame
        Every value that could not be parsed or contradicts another: ``row`` (index in ``rows``),
        ``arretesrcid``, ``column`` (raw column), ``value`` (as written), ``why``. Empty for the
        real file.
    path : Path
        The file read.
    """

    rows: pd.DataFrame
    problems: pd.DataFrame
    path: Path

    def __repr__(self) -> str:
        return (
            f"RoadworksOrders({len(self.rows)} rows, {self.rows['arretesrcid'].nunique()} orders, "
            f"{int(self.rows['is_extension'].sum())} extension rows, {len(self.problems)} problems, "
            f"path={self.path.name!r})"
        )

    def orders(self) -> pd.DataFrame:
        """:func:`orders` of these rows."""
        return orders(self.rows)

    def extensions(self) -> pd.DataFrame:
        """:func:`extensions` of these rows."""
        return extensions(self.rows)

    def summary(self) -> dict:
        """:func:`extension_summary` of these rows."""
        return extension_summary(self.rows)


def _parse_dates(raw: pd.Series, fmt: str) -> pd.Series:
    return pd.to_datetime(raw, format=fmt, errors="coerce").dt.normalize()


def read_orders(path: str | Path | None = None) -> RoadworksOrders:
    """Read Avignon's roadworks orders (or another file in the same format, given by ``path``).

    The file is read as the README says: separator ``;``, encoding ``utf-8-sig`` (it starts with a
    byte order mark), every column as text; then each date column is converted with its own format
    (:data:`DATE_FORMATS`) and the free text of extensions is parsed. Times are dropped (all are
    midnight but two, at 01:00 on the night the clocks went back, 31 October 2021).
    """
    if path is None:
        path = common_data.data_path(SLUG, ROADWORKS, ROADWORKS_FILE)
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(_("There is no file {path}: check the path.", path=repr(str(path))))
    raw = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    missing = [column for column in RAW_COLUMNS if column not in raw.columns]
    if missing:
        raise ValueError(_(
            "The file {name} has no column {missing}: is it a roadworks orders file like "
            "84007-travauxArretes.csv (separator ';')?",
            name=path.name, missing=", ".join(missing),
        ))
    raw = raw.reset_index(drop=True)
    text = raw.apply(lambda column: column.str.strip())
    empty = text == ""
    problems: list[dict] = []

    def report(index, column: str, value, why: str) -> None:
        problems.append({"row": int(index), "arretesrcid": text.at[index, "arretesrcid"] or None, "column": column, "value": value, "why": why})

    rows = pd.DataFrame(index=raw.index)
    rows["arretesrcid"] = text["arretesrcid"].where(~empty["arretesrcid"], None)
    for index in raw.index[empty["arretesrcid"]]:
        report(index, "arretesrcid", raw.at[index, "arretesrcid"], _("empty: the row belongs to no order number"))

    for column, fmt in DATE_FORMATS.items():
        parsed = _parse_dates(text[column].where(~empty[column]), fmt)
        rows[DATE_COLUMNS[column]] = parsed
        example = {"%Y%m%d%H%M%S": "20210420000000", "%Y-%m-%dT%H:%M:%SZ": "2021-04-20T00:00:00Z"}[fmt]
        for index in raw.index[parsed.isna()]:
            value = raw.at[index, column]
            why = _("empty") if empty.at[index, column] else _("not a date in the format {format} (like {example})", format=fmt, example=example)
            report(index, column, value, why)

    rows["is_extension"] = text["nommodele"].str.contains("Prorogation", case=False, regex=False)
    # An extension can only be recognised by its model name; before 2021 most orders have none.
    rows["model_recorded"] = text["nommodele"].fillna("").str.strip() != ""
    reasons, quoted, new_ends, descriptions = [], [], [], []
    for index in raw.index:
        fields = parse_fields(text.at[index, "parametresarrete"])
        description = _field(fields, "description des travaux")
        descriptions.append(description or None)
        if not rows.at[index, "is_extension"]:
            reasons.append(None)
            quoted.append(None)
            new_ends.append(pd.NaT)
            continue
        reason = _field(fields, "motif de prorogation")
        if not reason:
            report(index, "parametresarrete", raw.at[index, "parametresarrete"], _("extension without a 'Motif de prorogation' (reason)"))
        reasons.append(reason or None)
        quoted.append(order_number(reason))
        new_end_text = _field(fields, "nouvelle date de fin")
        new_end = pd.NaT
        if new_end_text is None:
            report(index, "parametresarrete", raw.at[index, "parametresarrete"], _("extension without a 'Nouvelle date de fin' (new end date)"))
        else:
            match = _TEXT_DATE.search(new_end_text)
            new_end = pd.to_datetime(match.group(1), format="%d/%m/%Y", errors="coerce") if match else pd.NaT
            if pd.isna(new_end):
                report(index, "parametresarrete", new_end_text, _("the 'Nouvelle date de fin' is not a date dd/mm/yyyy"))
        new_ends.append(new_end)
    rows["extended_order"] = pd.Series(quoted, index=raw.index, dtype=object)
    rows["reason"] = pd.Series(reasons, index=raw.index, dtype=object)
    rows["new_end"] = pd.to_datetime(pd.Series(new_ends, index=raw.index))
    rows["reason_category"] = [reason_category(r) if e else None for r, e in zip(reasons, rows["is_extension"])]
    rows["description"] = pd.Series(descriptions, index=raw.index, dtype=object)
    for column in ("emprisetype", "mesures", "localisations", "nommodele", "parametresarrete"):
        rows[column] = text[column].where(~empty[column], None) if column in text else None
    for column in ("latitude", "longitude"):
        if column not in text:
            rows[column] = np.nan
            continue
        parsed = pd.to_numeric(text[column].str.replace(",", ".", regex=False), errors="coerce")
        rows[column] = parsed
        for index in raw.index[parsed.isna() & ~empty[column]]:
            report(index, column, raw.at[index, column], _("not a number (decimal degrees)"))

    # values that parse but contradict each other are kept, and reported too
    for index in rows.index[rows["order_end"] < rows["order_start"]]:
        report(index, "arretefin", raw.at[index, "arretefin"], _("the order ends before it starts (arretedebut)"))
    for index in rows.index[rows["site_end"] < rows["site_start"]]:
        report(index, "emprisefin", raw.at[index, "emprisefin"], _("the area ends before it starts (emprisedebut)"))
    differs = rows["is_extension"] & rows["new_end"].notna() & rows["order_end"].notna() & (rows["new_end"] != rows["order_end"])
    for index in rows.index[differs]:
        report(index, "parametresarrete", raw.at[index, "parametresarrete"], _("the 'Nouvelle date de fin' differs from arretefin"))

    frame = pd.DataFrame(problems, columns=_PROBLEM_COLUMNS).sort_values(["row", "column"], kind="stable").reset_index(drop=True)
    return RoadworksOrders(rows=rows, problems=frame, path=path)


def _check_rows(rows) -> pd.DataFrame:
    if isinstance(rows, RoadworksOrders):
        rows = rows.rows
    if not isinstance(rows, pd.DataFrame):
        raise ValueError(_("Give the rows as a DataFrame, for example read_orders().rows."))
    missing = [column for column in ROW_COLUMNS if column not in rows.columns]
    if missing:
        raise ValueError(_(
            "The rows have no column {missing}: give read_orders().rows, or a table with the columns {columns}.",
            missing=", ".join(missing), columns=", ".join(ROW_COLUMNS),
        ))
    if rows.empty:
        raise ValueError(_("The rows are empty: there is no order to count."))
    return rows


def _days(end: pd.Series, start: pd.Series) -> pd.Series:
    """Calendar days from ``start`` to ``end`` (a float Series, NaN where a date is missing)."""
    return (end - start).dt.days.astype(float)


def orders(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per order (index ``arretesrcid``, in order of first appearance).

    Columns: ``planned_start`` (earliest area start), ``planned_end`` (latest order end),
    ``planned_days`` (calendar days, both ends included: ``planned_end − planned_start + 1``),
    ``order_start`` and ``order_end`` (the order's own dates), ``areas`` (number of rows),
    ``is_extension``, ``extended_order``, ``reason``, ``new_end``.
    For an extension, ``planned_end`` is its new end, and ``planned_start`` the start of the works it
    extends (see the module's docstring).
    """
    rows = _check_rows(rows)
    grouped = rows.groupby("arretesrcid", sort=False, dropna=False)
    table = pd.DataFrame(
        {
            "planned_start": grouped["site_start"].min(),
            "planned_end": grouped["order_end"].max(),
            "order_start": grouped["order_start"].min(),
            "order_end": grouped["order_end"].max(),
            "areas": grouped.size(),
            "is_extension": grouped["is_extension"].any(),
            **({"model_recorded": grouped["model_recorded"].any()} if "model_recorded" in rows.columns else {}),
            "extended_order": grouped["extended_order"].first(),
            "reason": grouped["reason"].first(),
            "new_end": grouped["new_end"].max(),
        }
    )
    table.insert(2, "planned_days", _days(table["planned_end"], table["planned_start"]) + 1)
    table.index.name = "arretesrcid"
    return table


def extensions(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per extension order (index ``arretesrcid``): how much later the works were then expected to end.

    Columns:

    - ``extended_order``: the order number quoted in the reason (None when the text quotes none);
    - ``quoted_in_file``: that number is an order of the file (it may still be another order with the same number);
    - ``site_start``: earliest area start of the extension, read as the start of the works it extends;
    - ``extension_start``: the extension order's own start (``arretedebut``);
    - ``first_planned_end``: the end planned before the extension (see ``measured_from``);
    - ``new_end``: the "Nouvelle date de fin" (the order end when the text lacks it);
    - ``overrun_days``: ``new_end − first_planned_end`` in calendar days;
    - ``first_planned_days``: ``first_planned_end − site_start + 1`` (calendar days; 0 when the extension starts with the works);
    - ``extended_days``: ``new_end − site_start + 1``;
    - ``measured_from``: ``"extended order"`` when ``first_planned_end`` is the planned end of the
      quoted order (in the file, and ending between :data:`PLAUSIBLE_GAP_DAYS` days before
      ``site_start`` and ``extension_start``), else ``"extension start"`` (``extension_start − 1 day``);
    - ``reason``, ``reason_category``.
    """
    rows = _check_rows(rows)
    table = orders(rows)
    ext = table[table["is_extension"]].copy()
    result = pd.DataFrame(index=ext.index)
    result["extended_order"] = ext["extended_order"]
    quoted = ext["extended_order"]
    result["quoted_in_file"] = quoted.isin(table.index) & quoted.notna()
    result["site_start"] = ext["planned_start"]
    result["extension_start"] = ext["order_start"]
    day = pd.Timedelta(days=1)
    fallback = ext["order_start"] - day
    quoted_end = quoted.map(table["order_end"]) if len(quoted) else pd.Series(dtype="datetime64[ns]")
    quoted_end = pd.to_datetime(quoted_end.where(result["quoted_in_file"]))
    plausible = (
        result["quoted_in_file"]
        & (quoted_end >= ext["planned_start"] - pd.Timedelta(days=PLAUSIBLE_GAP_DAYS))
        & (quoted_end <= ext["order_start"])
    )
    result["first_planned_end"] = quoted_end.where(plausible, fallback)
    result["new_end"] = ext["new_end"].fillna(ext["order_end"])
    result["overrun_days"] = _days(result["new_end"], result["first_planned_end"])
    result["first_planned_days"] = (_days(result["first_planned_end"], result["site_start"]) + 1).clip(lower=0)
    result["extended_days"] = _days(result["new_end"], result["site_start"]) + 1
    result["measured_from"] = np.where(plausible, "extended order", "extension start")
    result["reason"] = ext["reason"]
    result["reason_category"] = [reason_category(r) for r in ext["reason"]]
    return result


def extension_summary(rows: pd.DataFrame) -> dict:
    """The key figures of the extensions, in one dict.

    "Extended" is defined as: an order that an extension order ("prorogation") of the file extends.
    Most extended orders are not in the file themselves (it holds 976 of the city's orders, and the
    extensions quote numbers that are absent), so extended orders are counted through their
    extensions, one extended order per extension order:

    ``share_extended = extension orders ÷ orders that are not extensions``.

    This assumes no order was extended twice (two extensions quoting the same order count twice;
    ``extensions_quoting_same_order`` says how many extensions share a quoted number).

    An extension is recognised by its model name (*nommodele*), and most orders before 2021 have no
    model name in the file: an extension issued then cannot be recognised, so ``share_extended``
    understates the share. When the rows carry ``model_recorded`` (as :func:`read_orders` gives
    them), ``share_extended_where_recorded`` is the same ratio over the orders whose model name is
    recorded, the ones whose extensions could be seen: the better estimate, and the figure the
    course uses (``share_extended`` over the whole file is a lower bound).

    Keys: ``rows``, ``orders``, ``extension_rows``, ``extension_orders``, ``original_orders``
    (orders that are not extensions), ``share_extended`` (fraction), ``orders_with_model`` (orders
    that are not extensions and whose model name is recorded, or None), ``share_extended_where_recorded``
    (fraction, or None), ``median_overrun_days``,
    ``mean_overrun_days``, ``max_overrun_days``, ``median_first_planned_days``,
    ``median_extended_days``, ``median_extended_ratio`` (median of extended ÷ first planned days,
    extensions with a first planned duration of at least 1 day), ``measured_from_extended_order``,
    ``measured_from_extension_start``, ``unmeasured`` (extensions without an overrun because a date
    is missing), ``quoting_an_order``, ``quoted_in_file``, ``extensions_quoting_same_order``,
    ``reason_categories`` (dict: category → extension orders).
    """
    rows = _check_rows(rows)
    table = orders(rows)
    ext = extensions(rows)
    overrun = ext["overrun_days"].dropna()
    first = ext["first_planned_days"]
    ratio = (ext["extended_days"] / first).where(first >= 1).dropna()
    quoted = ext["extended_order"].dropna()
    original = int((~table["is_extension"]).sum())
    recorded = None
    if "model_recorded" in table.columns:
        recorded = int((table["model_recorded"] & ~table["is_extension"]).sum())

    def median(series: pd.Series) -> float:
        return float(series.median()) if len(series) else float("nan")

    return {
        "rows": int(len(rows)),
        "orders": int(len(table)),
        "extension_rows": int(rows["is_extension"].sum()),
        "extension_orders": int(len(ext)),
        "original_orders": original,
        "share_extended": len(ext) / original if original else float("nan"),
        "orders_with_model": recorded,
        "share_extended_where_recorded": (len(ext) / recorded) if recorded else None,
        "median_overrun_days": median(overrun),
        "mean_overrun_days": float(overrun.mean()) if len(overrun) else float("nan"),
        "max_overrun_days": float(overrun.max()) if len(overrun) else float("nan"),
        "median_first_planned_days": median(first.dropna()),
        "median_extended_days": median(ext["extended_days"].dropna()),
        "median_extended_ratio": median(ratio),
        "measured_from_extended_order": int((ext["measured_from"] == "extended order").sum()),
        "measured_from_extension_start": int((ext["measured_from"] == "extension start").sum()),
        "unmeasured": int(ext["overrun_days"].isna().sum()),
        "quoting_an_order": int(len(quoted)),
        "quoted_in_file": int(ext["quoted_in_file"].sum()),
        "extensions_quoting_same_order": int(quoted.duplicated(keep=False).sum()),
        "reason_categories": {
            category: int((ext["reason_category"] == category).sum()) for category in REASON_CATEGORIES
        },
    }


def concurrent_works(rows: pd.DataFrame, freq: str = "D") -> pd.Series:
    """How many orders are in force on each day (or, with ``freq``, on an average day of each period).

    An order is in force from its own start (earliest ``order_start``) to its own end (latest
    ``order_end``), both included. The order's own dates are used rather than its areas' dates so
    that an extension does not count the period of the order it extends a second time. Orders with
    a missing date are left out (they are listed in ``problems``).

    ``freq="D"`` gives one value per calendar day (an integer count). Any other pandas frequency
    (``"W"``, ``"MS"``...) gives the mean daily count over each period.
    """
    rows = _check_rows(rows)
    grouped = rows.groupby("arretesrcid", sort=False)
    start = grouped["order_start"].min().dropna()
    end = grouped["order_end"].max().dropna()
    both = start.index.intersection(end.index)
    start, end = start[both], end[both]
    if start.empty:
        raise ValueError(_("No order has both a start and an end date: nothing to count."))
    days = pd.date_range(start.min(), max(end.max(), start.max()), freq="D")
    # +1 on the first day of each order, −1 on the day after its end; the running sum counts them
    change = np.zeros(len(days) + 1, dtype=np.int64)
    first = days.get_indexer(start)
    after = np.where(end >= start, days.get_indexer(end) + 1, first)  # an order ending before it starts never counts
    np.add.at(change, first, 1)
    np.add.at(change, after, -1)
    daily = pd.Series(np.cumsum(change)[:-1], index=days)
    daily.index.name = "date"
    daily.name = "orders_in_force"
    if freq == "D":
        return daily
    try:
        return daily.resample(freq).mean().rename("mean_orders_in_force")
    except ValueError as error:
        raise ValueError(_("freq is {freq}: give a pandas frequency such as 'D', 'W' or 'MS' ({error}).", freq=repr(freq), error=error)) from None
