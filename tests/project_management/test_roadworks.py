"""Tests of the reader of Avignon's roadworks orders (modules/project_management/model/roadworks.py).

First the real file: its counts (as its README states them), the parsing of real extension rows,
and the figures the lessons print. Then a corrupted copy, to check that every value that cannot be
parsed lands in ``problems`` and that no row is dropped. Then small tables built by hand, where
every overrun and count is computed in a comment, and the validation errors.
"""

from __future__ import annotations

import pandas as pd
import pytest

from modules.common import data
from modules.project_management import model

T = pd.Timestamp


@pytest.fixture(scope="module")
def real():
    return model.read_orders()


# --- The real file ----------------------------------------------------------------------------------


def test_does_the_reader_find_the_rows_orders_and_extensions_the_readme_states(real):
    assert len(real.rows) == 1_274
    assert real.rows["arretesrcid"].nunique() == 976
    assert real.rows["is_extension"].sum() == 82
    assert real.rows.loc[real.rows["is_extension"], "arretesrcid"].nunique() == 59
    assert real.rows["emprisetype"].value_counts().to_dict() == {"CIRCULATION": 858, "STATIONNEMENT": 253, "DEVIATION": 163}


def test_does_the_real_file_parse_without_any_problem(real):
    assert list(real.problems.columns) == ["row", "arretesrcid", "column", "value", "why"]
    assert real.problems.empty
    for column in ("order_start", "order_end", "site_start", "site_end"):
        assert real.rows[column].notna().all()
        assert (real.rows[column] == real.rows[column].dt.normalize()).all()  # dates, no time
    # the orders start between January 2019 and March 2022
    assert real.rows["order_start"].min() == T("2019-01-14")
    assert real.rows["order_start"].max() == T("2022-03-07")


def test_is_the_first_column_read_without_the_byte_order_mark(real):
    assert real.rows["arretesrcid"].iloc[0] == "20-AT-0373"
    assert real.rows.loc[0, "order_start"] == T("2020-04-20") and real.rows.loc[0, "site_end"] == T("2020-04-24")


def test_is_the_extension_21_AT_0404_parsed_from_its_free_text(real):
    # parametresarrete: "... Motif de prorogation de l'arrêté : les travaux ne pourront être terminés à la
    # date initialement prévue par l'arrêté 20-AT-0358 ; Nouvelle date de fin de l'arrêté : 30/04/2021 ..."
    rows = real.rows[real.rows["arretesrcid"] == "21-AT-0404"]
    assert len(rows) == 3 and rows["is_extension"].all()
    row = rows.iloc[0]
    assert row["extended_order"] == "20-AT-0358"
    assert row["new_end"] == T("2021-04-30")
    assert row["reason"] == "les travaux ne pourront être terminés à la date initialement prévue par l'arrêté 20-AT-0358"
    assert row["reason_category"] == "works not finished"
    assert row["order_start"] == T("2021-04-20") and row["site_start"] == T("2021-04-06")


def test_are_order_numbers_written_in_other_ways_normalised(real):
    rows = real.rows.drop_duplicates("arretesrcid").set_index("arretesrcid")
    assert rows.loc["21-AT-1340", "extended_order"] == "21-AT-1212"  # "l'arrêté n°21-AT-1212"
    assert rows.loc["21-AT-1265", "extended_order"] == "20-AT-1210"  # "l'arrêté 20-at 1210"
    assert rows.loc["21-AT-0886", "extended_order"] == "21-AT-0803"  # "21-at-0803"
    assert rows.loc["21-AT-1273", "extended_order"] == "21-AT-1241"  # "l'arrêté N° 21-AT-1241"
    assert rows.loc["21-AT-0459", "extended_order"] == "21-AT-0396"  # "21-AT-0396; ;"
    assert rows.loc["21-AT-0459", "reason"].endswith("par l'arrêté 21-AT-0396")  # stray ";" removed
    assert rows.loc["21-AT-0449", "extended_order"] is None  # "pour cause d'intempérie": no number
    assert rows.loc["21-AT-0449", "reason_category"] == "weather"


def test_is_the_order_starting_at_1_am_on_the_night_clocks_went_back_read_as_a_date(real):
    rows = real.rows[real.rows["arretesrcid"] == "21-AT-1265"]
    assert (rows["order_start"] == T("2021-10-31")).all()  # written 20211031010000


