"""Step 1 of grading a submission, in a worker process: sanitize its notebooks and run them.

This is nbgrader's ``Autograde`` up to the first step that writes to the gradebook, with nbgrader's
own preprocessors in nbgrader's order (and the course's configuration of them), so the executed
notebooks are those ``nbgrader autograde`` would produce. The steps that write scores run in the
main process (:mod:`autograder.record`), one submission at a time.

Broken submissions get a plain reason and never stop the batch: a damaged or non-UTF-8 notebook,
another notebook format, a renamed notebook (graded in place of the missing one when it is the only
candidate), deleted or edited test cells (put back, see :mod:`autograder.restore_cells`), links to
files outside the submission, or thousands of files. Everything noticed is kept in ``events``, and
the learner code that may tamper with the tests (:mod:`autograder.screening`) in ``flags``.
"""

from __future__ import annotations

import os
import shutil
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient.exceptions import DeadKernelError
from nbconvert.exporters import NotebookExporter
from nbgrader import utils
from nbgrader.converters import Autograde
from nbgrader.nbgraderformat import SchemaTooNewError, SchemaTooOldError
from nbgrader.preprocessors import AssignLatePenalties, Execute, OverwriteCells, SaveAutoGrades
from traitlets.config import Config
from traitlets.utils.importstring import import_item

from .course import Course, Submission
from .files import find_files
from .outcomes import Failure
from .lock import HoldGradingLock, ReleaseGradingLock
from .preprocessors import GradingExecute

LOCK_STEPS = (HoldGradingLock, ReleaseGradingLock)
from .restore_cells import RestoreTestCells
from .screening import screen_notebook

#: Messages longer than this are cut in the outcome records (the feedback keeps them whole).
MESSAGE_LENGTH = 300
#: Files of a submission, other than notebooks, copied for grading; the rest are left out (reported).
MAX_FILES = 500
#: Total size of those files, in bytes.
MAX_BYTES = 100 * 1024 * 1024
#: Largest notebook file the grader reads, in bytes.
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024


#: What the sandbox does about code that the screening finds, by kind of finding.
CONTAINED = {"network": "the sandbox has no network", "process": "the sandbox contains it",
             "notice": "reported only: the points stand"}


class BrokenNotebook(Exception):
    """A submitted notebook that cannot be graded; the message says why, for the instructor."""


@dataclass
class Executed:
    """The executed notebooks of one submission, ready to be scored (or why it could not run)."""

    student: str
    notebooks: dict[str, str] = field(default_factory=dict)  # notebook name -> notebook JSON
    failures: list[Failure] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    events: list[str] = field(default_factory=list)  # what was noticed, in plain words
    flags: list[str] = field(default_factory=list)  # learner code that may tamper with the tests


class Pipeline:
    """nbgrader's autograde steps for this course, split where the gradebook writes begin."""

    def __init__(self, course: Course) -> None:
        self.course = course
        self.autograde = Autograde(coursedir=course.coursedir, config=course.config)
        config = Config(course.config)
        config.merge(Config({"Exporter": {"default_preprocessors": []}}))
        self.config = config
        # `autograder grade` holds the assignment's lock for the whole run: the steps that take it for
        # nbgrader's autograde of one submission are left out.
        steps = [import_item(step) if isinstance(step, str) else step for step in self.autograde.autograde_preprocessors]
        steps = [GradingExecute if step is Execute else step for step in steps if step not in LOCK_STEPS]
        split = next(
            (index for index, step in enumerate(steps) if _is_subclass(step, (SaveAutoGrades, AssignLatePenalties))),
            len(steps),
        )
        self.sanitize_steps = [import_item(step) if isinstance(step, str) else step
                               for step in self.autograde.sanitize_preprocessors]
        self.sanitize_steps = [RestoreTestCells if step is OverwriteCells else step for step in self.sanitize_steps
                               if step not in LOCK_STEPS]
        self.run_steps = steps[:split]
        self.record_steps = steps[split:]

    def exporter(self, steps: list) -> NotebookExporter:
        exporter = NotebookExporter(parent=self.autograde, config=self.config)
        for step in steps:
            exporter.register_preprocessor(step)
        return exporter

    def resources(self, submission: Submission, notebook: str) -> dict:
        return {
            "unique_key": notebook,
            "output_files_dir": f"{notebook}_files",
            "nbgrader": {
                "student": submission.student,
                "assignment": submission.assignment,
                "notebook": notebook,
                "db_url": self.course.db_url,
            },
        }


