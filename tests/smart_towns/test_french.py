"""Does Module 3 speak French to a French learner?

The tests build each widget and each figure of Module 3 under ``speaking("fr")`` and read what a
learner would see: titles, axis labels, legends, controls, verdicts after a control changes, alt
texts, captions and table headers, with numbers and dates written the French way (``6,7 ans``,
``33 %``, ``jeu. 15 juil. 2021``). Whether every message of the code has its French in
``modules/smart_towns/locale/fr.po`` is checked, for every catalogue of the course, by
``tests/common/test_catalogues.py``.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from modules.common.formatting import NARROW_NBSP
from modules.common.i18n import language, speaking, translator
from modules.smart_towns import model
from modules.smart_towns.figures import investment, overview, sensors
from modules.smart_towns.widgets import CounterExplorer, LightingSimulator, MaturityAssessment

TOTALS = ("daladier_bikes", "daladier_pedestrians", "limbert")


@pytest.fixture()
def french():
    with speaking("fr"):
        yield


@pytest.fixture(scope="module")
def counts() -> pd.DataFrame:
    return model.load_counts()


@pytest.fixture(scope="module")
def joined() -> pd.DataFrame:
    return model.join_counts_weather(model.load_montreal_bikes(), model.daily_weather(model.load_weather()), path="Berri 1")


def plain(text: str) -> str:
    """``text`` with French typography's narrow and ordinary no-break spaces as plain spaces."""
    return text.replace(NARROW_NBSP, " ").replace("\xa0", " ")


def labels_of(axes) -> list[str]:
    return [plain(axes.get_title()), plain(axes.get_xlabel()), plain(axes.get_ylabel())]


def legend_of(axes) -> list[str]:
    return [plain(text.get_text()) for text in axes.get_legend().get_texts()]


def ticks_of(axis) -> list[str]:
    return [plain(label.get_text()) for label in axis.get_ticklabels()]


def date_ticks_of(axes) -> list[str]:
    """The labels of a date axis as drawn (matplotlib writes them only when the figure is drawn)."""
    FigureCanvasAgg(axes.figure).draw()
    return [plain(label.get_text()) for label in axes.xaxis.get_ticklabels()]


def alt_of(shown) -> str:
    markup = shown._repr_mimebundle_()["text/html"]
    return plain(html.unescape(re.search(r'alt="([^"]*)"', markup).group(1)))


# -- the widgets -------------------------------------------------------------------------------


def test_does_the_counter_explorer_speak_french(french, counts):
    explorer = CounterExplorer(counts, channel="daladier_pedestrians", name="Avignon")
    assert explorer.channel_dropdown.description == "Canal de comptage"
    assert "Pont Daladier, piétons (total)" in [label for label, _key in explorer.channel_dropdown.options]
    assert "Axe Saint-Lazare–Thiers, vers Thiers, < 12 km/h" in [label for label, _key in explorer.channel_dropdown.options]
    assert explorer.period_slider.description == "Période (mois)"
    assert explorer.period_slider.options[6][0] == "juil. 2021"
    assert explorer.by_buttons.description == "Total par"
    assert [label for label, _key in explorer.by_buttons.options] == ["Jour", "Semaine", "Mois"]
    assert "Compteurs – Avignon" in explorer.widget.children[0].value
    assert plain(explorer.title.get_text()) == "Pont Daladier, piétons (total) : comptage par jour"
    assert labels_of(explorer.axes)[1:] == ["Jour", "Piétons par jour"]
    assert legend_of(explorer.axes)[:3] == ["Comptage", "manquant", "muet"]
    assert date_ticks_of(explorer.axes) == ["2021", "mars", "mai", "juil.", "sept.", "nov.", "2022"]
    summary = plain(explorer.summary())
    assert re.search(r"du \w+\. \d+ \w+\.? 2021 au", summary), summary
    assert "passages comptés" in summary and re.search(r"\d \d{3} par jour en moyenne", summary)
    verdict = explorer.verdict.value
    assert "<b>La règle.</b> Le comptage attendu d’un jour" in verdict
    assert "<th>Signalement</th>" in verdict and "<caption>Jours signalés" in verdict
    assert plain(explorer.describe()).startswith("Graphique linéaire du canal « Pont Daladier, piétons (total) »")

    explorer.by_buttons.value = "month"
    assert plain(explorer.title.get_text()) == "Pont Daladier, piétons (total) : comptage par mois"
    assert labels_of(explorer.axes)[1:] == ["Mois (placé à son premier jour)", "Piétons par mois"]
    assert "Les marqueurs indiquent les mois" in explorer.summary()
    explorer.channel_dropdown.value = "daladier_bikes"
    assert plain(explorer.axes.get_ylabel()) == "Vélos par mois"
    assert "vélos comptés par mois" in explorer.describe()


