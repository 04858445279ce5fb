"""Interactive simulations of module 1, built on :mod:`modules.budgeting.model`.

Each simulation receives model inputs, builds its controls with
:func:`modules.common.views.widgets.slider`, draws once, and then, at every change of a control,
recomputes the model, moves the existing plot artists (``set_data``, ``set_width``) and calls
:meth:`modules.common.views.widgets.FigureView.refresh`. Nothing is replotted.

Display a simulation by making ``simulator.widget`` the last expression of a notebook cell.
Tests and scripts read ``simulator.frame`` (the current model output), the plotted data (for
example ``simulator.lines["debt"].get_ydata()``), ``simulator.verdict.value`` and
``simulator.figure_view.describe()`` (the alt text).
"""

from __future__ import annotations

import html
import math
from dataclasses import replace

import ipywidgets as widgets
import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.ticker import MaxNLocator

from modules.budgeting import model
from modules.budgeting.model import wording
from modules.common.formatting import format_euros
from modules.common.i18n import N_, translator
from modules.common.views import plotting
from modules.common.views.widgets import FigureView, slider, verdict

_ = translator(__name__)

MILLION = 1e6
THOUSAND = 1e3


def _million(amount: float) -> str:
    """``-1234567`` → ``'−1.2 M€'`` (with a real minus sign, easier to read)."""
    return format_euros(amount, "M€").replace("-", "−")


def _years_phrase(years, last_year: int, *, lower: bool = False) -> str:
    """``[2027, 2028, 2029]`` → ``'From 2027'`` when the run of years lasts to ``last_year``; else the years.

    A run that stops before the end of the projection is named year by year (``'In 2027 and
    2028'``), so a learner never reads a lasting breach into a passing one.
    """
    years = [int(year) for year in years]
    runs_to_end = years == list(range(years[0], years[0] + len(years))) and years[-1] == int(last_year)
    if runs_to_end:
        text = _("From {year}", year=years[0])
    elif len(years) == 1:
        text = _("In {year}", year=years[0])
    else:
        text = _("In {years} and {last}", years=", ".join(str(year) for year in years[:-1]), last=years[-1])
    return text[0].lower() + text[1:] if lower else text


def _freeze_layout(figure, axes_list, widest: tuple[float, float] = (-100.0, 100.0)) -> None:
    """Lay ``figure`` out once, with room for the widest y tick labels, then keep that layout.

    Constrained layout costs a second full draw at every render. Here it runs once, while every
    axis shows the widest labels expected (``widest`` limits), and the positions it finds are kept:
    later renders only redraw. The real limits are set again by the caller.
    """
    saved = [axes.get_ylim() for axes in axes_list]
    for axes in axes_list:
        axes.set_ylim(*widest)
    figure.canvas.draw()
    figure.set_layout_engine(None)
    for axes, limits in zip(axes_list, saved):
        axes.set_ylim(*limits)


def _limits(values, *, include=(0.0,), pad: float = 0.12) -> tuple[float, float]:
    """Y-axis limits that show every finite value and ``include``, with some room around.

    The limits snap outwards to round tick values, so that most slider moves leave them
    unchanged and the figure can be redrawn by moving its lines only (see ``FigureView``).
    """
    finite = [float(v) for v in values if v is not None and math.isfinite(v)] + list(include)
    low, high = min(finite), max(finite)
    span = (high - low) or max(abs(high), 1.0)
    low, high = (low - pad * span if low < 0 else low), high + pad * span
    ticks = MaxNLocator(nbins=3).tick_values(low, high)
    return float(ticks[0]), float(ticks[-1])


# ---------------------------------------------------------------------------------------------
# Multi-year budget projection
# ---------------------------------------------------------------------------------------------

