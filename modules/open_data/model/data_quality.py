"""A data-quality report for a table read from an open-data file: what a publisher should check first.

Four problems account for most of the complaints of reusers: missing values, columns whose type is
not what their name promises, duplicated rows, and categories spelled in several ways ("intra" and
"Intra"), which split one category into two in every count and map. :func:`quality_report`
finds them and says so in plain words. Spellings are compared with one rule, :data:`FOLD_RULE`,
implemented by :func:`fold`; the lessons, the exercise and its feedback print that same rule.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from modules.common.i18n import N_, translator

from .wording import count, percent

_ = translator(__name__)

#: The rule that decides when two spellings name the same category, printed wherever it is used
#: (in English; :func:`fold_rule` gives it in the learner's language).
FOLD_RULE = N_(
    "Two spellings name the same category when their keys are equal. The key of a spelling is made by "
    "(1) removing the accents, (2) writing it in lower case, (3) turning hyphens, underscores and "
    "apostrophes into spaces, and (4) keeping single spaces between words and none at either end: "
    "\"Nord-Rocade \", \"nord rocade\" and \"NORD_ROCADE\" all have the key \"nord rocade\"."
)
#: The name shown for each column type of :class:`QualityReport` (the keys stay in the table).
TYPE_NAMES = {"number": N_("number"), "date": N_("date"), "text": N_("text"), "empty": N_("empty")}


def fold_rule() -> str:
    """:data:`FOLD_RULE` in the learner's language."""
    return _(FOLD_RULE)

_SPACED_MARKS = "-_'’"


def fold(text: str) -> str:
    """Return the key of a spelling, by :data:`FOLD_RULE`: ``"  Nord-Rocade "`` gives ``"nord rocade"``."""
    if not isinstance(text, str):
        raise TypeError(_("fold expects a text; it received {value} ({type}).", value=repr(text), type=type(text).__name__))
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(character for character in decomposed if not unicodedata.combining(character)).lower()
    for mark in _SPACED_MARKS:
        plain = plain.replace(mark, " ")
    return " ".join(plain.split())


def category_variants(values: pd.Series) -> dict[str, tuple[str, ...]]:
    """Return the keys that more than one raw spelling of ``values`` shares, with those spellings sorted.

    Missing values are left out. ``pd.Series(["intra", "Intra", "Nord"])`` gives
    ``{"intra": ("Intra", "intra")}``.
    """
    spellings: dict[str, set[str]] = {}
    for value in values.dropna():
        spellings.setdefault(fold(str(value)), set()).add(str(value))
    return {key: tuple(sorted(found)) for key, found in sorted(spellings.items()) if len(found) > 1}


def normalise_categories(values: pd.Series, canonical: Mapping[str, str] | None = None) -> pd.Series:
    """Give every spelling of a category one name; missing values stay missing.

    canonical : the official name of each key (``{"intra": "Intra-muros", ...}``). A value whose key
        is not in it raises ``ValueError``, so that an unexpected spelling stops the count instead
        of vanishing from it. Without it, each key takes its most frequent raw spelling, ties going
        to the first in alphabetical order.
    """
    present = values.dropna().astype(str)
    keys = present.map(fold)
    if canonical is not None:
        unknown = sorted({raw for raw, key in zip(present, keys) if key not in canonical})
        if unknown:
            raise ValueError(_(
                "Unknown categories: {unknown}. Known keys: {keys}. "
                "Add the new spelling's key to the list of categories if it is a real category.",
                unknown=", ".join(map(repr, unknown)), keys=", ".join(sorted(canonical)),
            ))
        names = dict(canonical)
    else:
        names = {}
        for key, group in present.groupby(keys):
            counts = group.value_counts()
            top = counts.max()
            names[key] = sorted(counts.index[counts == top])[0]
    result = values.astype(object).copy()
    result.loc[present.index] = [names[key] for key in keys]
    return result