def test_does_the_counter_explorer_explain_an_empty_period_in_french(french, counts):
    replaced = counts[(counts["channel"] != "daladier_bikes_in_1") | (counts["day"] < "2021-06-01")]  # a counter replaced in June
    explorer = CounterExplorer(replaced, channel="daladier_bikes_in_1", name="Avignon")
    explorer.period_slider.value = (explorer.months[-1], explorer.months[-1])
    message = plain(explorer.verdict.value)
    assert "Rien à afficher pour cette période" in message and "Choisissez d’autres mois" in message
    assert "aucun comptage sur cette période" in explorer.title.get_text()
    assert plain(explorer.describe()).startswith("Graphique linéaire vide")


def test_does_the_maturity_assessment_speak_french(french):
    assessment = MaturityAssessment(model.QUESTIONS, name="Avignon")
    control = assessment.controls["skills_staff"]
    assert control.description == "Q6"
    assert [plain(label) for label, _value in control.options] == ["0 : Non", "1 : À peine commencé", "2 : En grande partie", "3 : Oui, pleinement"]
    assert control.tooltips[3] == "Oui, pleinement (3 sur 3)"
    texts = " ".join(child.value for child in assessment.widget.children[1].children[0].children if hasattr(child, "placeholder"))
    assert "<b>Compétences numériques</b>" in texts
    assert "Q6. Les agents de la collectivité sont-ils prêts à changer leurs façons de travailler" in texts
    title = plain(assessment.figure._suptitle.get_text())
    assert title.startswith("Maturité numérique – Avignon\n(score de chaque dimension")
    assert ticks_of(assessment.axes.yaxis) == ["25 %", "50 %", "75 %", "100 %"]
    assert legend_of(assessment.axes) == ["Seuil de préparation (50 %)", "Score de la dimension"]
    calm = plain(assessment.verdict.value)
    assert "Pas prêt pour un grand projet" in calm and "Premiers pas, un par dimension sous 50 % :" in calm
    assert "Formez les agents qui porteront le projet" in calm
    assert "Graphique en radar" in assessment.describe()

    for control in assessment.controls.values():
        control.value = 3
    ready = plain(assessment.verdict.value)
    assert ready != calm
    assert "Prêt pour une première expérimentation : chaque dimension atteint 50 % (ensemble 100 %)" in ready
    assert "Not ready" not in ready and "Ready" not in ready


