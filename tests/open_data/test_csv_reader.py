"""Tests of the reader of French-style CSV files (modules/open_data/model/csv_reader.py).

First small files written here, whose content is known byte by byte, then the facts of the real
Montréal and Avignon files that the lessons rely on, then properties (with hypothesis), then every
error a learner can meet.
"""

from __future__ import annotations

import codecs
import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.common import data
from modules.open_data import model

MONTREAL = data.data_path("open_data", "montreal_comptage_velo_2012", "bikes.csv")
AVIGNON_PB = data.data_path("budgeting", "avignon_budget_participatif_2017", "84007-budgetParticipatif2017.csv")


# --- Detection, on files written here -----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "encoding", "bom"),
    [
        (codecs.BOM_UTF8 + "Commune;Budget\nAvignon;1\n".encode("utf-8"), "utf-8-sig", True),
        ("Commune;Budget\nSète;1\n".encode("utf-8"), "utf-8", False),
        ("Commune;Budget\nSète;1\n".encode("latin-1"), "latin-1", False),
        ("Commune;Budget\nL’Isle;1 €\n".encode("cp1252"), "cp1252", False),
        (b"plain ascii;1\n", "utf-8", False),
    ],
)
def test_is_the_encoding_of_a_file_detected_from_its_bytes(raw, encoding, bom):
    # "è" is one byte 0xE8 in Latin-1 and two bytes C3 A8 in UTF-8; "’" and "€" are bytes 0x92 and
    # 0x80 of Windows-1252, which Latin-1 leaves as control characters.
    assert model.detect_encoding(raw) == (encoding, bom)


def test_does_a_bom_not_end_up_in_the_first_column_name():
    frame, report = model.read_open_csv(codecs.BOM_UTF8 + "Date;Nombre\n01/02/2024;3\n".encode("utf-8"))
    assert list(frame.columns) == ["Date", "Nombre"] and report.had_bom and report.encoding == "utf-8-sig"


@pytest.mark.parametrize(("text", "separator"), [
    ("a;b;c\n1;2,5;3\n4;5;6\n", ";"),
    ("a,b,c\n1,2,3\n4,5,6\n", ","),
    ("a\tb\n1\t2\n", "\t"),
    ("a|b|c\n1|2|3\n", "|"),
    ('name;note\n"Dupont, Jean";"a; b"\n"Durand";c\n', ";"),
])
def test_is_the_separator_the_one_that_splits_the_lines_consistently(text, separator):
    # The first file has a comma inside a number (2,5): the semicolon still wins, because it splits
    # every line into three fields. In the last one, separators inside quotes do not count.
    assert model.detect_separator(text) == separator


def test_are_decimal_commas_and_spaced_thousands_read_as_numbers():
    raw = "Poste;Montant;Taux\nPersonnel;1 234,50;12,5\nÉnergie;987,25;3\n".encode("latin-1")
    frame, report = model.read_open_csv(raw)
    # 1 234,50 → 1234.5 and 12,5 → 12.5, by hand.
    assert frame["Montant"].tolist() == [1234.5, 987.25] and frame["Taux"].tolist() == [12.5, 3.0]
    assert report.decimal == "," and set(report.numeric_columns) == {"Montant", "Taux"}
    assert frame["Poste"].tolist() == ["Personnel", "Énergie"]


