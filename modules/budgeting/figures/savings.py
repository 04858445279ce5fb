"""Tables and figures of lesson 02, *Savings, debt and a multi-year projection* (book/budgeting/02-savings-and-debt.md).

Views only: each function receives what the model computed (a :class:`~modules.budgeting.model.Budget`,
a repayment table, projections from :func:`~modules.budgeting.model.project_budget`) and returns a
formatted table (a :class:`pandas.DataFrame` of text, or a :class:`FullTable` when its cells are
long) or an accessible figure (see :func:`modules.common.views.plotting.show`). None of them computes a
budget figure of its own; they read the model's outputs and name them with the model's own
readings (:func:`~modules.budgeting.model.alert_level`). Amounts are in euros unless a name says
M€ or k€.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from modules.budgeting import model
from modules.budgeting.model import wording
from modules.common.formatting import format_euros
from modules.common.i18n import N_, translator
from modules.common.views import plotting
from modules.common.views.tables import FullTable

_ = translator(__name__)

#: The credit that every figure of the lesson carries (the files are under the GPL-3.0); translate it with ``_``.
DATA_CREDIT = N_("Data: Ville de Lanester, GPL-3.0.")

MINUS = "\u2212"

#: The assumptions of the projection that a :class:`~modules.budgeting.model.Policy` holds, in the
#: order of the lesson's table: field → (what it is, where the baseline's value comes from).
#: ``{other_spending_change}`` and ``{dgf}`` are filled from the model's readings of the data.
#: In English (marked with ``N_``), shown in the learner's language.
POLICY_ASSUMPTIONS = {
    "tax_base_growth": (
        N_("Growth of the direct taxes' base (rates unchanged)"),
        N_("rec_fonct.csv: direct taxes +2.21 % in 2019 with no change of rate (the State's yearly "
           "revaluation of the base, and new residents)"),
    ),
    "staff_cost_growth": (N_("Growth of staff costs"), N_("dep_fonct.csv: payroll +1.49 % in 2019")),
    "other_spending_growth": (
        N_("Growth of other operating spending"),
        N_("dep_fonct.csv: general costs +6.53 % and grants paid −6.90 % in 2019, read together because part "
           "of the swimming-pool grant became a fee: {other_spending_change}"),
    ),
    "other_revenue_growth": (
        N_("Growth of other taxes, fees and rents"),
        N_("rec_fonct.csv: municipal fees raised by 1 % in 2019"),
    ),
    "grant_trend": (N_("Change of State grants"), N_("dgf_evolution.csv: DGF {dgf}")),
    "investment": (N_("Works and equipment each year"), N_("dep_invest.csv: the 2019 programme")),
    "borrowing_rate": (N_("Interest rate of new loans"), N_("an assumption: the files give no loan terms")),
    "loan_duration": (N_("Duration of new loans"), N_("an assumption: a usual length for local loans")),
}


# -- formatting -------------------------------------------------------------------------------


#: The columns of a repayment table (:func:`model.debt_schedule`) as headers, shown translated.
SCHEDULE_COLUMNS = {
    "opening_debt": N_("opening debt"),
    "annuity": N_("annuity"),
    "interest": N_("interest"),
    "capital": N_("capital"),
    "closing_debt": N_("closing debt"),
    "year": N_("year"),
}


def m2(amount: float) -> str:
    """An amount in M€ with two decimals, without the unit: ``4274923`` → ``'4.27'`` (``'4,27'`` in French)."""
    return wording.decimal(amount / 1e6, 2)


def k1(amount: float) -> str:
    """An amount in k€ with one decimal, without the unit: ``12345`` → ``'12.3'`` (``'12,3'`` in French)."""
    return wording.decimal(amount / 1e3, 1)


def euros(amount: float) -> str:
    """An amount in whole euros, thousands separated: ``'3 308 000 €'``."""
    return format_euros(amount, "€")


def millions(amount: float) -> str:
    """An amount in M€ with two decimals and a real minus sign: ``-370000`` → ``'−0.37'``."""
    return wording.decimal(amount / 1e6, 2).replace("-", MINUS)


def years_text(value: float | None) -> str:
    """A debt capacity in years with one decimal, or ``'no meaning'`` when savings are zero or negative."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("no meaning")
    return wording.decimal(value, 1)


