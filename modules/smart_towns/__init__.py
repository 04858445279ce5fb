"""Course module: Smart towns.

- ``model/``: the pure model (numpy and pandas only): Avignon's bicycle and pedestrian counters as
  clean daily series, their profiles and anomalies, Montréal's bicycle counts against the weather,
  the digital-maturity self-assessment, and street lighting (nights, dimming, energy, cost, CO2,
  payback, and the dimming schedule checked against pedestrian counts). Import it as
  ``from modules.smart_towns import model``.
- ``widgets.py``: the interactive simulations (views that receive the model): the counter explorer,
  the maturity self-assessment and the lighting simulator.
- ``figures/``: the figures and tables the lessons show (views: they receive model outputs).
- ``data/``: the datasets, each with a README.md giving its origin, licence and attribution.
"""
