"""Does module 2 speak French to a French learner, and only to them?

Each widget and figure of modules/project_management is built for real under ``speaking("fr")``:
its labels, titles, legends, captions, alt texts, table headers and verdicts must be French, with
French numbers (decimal comma, narrow no-break spaces before ``%`` and ``€`` and between
thousands) and French dates. Whether every message of the code has its French in
``modules/project_management/locale/fr.po`` is checked, for every catalogue of the course, by
``tests/common/test_catalogues.py``.
"""

from __future__ import annotations

import datetime
import html
import re

import pandas as pd
import pytest

from modules.common.i18n import speaking
from modules.project_management import model
from modules.project_management.figures import schedule, steering, uncertainty
from modules.project_management.widgets import EarnedValueDashboard, ScheduleRiskSimulator

NNBSP = "\u202f"

Task, ThreePoint = model.Task, model.ThreePoint
TASKS = [
    Task("Council vote", 0),
    Task("Survey", 10, ("Council vote",)),
    Task("Design", 20, ("Survey",)),
    Task("Tender", 30, ("Design",)),
    Task("Roof", 25, ("Tender",)),
    Task("Electrics", 20, ("Tender",)),
    Task("Painting", 10, ("Electrics",)),
    Task("Handover", 0, ("Roof", "Painting")),
]
ESTIMATES = {
    "Survey": ThreePoint(8, 10, 15),
    "Design": ThreePoint(15, 20, 35),
    "Tender": ThreePoint(25, 30, 60),
    "Roof": ThreePoint(18, 25, 45),
    "Electrics": ThreePoint(15, 20, 35),
    "Painting": ThreePoint(8, 10, 14),
}
GROUPS = {"Preparation": ["Survey", "Design", "Tender"], "Works": ["Roof", "Electrics", "Painting"]}
BAC = 480_000
PLANNED = pd.Series([0, 24_000, 36_000, 60_000, 72_000, 72_000, 72_000, 60_000, 48_000, 28_000, 8_000]).cumsum()


def alt_of(shown) -> str:
    markup = shown._repr_mimebundle_()["text/html"]
    return html.unescape(re.search(r'alt="([^"]*)"', markup).group(1))


def texts_of(shown) -> str:
    """Every text of a figure (titles, axis labels, legends, annotations), joined."""
    figure = shown.figure
    parts = [figure._suptitle.get_text() if figure._suptitle else ""]
    for axes in figure.axes:
        parts += [axes.get_title(), axes.get_xlabel(), axes.get_ylabel()]
        parts += [text.get_text() for text in axes.texts]
        legend = axes.get_legend()
        if legend:
            parts += [text.get_text() for text in legend.get_texts()]
    for legend in figure.legends:
        parts += [text.get_text() for text in legend.get_texts()]
    return " | ".join(parts)


@pytest.fixture(scope="module")
def network():
    return model.Network(TASKS)


@pytest.fixture(scope="module")
def orders_file():
    return model.read_orders()


# -- the simulations -----------------------------------------------------------------------------


def test_does_the_schedule_risk_simulator_speak_french_and_follow_its_deadline(network):
    with speaking("fr"):
        simulator = ScheduleRiskSimulator(network, ESTIMATES, runs=2_000, seed=2024, deadline=100, groups=GROUPS)
        labels = [control.description for control in (*simulator.spread_sliders.values(), simulator.runs_slider, simulator.deadline_slider)]
        assert labels[0] == "Preparation : dispersion (× estimation)"
        assert "Nombre de tirages (projets simulés)" in labels and "Échéance (jour ouvré)" in labels
        title = simulator.widget.children[0].value
        assert "Risque sur les délais de ce projet" in html.unescape(title)
        verdict = html.unescape(simulator.verdict.value)
        assert "Avec cette incertitude, les travaux finissent au plus tard le jour" in verdict
        assert f"(2{NNBSP}000 tirages avec la graine fixe 2024" in verdict
        assert "après l'échéance (jour 100)" in verdict
        figure = simulator.figure
        assert figure._suptitle.get_text() == "Fin de ce projet : dates de fin simulées"
        assert simulator.axes["histogram"].get_ylabel() == "Part des tirages (%)"
        assert simulator.axes["critical"].get_title().startswith("Fréquence à laquelle chaque tâche est critique")
        legend = [text.get_text() for text in simulator.axes["histogram"].get_legend().get_texts()]
        assert legend == ["P50 : la moitié des tirages finissent à cette date", f"P80 : 80{NNBSP}% des tirages finissent à cette date", "Échéance"]
        assert "Histogramme de la fin de ce projet" in simulator.describe() and f"{NNBSP}%" in simulator.describe()

        simulator.deadline_slider.value = simulator.deadline_slider.max
        later = html.unescape(simulator.verdict.value)
        assert later != verdict and "avant l'échéance" in later


