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
from modules.common.formatting import format_euros
from modules.common.views import plotting
from modules.common.views.tables import FullTable

#: The credit that every figure of the lesson carries (the files are under the GPL-3.0).
DATA_CREDIT = "Data: Ville de Lanester, GPL-3.0."

MINUS = "\u2212"

#: The assumptions of the projection that a :class:`~modules.budgeting.model.Policy` holds, in the
#: order of the lesson's table: field → (what it is, where the baseline's value comes from).
#: ``{other_spending_change}`` and ``{dgf}`` are filled from the model's readings of the data.
POLICY_ASSUMPTIONS = {
    "tax_base_growth": (
        "Growth of the direct taxes' base (rates unchanged)",
        "rec_fonct.csv: direct taxes +2.21 % in 2019 with no change of rate (the State's yearly "
        "revaluation of the base, and new residents)",
    ),
    "staff_cost_growth": ("Growth of staff costs", "dep_fonct.csv: payroll +1.49 % in 2019"),
    "other_spending_growth": (
        "Growth of other operating spending",
        "dep_fonct.csv: general costs +6.53 % and grants paid −6.90 % in 2019, read together because part "
        "of the swimming-pool grant became a fee: {other_spending_change}",
    ),
    "other_revenue_growth": (
        "Growth of other taxes, fees and rents",
        "rec_fonct.csv: municipal fees raised by 1 % in 2019",
    ),
    "grant_trend": ("Change of State grants", "dgf_evolution.csv: DGF {dgf}"),
    "investment": ("Works and equipment each year", "dep_invest.csv: the 2019 programme"),
    "borrowing_rate": ("Interest rate of new loans", "an assumption: the files give no loan terms"),
    "loan_duration": ("Duration of new loans", "an assumption: a usual length for local loans"),
}


# -- formatting -------------------------------------------------------------------------------


def euros(amount: float) -> str:
    """An amount in whole euros, thousands separated: ``'3 308 000 €'``."""
    return format_euros(amount, "€")


def millions(amount: float) -> str:
    """An amount in M€ with two decimals and a real minus sign: ``-370000`` → ``'−0.37'``."""
    return f"{amount / 1e6:.2f}".replace("-", MINUS)


def years_text(value: float | None) -> str:
    """A debt capacity in years with one decimal, or ``'no meaning'`` when savings are zero or negative."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no meaning"
    return f"{value:.1f}"


def rate_text(field: str, value: float) -> str:
    """A policy value as the lesson writes it: ``'+2.21 %/year'``, ``'0 %/year (flat)'``, ``'4.7 M€/year'``, ``'15 years'``."""
    if field == "investment":
        return f"{value / 1e6:.1f} M€/year"
    if field == "loan_duration":
        return f"{int(value)} years"
    if field == "borrowing_rate":
        return f"{round(value * 100, 2):g} %"
    if value == 0:
        return "0 %/year (flat)"
    return f"{value * 100:+.2f}".rstrip("0").rstrip(".").replace("-", MINUS) + " %/year"


def percent(share: float, digits: int = 0) -> str:
    """A share as the lesson writes it, with a space before the sign: ``0.384`` → ``'38 %'``."""
    return f"{share * 100:.{digits}f} %"


def _first_year(index) -> str:
    return str(index[0]) if len(index) else "none"


def _outcome(frame: pd.DataFrame) -> str:
    """The last year's debt capacity with its reading, and whether the golden rule holds to the end."""
    last = frame["debt_capacity_years"].iloc[-1]
    ratio = None if math.isnan(last) else float(last)
    broken = frame.index[~frame["golden_rule_respected"]]
    rule = f"golden rule broken from {broken[0]}" if len(broken) else "golden rule kept"
    shown = "no meaning" if ratio is None else f"{ratio:.1f} years"
    return f"{shown} ({model.alert_level(ratio)}), {rule}"


# -- gross and net savings ----------------------------------------------------------------------