def test_does_the_lighting_simulator_speak_french(french):
    simulator = LightingSimulator(model.LightingAssumptions(), model.DIMMED_NIGHT, name="Avignon")
    assert simulator.start_slider.description == "Début de la gradation (heure)"
    assert simulator.end_slider.description == "Fin de la gradation (heure)"
    descriptions = [slider.description for slider in simulator.sliders.values()]
    assert descriptions == [
        "Niveau de gradation (% de la pleine puissance)",
        "Puissance LED par point lumineux (W)",
        "Prix de l’électricité (€/kWh)",
        "Facteur d’émission (g CO2e/kWh)",
        "Investissement par point lumineux (€)",
    ]
    assert labels_of(simulator.axes) == ["Éclairage public à Avignon : énergie par mois, 2021", "Mois", "Énergie (MWh par mois)"]
    assert ticks_of(simulator.axes.xaxis)[:2] == ["janv.", "févr."]
    assert legend_of(simulator.axes) == ["Avant : lampes de 150 W, pleine puissance", "Après : LED avec les horaires de gradation"]
    assert re.fullmatch(r"\d+ % d’énergie en moins sur l’année", plain(simulator.cut_label.get_text()))
    verdict = plain(simulator.verdict.value)
    assert "Le nouvel éclairage consomme" in verdict and "temps de retour brut" in verdict
    assert re.search(r"remboursé en \d+,\d ans", verdict), "the payback has a decimal comma"
    assert re.search(r"\d \d{3} €", verdict), "amounts have grouped thousands"
    assert "<th>Avant</th><th>Après</th>" in verdict and "<td>Énergie</td>" in verdict
    assumptions = plain(simulator.assumption_box.value)
    assert "Hypothèses de ces chiffres" in assumptions and "Facteur d’émission : 32 g CO2e par kWh" in assumptions
    assert "Prix de l’électricité : 0,18 € par kWh" in assumptions or "Prix de l’électricité : " in assumptions
    assert "30 % de 22:00 à 06:00, pleine puissance le reste du temps" in plain(simulator.describe())

    simulator.sliders["level"].value = 100.0
    changed = plain(simulator.verdict.value)
    assert changed != verdict and "Le nouvel éclairage consomme" in changed
    simulator.end_slider.value = simulator.start_slider.value
    refused = plain(simulator.verdict.value)
    assert "La gradation commence et finit à la même heure" in refused
    assert "En attendant, les chiffres montrent les luminaires LED à pleine puissance" in refused


