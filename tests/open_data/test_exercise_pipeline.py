"""The nbgrader exercise ``open_data_01``, run through the real nbgrader from release to feedback.

The whole pipeline runs once per test module, in a temporary copy of the course's ``exercises/``
folder (the nbgrader course root): ``generate_assignment``, then one ``autograde`` of a few
prepared submissions, then ``generate_feedback``. The tests then read the released notebook, the
gradebook and the feedback pages. The pattern is module 3's (``tests/smart_towns/``).

Submissions, all placed directly in ``submitted/<student>/open_data_01/``:

* ``instructor``: the source notebook as it is (solutions and hidden tests included);
* ``unchanged``: the released notebook, handed in without a line written;
* realistic mistakes: the released notebook filled in with the instructor's answers, except for
  one answer replaced by a plausible wrong one (see ``WRONG_SUBMISSIONS``): the cases the issue
  names (a file with a BOM, a category with one record, a record without a title), a file read in
  one encoding only or month first, columns dropped by their name, spellings folded only in part,
  an unknown sector let through, weights forgotten, "None" taken for a value, a share instead of a
  percentage, invalid links kept, only the first missing field named, records without an age left
  out of k, the course's model called instead of pandas, and generalisations that protect too
  little, cost too much, misspell a name or change the table in the notebook;
* right answers written otherwise, which get full points: another generalisation that meets both
  requirements;
* computations without the written answer, which reach the share of points of the pass mark and
  must not pass.

nbgrader runs the ``alembic`` executable, so the virtual environment's ``bin/`` folder is put on
``PATH``; the notebook imports ``modules.open_data.model``, so the repository root is put on
``PYTHONPATH`` of the grading kernel (both come from the ``tool_environment`` fixture of
``tests/conftest.py``). What counts as secret (solutions, hidden tests) is defined once for the
whole course, in ``autograder.secrets``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import nbformat
import pytest

from autograder.secrets import leaks_in_text, secrets_of_notebook
from modules.open_data import model
from tests.exercise_pipeline import (
    PASS_SHARE,
    WRITTEN_MINIMUM,
    Exercise,
    StandardExerciseChecks,
    exercise_fixtures,
    passes,
    check_verdicts,
    HIDDEN_MARKERS,
    SOLUTION_MARKERS,
    UNANSWERED,
    FakeShell,
    Pipeline,
    cell_source,
    describe,
    failure_report,
    html_text,
    learner_files,
    nbgrader_flags,
    normalise,
    plain,
    points_table,
    without_solution_markers,
)

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENT = "open_data_01"
NOTEBOOK = "open_data_01"
SOURCE_NOTEBOOK = REPO / "exercises" / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
SITE_PAGE = REPO / "book" / "open_data" / "exercise-01.md"

#: Points of each automatically graded test cell (grade_id -> points), as announced to learners.
AUTOGRADED_POINTS = {
    "test_read_bikes": 3,
    "test_normalise_sector": 3,
    "test_completeness_score": 4,
    "test_dcat_dataset": 3,
    "test_k_of": 2,
    "test_levels_choice": 5,
}
#: Points of the answers graded by a person.
MANUAL_POINTS = {"publish_or_not": 5}
MAX_POINTS = sum(AUTOGRADED_POINTS.values()) + sum(MANUAL_POINTS.values())

#: The pass rule of every module's exercise (stated in the syllabus).

#: Time for a newcomer, in minutes: the page's front matter and the notebook's introduction say it.
EXERCISE_MINUTES = 150

#: Answer cells and solution blocks (the written answer is one block without markers).
SOLUTION_CELLS = 7
SOLUTION_BLOCKS = 7

#: The cells that define the notebook's data, in order.
DATA_CELLS = ("setup", "bikes", "avignon", "catalogue", "requests", "levels")

#: Part 1 as the instructor writes it, before a wrong step replaces a right one.
READ_BIKES = '''def read_bikes(path):
    raw = Path(path).read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        text = raw.decode("utf-8-sig")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
    table = pd.read_csv(io.StringIO(text), sep=";")
    table["Date"] = pd.to_datetime(table["Date"], format="%d/%m/%Y")
    return table.set_index("Date").dropna(axis="columns", how="all")
'''

#: Part 2, written otherwise than the instructor's solution.
SECTOR = '''def normalise_sector(name):
    plain = "".join(c for c in unicodedata.normalize("NFKD", str(name)) if not unicodedata.combining(c)).lower()
    for mark in "-_'’":
        plain = plain.replace(mark, " ")
    key = " ".join(plain.split())
    if key not in SECTORS:
        raise ValueError(f"{name!r} is not a known sector")
    return SECTORS[key]
'''

#: Part 3, written otherwise than the instructor's solution.
SCORE = '''def completeness_score(path):
    root = ET.parse(path).getroot()
    earned = 0
    for field in model.FIELDS:
        found = [(e.text or "").strip() for e in root.findall(field.path, model.NAMESPACES)]
        if [text for text in found if text and text != "None"]:
            earned += field.weight
    return round(earned / sum(f.weight for f in model.FIELDS) * 100, 1)
'''

#: Part 4, written otherwise than the instructor's solution.
DCAT = '''def dcat_dataset(path):
    from urllib.parse import urlparse
    root = ET.parse(path).getroot()
    def texts(name):
        found = [(e.text or "").strip() for e in root.findall(model.FIELD_BY_NAME[name].path, model.NAMESPACES)]
        return [text for text in found if text and text != "None"]
    title, description = (texts("title") or [None])[0], (texts("description") or [None])[0]
    links = [link for link in texts("access_link")
             if urlparse(link).scheme in ("http", "https") and "." in urlparse(link).netloc]
    missing = []
    if not title:
        missing.append("title")
    if not description:
        missing.append("description")
    if not links:
        missing.append("access URL")
    if missing:
        raise ValueError("missing: " + ", ".join(missing))
    return {"title": title, "description": description, "publisher": (texts("publisher") or [None])[0],
            "keywords": texts("keywords"), "licence": (texts("licence") or [None])[0],
            "distributions": [{"access_url": link} for link in links]}
'''

K_OF = '''def k_of(table, quasi_identifiers):
    if table.empty:
        raise ValueError("The table is empty.")
    if len(quasi_identifiers) == 0:
        return len(table)
    return int(table.groupby(list(quasi_identifiers), dropna=False).size().min())
'''

#: A submission: the answers it replaces (solution grade_id -> cell source, or UNANSWERED), and the
#: test cells it should fail. Every other automatically graded part keeps its full points.
WRONG_SUBMISSIONS = {
    # UTF-8 only: the Latin-1 file cannot be decoded.
    "bikes_utf8_only": (
        {"read_bikes": READ_BIKES.replace('text = raw.decode("latin-1")', 'raise')}, {"test_read_bikes"}),
    # Latin-1 only: right on Montréal's file, wrong on a file with a BOM.
    "bikes_latin1_only": (
        {"read_bikes": READ_BIKES.replace("if raw.startswith(codecs.BOM_UTF8):", "if False:").replace(
            'text = raw.decode("utf-8")', 'text = raw.decode("latin-1")')},
        {"test_read_bikes"},
    ),
    # Dates read month first.
    "bikes_month_first": (
        {"read_bikes": READ_BIKES.replace('format="%d/%m/%Y"', 'format="%m/%d/%Y", errors="coerce"')}, {"test_read_bikes"}),
    # Empty columns dropped by their name, not by their content.
    "bikes_drops_by_name": (
        {"read_bikes": READ_BIKES.replace(
            'return table.set_index("Date").dropna(axis="columns", how="all")',
            'kept = [name for name in table.columns if "non disponibles" not in name]\n'
            '    return table[kept].set_index("Date")')},
        {"test_read_bikes"},
    ),
    # The course's model called instead of pandas.
    "bikes_calls_the_model": (
        {"read_bikes": "def read_bikes(path):\n    table, report = model.read_open_csv(path)\n    return table.set_index('Date')\n"},
        {"test_read_bikes"},
    ),
    # Case and spaces folded, but not hyphens, underscores or accents.
    "sector_lower_only": (
        {"normalise_sector": "def normalise_sector(name):\n    key = ' '.join(name.split()).lower()\n"
                             "    if key not in SECTORS:\n        raise ValueError(f'{name!r} is not a known sector')\n"
                             "    return SECTORS[key]\n"},
        {"test_normalise_sector"},
    ),
    # An unknown spelling let through instead of stopping the count.
    "sector_unknown_kept": (
        {"normalise_sector": SECTOR.replace('raise ValueError(f"{name!r} is not a known sector")', "return name")},
        {"test_normalise_sector"},
    ),
    # Every field counted once: the weights forgotten.
    "score_without_weights": (
        {"completeness_score": SCORE.replace("earned += field.weight", "earned += 1").replace(
            "sum(f.weight for f in model.FIELDS)", "len(model.FIELDS)")},
        {"test_completeness_score"},
    ),
    # The word "None" taken for a value: right on Avignon's records, wrong on a hidden one.
    "score_none_counts": (
        {"completeness_score": SCORE.replace('if text and text != "None"', "if text")}, {"test_completeness_score"}),
    # A share between 0 and 1 instead of a percentage.
    "score_as_share": (
        {"completeness_score": SCORE.replace("* 100, 1)", ", 3)")}, {"test_completeness_score"}),
    # Every link kept, valid or not: a record whose only link is malformed gets a description.
    "dcat_keeps_invalid_links": (
        {"dcat_dataset": DCAT.replace(
            '\n             if urlparse(link).scheme in ("http", "https") and "." in urlparse(link).netloc]', "]")},
        {"test_dcat_dataset"},
    ),
    # Only the first missing field named.
    "dcat_names_the_first_only": (
        {"dcat_dataset": DCAT.replace('raise ValueError("missing: " + ", ".join(missing))',
                                      'raise ValueError("missing: " + missing[0])')},
        {"test_dcat_dataset"},
    ),
    # Records with a missing quasi-identifier left out of the groups.
    "k_drops_missing_values": (
        {"k_of": K_OF.replace(", dropna=False", "")}, {"test_k_of"}),
    # The number of groups instead of the size of the smallest.
    "k_counts_groups": (
        {"k_of": K_OF.replace(".size().min())", ".ngroups)")}, {"test_k_of"}),
    # Nothing generalised.
    "levels_raw": (
        {"levels_choice": 'my_levels = {"age": 0, "sex": 0, "neighbourhood": 0, "date": 0}\n'}, {"test_levels_choice"}),
    # Everything suppressed: safe, and useless.
    "levels_all_suppressed": (
        {"levels_choice": 'my_levels = {"age": 4, "sex": 1, "neighbourhood": 2, "date": 3}\n'}, {"test_levels_choice"}),
    # The American spelling of a quasi-identifier.
    "levels_misspelt": (
        {"levels_choice": 'my_levels = {"age": 4, "sex": 0, "neighborhood": 0, "date": 1}\n'}, {"test_levels_choice"}),
    # Each request copied five times in the notebook: k = 5 without generalising anything.
    "levels_table_changed": (
        {"levels_choice": 'requests = pd.concat([requests] * 5, ignore_index=True)\n'
                          'my_levels = {"age": 0, "sex": 0, "neighbourhood": 0, "date": 0}\n'},
        {"test_levels_choice"},
    ),
    # Right, written otherwise: age in 20-year bands, the date suppressed.
    "another_sound_choice": (
        {"levels_choice": 'my_levels = {"age": 3, "sex": 0, "neighbourhood": 0, "date": 3}\n'}, set()),
    # Every computation right, and no written answer.
    "computations_without_written_answer": ({"publish_or_not": UNANSWERED}, set()),
    # The scores of Avignon's records typed in, and no written answer.
    "typed_scores_without_written_answer": (
        {
            "completeness_score": "def completeness_score(path):\n    return {"
            + ", ".join(f"{p.name!r}: {model.completeness(model.read_record(p))}" for p in model.catalogue_files())
            + "}[Path(path).name]\n",
            "publish_or_not": UNANSWERED,
        },
        {"test_completeness_score"},
    ),
}

#: What each submission should read in its feedback. Several come from a failing *hidden* test, so
#: their feedback is the real test of whether hidden tests stay hidden.
LEARNER_MESSAGES = {
    "bikes_utf8_only": ["UnicodeDecodeError"],
    "bikes_latin1_only": ["On a file in UTF-8 with a byte order mark (BOM), your read_bikes failed"],
    "bikes_month_first": ["read the dates day first"],
    "bikes_drops_by_name": ["drop a column because it holds nothing, not because of its name"],
    "bikes_calls_the_model": ["Your read_bikes calls the course's model"],
    "sector_lower_only": ["Some spellings do not give their sector's official name", "'Sud_Rocade' gave"],
    "sector_unknown_kept": ["must raise a ValueError, so that an unexpected spelling stops the count"],
    "score_without_weights": ["that you weigh each field by its weight"],
    "score_none_counts": ["On a record whose licence is written \"None\", your score is"],
    "score_as_share": ["Multiply it by 100: the score is in %."],
    "dcat_keeps_invalid_links": ["On a record whose only link is http://http://ccas-avignon.fr/, dcat_dataset returned a description"],
    "dcat_names_the_first_only": ["your ValueError does not name description"],
    "k_drops_missing_values": ["a missing value is a value like any other"],
    "k_counts_groups": ["With the quasi-identifiers"],
    "levels_raw": ["Your choice does not meet the town's requirements yet", "k is 1, below 5"],
    "levels_all_suppressed": ["the information loss is 100.0 %, above the 50 % accepted"],
    "levels_misspelt": ["'neighborhood', which is not a quasi-identifier of the table"],
    "levels_table_changed": ["With the service requests generated afresh"],
    "another_sound_choice": ["Part 6: the visible checks pass. With age: 20-year band"],
    "computations_without_written_answer": ["Part 6: the visible checks pass."],
    "typed_scores_without_written_answer": ["On a record without a title, your completeness_score failed"],
}


def data_namespace(source) -> dict:
    """The namespace of the notebook's setup and data cells, run here (``display`` does nothing)."""
    namespace = {"display": lambda *args, **kwargs: None}
    for grade_id in DATA_CELLS:
        exec(cell_source(source, grade_id), namespace)
    return namespace


