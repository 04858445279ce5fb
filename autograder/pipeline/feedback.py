"""Step 3 of grading a submission, in a worker process: write the learner's feedback page.

The page is nbgrader's feedback (``GenerateFeedback``: same template, same folder
``feedback/<student>/<assignment>/<notebook>.html``, the course's preprocessors), with two
guarantees added: ``ClearHiddenTests`` always runs, and :class:`ClearHiddenOutputs` runs before it
(after ``GetGrades``), so a hidden test shows neither in its cell nor in any output: test cells show
the grader's verdict only (:mod:`autograder.preprocessors.hidden_outputs`).
"""

from __future__ import annotations

import os
import re
import shutil
from functools import lru_cache
from pathlib import Path

from jinja2 import pass_context
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets.utils.importstring import import_item
from nbgrader.converters import GenerateFeedback
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

from autograder.course import Course
from autograder.pipeline.files import find_files
from autograder.preprocessors import ClearHiddenOutputs


IMAGE_WITHOUT_ALT = re.compile(r"<img(?![^>]*\salt=)", re.IGNORECASE)
MISSING_ALT = ' alt="No description has been provided for this image"'
#: Cached renderings of markdown cells and code highlighting: most cells of an assignment are the
#: same in every submission (instructions, tests), so each is rendered once per worker.
CACHE_SIZE = 4096


class FeedbackHTMLExporter(HTMLExporter):
    """nbconvert's HTML exporter, quicker for many similar notebooks, with the same pages.

    It caches the rendering of markdown cells (without attachments) and of code highlighting, and
    replaces the BeautifulSoup pass of ``HTMLExporter`` (a third of its time on a feedback page,
    whose only effect with nbgrader's template is to give images without one a default ``alt``
    text) with a regular expression that does the same.
    """

    def default_filters(self):
        for name, function in super().default_filters():
            yield name, (self.cached_markdown2html if name == "markdown2html" else function)

    @pass_context
    def cached_markdown2html(self, context, source):
        cell = context.get("cell", {})
        if cell.get("attachments"):
            return self.markdown2html(context, source)
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        return self._markdown(source, path)

    @lru_cache(maxsize=CACHE_SIZE)  # noqa: B019 - one exporter per worker, kept for its lifetime
    def _markdown(self, source: str, path: str) -> str:
        return self.markdown2html({"cell": {}, "resources": {"metadata": {"path": path}}}, source)

    def from_notebook_node(self, nb, resources=None, **kw):
        info = nb.metadata.get("language_info", {})
        lexer = info.get("pygments_lexer", info.get("name", None))
        highlight = self.filters.get("highlight_code") or CachedHighlight(pygments_lexer=lexer, parent=self)
        resources = self._init_resources(resources)
        self.register_filter("highlight_code", highlight)
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources),
        )
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return IMAGE_WITHOUT_ALT.sub("<img" + MISSING_ALT, html), resources


class CachedHighlight(Highlight2HTML):
    """Pygments highlighting of code cells, each distinct source highlighted once."""

    @lru_cache(maxsize=CACHE_SIZE)  # noqa: B019
    def _cached(self, source: str, language: str | None) -> str:
        return super().__call__(source, language)

    def __call__(self, source, language=None, metadata=None):
        if metadata:
            return super().__call__(source, language, metadata)
        return self._cached(source, language)


def feedback_steps(configured: list) -> list:
    """The course's feedback preprocessors, with the grades read first and the hidden-test cleaners
    last, in this order: ``GetGrades`` … ``ClearHiddenOutputs``, ``ClearHiddenTests``.

    Steps may be given as classes or as their import names (as in nbgrader_config.py)."""
    steps = [import_item(step) if isinstance(step, str) else step for step in configured]
    steps = [step for step in steps if step not in (ClearHiddenOutputs, ClearHiddenTests)]
    if GetGrades not in steps:
        steps.insert(0, GetGrades)
    return [*steps, ClearHiddenOutputs, ClearHiddenTests]


class FeedbackWriter:
    """Writes feedback pages; built once per worker, as its HTML templates take time to load."""

    def __init__(self, course: Course) -> None:
        self.course = course
        self.converter = GenerateFeedback(coursedir=course.coursedir, config=course.config)
        exporter_class = self.converter.exporter_class
        if exporter_class is HTMLExporter:
            exporter_class = FeedbackHTMLExporter
        self.exporter = exporter_class(parent=self.converter, config=self.converter.config)
        for step in feedback_steps(list(self.converter.preprocessors)):
            self.exporter.register_preprocessor(step)

    def write(self, student: str, assignment: str) -> Path:
        """(Re)write the feedback of ``student`` for ``assignment`` from its autograded notebooks."""
        source = self.course.folder("autograded", student, assignment)
        destination = self.course.folder("feedback", student, assignment)
        if destination.exists():
            shutil.rmtree(destination)
        destination.mkdir(parents=True)
        ignore = list(self.course.coursedir.ignore)
        for filename in find_files(str(source), ignore + ["*.ipynb"]):
            target = destination / os.path.relpath(filename, source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(filename, target)
        for notebook in sorted(source.glob("*.ipynb")):
            resources = {
                "unique_key": notebook.stem,
                "output_files_dir": f"{notebook.stem}_files",
                "nbgrader": {
                    "student": student,
                    "assignment": assignment,
                    "notebook": notebook.stem,
                    "db_url": self.course.db_url,
                },
            }
            output, _ = self.exporter.from_filename(str(notebook), resources=resources)
            (destination / f"{notebook.stem}{self.exporter.file_extension}").write_text(output, encoding="utf-8")
        permissions = int(str(self.converter.permissions), 8)
        for path in destination.rglob("*"):
            if path.is_file():
                os.chmod(path, permissions)
        return destination