def test_does_the_earned_value_dashboard_speak_french_with_french_numbers():
    with speaking("fr"):
        dashboard = EarnedValueDashboard(BAC, PLANNED, status=4, percent_done=35, spent=200_000, time_unit="month")
        assert dashboard.status_slider.description == "Date de mesure (mois)"
        assert dashboard.done_slider.description == "Travaux réalisés (% de l'ensemble des travaux)"
        assert dashboard.spent_slider.description == "Dépenses (k€)"
        assert html.unescape(dashboard.widget.children[0].value) == f"<b>Valeur acquise de ce projet : budget 480{NNBSP}k€</b>"
        verdict = html.unescape(dashboard.verdict.value)
        assert f"Mois 4 sur 10 : 35{NNBSP}% des travaux réalisés" in verdict
        assert f"En retard : 168{NNBSP}000{NNBSP}€ de travaux réalisés contre 192{NNBSP}000{NNBSP}€ prévus" in verdict
        assert "Dépassement de budget" in verdict and "CPI 0,84" in verdict
        cost, indices = dashboard.axes["cost"], dashboard.axes["indices"]
        assert cost.get_xlabel() == "Temps écoulé depuis le début (mois)" and cost.get_ylabel() == "Coût cumulé (k€)"
        assert [label.get_text() for label in indices.get_xticklabels()] == ["CPI = EV ÷ AC (coûts)", "SPI = EV ÷ PV (délais)"]
        assert [label.get_text() for label in dashboard.index_labels] == ["0,84", "0,88"]
        assert "Valeur planifiée (PV)" in [text.get_text() for text in cost.get_legend().get_texts()]
        assert "Courbe de la valeur planifiée de ce projet" in dashboard.describe()

        dashboard.spent_slider.value = 150
        assert "Sous le budget" in html.unescape(dashboard.verdict.value)


def test_does_a_simulation_built_in_french_leave_english_untouched(network):
    with speaking("fr"):
        ScheduleRiskSimulator(network, ESTIMATES, runs=2_000, seed=2024, groups=GROUPS)
    simulator = ScheduleRiskSimulator(network, ESTIMATES, runs=2_000, seed=2024, groups=GROUPS)
    assert simulator.runs_slider.description == "Number of runs (simulated projects)"
    assert simulator.verdict_text().startswith("With this uncertainty, the works end by day")


# -- the models' messages ------------------------------------------------------------------------


def test_are_the_models_verdicts_and_feedback_french(network):
    with speaking("fr"):
        verdict = model.EarnedValue(bac=BAC, pv=192_000, ev=168_000, ac=200_000).verdict()
        assert verdict.startswith(f"Dépassement de budget : les travaux réalisés étaient budgétés à 168{NNBSP}000{NNBSP}€")
        options = {"Tender": model.CrashOption(1_000, 5)}
        check = model.check_plan(network, ESTIMATES, options, {"Tender": 9, "Nope": 1}, budget=2_000, deadline=80, runs=1_000)
        feedback = check.feedback()
        assert feedback.startswith("Votre plan ne passe pas encore.")
        assert "n'est pas une tâche du réseau" in feedback and "au-dessus du budget" in feedback
        with pytest.raises(ValueError, match="forment un cycle"):
            model.Network([Task("A", 1, ("B",)), Task("B", 1, ("A",))])


