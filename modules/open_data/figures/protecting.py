"""Tables and figures of lesson 03, *Personal data before publishing* (book/open_data/03-publishing-people-data.md).

Views only: each function receives what the model computed (group sizes of
:func:`~modules.open_data.model.equivalence_classes`, k and losses of
:func:`~modules.open_data.model.check_release`) and returns a formatted table or an accessible
figure. Shares are in % of the records; loss is in % by :data:`~modules.open_data.model.LOSS_RULE`.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd

from modules.common.i18n import translator
from modules.common.views import plotting
from modules.common.views.tables import FullTable
from modules.open_data import model
from modules.open_data.model.wording import count, decimal, percent

_ = translator(__name__)

#: Group sizes shown as bars: (label, smallest size, largest size).
SIZE_BINS = (("1", 1, 1), ("2–4", 2, 4), ("5–9", 5, 9), ("10–49", 10, 49), ("50+", 50, np.inf))


def size_shares(sizes: pd.Series) -> pd.Series:
    """The % of records in groups of each size bin of :data:`SIZE_BINS` (sizes: one value per group)."""
    sizes = np.asarray(sizes)
    total = sizes.sum()
    return pd.Series({label: 100 * sizes[(sizes >= low) & (sizes <= high)].sum() / total for label, low, high in SIZE_BINS})


def group_size_chart(tables: dict[str, pd.Series], k_target: int = model.K_TARGET) -> plotting.AccessibleFigure:
    """Side-by-side bars: for each named table, the % of records in groups of each size.

    tables : name of the table (e.g. "Raw", in the learner's language) → the size of each of its groups
    """
    shares = {name: size_shares(sizes) for name, sizes in tables.items()}
    with matplotlib.rc_context(plotting.STYLE):
        figure, axes = plotting.new_figure(
            _("How many requests share each description?"), _("Size of the group (requests with the same quasi-identifiers)"),
            _("Share of the requests (%)"), size=(7.2, 4.0))
    positions = np.arange(len(SIZE_BINS))
    width = 0.8 / len(shares)
    for number, (name, values) in enumerate(shares.items()):
        axes.bar(positions + (number - (len(shares) - 1) / 2) * width, values.to_numpy(), width=width,
                 color=plotting.SERIES_COLOURS[number], label=name)
    axes.set_xticks(positions, [label for label, _, _ in SIZE_BINS])
    starts = [low for _, low, _ in SIZE_BINS]
    if k_target not in starts:
        raise ValueError(_("The chart's bins start at {starts}: k_target must be one of them to draw its limit.", starts=starts))
    boundary = starts.index(k_target) - 0.5
    axes.axvline(boundary, color=plotting.ALERT_COLOUR, linestyle="--", linewidth=1.2)
    axes.text(boundary - 0.05, 101, _("at risk: groups of fewer than {k}", k=count(k_target)), ha="right", va="bottom", fontsize=8,
              color=plotting.ALERT_TEXT_COLOUR)
    axes.set_ylim(0, 108)
    axes.legend(loc="upper right", fontsize=8.5)
    parts = "; ".join(
        f"{name}: " + ", ".join(_("{share} in groups of {label}", share=percent(value, 0), label=label)
                                for label, value in values.items() if value >= 0.5)
        for name, values in shares.items())
    alt = _("Grouped bar chart of the share of the requests in groups of each size, for {count} versions of the "
            "table. {parts}. Groups of fewer than {k} requests, left of the dashed line, are at risk.",
            count=count(len(shares)), parts=parts, k=count(k_target))
    return plotting.show(figure, alt)


def tradeoff_chart(points: pd.DataFrame, k_target: int, max_loss: float, quasi_identifiers: tuple[str, ...]) -> plotting.AccessibleFigure:
    """k (log scale) against the information lost, one point per choice of levels, best choices joined.

    points : one row per choice, with columns ``k`` and ``loss`` (%) and a ``label`` naming the levels
    """
    best = points.sort_values(["loss", "k"], ascending=[True, False])
    front, best_k = [], 0
    for row in best.itertuples():
        if row.k > best_k:
            front.append(row)
            best_k = row.k
    with matplotlib.rc_context(plotting.STYLE):
        figure, axes = plotting.new_figure(
            _("Protection against usefulness: {count} choices of levels", count=count(len(points))),
            _("Information lost (%)"), _("k, the size of the smallest group (log scale)"), size=(7.2, 4.4))
    axes.set_yscale("log")
    axes.scatter(points["loss"], points["k"], color=plotting.PALETTE["sky"], s=28, label=_("one choice of levels"))
    axes.plot([p.loss for p in front], [p.k for p in front], color=plotting.PALETTE["blue"], marker="o",
              label=_("best k for its loss"))
    axes.axhline(k_target, color=plotting.ALERT_COLOUR, linestyle="--", linewidth=1.2, label=f"k = {count(k_target)}")
    axes.axvline(max_loss, color=plotting.PALETTE["black"], linestyle=":", linewidth=1.2,
                 label=_("loss = {max_loss}", max_loss=percent(max_loss, 0)))
    axes.set_xlim(-3, 103)
    axes.legend(loc="lower right", fontsize=8)
    cheapest = next((p for p in front if p.k >= k_target), None)
    alt = _(
        "Scatter plot of {count} choices of generalisation levels for {columns}: k on a log "
        "scale from {k_min} to {k_max}, against the information lost, from {loss_min} to {loss_max}. The best choices "
        "form a rising staircase: more protection always costs more information.",
        count=count(len(points)), columns=", ".join(model.column_name(name) for name in quasi_identifiers),
        k_min=count(points["k"].min()), k_max=count(points["k"].max()), loss_min=decimal(points["loss"].min(), 0),
        loss_max=percent(points["loss"].max(), 0),
    ) + (_(" The cheapest choice with k of at least {k} loses {loss} ({label}).", k=count(k_target),
           loss=percent(cheapest.loss, 1), label=cheapest.label) if cheapest else "")
    return plotting.show(figure, alt)


def uniqueness_table(rows: list[tuple[str, int, float]]) -> FullTable:
    """For each set of quasi-identifiers: k and the share of requests alone in their group."""
    alone = _("Requests alone in their group")
    frame = pd.DataFrame(rows, columns=[_("Quasi-identifiers known"), "k", alone])
    frame[alone] = [percent(share, 1) for share in frame[alone]]
    return FullTable(frame)


def levels_table() -> FullTable:
    """The generalisation levels of each quasi-identifier, from exact to suppressed."""
    rows = [(model.column_name(name), " → ".join(f"{number}: {_(label)}" for number, label in enumerate(hierarchy.levels)))
            for name, hierarchy in model.HIERARCHIES.items()]
    return FullTable(pd.DataFrame(rows, columns=[_("Quasi-identifier"), _("Levels")]))
