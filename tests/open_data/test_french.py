"""Does module 4 (modules/open_data/) speak French to a French learner?

Each widget and figure is built under ``speaking("fr")`` and read as a learner would: labels,
titles, options, verdicts and alt text in French, numbers written the French way (decimal comma,
narrow no-break space before %). Whether every message of the code has its French in
``modules/open_data/locale/fr.po`` is checked, for every catalogue of the course, by
``tests/common/test_catalogues.py``.
"""

from __future__ import annotations

import html
import itertools

import pandas as pd
import pytest

from modules.common import data
from modules.common.i18n import language, speaking
from modules.open_data import model
from modules.open_data.figures import describing, opening, protecting
from modules.open_data.widgets import MetadataExplorer, PublishSimulator

BIKES = data.data_path("open_data", "montreal_comptage_velo_2012", "bikes.csv")
PROJECTS = data.data_path("budgeting", "avignon_budget_participatif_2017", "84007-budgetParticipatif2017.csv")
NNBSP = "\u202f"


def text_of(box) -> str:
    return html.unescape(box.value)


def figure_texts(figure) -> str:
    """Every text of a figure: titles, axis labels, texts, legends."""
    parts = [figure._suptitle.get_text() if figure._suptitle else ""] + [text.get_text() for text in figure.texts]
    for axes in figure.axes:
        parts += [axes.get_title(), axes.get_xlabel(), axes.get_ylabel()] + [text.get_text() for text in axes.texts]
        if axes.get_legend():
            parts += [text.get_text() for text in axes.get_legend().get_texts()]
    return "\n".join(parts)


# --- Lesson 1: reading files ------------------------------------------------------------------


def test_does_the_reader_report_in_french():
    with speaking("fr"):
        _table, report = model.read_open_csv(BIKES)
        summary = report.summary()
        table = opening.report_table(report).frame
        with pytest.raises(model.UnreadableFileError, match="Le fichier est vide"):
            model.read_open_csv(b"")
    assert "Encodage des caractères\u00a0: Latin-1" in summary and "Séparateur\u00a0: point-virgule (;)" in summary
    assert "jour d'abord" in summary and "et 287 autres" in summary
    assert list(table.columns) == ["Quoi", "Constat", "Ce qu'a fait le lecteur"]
    found = dict(zip(table["Quoi"], table["Constat"]))
    assert found["Encodage des caractères"] == "Latin-1 (ISO-8859-1)" and found["Séparateur"] == "point-virgule"
    assert found["Dates dans 'Date'"] == "%d/%m/%Y (jour d'abord)"


def test_does_the_quality_report_speak_french_with_french_percentages():
    with speaking("fr"):
        projects, _report = model.read_open_csv(PROJECTS)
        quality = model.quality_report(projects, key="id")
        problems = "\n".join(quality.problems())
        table = opening.quality_table(quality).frame
    assert f"Valeurs manquantes dans la colonne 'projet_cout'\u00a0: 1 sur 33 (3{NNBSP}%)" in problems
    assert "écrit 2 catégories de plusieurs façons" in problems
    assert list(table.columns) == ["Colonne", "Type", "Manquantes", "Écrite de plusieurs façons"]
    assert table.loc[table["Colonne"] == "projet_cout", "Manquantes"].iloc[0] == f"1 sur 33 (3{NNBSP}%)"
    assert set(table["Type"]) == {"texte", "nombre"}


def test_are_the_lesson_1_charts_in_french():
    raw = pd.read_csv(BIKES, sep=";", encoding="latin-1")
    right = pd.Series(raw["Berri 1"].to_numpy(), index=pd.to_datetime(raw["Date"], dayfirst=True))
    swapped = pd.Series(raw["Berri 1"].to_numpy(), index=pd.to_datetime(raw["Date"], format="%m/%d/%Y", errors="coerce"))
    projects, _report = model.read_open_csv(PROJECTS)
    with speaking("fr"):
        dates = opening.date_order_chart(right, swapped, "Berri 1", "crédit")
        sectors = opening.sector_chart(projects["projet_secteur"], model.normalise_categories(projects["projet_secteur"]), "crédit")
    texts = figure_texts(dates.figure)
    assert "une année de comptages quotidiens, lue de deux façons" in texts and "Cyclistes par jour" in texts
    assert "Dates lues mois d'abord" in texts and "Date, 2012" in texts
    assert dates.alt.startswith("Deux graphiques des cyclistes comptés chaque jour sur Berri 1")
    texts = figure_texts(sectors.figure)
    assert "Budget participatif 2017 d'Avignon" in texts and "Projets" in texts and "Une graphie par secteur\u00a0: 8 secteurs" in texts
    assert sectors.alt.startswith("Deux diagrammes en barres des projets par secteur")


