"""The "is it safe to publish?" simulator: choose quasi-identifiers and generalisations, read k and the cost.

A view that receives a table (by default the course's synthetic service requests). Tick the columns
that an attacker could know (the quasi-identifiers) and choose how far to generalise each; the chart
shows how the records spread over groups of each size, with the records at risk (in groups of fewer
than the target k) in the alert colour, and the box gives k, the records at risk, ℓ, the information
lost and the verdict of :func:`modules.open_data.model.check_release`, the course's one rule.
"""

from __future__ import annotations

import html
from typing import Mapping, Sequence

import ipywidgets as widgets
import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg

from modules.common.i18n import translator
from modules.common.views import plotting
from modules.common.views.widgets import FigureView, alert_html, freeze_layout, verdict
from modules.open_data import model
from modules.open_data.model.wording import count, grouped, percent

_ = translator(__name__)

#: Group sizes of the chart's bars: (label, smallest size, largest size).
SIZE_BINS = (
    ("1", 1, 1), ("2", 2, 2), ("3", 3, 3), ("4", 4, 4), ("5–9", 5, 9), ("10–19", 10, 19),
    ("20–49", 20, 49), ("50–99", 50, 99), ("100+", 100, np.inf),
)
#: Results kept per simulator, so that moving back to a setting is instant.
CACHE_SIZE = 256