def rate_text(field: str, value: float) -> str:
    """A policy value as the lesson writes it: ``'+2.21 %/year'``, ``'0 %/year (flat)'``, ``'4.7 M€/year'``, ``'15 years'``."""
    if field == "investment":
        return _("{amount} M€/year", amount=wording.decimal(value / 1e6, 1))
    if field == "loan_duration":
        return _("{years} years", years=int(value))
    if field == "borrowing_rate":
        return _("{rate} %", rate=wording.general(round(value * 100, 2)))
    if value == 0:
        return _("0 %/year (flat)")
    rate = wording.signed(value * 100, 2).rstrip("0").rstrip(".,").replace("-", MINUS)
    return _("{rate} %/year", rate=rate)


def percent(share: float, digits: int = 0) -> str:
    """A share as the lesson writes it, with a space before the sign: ``0.384`` → ``'38 %'``."""
    return wording.spaced_percent(share, digits)


def _first_year(index) -> str:
    return str(index[0]) if len(index) else _("none")


def _outcome(frame: pd.DataFrame) -> str:
    """The last year's debt capacity with its reading, and whether the golden rule holds to the end."""
    last = frame["debt_capacity_years"].iloc[-1]
    ratio = None if math.isnan(last) else float(last)
    broken = frame.index[~frame["golden_rule_respected"]]
    rule = _("golden rule broken from {year}", year=broken[0]) if len(broken) else _("golden rule kept")
    shown = _("no meaning") if ratio is None else _("{years} years", years=wording.decimal(ratio, 1))
    return _("{ratio} ({reading}), {rule}", ratio=shown, reading=reading(ratio), rule=rule)


def reading(ratio: float | None) -> str:
    """The practitioners' reading of a debt capacity (:func:`model.alert_level`), in the learner's language."""
    return _(model.ALERT_LEVELS[model.alert_level(ratio)])


# -- gross and net savings ----------------------------------------------------------------------

def waterfall_chart(budget: model.Budget, gross: float, net: float) -> plotting.AccessibleFigure:
    """From real operating revenue to net savings, step by step, in M€ (``gross`` and ``net`` in €)."""
    steps = [
        (_("Operating revenue"), budget.operating_revenue, "total"),
        (_("Staff costs"), -budget.staff_costs, "step"),
        (_("Other operating costs"), -budget.other_operating_expenses, "step"),
        (_("Interest"), -budget.interest, "step"),
        (_("Gross savings"), gross, "total"),
        (_("Capital repaid"), -budget.capital_repaid, "step"),
        (_("Net savings"), net, "total"),
    ]
    fig, ax = plotting.new_figure(
        _("From revenue to net savings, Lanester {year}", year=budget.year), _("Step"), _("Million euros (M€)"), size=(7.5, 4.2)
    )
    level = 0.0
    for position, (label, amount, kind) in enumerate(steps):
        if kind == "total":
            ax.bar(position, amount / 1e6, color=plotting.PALETTE["blue"])
            level = top = amount
        else:
            ax.bar(position, amount / 1e6, bottom=level / 1e6, color=plotting.PALETTE["orange"])
            top = level
            level += amount
        text = wording.signed(amount / 1e6, 2) if kind == "step" else wording.decimal(amount / 1e6, 2)
        ax.text(position, max(top, 0.0) / 1e6 + 0.4, text.replace("-", MINUS), ha="center", fontsize=9)
    ax.set_ylim(min(0.0, net / 1e6 * 1.2), budget.operating_revenue / 1e6 * 1.12)  # room for the labels
    ax.set_xticks(range(len(steps)), [label for label, _amount, _kind in steps], rotation=25, ha="right")
    ax.grid(axis="x", visible=False)
    return plotting.show(
        fig,
        alt=_(
            "Waterfall chart for Lanester in {year}, in million euros: operating revenue "
            "{revenue}, minus staff costs {staff}, other operating costs {other} and interest {interest}, "
            "leaves gross savings of {gross}; minus capital repaid {capital} leaves net savings of {net}.",
            year=budget.year, revenue=m2(budget.operating_revenue), staff=m2(budget.staff_costs),
            other=m2(budget.other_operating_expenses), interest=m2(budget.interest), gross=m2(gross),
            capital=m2(budget.capital_repaid), net=m2(net),
        ),
        caption=_("Blue bars are levels, orange bars what each step takes away. {credit}", credit=_(DATA_CREDIT)),
    )


