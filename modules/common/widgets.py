"""Small ipywidgets helpers shared by the course simulations.

A simulation is a view that receives a pure model. It builds its controls with
:func:`slider`, draws into a :class:`FigureView` (one matplotlib figure redrawn in place and
shown with its alt text), and explains the result in plain words in a :func:`verdict` box.
"""

from __future__ import annotations

from typing import Callable

import ipywidgets as widgets
from matplotlib.figure import Figure

from .plotting import img_tag

DESCRIPTION_WIDTH = "16em"


def slider(description: str, value: float, minimum: float, maximum: float, step: float, *, unit: str = "", readout_format: str = ".1f") -> widgets.FloatSlider:
    """Return a labelled float slider whose readout shows the unit, updating only on release.

    ``description`` is the plain-language label, for example ``"Tax rate change"``; ``unit``
    is appended to it in brackets (``"%/year"``), so a learner always knows what moves.
    """
    if not minimum <= value <= maximum:
        raise ValueError(f"The starting value {value} of slider {description!r} is outside [{minimum}, {maximum}].")
    label = f"{description} ({unit})" if unit else description
    return widgets.FloatSlider(
        value=value,
        min=minimum,
        max=maximum,
        step=step,
        description=label,
        readout_format=readout_format,
        continuous_update=False,
        style={"description_width": DESCRIPTION_WIDTH},
        layout=widgets.Layout(width="36em"),
    )


def verdict() -> widgets.HTML:
    """Return an empty box for the plain-language verdict of a simulation (set its ``value`` to HTML)."""
    return widgets.HTML(value="", layout=widgets.Layout(min_height="3em"))


class FigureView:
    """One matplotlib figure shown in a widget and redrawn in place.

    The view keeps the same :class:`~matplotlib.figure.Figure`; the simulation changes its artists
    (``line.set_ydata(...)``) and calls :meth:`refresh`, which re-renders the figure with its
    current alt text. The figure's PNG is part of the widget state, so the course site shows it.
    """

    def __init__(self, figure: Figure, describe: Callable[[], str]):
        """``describe`` returns the alt text for the figure's current data (called at every refresh)."""
        self.figure = figure
        self.describe = describe
        self.widget = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.refresh()

    def refresh(self) -> None:
        """Re-render the figure into the widget after its artists have changed."""
        self.widget.value = img_tag(self.figure, self.describe())
