"""Metadata records in ISO 19139 XML: read them, and score how complete they are for a reuser.

A dataset nobody can find, understand or trust is not reused. Its metadata record says what it is,
who publishes it, under which licence, how fresh it is, and where to get it. French and European
geographic portals exchange such records in ISO 19139 XML (the INSPIRE format); the Ville
d'Avignon's catalogue holds 23 of them.

The course scores a record with one rule, :data:`COMPLETENESS_RULE`, over the fields of
:data:`FIELDS`: each field has a path in the XML, a weight (2 for what DCAT-AP makes mandatory, 1
for the rest) and a sentence on what a reuser loses without it. The field list and the weights are
the course's choice, stated in the lessons with their effect on the ranking.
"""

from __future__ import annotations

import datetime
import io
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from modules.common import data
from modules.common.i18n import N_, translator

_ = translator(__name__)

SLUG = "open_data"
CATALOGUE = "avignon_catalogue_metadonnees"

#: The XML namespaces of ISO 19139, by the prefixes the paths of :data:`FIELDS` use.
NAMESPACES = {
    "gmd": "http://www.isotc211.org/2005/gmd",
    "gco": "http://www.isotc211.org/2005/gco",
}
_ROOT = f"{{{NAMESPACES['gmd']}}}MD_Metadata"
#: Texts that a record writes where it has nothing to say; they count as missing.
EMPTY_TEXTS = ("", "None")


@dataclass(frozen=True)
class Field:
    """One field of a metadata record that the completeness score counts.

    name : short name used in the code (``"title"``)
    label : plain-language name shown to learners (in English; show it with ``_(field.label)``)
    path : where it is in the record, as an ElementTree path from the root, with :data:`NAMESPACES`
    weight : points in the score: 2 for a field DCAT-AP makes mandatory, 1 otherwise
    why : what a reuser loses when the field is missing (in English, like ``label``)
    """

    name: str
    label: str
    path: str
    weight: int
    why: str


_ID = "gmd:identificationInfo/*/"
_DIST = "gmd:distributionInfo/*/"

#: The fields of the completeness score, in the order of the catalogue table.
FIELDS: tuple[Field, ...] = (
    Field("title", N_("Title"), _ID + "gmd:citation/*/gmd:title/gco:CharacterString", 2,
          N_("the dataset cannot be named in a search result or a citation")),
    Field("description", N_("Description (abstract)"), _ID + "gmd:abstract/gco:CharacterString", 2,
          N_("nobody can tell what the data cover without downloading them")),
    Field("access_link", N_("Access link"), _DIST + "gmd:transferOptions/*/gmd:onLine/*/gmd:linkage/gmd:URL", 2,
          N_("there is no address at which to reach the data")),
    Field("publisher", N_("Publisher"), _ID + "gmd:pointOfContact/*/gmd:organisationName/gco:CharacterString", 1,
          N_("a reuser cannot tell who is responsible for the data, nor credit them as the licence asks")),
    Field("contact_email", N_("Contact e-mail"),
          _ID + "gmd:pointOfContact/*/gmd:contactInfo/*/gmd:address/*/gmd:electronicMailAddress/gco:CharacterString", 1,
          N_("errors cannot be reported, nor questions asked")),
    Field("keywords", N_("Keywords"), _ID + "gmd:descriptiveKeywords/*/gmd:keyword/gco:CharacterString", 1,
          N_("a portal's search and themes do not find the dataset")),
    Field("licence", N_("Licence"), _ID + "gmd:resourceConstraints/*/gmd:useLimitation/gco:CharacterString", 1,
          N_("a reuser does not know what they may do with the data, so a careful one does not reuse them")),
    Field("dates", N_("Dates (creation, publication, revision)"), _ID + "gmd:citation/*/gmd:date/*/gmd:date/gco:Date", 1,
          N_("nobody can tell how old the data are")),
    Field("update_frequency", N_("Update frequency"),
          _ID + "gmd:resourceMaintenance/*/gmd:maintenanceAndUpdateFrequency/gmd:MD_MaintenanceFrequencyCode", 1,
          N_("a reuser cannot plan when to fetch the data again, nor tell a stale file from a finished one")),
    Field("topic", N_("Topic category"), _ID + "gmd:topicCategory/gmd:MD_TopicCategoryCode", 1,
          N_("the dataset is missing from the theme lists of national and European portals")),
    Field("lineage", N_("Lineage (how the data were made)"), "gmd:dataQualityInfo/*/gmd:lineage/*/gmd:statement/gco:CharacterString", 1,
          N_("nobody can judge whether the data fit their use")),
    Field("formats", N_("Formats"), _DIST + "gmd:distributionFormat/*/gmd:name/gco:CharacterString", 1,
          N_("a reuser does not know whether their tools can open the files")),
    Field("extent", N_("Geographic extent"),
          _ID + "gmd:extent/*/gmd:geographicElement/gmd:EX_GeographicBoundingBox/gmd:westBoundLongitude/gco:Decimal", 1,
          N_("map portals cannot find the dataset by place")),
    Field("download_link", N_("Link marked as a download"),
          _DIST + "gmd:transferOptions/*/gmd:onLine/*/gmd:function/gmd:CI_OnLineFunctionCode", 1,
          N_("a program cannot tell which link gives the file, so the data cannot be fetched automatically")),
)
FIELD_BY_NAME = {field.name: field for field in FIELDS}
TOTAL_WEIGHT = sum(field.weight for field in FIELDS)