def course_model_answers() -> dict:
    """Answers to Parts 1, 3, 4 and 5 computed with the course's model: an implementation independent of the
    instructor's solutions, to check the expectations written into the tests. They call no attribute of
    ``model`` (the hidden tests refuse functions that do)."""
    from modules.open_data.model import completeness, from_record, k_anonymity, read_open_csv, read_record

    def read_bikes(path):
        table, _report = read_open_csv(path)
        return table.set_index("Date")

    def completeness_score(path):
        return completeness(read_record(path))

    def dcat_dataset(path):
        try:
            dataset = from_record(path)
        except Exception as error:
            words = [word for word in ("title", "description") if f"Dataset: {word}" in str(error)]
            if "access_url" in str(error) or "distribution" in str(error):
                words.append("access URL")
            raise ValueError("missing: " + ", ".join(words)) from None
        return {"title": dataset.title, "description": dataset.description, "publisher": dataset.publisher,
                "keywords": list(dataset.keywords), "licence": dataset.licence,
                "distributions": [{"access_url": d.access_url} for d in dataset.distributions]}

    def k_of(table, quasi_identifiers):
        return k_anonymity(table, quasi_identifiers)

    return {"read_bikes": read_bikes, "completeness_score": completeness_score, "dcat_dataset": dcat_dataset, "k_of": k_of}