# --- Lesson 2: describing data ----------------------------------------------------------------


def test_are_the_lesson_2_tables_in_french():
    with speaking("fr"):
        duty = describing.duty_table().frame
        licences = describing.licence_table().frame
        cases = {"csv": model.rate(online=True, licence="ODbL", formats=["CSV"]), "aucun": model.rate(online=True, licence=None)}
        stars = describing.stars_table(cases).frame
        catalogue = describing.catalogue_table(model.read_catalogue()).frame
    assert list(duty.columns) == ["Texte", "Ce qu'il prévoit"] and "3 500 habitants et 50 agents" in " ".join(duty["Ce qu'il prévoit"])
    assert licences["Partage à l'identique"].str[:3].tolist() == ["non", "oui", "non"]
    assert list(stars.columns) == ["Jeu de données", "Étoiles", "Pourquoi", "Étape suivante"]
    assert stars["Pourquoi"].iloc[1] == "aucune étoile" and "licence ouverte" in stars["Étape suivante"].iloc[1]
    assert "★★★ un format non propriétaire (CSV)" in stars["Pourquoi"].iloc[0]
    assert list(catalogue.columns) == ["Titre", "Date la plus récente", "Score (%)", "Champs manquants"]
    assert catalogue["Score (%)"].iloc[0] == "82,4" and "mars 2019" in catalogue["Date la plus récente"].iloc[0]
    assert "Fréquence de mise à jour" in catalogue["Champs manquants"].iloc[0]


def test_is_the_gaps_chart_in_french():
    catalogue = model.read_catalogue()
    with speaking("fr"):
        shown = describing.gaps_chart(catalogue, "crédit")
    axes = shown.figure.axes[0]
    assert axes.get_title() == "Catalogue d'Avignon\u00a0: les champs que les fiches laissent vides"
    assert axes.get_xlabel() == "Fiches auxquelles manque le champ (sur 23)"
    assert "Fréquence de mise à jour" in [label.get_text() for label in axes.get_yticklabels()]
    assert "Fréquence de mise à jour (23), Catégorie thématique (18)" in shown.alt


def test_does_the_metadata_explorer_speak_french():
    with speaking("fr"):
        explorer = MetadataExplorer(model.read_records())
        first = text_of(explorer.verdict)
        explorer.select(explorer.table["file"].iloc[-1])
        last = text_of(explorer.verdict)
        alt = explorer.describe()
    assert "Qualité des métadonnées (catalogue d'Avignon)\u00a0: 23 fiches" in text_of(explorer.widget.children[0])
    assert explorer.menu.description == "Fiche"
    assert explorer.menu.options[0][0].endswith(f"(82,4{NNBSP}%)")
    assert explorer.axes.get_xlabel() == "Score de complétude (%)" and explorer.axes.texts[0].get_text() == "82,4"
    assert "Complétude des fiches" in explorer.axes.get_title()
    assert f"complétude 82,4{NNBSP}%." in first and "Fréquence de mise à jour</b> (poids 1)" in first
    assert "Cinq étoiles\u00a0:" in first and "(3 sur 5). Étape suivante" in first
    assert "une description valide peut être construite" in first and "Score de complétude\u00a0: chacun des 14 champs" in first
    assert f"complétude 88,2{NNBSP}%." in last and last != first
    assert alt.startswith("Diagramme en barres horizontales du score de complétude des 23 fiches") and f"à 88,2{NNBSP}%." in alt


def test_does_a_refused_record_say_why_in_french():
    records = model.read_records()
    raw = model.catalogue_files()[0].read_bytes()
    start, end = raw.index(b"<gmd:title>"), raw.index(b"</gmd:title>") + len(b"</gmd:title>")
    with speaking("fr"):
        untitled = model.read_record(raw[:start] + raw[end:])
        explorer = MetadataExplorer([untitled, *records[1:]])
        explorer.select(untitled.file)
    text = text_of(explorer.verdict)
    assert "(sans titre)" in text and "propriété obligatoire manquante\u00a0: Dataset: title" in text


# --- Lesson 3: publishing data about people ---------------------------------------------------


@pytest.fixture(scope="module")
def requests():
    return model.synthetic_requests()