class PublishSimulator:
    """Try quasi-identifiers and generalisation levels on a table, and read whether it may be published.

    Parameters
    ----------
    table : pandas DataFrame, optional
        The records, by default ``model.synthetic_requests()``.
    quasi_identifiers : sequence of column names
        The candidate quasi-identifiers, each with a hierarchy in ``model.HIERARCHIES``; all are
        ticked at the start.
    k_target, max_loss : the target k and the largest information loss accepted (%), by default
        the course's ``model.K_TARGET`` and ``model.MAX_LOSS``.

    ``result`` is the current :class:`model.ReleaseCheck` (None when no column is ticked);
    ``shares`` the % of records in each bin of :data:`SIZE_BINS`; ``bars`` the plotted bars.
    """

    def __init__(
        self,
        table: pd.DataFrame | None = None,
        quasi_identifiers: Sequence[str] = model.QUASI_IDENTIFIERS,
        k_target: int = model.K_TARGET,
        max_loss: float = model.MAX_LOSS,
    ):
        self.table = model.synthetic_requests() if table is None else table
        unknown = [name for name in quasi_identifiers if name not in model.HIERARCHIES]
        if unknown:
            raise ValueError(_(
                "No generalisation hierarchy for {unknown}: choose among {known}.",
                unknown=", ".join(map(repr, unknown)), known=", ".join(model.HIERARCHIES),
            ))
        absent = [name for name in quasi_identifiers if name not in self.table.columns]
        if absent:
            raise ValueError(_("The table has no column {absent}.", absent=", ".join(map(repr, absent))))
        if len(self.table) == 0:
            raise ValueError(_("The table is empty: there is nothing to publish."))
        self.candidates = tuple(quasi_identifiers)
        self.k_target, self.max_loss = k_target, max_loss
        self._cache: dict = {}
        self.ticks = {
            name: widgets.Checkbox(value=True, description=_("{column} is a quasi-identifier", column=model.column_name(name)),
                                   indent=False)
            for name in self.candidates
        }
        self.levels = {
            name: widgets.Dropdown(
                options=[(_(label), number) for number, label in enumerate(model.HIERARCHIES[name].levels)],
                value=0, description=_("level"), style={"description_width": "4em"},
                layout=widgets.Layout(width="17em"),
            )
            for name in self.candidates
        }
        self.verdict = verdict()
        self._compute()
        self._build_figure()
        self.figure_view = FigureView(self.figure, self.describe, dynamic_artists=[*self.bars, *self.labels, self.target_text])
        self._update_text()
        for control in [*self.ticks.values(), *self.levels.values()]:
            control.observe(self._on_change, names="value")
        rows = [widgets.HBox([self.ticks[name], self.levels[name]]) for name in self.candidates]
        self.widget = widgets.VBox([
            widgets.HTML("<b>" + html.escape(_("Is it safe to publish? {count} records", count=grouped(len(self.table)))) + "</b>"),
            widgets.Box(
                [
                    widgets.VBox(rows, layout=widgets.Layout(flex="1 1 26em", max_width="100%")),
                    widgets.VBox([self.figure_view.widget, self.verdict], layout=widgets.Layout(flex="1 1 30em", max_width="100%")),
                ],
                layout=widgets.Layout(display="flex", flex_flow="row wrap", align_items="flex-start"),
            ),
        ])

    # -- state ---------------------------------------------------------------------------------
    @property
    def quasi_identifiers(self) -> tuple[str, ...]:
        """The ticked columns."""
        return tuple(name for name in self.candidates if self.ticks[name].value)

    @property
    def chosen_levels(self) -> dict[str, int]:
        """The level chosen for each ticked column."""
        return {name: int(self.levels[name].value) for name in self.quasi_identifiers}

    def set_levels(self, levels: Mapping[str, int], quasi_identifiers: Sequence[str] | None = None) -> None:
        """Set the ticks and levels at once (as a learner would with the controls), then update once."""
        if quasi_identifiers is not None:
            unknown = [name for name in quasi_identifiers if name not in self.candidates]
            if unknown:
                raise ValueError(_("{unknown} is not among this simulator's columns {columns}.",
                                   unknown=", ".join(map(repr, unknown)), columns=self.candidates))
        for name in levels:
            if name not in self.candidates:
                raise ValueError(_("{unknown} is not among this simulator's columns {columns}.",
                                   unknown=repr(name), columns=self.candidates))
        controls = [*self.ticks.values(), *self.levels.values()]
        for control in controls:
            control.unobserve(self._on_change, names="value")
        try:
            if quasi_identifiers is not None:
                for name in self.candidates:
                    self.ticks[name].value = name in quasi_identifiers
            for name, level in levels.items():
                self.levels[name].value = level
        finally:
            for control in controls:
                control.observe(self._on_change, names="value")
        self.update()

    def _on_change(self, change=None) -> None:
        self.update()

    def update(self) -> None:
        """Ask the model for the verdict, resize the bars, rewrite the text."""
        self._compute()
        self._set_artists()
        self.figure_view.refresh()
        self._update_text()

    def _compute(self) -> None:
        key = (self.quasi_identifiers, tuple(sorted(self.chosen_levels.items())))
        if key not in self._cache:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            qis = list(self.quasi_identifiers)
            if qis:
                result = model.check_release(self.table, self.chosen_levels, qis, model.SENSITIVE, self.k_target, self.max_loss)
                sizes = result.classes["size"].to_numpy()
            else:
                result, sizes = None, np.array([len(self.table)])
            records = np.array([sizes[(sizes >= low) & (sizes <= high)].sum() for _, low, high in SIZE_BINS], dtype=float)
            self._cache[key] = (result, 100 * records / len(self.table), records)
        self.result, self.shares, self.records = self._cache[key]

    # -- figure --------------------------------------------------------------------------------
    def _build_figure(self) -> None:
        with matplotlib.rc_context(plotting.STYLE):
            figure, axes = plotting.new_figure(
                _("How the records spread over groups"), _("Size of the group (records sharing the same quasi-identifiers)"),
                _("Share of the records (%)"), size=(6.4, 3.8),
            )
        positions = np.arange(len(SIZE_BINS))
        self.bars = list(axes.bar(positions, self.shares, color=plotting.PALETTE["blue"], width=0.75))
        axes.set_xticks(positions, [label for label, _, _ in SIZE_BINS])
        axes.set_ylim(0, 110)
        boundary = next(i for i, (_, low, _) in enumerate(SIZE_BINS) if low >= self.k_target) - 0.5
        axes.axvline(boundary, color=plotting.ALERT_COLOUR, linestyle="--", linewidth=1.2)
        self.target_text = axes.text(boundary - 0.1, 104, _("at risk: groups of fewer than {k}", k=count(self.k_target)), ha="right",
                                     va="center", fontsize=8, color=plotting.ALERT_TEXT_COLOUR)
        self.labels = [axes.text(p, 0, "", ha="center", va="bottom", fontsize=7.5) for p in positions]
        self.axes = axes
        FigureCanvasAgg(figure)
        self.figure = figure
        for label in self.labels:
            label.set_text("100 %")
        freeze_layout(figure)
        self._set_artists()

    def _set_artists(self) -> None:
        for (_, low, _), bar, label, share in zip(SIZE_BINS, self.bars, self.labels, self.shares):
            bar.set_height(share)
            bar.set_color(plotting.ALERT_COLOUR if low < self.k_target else plotting.PALETTE["blue"])
            label.set_text(percent(share, 0) if share >= 0.5 else ("<" + percent(1, 0) if share > 0 else ""))
            label.set_position((label.get_position()[0], share + 1))

    def describe(self) -> str:
        """Alt text: the share of records in each group size, and k."""
        parts = "; ".join(_("size {label}: {share}", label=label, share=percent(share, 1))
                          for (label, _low, _high), share in zip(SIZE_BINS, self.shares) if share > 0)
        k = self.result.k if self.result else len(self.table)
        return _(
            "Bar chart of the share of the {count} records in groups of each size: {parts}. Groups of fewer "
            "than {target} records, left of the dashed line, are at risk. k = {k}.",
            count=count(len(self.table)), parts=parts, target=count(self.k_target), k=count(k),
        )

    # -- text ----------------------------------------------------------------------------------
    def _update_text(self) -> None:
        if self.result is None:
            self.verdict.value = alert_html(_(
                "No column is ticked: then nothing tells the records apart, and nothing is generalised. Tick the "
                "columns that someone could know about a person (age, sex, neighbourhood, date)."
            ))
            return
        result = self.result
        figures = _(
            "k = {k} · records at risk: {at_risk} · ℓ = {l} · information loss: {loss}",
            k=count(result.k), at_risk=grouped(result.at_risk), l=count(result.l), loss=percent(result.loss, 1),
        )
        body = f'<p role="status"><b>{html.escape(figures)}</b></p>'
        body += alert_html(result.message) if not result.passes else f"<p>{html.escape(result.message)}</p>"
        target = _("Target: k ≥ {k} and an information loss of at most {max_loss}.",
                   k=count(self.k_target), max_loss=percent(self.max_loss, 0))
        caveat = _("k-anonymity alone does not make data anonymous: look at ℓ, and at what else someone may know.")
        rules_title = _("The rules.")
        body += (f"<p><b>{html.escape(rules_title)}</b> {html.escape(target)} "
                 f"{html.escape(model.loss_rule())} {html.escape(caveat)}</p>")
        self.verdict.value = body
