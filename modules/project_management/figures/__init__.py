"""Figures and tables of the project-management lessons, one file per lesson: views that receive model outputs."""
