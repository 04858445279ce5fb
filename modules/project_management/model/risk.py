"""Schedule risk: three-point estimates and a Monte Carlo simulation of the whole network.

A single duration per task hides how uncertain it is. A three-point estimate gives an optimistic
(``a``), a most likely (``m``) and a pessimistic (``b``) duration, in working days. The simulation
draws every uncertain task's duration many times (a triangular or a beta-PERT distribution between
``a`` and ``b`` that peaks at ``m``), runs the forward pass of the network for every draw, and
returns the distribution of the project's duration: its median (P50), the duration met in 80 % of
the runs (P80), and how often each task was on the critical path.

Why the plan's date is rarely the likely date: the project ends with its longest path, and the
maximum of several uncertain paths is pushed late by whichever one slips; and most tasks can slip
far more than they can gain (``b − m`` is larger than ``m − a``).

Everything is vectorised with numpy: one array of ``runs × tasks`` durations and one pass over the
tasks in topological order, each step a column-wise maximum. 10,000 runs of a 30-task network take
a few milliseconds (see ``bench/bench_project_management_monte_carlo.py``).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from modules.common.i18n import translator

from .network import TOLERANCE, Network, _check_network, _is_number, critical_paths
from .wording import general

_ = translator(__name__)

#: Distributions accepted by :func:`simulate`.
DISTRIBUTIONS = ("triangular", "pert")

#: Weight of the most likely value in the beta-PERT distribution (the classic PERT uses 4).
PERT_LAMBDA = 4.0


@dataclass(frozen=True)
class ThreePoint:
    """A three-point estimate of a duration, in working days: ``0 ≤ optimistic ≤ most_likely ≤ pessimistic``.

    ``optimistic == pessimistic`` is allowed: the duration is then certain.
    """

    optimistic: float
    most_likely: float
    pessimistic: float

    def __post_init__(self) -> None:
        for label in ("optimistic", "most_likely", "pessimistic"):
            value = getattr(self, label)
            if not _is_number(value) or not math.isfinite(value):
                raise ValueError(_("{label} is {value}: give a finite number of working days.", label=label, value=repr(value)))
            if value < 0:
                raise ValueError(_(
                    "{label} is {value}: a duration cannot be negative, give 0 or more working days.", label=label, value=general(value)
                ))
            object.__setattr__(self, label, float(value))
        a, m, b = self.optimistic, self.most_likely, self.pessimistic
        if a > m:
            raise ValueError(_(
                "optimistic ({a}) is larger than most_likely ({m}): give optimistic ≤ most likely ≤ pessimistic.", a=general(a), m=general(m)
            ))
        if m > b:
            raise ValueError(_(
                "most_likely ({m}) is larger than pessimistic ({b}): give optimistic ≤ most likely ≤ pessimistic.", m=general(m), b=general(b)
            ))

    @classmethod
    def fixed(cls, duration: float) -> "ThreePoint":
        """A certain duration (working days): all three points equal."""
        return cls(duration, duration, duration)

    @property
    def pert_mean(self) -> float:
        """PERT expected duration (a + 4m + b) / 6, working days."""
        return (self.optimistic + 4 * self.most_likely + self.pessimistic) / 6

    @property
    def pert_sd(self) -> float:
        """PERT standard deviation (b − a) / 6, working days."""
        return (self.pessimistic - self.optimistic) / 6

    @property
    def pert_variance(self) -> float:
        """PERT variance ((b − a) / 6)², working days squared."""
        return self.pert_sd**2

    @property
    def triangular_mean(self) -> float:
        """Mean of the triangular distribution (a + m + b) / 3, working days."""
        return (self.optimistic + self.most_likely + self.pessimistic) / 3

    @property
    def triangular_sd(self) -> float:
        """Standard deviation of the triangular distribution, working days."""
        a, m, b = self.optimistic, self.most_likely, self.pessimistic
        return math.sqrt(max(a * a + m * m + b * b - a * m - a * b - m * b, 0.0) / 18)

    def widened(self, factor: float) -> "ThreePoint":
        """The same estimate with its spread around the most likely value multiplied by ``factor``.

        ``factor`` 0 makes the duration certain (``m``), 1 changes nothing, 2 doubles both the
        possible gain ``m − a`` and the possible slip ``b − m``. The optimistic value never goes
        below 0 days.
        """
        if not _is_number(factor) or not math.isfinite(factor) or factor < 0:
            raise ValueError(_("factor is {factor}: give a number 0 or more (1 keeps the estimate as it is).", factor=repr(factor)))
        m = self.most_likely
        return ThreePoint(max(0.0, m - factor * (m - self.optimistic)), m, m + factor * (self.pessimistic - m))

    def as_tuple(self) -> tuple[float, float, float]:
        """(optimistic, most_likely, pessimistic)."""
        return (self.optimistic, self.most_likely, self.pessimistic)


def _check_estimates(network: Network, estimates) -> dict[str, ThreePoint]:
    """Estimates as {name: ThreePoint}; tuples (a, m, b) are accepted. Unknown names are errors."""
    if estimates is None:
        return {}
    if not isinstance(estimates, Mapping):
        raise ValueError(_("Give estimates as a mapping {task name: ThreePoint(optimistic, most_likely, pessimistic)}."))
    checked: dict[str, ThreePoint] = {}
    for name, estimate in estimates.items():
        if name not in network.index:
            raise ValueError(_(
                "estimates names {name}, which is not a task of the network: fix the name (tasks: {tasks}).",
                name=repr(name), tasks=", ".join(network.names),
            ))
        if isinstance(estimate, ThreePoint):
            checked[name] = estimate
        elif isinstance(estimate, (tuple, list)) and len(estimate) == 3:
            checked[name] = ThreePoint(*estimate)
        else:
            raise ValueError(_(
                "The estimate of {name} is {estimate}: give ThreePoint(optimistic, most_likely, pessimistic).",
                name=repr(name), estimate=repr(estimate),
            ))
    return checked


def most_likely_durations(estimates: Mapping[str, ThreePoint]) -> dict[str, float]:
    """{name: most likely duration}: the single-point plan most schedules are built on."""
    return {name: estimate.most_likely for name, estimate in estimates.items()}


def pert_durations(estimates: Mapping[str, ThreePoint]) -> dict[str, float]:
    """{name: PERT mean (a + 4m + b) / 6}."""
    return {name: estimate.pert_mean for name, estimate in estimates.items()}


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """The outcome of :func:`simulate`.

    Attributes
    ----------
    finish : numpy array
        Project duration of each run (working days), one value per run.
    critical_share : pandas Series
        For each task (topological order), the share of runs in which it was critical (0 to 1).
    runs, seed, distribution :
        How the simulation was run (same inputs and seed → same results).
    samples : numpy array
        The drawn durations, ``runs × tasks`` (columns in the network's topological order).
    names : list of str
        Task names, the columns of ``samples``.
    plan_duration : float
        Project duration with every task at its most likely value (the single-point plan).
    """

    finish: np.ndarray
    critical_share: pd.Series
    runs: int
    seed: int | None
    distribution: str
    samples: np.ndarray
    names: list
    plan_duration: float

    def __repr__(self) -> str:
        return (
            f"SimulationResult(runs={self.runs}, seed={self.seed}, distribution={self.distribution!r}: "
            f"plan {self.plan_duration:.1f}, P50 {self.p50:.1f}, P80 {self.p80:.1f}, mean {self.mean:.1f} working days)"
        )

    def percentile(self, p: float) -> float:
        """Duration (working days) met in a share ``p`` of the runs: ``percentile(0.8)`` is the P80.

        ``p`` is a fraction between 0 and 1; numpy's default (linear) interpolation is used.
        """
        if not _is_number(p) or not 0 <= p <= 1:
            if _is_number(p) and 1 < p <= 100:
                raise ValueError(_("p is {p}: give a fraction between 0 and 1 (you may have given a percentage: write 0.8 for P80).", p=repr(p)))
            raise ValueError(_("p is {p}: give a fraction between 0 and 1.", p=repr(p)))
        return float(np.percentile(self.finish, 100 * p))

    @property
    def p50(self) -> float:
        """Median project duration (working days): half the runs finish by then."""
        return self.percentile(0.5)

    @property
    def p80(self) -> float:
        """Duration met in 80 % of the runs (working days)."""
        return self.percentile(0.8)

    @property
    def mean(self) -> float:
        """Mean project duration (working days)."""
        return float(self.finish.mean())

    @property
    def sd(self) -> float:
        """Standard deviation of the project duration (working days)."""
        return float(self.finish.std())

    def probability_by(self, day: float) -> float:
        """Share of runs (0 to 1) in which the project finishes at or before ``day`` (working days)."""
        if not _is_number(day) or not math.isfinite(day):
            raise ValueError(_("day is {day}: give a number of working days from the project start.", day=repr(day)))
        return float(np.mean(self.finish <= day + TOLERANCE))

    def most_critical(self, count: int = 5) -> pd.Series:
        """The ``count`` tasks most often critical, most often first (share of runs, 0 to 1)."""
        return self.critical_share.sort_values(ascending=False, kind="stable").head(count)

    def summary(self) -> dict[str, float]:
        """The key figures in one dict (working days, and probabilities as fractions)."""
        return {
            "runs": self.runs,
            "plan": self.plan_duration,
            "mean": self.mean,
            "p50": self.p50,
            "p80": self.p80,
            "probability_of_plan": self.probability_by(self.plan_duration),
        }


def _draw(estimates: list[ThreePoint], runs: int, rng: np.random.Generator, distribution: str) -> np.ndarray:
    """Durations drawn for the given estimates: array ``len(estimates) × runs``."""
    a = np.array([e.optimistic for e in estimates])
    m = np.array([e.most_likely for e in estimates])
    b = np.array([e.pessimistic for e in estimates])
    out = np.repeat(m[:, None], runs, axis=1)  # certain durations (a == b) stay at m
    varying = b > a
    if not varying.any():
        return out
    a, m, b = a[varying], m[varying], b[varying]
    if distribution == "triangular":
        draws = rng.triangular(a, m, b, size=(runs, a.size))
    else:  # beta-PERT
        spread = b - a
        alpha = 1 + PERT_LAMBDA * (m - a) / spread
        beta = 1 + PERT_LAMBDA * (b - m) / spread
        draws = a + spread * rng.beta(alpha, beta, size=(runs, a.size))
    out[varying] = draws.T
    return out


def _simulate_passes(network: Network, durations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Forward and backward passes for every run at once.

    ``durations`` is ``tasks × runs`` (topological order). Returns the project duration of every
    run and a ``tasks × runs`` boolean array: was the task critical in that run?
    """
    count, runs = durations.shape
    es = np.empty_like(durations)
    ef = np.empty_like(durations)
    for i, preds in enumerate(network.predecessor_indices):
        if preds.size == 0:
            es[i] = 0.0
        elif preds.size == 1:
            es[i] = ef[preds[0]]
        else:
            np.max(ef[preds], axis=0, out=es[i])
        np.add(es[i], durations[i], out=ef[i])
    finish = ef.max(axis=0)
    ls = np.empty_like(durations)
    for i in range(count - 1, -1, -1):
        succs = network.successor_indices[i]
        if succs.size == 0:
            ls[i] = finish
        elif succs.size == 1:
            ls[i] = ls[succs[0]]
        else:
            np.min(ls[succs], axis=0, out=ls[i])
        ls[i] -= durations[i]
    critical = (ls - es) <= TOLERANCE * np.maximum(1.0, finish)
    return finish, critical


def simulate(
    network: Network,
    estimates: Mapping[str, ThreePoint],
    runs: int = 10_000,
    seed: int | None = 2024,
    distribution: str = "triangular",
) -> SimulationResult:
    """Monte Carlo simulation of the project's duration.

    Parameters
    ----------
    network : Network
        The tasks and their dependencies.
    estimates : mapping {task name: ThreePoint}
        Three-point estimates (working days). Tasks missing here keep their fixed ``Task.duration``.
    runs : int
        Number of simulated projects, 1 or more (10,000 gives P80 within about ±0.1 day on a
        typical network).
    seed : int or None
        Seed of numpy's random generator: the same seed gives the same results, which makes a
        result reproducible and gradable. ``None`` draws a fresh seed every time.
    distribution : "triangular" or "pert"
        ``"triangular"``: numpy's triangular distribution between a and b with its peak at m.
        ``"pert"``: beta-PERT (lambda 4), whose mean is (a + 4m + b) / 6 and which puts less weight
        on the extremes than the triangular one. A task with a == b is certain in both.

    Returns
    -------
    SimulationResult
        ``.finish`` (working days per run), ``.p50``, ``.p80``, ``.percentile(p)``, ``.mean``,
        ``.critical_share``, ``.probability_by(day)``.
    """
    network = _check_network(network)
    checked = _check_estimates(network, estimates)
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs < 1:
        raise ValueError(_("runs is {runs}: give a whole number of simulated projects, 1 or more (10_000 is usual).", runs=repr(runs)))
    if distribution not in DISTRIBUTIONS:
        raise ValueError(_('distribution is {distribution}: choose "triangular" or "pert".', distribution=repr(distribution)))
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise ValueError(_("seed is {seed}: give a whole number 0 or more (or None for a fresh random seed).", seed=repr(seed)))
    runs = int(runs)
    rng = np.random.default_rng(seed)

    durations = np.repeat(network.durations[:, None], runs, axis=1)
    uncertain = [i for i, name in enumerate(network.names) if name in checked]
    if uncertain:
        drawn = _draw([checked[network.names[i]] for i in uncertain], runs, rng, distribution)
        durations[uncertain] = drawn
    finish, critical = _simulate_passes(network, durations)

    plan = network.duration_array(most_likely_durations(checked))
    plan_finish, _critical = _simulate_passes(network, plan[:, None])
    return SimulationResult(
        finish=finish,
        critical_share=pd.Series(critical.mean(axis=1), index=pd.Index(network.names, name="task"), name="critical_share"),
        runs=runs,
        seed=None if seed is None else int(seed),
        distribution=distribution,
        samples=durations.T,
        names=list(network.names),
        plan_duration=float(plan_finish[0]),
    )


@dataclass(frozen=True)
class PertApproximation:
    """The classic PERT shortcut: a normal distribution for the project's duration.

    ``mean`` is the sum of the PERT means along the critical path (computed with PERT means), ``sd``
    the square root of the sum of their variances (working days). It ignores near-critical paths,
    which can overtake the critical one, so it tends to be optimistic: compare with :func:`simulate`.
    """

    mean: float
    sd: float
    path: tuple[str, ...]

    def probability_by(self, day: float) -> float:
        """Normal-approximation chance (0 to 1) of finishing at or before ``day``."""
        if self.sd == 0:
            return float(day + TOLERANCE >= self.mean)
        return statistics.NormalDist(self.mean, self.sd).cdf(day)

    def percentile(self, p: float) -> float:
        """Duration met with probability ``p`` (a fraction strictly between 0 and 1) under the approximation."""
        if not _is_number(p) or not 0 < p < 1:
            raise ValueError(_("p is {p}: give a fraction strictly between 0 and 1 (0.8 for P80).", p=repr(p)))
        if self.sd == 0:
            return self.mean
        return statistics.NormalDist(self.mean, self.sd).inv_cdf(p)


def pert_approximation(network: Network, estimates: Mapping[str, ThreePoint]) -> PertApproximation:
    """PERT's normal approximation along the critical path of the PERT means.

    Tasks without an estimate are certain (variance 0). With several critical paths, the one with
    the largest variance is used (the most uncertain of the longest paths).
    """
    network = _check_network(network)
    checked = _check_estimates(network, estimates)
    means = pert_durations(checked)
    paths = critical_paths(network, means)
    duration = network.duration_array(means)

    def variance(path: list[str]) -> float:
        return sum(checked[name].pert_variance for name in path if name in checked)

    best = max(paths, key=variance)
    mean = float(sum(duration[network.index[name]] for name in best))
    return PertApproximation(mean=mean, sd=math.sqrt(variance(best)), path=tuple(best))

