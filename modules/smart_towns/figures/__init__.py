"""Figures and tables of the smart-towns lessons, one file per lesson: views that receive model outputs."""