# -- the figures and tables ----------------------------------------------------------------------


def test_do_the_schedule_tables_and_figures_speak_french(network):
    tasks = pd.DataFrame({"name": ["Survey", "Design"], "duration": [10, 2.5], "predecessors": ["", "Survey"], "who": ["MOE", "MOE"]})
    plan = model.schedule(network)
    with speaking("fr"):
        table = schedule.task_table(tasks).frame
        assert list(table.columns) == ["qui", "jours ouvrés", "après"] and table.index.name == "tâche"
        assert table.loc["Design", "jours ouvrés"] == "2,5"
        columns = list(schedule.schedule_table(plan).columns)
        assert columns[:3] == ["jours", "début au plus tôt", "fin au plus tôt"] and "marge totale" in columns and "marge libre" in columns
        assert set(schedule.schedule_table(plan)["critique"]) == {"oui", ""}

        floats = schedule.float_chart(plan)
        assert "De combien chaque tâche peut glisser" in texts_of(floats) and "marge libre" in texts_of(floats)
        assert alt_of(floats).startswith("Diagramme en barres horizontales de la marge totale et de la marge libre")
        assert floats.caption.startswith("Marge totale :") and floats.caption.endswith("Projet fictif ; les durées sont des hypothèses du cours.")

        gantt = schedule.gantt_chart(model.gantt_data(network, datetime.date(2025, 11, 3)), title="Planning", deadline=datetime.date(2026, 3, 2))
        assert "tâche critique" in texts_of(gantt) and "Échéance" in texts_of(gantt)
        assert alt_of(gantt).startswith("Diagramme de Gantt de 8 tâches, du 3 nov. 2025 au")
        assert "Une ligne en tirets marque Échéance le 2 mars 2026." in alt_of(gantt)
        ticks = [gantt.figure.axes[0].xaxis.get_major_formatter()(value) for value in gantt.figure.axes[0].get_xticks()]
        assert any(month in " ".join(ticks) for month in ("déc.", "janv.", "févr.")), ticks


def test_do_the_uncertainty_tables_and_figures_speak_french(network):
    result = model.simulate(network, ESTIMATES, runs=2_000, seed=7)
    approximation = model.pert_approximation(network, ESTIMATES)
    extended = pd.DataFrame({"overrun_days": [8.0, 15.0, 22.0], "reason": ["Intempéries", "Retard", None],
                             "reason_category": ["weather", "late start", "other"]})
    with speaking("fr"):
        estimates = uncertainty.estimates_table(network, ESTIMATES).frame
        assert "optimiste a" in estimates.columns and estimates.index.name == "tâche (jours ouvrés)"
        assert estimates.loc["Survey", "moyenne PERT"] == "10,5"
        dates = uncertainty.dates_table(result.plan_duration, approximation, result, result, 100)
        assert dates.index.name == "méthode (jours ouvrés)" and "probabilité du jour 100" in dates.columns
        assert "Monte-Carlo : tout le réseau" in dates.index
        chance = uncertainty.chance_table(result, {"échéance": 100})
        assert list(chance.columns) == ["jour ouvré", "probabilité de finir à cette date"]
        assert chance.iloc[0, 1].endswith(f"{NNBSP}%")

        histogram = uncertainty.finish_histogram(result, deadline=100)
        assert histogram.figure.axes[0].get_title() == f"Fin de ce projet : 2{NNBSP}000 projets simulés"
        assert "Échéance : jour 100" in texts_of(histogram)
        assert "L'échéance, jour 100, est tenue dans" in alt_of(histogram)
        shares = uncertainty.critical_share_chart(result, network)
        assert "Part des tirages où la tâche est sur le chemin critique (%)" in texts_of(shares)
        assert shares.caption.startswith("Barres vermillon")

        reasons = uncertainty.reasons_table(extended).frame
        assert reasons.index.name == "catégorie de motif" and "intempéries" in reasons.index
        assert list(reasons.columns) == ["arrêtés de prorogation", "part", "exemple, tel qu'écrit"]
        overruns = uncertainty.overrun_histogram(extended)
        assert "Combien de jours chaque prorogation a ajoutés" in texts_of(overruns)
        assert alt_of(overruns).startswith("Histogramme des jours ajoutés par 3 arrêtés de prorogation")
        curve = pd.Series([0.2, 0.5, 0.8, 1.0], index=[10, 20, 30, 40])
        reference = uncertainty.reference_class_chart(curve, plan=20, targets={0.8: 30})
        assert f"80{NNBSP}% : jour 30" in texts_of(reference) and "Repères" in alt_of(reference)