def test_does_the_release_check_explain_its_verdict_in_french(requests):
    with speaking("fr"):
        passing = model.check_release(requests, {"age": 3, "sex": 0, "neighbourhood": 0, "date": 3})
        failing = model.check_release(requests, {name: 0 for name in model.QUASI_IDENTIFIERS})
        costly = model.check_release(requests, {"age": 4, "sex": 1, "neighbourhood": 2, "date": 3})
        with pytest.raises(ValueError, match="Le niveau 9 n'existe pas pour 'age'"):
            model.generalise(requests, {"age": 9})
    assert passing.message.startswith("Avec âge\u00a0: tranche de 20 ans, sexe\u00a0: exact, quartier\u00a0: secteur, date\u00a0: supprimé, k = 7")
    assert f"perte d'information de 43,8{NNBSP}% (au plus 50{NNBSP}%)" in passing.message
    assert "Ce choix remplit les deux conditions" in passing.message
    assert "k vaut 1, sous 5\u00a0: 4\u202f000 enregistrements" in failing.message and "compte 1 demande" in failing.message
    assert "femmes" in failing.message and "le 8 février 2024" in failing.message
    assert f"la perte d'information est de 100,0{NNBSP}%" in costly.message


def test_are_the_lesson_3_figures_and_tables_in_french(requests):
    raw = model.equivalence_classes(requests, list(model.QUASI_IDENTIFIERS))["size"]
    three = ("age", "sex", "neighbourhood")
    rows = []
    for levels in itertools.product(range(5), range(2), range(3)):
        check = model.check_release(requests, dict(zip(three, levels)), quasi_identifiers=three)
        rows.append({"k": check.k, "loss": check.loss, "label": str(levels)})
    with speaking("fr"):
        groups = protecting.group_size_chart({"Brute": raw})
        tradeoff = protecting.tradeoff_chart(pd.DataFrame(rows), 5, 50, three)
        unique = protecting.uniqueness_table([("sexe", 1846, 0.0), ("âge, sexe", 1, 4.71)]).frame
        levels = protecting.levels_table().frame
    texts = figure_texts(groups.figure)
    assert "Combien de demandes partagent chaque description\u202f?" in texts and "Part des demandes (%)" in texts
    assert "à risque\u00a0: groupes de moins de 5" in texts
    assert groups.alt.startswith("Diagramme en barres groupées") and "dans des groupes de 1" in groups.alt
    texts = figure_texts(tradeoff.figure)
    assert "Information perdue (%)" in texts and "un choix de niveaux" in texts and f"perte = 50{NNBSP}%" in texts
    assert "pour âge, sexe, quartier" in tradeoff.alt and "Le choix le moins coûteux" in tradeoff.alt
    assert list(unique.columns) == ["Quasi-identifiants connus", "k", "Demandes seules dans leur groupe"]
    assert unique["Demandes seules dans leur groupe"].tolist() == [f"0,0{NNBSP}%", f"4,7{NNBSP}%"]
    assert list(levels.columns) == ["Quasi-identifiant", "Niveaux"]
    assert levels.loc[levels["Quasi-identifiant"] == "date", "Niveaux"].iloc[0] == "0: jour → 1: mois → 2: trimestre → 3: supprimé"


def test_does_the_publish_simulator_speak_french_and_follow_its_controls(requests):
    with speaking("fr"):
        simulator = PublishSimulator(requests)
        start = text_of(simulator.verdict)
        simulator.levels["age"].value = 3
        simulator.levels["date"].value = 3
        after = text_of(simulator.verdict)
        alt = simulator.describe()
        simulator.set_levels({}, quasi_identifiers=[])
        none = text_of(simulator.verdict)
    assert "Peut-on publier sans risque\u202f? 4\u202f000 enregistrements" in text_of(simulator.widget.children[0])
    assert simulator.ticks["neighbourhood"].description == "quartier\u00a0: quasi-identifiant"
    assert [label for label, _level in simulator.levels["age"].options][:2] == ["âge exact", "tranche de 5 ans"]
    assert simulator.levels["age"].description == "niveau"
    assert simulator.axes.get_title() == "Répartition des enregistrements entre les groupes"
    assert simulator.axes.get_ylabel() == "Part des enregistrements (%)" and "à risque" in simulator.target_text.get_text()
    assert f"enregistrements à risque\u00a0: 4\u202f000 · ℓ = 1 · perte d'information\u00a0: 0,0{NNBSP}%" in start
    assert "k vaut 1" in start and "Les règles." in start and "Le k-anonymat seul ne rend pas des données anonymes" in start
    assert "Ce choix remplit les deux conditions" in after and f"perte d'information\u00a0: 43,8{NNBSP}%" in after
    assert alt.startswith("Diagramme en barres de la part des 4\u202f000 enregistrements") and alt.endswith("k = 7.")
    assert any(label.get_text().endswith(f"{NNBSP}%") for label in simulator.labels)
    assert "Aucune colonne n'est cochée" in none


def test_does_english_come_back_after_french(requests):
    with speaking("fr"):
        pass
    assert language() == "en"
    assert model.check_release(requests, {name: 0 for name in model.QUASI_IDENTIFIERS}).message.startswith("With age: exact age")