def test_does_a_model_message_come_in_french(french, counts):
    check = model.check_schedule(model.Schedule.all_dimmed(), model.channel_series(counts, "daladier_pedestrians"))
    assert not check.passes
    message = plain(check.message)
    assert message.startswith("Vos horaires ne sont pas encore validés.")
    assert re.search(r"de \d+,\d %", message) and "Mettez ces cases à 'full'" in message
    assert re.search(r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d+ \w+ 2021", message)
    with pytest.raises(model.UnknownChannelError, match="Vouliez-vous dire 'limbert'"):
        model.channel("limbertt")
    with pytest.raises(model.EmptyPeriodError, match="ne contient aucun comptage"):
        model.channel_series(counts[counts["day"] < "2021-06-01"], "daladier_bikes_in_1", "2021-07-01", "2021-12-31")
    anomalies = model.find_anomalies(model.channel_series(counts, "limbert"))
    assert any("vérifiez-le" in reason or "n’a été publié" in reason or "bloqué" in reason for reason in anomalies["reason"])


# -- the figures and tables of the lessons ------------------------------------------------------


def test_do_the_investment_figures_speak_french(french):
    result = model.score({question.key: 1 for question in model.QUESTIONS})
    radar = investment.maturity_radar(result, "Avignon")
    assert radar.figure.axes[0].get_title() == "Maturité numérique – Avignon"
    assert ticks_of(radar.figure.axes[0].xaxis)[0] == "Écosystème numérique"
    assert legend_of(radar.figure.axes[0]) == ["seuil de préparation (50 %)"]
    assert plain(radar.alt).startswith("Graphique en radar") and "Écosystème numérique 33 %" in plain(radar.alt)
    assert radar.caption.startswith("Pas prêt pour un grand projet")
    table = investment.maturity_table(result).frame
    assert table.index.name == "Dimension"
    assert [plain(column) for column in table.columns] == ["Score", "Au moins 50 % ?", "Par quoi commencer"]
    assert set(table.iloc[:, 1]) == {"non"}
    questions = investment.questions_table(model.QUESTIONS).frame
    assert list(questions.columns) == ["Question"] and questions.index.names == ["Dimension", "Clé"]

    days = model.days_of_year(2021)
    nights = investment.nights_chart(model.nights(days), model.DIMMED_NIGHT, "Avignon")
    axes = nights.figure.axes[0]
    assert labels_of(axes) == ["Les nuits de 2021 à Avignon : quand l’éclairage est allumé", "Jour de l’année", "Heure"]
    assert legend_of(axes) == ["éclairage allumé (du coucher au lever du soleil)", "gradation à 30 % (22:00–06:00)"]
    assert re.search(r"\d+,\d heures", nights.alt) and "décembre" in nights.alt
    assert "mars" in date_ticks_of(axes)
    assert re.match(r"\d \d{3} heures de nuit dans l’année", plain(nights.caption))

    assumptions = model.LightingAssumptions()
    before = model.energy_by_day(assumptions.old, model.FULL, days)
    after = {"LED": model.energy_by_day(assumptions.new, model.FULL, days)}
    monthly = investment.monthly_energy_chart(before, after)
    assert labels_of(monthly.figure.axes[0]) == ["Éclairage public : énergie de chaque mois", "Mois", "Énergie (MWh)"]
    assert ticks_of(monthly.figure.axes[0].xaxis)[6] == "juil."
    assert legend_of(monthly.figure.axes[0]) == ["aujourd’hui", "LED"]
    results = investment.result_table({"LED": model.compare(assumptions, model.FULL)})
    assert results.index.name == "Option" and "Temps de retour brut" in results.columns
    assert re.fullmatch(r"\d+,\d ans", results.iloc[0]["Temps de retour brut"])
    assert plain(results.iloc[0]["Baisse de l’énergie"]).endswith(" %")


def test_does_the_timeline_speak_french(french):
    steps = pd.DataFrame(
        [
            ("Ville A", "pilote", "2007-01-01", "2010-12-31", "year"),
            ("Ville B", "inventaire", "2017-02-01", "2017-06-30", "month"),
            ("Ville B", "atelier", "2017-06-27", "2017-06-27", "day"),
        ],
        columns=["case", "step", "start", "end", "precision"],
    )
    timeline = overview.cases_timeline(steps)
    assert labels_of(timeline.figure.axes[0])[:2] == ["Trois cas, étape par étape", "Année"]
    assert "la source ne donne que les années" in legend_of(timeline.figure.axes[0])
    assert "pilote (2007 à 2010)" in timeline.alt and "inventaire (février 2017 à juin 2017)" in timeline.alt
    assert "atelier (27 juin 2017)" in timeline.alt and timeline.alt.startswith("Frise chronologique")
    with pytest.raises(ValueError, match="la précision de la source"):
        overview.cases_timeline(steps.drop(columns="precision"))


def test_do_the_sensor_figures_speak_french(french, counts, joined):
    channels = sensors.channels_table(counts).frame
    assert list(channels.columns)[:3] == ["libellé", "mode", "total d’autres canaux"]
    assert channels.loc["daladier_pedestrians", "libellé"] == "Pont Daladier, piétons (total)"
    assert channels.loc["daladier_pedestrians", "mode"] == "piétons"

    band_keys = [channel.key for channel in model.CHANNELS if channel.speed_band is not None]
    gaps = model.total_mismatches(counts, "limbert", band_keys)
    chart = sensors.mismatch_chart(gaps, days_compared=365, total_label="Limbert", parts_label="ses tranches de vitesse")
    assert labels_of(chart.figure.axes[0])[0] == "Limbert : total moins ses tranches de vitesse"
    assert "Ils concordent exactement" in alt_of(chart)
    table = sensors.mismatch_table(gaps, largest=2)
    assert list(table.columns) == ["canal total", "somme de ses parties", "écart"] and table.index.name == "jour"

    profiles = {model.channel(key).shown_label: model.weekday_profile(model.channel_series(counts, key)) for key in TOTALS}
    week = sensors.weekday_chart(profiles)
    assert labels_of(week.figure.axes[0]) == ["Une semaine moyenne à trois compteurs (2021)", "Jour de la semaine", "Comptage moyen par jour"]
    assert ticks_of(week.figure.axes[0].xaxis)[0] == "lun."
    assert re.search(r"le (lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)", week.alt)
    assert "Pont Daladier, vélos (total)" in legend_of(week.figure.axes[0])
    months = {label: model.monthly_profile(model.channel_series(counts, key)) for label, key in zip(profiles, TOTALS)}
    year = sensors.monthly_chart(months)
    assert ticks_of(year.figure.axes[0].xaxis)[1] == "févr."
    assert "minimum en" in year.alt and year.caption.startswith("Chaque point est la moyenne")

    shares = {model.DIRECTIONS[d]: model.speed_band_shares(counts, d) for d in model.DIRECTIONS}
    bands = sensors.speed_band_chart({translator(model.__name__)(label): value for label, value in shares.items()})
    assert labels_of(bands.figure.axes[0])[1:] == ["Part des cyclistes de l’année (%)", "Sens"]
    assert ticks_of(bands.figure.axes[0].yaxis) == ["vers Thiers", "vers Saint-Lazare"]
    assert re.search(r"< 12 km/h \d+,\d %", alt_of(bands))

    limbert = model.channel_series(counts, "limbert")
    anomalies = model.find_anomalies(limbert)
    flagged = sensors.anomaly_chart(limbert, anomalies, label="Limbert", expected=model.expected_counts(limbert))
    assert labels_of(flagged.figure.axes[0]) == ["Limbert : comptages quotidiens et jours signalés", "Jour", "Comptage par jour"]
    assert legend_of(flagged.figure.axes[0])[:2] == ["comptage du jour", "comptage attendu (médiane du même jour de la semaine, 4 semaines de part et d’autre)"]
    assert "Jours signalés" in alt_of(flagged)
    assert "juil." in date_ticks_of(flagged.figure.axes[0]), "dates are written in French, not as day numbers"
    summary = sensors.flag_summary_table({"limbert": anomalies})
    assert list(summary.columns) == ["manquant", "muet", "bloqué", "bas", "haut", "jours signalés"]
    assert summary.index.name == "canal"
    listed = sensors.anomaly_table(anomalies).frame
    assert list(listed.columns) == ["comptage", "attendu", "signalement", "motif"]
    assert set(listed["signalement"]) <= {"manquant", "muet", "bloqué", "bas", "haut"}
    assert sensors.day_label("2021-07-15") == "jeu. 15 juil. 2021"

    season = sensors.season_chart(joined)
    assert labels_of(season.figure.axes[0]) == ["Cyclistes comptés sur Berri 1, Montréal, 2012", "Jour (2012)", "Cyclistes par jour"]
    assert re.match(r"jour de pluie \(\d+ jours\)", legend_of(season.figure.axes[0])[1])
    effect = model.rain_effect(joined)
    strata = sensors.rain_strata_table(effect)
    assert strata.index.names == ["mois", "jours"] and "pluie ÷ sec" in strata.columns
    assert set(strata.index.get_level_values("jours")) <= {"week-end", "jours ouvrés"}
    assert all("," in value or value == "–" for value in strata["pluie ÷ sec"])
    temperature = model.temperature_effect(joined)
    days = joined[~joined["rainy"] & ~joined["weekend"]]
    scatter = sensors.temperature_chart(days, temperature)
    assert labels_of(scatter.figure.axes[0])[1:] == ["Température moyenne du jour (°C)", "Cyclistes par jour"]
    assert "janvier–mars" in legend_of(scatter.figure.axes[0])
    assert re.search(r"corrélation \d,\d\d", scatter.alt)
    assert sensors.percent(0.0123, 1) == f"1,2{NARROW_NBSP}%"


def test_does_english_stay_the_default(counts):
    assert language() == "en" or pytest.skip("the session's locale asks for another language")
    simulator = LightingSimulator(model.LightingAssumptions(), model.DIMMED_NIGHT, name="Avignon")
    assert simulator.axes.get_title() == "Street lighting of Avignon: energy per month, 2021"
    assert model.channel("daladier_pedestrians").shown_label == "Pont Daladier, pedestrians (total)"
    assert model.anomaly_rule() == model.ANOMALY_RULE
    assert sensors.day_label("2021-07-15") == "Thu 15 Jul 2021"
