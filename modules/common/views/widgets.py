"""Small ipywidgets helpers shared by the course simulations.

A simulation is a view that receives a pure model. It builds its controls with
:func:`slider`, draws into a :class:`FigureView` (one matplotlib figure redrawn in place and
shown with its alt text), and explains the result in plain words in a :func:`verdict` box.
"""

from __future__ import annotations

import html
from typing import Callable, Sequence

import ipywidgets as widgets
import matplotlib
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from modules.common.i18n import translator

from .plotting import ALERT_TEXT_COLOUR, STYLE, canvas_png, img_tag

_ = translator(__name__)

DESCRIPTION_WIDTH = "16em"


def slider(description: str, value: float, minimum: float, maximum: float, step: float, *, unit: str = "", readout_format: str = ".1f") -> widgets.FloatSlider:
    """Return a labelled float slider whose readout shows the unit, updating only on release.

    ``description`` is the plain-language label, for example ``"Tax rate change"``; ``unit``
    is appended to it in brackets (``"%/year"``), so a learner always knows what moves. Both are
    shown as given: the caller passes them in the learner's language.
    """
    if not minimum <= value <= maximum:
        raise ValueError(_(
            "The starting value {value} of slider {description} is outside [{minimum}, {maximum}].",
            value=value, description=repr(description), minimum=minimum, maximum=maximum,
        ))
    label = _("{description} ({unit})", description=description, unit=unit) if unit else description
    return widgets.FloatSlider(
        value=value,
        min=minimum,
        max=maximum,
        step=step,
        description=label,
        readout_format=readout_format,
        continuous_update=False,
        style={"description_width": DESCRIPTION_WIDTH},
        layout=widgets.Layout(width="36em", max_width="100%"),
    )


#: CSS class of every verdict box: the course site's stylesheet (``book/_assets/course.css``) keeps
#: its text readable (WCAG contrast) in the theme's light and dark modes.
VERDICT_CLASS = "course-verdict"


def verdict() -> widgets.HTML:
    """Return an empty box for the plain-language verdict of a simulation (set its ``value`` to HTML)."""
    box = widgets.HTML(value="", layout=widgets.Layout(min_height="3em"))
    box.add_class(VERDICT_CLASS)
    return box


class FigureView:
    """One matplotlib figure shown in a widget and redrawn in place.

    The view keeps the same :class:`~matplotlib.figure.Figure`; the simulation changes its artists
    (``line.set_ydata(...)``) and calls :meth:`refresh`, which re-renders the figure with its
    current alt text. The figure's PNG is part of the widget state, so the course site shows it.

    Speed: a full draw of a figure with several axes takes tens of milliseconds, mostly for text.
    When the simulation names its ``dynamic_artists`` (the lines and bars it moves), the view
    keeps an image of everything else and, as long as no axis limit has changed, only pastes that
    image and draws the dynamic artists on it (about 1 ms). Any other artist that the simulation
    changes must then be listed too, or it would keep its old look until the next full draw.
    """

    def __init__(self, figure: Figure, describe: Callable[[], str], dynamic_artists: Sequence[Artist] = ()):
        """``describe`` returns the alt text for the figure's current data (called at every refresh)."""
        self.figure = figure
        self.describe = describe
        self.dynamic_artists = list(dynamic_artists)
        self.canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)
        self._background = None
        self._background_limits = None
        self.full_draws = 0
        self.widget = widgets.HTML(layout=widgets.Layout(width="auto", max_width="100%"))
        self.refresh()

    def _limits(self) -> tuple:
        return tuple((axes.get_xlim(), axes.get_ylim()) for axes in self.figure.axes)

    def render(self) -> bytes:
        """Draw the figure's current state and return it as PNG bytes."""
        limits = self._limits()
        if self.dynamic_artists and limits == self._background_limits:
            self.canvas.restore_region(self._background)
        else:
            for artist in self.dynamic_artists:
                artist.set_visible(False)
            with matplotlib.rc_context(STYLE):
                self.canvas.draw()
            self.full_draws += 1
            for artist in self.dynamic_artists:
                artist.set_visible(True)
            if self.dynamic_artists:
                self._background = self.canvas.copy_from_bbox(self.figure.bbox)
                self._background_limits = limits
        for artist in self.dynamic_artists:
            (artist.axes or self.figure).draw_artist(artist)
        return canvas_png(self.canvas)

    def refresh(self) -> None:
        """Re-render the figure into the widget after its artists have changed."""
        self.widget.value = img_tag(self.figure, self.describe(), png=self.render())


def freeze_layout(figure: Figure) -> None:
    """Lay ``figure`` out once with constrained layout, then keep that layout.

    Constrained layout costs a second full draw at every render. The caller first puts the widest
    texts expected in place (tick labels, titles), so the layout found leaves room for them.
    """
    with matplotlib.rc_context(STYLE):
        figure.canvas.draw()
    figure.set_layout_engine(None)


def alert_html(message: str) -> str:
    """A kind message for the learner, as HTML (escaped), announced by screen readers."""
    return f'<p role="alert" style="color:{ALERT_TEXT_COLOUR}">{html.escape(message)}</p>'