# --------------------------------------------------------------------------- fixtures


EXERCISE = Exercise("open_data", 1, AUTOGRADED_POINTS, WRONG_SUBMISSIONS)
source, generated, pipeline = exercise_fixtures(EXERCISE)


class TestTheChecksOfEveryExercise(StandardExerciseChecks):
    exercise = EXERCISE


@pytest.fixture(scope="module")
def secrets():
    """The solution and hidden-test blocks of the instructor notebook, as the course defines them."""
    found = secrets_of_notebook(SOURCE_NOTEBOOK)
    kinds = [secret.kind for secret in found]
    assert kinds.count("solution") == SOLUTION_BLOCKS and kinds.count("hidden test") >= len(AUTOGRADED_POINTS), kinds
    return found


# --------------------------------------------------------------------------- tests: the notebook's own claims


def test_does_the_source_notebook_announce_the_points_of_its_graded_cells(source):
    graded = {
        nbgrader_flags(cell)["grade_id"]: nbgrader_flags(cell)["points"]
        for cell in source.cells
        if nbgrader_flags(cell).get("grade")
    }
    assert graded == {**AUTOGRADED_POINTS, **MANUAL_POINTS}
    table = points_table(source.cells[0].source)
    assert table.pop("Total") == sum(graded.values()) == 25
    assert table == {"1": 3, "2": 3, "3": 4, "4": 3, "5": 2, "6": 5, "7": 5}
    instructions = [cell for cell in source.cells if nbgrader_flags(cell).get("grade_id", "").endswith("_instructions")]
    for part, cell in enumerate(instructions, start=1):
        title = cell.source.splitlines()[0]
        assert f"Part {part}:" in title and f"({table[str(part)]} points" in title, title


