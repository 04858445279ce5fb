"""Tests of ISO 19139 metadata records and their completeness score (modules/open_data/model/iso_metadata.py)."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest

from modules.open_data import model

GMD = "{http://www.isotc211.org/2005/gmd}"
GCO = "{http://www.isotc211.org/2005/gco}"


def record_file(name: str):
    return next(path for path in model.catalogue_files() if path.name == name)


def minimal(title="Arbres", abstract="Les arbres des rues.", links=()) -> bytes:
    """A minimal record, built here element by element."""
    root = ET.Element(GMD + "MD_Metadata")
    identification = ET.SubElement(ET.SubElement(root, GMD + "identificationInfo"), GMD + "MD_DataIdentification")
    citation = ET.SubElement(ET.SubElement(identification, GMD + "citation"), GMD + "CI_Citation")
    if title is not None:
        ET.SubElement(ET.SubElement(citation, GMD + "title"), GCO + "CharacterString").text = title
    ET.SubElement(ET.SubElement(identification, GMD + "abstract"), GCO + "CharacterString").text = abstract
    if links:
        options = ET.SubElement(ET.SubElement(ET.SubElement(root, GMD + "distributionInfo"), GMD + "MD_Distribution"),
                                GMD + "transferOptions")
        digital = ET.SubElement(options, GMD + "MD_DigitalTransferOptions")
        for link in links:
            resource = ET.SubElement(ET.SubElement(digital, GMD + "onLine"), GMD + "CI_OnlineResource")
            ET.SubElement(ET.SubElement(resource, GMD + "linkage"), GMD + "URL").text = link
    return ET.tostring(root, xml_declaration=True, encoding="utf-8")


def test_do_the_weights_and_the_stated_rule_agree():
    assert model.TOTAL_WEIGHT == 17 == sum(field.weight for field in model.FIELDS)
    assert {field.name for field in model.FIELDS if field.weight == 2} == {"title", "description", "access_link"}
    assert f"{len(model.FIELDS)} fields" in model.COMPLETENESS_RULE and "divided by 17" in model.COMPLETENESS_RULE
    assert all(field.why and field.label and field.path for field in model.FIELDS)


def test_is_the_2017_participatory_budget_record_read_field_by_field():
    record = model.read_record(record_file("84007budgetPaticipatif2017-opendata-metadata.xml"))
    assert record.title == "Budget Participatif 2017 Avignon - Projets soumis au vote et retenus"
    assert record.identifier == "fr-218400075-84007budgetParticipatif2017"
    assert record.publisher == "Maire Avignon" and record.contact_email == "contact@mairie-avignon.com"
    assert record.keywords == ("Avignon", "données ouvertes", "budget", "participatif")
    assert record.licence == "Licence ouverte / Open licence : lO / Ol (Etalab)"
    assert record.formats == ("CSV", "Spatialite", "Geopackage", "GeoJSON")
    assert record.links == ("http://u.osmfr.org/m/193083/", "http://u.osmfr.org/m/173366/", "http://www.avignon.fr")
    assert record.revised == datetime.date(2017, 10, 16) and set(record.dates) == {"creation", "publication", "revision"}
    assert record.extent == (4.7826146, 4.89646188, 43.90825198, 43.96509923)
    # Missing: update frequency (1), topic category (1), link marked as a download (1):
    # 17 − 3 = 14 of 17 = 82.35... → 82.4 %.
    assert [field.name for field in model.missing_fields(record)] == ["update_frequency", "topic", "download_link"]
    assert model.completeness(record) == 82.4


def test_does_a_record_with_a_topic_category_score_88_2():
    record = model.read_record(record_file("84007veloArceaux.xml"))
    # Only update frequency and the download link missing: 15 of 17 = 88.24 % → 88.2 %.
    assert record.topic and model.completeness(record) == 88.2


def test_does_the_catalogue_table_hold_the_23_records_and_their_gaps():
    catalogue = model.read_catalogue()
    assert len(catalogue) == 23 and catalogue["file"].is_monotonic_increasing
    assert set(catalogue["completeness"]) == {82.4, 88.2}
    assert (~catalogue["has_update_frequency"]).all() and (~catalogue["has_download_link"]).all()
    assert (~catalogue["has_topic"]).sum() == 18 and catalogue["has_title"].all()
    assert catalogue["title"].str.len().gt(10).all() and catalogue["publisher"].notna().all()
    assert catalogue.loc[catalogue["file"] == "84007journeePatrimoine2020-opendata-metadata.xml", "revised"].iloc[0].year == 2019
    assert catalogue["revised"].min() == datetime.date(2014, 8, 25) and catalogue["revised"].max() == datetime.date(2022, 7, 20)


def test_does_a_byte_order_mark_not_stop_the_parser():
    path = record_file("84007travauxArretes.xml")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert model.read_record(path).title.startswith("Arrêtés")


def test_does_a_minimal_record_score_only_its_title_and_description():
    record = model.read_record(minimal())
    # Title (2) and description (2): 4 of 17 = 23.5 %.
    assert record.present == frozenset({"title", "description"}) and model.completeness(record) == 23.5


@pytest.mark.parametrize("empty", ["", "   ", "None"])
def test_does_an_empty_text_count_as_missing(empty):
    record = model.read_record(minimal(title=empty))
    assert record.title is None and "title" not in record.present and model.completeness(record) == 11.8


def test_does_a_link_count_for_the_score_even_when_malformed():
    # The score looks for a text at the path; whether the link works is DCAT-AP's check (see test_dcat_ap).
    record = model.read_record(minimal(links=["http://http://ccas-avignon.fr/"]))
    assert "access_link" in record.present and model.completeness(record) == 35.3


@pytest.mark.parametrize(("raw", "words"), [
    (b"<not xml", "is not well-formed XML"),
    (b"<?xml version='1.0'?><rss><channel/></rss>", "not an ISO 19139 metadata record"),
])
def test_does_a_file_that_is_not_a_record_get_a_clear_message(raw, words):
    with pytest.raises(model.MetadataError, match=words):
        model.read_record(raw)


def test_does_an_empty_folder_or_missing_file_get_a_clear_message(tmp_path):
    with pytest.raises(model.MetadataError, match="No .xml file"):
        model.read_catalogue(tmp_path)
    with pytest.raises(FileNotFoundError, match="No metadata record"):
        model.read_record(tmp_path / "absent.xml")