_COMPLETENESS_RULE = N_(
    "Completeness score: each of the {fields} fields of model.FIELDS is present when at least one element "
    "found at its path holds a text that is not empty once spaces are removed and is not \"None\". The score is "
    "the sum of the weights of the fields present (2 for title, description and access link, which DCAT-AP makes "
    "mandatory, 1 for each other field; {total} in all) divided by {total}, in %, rounded to one decimal."
)
#: The completeness rule, printed wherever the score is shown (in English; :func:`completeness_rule`
#: gives it in the learner's language).
COMPLETENESS_RULE = _COMPLETENESS_RULE.format(fields=len(FIELDS), total=TOTAL_WEIGHT)


def completeness_rule() -> str:
    """:data:`COMPLETENESS_RULE` in the learner's language."""
    return _(_COMPLETENESS_RULE, fields=len(FIELDS), total=TOTAL_WEIGHT)


class MetadataError(ValueError):
    """The file is not an ISO 19139 metadata record that can be read."""


@dataclass(frozen=True)
class MetadataRecord:
    """The fields of one metadata record, as texts; a missing field is None or an empty tuple.

    file : the file's name; identifier : the record's identifier; present : the names of the
    fields of :data:`FIELDS` that the record fills (by :data:`COMPLETENESS_RULE`)
    """

    file: str
    identifier: str | None
    title: str | None
    description: str | None
    publisher: str | None
    contact_email: str | None
    keywords: tuple[str, ...]
    licence: str | None
    dates: dict[str, datetime.date]
    update_frequency: str | None
    topic: tuple[str, ...]
    lineage: str | None
    formats: tuple[str, ...]
    links: tuple[str, ...]
    extent: tuple[float, float, float, float] | None
    present: frozenset[str]

    @property
    def revised(self) -> datetime.date | None:
        """The latest of the record's dates (revision, publication or creation)."""
        return max(self.dates.values()) if self.dates else None


def _texts(root: ET.Element, path: str) -> list[str]:
    found = []
    for element in root.findall(path, NAMESPACES):
        text = (element.text or "").strip()
        if text not in EMPTY_TEXTS:
            found.append(text)
    return found