# -- the debt estimate ------------------------------------------------------------------------

def debt_estimate_table(estimates: Mapping[int, model.Budget], ratios: Mapping[int, float | None], assumed: int) -> pd.DataFrame:
    """One row per assumed remaining life of the debt (years): the estimated debt, the ratio and its reading.

    ``estimates`` maps each remaining life to the budget built with it
    (``model.lanester_2019(remaining_years=...)``), ``ratios`` to its debt capacity
    (``model.debt_capacity_years``); ``assumed`` is the course's choice, marked in the index.
    """
    rows, labels = [], []
    for remaining in sorted(estimates):
        budget = estimates[remaining]
        ratio = ratios[remaining]
        labels.append(_("{years} (the course's assumption)", years=remaining) if remaining == assumed else str(remaining))
        rows.append(
            {
                _("debt on 1 January {year}", year=budget.year): euros(budget.outstanding_debt),
                _("debt on 31 December {year}", year=budget.year): euros(budget.year_end_debt),
                _("debt capacity (years)"): years_text(ratio),
                _("reading"): reading(ratio),
            }
        )
    return pd.DataFrame(rows, index=pd.Index(labels, name=_("assumed remaining life of the debt (years)")))


# -- loans --------------------------------------------------------------------------------------

def repayment_table(schedule: pd.DataFrame, rows: tuple[int, ...] = (0, 1, 2, -3, -2, -1)) -> pd.DataFrame:
    """The first and last years of a repayment table (:func:`model.debt_schedule`), in k€ with one decimal."""
    return (schedule / 1e3).round(1).rename(columns=lambda name: _("{column} (k€)", column=_(SCHEDULE_COLUMNS.get(name, name.replace("_", " "))))).iloc[list(rows)]


def repayment_chart(schedule: pd.DataFrame) -> plotting.AccessibleFigure:
    """Stacked bars of the capital and the interest of each year's annuity (``schedule``: :func:`model.debt_schedule`)."""
    principal = schedule["opening_debt"].iloc[0]
    rate = _("{rate} %", rate=wording.general(round(schedule["interest"].iloc[0] / principal * 100, 2)))
    first, last = schedule.index[0], schedule.index[-1]
    fig, ax = plotting.new_figure(
        _("Repaying {principal} M€ over {years} years at {rate}", principal=wording.decimal(principal / 1e6, 3), years=len(schedule), rate=rate),
        _("Year"), _("Thousand euros (k€)"),
    )
    ax.bar(schedule.index, schedule["capital"] / 1e3, color=plotting.PALETTE["blue"], label=_("Capital (investment section)"))
    ax.bar(schedule.index, schedule["interest"] / 1e3, bottom=schedule["capital"] / 1e3, color=plotting.PALETTE["orange"], label=_("Interest (operating section)"))
    ax.legend(loc="lower right")
    ax.grid(axis="x", visible=False)
    return plotting.show(
        fig,
        alt=_(
            "Stacked bar chart of the yearly payment of a {principal} M€ loan at {rate} over {years} "
            "years, {first} to {last}: every bar is {annuity} k€; interest falls from "
            "{interest_first} k€ to {interest_last} k€ while capital rises from {capital_first} k€ to {capital_last} k€.",
            principal=wording.decimal(principal / 1e6, 3), rate=rate, years=len(schedule), first=first, last=last,
            annuity=k1(schedule["annuity"].iloc[0]), interest_first=k1(schedule["interest"].iloc[0]),
            interest_last=k1(schedule["interest"].iloc[-1]), capital_first=k1(schedule["capital"].iloc[0]),
            capital_last=k1(schedule["capital"].iloc[-1]),
        ),
        caption=_("A constant annuity: the bars keep the same height, the split between interest and capital moves."),
    )