def test_does_every_cell_carry_the_nbgrader_metadata_of_its_role(source):
    for cell in source.cells:
        flags = nbgrader_flags(cell)
        assert flags.get("schema_version") == 3 and flags.get("grade_id"), cell.source[:60]
        assert flags["locked"] != flags["solution"]
        if flags["grade"] and cell.cell_type == "code":
            assert cell.source.startswith(HIDDEN_MARKERS[0] + "\n# Grading only") and \
                'get_ipython().InteractiveTB.set_mode(mode="Minimal")' in cell.source.split(HIDDEN_MARKERS[1])[0]
        if flags["grade"] and cell.cell_type == "markdown":
            assert flags["solution"], "a graded markdown cell must also be a solution cell"
        if cell.cell_type == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None


def test_does_the_site_page_show_the_same_points_table_as_the_notebook(source):
    page = SITE_PAGE.read_text(encoding="utf-8")
    assert page.startswith(f"---\nassignment: {ASSIGNMENT}\ntime: {EXERCISE_MINUTES}\n---\n")
    assert points_table(page) == points_table(source.cells[0].source)


@pytest.mark.parametrize("document", ["exercise page", "notebook"])
def test_do_the_page_and_the_notebook_state_the_pass_rule(source, document):
    text = SITE_PAGE.read_text(encoding="utf-8") if document == "exercise page" else source.cells[0].source
    assert f"at least {round(PASS_SHARE * 100)} % of the points" in plain(text)
    assert f"at least {WRITTEN_MINIMUM} of the {MANUAL_POINTS['publish_or_not']} points of the written answer (Part 7)" in plain(text)
    assert f"{math.ceil(PASS_SHARE * MAX_POINTS)} of the {MAX_POINTS} points" in plain(text)


