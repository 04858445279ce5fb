"""Earned value: is a project on budget and on time, and what will it cost in the end? (euros)

Four amounts, all in euros and all measured at the same status date:

- ``bac``, budget at completion: what the whole project was budgeted to cost;
- ``pv``, planned value: the budgeted cost of the work that the plan scheduled by the status date;
- ``ev``, earned value: the budgeted cost of the work actually done by then (``percent done × bac``);
- ``ac``, actual cost: what that work really cost.

Comparing ``ev`` with ``ac`` says whether the work done cost more than planned (cost variance,
cost performance index); comparing ``ev`` with ``pv`` says whether less work was done than planned
(schedule variance, schedule performance index, measured in euros of work, not in days). The
forecasts then extend today's performance to the end of the project.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from modules.common.i18n import N_, translator

from .network import _is_number
from .wording import decimal
from .wording import euros as _euros

_ = translator(__name__)

#: How the messages name each amount (shown in the learner's language).
AMOUNT_LABELS = {
    "bac": N_("bac (budget at completion)"),
    "pv": N_("pv (planned value)"),
    "ev": N_("ev (earned value)"),
    "ac": N_("ac (actual cost)"),
}


def _check_euros(label: str, value, *, positive: bool = False) -> float:
    if not _is_number(value) or not math.isfinite(value):
        raise ValueError(_("{label} is {value}: give an amount in euros (a finite number).", label=label, value=repr(value)))
    if positive and value <= 0:
        raise ValueError(_("{label} is {value}: the budget at completion must be more than 0 €.", label=label, value=repr(value)))
    if value < 0:
        raise ValueError(_("{label} is {value}: give an amount of 0 € or more.", label=label, value=repr(value)))
    return float(value)


@dataclass(frozen=True)
class EarnedValue:
    """The earned-value position of a project at one status date (all amounts in euros).

    Parameters
    ----------
    bac : float
        Budget at completion (€, more than 0).
    pv : float
        Planned value (€): budgeted cost of the work scheduled by the status date, 0 to ``bac``.
    ev : float
        Earned value (€): budgeted cost of the work performed by then, 0 to ``bac``.
    ac : float
        Actual cost (€) of the work performed, 0 or more (it may exceed ``bac``).

    Ratios that would divide by zero are ``None`` (for example ``cpi`` before any money is spent),
    and so are the forecasts built on them.
    """

    bac: float
    pv: float
    ev: float
    ac: float

    def __post_init__(self) -> None:
        for name in ("bac", "pv", "ev", "ac"):
            label = AMOUNT_LABELS[name]  # translated where it is shown (a constant marked with N_)
            object.__setattr__(self, name, _check_euros(_(label), getattr(self, name), positive=name == "bac"))
        if self.pv > self.bac * (1 + 1e-12):
            raise ValueError(_(
                "pv ({pv}) is larger than bac ({bac}): the plan cannot schedule more "
                "work than the whole budget. Check both amounts.",
                pv=_euros(self.pv, True), bac=_euros(self.bac, True),
            ))
        if self.ev > self.bac * (1 + 1e-12):
            raise ValueError(_(
                "ev ({ev}) is larger than bac ({bac}): earned value is the budgeted cost "
                "of the work done, at most the whole budget (100 % done). Check both amounts.",
                ev=_euros(self.ev, True), bac=_euros(self.bac, True),
            ))

    # -- variances (€) --------------------------------------------------------------------------

    @property
    def cv(self) -> float:
        """Cost variance EV − AC (€): negative = the work done cost more than budgeted."""
        return self.ev - self.ac

    @property
    def sv(self) -> float:
        """Schedule variance EV − PV (€ of work): negative = less work done than planned by now."""
        return self.ev - self.pv

    # -- indices (ratios) -----------------------------------------------------------------------

    @property
    def cpi(self) -> float | None:
        """Cost performance index EV / AC: euros of planned work obtained per euro spent (below 1 = over budget).

        ``None`` while nothing has been spent (AC = 0)."""
        return None if self.ac == 0 else self.ev / self.ac

    @property
    def spi(self) -> float | None:
        """Schedule performance index EV / PV (below 1 = behind schedule). ``None`` while PV = 0."""
        return None if self.pv == 0 else self.ev / self.pv

    @property
    def percent_complete(self) -> float:
        """Share of the work done, EV / BAC (a fraction: 0.4 = 40 %)."""
        return self.ev / self.bac

    @property
    def percent_spent(self) -> float:
        """Share of the budget spent, AC / BAC (a fraction; above 1 = the budget is exhausted)."""
        return self.ac / self.bac

    @property
    def percent_planned(self) -> float:
        """Share of the work the plan scheduled by now, PV / BAC (a fraction)."""
        return self.pv / self.bac

    # -- forecasts (€) --------------------------------------------------------------------------

    @property
    def eac(self) -> float | None:
        """Estimate at completion BAC / CPI (€), if today's cost efficiency persists to the end.

        ``None`` when CPI is undefined (nothing spent yet) or 0 (money spent, no work earned)."""
        cpi = self.cpi
        return None if cpi is None or cpi == 0 else self.bac / cpi

    @property
    def eac_one_off(self) -> float:
        """Estimate at completion AC + (BAC − EV) (€), if the overrun so far was a one-off and the
        remaining work costs what was budgeted."""
        return self.ac + (self.bac - self.ev)

    @property
    def etc(self) -> float | None:
        """Estimate to complete EAC − AC (€): what is still to be spent. ``None`` when EAC is."""
        eac = self.eac
        return None if eac is None else eac - self.ac

    @property
    def vac(self) -> float | None:
        """Variance at completion BAC − EAC (€): negative = forecast overrun. ``None`` when EAC is."""
        eac = self.eac
        return None if eac is None else self.bac - eac

    @property
    def tcpi(self) -> float | None:
        """To-complete performance index (BAC − EV) / (BAC − AC): the CPI the remaining work needs to
        finish within the original budget (above 1 = must do better than planned).

        ``None`` when the budget is already spent (AC ≥ BAC): no efficiency can then keep the project
        within its budget, unless the work is finished."""
        remaining_budget = self.bac - self.ac
        if remaining_budget <= 0:
            return None
        return (self.bac - self.ev) / remaining_budget

    def indicators(self) -> dict[str, float | None]:
        """Every indicator in one dict (amounts in €, indices as ratios), for tables and tests."""
        return {
            name: getattr(self, name)
            for name in ("bac", "pv", "ev", "ac", "cv", "sv", "cpi", "spi", "eac", "eac_one_off", "etc", "vac", "tcpi", "percent_complete")
        }

    def verdict(self) -> str:
        """Three plain sentences: cost, schedule, forecast (in the learner's language)."""
        cpi, spi, eac = self.cpi, self.spi, self.eac
        if cpi is None:
            cost = _("Cost: nothing has been spent yet, so cost performance cannot be judged.")
        elif abs(self.cv) < 0.5:
            cost = _("On budget: the work done is worth what it cost ({ac}, CPI {cpi}).", ac=_euros(self.ac), cpi=decimal(cpi, 2))
        elif self.cv < 0:
            cost = _(
                "Over budget: the work done was budgeted at {ev} but cost {ac} "
                "(CV {cv}, CPI {cpi}: each euro spent buys {cpi} € of planned work).",
                ev=_euros(self.ev), ac=_euros(self.ac), cv=_euros(self.cv), cpi=decimal(cpi, 2),
            )
        else:
            cost = _(
                "Under budget: the work done was budgeted at {ev} and cost only {ac} (CV +{cv}, CPI {cpi}).",
                ev=_euros(self.ev), ac=_euros(self.ac), cv=_euros(self.cv), cpi=decimal(cpi, 2),
            )
        if spi is None:
            schedule = _("Schedule: no work was planned by this date yet, so progress cannot be judged.")
        elif abs(self.sv) < 0.5:
            schedule = _("On schedule: the work done matches the plan ({ev}, SPI {spi}).", ev=_euros(self.ev), spi=decimal(spi, 2))
        elif self.sv < 0:
            schedule = _(
                "Late: {ev} of work done against {pv} planned by now (SV {sv}, SPI {spi}).",
                ev=_euros(self.ev), pv=_euros(self.pv), sv=_euros(self.sv), spi=decimal(spi, 2),
            )
        else:
            schedule = _(
                "Ahead of schedule: {ev} of work done against {pv} planned by now (SV +{sv}, SPI {spi}).",
                ev=_euros(self.ev), pv=_euros(self.pv), sv=_euros(self.sv), spi=decimal(spi, 2),
            )
        if eac is None:
            forecast = _(
                "Forecast: no cost efficiency yet; if the rest costs what was budgeted, the project will cost {eac}.",
                eac=_euros(self.eac_one_off),
            )
        else:
            gap = eac - self.bac
            if abs(gap) < 0.5:
                ending = _("exactly its budget")
            elif gap > 0:
                ending = _("{gap} over its {bac} budget", gap=_euros(gap), bac=_euros(self.bac))
            else:
                ending = _("{gap} under its {bac} budget", gap=_euros(-gap), bac=_euros(self.bac))
            forecast = _(
                "Forecast: if efficiency stays as it is, the project will cost {eac} in total, {ending} "
                "({one_off} if the overrun so far was a one-off).",
                eac=_euros(eac), ending=ending, one_off=_euros(self.eac_one_off),
            )
        return " ".join((cost, schedule, forecast))


def planned_curve(bac: float, periods: int) -> pd.Series:
    """A typical S-shaped planned value curve: cumulative PV (€) at the end of periods 0..``periods``.

    Spending starts slowly, peaks mid-project and tails off, modelled by the smooth step
    ``bac × (3t² − 2t³)`` with ``t = period / periods``. Use it when a real plan is not at hand.
    """
    label = AMOUNT_LABELS["bac"]  # translated where it is shown (a constant marked with N_)
    bac = _check_euros(_(label), bac, positive=True)
    if isinstance(periods, bool) or not isinstance(periods, (int, np.integer)) or periods < 1:
        raise ValueError(_("periods is {periods}: give a whole number of periods (months, weeks), 1 or more.", periods=repr(periods)))
    t = np.arange(periods + 1) / periods
    return pd.Series(bac * (3 * t**2 - 2 * t**3), index=pd.RangeIndex(periods + 1, name="period"), name="pv")


def earned_value_curve(
    bac: float,
    planned: pd.Series,
    earned: pd.Series | None = None,
    actual: pd.Series | None = None,
) -> pd.DataFrame:
    """The earned-value table over time: one row per status date (the index of ``planned``).

    ``planned``, ``earned`` and ``actual`` are cumulative amounts (€) indexed by status date or
    period; ``earned`` and ``actual`` may cover only the dates reported so far (later rows are NaN).
    Columns: ``pv``, ``ev``, ``ac``, ``cv``, ``sv``, ``cpi``, ``spi``, ``eac`` (NaN where undefined).
    """
    label = AMOUNT_LABELS["bac"]
    bac = _check_euros(_(label), bac, positive=True)
    if not isinstance(planned, pd.Series) or planned.empty:
        raise ValueError(_("planned must be a non-empty pandas Series of cumulative planned value (€) by date."))
    frame = pd.DataFrame({"pv": planned.astype(float)})
    for label, series in (("ev", earned), ("ac", actual)):
        if series is None:
            frame[label] = np.nan
            continue
        if not isinstance(series, pd.Series):
            raise ValueError(_("{label} must be a pandas Series of cumulative amounts (€) by date, like planned.", label=label))
        unknown = series.index.difference(planned.index)
        if len(unknown):
            raise ValueError(_(
                "{label} has dates that planned does not have ({dates}): give both on the same dates.",
                label=label, dates=", ".join(map(str, unknown[:3])),
            ))
        frame[label] = series.astype(float).reindex(planned.index)
    for label in ("pv", "ev", "ac"):
        values = frame[label].dropna()
        if (values < 0).any():
            raise ValueError(_("{label} has negative amounts: cumulative amounts are 0 € or more.", label=label))
        if (np.diff(values.to_numpy()) < -1e-9).any():
            raise ValueError(_("{label} decreases at some date: give cumulative amounts (running totals), which never fall.", label=label))
    for label in ("pv", "ev"):
        if (frame[label].dropna() > bac * (1 + 1e-12)).any():
            raise ValueError(_(
                "{label} goes above bac ({bac}): planned and earned value are at most the whole budget.", label=label, bac=_euros(bac)
            ))
    frame["cv"] = frame["ev"] - frame["ac"]
    frame["sv"] = frame["ev"] - frame["pv"]
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["cpi"] = (frame["ev"] / frame["ac"]).where(frame["ac"] > 0)
        frame["spi"] = (frame["ev"] / frame["pv"]).where(frame["pv"] > 0)
        frame["eac"] = (bac / frame["cpi"]).where(frame["cpi"] > 0)
    return frame