# -- projections --------------------------------------------------------------------------------

def projection_table(projection: pd.DataFrame) -> pd.DataFrame:
    """A projection (:func:`model.project_budget`) as the lesson shows it: M€ with two decimals, one row per year.

    The columns show both conditions of the golden rule: gross savings (zero or more), and gross
    savings plus own investment revenue against the capital repaid; net savings sit beside them, so a
    reader sees that they can be negative while the rule still holds.
    """
    table = pd.DataFrame(
        {
            _("gross savings (M€)"): projection["gross_savings"].map(millions),
            _("capital repaid (M€)"): projection["capital_repaid"].map(millions),
            _("net savings (M€)"): projection["net_savings"].map(millions),
            _("own investment revenue (M€)"): projection["investment_revenue"].map(millions),
            _("new loans (M€)"): projection["new_borrowing"].map(millions),
            _("debt on 31 December (M€)"): projection["debt"].map(millions),
            _("debt capacity (years)"): projection["debt_capacity_years"].map(years_text),
            _("golden rule"): projection["golden_rule_respected"].map({True: _("respected"), False: _("broken")}),
        },
        index=projection.index,
    )
    return table.rename_axis(_("year"))


def debt_sensitivity_table(frames: Mapping[int, pd.DataFrame], assumed: int, ceiling: float = model.REFERENCE_CEILING_YEARS) -> pd.DataFrame:
    """The verdict of one policy for each estimate of the starting debt, one row per remaining life (years).

    ``frames`` maps a remaining life to the projection that starts from the debt estimated with it
    (``model.project_budget(model.with_estimated_debt(start, years), policy, n)``); ``assumed`` is
    the course's choice, marked in the index. Columns: the last year's debt and debt capacity with
    its reading, and the first year above ``ceiling``, of a broken golden rule, of negative net savings.
    """
    rows, labels = [], []
    for remaining in sorted(frames):
        frame = frames[remaining]
        last = frame.index[-1]
        ratio = frame["debt_capacity_years"].iloc[-1]
        ratio = None if math.isnan(ratio) else float(ratio)
        labels.append(_("{years} (the course's assumption)", years=remaining) if remaining == assumed else str(remaining))
        rows.append(
            {
                _("debt on 31 December {year} (M€)", year=last): millions(frame["debt"].iloc[-1]),
                _("debt capacity {year} (years)", year=last): years_text(ratio),
                _("reading"): reading(ratio),
                _("first year above {ceiling} years", ceiling=wording.general(ceiling)): _first_year(frame.index[frame["debt_capacity_years"] > ceiling]),
                _("first year the golden rule breaks"): _first_year(frame.index[~frame["golden_rule_respected"]]),
                _("first year of negative net savings"): _first_year(frame.index[frame["net_savings"] < 0]),
            }
        )
    return pd.DataFrame(rows, index=pd.Index(labels, name=_("starting debt: capital repaid × (years)")))