def _parse(source: str | os.PathLike | bytes) -> tuple[str, ET.Element]:
    if isinstance(source, (bytes, bytearray)):
        name, raw = "(bytes)", bytes(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(_("No metadata record at {path}: check the path.", path=repr(str(path))))
        name, raw = path.name, path.read_bytes()
    try:
        root = ET.parse(io.BytesIO(raw)).getroot()
    except ET.ParseError as error:
        raise MetadataError(_(
            "{name} is not well-formed XML ({error}). Open it in a text editor at that line: a metadata record "
            "must be an XML file.",
            name=name, error=error,
        )) from None
    if root.tag != _ROOT:
        raise MetadataError(_(
            "{name} is XML, but its root element is {tag}, not gmd:MD_Metadata: it is not an ISO 19139 "
            "metadata record. Export the record from the catalogue in ISO 19139 (INSPIRE) format.",
            name=name, tag=repr(root.tag),
        ))
    return name, root


def present_fields(source: str | os.PathLike | bytes) -> frozenset[str]:
    """Return the names of the fields of :data:`FIELDS` that the record fills, by :data:`COMPLETENESS_RULE`."""
    _name, root = _parse(source)
    return frozenset(field.name for field in FIELDS if _texts(root, field.path))


def read_record(source: str | os.PathLike | bytes) -> MetadataRecord:
    """Read an ISO 19139 record (a path or the file's bytes). Raises :class:`MetadataError` if it is not one."""
    name, root = _parse(source)

    def first(field: str) -> str | None:
        texts = _texts(root, FIELD_BY_NAME[field].path)
        return texts[0] if texts else None

    dates = {}
    for element in root.findall(_ID + "gmd:citation/*/gmd:date/gmd:CI_Date", NAMESPACES):
        day = _texts(element, "gmd:date/gco:Date")
        kind = element.find("gmd:dateType/gmd:CI_DateTypeCode", NAMESPACES)
        if day and kind is not None:
            try:
                dates[(kind.get("codeListValue") or kind.text or "").strip()] = datetime.date.fromisoformat(day[0][:10])
            except ValueError:
                continue
    box = []
    for side in ("westBoundLongitude", "eastBoundLongitude", "southBoundLatitude", "northBoundLatitude"):
        value = _texts(root, _ID + f"gmd:extent/*/gmd:geographicElement/gmd:EX_GeographicBoundingBox/gmd:{side}/gco:Decimal")
        box.append(float(value[0]) if value else None)
    identifier = _texts(root, "gmd:fileIdentifier/gco:CharacterString")
    return MetadataRecord(
        file=name,
        identifier=identifier[0] if identifier else None,
        title=first("title"),
        description=first("description"),
        publisher=first("publisher"),
        contact_email=first("contact_email"),
        keywords=tuple(_texts(root, FIELD_BY_NAME["keywords"].path)),
        licence=first("licence"),
        dates=dates,
        update_frequency=first("update_frequency"),
        topic=tuple(_texts(root, FIELD_BY_NAME["topic"].path)),
        lineage=first("lineage"),
        formats=tuple(_texts(root, FIELD_BY_NAME["formats"].path)),
        links=tuple(_texts(root, FIELD_BY_NAME["access_link"].path)),
        extent=tuple(box) if None not in box else None,
        present=frozenset(field.name for field in FIELDS if _texts(root, field.path)),
    )


def completeness(record: MetadataRecord) -> float:
    """Return the record's completeness score, in %, by :data:`COMPLETENESS_RULE`."""
    weight = sum(field.weight for field in FIELDS if field.name in record.present)
    return round(100 * weight / TOTAL_WEIGHT, 1)


def missing_fields(record: MetadataRecord) -> tuple[Field, ...]:
    """Return the fields of :data:`FIELDS` that the record does not fill, in the order of FIELDS."""
    return tuple(field for field in FIELDS if field.name not in record.present)


def catalogue_files(folder: str | os.PathLike | None = None) -> list[Path]:
    """Return the XML files of a catalogue folder (by default Avignon's, shipped with the course), sorted."""
    folder = Path(folder) if folder is not None else data.data_path(SLUG, CATALOGUE)
    files = sorted(folder.glob("*.xml"))
    if not files:
        raise MetadataError(_("No .xml file in {folder}: give the folder that holds the metadata records.", folder=repr(str(folder))))
    return files


def read_records(folder: str | os.PathLike | None = None) -> list[MetadataRecord]:
    """Read every record of a catalogue folder (by default Avignon's), in the order of their files."""
    return [read_record(path) for path in catalogue_files(folder)]


def read_catalogue(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read every record of a catalogue folder into a table, one row per record, sorted by file.

    Columns: ``file``, ``title``, ``publisher``, ``licence``, ``revised`` (latest date),
    ``formats`` and ``links`` (counts), ``completeness`` (%), ``missing`` (labels of the missing
    fields in the learner's language, joined with "; ") and one boolean column per field of :data:`FIELDS`, ``has_<name>``
    (``has_title``, ``has_update_frequency``...).
    """
    rows = []
    for record in read_records(folder):
        row = {
            "file": record.file,
            "title": record.title,
            "publisher": record.publisher,
            "licence": record.licence,
            "revised": record.revised,
            "formats": len(record.formats),
            "links": len(record.links),
            "completeness": completeness(record),
            "missing": "; ".join(_(field.label) for field in missing_fields(record)),
        }
        row.update({f"has_{field.name}": field.name in record.present for field in FIELDS})
        rows.append(row)
    return pd.DataFrame(rows)
