"""The course's plotting style: readable, colour-blind-safe figures that always carry a title, units and alt text.

Figures are :class:`matplotlib.figure.Figure` objects made without :mod:`matplotlib.pyplot`, so a
figure is shown once, where the lesson decides, and widgets can redraw the same figure in place.
:func:`show` displays a figure with its alt text, both in JupyterLab and on the course site.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from PIL import Image

from modules.common.i18n import language, translator

_ = translator(__name__)

#: Okabe & Ito's palette (2008), distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
#: The order in which series take colours (yellow last: it is pale on white).
SERIES_COLOURS = [PALETTE[name] for name in ("blue", "orange", "green", "vermillion", "purple", "sky", "black", "yellow")]
#: Colour of alert thresholds and warnings in figures.
ALERT_COLOUR = PALETTE["vermillion"]
#: Colour of alert text: a darker vermillion that reads at 7.5:1 on white (the palette's is 3.9:1),
#: and 5.4:1 on the grey box in which the site's dark mode shows outputs (WCAG AA asks 4.5:1).
ALERT_TEXT_COLOUR = "#8A3700"

STYLE = {
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 96,
    "savefig.dpi": 96,
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": matplotlib.cycler(color=SERIES_COLOURS),
    "lines.linewidth": 2.2,
    "legend.frameon": False,
}


def new_figure(title: str, xlabel: str, ylabel: str, *, size: tuple[float, float] = (7.0, 4.0)) -> tuple[Figure, "matplotlib.axes.Axes"]:
    """Create a figure with one set of axes in the course style.

    ``xlabel`` and ``ylabel`` must name the unit, for example ``"Year"`` and ``"Million euros (M€)"``.
    Raises ``ValueError`` when the title or a label is empty, because a figure without them
    cannot be read by a learner (nor described by a screen reader).
    """
    for name, text in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not str(text).strip():
            raise ValueError(_("Every course figure needs a {name}: pass a non-empty {name}=...", name=name))
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=size, layout="constrained")
        axes = fig.add_subplot()
        axes.set_title(title)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
    localise_ticks(axes)
    return fig, axes


def _french_tick(value: float, _position=None) -> str:
    """A tick label the French way: ``2.5`` → ``'2,5'``, ``-1`` → ``'−1'`` (years stay ``2019``)."""
    return f"{value:g}".replace(".", ",").replace("-", "\u2212")


def localise_ticks(axes) -> None:
    """Write the tick labels of ``axes`` in the learner's language (a decimal comma in French).

    English keeps matplotlib's own labels, so English figures do not change. :func:`new_figure`
    calls it; call it too for axes added afterwards (``figure.add_subplot``). Categorical ticks
    (``set_yticks(positions, labels)``) keep their labels.
    """
    if language() != "fr":
        return
    for axis in (axes.xaxis, axes.yaxis):
        axis.set_major_formatter(FuncFormatter(_french_tick))


def png_bytes(fig: Figure) -> bytes:
    """Render ``fig`` to PNG bytes at the course resolution (96 dpi)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format="png")
    return buffer.getvalue()


def canvas_png(canvas) -> bytes:
    """Encode what an Agg canvas has drawn as PNG, without drawing it again.

    Light compression (level 1): a simulation re-encodes its figure at every slider move, and
    level 1 is about twice as fast as the default for a file 15 % larger.
    """
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def img_tag(fig: Figure, alt: str, png: bytes | None = None) -> str:
    """Return an HTML ``<img>`` element holding ``fig`` as an embedded PNG with its ``alt`` text.

    ``png`` is the already-rendered image, when the caller has it (see :class:`FigureView`).
    """
    if not alt.strip():
        raise ValueError(_("Every course figure needs alt text: describe what the figure shows in one or two sentences."))
    encoded = base64.b64encode(png if png is not None else png_bytes(fig)).decode("ascii")
    return (
        f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt, quote=True)}" '
        f'style="max-width:100%;height:auto">'
    )


@dataclass
class AccessibleFigure:
    """A figure with alt text and an optional caption, as Jupyter and the course site display it.

    Jupyter picks the HTML representation (an ``<img>`` with ``alt`` inside a ``<figure>``); the
    PNG and plain-text representations serve other front ends.
    """

    figure: Figure
    alt: str
    caption: str = ""

    def _repr_mimebundle_(self, include=None, exclude=None):
        caption = f"<figcaption>{html.escape(self.caption)}</figcaption>" if self.caption else ""
        return {
            "text/html": f'<figure class="course-figure">{img_tag(self.figure, self.alt)}{caption}</figure>',
            "text/plain": _("Figure: {alt}", alt=self.alt),
        }


def show(fig: Figure, alt: str, caption: str = "") -> AccessibleFigure:
    """Return ``fig`` wrapped with its alt text and caption; the last line of a cell displays it."""
    return AccessibleFigure(fig, alt, caption)