def test_is_the_overrun_of_21_AT_0404_measured_from_the_day_before_the_extension(real):
    # 20-AT-0358 is not in the file, so the first planned end is the day before the extension starts:
    # 20/04/2021 − 1 day = 19/04/2021; new end 30/04/2021 → overrun 11 days. Areas start 06/04/2021:
    # first planned 06/04 → 19/04 = 14 days, extended 06/04 → 30/04 = 25 days (both ends included).
    row = real.extensions().loc["21-AT-0404"]
    assert row["extended_order"] == "20-AT-0358" and not row["quoted_in_file"]
    assert row["first_planned_end"] == T("2021-04-19") and row["new_end"] == T("2021-04-30")
    assert row["overrun_days"] == 11
    assert row["first_planned_days"] == 14 and row["extended_days"] == 25
    assert row["measured_from"] == "extension start"


def test_are_quoted_orders_of_another_year_not_taken_as_the_extended_one(real):
    # 21-AT-0550 quotes 20-AT-0425, which is in the file but ended on 09/05/2020, a year before the
    # extension's areas start (28/04/2021): another order with the same number, so not used.
    ext = real.extensions()
    assert ext["quoted_in_file"].sum() == 2
    row = ext.loc["21-AT-0550"]
    assert row["extended_order"] == "20-AT-0425" and row["quoted_in_file"]
    assert row["measured_from"] == "extension start" and row["overrun_days"] == 8  # 21/05 − 13/05
    assert (ext["measured_from"] == "extension start").all()


def test_are_the_real_figures_of_the_lessons_those_of_the_file(real):
    summary = model.extension_summary(real.rows)
    assert summary["rows"] == 1_274 and summary["orders"] == 976
    assert summary["extension_rows"] == 82 and summary["extension_orders"] == 59
    assert summary["original_orders"] == 917
    assert summary["share_extended"] == pytest.approx(59 / 917)  # 6.4 %
    assert summary["median_overrun_days"] == 12
    assert summary["max_overrun_days"] == 213  # 21-AT-1475, a "RENOUVELLEMENT D'AUTORISATION"
    assert summary["measured_from_extended_order"] == 0 and summary["measured_from_extension_start"] == 59
    assert summary["unmeasured"] == 0
    assert summary["quoting_an_order"] == 39 and summary["quoted_in_file"] == 2
    assert summary["extensions_quoting_same_order"] == 0
    assert summary["reason_categories"] == {"weather": 3, "late start": 4, "works not finished": 49, "other": 3}
    assert summary["median_first_planned_days"] == 11 and summary["median_extended_days"] == 25
    assert summary == real.summary()


def test_does_every_extension_have_its_new_end_equal_to_its_order_end(real):
    ext = real.rows[real.rows["is_extension"]]
    assert (ext["new_end"] == ext["order_end"]).all()
    assert ext["reason"].notna().all()


def test_are_orders_one_row_each_with_their_planned_duration(real):
    table = real.orders()
    assert len(table) == 976 and table.index.is_unique
    # 20-AT-0373: 20/04/2020 → 24/04/2020, 5 calendar days; 20-AT-0349: 09/04 → 09/04, 1 day
    assert table.loc["20-AT-0373", "planned_days"] == 5
    assert table.loc["20-AT-0349", "planned_days"] == 1
    assert table.loc["21-AT-0404", "areas"] == 3
    assert table.loc["21-AT-0404", ["planned_start", "planned_end"]].tolist() == [T("2021-04-06"), T("2021-04-30")]
    assert (table["planned_days"] >= 1).all()


def test_does_concurrent_works_count_the_orders_in_force_each_day(real):
    daily = model.concurrent_works(real.rows)
    assert daily.index.is_monotonic_increasing and (daily >= 0).all()
    # recount one day by brute force: orders whose own period covers 27 November 2020
    table = real.orders()
    day = T("2020-11-27")
    assert daily[day] == ((table["order_start"] <= day) & (table["order_end"] >= day)).sum() == daily.max() == 38
    monthly = model.concurrent_works(real.rows, "MS")
    assert monthly[T("2020-11-01")] == pytest.approx(daily["2020-11"].mean())