#: Sliders of :class:`BudgetSimulator`: Policy field → (label, unit, min, max, step, factor).
#: ``factor`` converts the slider's unit into the model's (per cent → fraction, M€ → €).
#: Labels and units are in English (marked with ``N_``) and shown in the learner's language.
SLIDERS = {
    "tax_rate_change": (N_("Tax rate change"), N_("%/year"), -2.0, 5.0, 0.25, 0.01),
    "tax_base_growth": (N_("Tax base growth"), N_("%/year"), -1.0, 4.0, 0.01, 0.01),
    "staff_cost_growth": (N_("Staff cost growth"), N_("%/year"), -1.0, 5.0, 0.01, 0.01),
    "other_spending_growth": (N_("Other spending growth"), N_("%/year"), -2.0, 5.0, 0.1, 0.01),
    "other_revenue_growth": (N_("Other revenue growth"), N_("%/year"), -2.0, 5.0, 0.1, 0.01),
    "grant_trend": (N_("State grants trend"), N_("%/year"), -5.0, 3.0, 0.25, 0.01),
    "investment": (N_("Investment"), N_("M€/year"), 0.0, 10.0, 0.1, MILLION),
    "borrowing_rate": (N_("Borrowing rate"), N_("%"), 0.0, 6.0, 0.25, 0.01),
    "loan_duration": (N_("Loan duration"), N_("years"), 5.0, 30.0, 1.0, 1),
}


#: Top of the debt-capacity axis, in years: when savings vanish the ratio soars, and a taller axis
#: would flatten the 12-year line. Values above it leave the chart (the verdict gives them).
RATIO_AXIS_CAP = 30.0


