"""A synthetic table of citizen service requests, to practise anonymisation without exposing anyone.

A town's request desk (a phone line, a web form, an app such as "signaler un problème") records
who asked for what, where and when. Such a table is useful to publish, since it maps the needs of
each neighbourhood, and dangerous, because age, sex, neighbourhood and date together can point to
one resident. The course cannot use real requests, so :func:`synthetic_requests` makes them up
with a fixed seed: the same call gives the same table on every machine.

Everything here is invented except the names of Avignon's participatory-budget sectors, taken from
the town's 2017 file, and its two postcodes (84000 for Avignon, 84140 for Montfavet). The shares of
each sector, age, sex, day and kind of request are the course's assumptions, chosen to look like a
town's desk, not measured.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from modules.common.i18n import translator

_ = translator(__name__)

#: The seed of the course's table: the lessons, the simulator and the exercise all use it.
SEED = 2026
#: Requests in the course's table.
DEFAULT_ROWS = 4000
#: The year the requests are dated in.
YEAR = 2024

#: Avignon's sectors (from the 2017 participatory-budget file), their postcode, and the share of
#: requests that the course assumes each one sends (an assumption, not a measure).
NEIGHBOURHOODS = {
    "Intra-muros": ("84000", 0.17),
    "Nord": ("84000", 0.09),
    "Nord Rocade": ("84000", 0.14),
    "Sud Rocade": ("84000", 0.16),
    "Est": ("84000", 0.12),
    "Ouest": ("84000", 0.14),
    "Montfavet": ("84140", 0.18),
}
#: The kinds of request (the sensitive column) and their assumed shares among residents under 70.
CATEGORIES = {
    "Waste and cleanliness": 0.26,
    "Pothole or pavement": 0.22,
    "Street lighting": 0.16,
    "Noise": 0.13,
    "Green spaces": 0.11,
    "Social help": 0.08,
    "Disability access": 0.04,
}
#: The columns that single people out together (quasi-identifiers), and the sensitive column.
QUASI_IDENTIFIERS = ("age", "sex", "neighbourhood", "date")
SENSITIVE = "category"


def synthetic_requests(n: int = DEFAULT_ROWS, seed: int = SEED) -> pd.DataFrame:
    """Return ``n`` made-up service requests of ``YEAR``, the same for the same ``n`` and ``seed``.

    Columns: ``request_id`` (a direct identifier, never to be published), ``age`` (years, 18 to 95),
    ``sex`` (``"F"`` or ``"M"``), ``neighbourhood`` (an Avignon sector), ``postcode``, ``date``
    (datetime64, a day of ``YEAR``; fewer requests at weekends and in August) and ``category``
    (the kind of request, the sensitive column: residents of 70 and over ask for social help and
    disability access more often). Rows are sorted by date, then by request number.
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(_("n is the number of requests to make up: give a whole number of at least 1, not {n}.", n=repr(n)))
    rng = np.random.default_rng(seed)
    names = list(NEIGHBOURHOODS)
    shares = np.array([NEIGHBOURHOODS[name][1] for name in names])
    neighbourhood = rng.choice(names, size=n, p=shares / shares.sum())

    ages = np.clip(np.round(rng.normal(47, 16, size=n)), 18, 95).astype(int)
    elderly = rng.random(n) < 0.08
    ages[elderly] = rng.integers(75, 96, size=int(elderly.sum()))
    sex = np.where(rng.random(n) < 0.53, "F", "M")

    days = pd.date_range(f"{YEAR}-01-01", f"{YEAR}-12-31", freq="D")
    weights = np.where(days.day_of_week >= 5, 0.4, 1.0) * np.where(days.month == 8, 0.6, 1.0)
    date = days[rng.choice(len(days), size=n, p=weights / weights.sum())]

    kinds = list(CATEGORIES)
    young = np.array([CATEGORIES[kind] for kind in kinds])
    old = young.copy()
    old[kinds.index("Social help")] *= 3.0
    old[kinds.index("Disability access")] *= 4.0
    category = np.where(
        ages >= 70,
        rng.choice(kinds, size=n, p=old / old.sum()),
        rng.choice(kinds, size=n, p=young / young.sum()),
    )
    table = pd.DataFrame({
        "age": ages,
        "sex": sex,
        "neighbourhood": neighbourhood,
        "postcode": [NEIGHBOURHOODS[name][0] for name in neighbourhood],
        "date": date,
        "category": category,
    })
    table = table.sort_values("date", kind="stable").reset_index(drop=True)
    table.insert(0, "request_id", [f"R{YEAR}-{number:05d}" for number in range(1, n + 1)])
    return table
