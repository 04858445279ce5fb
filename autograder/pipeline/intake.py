"""Taking a submission in, before anything of it runs: its files and its notebooks, read safely.

A submission is whatever a learner handed in. Links are never followed (one could point at the
solutions), the number and size of files copied for grading are capped, and a notebook that cannot
be read gets a plain reason (:class:`BrokenNotebook`) instead of stopping the batch. Everything
noticed on the way is said in ``events``, in words for the instructor.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat

from autograder.course import Submission
from autograder.pipeline.files import find_files

#: Files of a submission, other than notebooks, copied for grading; the rest are left out (reported).
MAX_FILES = 500
#: Total size of those files, in bytes.
MAX_BYTES = 100 * 1024 * 1024
#: Largest notebook file the grader reads, in bytes.
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024


class BrokenNotebook(Exception):
    """A submitted notebook that cannot be graded; the message says why, for the instructor."""


def prepare_folder(pipeline, submission: Submission, events: list[str] | None = None) -> Path:
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
