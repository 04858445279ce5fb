"""The lesson pattern of every module, checked on the sources (no build): time estimates that agree
everywhere, self-check questions with their answers, and formatting code folded away.
The built site is checked for the same in tests/site/test_site.py."""

from __future__ import annotations

import re

import pytest

from tests.site import page_facts as facts

TIMED_PAGES = facts.timed_docnames()
LESSONS = facts.lesson_docnames()
MIN_CHECKS, MAX_CHECKS = 3, 6


def test_the_table_of_contents_has_modules_with_lessons_and_an_exercise():
    assert facts.module_slugs(), "book/_toc.yml lists no page of a module folder (book/<slug>/...)"
    for slug in facts.module_slugs():
        pages = facts.timed_docnames(slug)
        assert any(facts.is_lesson(page) for page in pages), f"module {slug} has no lesson in book/_toc.yml"
        assert any(facts.is_exercise_page(page) for page in pages), f"module {slug} has no exercise page in book/_toc.yml"


# --- Time estimates live in one place: the page's front matter --------------------------------------


@pytest.mark.parametrize("docname", TIMED_PAGES)
def test_every_lesson_and_exercise_page_gives_its_time_in_its_front_matter(docname):
    value = facts.page_front_matter(docname).get("time")
    assert facts.time_in_front_matter(docname) is not None, (
        f"{docname}.md: its front matter needs `time: <minutes>` (a whole number of minutes for a newcomer, "
        f"simulations included), found {value!r}"
    )
    assert facts.time_in_front_matter(docname) > 0


@pytest.mark.parametrize("docname", TIMED_PAGES)
def test_the_times_a_page_states_are_the_time_of_its_front_matter(docname):
    minutes = facts.time_in_front_matter(docname)
    stated = facts.stated_times(facts.page_text(docname))
    labels = {time.label for time in stated}
    if facts.is_lesson(docname):
        assert any(time.label == "Time" and time.in_lesson_admonition for time in stated), (
            f"{docname}.md: its \"In this lesson\" admonition has no \"**Time:** N minutes\" line"
        )
        assert "Time to learn" in labels, f"{docname}.md has no \"**Time to learn:** N minutes\" line"
    else:
        assert stated, f"{docname}.md states its time nowhere on the page (\"**Time needed:** N minutes\")"
    wrong = []
    for time in stated:
        try:
            if time.minutes != minutes:
                wrong.append(f"line {time.line}: **{time.label}:** {time.text!r} is {time.minutes} min")
        except ValueError as problem:
            wrong.append(f"line {time.line}: **{time.label}:** {problem}")
    assert wrong == [], f"{docname}.md: its front matter says time: {minutes}, but\n" + "\n".join(wrong)


@pytest.mark.parametrize("overview", facts.overview_pages())
def test_the_time_tables_show_the_time_of_each_page_they_link_to(overview):
    wrong = []
    for table in facts.time_tables(overview):
        for row in table.page_rows:
            for page in row.pages:
                expected = facts.time_in_front_matter(page)
                try:
                    shown = row.minutes
                except ValueError as problem:
                    wrong.append(f"line {row.line} ({page}): {problem}")
                    continue
                if shown != expected:
                    wrong.append(f"line {row.line}: {page} shows {row.time_text!r}, its front matter says "
                                 f"time: {expected} ({facts.format_duration(expected) if expected else 'missing'})")
    assert wrong == [], f"{overview}.md disagrees with the pages' front matter:\n" + "\n".join(wrong)


@pytest.mark.parametrize("overview", facts.overview_pages())
def test_the_stated_totals_are_the_sums_of_their_rows(overview):
    wrong = []
    totals = [(table, row.time_text, row.line) for table in facts.time_tables(overview) for row in table.total_rows]
    totals += [(sentence.table, sentence.text, sentence.line) for sentence in facts.total_sentences(overview)]
    for table, text, line in totals:
        if table is None:
            wrong.append(f"line {line}: a total ({text!r}) with no time table above it")
            continue
        pages = [page for row in table.page_rows for page in row.pages]
        expected = sum(facts.time_in_front_matter(page) or 0 for page in pages)
        try:
            stated = facts.parse_duration(text.replace("*", ""))
        except ValueError as problem:
            wrong.append(f"line {line}: {problem}")
            continue
        if stated != expected:
            wrong.append(f"line {line}: the total says {text.replace('*', '')!r}, the pages of the table "
                         f"(line {table.line}) add up to {facts.format_duration(expected)} ({expected} min)")
    assert wrong == [], f"{overview}.md:\n" + "\n".join(wrong)


