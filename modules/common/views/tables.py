"""Tables of text that the lessons show in full."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass
class FullTable:
    """A table of text that Jupyter and the course site show in full.

    pandas cuts a cell's text after 50 characters when it displays a table; the sources, hints,
    readings and descriptions of the lessons are longer. ``frame`` is the table itself (a
    :class:`pandas.DataFrame`).
    """

    frame: pd.DataFrame

    def _repr_html_(self) -> str:
        with pd.option_context("display.max_colwidth", None):
            return self.frame._repr_html_()

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None):
            return repr(self.frame)
