"""Module 1 of the course: communal budgeting and participatory budgeting.

- :mod:`modules.budgeting.model` holds the pure model (numpy and pandas only): the structure of a
  French commune's budget, its savings and debt indicators, a multi-year projection, the Lanester
  2019 budget read from its published files, and the allocation rules of a participatory budget
  applied to Avignon's 2017 projects.
- :mod:`modules.budgeting.widgets` holds the interactive simulations built on that model
  (ipywidgets and matplotlib): :class:`~modules.budgeting.widgets.BudgetSimulator` and
  :class:`~modules.budgeting.widgets.ParticipatoryBudgetSimulator`; :mod:`modules.budgeting.commune_form`
  holds the form where learners enter their own commune's figures and project them.
- :mod:`modules.budgeting.figures` holds the figures and formatted tables of the lessons, one file
  per lesson, so that a lesson page shows only the code that teaches.

The model never imports the widgets, so it can be tested and graded without Jupyter.
"""
