"""Does Module 1 speak French to a French learner?

The tests build each widget and each figure of Module 1 under ``speaking("fr")`` and read what a
learner would see: titles, axis labels, legends, verdicts after a slider moves, the messages of
``check_policy``, table headers, and numbers written the French way (``4,3 M€``, ``12,5 %``).
Whether every message of the code has its French in a catalogue is checked for every catalogue
of the course by ``tests/common/test_catalogues.py``.
"""

from __future__ import annotations

import re

import pytest

from modules.budgeting import model
from modules.budgeting.commune_form import CommuneForm
from modules.budgeting.figures import anatomy, participatory, savings
from modules.budgeting.widgets import BudgetSimulator, ParticipatoryBudgetSimulator
from modules.common.formatting import NARROW_NBSP
from modules.common.i18n import language, speaking


@pytest.fixture()
def french():
    with speaking("fr"):
        yield


@pytest.fixture(scope="module")
def avignon():
    projects = model.avignon_2017_projects()
    return projects, model.simulate_votes(projects, voters=400, seed=2017)


def plain(text: str) -> str:
    """``text`` with French typography's narrow no-break spaces (before ``:``, ``;``, ``%``, ``€``) as plain spaces."""
    return text.replace(NARROW_NBSP, " ")


def labels_of(axes) -> list[str]:
    return [plain(axes.get_title()), plain(axes.get_xlabel()), plain(axes.get_ylabel())]


# -- the widgets -------------------------------------------------------------------------------

def test_does_the_budget_simulator_speak_french(french):
    simulator = BudgetSimulator(model.lanester_2019(), name="Lanester")
    assert "Politique budgétaire de Lanester" in simulator.title.value
    descriptions = [control.description for control in simulator.sliders.values()]
    assert "Évolution des taux de fiscalité (%/an)" in descriptions
    assert "Taux d'emprunt (%)" in descriptions
    assert simulator.axes["savings"].get_title() == "Épargne brute (trait plein), nette (tirets)"
    assert simulator.axes["debt"].get_title() == "Encours de la dette au 31 décembre"
    assert simulator.axes["ratio"].get_title().startswith("Capacité de désendettement")
    assert simulator.axes["ratio"].get_xlabel() == "Année"
    assert simulator.axes["ratio"].get_ylabel() == "Années"
    assert "épargne brute" in simulator.describe() and "M€" in simulator.describe()
    assert re.search(rf"\d,\d{NARROW_NBSP}M€", simulator.describe()), "amounts are written 4,3 M€"


def test_does_the_budget_verdict_change_in_french_when_a_slider_moves(french):
    simulator = BudgetSimulator(model.lanester_2019(), name="Lanester")
    calm = simulator.verdict.value
    assert "il faudrait" in calm and "années d’épargne brute" in calm
    simulator.sliders["investment"].value = 9.5
    worried = simulator.verdict.value
    assert worried != calm
    assert "règle d’or" in worried and "zone rouge" in worried
    assert re.search(r"\d+,\d années", worried), "the ratio is written with a decimal comma"
    assert "years" not in worried and "golden rule" not in worried


def test_does_the_verdict_on_an_estimated_debt_name_the_readings_in_french(french):
    simulator = BudgetSimulator(model.with_estimated_debt(model.lanester_2019(), 14))
    assert "durée résiduelle" in simulator.verdict.value


def test_does_the_participatory_simulator_speak_french(french, avignon):
    projects, ballots = avignon
    simulator = ParticipatoryBudgetSimulator(projects, ballots, envelope=400_000, name="Avignon 2017")
    assert simulator.envelope_slider.description == "Enveloppe (k€)"
    assert simulator.rule_buttons.description == "Règle"
    assert [label for label, _key in simulator.rule_buttons.options] == ["Glouton (les plus votés d’abord)", "Méthode des parts égales"]
    assert labels_of(simulator.axes) == ["Avignon 2017 : financé (foncé), proposé (clair)", "Milliers d’euros (k€)", "Secteur"]
    assert f"400{NARROW_NBSP}000{NARROW_NBSP}€" in simulator.verdict.value
    before = simulator.verdict.value
    simulator.rule_buttons.value = "equal shares"
    assert simulator.verdict.value != before and "parts égales" in simulator.verdict.value
    assert "<caption>Projets financés" in simulator.project_list.value and "<th>Voix</th>" in simulator.project_list.value
    assert "Diagramme en barres horizontales" in simulator.describe()


def test_does_the_commune_form_speak_french(french):
    simulator = BudgetSimulator(model.lanester_2019())
    form = CommuneForm(simulator)
    assert form.button.description == "Projeter ma commune"
    assert form.year.description == "Année des comptes"
    assert form.fields["tax_revenue"].description == "Impôts et taxes (73) (k€)"
    assert "chapitre 73" in form.fields["tax_revenue"].tooltip
    assert "Où trouver chaque chiffre" in form.widget.children[-1].value
    assert form.submit()
    assert "épargne brute 4,27" in form.message.value and "capacité de désendettement" in form.message.value
    form.fields["grants"].value = -5.0
    assert not form.submit()
    assert "Ces chiffres ne peuvent pas encore être projetés" in form.message.value
    assert "Dotations et participations (74) (−5,0 k€)" in plain(form.message.value).replace("-", "−")