def test_do_the_steering_tables_and_figures_speak_french(orders_file):
    earned = pd.Series([0, 20_000, 50_000, 100_000, 168_000])
    spent = pd.Series([0, 22_000, 58_000, 115_000, 200_000])
    curve = model.earned_value_curve(BAC, PLANNED, earned, spent)
    school = model.EarnedValue(bac=BAC, pv=PLANNED[4], ev=168_000, ac=200_000)
    ext = model.extensions(orders_file.rows)
    with speaking("fr"):
        monthly = steering.monthly_table(curve)
        assert monthly.index.name == "fin de mois" and "valeur acquise EV" in monthly.columns
        assert monthly.loc[4, "valeur acquise EV"] == f"168{NNBSP}k€"
        indicators = steering.indicator_table(school).frame
        assert indicators.index.name == "indicateur" and "Écart de coût CV" in indicators.index
        assert indicators.loc["Écart de coût CV", "ce projet"] == f"−32{NNBSP}000{NNBSP}€"
        assert indicators.loc["Indice de performance des coûts CPI", "ce projet"] == "0,84"

        s_curve = steering.s_curve(curve, school)
        assert "Valeur planifiée, valeur acquise et coût réel : ce projet" in texts_of(s_curve)
        assert "Temps écoulé depuis le début (mois)" in texts_of(s_curve) and "date de mesure : mois 4" in texts_of(s_curve)
        assert alt_of(s_curve).startswith("Courbe de la valeur planifiée cumulée de ce projet")

        dashboard = steering.council_dashboard([{"project": "École", "earned_value": school, "planned_end": "juin 2026",
                                                 "forecast_end": "sept. 2026"}]).frame
        assert dashboard.index.name == "projet" and dashboard.loc["École", "décision demandée"] == "aucune"

        figures = steering.key_figures_table(orders_file.summary(), orders_file.orders())
        assert figures.index.name == "chiffre" and "Dépassement moyen" in figures.index
        assert figures.loc["Dépassement le plus long", "valeur"].endswith("jours")

        durations = steering.durations_chart(ext)
        assert "Jours calendaires depuis le début des travaux" in texts_of(durations)
        assert durations.caption.endswith("Données : Ville d'Avignon, arrêtés travaux, Licence Ouverte (Etalab), extraction du 19/02/2022.")
        reasons = steering.reasons_table(ext).frame
        assert reasons.index.name == "catégorie de motif" and "médiane de dépassement" not in reasons.columns
        assert "dépassement médian" in reasons.columns

        days = pd.date_range("2021-01-01", periods=10, freq="D")
        daily = pd.Series([50, 1, 2, 7, 3, 2, 1, 1, 1, 60], index=days)
        concurrent = steering.concurrent_chart(daily, window=("2021-01-02", "2021-01-09"))
        assert "culmine à 7 le 4 janvier 2021" in alt_of(concurrent) and "pic : 7 arrêtés" in texts_of(concurrent)

        problems = steering.problems_table(orders_file.problems)
        assert list(problems.columns) == ["valeurs", "arrêtés concernés"] and list(problems.index.names) == ["colonne", "raison"]