class BudgetSimulator:
    """Project a commune's budget under a policy chosen with sliders, and judge its debt.

    Parameters
    ----------
    start : model.Budget
        The first year, for example ``model.lanester_2019()``.
    policy : model.Policy, optional
        Starting position of the sliders (``model.Policy()`` by default).
    ranges : dict, optional
        Override slider ranges in the slider's unit: ``{"tax_rate_change": (0.0, 10.0)}`` or
        ``(min, max, step)``. Keys are the fields of :data:`SLIDERS`.
    years : int
        Number of years projected after the start year (10 by default).
    name : str
        Name of the commune, used in titles and in the alt text.

    The figure has three panels: gross and net savings, debt outstanding, and the debt capacity
    with the 12-year reference line. ``frame`` is the current projection
    (:func:`model.project_budget`); ``lines`` holds the plotted lines.
    """

    def __init__(self, start: model.Budget, policy: model.Policy | None = None, ranges: dict | None = None, years: int = 10, name: str | None = None):
        if not isinstance(start, model.Budget):
            raise TypeError(_("start must be a model.Budget, for example model.lanester_2019()."))
        self.start = start
        self.years = years
        self.name = name if name is not None else _("the commune")
        policy = policy or model.Policy()
        self._base_policy = policy
        unknown = set(ranges or {}) - set(SLIDERS)
        if unknown:
            raise ValueError(_("Unknown slider(s) {unknown} in ranges: use {known}.", unknown=sorted(unknown), known=", ".join(SLIDERS)))
        self.sliders: dict[str, widgets.FloatSlider] = {}
        for field, (label, unit, low, high, step, factor) in SLIDERS.items():
            override = (ranges or {}).get(field)
            if override is not None:
                low, high, *rest = override
                step = rest[0] if rest else step
            value = getattr(policy, field) / factor
            fmt = ".0f" if field == "loan_duration" else ".2f" if step < 0.1 else ".1f"
            self.sliders[field] = slider(_(label), float(value), float(low), float(high), float(step), unit=_(unit), readout_format=fmt)
        self.frame = model.project_budget(start, policy, years)
        self._estimate_cache: dict = {}
        self.verdict = verdict()
        self._build_figure()
        self.figure_view = FigureView(self.figure, self.describe, dynamic_artists=list(self.lines.values()))
        self._update_verdict()
        for control in self.sliders.values():
            control.observe(self._on_change, names="value")
        self.title = widgets.HTML(self._title_html())
        self.widget = widgets.VBox(
            [
                self.title,
                *self.sliders.values(),
                self.verdict,
                self.figure_view.widget,
            ]
        )

    def _title_html(self) -> str:
        title = _("Policy for {name}, {first}–{last}", name=self.name, first=self.start.year + 1, last=self.start.year + self.years)
        return f"<b>{html.escape(title)}</b>"

    def set_start(self, start: model.Budget, name: str | None = None) -> None:
        """Project another starting budget (for example a learner's own commune) with the current sliders."""
        if not isinstance(start, model.Budget):
            raise TypeError(_("start must be a model.Budget, for example model.lanester_2019()."))
        self.start = start
        if name:
            self.name = name
        self.title.value = self._title_html()
        self._estimate_cache.clear()
        del self._usual  # the axes are sized again for the new commune
        first = start.year
        self.axes["ratio"].set_xlim(first - 0.3, first + self.years + 0.3)
        self.update()

    # -- model ---------------------------------------------------------------------------------
    @property
    def policy(self) -> model.Policy:
        """The policy set by the sliders, in model units (fractions, euros, years)."""
        values = {}
        for field, (*_unused, factor) in SLIDERS.items():
            value = self.sliders[field].value * factor
            values[field] = int(round(value)) if field == "loan_duration" else float(value)
        return replace(self._base_policy, **values)

    def _on_change(self, change=None) -> None:
        self.update()

    def update(self) -> None:
        """Recompute the projection, move the lines, re-render the figure and rewrite the verdict."""
        self.frame = model.project_budget(self.start, self.policy, self.years)
        self._redraw()
        self._update_verdict()

    # -- figure --------------------------------------------------------------------------------
    def _build_figure(self) -> None:
        years = self.frame.index.to_numpy()
        first, last = int(years[0]), int(years[-1])
        with matplotlib.rc_context(plotting.STYLE):
            figure, savings_axes = plotting.new_figure(_("Savings: gross (solid), net (dashed)"), _("Year"), _("M€"), size=(6.2, 6.8))
            grid = figure.add_gridspec(3, 1)
            savings_axes.set_subplotspec(grid[0])
            debt_axes = figure.add_subplot(grid[1], sharex=savings_axes)
            ratio_axes = figure.add_subplot(grid[2], sharex=savings_axes)
            # A fixed title position (y=1) spares matplotlib a search for overlaps at every render.
            savings_axes.set_title(savings_axes.get_title(), y=1.0)
            debt_axes.set_title(_("Debt on 31 December"), y=1.0)
            ratio_axes.set_title(_("Debt capacity: debt ÷ gross savings"), y=1.0)
        debt_axes.set_ylabel(_("M€"))
        ratio_axes.set_ylabel(_("Years"))
        ratio_axes.set_xlabel(_("Year"))
        for axes in (debt_axes, ratio_axes):
            plotting.localise_ticks(axes)
        for axes in (savings_axes, debt_axes):
            axes.tick_params(labelbottom=False)
            axes.set_xlabel("")
        for axes in (savings_axes, debt_axes, ratio_axes):
            axes.yaxis.set_major_locator(MaxNLocator(nbins=3))
        ratio_axes.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        ratio_axes.set_xlim(first - 0.3, last + 0.3)
        savings_axes.axhline(0, color=plotting.PALETTE["black"], linewidth=0.8)
        frame = self.frame
        self.lines = {
            "gross_savings": savings_axes.plot(years, frame["gross_savings"] / MILLION, color=plotting.PALETTE["blue"], marker="o", markersize=3)[0],
            "net_savings": savings_axes.plot(years, frame["net_savings"] / MILLION, color=plotting.PALETTE["orange"], marker="s", markersize=3, linestyle="--")[0],
            "debt": debt_axes.plot(years, frame["debt"] / MILLION, color=plotting.PALETTE["green"], marker="o", markersize=3)[0],
            "debt_capacity_years": ratio_axes.plot(years, frame["debt_capacity_years"], color=plotting.PALETTE["blue"], marker="o", markersize=3)[0],
        }
        self.threshold = ratio_axes.axhline(model.REFERENCE_CEILING_YEARS, color=plotting.ALERT_COLOUR, linestyle="--", linewidth=1.5)
        ratio_axes.text(
            0.01, model.REFERENCE_CEILING_YEARS, " " + _("{years}-year reference", years=f"{model.REFERENCE_CEILING_YEARS:.0f}"),
            transform=ratio_axes.get_yaxis_transform(), color=plotting.ALERT_COLOUR, va="bottom", fontsize=9,
        )
        self.axes = {"savings": savings_axes, "debt": debt_axes, "ratio": ratio_axes}
        FigureCanvasAgg(figure)  # keep one canvas, so each render reuses its renderer and text cache
        figure.set_layout_engine("constrained", h_pad=0.1)
        self.figure = figure
        self._set_limits()
        _freeze_layout(figure, list(self.axes.values()))

    @staticmethod
    def _panel_values(frame) -> dict[str, np.ndarray]:
        """The values each panel shows, in its unit (M€ or years)."""
        return {
            "savings": np.concatenate([frame["gross_savings"], frame["net_savings"]]) / MILLION,
            "debt": frame["debt"].to_numpy(dtype=float) / MILLION,
            "ratio": frame["debt_capacity_years"].clip(upper=RATIO_AXIS_CAP).to_numpy(dtype=float),
        }

    def _usual_ranges(self) -> dict[str, np.ndarray]:
        """What each panel shows when one slider at a time goes to either end of its range.

        The axes are sized for all these projections, so most slider moves change no limit and
        the figure is redrawn by moving its lines only; an axis grows only for data beyond them.
        """
        panels = {name: [values] for name, values in self._panel_values(self.frame).items()}
        for field, control in self.sliders.items():
            for end in (control.min, control.max):
                factor = SLIDERS[field][5]
                value = int(round(end * factor)) if field == "loan_duration" else float(end * factor)
                frame = model.project_budget(self.start, replace(self.policy, **{field: value}), self.years)
                for name, values in self._panel_values(frame).items():
                    panels[name].append(values)
        return {name: np.concatenate(values) for name, values in panels.items()}

    def _set_limits(self) -> None:
        if not hasattr(self, "_usual"):
            self._usual = self._usual_ranges()
        includes = {"savings": (0.0,), "debt": (0.0,), "ratio": (0.0, model.RED_YEARS)}
        for name, values in self._panel_values(self.frame).items():
            usual = self._usual[name]
            finite = values[np.isfinite(values)]
            if finite.size and (finite.min() < np.nanmin(usual) or finite.max() > np.nanmax(usual)):
                usual = np.concatenate([usual, finite])
            self.axes[name].set_ylim(*_limits(usual, include=includes[name]))

    def _redraw(self) -> None:
        frame = self.frame
        years = frame.index.to_numpy()
        for column, line in self.lines.items():
            values = frame[column].to_numpy(dtype=float)
            line.set_data(years, values if column == "debt_capacity_years" else values / MILLION)
        self._set_limits()
        self.figure_view.refresh()

    # -- words ---------------------------------------------------------------------------------
    def describe(self) -> str:
        """Alt text of the figure, describing the current projection."""
        frame = self.frame
        first, last = frame.index[0], frame.index[-1]
        ratio = frame["debt_capacity_years"]

        def years_text(value):
            if not math.isfinite(value):
                return _("meaningless (savings at or below zero)")
            return _("{years} years", years=wording.decimal(value))

        above = frame.index[ratio > model.REFERENCE_CEILING_YEARS]
        crossing = (
            " " + _("It is above the 12-year reference line from {year}.", year=above[0]) if len(above)
            else " " + _("It stays below the 12-year reference line.")
        )
        return _(
            "Three line charts of the budget projection of {name}, {first} to {last}. "
            "Gross savings go from {gross_first} to {gross_last}, and net savings from {net_first} to {net_last}. "
            "Debt outstanding goes from {debt_first} to {debt_last}. "
            "Debt capacity goes from {ratio_first} to {ratio_last}.",
            name=self.name, first=first, last=last,
            gross_first=_million(frame["gross_savings"].iloc[0]), gross_last=_million(frame["gross_savings"].iloc[-1]),
            net_first=_million(frame["net_savings"].iloc[0]), net_last=_million(frame["net_savings"].iloc[-1]),
            debt_first=_million(frame["debt"].iloc[0]), debt_last=_million(frame["debt"].iloc[-1]),
            ratio_first=years_text(ratio.iloc[0]), ratio_last=years_text(ratio.iloc[-1]),
        ) + crossing

    def verdict_text(self) -> str:
        """The plain-language verdict on the last projected year (also shown under the sliders).

        It reads the debt capacity against the 12-year reference, says from which year the golden
        rule (CGCT L1612-4) would break or net savings turn negative (a warning sign, not a breach),
        and, when the starting debt is an estimate, how the verdict moves with that estimate.
        """
        frame = self.frame
        last = frame.index[-1]
        years = frame["debt_capacity_years"].iloc[-1]
        savings = frame["gross_savings"].iloc[-1]
        level = model.alert_level(years)
        reference = _(
            "the {years}-year reference (set for the largest authorities' 2018–2022 "
            "contracts, not a rule for every commune)",
            years=f"{model.REFERENCE_CEILING_YEARS:.0f}",
        )
        shown = wording.decimal(years) if math.isfinite(years) else ""
        if level == "meaningless":
            text = _(
                "In {year} gross savings would be {savings}: the day-to-day budget would no longer pay for "
                "itself, so the debt could not be repaid from savings at all (the debt capacity has no meaning).",
                year=last, savings=_million(savings),
            )
        elif years > model.REFERENCE_CEILING_YEARS:
            text = _("In {year} the debt would take {years} years of gross savings to repay, above {reference}.",
                     year=last, years=shown, reference=reference)
            if level == "red":
                text += " " + _("That is in the red zone ({years} years or more).", years=f"{model.RED_YEARS:.0f}")
        elif level == "vigilance":
            text = _(
                "In {year} the debt would take {years} years of gross savings to repay: under {reference}, "
                "but in the zone to watch (10 years or more).",
                year=last, years=shown, reference=reference,
            )
        else:
            text = _("In {year} the debt would take {years} years of gross savings to repay, well under {reference}.",
                     year=last, years=shown, reference=reference)
        broken = frame.index[~frame["golden_rule_respected"]]
        negative_net = frame.index[frame["net_savings"] < 0]
        if len(broken):
            running_costs = frame.index[frame["gross_savings"] < 0]
            repayment = broken.difference(running_costs)
            parts = []
            if len(running_costs):
                parts.append((running_costs[0], _(
                    "{when} gross savings would be negative, so a loan would pay for running costs",
                    when=_years_phrase(running_costs, last),
                )))
            if len(repayment):
                parts.append((repayment[0], _(
                    "{when} gross savings plus own investment revenue would no longer cover the "
                    "capital repaid, so a new loan would repay an old one",
                    when=_years_phrase(repayment, last),
                )))
            parts.sort()
            sentence = "; ".join(phrase if index == 0 else phrase[0].lower() + phrase[1:] for index, (_year, phrase) in enumerate(parts))
            if len(parts) == 2:
                text += " " + _("{breaches}: the golden rule (CGCT L1612-4) forbids both. Invest less or save more.", breaches=sentence)
            else:
                text += " " + _("{breaches}: the golden rule (CGCT L1612-4) forbids it. Invest less or save more.", breaches=sentence)
        elif len(negative_net):
            text += " " + _(
                "{when} net savings are negative: a warning sign, not a breach of the golden rule. "
                "Own investment revenue then helps repay the loans, and less of it is left to invest.",
                when=_years_phrase(negative_net, last),
            )
        text += " " + _("These readings are meant for actual accounts; on a projection they only indicate a direction.")
        text += self._estimate_text()
        return text

    def _estimate_text(self) -> str:
        """How the last year's verdict moves when the estimated starting debt does (empty if the debt is known)."""
        assumed = self.start.debt_estimate_years
        if assumed is None:
            return ""
        alternatives = [remaining for remaining in model.DEBT_ESTIMATE_RANGE if remaining != assumed]
        readings = []
        for remaining in alternatives:
            key = (remaining, self.policy)
            if key not in self._estimate_cache:
                frame = model.project_budget(model.with_estimated_debt(self.start, remaining), self.policy, self.years)
                self._estimate_cache[key] = frame["debt_capacity_years"].iloc[-1]
            ratio = self._estimate_cache[key]
            readings.append(
                _("meaningless (no gross savings)") if not math.isfinite(ratio)
                else _("{years} years ({reading})", years=wording.decimal(ratio), reading=_(model.ALERT_LEVELS[model.alert_level(ratio)]))
            )
        others = "; ".join(
            _("{reading} with {remaining} years left to run", reading=reading, remaining=remaining)
            for remaining, reading in zip(alternatives, readings)
        )
        return " " + _(
            "The starting debt is an estimate (capital repaid × {assumed} years left to run). With another estimate the "
            "{year} ratio would be {others}.",
            assumed=assumed, year=self.frame.index[-1], others=others,
        )

    def _update_verdict(self) -> None:
        level = model.alert_level(self.frame["debt_capacity_years"].iloc[-1])
        alarm = level in ("worrying", "red", "meaningless") or not self.frame["golden_rule_respected"].all()
        colour = f"color:{plotting.ALERT_TEXT_COLOUR};" if alarm else ""
        self.verdict.value = f'<p style="{colour}font-size:1.05em" role="status">{html.escape(self.verdict_text())}</p>'


