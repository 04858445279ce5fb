"""The French edition, checked on its sources (no build): the page map is complete, every French
lesson follows the lesson pattern with its French words, agrees with its English counterpart on
what both must share, and keeps no English paragraph untranslated. The built site is checked in
tests/site/test_site_languages.py."""

from __future__ import annotations

import re
import sys

import pytest

from tests.conftest import COURSE_ROOT
from tests.site import page_facts as facts

sys.path.insert(0, str(COURSE_ROOT / "book" / "_ext"))
import site_languages as languages  # noqa: E402

from tests.site.untranslated import english_paragraphs  # noqa: E402

FRENCH = languages.toc_docnames("fr")
PAIRS = [pair for pair in languages.page_map() if pair.en and pair.fr]


def source(docname: str) -> str:
    """The pseudo-docname page_facts reads a French page by (its path from the repository's root)."""
    return f"book/fr/{docname}"


def french_lessons() -> list[str]:
    return [name for name in FRENCH if len(name.split("/")) == 2 and "kernelspec" in facts.page_front_matter(source(name))]


# --- The page map ------------------------------------------------------------------------------------
def test_the_page_map_pairs_every_page_of_both_tables_of_contents():
    assert languages.problems() == []


def test_the_page_map_finds_a_page_missing_from_it(tmp_path):
    shortened = tmp_path / "page-map.yml"
    text = (COURSE_ROOT / "book" / "page-map.yml").read_text(encoding="utf-8")
    shortened.write_text(text.replace("  - en: book/how-to-follow\n    fr: how-to-follow\n", ""), encoding="utf-8")
    found = languages.problems(languages.page_map(shortened))
    assert "English page book/how-to-follow is not in book/page-map.yml" in found
    assert "Français page how-to-follow is not in book/page-map.yml" in found


def test_a_page_in_one_language_must_say_why(tmp_path):
    broken = tmp_path / "page-map.yml"
    broken.write_text("pages:\n  - en: book/hosting\n    fr: null\n", encoding="utf-8")
    with pytest.raises(languages.PageMapError, match="only_because"):
        languages.page_map(broken)


def test_every_french_page_of_the_table_of_contents_exists():
    missing = [name for name in FRENCH if not (languages.EDITIONS["fr"].source_of(name)).exists()]
    assert missing == []


@pytest.mark.parametrize("pair", PAIRS, ids=lambda pair: pair.fr)
def test_counterparts_take_the_same_time_and_hand_out_the_same_exercise(pair):
    english, french = facts.page_front_matter(pair.en), facts.page_front_matter(source(pair.fr))
    assert french.get("time") == english.get("time"), f"{pair.fr}: time {french.get('time')} ≠ {english.get('time')} in English"
    if "exercise" in english:
        assert french.get("exercise") == f"{english['exercise']}_fr"
    if "assignment" in english:
        assert french.get("assignment") == f"{english['assignment']}_fr"
        assert (COURSE_ROOT / "exercises" / "source" / french["assignment"]).is_dir()


# --- The lesson pattern, in French ------------------------------------------------------------------------
FRENCH_TIME = re.compile(r"\*\*(Durée|Temps d'apprentissage|Temps nécessaire)\s*:\*\*\s*([^·\n]*)")


@pytest.mark.parametrize("docname", french_lessons())
def test_a_french_lesson_states_its_time_where_the_pattern_says(docname):
    text = facts.page_text(source(docname))
    minutes = facts.time_in_front_matter(source(docname))
    box = re.search(r"^([:`]{3,})\{admonition\}\s*Dans cette leçon\s*$", text, re.M)
    assert box, f"{docname}.md has no \"Dans cette leçon\" admonition"
    stated = {label: facts.parse_duration(value.strip()) for label, value in FRENCH_TIME.findall(text)}
    assert stated.get("Durée") == minutes and stated.get("Temps d'apprentissage") == minutes, (
        f"{docname}.md: front matter time: {minutes}, but the page says {stated}"
    )


@pytest.mark.parametrize("docname", french_lessons())
def test_a_french_lesson_asks_the_self_checks_of_its_english_lesson_with_answers_on_request(docname):
    checks, orphans = facts.self_checks(source(docname))
    english, _ = facts.self_checks(f"book/{docname}")
    assert [check.label for check in checks] == [check.label for check in english]
    assert 3 <= len(checks) <= 6 and orphans == []
    for check in checks:
        assert check.solution is not None and "dropdown" in check.solution.options.get("class", "").split(), check.label


@pytest.mark.parametrize("docname", french_lessons())
def test_a_french_lesson_ends_with_the_readers_own_commune_then_its_summary(docname):
    headings = re.findall(r"^## (.+?)\s*$", facts.page_text(source(docname)), re.M)
    own = [i for i, heading in enumerate(headings) if re.match(r"Votre (commune|territoire)\b", heading)]
    assert own and "Résumé" in headings and own[-1] < headings.index("Résumé"), headings


@pytest.mark.parametrize("docname", french_lessons())
def test_a_french_lesson_folds_the_cells_that_only_draw_or_format(docname):
    unfolded = [found.cell.index + 1 for found in facts.formatting_cells(source(docname))
                if "hide-input" not in found.cell.tags or not found.cell.source_hidden]
    assert unfolded == [], f"{docname}.md: fold code cells {unfolded} (tags: [hide-input], jupyter: {{source_hidden: true}})"


# --- No English left --------------------------------------------------------------------------------------
@pytest.mark.parametrize("docname", FRENCH)
def test_no_french_page_keeps_an_english_paragraph(docname):
    found = english_paragraphs(facts.page_text(source(docname)))
    assert found == [], f"book/fr/{docname}.md has paragraphs in English:\n" + "\n".join(f"  {p[:160]!r}" for p in found)


def test_the_check_finds_an_english_paragraph_left_in_a_french_page_and_nothing_else():
    page = facts.page_text(source("budgeting/02-savings-and-debt"))
    left = ("The debt capacity ratio divides the outstanding debt by the gross savings of the year, "
            "and tells how many years of savings the commune would need to repay all of its debt.")
    code = "```{code-cell} ipython3\nprint('The gross savings of the commune are high enough to repay its loans this year')\n```\n"
    found = english_paragraphs(page.replace("\n## ", f"\n{left}\n\n{code}\n## ", 1))
    assert found == [left]
    admonition = f":::{{admonition}} Note\n{left}\n:::\n"
    assert english_paragraphs(admonition) == [left]
    assert english_paragraphs(f'<blockquote lang="en">\n{left}\n</blockquote>\n') == [], "a quotation marked as English"