def test_do_the_instructions_take_the_rules_from_the_model_instead_of_restating_them(source):
    """The fold rule, the completeness rule, the loss rule and the town's levels are printed from the
    model, so the notebook never states them a second time with numbers that could drift apart."""
    assert "print(model.FOLD_RULE)" in cell_source(source, "avignon")
    assert "print(model.COMPLETENESS_RULE)" in cell_source(source, "catalogue")
    levels = cell_source(source, "levels")
    assert "model.LOSS_RULE" in levels and "model.K_TARGET" in levels and "model.MAX_LOSS" in levels
    part6 = plain(cell_source(source, "part6_instructions"))
    assert f"{model.MAX_LOSS:.0f} %" not in part6 and "k ≥ 5" not in part6
    part3 = plain(cell_source(source, "part3_instructions"))
    assert f"{model.TOTAL_WEIGHT}" not in part3, "the total weight is the model's, printed, not restated"
    # The notebook's list of sectors holds every key of the budgeting module's cleaned names.
    from modules.budgeting.model import SECTOR_NAMES
    namespace = data_namespace(source)
    assert set(namespace["SECTORS"].values()) == set(SECTOR_NAMES.values())
    assert all(namespace["SECTORS"][model.fold(key)] == name for key, name in SECTOR_NAMES.items())


