"""A tiny nbgrader course built by the tests, and helpers to run the graders on it.

The assignment ``tiny_01`` has one notebook with two graded functions, each tested by a visible
and a hidden test, and one written answer graded by hand. Its test cells print nothing special
and keep IPython's usual tracebacks, so a failing hidden test shows its own lines in the
traceback, as in most courses. When the environment variable ``AUTOGRADER_TEST_LOG`` names a file,
the first test cell appends the learner's name to it each time it runs (to count runs), and
``AUTOGRADER_TEST_SLEEP`` makes it wait that many seconds (to have time to stop a batch).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tests.conftest import COURSE_ROOT

ASSIGNMENT = "tiny_01"
NOTEBOOK = "tiny"
CELL_TIME_LIMIT = 3  # seconds, for both graders
POINTS = {"test_square": 2, "test_double": 1, "explain": 1}

HIDDEN_LINES = [
    'assert square(-4) == 16, "square(-4) should be 16: negative numbers too"',
    'assert double(0.5) == 1.0, "double(0.5) should be 1.0: decimals too"',
    'assert double(-3) == -6, "double(-3) should be -6: negative numbers are doubled too"',
]

ANSWERS = {
    "square": "def square(x):\n    return x * x",
    "double": "def double(x):\n    return 2 * x",
    "explain": "Squaring multiplies a number by itself.",
}
#: Learner -> answers that replace the instructor's; "unchanged" hands in the released notebook.
SUBMISSIONS = {
    "correct": {},
    "hidden_fail": {"double": "def double(x):\n    return x + 2"},  # passes the visible test only
    "visible_fail": {"square": "def square(x):\n    return x + x"},
    "name_error": {"square": "def square(x):\n    return x * y"},
    "endless": {"square": "def square(x):\n    while True:\n        pass"},
    "unchanged": None,
}


def cell(kind: str, source: str, grade_id: str, *, solution=False, grade=False, locked=False, points=None):
    make = new_code_cell if kind == "code" else new_markdown_cell
    metadata = {"schema_version": 3, "grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id}
    if points is not None:
        metadata["points"] = points
    return make(source, metadata={"nbgrader": metadata})


def instructor_notebook():
    log = (
        "log = os.environ.get('AUTOGRADER_TEST_LOG')\n"
        "if log:\n"
        "    with open(log, 'a') as stream:\n"
        "        stream.write(os.path.basename(os.path.dirname(os.getcwd())) + '\\n')\n"
        "time.sleep(float(os.environ.get('AUTOGRADER_TEST_SLEEP', '0')))\n"
    )
    cells = [
        cell("markdown", "# Tiny exercise\n\nWrite two small functions.", "intro", locked=True),
        cell("code", "import os\nimport time\n\nimport pandas as pd", "setup", locked=True),
        cell("code", "def square(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION", "square", solution=True),
        cell("code", log + 'assert square(3) == 9, "square(3) should be 9"\n'
             f"### BEGIN HIDDEN TESTS\n{HIDDEN_LINES[0]}\n### END HIDDEN TESTS",
             "test_square", grade=True, locked=True, points=POINTS["test_square"]),
        cell("code", "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION", "double", solution=True),
        cell("code", 'assert double(2) == 4, "double(2) should be 4"\n'
             f"### BEGIN HIDDEN TESTS\n{HIDDEN_LINES[1]}\n{HIDDEN_LINES[2]}\n### END HIDDEN TESTS",
             "test_double", grade=True, locked=True, points=POINTS["test_double"]),
        cell("markdown", "Explain what a square is.", "explain_question", locked=True),
        cell("markdown", ANSWERS["explain"], "explain", solution=True, grade=True, points=POINTS["explain"]),
    ]
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return notebook


#: The environment of the course's tools (the `tool_environment` fixture, set by conftest.py).
BASE_ENVIRONMENT: dict[str, str] = {}


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(BASE_ENVIRONMENT)
    if not env:  # used outside pytest: the same environment, built here
        env = dict(os.environ)
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        env["PYTHONPATH"] = str(COURSE_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("AUTOGRADER_TEST_LOG", None)
    env.pop("AUTOGRADER_TEST_SLEEP", None)
    env.update(extra or {})
    return env


def run(command: list[str], cwd: Path, extra_env: dict[str, str] | None = None, timeout: float = 600):
    return subprocess.run(command, cwd=cwd, env=environment(extra_env), capture_output=True, text=True,
                          timeout=timeout)


def nbgrader(course: Path, *arguments: str, **kwargs):
    return run([sys.executable, "-m", "nbgrader", *arguments], course, **kwargs)


def autograder(course: Path, *arguments: str, **kwargs):
    return run([sys.executable, "-m", "autograder.cli", "--course", str(course), *arguments], course, **kwargs)


#: The test cells log runs to $AUTOGRADER_TEST_LOG: the sandbox lets that variable in, and lets
#: kernels write into the log's folder (a folder of its own, beside the course, never around it).
SANDBOX_FOR_TESTS = """
import os as _os
from autograder.isolation import DEFAULT_ENVIRONMENT as _DEFAULT
c.Sandbox.environment = [*_DEFAULT, "AUTOGRADER_TEST_*"]
if _os.environ.get("AUTOGRADER_TEST_LOG"):
    c.Sandbox.writable_paths = [_os.path.dirname(_os.path.abspath(_os.environ["AUTOGRADER_TEST_LOG"]))]
"""


def make_course(root: Path, db_url: str | None = None) -> Path:
    """A course folder with the course's configuration, a short cell time limit, and tiny_01."""
    root.mkdir(parents=True, exist_ok=True)
    config = (COURSE_ROOT / "exercises" / "nbgrader_config.py").read_text(encoding="utf-8")
    config += f"\nc.Execute.timeout = {CELL_TIME_LIMIT}\nc.ExecutePreprocessor.timeout = {CELL_TIME_LIMIT}\n"
    config += SANDBOX_FOR_TESTS
    if db_url:
        config += f"c.CourseDirectory.db_url = {db_url!r}\n"
    (root / "nbgrader_config.py").write_text(config, encoding="utf-8")
    source = root / "source" / ASSIGNMENT
    source.mkdir(parents=True, exist_ok=True)
    nbformat.write(instructor_notebook(), source / f"{NOTEBOOK}.ipynb")
    return root


def generate(course: Path) -> None:
    result = nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    assert result.returncode == 0, result.stderr[-3000:]


def submit_all(course: Path, learners: dict | None = None) -> None:
    """Write the submissions of ``SUBMISSIONS`` (or ``learners``) as nbgrader collect would."""
    from autograder.samples import filled, submit

    released = nbformat.read(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    for student, replaced in (learners or SUBMISSIONS).items():
        notebook = released if replaced is None else filled(released, {**ANSWERS, **replaced})
        submit(course, ASSIGNMENT, student, {NOTEBOOK: notebook})


def copy_course(template: Path, destination: Path) -> Path:
    shutil.copytree(template, destination)
    return destination


def sqlite_scores(course: Path, db_url: str | None = None) -> dict[tuple[str, str], float | None]:
    """(student, part) -> score in the course's gradebook."""
    from autograder.scores import read_scores

    return {(learner.student, part.part): part.score
            for learner in read_scores(db_url or f"sqlite:///{course / 'gradebook.db'}", "local-governance", ASSIGNMENT)
            for part in learner.parts}


def outcome_records(course: Path) -> dict[str, dict]:
    return outcome_records_of(course, ASSIGNMENT)


def outcome_records_of(course: Path, assignment: str) -> dict[str, dict]:
    folder = course / "autograded" / ".autograder" / assignment
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in folder.glob("*.json")}
