"""Tests of DCAT-AP descriptions (modules/open_data/model/dcat_ap.py) and of the five-star rating (five_stars.py)."""

from __future__ import annotations

import datetime

import pytest

from modules.open_data import model


def record_file(name: str):
    return next(path for path in model.catalogue_files() if path.name == name)


def test_does_a_complete_description_build_and_export_to_json_ld():
    dataset = model.build_dataset(
        "Arbres d'alignement", "Les arbres des rues.", [{"access_url": "https://data.example.fr/arbres.csv", "format": "CSV"}],
        publisher="Ville", keywords=("arbres",), licence="Licence Ouverte", modified=datetime.date(2024, 5, 1),
    )
    document = model.to_jsonld(dataset)
    assert document["@type"] == "dcat:Dataset" and document["dct:title"] == "Arbres d'alignement"
    assert document["dcat:distribution"] == [
        {"@type": "dcat:Distribution", "dcat:accessURL": {"@id": "https://data.example.fr/arbres.csv"}, "dct:format": "CSV"}]
    assert document["dct:modified"] == "2024-05-01" and document["dcat:keyword"] == ["arbres"]
    assert model.missing_recommended(dataset) == ("Dataset: contact_email",)


def test_are_all_missing_mandatory_fields_named_at_once():
    with pytest.raises(model.MissingFieldError) as error:
        model.build_dataset("  ", None, [{"access_url": "www.avignon.fr"}, {"access_url": ""}])
    assert error.value.missing == (
        "Dataset: title", "Dataset: description",
        "Distribution 1: access_url ('www.avignon.fr' is not an http(s) address)", "Distribution 2: access_url",
    )
    with pytest.raises(model.MissingFieldError, match="Dataset: at least one distribution"):
        model.build_dataset("T", "D", [])


@pytest.mark.parametrize(("url", "valid"), [
    ("http://www.avignon.fr", True),
    ("https://data.gouv.fr/fr/datasets/", True),
    ("http://http://ccas-avignon.fr/", False),
    ("www.avignon.fr", False),
    ("ftp://files.example.fr/a.csv", False),
    ("http://localhost/", False),
    ("", False),
    (None, False),
])
def test_is_an_access_url_valid_only_as_an_absolute_web_address(url, valid):
    assert model.valid_url(url) is valid


def test_does_a_real_record_become_a_description_with_its_valid_links_only():
    dataset = model.from_record(record_file("84007sectorisationCCAS-opendata-metadata.xml"))
    links = model.read_record(record_file("84007sectorisationCCAS-opendata-metadata.xml")).links
    assert "http://http://ccas-avignon.fr/" in links
    assert [d.access_url for d in dataset.distributions] == [link for link in links if model.valid_url(link)]
    assert len(dataset.distributions) == len(links) - 1


def test_can_every_record_of_avignons_catalogue_be_described_in_dcat_ap():
    for path in model.catalogue_files():
        dataset = model.from_record(path)
        assert dataset.title and dataset.description and dataset.distributions


def test_does_a_record_without_a_title_get_refused():
    raw = model.catalogue_files()[0].read_bytes()
    start, end = raw.index(b"<gmd:title>"), raw.index(b"</gmd:title>") + len(b"</gmd:title>")
    with pytest.raises(model.MissingFieldError, match="Dataset: title"):
        model.from_record(raw[:start] + raw[end:])


def test_does_an_unknown_distribution_property_get_a_clear_message():
    with pytest.raises(ValueError, match="unknown properties \\['url'\\]"):
        model.build_dataset("T", "D", [{"url": "https://x.fr"}])
    with pytest.raises(ValueError, match="download_url 'x' is not an http"):
        model.build_dataset("T", "D", [{"access_url": "https://x.fr", "download_url": "x"}])


# --- Five stars -------------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "stars"), [
    (dict(online=False, licence="Licence Ouverte", formats=("CSV",)), 0),
    (dict(online=True, licence="Tous droits réservés", formats=("CSV",)), 0),
    (dict(online=True, licence="Licence Ouverte", formats=("PDF",)), 1),
    (dict(online=True, licence="ODbL", formats=("XLSX",)), 2),
    (dict(online=True, licence="CC BY 4.0", formats=("XLSX", "CSV")), 3),
    (dict(online=True, licence="etalab-2.0", formats=("CSV",), uses_uris=True), 4),
    (dict(online=True, licence="etalab-2.0", formats=("CSV",), uses_uris=True, links_to_other_data=True), 5),
    (dict(online=True, licence="etalab-2.0", formats=("CSV",), links_to_other_data=True), 3),
])
def test_does_each_star_need_all_the_ones_before_it(case, stars):
    rating = model.rate(**case)
    assert rating.stars == stars and len(rating.reasons) == stars and rating.next_step
    assert str(rating) == "★" * stars + "☆" * (5 - stars)


def test_are_avignons_licence_spellings_recognised_as_the_licence_ouverte():
    for text in ("Licence ouverte / Open licence : lO / Ol (Etalab)", "Licence Ouverte (LO)", "etalab-2.0"):
        assert model.licence_name(text) == "Licence Ouverte / Open Licence (Etalab)"
    assert model.licence_name("Tous droits réservés") is None and model.licence_name(None) is None


def test_do_avignons_records_earn_three_stars():
    for record in model.read_records():
        assert model.rate(online=True, licence=record.licence, formats=record.formats).stars == 3
