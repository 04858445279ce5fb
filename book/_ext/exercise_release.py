"""The learner's version of an exercise, published by the site: what nbgrader releases, and nothing
that learners must not see.

:func:`release_exercise` runs ``nbgrader generate_assignment`` with the course's configuration in a
scratch copy of the course, keeps what ``nbgrader release_assignment`` hands to learners, and stops
the build when a released file still holds a marker or a line of a solution or hidden test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sphinx.errors import ExtensionError

#: nbgrader's own markers of solutions and hidden tests: refused in a published file even when the
#: course's configuration names other markers (an exercise written with the default markers would
#: otherwise go out with them).
NBGRADER_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


@dataclass(frozen=True)
class ReleaseRules:
    """What the course's nbgrader configuration says about a release, as nbgrader reads it.

    ``ignore``, ``include`` and ``max_file_size`` (kB) are the ``CourseDirectory`` options that
    ``nbgrader release_assignment`` applies when it copies a release to learners; the delimiters
    and stubs are those of ``ClearSolutions`` and ``ClearHiddenTests``.
    """

    ignore: tuple[str, ...]
    include: tuple[str, ...]
    max_file_size: int
    max_dir_size: int
    solution_delimiters: tuple[str, str]
    hidden_test_delimiters: tuple[str, str]
    stub_lines: frozenset[str]

    @property
    def markers(self) -> tuple[str, ...]:
        configured = (*self.solution_delimiters, *self.hidden_test_delimiters)
        return tuple(dict.fromkeys(marker for marker in (*configured, *NBGRADER_MARKERS) if marker.strip()))


def course_release_rules(exercises: Path) -> ReleaseRules:
    """Read the release rules from the configuration ``nbgrader generate_assignment`` loads in the
    course: Jupyter's configuration folders (lowest priority first), then the course's
    ``exercises/nbgrader_config.py``."""
    from jupyter_core.paths import jupyter_config_path
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions
    from traitlets.config.loader import Config, PyFileConfigLoader

    config = Config()
    for folder in [*reversed(jupyter_config_path()), str(exercises)]:
        if (Path(folder) / "nbgrader_config.py").is_file():
            try:
                config.merge(PyFileConfigLoader("nbgrader_config.py", path=folder).load_config())
            except Exception as error:  # the file is the course's Python code: say which one failed
                raise ExtensionError(
                    f"The site releases each exercise with the course's nbgrader configuration, but "
                    f"{folder}/nbgrader_config.py could not be read: {error}"
                ) from error
    config.CourseDirectory.pop("root", None)  # a course's "." would be read from the build's folder
    course = CourseDirectory(config=config)
    solutions = ClearSolutions(config=config)
    hidden_tests = ClearHiddenTests(config=config)
    stubs = [*solutions.code_stub.values(), solutions.text_stub]
    return ReleaseRules(
        ignore=tuple(course.ignore),
        include=tuple(course.include),
        max_file_size=course.max_file_size,
        max_dir_size=course.max_dir_size,
        solution_delimiters=(solutions.begin_solution_delimeter, solutions.end_solution_delimeter),
        hidden_test_delimiters=(hidden_tests.begin_test_delimeter, hidden_tests.end_test_delimeter),
        stub_lines=frozenset(line.strip() for stub in stubs for line in str(stub).split("\n")),
    )


def release_exercise(exercises: Path, assignment: str, target: Path) -> list[str]:
    """Publish the learner's version of ``exercises/source/<assignment>/`` into ``target``.

    The release is what ``nbgrader generate_assignment`` gives in the course (run in a temporary
    copy of the course, with the course's ``nbgrader_config.py`` and a gradebook of its own), cut
    down to what ``nbgrader release_assignment`` hands to learners (``CourseDirectory.ignore``,
    ``include``, ``max_file_size``). Nothing is published when a released file still holds a
    solution or a hidden test. Return the published notebooks, relative to ``target``.
    """
    from nbgrader.utils import ignore_patterns

    rules = course_release_rules(exercises)
    with tempfile.TemporaryDirectory(prefix="course-release-") as scratch:
        course = Path(scratch)
        released = _generate(exercises, assignment, course, rules)
        staged = course / "site" / assignment
        shutil.copytree(released, staged, ignore=ignore_patterns(
            exclude=list(rules.ignore), include=list(rules.include), max_file_size=rules.max_file_size))
        _refuse_leaks(assignment, staged, course / "source" / assignment, rules)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(staged, target)
    return sorted(path.relative_to(target).as_posix() for path in target.rglob("*.ipynb"))


def _generate(exercises: Path, assignment: str, course: Path, rules: ReleaseRules) -> Path:
    """Run ``nbgrader generate_assignment`` for ``assignment`` in ``course``, a scratch copy of the
    course (its configuration, its header notebooks, the assignment's sources); return the release."""
    bin_dir = str(Path(sys.executable).parent)
    environment = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    if (exercises / "nbgrader_config.py").is_file():
        shutil.copy2(exercises / "nbgrader_config.py", course / "nbgrader_config.py")
    (course / "source").mkdir()
    for path in (exercises / "source").iterdir():  # a header or footer notebook the config names
        if path.is_file():
            shutil.copy2(path, course / "source" / path.name)
    shutil.copytree(exercises / "source" / assignment, course / "source" / assignment)
    command = [
        sys.executable, "-m", "nbgrader", "generate_assignment", assignment,
        f"--CourseDirectory.root={course}",
        "--CourseDirectory.source_directory=source",
        "--CourseDirectory.release_directory=release",
        "--CourseDirectory.directory_structure={nbgrader_step}/{student_id}/{assignment_id}",
        f"--CourseDirectory.db_url=sqlite:///{course / 'gradebook.db'}",
        "--force", "--log-level=WARN",
    ]
    result = subprocess.run(command, env=environment, cwd=course, capture_output=True, text=True)
    released = course / "release" / assignment
    if result.returncode != 0 or not released.is_dir():
        raise ExtensionError(
            f"nbgrader could not generate the learner's version of {assignment}: fix the "
            f"notebook in exercises/source/{assignment}/.\n{result.stdout}\n{result.stderr}"
        )
    size = sum(path.stat().st_size for path in released.rglob("*") if path.is_file())
    if size > 1000 * rules.max_dir_size:
        raise ExtensionError(
            f"The learner's version of {assignment} is {size // 1000} kB, more than "
            f"CourseDirectory.max_dir_size ({rules.max_dir_size} kB): nbgrader release_assignment "
            f"would refuse it. Make exercises/source/{assignment}/ smaller."
        )
    return released


def _refuse_leaks(assignment: str, staged: Path, sources: Path, rules: ReleaseRules) -> None:
    """Stop the build when a file of the learner's version still holds what learners must not see."""
    problems = [
        f"{assignment}/{path.relative_to(staged).as_posix()}: {problem}"
        for path in sorted(staged.rglob("*")) if path.is_file()
        for problem in _leaks(path, sources / path.relative_to(staged), rules)
    ]
    if problems:
        solution_begin, solution_end = rules.solution_delimiters
        test_begin, test_end = rules.hidden_test_delimiters
        raise ExtensionError(
            f"The learner's version of exercise {assignment}, as nbgrader generate_assignment "
            f"makes it with the course's configuration, still holds what learners must not see; "
            f"nothing of it was published:\n  - " + "\n  - ".join(problems) + "\n"
            f"Fix exercises/source/{assignment}/ or exercises/nbgrader_config.py: every solution "
            f"in a cell marked as a solution (\"Autograded answer\" or \"Manually graded answer\"), "
            f"between {solution_begin!r} and {solution_end!r} lines if only part of the cell is "
            f"the answer; every hidden test in a test cell, between {test_begin!r} and "
            f"{test_end!r} lines; ClearSolutions and ClearHiddenTests kept in "
            f"GenerateAssignment.preprocessors. Then build again."
        )


def cell_text(cell: dict) -> str:
    """The source of a notebook cell as one string (nbformat stores it as a string or a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _removed_lines(cell: dict, rules: ReleaseRules) -> set[str]:
    """The lines of an instructor's cell that nbgrader removes for learners (stripped): its
    solution and hidden-test regions, or all of a solution cell without a region, less the lines
    the learner's cell keeps or gets from a stub."""
    solution_begin, solution_end = rules.solution_delimiters
    test_begin, test_end = rules.hidden_test_delimiters
    removed, kept = [], []
    in_solution = in_test = has_region = False
    for line in cell_text(cell).split("\n"):
        if solution_begin and solution_begin in line:
            in_solution = has_region = True
        elif solution_end and solution_end in line:
            in_solution = False
        elif test_begin and test_begin in line:
            in_test = True
        elif test_end and test_end in line:
            in_test = False
        else:
            (removed if in_solution or in_test else kept).append(line.strip())
    if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and not has_region:
        removed, kept = removed + kept, []
    return set(removed) - set(kept) - rules.stub_lines - {""}


def _leaks(published: Path, source: Path, rules: ReleaseRules) -> list[str]:
    """What a file of the learner's version still holds of the instructor's: solution or
    hidden-test markers in any text file; in a notebook, also lines of the instructor's cell
    (matched by ``grade_id``) that nbgrader should have removed. The lines are not quoted: the
    build log may be public."""
    try:
        text = published.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return []  # a binary file: nbgrader copies it as it is, and it holds no marker
    if published.suffix != ".ipynb":
        return [f"contains the marker {marker!r}" for marker in rules.markers if marker in text]
    secrets = {}
    if source.is_file():
        for cell in json.loads(source.read_text(encoding="utf-8")).get("cells", []):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id:
                secrets[grade_id] = _removed_lines(cell, rules)
    problems = []
    for index, cell in enumerate(json.loads(text).get("cells", []), start=1):
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        where = f"cell {index}" + (f" ({nbgrader['grade_id']})" if nbgrader.get("grade_id") else "")
        content = cell_text(cell)
        problems += [f"{where} contains the marker {marker!r}" for marker in rules.markers if marker in content]
        leaked = secrets.get(nbgrader.get("grade_id"), set()) & {line.strip() for line in content.split("\n")}
        if leaked:
            kind = "solution cell" if nbgrader.get("solution") else "cell"
            problems.append(f"{where}: this {kind} still has {len(leaked)} line(s) of the instructor's "
                            f"version that nbgrader removes for learners (solution or hidden tests)")
    return problems
