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
from modules.budgeting.model import wording
from modules.budgeting.widgets import BudgetSimulator
from modules.common.i18n import N_, translator
from modules.common.views.widgets import DESCRIPTION_WIDTH

_ = translator(__name__)

THOUSAND = 1e3

#: Short labels of the form's fields (k€), in the order of :data:`model.ACCOUNT_FIELDS`; in English
#: (marked with ``N_``), shown in the learner's language.
LABELS = {
    "tax_revenue": N_("Taxes (73)"),
    "direct_taxes": N_("of which direct taxes"),
    "grants": N_("Grants (74)"),
    "other_operating_revenue": N_("Other operating revenue"),
    "staff_costs": N_("Staff costs (012)"),
    "other_operating_expenses": N_("Other operating costs"),
    "interest": N_("Interest (66)"),
    "capital_repaid": N_("Capital repaid (16)"),
    "year_end_debt": N_("Debt on 31 December"),
    "investment_spending": N_("Works and equipment"),
    "investment_revenue": N_("Own investment revenue"),
    "new_borrowing": N_("New loans (16)"),
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
            raise TypeError(_("simulator must be a BudgetSimulator."))
        self.simulator = simulator
        start = start or simulator.start
        shown = {name: getattr(start, name) for name in model.ACCOUNT_FIELDS if name not in ("year_end_debt", "direct_taxes")}
        shown["direct_taxes"] = start.voted_taxes
        shown["year_end_debt"] = start.year_end_debt
        self.name = widgets.Text(value="", placeholder=_("for example: Ville de Lanester"), description=_("Commune"),
                                 style={"description_width": DESCRIPTION_WIDTH})
        self.year = widgets.BoundedIntText(value=start.year, min=2000, max=2100, description=_("Year of the accounts"),
                                           style={"description_width": DESCRIPTION_WIDTH})
        self.fields = {
            name: widgets.FloatText(
                value=round(shown[name] / THOUSAND, 1),
                description=_("{label} (k€)", label=_(LABELS[name])),
                tooltip=_(hint),
                style={"description_width": DESCRIPTION_WIDTH},
                layout=widgets.Layout(width="28em"),
            )
            for name, hint in model.ACCOUNT_FIELDS.items()
        }
        self.button = widgets.Button(description=_("Project my commune"),
                                     tooltip=_("Replace the starting budget of the simulator with these figures"))
        self.message = widgets.HTML(layout=widgets.Layout(min_height="2em"))
        self.button.on_click(lambda _button: self.submit())
        hints = "".join(f"<li><b>{html.escape(_(LABELS[name]))}</b>: {html.escape(_(hint))}</li>" for name, hint in model.ACCOUNT_FIELDS.items())
        heading = html.escape(_("Your commune's figures, in thousand euros (k€)"), quote=False)
        where = html.escape(_("Where to find each figure"))
        self.widget = widgets.VBox([
            widgets.HTML(f"<b>{heading}</b>"),
            self.name, self.year, *self.fields.values(), self.button, self.message,
            widgets.HTML(f"<details><summary>{where}</summary><ul>{hints}</ul></details>"),
        ])

    def budget(self) -> model.Budget:
        """The commune's :class:`~modules.budgeting.model.Budget` (€); raises ValueError with a message to show."""
        negative = [
            _("{label} ({amount} k€)", label=_(LABELS[name]), amount=wording.grouped(field.value, 1))
            for name, field in self.fields.items() if field.value < 0
        ]
        if negative:
            raise ValueError(_(
                "{figures}: enter every figure as a positive number of thousand euros. Revenue and "
                "expenses are told apart by their line, not by a minus sign.",
                figures=", ".join(negative),
            ))
        amounts = {name: float(field.value) * THOUSAND for name, field in self.fields.items()}
        return model.commune_budget(int(self.year.value), **amounts)

    def submit(self) -> bool:
        """Check the figures and, if they hold together, project them; return whether it worked."""
        try:
            budget = self.budget()
        except (TypeError, ValueError) as error:
            text = _("These figures cannot be projected yet. {error}", error=html.escape(str(error)))
            self.message.value = f'<p role="alert">{text}</p>'
            return False
        name = self.name.value.strip() or _("your commune")
        self.simulator.set_start(budget, name=name)
        ratio = model.debt_capacity_years(budget)
        ratio_text = (
            _("has no meaning (gross savings at or below zero)") if ratio is None
            else _("is {years} years", years=wording.decimal(ratio))
        )
        text = _(
            "Projected from {name}'s {year} figures: gross savings {gross} M€, net savings {net} M€; "
            "the debt capacity {ratio}. The sliders keep their positions: set them to your commune's own trends.",
            name=html.escape(name), year=budget.year, gross=wording.decimal(model.gross_savings(budget) / 1e6, 2),
            net=wording.decimal(model.net_savings(budget) / 1e6, 2), ratio=ratio_text,
        )
        self.message.value = f'<p role="status">{text}</p>'
        return True