# --- A corrupted copy: what cannot be parsed is reported, nothing is dropped ------------------------


@pytest.fixture
def corrupted(tmp_path):
    raw = pd.read_csv(
        data.data_path(model.SLUG, model.ROADWORKS, model.ROADWORKS_FILE),
        sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False,
    )
    raw.loc[0, "arretedebut"] = "2020-04-20"  # ISO instead of YYYYMMDDhhmmss
    raw.loc[1, "emprisefin"] = "31/04/2021"  # the wrong format (and no such day)
    raw.loc[2, "arretefin"] = ""  # missing
    raw.loc[3, "latitude"] = "quarante-trois"
    raw.loc[4, "arretefin"] = "20190101000000"  # before its start (20/04/2020)
    text = raw.loc[6, "parametresarrete"]  # an extension row of 21-AT-0404
    raw.loc[6, "parametresarrete"] = text.replace("Nouvelle date de fin de l'arrêté : 30/04/2021 00:00:00 ; ", "")
    text = raw.loc[11, "parametresarrete"]  # the extension 21-AT-0449
    raw.loc[11, "parametresarrete"] = text.replace("07/05/2021", "32/13/2021")
    path = tmp_path / "copy.csv"
    raw.to_csv(path, sep=";", encoding="utf-8-sig", index=False)
    return path


