"""Course module: Open data and open government.

- ``model/``: the pure model (standard library, numpy and pandas only): a reader for French-style
  CSV files that reports what it detected, a data-quality report, Avignon's catalogue metadata
  (ISO 19139) with a completeness score, a DCAT-AP record builder, the five-star rating, and
  k-anonymity with generalisation hierarchies on a synthetic table of service requests. Import it
  as ``from modules.open_data import model``.
- ``widgets/``: the interactive simulations (views that receive the model): the metadata-quality
  explorer and the "is it safe to publish?" simulator.
- ``figures/``: the figures and tables the lessons show (views: they receive model outputs).
- ``data/``: the datasets, each with a README.md giving its origin, licence and attribution.
  Montréal's 2012 bicycle file is also read by the smart-towns module.
"""