def test_are_the_towns_levels_of_the_hidden_test_those_of_the_model(source):
    """Part 6's hidden test passes the town's levels and table as numbers (a learner may change the
    model's constants or the table in the notebook): they must be the model's."""
    hidden = cell_source(source, "test_levels_choice").split(HIDDEN_MARKERS[0])[-1]
    rows, seed = re.search(r"synthetic_requests\((\d+), seed=(\d+)\)", hidden).groups()
    assert int(rows) == model.synthetic_requests.__defaults__[0] and int(seed) == model.SEED
    k_target, max_loss = re.search(r"k_target=(\d+), max_loss=([\d.]+)", hidden).groups()
    assert int(k_target) == model.K_TARGET and float(max_loss) == model.MAX_LOSS
    assert re.search(r"quasi_identifiers=\(([^)]*)\)", hidden).group(1).replace('"', "").split(", ") == list(model.QUASI_IDENTIFIERS)
    said = f"({int(rows):,} requests, seed {seed}), k ≥ {k_target} and an information loss of at most {float(max_loss):g} %"
    assert said.replace(",", " ", 1) in normalise(hidden.replace('"\n    "', ""))


def test_do_the_choices_of_the_submissions_do_what_their_comments_say(source):
    """The instructor's choice and another one pass; the wrong ones protect too little or cost too much."""
    namespace = data_namespace(source)

    def chosen(code):
        space = dict(namespace)
        exec(code, space)
        return model.check_release(space["requests"], space["my_levels"])

    instructor = chosen(without_solution_markers(cell_source(source, "levels_choice")))
    assert instructor.passes and instructor.k >= model.K_TARGET and instructor.loss <= model.MAX_LOSS
    assert chosen(WRONG_SUBMISSIONS["another_sound_choice"][0]["levels_choice"]).passes
    raw = chosen(WRONG_SUBMISSIONS["levels_raw"][0]["levels_choice"])
    assert raw.k == 1 and raw.loss == 0 and not raw.passes
    everything = chosen(WRONG_SUBMISSIONS["levels_all_suppressed"][0]["levels_choice"])
    assert everything.k == len(namespace["requests"]) and everything.loss == 100 and not everything.passes
    with pytest.raises(ValueError, match="'neighbourhood' has none"):
        chosen(WRONG_SUBMISSIONS["levels_misspelt"][0]["levels_choice"])
    # Copying the table in the notebook makes the visible check pass.
    assert chosen(WRONG_SUBMISSIONS["levels_table_changed"][0]["levels_choice"]).passes