def test_does_an_unchanged_copy_read_the_same(tmp_path, real):
    raw = pd.read_csv(real.path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    path = tmp_path / "same.csv"
    raw.to_csv(path, sep=";", encoding="utf-8-sig", index=False)
    copy = model.read_orders(path)
    pd.testing.assert_frame_equal(copy.rows, real.rows)
    assert copy.problems.empty


def test_does_every_corrupted_value_land_in_problems_and_no_row_get_dropped(corrupted):
    read = model.read_orders(corrupted)
    assert len(read.rows) == 1_274 and read.rows["arretesrcid"].nunique() == 976
    found = {(row, column): why for row, column, why in read.problems[["row", "column", "why"]].itertuples(index=False)}
    assert found == {
        (0, "arretedebut"): "not a date in the format %Y%m%d%H%M%S (like 20210420000000)",
        (1, "emprisefin"): "not a date in the format %Y-%m-%dT%H:%M:%SZ (like 2021-04-20T00:00:00Z)",
        (2, "arretefin"): "empty",
        (3, "latitude"): "not a number (decimal degrees)",
        (4, "arretefin"): "the order ends before it starts (arretedebut)",
        (6, "parametresarrete"): "extension without a 'Nouvelle date de fin' (new end date)",
        (11, "parametresarrete"): "the 'Nouvelle date de fin' is not a date dd/mm/yyyy",
    }
    problems = read.problems.set_index(["row", "column"])
    assert problems.loc[(0, "arretedebut"), "value"] == "2020-04-20"
    assert problems.loc[(1, "emprisefin"), "arretesrcid"] == "20-AT-1114"
    assert problems.loc[(11, "parametresarrete"), "value"].startswith("32/13/2021")
    # the values are kept as missing, the rest of each row is kept
    assert pd.isna(read.rows.loc[0, "order_start"]) and read.rows.loc[0, "order_end"] == T("2020-04-24")
    assert pd.isna(read.rows.loc[3, "latitude"]) and read.rows.loc[3, "longitude"] > 0
    assert pd.isna(read.rows.loc[6, "new_end"]) and read.rows.loc[6, "reason"].startswith("les travaux")


def test_does_a_missing_new_end_fall_back_on_the_order_end(corrupted):
    read = model.read_orders(corrupted)
    row = read.extensions().loc["21-AT-0449"]
    assert row["new_end"] == T("2021-05-07")  # arretefin, since the text's date is unreadable
    assert model.extension_summary(read.rows)["unmeasured"] == 0


def test_is_a_file_without_the_needed_columns_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("id;name\n1;x\n", encoding="utf-8-sig")
    with pytest.raises(ValueError, match="The file other.csv has no column arretesrcid, arretedebut"):
        model.read_orders(path)
    with pytest.raises(FileNotFoundError, match="There is no file"):
        model.read_orders(tmp_path / "absent.csv")


# --- Small tables built by hand ---------------------------------------------------------------------


def hand_rows() -> pd.DataFrame:
    """Five orders on a few days of January 2022.

    - O1 runs 3 → 7 Jan and O2 10 → 10 Jan (no extension);
    - O3 runs 3 → 14 Jan over two areas, and E3 extends it: E3 starts 17 Jan, new end 21 Jan, quotes
      O3's number. O3 is in the file and ends 14 Jan, between 31 days before E3's areas start (3 Jan)
      and E3's start: measured from O3's end, overrun 21 − 14 = 7 days;
    - E4 quotes "22-AT-0099" (not in the file), starts 12 Jan, new end 20 Jan, areas from 5 Jan:
      measured from the day before it starts (11 Jan), overrun 20 − 11 = 9 days.
    Extended: 2 extension orders ÷ 3 other orders; median overrun of 7 and 9 = 8 days.
    """
    def row(order, start, end, site_start, extension=False, quoted=None, reason=None):
        return {
            "arretesrcid": order, "order_start": T(start), "order_end": T(end), "site_start": T(site_start),
            "site_end": T(end), "is_extension": extension, "extended_order": quoted, "reason": reason,
            "new_end": T(end) if extension else pd.NaT,
        }

    return pd.DataFrame(
        [
            row("22-AT-0001", "2022-01-03", "2022-01-07", "2022-01-03"),
            row("22-AT-0002", "2022-01-10", "2022-01-10", "2022-01-10"),
            row("22-AT-0003", "2022-01-03", "2022-01-14", "2022-01-03"),
            row("22-AT-0003", "2022-01-03", "2022-01-12", "2022-01-04"),
            row("22-AT-0010", "2022-01-17", "2022-01-21", "2022-01-03", True, "22-AT-0003", "travaux non terminés par 22-AT-0003"),
            row("22-AT-0011", "2022-01-12", "2022-01-20", "2022-01-05", True, "22-AT-0099", "intempéries"),
        ]
    )


def test_are_the_share_extended_and_median_overrun_those_computed_by_hand():
    summary = model.extension_summary(hand_rows())
    assert summary["orders"] == 5 and summary["original_orders"] == 3 and summary["extension_orders"] == 2
    assert summary["share_extended"] == pytest.approx(2 / 3)
    assert summary["median_overrun_days"] == 8
    assert summary["measured_from_extended_order"] == 1 and summary["measured_from_extension_start"] == 1
    assert summary["reason_categories"] == {"weather": 1, "late start": 0, "works not finished": 1, "other": 0}


def test_is_each_extension_measured_by_the_stated_rule():
    ext = model.extensions(hand_rows())
    assert ext.loc["22-AT-0010", ["first_planned_end", "overrun_days", "measured_from"]].tolist() == [
        T("2022-01-14"), 7, "extended order"]
    assert ext.loc["22-AT-0011", ["first_planned_end", "overrun_days", "measured_from"]].tolist() == [
        T("2022-01-11"), 9, "extension start"]
    # E4: first planned 5 → 11 Jan = 7 days, extended 5 → 20 Jan = 16 days
    assert ext.loc["22-AT-0011", ["first_planned_days", "extended_days"]].tolist() == [7, 16]


def test_does_an_order_in_the_file_far_from_the_extension_not_count_as_the_extended_one():
    rows = hand_rows()
    rows.loc[[2, 3], ["order_start", "order_end", "site_start", "site_end"]] = [T("2021-01-04"), T("2021-01-14"), T("2021-01-04"), T("2021-01-14")]
    ext = model.extensions(rows)
    assert ext.loc["22-AT-0010", "measured_from"] == "extension start"
    assert ext.loc["22-AT-0010", "overrun_days"] == 5  # 21 − 16 Jan


def test_does_concurrent_works_count_each_order_over_its_own_dates():
    # O1 3–7, O2 10, O3 3–14, E3 17–21, E4 12–20 (January 2022)
    daily = model.concurrent_works(hand_rows())
    assert daily.index[0] == T("2022-01-03") and daily.index[-1] == T("2022-01-21")
    assert daily[T("2022-01-03")] == 2  # O1, O3
    assert daily[T("2022-01-08")] == 1  # O3
    assert daily[T("2022-01-12")] == 2  # O3, E4
    assert daily[T("2022-01-15")] == 1  # E4
    assert daily[T("2022-01-17")] == 2  # E3, E4
    assert daily[T("2022-01-21")] == 1  # E3
    weekly = model.concurrent_works(hand_rows(), "W")
    assert weekly.iloc[0] == pytest.approx(daily[:"2022-01-09"].mean())


def test_are_orders_grouped_over_their_areas():
    table = model.orders(hand_rows())
    # O3: earliest area start 3 Jan, latest order end 14 Jan → 12 days, 2 areas
    assert table.loc["22-AT-0003", ["planned_days", "areas"]].tolist() == [12, 2]
    assert table.loc["22-AT-0010", "planned_days"] == 19  # 3 → 21 Jan


@pytest.mark.parametrize(
    "reason, category",
    [
        ("les travaux n'ont pas pu être terminés pour cause d'intempérie", "weather"),
        ("les travaux ne sont pas terminés à cause des intempéries", "weather"),
        ("les travaux ont été reportés", "late start"),
        ("les travaux n'ont pas été commencés durant la période précédemment accordée", "late start"),
        ("les dates d'intervention ont changé", "late start"),
        ("le chantier ne sera pas achevé dans les délais impartis précédemment", "works not finished"),
        ("les travaux sont inachevés", "works not finished"),
        ("finition des travaux", "works not finished"),
        ("RENOUVELLEMENT D'AUTORISATION", "other"),
        (None, "other"),
    ],
)
def test_are_real_reasons_put_in_the_right_category(reason, category):
    assert model.reason_category(reason) == category


def test_are_order_numbers_and_fields_parsed_from_free_text():
    assert model.order_number("prévue par l'arrêté 20-at 1210 ;") == "20-AT-1210"
    assert model.order_number("aucun numéro") is None and model.order_number(None) is None
    fields = model.parse_fields("Date de début de l'arrêté : 12/04/2021 00:00:00 ; Description des travaux : sur réseaux ; ajout annexe : N")
    assert fields == {"Date de début de l'arrêté": "12/04/2021 00:00:00", "Description des travaux": "sur réseaux", "ajout annexe": "N"}
    assert model.parse_fields("") == {} and model.parse_fields(None) == {}


def test_are_bad_row_tables_refused():
    with pytest.raises(ValueError, match="The rows have no column new_end: give read_orders"):
        model.extensions(hand_rows().drop(columns="new_end"))
    with pytest.raises(ValueError, match="The rows are empty"):
        model.orders(hand_rows().iloc[:0])
    with pytest.raises(ValueError, match="Give the rows as a DataFrame"):
        model.extension_summary([1, 2])
    with pytest.raises(ValueError, match="freq is 'fortnight': give a pandas frequency"):
        model.concurrent_works(hand_rows(), "fortnight")


def test_do_rows_without_any_extension_give_a_zero_share_and_no_median():
    rows = hand_rows().iloc[:4]
    assert model.extensions(rows).empty
    summary = model.extension_summary(rows)
    assert summary["share_extended"] == 0 and summary["extension_orders"] == 0
    assert pd.isna(summary["median_overrun_days"])


def test_does_the_result_print_as_a_short_summary(real):
    assert repr(real) == "RoadworksOrders(1274 rows, 976 orders, 82 extension rows, 0 problems, path='84007-travauxArretes.csv')"


def test_the_share_extended_counts_only_orders_whose_extensions_could_be_seen():
    # Extensions are recognised by their model name, and most orders before 2021 have none: over
    # the 595 non-extension orders whose model is recorded, the 59 extensions are about one in ten.
    rows = model.read_orders().rows
    summary = model.extension_summary(rows)
    assert summary["orders_with_model"] == 595
    assert summary["share_extended_where_recorded"] == pytest.approx(59 / 595)
    assert summary["share_extended"] == pytest.approx(59 / 917)
    assert summary["share_extended_where_recorded"] > summary["share_extended"]
    # rows without the column (another file's rows) still give the plain share, and None for the other
    plain = model.extension_summary(rows.drop(columns=["model_recorded"]))
    assert plain["orders_with_model"] is None and plain["share_extended_where_recorded"] is None
