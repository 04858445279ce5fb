"""The five-star scale of open data: how reusable a published dataset is, one step at a time.

Tim Berners-Lee's scale (5stardata.info) gives one star for data online under an open licence, two
if they are structured (a spreadsheet rather than a scanned page), three if the format is not
proprietary (CSV rather than Excel), four if things are named with URIs that others can point to,
and five if the data link to other data. Each star needs the ones before it. :func:`rate` applies
the scale and says what the next star would take.
"""

from __future__ import annotations

from dataclasses import dataclass

from modules.common.i18n import translator

from .data_quality import fold

_ = translator(__name__)

#: Open licences, by the key (:func:`.data_quality.fold`) of the names under which they appear.
OPEN_LICENCES = {
    "licence ouverte": "Licence Ouverte / Open Licence (Etalab)",
    "open licence": "Licence Ouverte / Open Licence (Etalab)",
    "etalab 2.0": "Licence Ouverte / Open Licence (Etalab)",
    "lo": "Licence Ouverte / Open Licence (Etalab)",
    "odbl": "Open Database Licence (ODbL)",
    "open database license": "Open Database Licence (ODbL)",
    "cc by": "Creative Commons Attribution (CC BY)",
    "cc by 4.0": "Creative Commons Attribution (CC BY)",
    "cc0": "Creative Commons Zero (CC0)",
}
#: Formats a program can read record by record, and whether each one is open (not proprietary).
FORMATS = {
    "csv": True, "json": True, "geojson": True, "xml": True, "gml": True, "kml": True, "rdf": True,
    "geopackage": True, "gpkg": True, "spatialite": True, "sqlite": True, "ods": True,
    "xls": False, "xlsx": False, "esri shapefile": False, "shapefile": False, "shp": False,
}
#: Formats that are not structured data (a person can read them, a program cannot).
UNSTRUCTURED = ("pdf", "jpg", "jpeg", "png", "tiff", "doc", "docx", "html")


def licence_name(text: str | None) -> str | None:
    """Return the open licence a text names ("Licence ouverte / Open licence : lO / Ol (Etalab)"), or None."""
    if not text:
        return None
    key = fold(text)
    for alias in sorted(OPEN_LICENCES, key=len, reverse=True):
        words = key.replace("/", " ").replace("(", " ").replace(")", " ").replace(":", " ").split()
        if alias in key if " " in alias else alias in words:
            return OPEN_LICENCES[alias]
    return None


@dataclass(frozen=True)
class StarRating:
    """A rating on the five-star scale: ``stars`` (0 to 5), the ``reasons`` for each star earned,
    and the ``next_step`` that would earn one more."""

    stars: int
    reasons: tuple[str, ...]
    next_step: str

    def __str__(self) -> str:
        return "★" * self.stars + "☆" * (5 - self.stars)


def rate(
    *,
    online: bool,
    licence: str | None,
    formats: tuple[str, ...] | list[str] = (),
    uses_uris: bool = False,
    links_to_other_data: bool = False,
) -> StarRating:
    """Rate a dataset on the five-star scale; each star needs all the ones before it.

    online : the data can be downloaded from the web
    licence : the licence as the publisher writes it (recognised by :func:`licence_name`)
    formats : the formats offered; the best one counts
    """
    reasons = []
    open_licence = licence_name(licence)
    if not online:
        return StarRating(0, (), _("Put the data online, where anyone can download them."))
    if open_licence is None:
        return StarRating(0, (), _("Publish the data under an open licence (Licence Ouverte or ODbL): {licence} is not one.",
                                   licence=repr(licence)))
    reasons.append(_("★ online under an open licence ({licence})", licence=open_licence))
    keys = [fold(f) for f in formats]
    structured = [k for k in keys if k in FORMATS]
    if not structured:
        shown = ", ".join(formats) or _("no format given")
        return StarRating(1, tuple(reasons), _("Publish structured data a program can read (CSV, not a scan or PDF): {formats}.",
                                               formats=shown))
    reasons.append(_("★★ structured data ({formats})", formats=", ".join(f for f in formats if fold(f) in FORMATS)))
    open_formats = [k for k in structured if FORMATS[k]]
    if not open_formats:
        return StarRating(2, tuple(reasons), _("Offer a non-proprietary format too, such as CSV next to Excel."))
    reasons.append(_("★★★ a non-proprietary format ({formats})", formats=", ".join(f for f in formats if FORMATS.get(fold(f)))))
    if not uses_uris:
        return StarRating(3, tuple(reasons), _(
            "Name things with URIs (web addresses) that others can point to, such as the official code of each commune."))
    reasons.append(_("★★★★ things are named with URIs"))
    if not links_to_other_data:
        return StarRating(4, tuple(reasons), _(
            "Link the data to other data, such as each commune to its page in the national register."))
    reasons.append(_("★★★★★ linked to other data"))
    return StarRating(5, tuple(reasons), _("The data have every star: keep them up to date."))
