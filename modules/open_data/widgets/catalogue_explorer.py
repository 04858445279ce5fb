"""The metadata-quality explorer: how complete is each record of a catalogue, and what does a reuser lose?

A view that receives the model's records (:func:`modules.open_data.model.read_records`). Choose a
record in the menu: its bar lights up among the completeness scores of the whole catalogue, and the
box below lists its missing fields with what a reuser loses for each, its rating on the five-star
scale, and whether a valid DCAT-AP description can be built from it. Every figure comes from the
model; the view only moves the highlight and rewrites the text.
"""

from __future__ import annotations

import html
from typing import Sequence

import ipywidgets as widgets
import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from modules.common.i18n import translator
from modules.common.views import plotting
from modules.common.views.widgets import DESCRIPTION_WIDTH, FigureView, freeze_layout, verdict
from modules.open_data import model
from modules.open_data.model.wording import count, decimal, percent

_ = translator(__name__)

#: Colour of the bars of the records not selected, and of the selected one.
OTHER_COLOUR = plotting.PALETTE["sky"]
SELECTED_COLOUR = plotting.PALETTE["blue"]


def _short(title: str | None, width: int = 48) -> str:
    title = title or _("(no title)")
    return title if len(title) <= width else title[: width - 1] + "…"


class MetadataExplorer:
    """Browse a catalogue's records by completeness, and read what each one lacks.

    Parameters
    ----------
    records : sequence of model.MetadataRecord, or the table of :func:`model.read_catalogue`
        The records to compare. Given the table, the explorer reads the shipped records whose
        files it lists.
    name : str, optional
        Name of the catalogue, used in the title and the alt text; by default "Avignon's catalogue", in
        the learner's language.

    ``table`` holds one row per record (file, title, completeness, stars, DCAT-AP status), sorted by
    completeness then title; ``selected`` is the file of the chosen record; ``bars`` the plotted
    bars in the order of ``table``.
    """

    def __init__(self, records: Sequence[model.MetadataRecord] | pd.DataFrame, name: str | None = None):
        if isinstance(records, pd.DataFrame):
            wanted = set(records["file"])
            records = [record for record in model.read_records() if record.file in wanted]
        records = list(records)
        if not records:
            raise ValueError(_("Give at least one metadata record to explore (see model.read_records())."))
        for record in records:
            if not isinstance(record, model.MetadataRecord):
                raise TypeError(_("Each record must be a model.MetadataRecord (see model.read_records()), not {record}.",
                                  record=repr(record)))
        self.name = name if name is not None else _("Avignon's catalogue")
        self.records = {record.file: record for record in records}
        rows = []
        for record in records:
            rating = model.rate(online=bool(record.links), licence=record.licence, formats=record.formats)
            try:
                model.from_record(record)
                dcat = None
            except model.MissingFieldError as error:
                dcat = str(error)
            rows.append({
                "file": record.file,
                "title": record.title or _("(no title)"),
                "completeness": model.completeness(record),
                "stars": rating.stars,
                "dcat_error": dcat,
            })
        self.table = pd.DataFrame(rows).sort_values(["completeness", "title"], ascending=[True, True], kind="stable").reset_index(drop=True)
        self.menu = widgets.Dropdown(
            options=[(f"{_short(row.title)} ({percent(row.completeness, 1)})", row.file) for row in self.table.itertuples()],
            value=self.table["file"].iloc[0],
            description=_("Record"),
            style={"description_width": DESCRIPTION_WIDTH},
            layout=widgets.Layout(width="44em", max_width="100%"),
        )
        self.verdict = verdict()
        self._build_figure()
        self.figure_view = FigureView(self.figure, self.describe, dynamic_artists=list(self.bars))
        self._update_text()
        self.menu.observe(self._on_change, names="value")
        self.widget = widgets.VBox([
            widgets.HTML("<b>" + html.escape(_("Metadata quality of {name}: {count} records", name=self.name, count=count(len(records))))
                         + "</b>"),
            self.menu,
            self.figure_view.widget,
            self.verdict,
        ])

    @property
    def selected(self) -> str:
        """The file of the record chosen in the menu."""
        return self.menu.value

    def select(self, file: str) -> None:
        """Choose a record by its file name (as the menu does)."""
        if file not in self.records:
            raise ValueError(_("No record {file} in this catalogue. Its files: {files}.",
                               file=repr(file), files=", ".join(sorted(self.records))))
        self.menu.value = file

    def _on_change(self, change=None) -> None:
        self.update()

    def update(self) -> None:
        """Move the highlight to the chosen record and rewrite its report."""
        self._set_artists()
        self.figure_view.refresh()
        self._update_text()

    # -- figure --------------------------------------------------------------------------------
    def _build_figure(self) -> None:
        count = len(self.table)
        with matplotlib.rc_context(plotting.STYLE):
            figure = Figure(figsize=(7.0, 1.6 + 0.24 * count), layout="constrained")
            axes = figure.add_subplot()
        plotting.localise_ticks(axes)  # before the record titles are set as the ticks of the y axis
        positions = range(count)
        self.bars = list(axes.barh(positions, self.table["completeness"], color=OTHER_COLOUR, height=0.7))
        axes.set_yticks(list(positions), [_short(title, 40) for title in self.table["title"]], fontsize=7.5)
        axes.set_xlim(0, 100)
        axes.set_xlabel(_("Completeness score (%)"))
        axes.set_title(_("Completeness of the records of {name}", name=self.name), fontweight="bold", fontsize=10)
        for position, score in zip(positions, self.table["completeness"]):
            axes.text(score + 1, position, decimal(score, 1), va="center", fontsize=7.5)
        self.axes = axes
        FigureCanvasAgg(figure)
        self.figure = figure
        freeze_layout(figure)
        self._set_artists()

    def _set_artists(self) -> None:
        for bar, file in zip(self.bars, self.table["file"]):
            bar.set_color(SELECTED_COLOUR if file == self.selected else OTHER_COLOUR)

    def describe(self) -> str:
        """Alt text: the range of the scores and the chosen record's score."""
        scores = self.table["completeness"]
        row = self.table.loc[self.table["file"] == self.selected].iloc[0]
        return _(
            "Horizontal bar chart of the completeness score of the {count} records of {name}, from "
            "{lowest} to {highest}. The highlighted bar is the chosen record, \"{title}\", at {score}.",
            count=count(len(scores)), name=self.name, lowest=percent(scores.min(), 1), highest=percent(scores.max(), 1),
            title=row["title"], score=percent(row["completeness"], 1),
        )

    # -- text ----------------------------------------------------------------------------------
    def _update_text(self) -> None:
        record = self.records[self.selected]
        row = self.table.loc[self.table["file"] == self.selected].iloc[0]
        missing = model.missing_fields(record)
        rating = model.rate(online=bool(record.links), licence=record.licence, formats=record.formats)
        completeness = _("({file}): completeness {score}.", file=record.file, score=percent(row["completeness"], 1))
        parts = [f'<p role="status"><b>{html.escape(row["title"])}</b> {html.escape(completeness)}</p>']
        if missing:
            items = "".join(
                f"<li><b>{html.escape(_(field.label))}</b> "
                + html.escape(_("(weight {weight}): {why}.", weight=field.weight, why=_(field.why))) + "</li>"
                for field in missing
            )
            missing_words = _("Missing, and what a reuser loses:")
            parts.append(f"<p>{html.escape(missing_words)}</p><ul>{items}</ul>")
        else:
            complete_words = _("Every field the score counts is filled.")
            parts.append(f"<p>{html.escape(complete_words)}</p>")
        stars = _("({stars} of 5). Next step: {step}", stars=rating.stars, step=rating.next_step)
        stars_title, dcat_title, rule_title = _("Five stars:"), _("DCAT-AP:"), _("The rule.")
        parts.append(f"<p><b>{html.escape(stars_title)}</b> {rating} {html.escape(stars)}</p>")
        if row["dcat_error"]:
            parts.append(f"<p><b>{html.escape(dcat_title)}</b> {html.escape(row['dcat_error'])}</p>")
        else:
            valid = _("a valid description can be built from this record (title, description and an access URL).")
            parts.append(f"<p><b>{html.escape(dcat_title)}</b> {html.escape(valid)}</p>")
        parts.append(f"<p><b>{html.escape(rule_title)}</b> {html.escape(model.completeness_rule())}</p>")
        self.verdict.value = "".join(parts)