# ---------------------------------------------------------------------------------------------
# Participatory budget
# ---------------------------------------------------------------------------------------------

#: The label of each rule's button (shown in the learner's language).
RULES = {"greedy": N_("Greedy (most votes first)"), "equal shares": N_("Method of equal shares")}
#: How the verdict and the alt text name each rule.
RULE_NAMES = {
    "greedy": N_("the greedy rule (most votes first)"),
    "equal shares": N_("the Method of Equal Shares (approval variant: each approved project counts the same; with completion)"),
}


class ParticipatoryBudgetSimulator:
    """Share out a participatory-budget envelope with the greedy rule or the Method of Equal Shares.

    Parameters
    ----------
    projects : pandas.DataFrame
        One row per project, indexed by project id, with ``name``, ``sector`` and ``cost`` (€)
        columns, for example ``model.avignon_2017_projects()``.
    approvals : pandas.DataFrame
        Approval ballots, one row per voter, one True/False column per project id (for example
        ``model.simulate_votes(projects)``). The greedy rule uses their counts.
    envelope : float
        Starting envelope, €.
    envelope_range : tuple
        (minimum, maximum, step) of the envelope slider, €.
    rule : str
        ``"greedy"`` or ``"equal shares"``.

    ``frame`` is the current :func:`model.allocation_table` (with a ``votes`` column),
    ``allocation`` the current :class:`model.Allocation`, ``bars`` the funded-amount bars by sector.
    Results are cached by (rule, envelope), so moving back to a setting is instant.
    """

    def __init__(self, projects: pd.DataFrame, approvals: pd.DataFrame, envelope: float = 600_000.0, envelope_range: tuple = (50_000.0, 1_500_000.0, 25_000.0), rule: str = "greedy", name: str | None = None):
        if rule not in RULES:
            first, second = (repr(r) for r in RULES)
            raise ValueError(_("Unknown rule {rule}: use {first} or {second}.", rule=repr(rule), first=first, second=second))
        model._costs(projects)
        for column in ("name", "sector"):
            if column not in projects.columns:
                raise ValueError(_("projects needs a {column} column (see model.avignon_2017_projects()).", column=repr(column)))
        self.projects = projects
        self.approvals = approvals
        self.votes = model.vote_counts(model._approvals(approvals, model._costs(projects)))
        self.name = name if name is not None else _("the city")
        self._cache: dict[tuple[str, float], model.Allocation] = {}
        low, high, step = envelope_range
        self.envelope_slider = slider(_("Envelope"), envelope / THOUSAND, low / THOUSAND, high / THOUSAND, step / THOUSAND, unit=_("k€"), readout_format=".0f")
        self.rule_buttons = widgets.ToggleButtons(
            options=[(_(label), key) for key, label in RULES.items()],
            value=rule,
            description=_("Rule"),
            tooltips=[_("Fund projects by number of votes"), _("Split the envelope equally among voters")],
            style={"description_width": "4em", "button_width": "16em"},
        )
        demand = projects.groupby("sector")["cost"].sum().sort_values()
        self.sectors = list(demand.index)
        self.demand = demand
        self.verdict = verdict()
        self.project_list = widgets.HTML()
        self._compute()
        self._build_figure()
        self.figure_view = FigureView(self.figure, self.describe, dynamic_artists=list(self.bars))
        self.figure.set_layout_engine(None)  # the axes never change: keep the first layout
        self._update_text()
        self.envelope_slider.observe(self._on_change, names="value")
        self.rule_buttons.observe(self._on_change, names="value")
        self.widget = widgets.VBox([self.envelope_slider, self.rule_buttons, self.verdict, self.figure_view.widget, self.project_list])

    # -- model ---------------------------------------------------------------------------------
    @property
    def envelope(self) -> float:
        """The envelope set by the slider, €."""
        return float(self.envelope_slider.value) * THOUSAND

    @property
    def rule(self) -> str:
        """The selected rule, ``"greedy"`` or ``"equal shares"``."""
        return self.rule_buttons.value

    def allocate(self, rule: str, envelope: float) -> model.Allocation:
        """The allocation of ``rule`` for ``envelope`` € (cached)."""
        key = (rule, float(envelope))
        if key not in self._cache:
            if rule == "greedy":
                self._cache[key] = model.greedy_allocation(self.projects, self.votes, envelope)
            else:
                self._cache[key] = model.equal_shares(self.projects, self.approvals, envelope)
        return self._cache[key]

    def _compute(self) -> None:
        self.allocation = self.allocate(self.rule, self.envelope)
        self.frame = model.allocation_table(self.projects, self.allocation, self.votes)
        self.funded = model.funded_by_sector(self.projects, self.allocation, self.sectors)

    def _on_change(self, change=None) -> None:
        self.update()

    def update(self) -> None:
        """Recompute the allocation, resize the bars, re-render, and rewrite the list and verdict."""
        self._compute()
        for sector, bar in zip(self.sectors, self.bars):
            bar.set_width(self.funded[sector] / THOUSAND)
        self.figure_view.refresh()
        self._update_text()

    # -- figure --------------------------------------------------------------------------------
    def _build_figure(self) -> None:
        height = 1.5 + 0.34 * len(self.sectors)
        figure, axes = plotting.new_figure(
            _("{name}: funded (dark), proposed (light)", name=self.name), _("Thousand euros (k€)"), _("Sector"), size=(6.6, height)
        )
        positions = np.arange(len(self.sectors))
        axes.barh(positions, self.demand.to_numpy() / THOUSAND, height=0.7, color=plotting.PALETTE["sky"], alpha=0.35)
        self.bars = axes.barh(positions, self.funded.to_numpy() / THOUSAND, height=0.45, color=plotting.PALETTE["blue"])
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5))
        axes.set_yticks(positions, self.sectors)
        axes.set_xlim(0, self.demand.max() / THOUSAND * 1.08)
        axes.grid(axis="y", visible=False)
        with matplotlib.rc_context(plotting.STYLE):
            axes.set_title(axes.get_title(), y=1.0)  # fixed position: no search for overlaps at each render
        self.axes = axes
        FigureCanvasAgg(figure)  # keep one canvas, so each render reuses its renderer and text cache
        self.figure = figure

    # -- words ---------------------------------------------------------------------------------
    def describe(self) -> str:
        """Alt text of the figure, describing the current allocation."""
        parts = [
            _("{sector} {funded} k€ of {demand} k€", sector=sector,
              funded=wording.grouped(self.funded[sector] / THOUSAND), demand=wording.grouped(self.demand[sector] / THOUSAND))
            for sector in reversed(self.sectors)
        ]
        return _(
            "Horizontal bar chart of the amount funded in each sector with an envelope of {envelope} and {rule}, "
            "against the cost of all projects proposed there: {parts}.",
            envelope=format_euros(self.envelope, "€"), rule=_(RULE_NAMES[self.rule]), parts="; ".join(parts),
        )

    def verdict_text(self) -> str:
        """Plain-language summary of the current allocation."""
        allocation = self.allocation
        empty = [sector for sector in reversed(self.sectors) if self.funded[sector] == 0]
        text = _(
            "With {envelope}, {rule} funds {funded} of {projects} projects for {spent} ({left_over} left over).",
            envelope=format_euros(self.envelope, "€"), rule=_(RULE_NAMES[self.rule]), funded=len(allocation.funded),
            projects=len(self.projects), spent=format_euros(allocation.spent, "€"), left_over=format_euros(allocation.left_over, "€"),
        )
        if empty:
            text += " " + _("No project is funded in: {sectors}.", sectors=", ".join(empty))
        else:
            text += " " + _("Every sector gets at least one project.")
        return text

    def _update_text(self) -> None:
        self.verdict.value = f'<p role="status">{html.escape(self.verdict_text())}</p>'
        funded = self.frame[self.frame["funded"]].sort_values("order")
        rows = "".join(
            f"<tr><td>{row.order}</td><td>{html.escape(row.name)}</td><td style='white-space:nowrap'>{html.escape(row.sector)}</td>"
            f"<td style='text-align:right;white-space:nowrap'>{format_euros(row.cost, '€')}</td>"
            f"<td style='text-align:right'>{row.votes}</td></tr>"
            for row in funded.itertuples()
        )
        caption = html.escape(_("Funded projects, in the order the rule picked them"))
        headers = "".join(f"<th>{html.escape(header)}</th>" for header in (_("Project"), _("Sector"), _("Cost"), _("Votes")))
        self.project_list.value = (
            f"<table><caption>{caption}</caption>"
            f"<thead><tr><th>#</th>{headers}</tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