def test_do_the_hidden_expectations_agree_with_the_course_model(source):
    """Every test cell, hidden tests included, passes with answers computed by the course's model:
    the expectations of the made-up files, spellings, records and tables are right."""
    namespace = data_namespace(source)
    namespace["get_ipython"] = FakeShell
    answers = course_model_answers()
    sectors = namespace["SECTORS"]

    from modules.open_data.model import fold as rule_fold

    def normalise_sector(name):
        key = rule_fold(str(name))
        if key not in sectors:
            raise ValueError(f"{name!r} is not a known sector")
        return sectors[key]

    answers["normalise_sector"] = normalise_sector
    namespace.update(answers)
    exec(without_solution_markers(cell_source(source, "levels_choice")), namespace)
    for grade_id in AUTOGRADED_POINTS:
        exec(cell_source(source, grade_id), namespace)


def test_are_the_figures_of_the_model_answer_and_the_marking_notes_right(source):
    notes = plain(cell_source(source, "publish_or_not"))
    answer, marking = notes.split("Marking notes")
    requests = model.synthetic_requests()
    chosen = model.check_release(requests, {"age": 4, "sex": 0, "neighbourhood": 0, "date": 1})
    alone = 100 * model.records_at_risk(requests, model.QUASI_IDENTIFIERS, 2) / len(requests)
    assert f"the table is {chosen.k}-anonymous" in answer
    assert f"each of its {len(chosen.classes)} combinations of sex, sector and month is shared by at least {chosen.k} requests" in answer
    assert f"for an information loss of {chosen.loss:.1f} %, under the {model.MAX_LOSS:.0f} %" in answer
    assert f"raw, {alone:.1f} % of the requests were alone in their group" in answer
    assert f"every group here holds at least {chosen.l} kinds of request" in answer
    assert 5 <= len(re.findall(r"[.!?](?:\s|$)", answer.strip())) <= 8, "the model answer keeps to 5 to 8 sentences"
    assert f"Raw, the table's k is {model.k_anonymity(requests, model.QUASI_IDENTIFIERS)}" in marking
    assert f"gives k = {chosen.k}, a loss of {chosen.loss:.1f} % and ℓ = {chosen.l}, in {len(chosen.classes)} groups" in marking
    bands = model.check_release(requests, {"age": 3, "sex": 0, "neighbourhood": 0, "date": 3})
    assert bands.passes and f"(k = {bands.k}, loss {bands.loss:.1f} %)" in marking
    failing = model.check_release(requests, {"age": 2, "sex": 0, "neighbourhood": 1, "date": 1})
    assert not failing.passes and f"Age in 10-year bands, postcode and month fails (k = {failing.k}, loss {failing.loss:.1f} %)" in marking


def test_does_the_part_7_prompt_ask_for_what_the_rubric_grades(source):
    rubric = cell_source(source, "part7_rubric")
    prompt = plain(cell_source(source, "part7_instructions"))
    criteria = re.findall(r"^\| ([^|]+?) \| ", rubric, flags=re.MULTILINE)
    assert criteria[1:] == ["Decision", "Figures", "Limits of *k*-anonymity", "The law", "Alternatives"], criteria
    assert "should the town publish this table, generalised as you chose in Part 6, and why?" in prompt
    assert "5 to 8 sentences" in plain(rubric) and "5 to 8 sentences" in prompt
    for asked in ["say whether you would publish the table", "the k and the information loss of your choice",
                  "what k-anonymity does not protect against", "say what the law asks",
                  "what the town could publish or do instead"]:
        assert asked in prompt, asked
    assert "Half points are not given" in plain(rubric)


# --------------------------------------------------------------------------- tests: secrets


def test_are_the_solutions_and_hidden_tests_found_nowhere_that_learners_read(source, secrets):
    """No line of a solution or a hidden test also stands in the notebook's visible cells or in any
    file that reaches learners (lessons, the model, the site's sources)."""
    visible = "\n".join(
        cell.source for cell in source.cells
        if not (nbgrader_flags(cell).get("solution") and cell.cell_type == "markdown")
    )
    for begin, end in (SOLUTION_MARKERS, HIDDEN_MARKERS):
        visible = re.sub(re.escape(begin) + r".*?" + re.escape(end), "", visible, flags=re.S)
    assert describe(leaks_in_text(visible, secrets)) == []
    for path in learner_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        assert describe(leaks_in_text(text, secrets)) == [], path.relative_to(REPO)


