"""The course's languages: which one a learner gets, and numbers and dates written the way each language
writes them (modules/common/i18n.py, formatting.py). The catalogues that hold the French are checked by
test_catalogues.py."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

import pytest

from modules.common import i18n
from modules.common.formatting import format_date, format_euros, format_number, format_percent
from tests.conftest import COURSE_ROOT

NNBSP = "\u202f"
LANGUAGE_VARIABLES = ("COURSE_LANGUAGE", "COURSE_HUB_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "JUPYTERLAB_SETTINGS_DIR")


@pytest.fixture
def clean_language(monkeypatch, tmp_path):
    """No language set anywhere: no variable, an empty JupyterLab settings folder, no session choice."""
    for variable in LANGUAGE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path / "user-settings"))
    i18n.set_language(None)
    yield tmp_path / "user-settings"
    i18n.set_language(None)


def choose_in_jupyterlab(settings: Path, locale: str) -> None:
    path = settings / i18n.JUPYTERLAB_LANGUAGE_SETTING
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{\n    // Langue de l\'interface\n    "locale": "%s"\n}\n' % locale, encoding="utf-8")


def test_the_learners_language_comes_from_the_first_place_that_gives_one(clean_language, monkeypatch):
    assert i18n.language() == "en"
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert i18n.language() == "fr", "the system's locale"
    monkeypatch.setenv("COURSE_HUB_LANGUAGE", "en")
    assert i18n.language() == "en", "the platform's locale at login wins over the system's"
    choose_in_jupyterlab(clean_language, "fr_FR")
    assert i18n.language() == "fr", "the learner's choice in JupyterLab wins over the platform's"
    monkeypatch.setenv("COURSE_LANGUAGE", "en")
    assert i18n.language() == "en", "COURSE_LANGUAGE imposes a language (the site's builds)"
    with i18n.speaking("fr"):
        assert i18n.language() == "fr", "a choice in the session wins over everything"
    assert i18n.language() == "en"


def test_a_language_the_course_does_not_have_falls_back_to_english(clean_language, monkeypatch):
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert i18n.language() == "en"
    choose_in_jupyterlab(clean_language, "default")
    assert i18n.language() == "en"
    assert [i18n.normalise(code) for code in ("fr-BE", "FR", "fr_CA.UTF-8", "C", "", None)] == ["fr", "fr", "fr", None, None, None]


def test_choosing_a_language_the_course_does_not_have_says_which_it_has(clean_language):
    with pytest.raises(ValueError, match="The course speaks en and fr; 'de' is not one of them"):
        i18n.set_language("de")


def test_a_message_is_french_only_when_the_learner_is(clean_language):
    from modules.budgeting.widgets import _ as budgeting

    english = "Gross savings"
    with i18n.speaking("fr"):
        french = budgeting(english)
    assert french != english and budgeting(english) == english


# --- Numbers and dates ----------------------------------------------------------------------------------
def test_french_pages_write_numbers_and_dates_the_french_way():
    assert format_euros(1_234_567, "€", language="fr") == f"1{NNBSP}234{NNBSP}567{NNBSP}€"
    assert format_euros(28_357_095, language="fr") == f"28,4{NNBSP}M€"
    assert format_percent(0.125, language="fr") == f"12,5{NNBSP}%"
    assert format_number(-1234.5, 1, language="fr") == f"-1{NNBSP}234,5"
    assert format_date(datetime.date(2026, 12, 2), language="fr") == "2 décembre 2026"
    assert format_date(datetime.date(2024, 1, 1), language="fr") == "1er janvier 2024"


def test_english_pages_keep_the_house_style():
    assert format_euros(28_357_095, language="en") == "28.4 M€"
    assert format_euros(1_234_567, "€", language="en") == "1 234 567 €"
    assert format_percent(0.125, language="en") == "12.5 %"
    assert format_date(datetime.date(2026, 12, 2), language="en") == "2 December 2026"


def test_an_amount_in_an_unknown_unit_says_which_units_exist():
    with pytest.raises(ValueError, match="use one of M€, k€, €"):
        format_euros(1, "$")


def test_the_hub_and_the_course_agree_on_the_languages():
    sys.path.insert(0, str(COURSE_ROOT / "deploy"))
    from course_hub import languages

    assert languages.LANGUAGES == i18n.LANGUAGES


def test_a_platforms_locale_becomes_the_learners_server_language(tmp_path):
    from course_hub import languages

    claims = {languages.LAUNCH_PRESENTATION: {"locale": "fr-CA"}}
    assert languages.language_of_claims(claims) == "fr"
    assert languages.language_of_claims({languages.LAUNCH_PRESENTATION: {"locale": "de"}}) is None
    assert languages.language_of_claims({}) is None
    languages.remember(tmp_path, "camille", "fr")
    languages.remember(tmp_path, "alex", None)
    assert languages.server_environment(tmp_path, "camille") == {"COURSE_HUB_LANGUAGE": "fr"}
    assert languages.server_environment(tmp_path, "alex") == {}
    assert (tmp_path / "hub" / "languages.json").stat().st_mode & 0o077 == 0, "only root reads who speaks what"
    languages.remember(tmp_path, "camille", None)
    assert json.loads((tmp_path / "hub" / "languages.json").read_text()) == {}