def _is_subclass(step, classes) -> bool:
    return isinstance(step, type) and issubclass(step, classes)


def prepare_folder(pipeline: Pipeline, submission: Submission, events: list[str] | None = None) -> Path:
    """Make ``autograded/<student>/<assignment>/`` afresh, with the submitted files other than
    notebooks, then the assignment's own files from ``source/`` over them (as nbgrader does).

    Links are never followed (a link could point at the solutions) and at most ``MAX_FILES`` files
    (``MAX_BYTES`` in all) are copied; what is left out is said in ``events``."""
    events = [] if events is None else events
    course = pipeline.course
    destination = course.folder("autograded", submission.student, submission.assignment)
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)
    ignore = list(course.coursedir.ignore)
    links, left_out, copied, size = [], 0, 0, 0
    for filename in find_files(str(submission.folder), ignore + ["*.ipynb"]):
        relative = os.path.relpath(filename, submission.folder)
        if os.path.islink(filename) or any(os.path.islink(os.path.join(submission.folder, part))
                                           for part in _parents(relative)):
            links.append(relative)
            continue
        file_size = os.path.getsize(filename)
        if copied >= MAX_FILES or size + file_size > MAX_BYTES:
            left_out += 1
            continue
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(filename, target)
        copied, size = copied + 1, size + file_size
    if links:
        events.append(f"The submission holds {len(links)} link(s) to other files ({', '.join(sorted(links)[:3])}); "
                      "links are not followed, so they were left out.")
    if left_out:
        events.append(f"The submission holds too many files: {left_out} were left out (the grader copies at most "
                      f"{MAX_FILES} files, {MAX_BYTES // (1024 * 1024)} MB in all, besides the notebooks).")
    source = course.folder("source", ".", submission.assignment)
    excluded = {str(source / name) for name in pipeline.autograde.exclude_overwriting.get(submission.assignment, [])}
    for filename in sorted(set(find_files(str(source), ignore + ["*.ipynb"])) - excluded):
        target = destination / os.path.relpath(filename, source)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            target.unlink()
        shutil.copy(filename, target)
    return destination


def _parents(relative: str) -> list[str]:
    parts = Path(relative).parts[:-1]
    return [os.path.join(*parts[: index + 1]) for index in range(len(parts))]


def submitted_notebook(submission: Submission, notebook: str, expected: list[str], events: list[str]) -> Path | None:
    """The file to grade as ``notebook``: ``notebook.ipynb``, or the one notebook of the submission
    that is not one of the assignment's (renamed by the learner), or None."""
    path = submission.folder / f"{notebook}.ipynb"
    if path.is_file() and not path.is_symlink():
        return path
    missing = [name for name in expected if not (submission.folder / f"{name}.ipynb").is_file()]
    others = sorted(p for p in submission.folder.glob("*.ipynb")
                    if p.stem not in expected and p.is_file() and not p.is_symlink())
    if len(missing) == 1 and len(others) == 1:
        events.append(f"{notebook}.ipynb was missing; the one other notebook, {others[0].name}, was graded in its "
                      "place (the learner probably renamed it).")
        return others[0]
    found = f" It holds {', '.join(p.name for p in others)}." if others else ""
    events.append(f"{notebook}.ipynb is missing from the submission, so it scores 0.{found}")
    return None


def read_notebook(path: Path, events: list[str]):
    """Read a submitted notebook as nbformat 4, or raise :class:`BrokenNotebook` saying why."""
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        raise BrokenNotebook(f"{path.name} is {size / 1e6:.0f} MB, more than the {MAX_NOTEBOOK_BYTES // 10**6} MB the "
                             "grader reads: ask the learner to clear the outputs and submit again")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        text = data.decode("cp1252", errors="replace")
        events.append(f"{path.name} is not UTF-8 text (byte {data[error.start]:#04x} at position {error.start}); it "
                      "was read as Windows-1252, so some accented letters may look wrong.")
    try:
        nb = nbformat.reads(text, as_version=4)
    except nbformat.reader.NotJSONError:
        raise BrokenNotebook(f"{path.name} is damaged: it is not a notebook (not valid JSON). Ask the learner to "
                             "download it again from JupyterLab (File > Download) and submit it") from None
    except nbformat.NBFormatError as error:
        raise BrokenNotebook(f"{path.name} is in a notebook format this grader cannot read ({error}). Ask the "
                             "learner to open it in the course's JupyterLab, save it and submit it again") from None
    except Exception as error:
        raise BrokenNotebook(f"{path.name} could not be read as a notebook ({type(error).__name__}: {error})") from None
    original = nb.get("metadata", {}).get("orig_nbformat")
    if original and original != 4:
        events.append(f"{path.name} was in notebook format {original}; it was converted to format 4 to be graded.")
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as error:
        raise BrokenNotebook(f"{path.name} is not a valid notebook ({error.message[:200]}). Ask the learner to "
                             "submit it again from JupyterLab") from None
    return nb


