"""Shared helpers for every course module: datasets, plotting style and widget helpers."""
