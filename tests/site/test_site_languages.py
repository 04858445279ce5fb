"""The two editions of the built site: each page in its language, the language switcher and the
hreflang links of every page, the addresses from before the French edition, and the French
search index. The browser follows the switchers in tests/browser/test_site_in_browser.py."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from tests.conftest import COURSE_ROOT

sys.path.insert(0, str(COURSE_ROOT / "book" / "_ext"))
import site_languages as languages  # noqa: E402

PAGES = [(code, docname) for code in languages.LANGUAGES for docname in languages.toc_docnames(code)]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def target_of(page: Path, href: str) -> Path:
    return (page.parent / urlparse(href).path).resolve()


@pytest.mark.parametrize(("language", "docname"), PAGES, ids=[f"{code}:{name}" for code, name in PAGES])
def test_every_page_says_its_language_and_switches_to_its_counterpart(built_site, language, docname):
    path = built_site.page(docname, language)
    page = soup(path)
    assert page.find("html").get("lang", "").startswith(language), f"{language}/{docname}: <html lang> is {page.find('html').get('lang')}"
    other = languages.other(language)
    switch = page.select("a.course-language-switch")
    assert switch, f"{language}/{docname} has no language switcher"
    pair = languages.counterpart(language, docname)
    expected_docname = pair.get(other) if pair and pair.get(other) else languages.root_docname(other)
    expected = built_site.page(expected_docname, other).resolve()
    for link in switch:
        assert link["hreflang"] == other and link["lang"] == other
        assert target_of(path, link["href"]) == expected, f"{language}/{docname}: the switcher leads to {link['href']}"
        if not (pair and pair.get(other)):
            assert link.get("title") == pair.note, "a page in one language only says why next to the switcher"
    alternates = {link["hreflang"]: link["href"] for link in page.find_all("link", rel="alternate") if link.get("hreflang")}
    if pair and pair.get(other):
        assert set(alternates) == set(languages.LANGUAGES)
        assert target_of(path, alternates[language]) == path.resolve()
        assert target_of(path, alternates[other]) == expected
    else:
        assert alternates == {}, "a page without a counterpart names no alternate"


def test_the_site_root_opens_the_readers_language_and_names_both(built_site):
    index = (built_site.site / "index.html").read_text(encoding="utf-8")
    links = json.loads(re.search(r"var links=(\{.*?\});", index).group(1))
    assert links == {"en": "en/book/intro.html", "fr": "fr/intro.html"}
    for link in links.values():
        assert (built_site.site / link).exists()


@pytest.mark.parametrize("docname", languages.toc_docnames("en"))
def test_the_addresses_of_english_pages_from_before_the_french_edition_lead_to_them(built_site, docname):
    old = built_site.site / f"{docname}.html"
    refresh = soup(old).find("meta", attrs={"http-equiv": "refresh"})["content"]
    target = refresh.split("url=", 1)[1]
    assert target_of(old, target) == built_site.page(docname).resolve()


def test_french_pages_use_french_words_of_the_theme_and_the_course(built_site):
    page = soup(built_site.page("budgeting/01-anatomy", "fr"))
    bar = page.find("nav", class_="course-link-bar")
    assert bar["aria-label"] == "Liens de la leçon"
    assert bar.find("a", class_="course-launch").get_text() == "Ouvrir sur JupyterHub"
    assert bar.find("a", class_="course-progress").get_text() == "Votre progression"
    search = page.select_one("input[name='q']")
    assert search is not None and search.get("placeholder") == "Rechercher dans le cours…"
    assert page.select_one(".search-button__default-text").get_text(strip=True) == "Recherche"


def test_each_edition_has_its_own_search_index_with_its_own_stemmer(built_site):
    english = (built_site.html / "searchindex.js").read_text(encoding="utf-8")
    french = (built_site.french / "searchindex.js").read_text(encoding="utf-8")
    assert '"budgeting/02-savings-and-debt"' in french and '"book/budgeting/02-savings-and-debt"' not in french
    assert '"book/budgeting/02-savings-and-debt"' in english
    assert "fr" in (built_site.french / "_static" / "language_data.js").read_text(encoding="utf-8").lower()
    # Sphinx's French stemmer stores "épargne" and "désendettement" by their stems, in the words of
    # titles ("titleterms") and of the text ("terms").
    index = json.loads(re.search(r"Search\.setIndex\((.*)\)\s*;?\s*$", french, re.S).group(1))
    savings = index["docnames"].index("budgeting/02-savings-and-debt")
    for stem in ("épargn", "désendet"):
        holders = {i for kind in ("terms", "titleterms") for term, found in index[kind].items() if term.startswith(stem)
                   for i in (found if isinstance(found, list) else [found])}
        assert savings in holders, f"no French search term {stem}… leads to the savings lesson"


def test_the_french_exercise_page_hands_out_the_french_assignment(built_site):
    released = sorted((built_site.french / "_exercises" / "budgeting_01_fr").glob("*.ipynb"))
    assert [path.name for path in released] == ["budgeting_01_fr.ipynb"]
    cells = json.loads(released[0].read_text(encoding="utf-8"))["cells"]
    assert "Temps nécessaire" in "".join(cells[0]["source"])


def french_pages():
    return languages.toc_docnames("fr")


@pytest.mark.parametrize("docname", french_pages())
def test_no_french_page_shows_english_text_once_built(built_site, docname):
    """What a reader sees, outputs of the code included (tables, printed sentences, figures' alt texts
    and the widgets' saved labels), reads as French; English quoted on purpose carries lang="en"."""
    from tests.site.untranslated import MIN_WORDS, THRESHOLD, language_of

    page = soup(built_site.page(docname, "fr"))
    article = page.find("article") or page
    # Left out: English quoted on purpose (lang="en"), code, and the bibliography's entries, which
    # keep each source's own title and the course's notes on it (the references page says so).
    for quoted in article.select('[lang="en"], div.cell_input, pre, code, div.citation, .bibliography'):
        quoted.decompose()
    texts = [element.get_text(" ", strip=True) for element in article.select("p, li, td, th, figcaption, dd, caption")]
    texts += [image.get("alt", "") for image in article.find_all("img")]
    for script in page.find_all("script", type="application/vnd.jupyter.widget-state+json"):
        for model in json.loads(script.get_text())["state"].values():
            state = model.get("state", {})
            texts += [str(state.get(key, "")) for key in ("description", "value", "placeholder", "tooltip")
                      if isinstance(state.get(key), str) and not str(state.get(key)).startswith("data:")]
    english = []
    for text in texts:
        plain = re.sub(r"<[^>]+>", " ", text)
        if len(re.findall(r"[A-Za-zÀ-ÿ]+", plain)) < MIN_WORDS:
            continue
        language, probability = language_of(" ".join(plain.split()))
        if language == "en" and probability >= THRESHOLD:
            english.append(" ".join(plain.split())[:160])
    assert english == [], f"fr/{docname}.html shows English:\n" + "\n".join(f"  {text!r}" for text in english)


@pytest.mark.parametrize("docname", languages.lesson_docnames("fr"))
def test_french_lessons_keep_the_lesson_pattern_once_built(built_site, docname):
    """Self-checks whose answers open on request, and formatting code folded, as on English pages;
    the folded cells' toggles speak French."""
    from tests.site import page_facts
    from tests.site.test_site import self_check_problems, unfolded_cells

    page = soup(built_site.page(docname, "fr"))
    problems = self_check_problems(page) + unfolded_cells(page, page_facts.formatting_cells(f"book/fr/{docname}"))
    assert problems == [], f"fr/{docname}:\n" + "\n".join(problems)
    toggles = {title.get_text(strip=True) for title in page.select("details.hide summary .admonition-title")}
    assert "Afficher le code de la cellule" in toggles and "Show code cell source" not in toggles, toggles
    titles = {title.get_text(" ", strip=True).split()[0] for title in page.select("div.exercise p.admonition-title")}
    assert titles == {"Autoévaluation"}, titles