def waterfall_chart(budget: model.Budget, gross: float, net: float) -> plotting.AccessibleFigure:
    """From real operating revenue to net savings, step by step, in M€ (``gross`` and ``net`` in €)."""
    steps = [
        ("Operating revenue", budget.operating_revenue, "total"),
        ("Staff costs", -budget.staff_costs, "step"),
        ("Other operating costs", -budget.other_operating_expenses, "step"),
        ("Interest", -budget.interest, "step"),
        ("Gross savings", gross, "total"),
        ("Capital repaid", -budget.capital_repaid, "step"),
        ("Net savings", net, "total"),
    ]
    fig, ax = plotting.new_figure(
        f"From revenue to net savings, Lanester {budget.year}", "Step", "Million euros (M€)", size=(7.5, 4.2)
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
        text = f"{amount / 1e6:+.2f}" if kind == "step" else f"{amount / 1e6:.2f}"
        ax.text(position, max(top, 0.0) / 1e6 + 0.4, text.replace("-", MINUS), ha="center", fontsize=9)
    ax.set_ylim(min(0.0, net / 1e6 * 1.2), budget.operating_revenue / 1e6 * 1.12)  # room for the labels
    ax.set_xticks(range(len(steps)), [label for label, _, _ in steps], rotation=25, ha="right")
    ax.grid(axis="x", visible=False)
    return plotting.show(
        fig,
        alt=(
            f"Waterfall chart for Lanester in {budget.year}, in million euros: operating revenue "
            f"{budget.operating_revenue / 1e6:.2f}, minus staff costs {budget.staff_costs / 1e6:.2f}, "
            f"other operating costs {budget.other_operating_expenses / 1e6:.2f} and interest {budget.interest / 1e6:.2f}, "
            f"leaves gross savings of {gross / 1e6:.2f}; minus capital repaid {budget.capital_repaid / 1e6:.2f} "
            f"leaves net savings of {net / 1e6:.2f}."
        ),
        caption=f"Blue bars are levels, orange bars what each step takes away. {DATA_CREDIT}",
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
        labels.append(f"{remaining} (the course's assumption)" if remaining == assumed else str(remaining))
        rows.append(
            {
                f"debt on 1 January {budget.year}": euros(budget.outstanding_debt),
                f"debt on 31 December {budget.year}": euros(budget.year_end_debt),
                "debt capacity (years)": years_text(ratio),
                "reading": model.alert_level(ratio),
            }
        )
    return pd.DataFrame(rows, index=pd.Index(labels, name="assumed remaining life of the debt (years)"))


# -- loans --------------------------------------------------------------------------------------

def repayment_table(schedule: pd.DataFrame, rows: tuple[int, ...] = (0, 1, 2, -3, -2, -1)) -> pd.DataFrame:
    """The first and last years of a repayment table (:func:`model.debt_schedule`), in k€ with one decimal."""
    return (schedule / 1e3).round(1).rename(columns=lambda name: f"{name.replace('_', ' ')} (k€)").iloc[list(rows)]


def repayment_chart(schedule: pd.DataFrame) -> plotting.AccessibleFigure:
    """Stacked bars of the capital and the interest of each year's annuity (``schedule``: :func:`model.debt_schedule`)."""
    principal = schedule["opening_debt"].iloc[0]
    rate = f"{round(schedule['interest'].iloc[0] / principal * 100, 2):g} %"
    first, last = schedule.index[0], schedule.index[-1]
    fig, ax = plotting.new_figure(
        f"Repaying {principal / 1e6:.3f} M€ over {len(schedule)} years at {rate}", "Year", "Thousand euros (k€)"
    )
    ax.bar(schedule.index, schedule["capital"] / 1e3, color=plotting.PALETTE["blue"], label="Capital (investment section)")
    ax.bar(schedule.index, schedule["interest"] / 1e3, bottom=schedule["capital"] / 1e3, color=plotting.PALETTE["orange"], label="Interest (operating section)")
    ax.legend(loc="lower right")
    ax.grid(axis="x", visible=False)
    return plotting.show(
        fig,
        alt=(
            f"Stacked bar chart of the yearly payment of a {principal / 1e6:.3f} M€ loan at {rate} over {len(schedule)} "
            f"years, {first} to {last}: every bar is {schedule['annuity'].iloc[0] / 1e3:.1f} k€; interest falls from "
            f"{schedule['interest'].iloc[0] / 1e3:.1f} k€ to {schedule['interest'].iloc[-1] / 1e3:.1f} k€ while capital rises "
            f"from {schedule['capital'].iloc[0] / 1e3:.1f} k€ to {schedule['capital'].iloc[-1] / 1e3:.1f} k€."
        ),
        caption="A constant annuity: the bars keep the same height, the split between interest and capital moves.",
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
            "gross savings (M€)": projection["gross_savings"].map(millions),
            "capital repaid (M€)": projection["capital_repaid"].map(millions),
            "net savings (M€)": projection["net_savings"].map(millions),
            "own investment revenue (M€)": projection["investment_revenue"].map(millions),
            "new loans (M€)": projection["new_borrowing"].map(millions),
            "debt on 31 December (M€)": projection["debt"].map(millions),
            "debt capacity (years)": projection["debt_capacity_years"].map(years_text),
            "golden rule": projection["golden_rule_respected"].map({True: "respected", False: "broken"}),
        },
        index=projection.index,
    )
    return table.rename_axis("year")


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
        labels.append(f"{remaining} (the course's assumption)" if remaining == assumed else str(remaining))
        rows.append(
            {
                f"debt on 31 December {last} (M€)": millions(frame["debt"].iloc[-1]),
                f"debt capacity {last} (years)": years_text(ratio),
                "reading": model.alert_level(ratio),
                f"first year above {ceiling:g} years": _first_year(frame.index[frame["debt_capacity_years"] > ceiling]),
                "first year the golden rule breaks": _first_year(frame.index[~frame["golden_rule_respected"]]),
                "first year of negative net savings": _first_year(frame.index[frame["net_savings"] < 0]),
            }
        )
    return pd.DataFrame(rows, index=pd.Index(labels, name="starting debt: capital repaid × (years)"))


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
        "other_spending_change": f"{other_spending_change:+.2%}".replace("%", " %"),
        "dgf": ", ".join(f"{amount / 1e6:.2f}" for amount in recent) + f" M€ in {recent.index.min()}–{recent.index.max()}",
    }
    last_year = next(iter(debt_frames.values())).index[-1]
    effect_column = f"if it is wrong: debt capacity in {last_year}, golden rule"
    rows = []
    for field, (label, source) in POLICY_ASSUMPTIONS.items():
        others = [(value, frame) for (name, value), frame in what_if.items() if name == field]
        effect = "; ".join(f"at {rate_text(field, value)}: {_outcome(frame)}" for value, frame in others) or "not tested"
        row = {
            "assumption": label,
            "value in the baseline": rate_text(field, getattr(policy, field)),
            "where it comes from": source.format(**filled),
            effect_column: effect,
        }
        if what_if_long_debt is not None:
            long_others = [(value, frame) for (name, value), frame in what_if_long_debt.items() if name == field]
            row[f"the same, debt = capital repaid × {long_debt_years}"] = (
                "; ".join(f"at {rate_text(field, value)}: {_outcome(frame)}" for value, frame in long_others) or "not tested"
            )
        rows.append(row)
    assumed = start.debt_estimate_years
    debt_value = (
        f"{euros(start.outstanding_debt)} on 1 January {start.year}"
        + (f" (capital repaid × {assumed})" if assumed else "")
    )
    rows.append(
        {
            "assumption": "Debt outstanding at the start",
            "value in the baseline": debt_value,
            "where it comes from": "an assumption: the files give the capital repaid, not the debt",
            effect_column: "; ".join(
                f"with capital repaid × {years}: {_outcome(frame)}" for years, frame in sorted(debt_frames.items()) if years != assumed
            ),
        }
    )
    rows.append(
        {
            "assumption": "The existing debt is repaid as in the start year",
            "value in the baseline": (
                f"{millions(start.capital_repaid)} M€ of capital a year until repaid, at "
                f"{percent(start.interest / start.outstanding_debt, 1)} (interest ÷ debt)"
            ),
            "where it comes from": "dep_invest.csv and dep_fonct.csv; the rate follows from the debt estimate",
            effect_column: "moves with the debt estimate (row above)",
        }
    )
    rows.append(
        {
            "assumption": "Own investment revenue follows the same year's works",
            "value in the baseline": f"{percent(start.investment_revenue / start.investment_spending)} of the works, as in {start.year}",
            "where it comes from": "rec_invest.csv and dep_invest.csv",
            effect_column: (
                "not modelled: the FCTVA is paid one or two years after the spending for most communes, "
                "so a rise in works needs more borrowing in its first years than the projection shows"
            ),
        }
    )
    return FullTable(pd.DataFrame(rows).set_index("assumption").fillna("–"))


# -- a learner's own commune ------------------------------------------------------------------

def account_fields_table(fields: Mapping[str, str], labels: Mapping[str, str]) -> FullTable:
    """The figures of the commune form (``labels``: field → short label) with where to find each one (``fields``)."""
    return FullTable(pd.DataFrame(
        {"where to find it (M14/M57 chapters, DGFiP individual accounts)": [fields[name] for name in fields]},
        index=pd.Index([f"{labels[name]} (k€)" for name in fields], name="figure in the form"),
    ))