def assumptions_table(
    start: model.Budget,
    policy: model.Policy,
    what_if: Mapping[tuple[str, float], pd.DataFrame],
    debt_frames: Mapping[int, pd.DataFrame],
    *,
    dgf: pd.Series,
    other_spending_change: float,
    what_if_long_debt: Mapping[tuple[str, float], pd.DataFrame] | None = None,
    long_debt_years: int | None = None,
) -> FullTable:
    """Every assumption of the baseline projection: its value, its source, and what changes if it is wrong.

    ``policy`` is the baseline (``model.LANESTER_TRENDS``); ``what_if`` maps ``(field, other value)``
    to the projection with that one field changed; ``debt_frames`` maps a remaining life of the debt
    (years) to the projection that starts from the debt estimated with it. ``dgf`` is
    :func:`model.lanester_dgf` and ``other_spending_change`` :func:`model.lanester_2019_other_spending_change`,
    quoted in the sources. The last column gives, for each other value, the last year's debt
    capacity with its reading and whether the golden rule holds to the end. ``what_if_long_debt``
    holds the same projections started from a debt estimated with ``long_debt_years``: a last
    column then shows how each verdict moves with the estimate of the debt. The table is shown in
    full (see :class:`FullTable`); ``.frame`` is the DataFrame.
    """
    recent = dgf.loc[dgf.index >= dgf.index.max() - 2]
    filled = {
        "other_spending_change": wording.signed(other_spending_change * 100, 2) + wording.unit_space() + "%",
        "dgf": _("{amounts} M€ in {first}–{last}", amounts=", ".join(m2(amount) for amount in recent),
                 first=recent.index.min(), last=recent.index.max()),
    }
    last_year = next(iter(debt_frames.values())).index[-1]
    assumption, baseline, origin = _("assumption"), _("value in the baseline"), _("where it comes from")
    effect_column = _("if it is wrong: debt capacity in {year}, golden rule", year=last_year)

    def effects(tested) -> str:
        return "; ".join(
            _("at {value}: {outcome}", value=rate_text(field, value), outcome=_outcome(frame)) for value, frame in tested
        ) or _("not tested")

    rows = []
    for field, (label, source) in POLICY_ASSUMPTIONS.items():
        others = [(value, frame) for (name, value), frame in what_if.items() if name == field]
        row = {
            assumption: _(label),
            baseline: rate_text(field, getattr(policy, field)),
            origin: _(source, **filled),
            effect_column: effects(others),
        }
        if what_if_long_debt is not None:
            long_others = [(value, frame) for (name, value), frame in what_if_long_debt.items() if name == field]
            row[_("the same, debt = capital repaid × {years}", years=long_debt_years)] = effects(long_others)
        rows.append(row)
    assumed = start.debt_estimate_years
    if assumed:
        debt_value = _("{debt} on 1 January {year} (capital repaid × {assumed})",
                       debt=euros(start.outstanding_debt), year=start.year, assumed=assumed)
    else:
        debt_value = _("{debt} on 1 January {year}", debt=euros(start.outstanding_debt), year=start.year)
    rows.append(
        {
            assumption: _("Debt outstanding at the start"),
            baseline: debt_value,
            origin: _("an assumption: the files give the capital repaid, not the debt"),
            effect_column: "; ".join(
                _("with capital repaid × {years}: {outcome}", years=years, outcome=_outcome(frame))
                for years, frame in sorted(debt_frames.items()) if years != assumed
            ),
        }
    )
    rows.append(
        {
            assumption: _("The existing debt is repaid as in the start year"),
            baseline: _(
                "{capital} M€ of capital a year until repaid, at {rate} (interest ÷ debt)",
                capital=millions(start.capital_repaid), rate=percent(start.interest / start.outstanding_debt, 1),
            ),
            origin: _("dep_invest.csv and dep_fonct.csv; the rate follows from the debt estimate"),
            effect_column: _("moves with the debt estimate (row above)"),
        }
    )
    rows.append(
        {
            assumption: _("Own investment revenue follows the same year's works"),
            baseline: _("{share} of the works, as in {year}",
                        share=percent(start.investment_revenue / start.investment_spending), year=start.year),
            origin: _("rec_invest.csv and dep_invest.csv"),
            effect_column: _(
                "not modelled: the FCTVA is paid one or two years after the spending for most communes, "
                "so a rise in works needs more borrowing in its first years than the projection shows"
            ),
        }
    )
    return FullTable(pd.DataFrame(rows).set_index(assumption).fillna("–"))


# -- a learner's own commune ------------------------------------------------------------------

def account_fields_table(fields: Mapping[str, str], labels: Mapping[str, str]) -> FullTable:
    """The figures of the commune form (``labels``: field → short label) with where to find each one (``fields``)."""
    return FullTable(pd.DataFrame(
        {_("where to find it (M14/M57 chapters, DGFiP individual accounts)"): [_(fields[name]) for name in fields]},
        index=pd.Index([_("{label} (k€)", label=_(labels[name])) for name in fields], name=_("figure in the form")),
    ))
