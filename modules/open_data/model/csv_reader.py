"""Read a French-style open-data CSV file, and report everything that was detected or changed.

Municipal CSV files are rarely what ``pandas.read_csv`` expects by default: they are often encoded
in Latin-1 or Windows-1252 rather than UTF-8, sometimes start with a byte order mark (BOM), separate
their columns with semicolons (the comma is the French decimal mark), write numbers as ``12,5`` or
``1 234,5``, dates day first (``02/01/2012`` is 2 January), and hold rows with fewer or more fields
than the header. A naive read fails, or worse, succeeds with garbled names, a single column or
swapped days and months.

:func:`read_open_csv` detects each of these, converts numbers and dates, and returns a
:class:`ReadReport` that says what it found. Nothing is dropped silently: a row with too many
fields is set aside and listed with its line number and text, a short row is padded and listed, and
an empty column that is dropped is named. :func:`write_clean_csv` writes the table back in a plain
form (UTF-8, comma, decimal point, ISO dates) that any tool reads without options.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd

from modules.common.i18n import N_, translator

from .wording import count

_ = translator(__name__)

#: Separators tried, in this order when two fit equally well.
SEPARATORS = (";", ",", "\t", "|")
#: Lines looked at to choose the separator.
SNIFF_LINES = 50

#: Names shown for each separator and encoding (in English, marked with ``N_``; translated where shown).
_SEPARATOR_NAMES = {";": N_("semicolon (;)"), ",": N_("comma (,)"), "\t": N_("tab"), "|": N_("vertical bar (|)")}
_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": N_("UTF-8 with a byte order mark (BOM)"),
    "cp1252": N_("Windows-1252 (Western European)"),
    "latin-1": "Latin-1 (ISO-8859-1)",
}
_DOT_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DOT_DECIMAL = re.compile(r"\.\d*$|^[+-]?\.\d+|[eE]")
_COMMA_NUMBER = re.compile(r"^[+-]?\d{1,3}([ .\u00a0\u202f]\d{3})*(,\d+)?$|^[+-]?\d+(,\d+)?$")
_DATE_PATTERNS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$"), "%Y-%m-%d %H:%M:%S"),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"), "%d/%m/%Y"),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}(:\d{2})?$"), "%d/%m/%Y %H:%M"),
)


class UnreadableFileError(ValueError):
    """The file cannot be read as a table: empty, not text, or without a consistent separator."""


@dataclass(frozen=True)
class SkippedLine:
    """A row that was set aside because it has more fields than the header.

    line : line number in the file, counted from 1 (the header is usually line 1)
    reason : why it was set aside, in plain words
    text : the row as it stands in the file, so that someone can repair it by hand
    """

    line: int
    reason: str
    text: str


@dataclass(frozen=True)
class ReadReport:
    """What :func:`read_open_csv` detected in a file, and every change it made to the rows.

    encoding : the Python codec used: ``"utf-8"``, ``"utf-8-sig"`` (UTF-8 after a BOM),
        ``"cp1252"`` or ``"latin-1"``
    had_bom : the file started with the UTF-8 byte order mark (3 bytes, skipped)
    separator : the column separator
    decimal : the decimal mark of the numeric columns, ``","`` or ``"."``
    date_formats : for each column read as dates, its format (``"%d/%m/%Y"`` is day first)
    ambiguous_dates : the date columns in which no value tells day and month apart (all days ≤ 12):
        they were read day first, the French convention, and a reader should check
    numeric_columns : the columns converted to numbers
    rows : the number of data rows in the table returned
    padded_lines : line numbers of the rows that had fewer fields than the header; their missing
        fields are missing values (NaN)
    trimmed_lines : line numbers of the rows whose extra fields were all empty (a trailing
        separator); the empty fields were dropped, nothing else changed
    skipped_lines : the rows set aside because they had more fields than the header, with text
    blank_lines : line numbers of empty lines, which hold no data
    empty_columns : the columns that hold no value at all; dropped unless asked to keep them
    """

    encoding: str
    had_bom: bool
    separator: str
    decimal: str
    date_formats: dict[str, str]
    ambiguous_dates: tuple[str, ...]
    numeric_columns: tuple[str, ...]
    rows: int
    padded_lines: tuple[int, ...]
    trimmed_lines: tuple[int, ...]
    skipped_lines: tuple[SkippedLine, ...]
    blank_lines: tuple[int, ...]
    empty_columns: tuple[str, ...]
    empty_columns_dropped: bool

    @property
    def date_columns(self) -> tuple[str, ...]:
        """The columns read as dates, in the order of the file."""
        return tuple(self.date_formats)

    def summary(self) -> str:
        """The report in plain words (in the learner's language), one finding per line."""
        lines = [
            _("Encoding: {encoding}.", encoding=_(_ENCODING_NAMES[self.encoding])),
            _("Separator: {separator}.", separator=_(_SEPARATOR_NAMES[self.separator])),
            _("Rows of data: {rows}.", rows=count(self.rows)),
        ]
        if self.numeric_columns:
            mark = _("a decimal comma (12,5)") if self.decimal == "," else _("a decimal point (12.5)")
            lines.append(_("Numbers, with {mark}: {columns}.", mark=mark, columns=", ".join(self.numeric_columns)))
        for column, fmt in self.date_formats.items():
            order = _date_order(fmt)
            note = _(" (no day above 12: read day first, the French convention; check it)") if column in self.ambiguous_dates else ""
            lines.append(_("Dates in {column}: {format}, {order}{note}.", column=repr(column), format=fmt, order=order, note=note))
        if self.padded_lines:
            lines.append(_(
                "{count} rows had fewer fields than the header and were padded with missing values (lines {lines}).",
                count=count(len(self.padded_lines)), lines=_line_list(self.padded_lines),
            ))
        if self.trimmed_lines:
            lines.append(_(
                "{count} rows ended with extra empty fields, which were dropped (lines {lines}).",
                count=count(len(self.trimmed_lines)), lines=_line_list(self.trimmed_lines),
            ))
        if self.skipped_lines:
            lines.append(_(
                "{count} rows had more fields than the header and were set aside, not read: lines {lines}. "
                "See report.skipped_lines for their text.",
                count=count(len(self.skipped_lines)), lines=_line_list([s.line for s in self.skipped_lines]),
            ))
        if self.blank_lines:
            lines.append(_("{count} blank lines held no data (lines {lines}).",
                           count=count(len(self.blank_lines)), lines=_line_list(self.blank_lines)))
        if self.empty_columns:
            fate = _("dropped") if self.empty_columns_dropped else _("kept, all missing")
            lines.append(_("Columns without any value ({fate}): {columns}.", fate=fate, columns=", ".join(self.empty_columns)))
        return "\n".join(lines)


def _date_order(fmt: str) -> str:
    """The order of a date format in words: day first, year first or month first."""
    if fmt.startswith("%d"):
        return _("day first")
    return _("year first") if fmt.startswith("%Y") else _("month first")


def _line_list(numbers: Sequence[int], shown: int = 8) -> str:
    listed = ", ".join(str(n) for n in list(numbers)[:shown])
    if len(numbers) > shown:
        return _("{listed} and {more} more", listed=listed, more=count(len(numbers) - shown))
    return listed


def _raw_bytes(source: str | os.PathLike | bytes) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(_("No file at {path}: check the path, or give the file's bytes instead.", path=repr(str(path))))
    return path.read_bytes()


def detect_encoding(raw: bytes) -> tuple[str, bool]:
    """Return the codec to decode ``raw`` with, and whether it starts with a UTF-8 BOM.

    A BOM means UTF-8 (``"utf-8-sig"`` skips it). Otherwise bytes that are valid UTF-8 are UTF-8;
    the rest is Windows-1252 when it uses that code page's extra characters (bytes 0x80–0x9F, such
    as the curly apostrophe or the euro sign) and Latin-1 when it does not. Latin-1 decodes any
    bytes, so it is the last resort: a reader should look at the accents of the result.
    """
    if raw[: len(codecs.BOM_UTF8)] == codecs.BOM_UTF8:
        return "utf-8-sig", True
    if _decodes(raw, "utf-8"):
        return "utf-8", False
    if any(0x80 <= byte <= 0x9F for byte in raw) and _decodes(raw, "cp1252"):
        return "cp1252", False
    return "latin-1", False


def _decodes(raw: bytes, codec: str) -> bool:
    """True when every byte sequence of ``raw`` is valid in ``codec``."""
    try:
        raw.decode(codec)
    except (UnicodeDecodeError, LookupError):  # not valid in that codec, or no such codec
        return False
    return True


def _decode(raw: bytes) -> tuple[str, str, bool]:
    if not raw.strip():
        raise UnreadableFileError(_("The file is empty: there is no header and no row to read."))
    if b"\x00" in raw[:4096]:
        raise UnreadableFileError(_(
            "The file holds NUL bytes: it is a binary file (a spreadsheet, a zip, or UTF-16 text), not a CSV "
            "file. Export it as CSV from the program that made it."
        ))
    encoding, had_bom = detect_encoding(raw)
    return raw.decode(encoding), encoding, had_bom


def detect_separator(text: str) -> str:
    """Return the separator that splits the first lines of ``text`` into the most consistent columns.

    Each candidate of :data:`SEPARATORS` splits the first :data:`SNIFF_LINES` lines (quoted fields
    are respected); the one whose rows most often have as many fields as the header wins, then the
    one with more columns. Raises :class:`UnreadableFileError` when none gives more than one column.
    """
    best, best_score = None, (0.0, 1)
    for separator in SEPARATORS:
        rows = [row for row in _rows(text, separator, SNIFF_LINES) if row[1]]
        if not rows:
            continue
        width = len(rows[0][1])
        if width < 2:
            continue
        agreeing = sum(1 for _, row in rows[1:] if abs(len(row) - width) <= 1) / max(len(rows) - 1, 1)
        score = (agreeing, width)
        if score > best_score:
            best, best_score = separator, score
    if best is None:
        raise UnreadableFileError(_(
            "No separator splits the lines of this file into columns (tried ; , tab and |). Open it in a text "
            "editor: if it is a single column, there is nothing to split; otherwise tell the reader which "
            "separator the file uses."
        ))
    return best


def _rows(text: str, separator: str, limit: int | None = None):
    """Yield (first line number, fields) for each record; a quoted field may span several lines."""
    reader = csv.reader(io.StringIO(text), delimiter=separator, quotechar='"')
    start = 1
    for index, row in enumerate(reader):
        if limit is not None and index >= limit:
            return
        yield start, row
        start = reader.line_num + 1


def _is_missing(value: str) -> bool:
    return value.strip() == ""


def _comma_number(value: str) -> float:
    cleaned = value.strip()
    for mark in (" ", "\u00a0", "\u202f"):
        cleaned = cleaned.replace(mark, "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")
    return float(cleaned)


def _numeric(values: list[str]) -> tuple[str, pd.Series] | None:
    """Return (decimal mark, numbers) when every present value of a column is a number."""
    present = [v.strip() for v in values if not _is_missing(v)]
    if not present:
        return None
    if all(_DOT_NUMBER.match(v) for v in present):
        decimal = "."
        numbers = [float(v) if not _is_missing(v) else float("nan") for v in values]
        integral = not any(_DOT_DECIMAL.search(v) for v in present)
    elif all(_COMMA_NUMBER.match(v) for v in present):
        decimal = ","
        numbers = [_comma_number(v) if not _is_missing(v) else float("nan") for v in values]
        integral = not any("," in v for v in present)
    else:
        return None
    series = pd.Series(numbers, dtype="float64")
    if integral and len(present) == len(values):
        series = series.astype("int64")
    return decimal, series


def _dates(values: list[str]) -> tuple[str, bool, pd.Series] | None:
    """Return (format, ambiguous, dates) when every present value of a column is a date of one format."""
    present = [v.strip() for v in values if not _is_missing(v)]
    if not present:
        return None
    for pattern, fmt in _DATE_PATTERNS:
        if all(pattern.match(v) for v in present):
            break
    else:
        return None
    ambiguous = False
    if fmt.startswith("%d/%m"):
        first = [int(v.split("/")[0]) for v in present]
        second = [int(v.split("/")[1]) for v in present]
        if fmt.endswith("%H:%M") and any(v.count(":") == 2 for v in present):
            fmt = "%d/%m/%Y %H:%M:%S"
        if max(second) > 12 >= max(first):
            fmt = fmt.replace("%d/%m", "%m/%d")
        elif max(first) <= 12 and max(second) <= 12:
            ambiguous = True
    try:
        parsed = pd.to_datetime(pd.Series([v.strip() if not _is_missing(v) else None for v in values]), format=fmt)
    except (ValueError, TypeError):
        return None
    return fmt, ambiguous, parsed


def read_open_csv(
    source: str | os.PathLike | bytes,
    *,
    drop_empty_columns: bool = True,
    date_columns: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, ReadReport]:
    """Read a CSV file the way a careful reuser would, and report what was detected.

    source : a path, or the file's bytes
    drop_empty_columns : drop the columns that hold no value at all (they are named in the report)
    date_columns : the columns to read as dates; by default every column whose values all look like
        dates of one format (``dd/mm/yyyy``, ``yyyy-mm-dd``, with or without a time)

    Returns the table (one row per record of the file, in the file's order, with a plain
    ``RangeIndex``; numbers as int64 or float64, dates as datetime64, text as strings, a missing
    value as NaN or NaT) and a :class:`ReadReport`. Raises :class:`UnreadableFileError` for an
    empty or binary file, one without a separator, or a requested date column that does not exist
    or does not hold dates.
    """
    text, encoding, had_bom = _decode(_raw_bytes(source))
    separator = detect_separator(text)
    records = list(_rows(text, separator))
    blank = tuple(line for line, row in records if not row or all(_is_missing(v) for v in row))
    records = [(line, row) for line, row in records if row and not all(_is_missing(v) for v in row)]
    if not records:
        raise UnreadableFileError(_("The file holds only blank lines: there is no header to read."))
    header_line, header = records[0]
    header = [name.strip() for name in header]
    while header and header[-1] == "" and len(header) > 1:
        header.pop()  # a trailing separator after the last column name
    unnamed = [i for i, name in enumerate(header) if name == ""]
    for i in unnamed:
        header[i] = f"column {i + 1}"
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise UnreadableFileError(_(
            "The header names some columns twice ({columns}): rename them in the file so that each column has its own name.",
            columns=", ".join(duplicates),
        ))
    width = len(header)
    rows, padded, trimmed, skipped = [], [], [], []
    for line, row in records[1:]:
        if len(row) > width:
            if all(_is_missing(v) for v in row[width:]):
                row = row[:width]
                trimmed.append(line)
            else:
                skipped.append(SkippedLine(
                    line, _("{fields} fields where the header has {width}: a separator inside a value, or a shifted row",
                            fields=len(row), width=width),
                    separator.join(row),
                ))
                continue
        elif len(row) < width:
            row = row + [""] * (width - len(row))
            padded.append(line)
        rows.append(row)

    columns = {name: [row[i] for row in rows] for i, name in enumerate(header)}
    wanted_dates = None if date_columns is None else list(date_columns)
    if wanted_dates is not None:
        unknown = [name for name in wanted_dates if name not in columns]
        if unknown:
            raise UnreadableFileError(_(
                "No column named {unknown} in this file. Its columns are: {columns}.",
                unknown=", ".join(map(repr, unknown)), columns=", ".join(header),
            ))
    table, date_formats, ambiguous, numeric, decimals, empty = {}, {}, [], [], set(), []
    for name, values in columns.items():
        if all(_is_missing(v) for v in values):
            empty.append(name)
            if drop_empty_columns:
                continue
            table[name] = pd.Series([float("nan")] * len(values), dtype="float64")
            continue
        if wanted_dates is None or name in wanted_dates:
            found = _dates(values)
            if found is not None:
                fmt, unsure, parsed = found
                table[name], date_formats[name] = parsed, fmt
                if unsure:
                    ambiguous.append(name)
                continue
            if wanted_dates is not None:
                raise UnreadableFileError(_(
                    "The column {column} does not hold dates of one format (dd/mm/yyyy or yyyy-mm-dd): for example {example}.",
                    column=repr(name), example=repr(next(v for v in values if not _is_missing(v))),
                ))
        found = _numeric(values)
        if found is not None:
            decimal, numbers = found
            table[name] = numbers
            numeric.append(name)
            if decimal == "," and any("," in v for v in values):
                decimals.add(",")
            continue
        table[name] = pd.Series([v if not _is_missing(v) else None for v in values], dtype="object")
    frame = pd.DataFrame(table, index=pd.RangeIndex(len(rows)))
    report = ReadReport(
        encoding=encoding,
        had_bom=had_bom,
        separator=separator,
        decimal="," if "," in decimals else ".",
        date_formats=date_formats,
        ambiguous_dates=tuple(ambiguous),
        numeric_columns=tuple(numeric),
        rows=len(frame),
        padded_lines=tuple(padded),
        trimmed_lines=tuple(trimmed),
        skipped_lines=tuple(skipped),
        blank_lines=blank,
        empty_columns=tuple(empty),
        empty_columns_dropped=drop_empty_columns,
    )
    return frame, report


def write_clean_csv(frame: pd.DataFrame, target: str | os.PathLike | io.TextIOBase | None = None) -> str | None:
    """Write ``frame`` as a plain CSV file: UTF-8 without a BOM, comma, decimal point, ISO dates.

    The index is not written: make a column of it first if it holds data. Missing values are empty
    fields. Returns the text when ``target`` is None; otherwise writes it there (a path or an open
    text file) and returns None. Reading the result with :func:`read_open_csv` gives the same table
    back.
    """
    text = frame.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n")
    if target is None:
        return text
    if isinstance(target, io.TextIOBase):
        target.write(text)
    else:
        Path(target).write_text(text, encoding="utf-8")
    return None
