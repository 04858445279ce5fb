"""Course modules: one sub-package per module slug (budgeting, project_management, ...).

Each module has a pure ``model`` (numpy/pandas, no Jupyter), a ``widgets`` view that
receives a model, and its datasets in ``data/`` with a README giving origin and licence.
``modules.common`` holds what every module shares: data loading, plotting style, widget helpers.
"""
