"""Tables and figures of lesson 02, *Publishing well* (book/open_data/02-describing-data.md).

Views only: each function receives what the model computed (the catalogue table of
:func:`~modules.open_data.model.read_catalogue`, star ratings, a DCAT-AP description) and returns a
formatted table (:class:`~modules.common.views.tables.FullTable`) or an accessible figure. The legal and
licence tables hold sourced facts that the lesson cites next to them.
"""

from __future__ import annotations

import json

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from modules.common.formatting import format_date
from modules.common.i18n import language, translator
from modules.common.views import plotting
from modules.common.views.tables import FullTable
from modules.open_data import model
from modules.open_data.model.wording import count, decimal

_ = translator(__name__)


def duty_table() -> FullTable:
    """Who must publish what in France, and under which licence (the lesson cites the texts)."""
    rows = [
        ("Loi n° 2016-1321 pour une République numérique, article 6 (CRPA L312-1-1)",
         _("Administrations publish online by default, in an open standard that machines can read: documents they "
           "released after a request (CADA), their register of documents, their databases, data whose publication "
           "is of economic, social, health or environmental interest, and the rules of algorithms behind "
           "individual decisions.")),
        ("Décret n° 2016-1922",
         _("For local authorities, the duty applies from 3,500 inhabitants and 50 agents (full-time equivalent): "
           "both conditions together.")),
        ("Décret n° 2017-638 (CRPA D323-2-1)",
         _("Data are released for free reuse under the Licence Ouverte or the ODbL; software under a listed "
           "licence (BSD, Apache, CeCILL-B, MIT, MPL, GNU GPL, CeCILL; EUPL and EPL added in 2021). Any other "
           "licence needs approval (homologation).")),
    ]
    return FullTable(pd.DataFrame(rows, columns=[_("Text"), _("What it says")]))


def licence_table() -> FullTable:
    """What each of the three common open licences lets a reuser do, and asks of them."""
    rows = [
        ("Licence Ouverte 2.0 (Etalab, 2017)", _("yes"), _("credit the producer and the date of the last update, or give a link"),
         _("no"), _("yes, by decree")),
        ("ODbL 1.0 (Open Data Commons)", _("yes"),
         _("credit the source, and keep it open: a copy with technical restrictions (DRM) needs an unrestricted twin"),
         _("yes: an adapted database used in public must be offered under the ODbL (not every map or chart made from it)"),
         _("yes, by decree")),
        ("CC BY 4.0 (Creative Commons)", _("yes"), _("credit, link to the licence, say what was changed"), _("no"),
         _("no: needs approval")),
    ]
    return FullTable(pd.DataFrame(rows, columns=[
        _("Licence"), _("Commercial reuse"), _("What the reuser must do"), _("Share-alike"), _("French administrations may use it")]))


def gaps_chart(catalogue: pd.DataFrame, credit: str) -> plotting.AccessibleFigure:
    """How many records of the catalogue lack each field of the completeness score."""
    missing = pd.Series({_(field.label): int((~catalogue[f"has_{field.name}"]).sum()) for field in model.FIELDS})
    with matplotlib.rc_context(plotting.STYLE):
        figure = Figure(figsize=(7.6, 4.6), layout="constrained")
        axes = figure.add_subplot()
    plotting.localise_ticks(axes)  # before the field labels are set as the ticks of the y axis
    positions = range(len(missing))
    colours = [plotting.ALERT_COLOUR if count else plotting.PALETTE["blue"] for count in missing]
    axes.barh(positions, missing.to_numpy(), color=colours)
    axes.set_yticks(list(positions), missing.index, fontsize=8.5)
    axes.invert_yaxis()
    axes.set_xlim(0, len(catalogue) + 2)
    axes.set_xlabel(_("Records that lack the field (of {count})", count=count(len(catalogue))))
    axes.set_title(_("Avignon's catalogue: which fields the records leave empty"), fontweight="bold", fontsize=11)
    for position, number in zip(positions, missing):
        axes.text(number + 0.3, position, count(number), va="center", fontsize=8)
    figure.text(0.01, 0.0, credit, fontsize=7, color="#444444")
    lacking = [f"{label} ({count(number)})" for label, number in missing.items() if number]
    alt = _(
        "Bar chart of the number of the {records} records of Avignon's catalogue that lack each of the "
        "{fields} fields of the completeness score. Fields lacking: {lacking}. Every record fills the other fields.",
        records=count(len(catalogue)), fields=count(len(missing)), lacking=", ".join(lacking),
    )
    return plotting.show(figure, alt)


def stars_table(cases: dict[str, model.StarRating]) -> FullTable:
    """One row per dataset rated on the five-star scale: its stars, why, and the next step."""
    rows = [(name, str(rating), "; ".join(rating.reasons) or _("no star"), rating.next_step) for name, rating in cases.items()]
    return FullTable(pd.DataFrame(rows, columns=[_("Dataset"), _("Stars"), _("Why"), _("Next step")]))


def catalogue_table(catalogue: pd.DataFrame) -> FullTable:
    """The catalogue as a reuser would scan it: title, latest date, score and what is missing.

    In French the dates are written in words and the scores with a decimal comma (as texts); the
    missing fields are those the catalogue table names (in the language it was read in).
    """
    table = catalogue.sort_values(["completeness", "title"]).loc[:, ["title", "revised", "completeness", "missing"]]
    if language() == "fr":
        table = table.assign(
            revised=[format_date(day) if pd.notna(day) else "" for day in table["revised"]],
            completeness=[decimal(score, 1) for score in table["completeness"]],
        )
    table = table.rename(columns={"title": _("Title"), "revised": _("Latest date"), "completeness": _("Score (%)"),
                                  "missing": _("Missing fields")})
    return FullTable(table.reset_index(drop=True))


def jsonld_text(document: dict, limit: int = 700) -> str:
    """A DCAT-AP description as indented JSON-LD, its long texts shortened for the page."""
    def shorten(value):
        if isinstance(value, str) and len(value) > 90:
            return value[:87] + "..."
        if isinstance(value, dict):
            return {key: shorten(item) for key, item in value.items()}
        if isinstance(value, list):
            return [shorten(item) for item in value]
        return value
    text = json.dumps(shorten(document), ensure_ascii=False, indent=2)
    return text if len(text) <= limit else text[:limit] + "\n  ..."
