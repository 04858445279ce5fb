"""A small form where learners enter their own commune's figures and project them with the simulator.

The form is a view: it reads the figures (in thousand euros, as the DGFiP's individual accounts of
communes publish them), builds a :class:`~modules.budgeting.model.Budget` with
:func:`~modules.budgeting.model.commune_budget`, and hands it to a
:class:`~modules.budgeting.widgets.BudgetSimulator`. Every check and every message comes from the
model, so the form and the model can never disagree.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from modules.budgeting import model
from modules.budgeting.widgets import BudgetSimulator
from modules.common.views.widgets import DESCRIPTION_WIDTH

THOUSAND = 1e3

#: Short labels of the form's fields (k€), in the order of :data:`model.ACCOUNT_FIELDS`.
LABELS = {
    "tax_revenue": "Taxes (73)",
    "direct_taxes": "of which direct taxes",
    "grants": "Grants (74)",
    "other_operating_revenue": "Other operating revenue",
    "staff_costs": "Staff costs (012)",
    "other_operating_expenses": "Other operating costs",
    "interest": "Interest (66)",
    "capital_repaid": "Capital repaid (16)",
    "year_end_debt": "Debt on 31 December",
    "investment_spending": "Works and equipment",
    "investment_revenue": "Own investment revenue",
    "new_borrowing": "New loans (16)",
}


class CommuneForm:
    """Enter a commune's figures for one year and project them in ``simulator``.

    Parameters
    ----------
    simulator : BudgetSimulator
        The simulator that receives the commune (its sliders keep their positions).
    start : model.Budget, optional
        Figures to show at first (Lanester 2019 by default), so the form shows the expected scale.

    ``fields`` holds one ``FloatText`` per figure (k€), ``message`` the result or what to correct,
    and ``submit()`` does what the button does.
    """

    def __init__(self, simulator: BudgetSimulator, start: model.Budget | None = None):
        if not isinstance(simulator, BudgetSimulator):
            raise TypeError("simulator must be a BudgetSimulator.")
        self.simulator = simulator
        start = start or simulator.start
        shown = {name: getattr(start, name) for name in model.ACCOUNT_FIELDS if name not in ("year_end_debt", "direct_taxes")}
        shown["direct_taxes"] = start.voted_taxes
        shown["year_end_debt"] = start.year_end_debt
        self.name = widgets.Text(value="", placeholder="for example: Ville de Lanester", description="Commune",
                                 style={"description_width": DESCRIPTION_WIDTH})
        self.year = widgets.BoundedIntText(value=start.year, min=2000, max=2100, description="Year of the accounts",
                                           style={"description_width": DESCRIPTION_WIDTH})
        self.fields = {
            name: widgets.FloatText(
                value=round(shown[name] / THOUSAND, 1),
                description=f"{LABELS[name]} (k€)",
                tooltip=hint,
                style={"description_width": DESCRIPTION_WIDTH},
                layout=widgets.Layout(width="28em"),
            )
            for name, hint in model.ACCOUNT_FIELDS.items()
        }
        self.button = widgets.Button(description="Project my commune",
                                     tooltip="Replace the starting budget of the simulator with these figures")
        self.message = widgets.HTML(layout=widgets.Layout(min_height="2em"))
        self.button.on_click(lambda _button: self.submit())
        hints = "".join(f"<li><b>{html.escape(LABELS[name])}</b>: {html.escape(hint)}</li>" for name, hint in model.ACCOUNT_FIELDS.items())
        self.widget = widgets.VBox([
            widgets.HTML("<b>Your commune's figures, in thousand euros (k€)</b>"),
            self.name, self.year, *self.fields.values(), self.button, self.message,
            widgets.HTML(f"<details><summary>Where to find each figure</summary><ul>{hints}</ul></details>"),
        ])

    def budget(self) -> model.Budget:
        """The commune's :class:`~modules.budgeting.model.Budget` (€); raises ValueError with a message to show."""
        negative = [f"{LABELS[name]} ({field.value:,.1f} k€)".replace(",", " ") for name, field in self.fields.items() if field.value < 0]
        if negative:
            raise ValueError(
                f"{', '.join(negative)}: enter every figure as a positive number of thousand euros. Revenue and "
                "expenses are told apart by their line, not by a minus sign."
            )
        amounts = {name: float(field.value) * THOUSAND for name, field in self.fields.items()}
        return model.commune_budget(int(self.year.value), **amounts)

    def submit(self) -> bool:
        """Check the figures and, if they hold together, project them; return whether it worked."""
        try:
            budget = self.budget()
        except (TypeError, ValueError) as error:
            self.message.value = f'<p role="alert">These figures cannot be projected yet. {html.escape(str(error))}</p>'
            return False
        name = self.name.value.strip() or "your commune"
        self.simulator.set_start(budget, name=name)
        ratio = model.debt_capacity_years(budget)
        ratio_text = "has no meaning (gross savings at or below zero)" if ratio is None else f"is {ratio:.1f} years"
        self.message.value = (
            f'<p role="status">Projected from {html.escape(name)}\'s {budget.year} figures: gross savings '
            f"{model.gross_savings(budget) / 1e6:.2f} M€, net savings {model.net_savings(budget) / 1e6:.2f} M€; "
            f"the debt capacity {ratio_text}. The sliders keep their positions: set them to your commune's own trends.</p>"
        )
        return True
