"""Numbers written for learners: amounts in euros. Models, figures, widgets and lessons all use it,
so an amount reads the same wherever it appears."""

from __future__ import annotations


def format_euros(amount: float, unit: str = "M€") -> str:
    """Format an amount in euros for learners: ``format_euros(28_357_095)`` gives ``'28.4 M€'``.

    ``unit`` is ``"M€"`` (millions), ``"k€"`` (thousands) or ``"€"``.
    """
    divisors = {"M€": 1e6, "k€": 1e3, "€": 1.0}
    if unit not in divisors:
        raise ValueError(f"Unknown unit {unit!r}: use one of {', '.join(divisors)}.")
    value = amount / divisors[unit]
    if unit == "€":
        return f"{value:,.0f} €".replace(",", " ")
    return f"{value:,.1f} {unit}".replace(",", " ")
