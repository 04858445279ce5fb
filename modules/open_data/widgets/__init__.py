"""Interactive simulations of module 4, built on :mod:`modules.open_data.model` (one file each).

- :class:`MetadataExplorer` (``catalogue_explorer.py``): browse a catalogue's records by
  completeness, and read what each one lacks, its five-star rating and its DCAT-AP status.
- :class:`PublishSimulator` (``release_simulator.py``): choose quasi-identifiers and generalisation
  levels, and read k, the records at risk, ℓ, the information lost and the course's verdict.

Each simulation receives model outputs, draws once, and at every change of a control moves the
existing plot artists and calls :meth:`modules.common.views.widgets.FigureView.refresh`. Display one by
making ``simulator.widget`` the last expression of a notebook cell.
"""

from .catalogue_explorer import MetadataExplorer  # noqa: F401
from .release_simulator import PublishSimulator  # noqa: F401
