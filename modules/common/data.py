"""Load the datasets that ship inside the course package.

Datasets live in ``modules/<slug>/data/<dataset>/`` next to a ``README.md`` that gives their
origin, licence and attribution. They are read through :mod:`importlib.resources`, so lessons
and exercises find them wherever the course is installed (a clone, a hub, a container image)
and never depend on the current working directory.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import pandas as pd

PACKAGE = "modules"


class DatasetNotFoundError(FileNotFoundError):
    """Raised when a dataset file is not shipped with the course."""


def data_dir(slug: str) -> Path:
    """Return the folder that holds the datasets of module ``slug`` (for example ``"budgeting"``)."""
    root = importlib.resources.files(PACKAGE)
    folder = root / slug / "data"
    if not folder.is_dir():
        known = sorted(p.name for p in root.iterdir() if (p / "data").is_dir())
        raise DatasetNotFoundError(
            f"The course has no module called {slug!r} with datasets. "
            f"Modules with datasets: {', '.join(known)}."
        )
    return Path(str(folder))


def data_path(slug: str, *parts: str) -> Path:
    """Return the path of one dataset file, for example ``data_path("budgeting", "lanester_budget_primitif_2019", "budget.csv")``.

    Raises :class:`DatasetNotFoundError` with the list of available files when it does not exist.
    """
    folder = data_dir(slug)
    path = folder.joinpath(*parts)
    if not path.exists():
        parent = path.parent if path.parent.is_dir() else folder
        available = sorted(str(p.relative_to(folder)) for p in parent.rglob("*") if p.is_file())
        raise DatasetNotFoundError(
            f"No file {'/'.join(parts)!r} in the datasets of module {slug!r}. "
            f"Available files: {', '.join(available)}."
        )
    return path


def read_csv(slug: str, *parts: str, **read_csv_options) -> pd.DataFrame:
    """Read a CSV dataset of module ``slug`` with :func:`pandas.read_csv`.

    ``read_csv_options`` are passed on unchanged (``sep=";"``, ``encoding="latin1"``...), because
    real open data comes in many dialects and a lesson should show which one it reads.
    """
    return pd.read_csv(data_path(slug, *parts), **read_csv_options)


def attribution(slug: str, dataset: str) -> str:
    """Return the attribution line of a dataset, taken from its README (the line after ``## Attribution``).

    Lessons print it under the figures that use the data, as the data licences require.
    """
    readme = data_path(slug, dataset, "README.md").read_text(encoding="utf-8")
    lines = readme.splitlines()
    for index, line in enumerate(lines):
        if line.strip().lower() == "## attribution":
            for following in lines[index + 1 :]:
                if following.strip():
                    return following.strip()
    raise DatasetNotFoundError(
        f"The README of dataset {dataset!r} has no '## Attribution' section: add one."
    )
