"""Course module: Managing public projects.

- ``model/``: the pure model (numpy and pandas only): task networks and the critical path, schedule
  risk with three-point estimates and Monte Carlo, crashing plans, earned value, and the reader of
  Avignon's roadworks orders. Import it as ``from modules.project_management import model``.
- ``widgets.py``: the interactive simulations (views that receive the model): the schedule-risk
  simulator and the earned-value dashboard.
- ``figures/``: the figures and tables the lessons show (views: they receive model outputs).
- ``data/``: the datasets, each with a README.md giving its origin, licence and attribution.
"""