def test_are_dates_read_day_first_and_the_ambiguity_reported():
    frame, report = model.read_open_csv(b"Jour;N\n01/02/2024;1\n03/04/2024;2\n")
    # No day above 12: both orders are possible, so the reader takes the French one and says so.
    assert frame["Jour"].tolist() == [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-04-03")]
    assert report.date_formats == {"Jour": "%d/%m/%Y"} and report.ambiguous_dates == ("Jour",)
    assert "check it" in report.summary()
    frame, report = model.read_open_csv(b"Jour;N\n13/02/2024;1\n")
    assert frame["Jour"].iloc[0] == pd.Timestamp("2024-02-13") and report.ambiguous_dates == ()


def test_are_month_first_dates_recognised_when_a_second_part_exceeds_12():
    frame, report = model.read_open_csv(b"Day,N\n02/13/2024,1\n03/01/2024,2\n")
    assert report.date_formats == {"Day": "%m/%d/%Y"}
    assert frame["Day"].tolist() == [pd.Timestamp("2024-02-13"), pd.Timestamp("2024-03-01")]


def test_are_short_rows_padded_and_long_rows_set_aside_with_their_line():
    raw = b"a;b;c\n1;2;3\n4;5\n6;7;8;9\n10;11;12;\n"
    frame, report = model.read_open_csv(raw)
    # Line 3 is one field short (padded), line 4 has a 4th value (set aside, never dropped silently),
    # line 5 ends with an empty 4th field (a trailing separator: trimmed).
    expected = pd.DataFrame({"a": [1, 4, 10], "b": [2, 5, 11], "c": [3.0, np.nan, 12.0]})
    pd.testing.assert_frame_equal(frame, expected)
    assert report.padded_lines == (3,) and report.trimmed_lines == (5,)
    assert report.skipped_lines == (model.SkippedLine(4, report.skipped_lines[0].reason, "6;7;8;9"),)
    assert "set aside" in report.summary() and "lines 4" in report.summary()


def test_are_empty_columns_named_and_dropped_or_kept_on_request():
    raw = b"a;vide;b\n1;;2\n3;;4\n"
    frame, report = model.read_open_csv(raw)
    assert list(frame.columns) == ["a", "b"] and report.empty_columns == ("vide",)
    kept, report = model.read_open_csv(raw, drop_empty_columns=False)
    assert list(kept.columns) == ["a", "vide", "b"] and kept["vide"].isna().all()
    assert "kept, all missing" in report.summary()


def test_is_a_quoted_field_on_two_lines_read_as_one_value():
    frame, report = model.read_open_csv(b'nom;lieu\n"Jardin";"rue des\nnoces"\n"Square";place\n')
    assert frame["lieu"].tolist() == ["rue des\nnoces", "place"] and report.rows == 2


def test_are_requested_date_columns_the_only_ones_read_as_dates():
    raw = b"debut;fin\n01/02/2024;03/02/2024\n"
    frame, report = model.read_open_csv(raw, date_columns=["debut"])
    assert report.date_columns == ("debut",) and frame["fin"].tolist() == ["03/02/2024"]


# --- The real files the lessons use -------------------------------------------------------------


def test_is_montreals_file_read_with_every_quirk_reported():
    frame, report = model.read_open_csv(MONTREAL)
    assert (report.encoding, report.had_bom, report.separator) == ("latin-1", False, ";")
    assert report.rows == len(frame) == 310
    assert frame["Date"].iloc[0] == pd.Timestamp("2012-01-01") and frame["Date"].iloc[-1] == pd.Timestamp("2012-11-05")
    assert frame["Date"].is_monotonic_increasing and frame["Date"].diff().dropna().eq(pd.Timedelta(days=1)).all()
    assert report.empty_columns == ("Brébeuf (données non disponibles)", "St-Urbain (données non disponibles)")
    assert len(report.padded_lines) == 295 and report.skipped_lines == ()
    assert list(frame.columns)[1:] == ["Berri 1", "Côte-Sainte-Catherine", "Maisonneuve 1", "Maisonneuve 2",
                                       "du Parc", "Pierre-Dupuy", "Rachel1"]
    # The first data line, by hand: 01/01/2012;35;;0;38;51;26;10;16;
    assert frame.iloc[0, 1:].tolist() == [35, 0, 38, 51, 26, 10, 16]


def test_is_avignons_participatory_budget_read_with_its_multi_line_fields():
    frame, report = model.read_open_csv(AVIGNON_PB)
    naive = pd.read_csv(AVIGNON_PB, sep=";")
    assert report.encoding == "utf-8" and report.rows == len(naive) == 33
    assert len(report.empty_columns) == 8 and report.skipped_lines == ()
    assert frame["projet_cout"].isna().sum() == 1


# --- Properties -------------------------------------------------------------------------------


words = st.text(alphabet=st.sampled_from("abcdeéèàç ABC-'"), min_size=1, max_size=12).filter(
    lambda text: text.strip() != "" and text == text.strip())


@st.composite
def clean_tables(draw):
    rows = draw(st.integers(min_value=1, max_value=8))
    columns = {}
    columns["name"] = draw(st.lists(words, min_size=rows, max_size=rows))
    columns["count"] = draw(st.lists(st.integers(min_value=-10**6, max_value=10**6), min_size=rows, max_size=rows))
    columns["rate"] = draw(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3) + 0.5),
                                    min_size=rows, max_size=rows))
    start = draw(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2030, 1, 1)))
    columns["day"] = [pd.Timestamp(start) + pd.Timedelta(days=i) for i in range(rows)]
    return pd.DataFrame(columns)


@settings(max_examples=60, deadline=None)
@given(clean_tables())
def test_does_reading_a_clean_file_then_writing_it_give_it_back_unchanged(table):
    text = model.write_clean_csv(table)
    frame, report = model.read_open_csv(text.encode("utf-8"))
    pd.testing.assert_frame_equal(frame, table, check_dtype=False)
    assert frame["count"].dtype == np.int64 and frame["rate"].dtype == np.float64
    assert model.write_clean_csv(frame) == text
    assert report.padded_lines == report.skipped_lines == () and report.encoding == "utf-8"


@settings(max_examples=40, deadline=None)
@given(clean_tables(), st.sampled_from(["utf-8", "latin-1"]), st.booleans())
def test_does_the_encoding_never_change_the_table_read(table, encoding, bom):
    text = model.write_clean_csv(table).replace(",", ";")
    if table["name"].str.contains(";").any():
        return
    raw = (codecs.BOM_UTF8 if bom and encoding == "utf-8" else b"") + text.encode(encoding)
    frame, _report = model.read_open_csv(raw)
    assert frame["name"].tolist() == table["name"].tolist()


# --- Errors a learner can meet ----------------------------------------------------------------


@pytest.mark.parametrize(("raw", "words"), [
    (b"", "empty"),
    (b"\n\n  \n", "empty"),
    (b"PK\x03\x04\x00\x00binary", "binary file"),
    (b"one column only\nvalue\n", "No separator"),
    (b"a;a\n1;2\n", "names some columns twice"),
])
def test_does_an_unreadable_file_get_a_message_that_says_what_to_do(raw, words):
    with pytest.raises(model.UnreadableFileError, match=words):
        model.read_open_csv(raw)


def test_does_a_missing_file_or_column_get_a_clear_message(tmp_path):
    with pytest.raises(FileNotFoundError, match="check the path"):
        model.read_open_csv(tmp_path / "absent.csv")
    with pytest.raises(model.UnreadableFileError, match="Its columns are: a, b"):
        model.read_open_csv(b"a;b\n1;2\n", date_columns=["date"])
    with pytest.raises(model.UnreadableFileError, match="does not hold dates"):
        model.read_open_csv(b"a;b\n1;2\n", date_columns=["a"])