def test_does_check_policy_explain_a_breach_in_french(french):
    breaches = model.check_policy(model.lanester_2019(), model.Policy(investment=9_000_000.0))
    assert breaches, "this policy breaks a constraint"
    assert {breach.constraint for breach in breaches} <= set(model.CONSTRAINTS), "the identifiers stay English"
    debt = next(breach for breach in breaches if breach.constraint == "debt capacity")
    assert re.match(r"En \d{4}, il faudrait \d+,\d années d’épargne brute", debt.message)
    golden = [breach for breach in breaches if breach.constraint == "golden rule"]
    assert golden and "règle d’or" in golden[0].message


def test_does_a_model_error_give_its_advice_in_french(french):
    with pytest.raises(ValueError, match="vaut 0.5|vaut 0,5|évolution annuelle"):
        model.Policy(tax_rate_change=0.9)
    with pytest.raises(ValueError, match="Vérifiez l’encours au 31 décembre"):
        amounts = dict.fromkeys(model.ACCOUNT_FIELDS, 0.0) | {"interest": 10.0}
        model.commune_budget(2019, **amounts)


# -- the figures and tables of the lessons ------------------------------------------------------

def test_do_the_anatomy_figures_speak_french(french):
    lines = model.lanester_2019_lines()
    operating = anatomy.operating_chart(lines[lines["flow"] == "real"])
    assert labels_of(operating.figure.axes[0]) == ["Section de fonctionnement de Lanester, 2019", "Millions d’euros (M€)", "Ligne du budget"]
    assert "Données : Ville de Lanester" in plain(operating.caption)
    assert operating.alt.startswith("Diagramme en barres horizontales")
    budget = model.lanester_2019()
    investment = anatomy.investment_chart(budget, model.gross_savings(budget))
    assert investment.figure.axes[0].get_title() == "Le financement de l’investissement à Lanester, 2019"
    assert [tick.get_text() for tick in investment.figure.axes[0].get_yticklabels()] == ["Ressources", "Besoins"]
    assert re.search(rf"\d,\d\d{NARROW_NBSP}M€", investment.alt)
    dgf = anatomy.dgf_chart(model.lanester_dgf())
    assert dgf.figure.axes[0].get_title().startswith("DGF perçue par Lanester")
    assert "Sur la période" in dgf.alt and f"{NARROW_NBSP}%" in dgf.alt
    programme = model.lanester_capital_programme()
    chart = anatomy.programme_chart(programme[2019])
    assert labels_of(chart.figure.axes[0])[1:] == ["Milliers d’euros (k€)", "Secteur"]
    split = anatomy.tax_split_table(model.lanester_2019_tax_split())
    assert list(split.columns) == ["montant", "part", "varie avec les taux votés par le conseil", "source"]
    assert split.loc["Total (impôts et taxes)", "part"] == f"100,0{NARROW_NBSP}%"


def test_do_the_savings_figures_speak_french(french):
    budget = model.lanester_2019()
    waterfall = savings.waterfall_chart(budget, model.gross_savings(budget), model.net_savings(budget))
    axes = waterfall.figure.axes[0]
    assert axes.get_title() == "Des recettes à l’épargne nette, Lanester 2019"
    assert [tick.get_text() for tick in axes.get_xticklabels()][4:] == ["Épargne brute", "Remboursement du capital", "Épargne nette"]
    schedule = model.debt_schedule(1_000_000, 0.03, 15)
    repayment = savings.repayment_chart(schedule)
    legend = [text.get_text() for text in repayment.figure.axes[0].get_legend().get_texts()]
    assert legend == ["Capital (section d’investissement)", "Intérêts (section de fonctionnement)"]
    assert "annuité" in repayment.alt and f"3{NARROW_NBSP}%" in repayment.figure.axes[0].get_title()
    assert "annuité (k€)" in savings.repayment_table(schedule).columns
    projection = savings.projection_table(model.project_budget(budget, model.Policy(), 5))
    assert "épargne brute (M€)" in projection.columns and "capacité de désendettement (années)" in projection.columns
    assert set(projection["règle d’or"]) <= {"respectée", "rompue"}
    assert re.fullmatch(r"−?\d+,\d\d", projection["épargne nette (M€)"].iloc[0])
    assert savings.rate_text("tax_base_growth", 0.0221) == f"+2,21{NARROW_NBSP}%/an"


def test_do_the_participatory_figures_speak_french(french, avignon):
    projects, ballots = avignon
    votes = model.vote_counts(ballots)
    greedy = model.greedy_allocation(projects, votes, 600_000)
    shares = model.equal_shares(projects, ballots, 600_000)
    funded = {"Règle gloutonne": model.funded_by_sector(projects, greedy), "Parts égales": model.funded_by_sector(projects, shares)}
    figure = participatory.sector_funding_figure(funded, 600_000)
    axes = figure.figure.axes[0]
    assert axes.get_title().replace(f"{NARROW_NBSP}:", " :") == f"Financement par quartier avec 600{NARROW_NBSP}000{NARROW_NBSP}€ (votes simulés)"
    assert [text.get_text() for text in axes.get_legend().get_texts()] == ["Règle gloutonne", "Parts égales"]
    assert "Mêmes projets" in figure.caption
    table = participatory.funded_list(projects, greedy, votes)
    assert list(table.columns) == ["rang", "nom", "secteur", "coût", "voix"]
    assert participatory.percent(0.185) == f"18,5{NARROW_NBSP}%"


def test_does_english_stay_the_default():
    assert language() == "en" or pytest.skip("the session's locale asks for another language")
    simulator = BudgetSimulator(model.lanester_2019())
    assert simulator.axes["savings"].get_title() == "Savings: gross (solid), net (dashed)"