# --------------------------------------------------------------------------- tests: the pipeline


def test_is_the_released_notebook_free_of_solutions_and_hidden_tests(generated: Pipeline, secrets):
    assert generated.generate.returncode == 0, failure_report(generated.generate)
    released = nbformat.read(generated.released_notebook, as_version=4)
    text = "\n".join(cell.source for cell in released.cells)
    assert describe(leaks_in_text(text, secrets)) == []
    raw = generated.released_notebook.read_text(encoding="utf-8")
    for marker in SOLUTION_MARKERS + HIDDEN_MARKERS:
        assert marker not in raw
    assert "Marking notes" not in raw
    for cell in released.cells:
        assert not cell.get("outputs"), "the released notebook should have no outputs"
    stubs = [cell.source for cell in released.cells if nbgrader_flags(cell).get("solution")]
    assert len(stubs) == SOLUTION_CELLS and all("NotImplementedError" in s or "YOUR ANSWER HERE" in s for s in stubs)
    choice = next(cell.source for cell in released.cells if nbgrader_flags(cell).get("grade_id") == "levels_choice")
    assert 'my_levels = {"age": 0, "sex": 0, "neighbourhood": 0, "date": 0}' in choice


def test_does_the_unchanged_release_get_zero(pipeline: Pipeline):
    assert pipeline.scores["unchanged"] == {name: 0 for name in {**AUTOGRADED_POINTS, **MANUAL_POINTS}}


@pytest.mark.parametrize("student", sorted(WRONG_SUBMISSIONS))
def test_does_feedback_show_the_learner_messages_but_no_hidden_test(pipeline: Pipeline, source, secrets, student):
    page = pipeline.feedback_page(student)
    assert page.exists(), "generate_feedback wrote no page:\n" + failure_report(pipeline.feedback)
    text = html_text(page.read_text(encoding="utf-8"))
    # Positive controls: a visible test line and the learner's message are found with the same text
    # extraction, so a hidden line that is not found is really absent, not lost in the HTML.
    assert normalise("bikes = read_bikes(BIKES_FILE)") in text
    check_verdicts(text, source, LEARNER_MESSAGES[student])
    hidden = [secret for secret in secrets if secret.kind == "hidden test"]
    assert describe(leaks_in_text(text, hidden)) == [], f"hidden tests in the feedback of {student}"


def test_does_the_feedback_of_a_failing_choice_give_the_courses_message_not_the_kernels_verdict(pipeline: Pipeline):
    """The model's verdict (k, the smallest group) is computed in the learner's kernel, where code
    could replace it with a hidden test: the feedback gives the course's message instead, and the
    learner reads the verdict when their own run of the visible check prints it."""
    verdict = model.check_release(model.synthetic_requests(), {"age": 0, "sex": 0, "neighbourhood": 0, "date": 0})
    text = html_text(pipeline.feedback_page("levels_raw").read_text(encoding="utf-8"))
    assert normalise(verdict.message) not in text
    assert "Your choice does not meet the town's requirements yet" in text and "✘ Not passed" in text


def test_do_computations_without_a_written_answer_fail_at_the_pass_share(pipeline: Pipeline):
    """Every computation right, or scores typed into Part 3, and no written answer: enough points for the
    pass share, and still no pass, as the stated rule says."""
    for student, expected_total in [("computations_without_written_answer", 20),
                                    ("typed_scores_without_written_answer", 16)]:
        scores = pipeline.scores[student]
        total, written = sum(scores.values()), scores["publish_or_not"]
        assert written == 0
        assert total == expected_total >= PASS_SHARE * MAX_POINTS, f"{student}: {total} of {MAX_POINTS} points"
        assert not passes(total, written, MAX_POINTS)
        assert passes(total + WRITTEN_MINIMUM, WRITTEN_MINIMUM, MAX_POINTS)
