"""Figures and tables of the open-data lessons, one file per lesson: views that receive model outputs."""