def execute_submission(pipeline: Pipeline, submission: Submission, notebooks: list[str]) -> Executed:
    """Sanitize and run the submitted notebooks of ``submission`` that belong to the assignment."""
    started = time.monotonic()
    executed = Executed(student=submission.student)
    try:
        destination = prepare_folder(pipeline, submission, executed.events)
        sanitize = pipeline.exporter(pipeline.sanitize_steps)
        run = pipeline.exporter(pipeline.run_steps)
        for notebook in notebooks:
            submitted = submitted_notebook(submission, notebook, notebooks, executed.events)
            if submitted is None:
                continue
            nb = read_notebook(submitted, executed.events)
            resources = pipeline.resources(submission, notebook)
            output, resources = sanitize.from_notebook_node(nb, resources=resources)
            executed.events.extend(resources.get("autograder", {}).get("events", []))
            sanitized_nb = nbformat.reads(output, as_version=4)
            for finding in screen_notebook(sanitized_nb):
                where = f"{notebook}, {finding.cell}, line {finding.line}: {finding.message}"
                if finding.kind == "tampering":
                    executed.flags.append(where)
                else:
                    executed.events.append(f"{where} ({CONTAINED[finding.kind]}).")
            sanitized = destination / f"{notebook}.ipynb"
            sanitized.write_text(output, encoding="utf-8")
            resources = pipeline.resources(submission, notebook)
            with utils.setenv(NBGRADER_EXECUTION="autograde"):
                output, resources = run.from_filename(str(sanitized), resources=resources)
            executed.events.extend(resources.get("autograder", {}).get("events", []))
            executed.notebooks[notebook] = output
            executed.failures.extend(failures_of(notebook, nbformat.reads(output, as_version=4)))
    except BrokenNotebook as error:
        executed.error = str(error)
        executed.notebooks.clear()
    except Exception as error:  # one broken submission must not stop the others
        executed.error = plain_reason(error)
        executed.notebooks.clear()
    executed.seconds = time.monotonic() - started
    return executed


def failures_of(notebook: str, nb) -> list[Failure]:
    """The graded cells whose run failed (an error, or text on stderr, which nbgrader scores 0)."""
    failures = []
    for cell in nb.cells:
        if not (cell.cell_type == "code" and utils.is_grade(cell)):
            continue
        part = cell.metadata["nbgrader"]["grade_id"]
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                message = (output.get("evalue") or "").strip()
                failures.append(Failure(notebook, part, output.get("ename", "Error"), message[:MESSAGE_LENGTH]))
                break
            if output.output_type == "stream" and output.get("name") == "stderr":
                text = output.get("text", "").strip().splitlines()
                failures.append(Failure(notebook, part, "stderr", (text[-1] if text else "")[:MESSAGE_LENGTH]))
                break
    return failures


def plain_reason(error: BaseException) -> str:
    """Why a submission could not be graded, in words an instructor can act on."""
    if isinstance(error, nbformat.reader.NotJSONError) or isinstance(error, nbformat.ValidationError):
        return "the notebook file is damaged (it is not a valid notebook): ask the learner to submit it again"
    if isinstance(error, DeadKernelError):
        return ("the notebook stopped the Python kernel that ran it (its code may exit Python or use too "
                "much memory): open it to see which cell")
    if isinstance(error, SchemaTooOldError):
        return "the notebook uses an old nbgrader format: run `nbgrader update` on the submissions"
    if isinstance(error, SchemaTooNewError):
        return "the notebook was made with a newer nbgrader: update nbgrader"
    if isinstance(error, FileNotFoundError):
        return f"a file is missing: {error.filename}"
    last = traceback.format_exception_only(type(error), error)[-1].strip()
    return f"unexpected error while running the notebook ({last})"
