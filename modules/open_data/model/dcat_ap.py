"""DCAT-AP descriptions of datasets: build one, refuse one that lacks a mandatory field.

DCAT is the W3C vocabulary with which data portals describe datasets; DCAT-AP is its European
application profile, which national portals such as data.gouv.fr and the European data portal
exchange. In DCAT-AP 2.0 a **Dataset** must have a title and a description, and each of its
**Distributions** (a file or a service giving the data) must have an access URL; when the
distribution is a file, its address is given as both access URL and download URL. Publisher,
contact point, keywords, licence, format and date of change are recommended
(smart-data-models' DCAT-AP 2.0 schema; the European Commission's note on accessURL and
downloadURL). Whether DCAT-AP 3.0 keeps exactly the same mandatory set was not confirmed.

:func:`build_dataset` validates a description and names every missing mandatory field at once;
:func:`from_record` turns an ISO 19139 record (:mod:`.iso_metadata`) into a description.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
import urllib.parse

from modules.common.i18n import translator

from .iso_metadata import MetadataRecord, read_record

_ = translator(__name__)

#: The mandatory properties of DCAT-AP 2.0, by class.
MANDATORY = {"Dataset": ("title", "description"), "Distribution": ("access_url",)}
#: The recommended properties the course checks, by class.
RECOMMENDED = {
    "Dataset": ("publisher", "contact_email", "keywords", "licence", "modified"),
    "Distribution": ("format",),
}


class MissingFieldError(ValueError):
    """A description lacks a mandatory DCAT-AP property; ``missing`` lists them as "Class: property"."""

    def __init__(self, missing: list[str]):
        self.missing = tuple(missing)
        listed = "; ".join(missing)
        if len(missing) == 1:
            message = _(
                "This description cannot be published as DCAT-AP: mandatory property missing: {missing}. A dataset "
                "needs a title and a description, and each distribution an access URL (http:// or https://).",
                missing=listed,
            )
        else:
            message = _(
                "This description cannot be published as DCAT-AP: mandatory properties missing: {missing}. A dataset "
                "needs a title and a description, and each distribution an access URL (http:// or https://).",
                missing=listed,
            )
        super().__init__(message)


def valid_url(text: str | None) -> bool:
    """True for an absolute http(s) address with a host name that has a dot (``http://http://x.fr`` is not)."""
    if not text or not isinstance(text, str):
        return False
    parts = urllib.parse.urlparse(text.strip())
    return parts.scheme in ("http", "https") and "." in parts.netloc and " " not in text.strip()


@dataclass(frozen=True)
class Distribution:
    """A way to get the data: ``access_url`` (mandatory), ``download_url`` (the file itself, if any)."""

    access_url: str
    download_url: str | None = None
    format: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Dataset:
    """A DCAT-AP description of a dataset, validated by :func:`build_dataset`."""

    title: str
    description: str
    distributions: tuple[Distribution, ...]
    publisher: str | None = None
    contact_email: str | None = None
    keywords: tuple[str, ...] = ()
    licence: str | None = None
    modified: datetime.date | None = None
    identifier: str | None = None
    extra: dict = field(default_factory=dict)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", "None"))


def build_dataset(
    title: str | None = None,
    description: str | None = None,
    distributions=(),
    *,
    publisher: str | None = None,
    contact_email: str | None = None,
    keywords=(),
    licence: str | None = None,
    modified: datetime.date | None = None,
    identifier: str | None = None,
) -> Dataset:
    """Return a :class:`Dataset` after checking every mandatory property of DCAT-AP.

    distributions : :class:`Distribution` objects or mappings with the same keys
        (``{"access_url": ..., "format": ...}``)
    Raises :class:`MissingFieldError` naming every missing mandatory property (a blank text or the
    text "None" counts as missing; an access URL must be an absolute http(s) address), and
    ``ValueError`` for a download URL that is not one.
    """
    missing = [f"Dataset: {name}" for name, value in (("title", title), ("description", description)) if _blank(value)]
    built = []
    if not distributions:
        missing.append(_("Dataset: at least one distribution"))
    for number, item in enumerate(distributions, start=1):
        if isinstance(item, Distribution):
            item = item.__dict__
        unknown = set(item) - {"access_url", "download_url", "format", "title"}
        if unknown:
            raise ValueError(_(
                "Distribution {number} has unknown properties {unknown}: use access_url, download_url, format, title.",
                number=number, unknown=sorted(unknown),
            ))
        access = item.get("access_url")
        if not valid_url(access):
            missing.append(f"Distribution {number}: access_url"
                           + (_(" ({value} is not an http(s) address)", value=repr(access)) if not _blank(access) else ""))
            continue
        download = item.get("download_url")
        if download is not None and not valid_url(download):
            raise ValueError(_("Distribution {number}: download_url {value} is not an http(s) address.", number=number, value=repr(download)))
        built.append(Distribution(access.strip(), download, item.get("format"), item.get("title")))
    if missing:
        raise MissingFieldError(missing)
    return Dataset(
        title=title.strip(),
        description=description.strip(),
        distributions=tuple(built),
        publisher=None if _blank(publisher) else publisher,
        contact_email=None if _blank(contact_email) else contact_email,
        keywords=tuple(keywords),
        licence=None if _blank(licence) else licence,
        modified=modified,
        identifier=identifier,
    )


def missing_recommended(dataset: Dataset) -> tuple[str, ...]:
    """Return the recommended properties the description leaves empty, as "Class: property"."""
    missing = [f"Dataset: {name}" for name in RECOMMENDED["Dataset"] if not getattr(dataset, name)]
    for number, distribution in enumerate(dataset.distributions, start=1):
        missing += [f"Distribution {number}: {name}" for name in RECOMMENDED["Distribution"] if not getattr(distribution, name)]
    return tuple(missing)


def from_record(source: MetadataRecord | str | os.PathLike | bytes) -> Dataset:
    """Describe in DCAT-AP the dataset of an ISO 19139 record (a :class:`MetadataRecord` or its file).

    The title, description, publisher, contact e-mail, keywords, licence and latest date are
    copied; each well-formed link of the record becomes a distribution whose access URL it is
    (a record's links name no file, so no download URL is set); the record's formats are listed
    on the first distribution. Raises :class:`MissingFieldError` when the record lacks a title, a
    description or any well-formed link.
    """
    record = source if isinstance(source, MetadataRecord) else read_record(source)
    links = [link for link in record.links if valid_url(link)]
    formats = ", ".join(record.formats) or None
    distributions = [{"access_url": link, "format": formats if number == 0 else None} for number, link in enumerate(links)]
    return build_dataset(
        record.title,
        record.description,
        distributions,
        publisher=record.publisher,
        contact_email=record.contact_email,
        keywords=record.keywords,
        licence=record.licence,
        modified=record.revised,
        identifier=record.identifier,
    )


def to_jsonld(dataset: Dataset) -> dict:
    """Return the description as JSON-LD with the DCAT, Dublin Core and vCard vocabularies."""
    document = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
        },
        "@type": "dcat:Dataset",
        "dct:title": dataset.title,
        "dct:description": dataset.description,
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dcat:accessURL": {"@id": d.access_url},
                **({"dcat:downloadURL": {"@id": d.download_url}} if d.download_url else {}),
                **({"dct:format": d.format} if d.format else {}),
                **({"dct:title": d.title} if d.title else {}),
            }
            for d in dataset.distributions
        ],
    }
    if dataset.identifier:
        document["dct:identifier"] = dataset.identifier
    if dataset.publisher:
        document["dct:publisher"] = {"@type": "foaf:Agent", "foaf:name": dataset.publisher}
        document["@context"]["foaf"] = "http://xmlns.com/foaf/0.1/"
    if dataset.contact_email:
        document["dcat:contactPoint"] = {"@type": "vcard:Kind", "vcard:hasEmail": f"mailto:{dataset.contact_email}"}
    if dataset.keywords:
        document["dcat:keyword"] = list(dataset.keywords)
    if dataset.licence:
        document["dct:license"] = dataset.licence
    if dataset.modified:
        document["dct:modified"] = dataset.modified.isoformat()
    return document