@dataclass(frozen=True)
class QualityReport:
    """The quality of a table, column by column and as a whole.

    columns : one row per column: ``type`` (number, date, text or empty), ``missing`` (count),
        ``missing_pct`` (share of rows, %), ``distinct`` (distinct present values) and ``example``
    rows : number of rows
    duplicate_rows : rows identical to an earlier row in every column
    key : the column that should identify each row, if one was given
    duplicate_keys : rows whose key repeats an earlier row's key (0 when no key was given)
    inconsistent : for each text column with few distinct values, the keys spelled in several ways
    """

    columns: pd.DataFrame
    rows: int
    duplicate_rows: int
    key: str | None
    duplicate_keys: int
    inconsistent: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def problems(self) -> list[str]:
        """The problems found, one plain sentence each (in the learner's language); an empty list when none was found."""
        found = []
        for name, row in self.columns.iterrows():
            if row["type"] == "empty":
                found.append(_("Column {column} holds no value at all: say in the documentation that it is not collected.",
                               column=repr(name)))
            elif row["missing"]:
                found.append(_(
                    "Column {column} is missing {missing} of {rows} values ({share}): "
                    "say whether a blank means zero, unknown or not applicable.",
                    column=repr(name), missing=count(row["missing"]), rows=count(self.rows), share=percent(row["missing_pct"], 0),
                ))
        if self.duplicate_rows:
            found.append(_("{count} rows repeat an earlier row exactly: remove them or explain why.", count=count(self.duplicate_rows)))
        if self.duplicate_keys:
            found.append(_("{count} rows repeat the key {key} of an earlier row: each row should have its own.",
                           count=count(self.duplicate_keys), key=repr(self.key)))
        for column, variants in self.inconsistent.items():
            spelled = "; ".join(" / ".join(map(repr, spellings)) for spellings in variants.values())
            found.append(_("Column {column} spells {count} categories in several ways: {spellings}.",
                           column=repr(column), count=count(len(variants)), spellings=spelled))
        return found


def _column_type(values: pd.Series) -> str:
    if values.isna().all():
        return "empty"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    if pd.api.types.is_numeric_dtype(values):
        return "number"
    return "text"


def quality_report(frame: pd.DataFrame, *, key: str | None = None, max_categories: int = 50) -> QualityReport:
    """Check ``frame`` for missing values, types, duplicates and inconsistent categories.

    key : a column that should identify each row (such as ``"id"``); its repeats are counted
    max_categories : text columns with at most this many distinct values, and at most one distinct
        value for every two rows (a name or an address is not a category), are treated as
        categories and checked for spellings that differ only by :data:`FOLD_RULE`
    """
    if key is not None and key not in frame.columns:
        raise ValueError(_("No column {key} to use as the key. The columns are: {columns}.",
                           key=repr(key), columns=", ".join(map(str, frame.columns))))
    rows = len(frame)
    summary = []
    inconsistent = {}
    for name in frame.columns:
        values = frame[name]
        present = values.dropna()
        kind = _column_type(values)
        summary.append({
            "column": name,
            "type": kind,
            "missing": int(values.isna().sum()),
            "missing_pct": round(100 * values.isna().mean(), 1) if rows else 0.0,
            "distinct": int(present.nunique()),
            "example": present.iloc[0] if len(present) else None,
        })
        if kind == "text" and present.nunique() <= min(max_categories, len(present) / 2):
            variants = category_variants(present)
            if variants:
                inconsistent[name] = variants
    columns = pd.DataFrame(summary).set_index("column") if summary else pd.DataFrame(
        columns=["type", "missing", "missing_pct", "distinct", "example"])
    return QualityReport(
        columns=columns,
        rows=rows,
        duplicate_rows=int(frame.duplicated().sum()),
        key=key,
        duplicate_keys=int(frame[key].duplicated().sum()) if key is not None else 0,
        inconsistent=inconsistent,
    )
