"""Step 1 of grading a submission, in a worker process: sanitize its notebooks and run them.

This is nbgrader's ``Autograde`` up to the first step that writes to the gradebook, with nbgrader's
own preprocessors in nbgrader's order (and the course's configuration of them), so the executed
notebooks are those ``nbgrader autograde`` would produce. The steps that write scores run in the
main process (:mod:`autograder.pipeline.record`), one submission at a time.

Broken submissions get a plain reason and never stop the batch: a damaged or non-UTF-8 notebook,
another notebook format, a renamed notebook (graded in place of the missing one when it is the only
candidate), deleted or edited test cells (put back, see :mod:`autograder.preprocessors.restore_cells`), links to
files outside the submission, or thousands of files. Everything noticed is kept in ``events``, and
the learner code that may tamper with the tests (:mod:`autograder.screening`) in ``flags``.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field

import nbformat
from nbclient.exceptions import DeadKernelError
from nbconvert.exporters import NotebookExporter
from nbgrader import utils
from nbgrader.converters import Autograde
from nbgrader.nbgraderformat import SchemaTooNewError, SchemaTooOldError
from nbgrader.preprocessors import AssignLatePenalties, Execute, OverwriteCells, SaveAutoGrades
from traitlets.config import Config
from traitlets.utils.importstring import import_item

from autograder.course import Course, Submission
from autograder.pipeline.intake import BrokenNotebook, prepare_folder, read_notebook, submitted_notebook
from autograder.pipeline.outcomes import Failure
from autograder.preprocessors import GradingExecute, HoldGradingLock, ReleaseGradingLock, RestoreTestCells
from autograder.screening import screen_notebook

LOCK_STEPS = (HoldGradingLock, ReleaseGradingLock)

#: Messages longer than this are cut in the outcome records (the feedback keeps them whole).
MESSAGE_LENGTH = 300


#: What the sandbox does about code that the screening finds, by kind of finding.
CONTAINED = {"network": "the sandbox has no network", "process": "the sandbox contains it",
             "notice": "reported only: the points stand"}


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