@pytest.mark.parametrize("overview", facts.overview_pages())
def test_sentences_that_give_the_time_of_a_page_agree_with_it(overview):
    wrong = []
    for paragraph in facts.timed_paragraphs(overview):
        expected = facts.time_in_front_matter(paragraph.page)
        if paragraph.minutes != expected:
            wrong.append(f"line {paragraph.line}: says {paragraph.minutes} min for {paragraph.page} "
                         f"(front matter: {expected}): {paragraph.text[:120]!r}")
    assert wrong == [], f"{overview}.md:\n" + "\n".join(wrong)


def test_every_module_page_is_in_the_time_tables_of_the_syllabus_and_its_module_index():
    missing = []
    for slug in facts.module_slugs():
        for overview, pages in (("book/syllabus", facts.timed_docnames(slug)), (f"book/{slug}/index", facts.lesson_docnames(slug))):
            listed = {page for table in facts.time_tables(overview) for row in table.page_rows for page in row.pages}
            missing += [f"{overview}.md has no time row for {page}" for page in pages if page not in listed]
    assert missing == [], "\n".join(missing)


@pytest.mark.parametrize("docname", [page for page in TIMED_PAGES if facts.is_exercise_page(page)])
def test_the_exercise_notebook_states_the_time_of_its_page(docname):
    assignment = str(facts.page_front_matter(docname)["assignment"])
    expected = facts.time_in_front_matter(docname)
    stated = facts.exercise_notebook_times(assignment)
    assert stated, (
        f"no notebook of exercises/source/{assignment}/ says \"**Time needed:** N minutes\" in its first cell"
    )
    wrong = []
    for notebook, text in stated:
        try:
            if facts.parse_duration(text) != expected:
                wrong.append(f"{notebook.name} says **Time needed:** {text!r}, but {docname}.md says time: {expected}")
        except ValueError as problem:
            wrong.append(f"{notebook.name}, first cell: **Time needed:** {problem}")
    assert wrong == [], "\n".join(wrong)


# --- Self-check questions, each with its answer hidden until asked ------------------------------------


@pytest.mark.parametrize("docname", LESSONS)
def test_every_lesson_asks_three_to_six_self_check_questions_each_with_its_answer(docname):
    checks, orphans = facts.self_checks(docname)
    assert MIN_CHECKS <= len(checks) <= MAX_CHECKS, (
        f"{docname}.md has {len(checks)} self-check questions ({{exercise}} directives); a lesson asks "
        f"{MIN_CHECKS} to {MAX_CHECKS} (templates/lesson.md shows the shape)"
    )
    prefix = facts.self_check_label_prefix(docname)
    labels = [check.label for check in checks]
    assert len(set(labels)) == len(labels), f"{docname}.md: two self-checks share a label: {labels}"
    for check in checks:
        assert check.label.startswith(prefix) and check.label.removeprefix(prefix).isdigit(), (
            f"{docname}.md: the self-check label {check.label!r} should read {prefix}<n>"
        )
        assert check.solution is not None, f"{docname}.md: self-check {check.label} has no {{solution}} {check.label}"
        classes = check.solution.options.get("class", "").split()
        assert "dropdown" in classes, (
            f"{docname}.md: the solution of {check.label} shows at once; add `:class: dropdown` so the "
            "answer opens on request"
        )
    assert orphans == [], f"{docname}.md: solutions of no question: {[d.argument for d in orphans]}"


# --- Your own territory ----------------------------------------------------------------------------------
@pytest.mark.parametrize("docname", LESSONS)
def test_every_lesson_ends_with_how_to_redo_it_on_ones_own_territory(docname):
    headings = re.findall(r"^## (.+?)\s*$", facts.page_text(docname), re.M)
    own = [i for i, heading in enumerate(headings) if re.match(r"Your own (territory|commune)\b", heading)]
    assert own, f"{docname}.md has no \"## Your own territory\" section (templates/lesson.md shows what it says)"
    assert "Summary" in headings and own[-1] < headings.index("Summary"), (
        f"{docname}.md: \"## {headings[own[-1]]}\" should come before \"## Summary\""
    )


# --- Code that does not teach is folded ----------------------------------------------------------------


@pytest.mark.parametrize("docname", LESSONS)
def test_cells_that_draw_a_figure_or_format_a_table_are_folded(docname):
    unfolded = [
        f"code cell {found.cell.index + 1} (calls {', '.join(sorted(set(found.calls)))}):\n    "
        + found.cell.source.strip().replace("\n", "\n    ")
        for found in facts.formatting_cells(docname)
        if "hide-input" not in found.cell.tags or not found.cell.source_hidden
    ]
    assert unfolded == [], (
        f"{docname}.md: these cells only draw or format; fold them on the site and in JupyterLab with the "
        "metadata `jupyter: {source_hidden: true}` and `tags: [hide-input]` (see templates/lesson.md):\n" + "\n".join(unfolded)
    )
