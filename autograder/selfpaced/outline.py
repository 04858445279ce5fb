"""The course as a learner follows it: its modules in order, each with its lessons, its exercise, its
learning outcomes and its workload, read from the course's own pages so that nothing is written twice.

* ``book/_toc.yml`` gives the modules (parts captioned "Module N: ..."), their lessons
  (``book/<slug>/NN-*``) and their exercise page (``book/<slug>/exercise-NN``, assignment ``<slug>_NN``);
* each module's exercise exists in each language of the course: the English assignment
  (``budgeting_01``) and its French edition (``budgeting_01_fr``), graded by the same tests for the
  same points; a learner passes the module with either (:data:`EDITIONS`);
* ``book/syllabus.md`` gives each module's learning outcomes (the bold lead of each item under
  "### Learning outcomes") and its workload (the **Total** row of its "Pages and time" table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

MODULE_CAPTION = re.compile(r"^Module (\d+): (.+)$")
LESSON = re.compile(r"^book/([a-z_]+)/(\d\d)-[^/]+$")
EXERCISE = re.compile(r"^book/([a-z_]+)/exercise-(\d\d)$")
DURATION = re.compile(r"(?:(\d+)\s*h)?\s*(?:(\d+)\s*min)?")


#: The suffix of a module's exercise in each language: ``budgeting_01`` (English), ``budgeting_01_fr``.
EDITIONS = {"en": "", "fr": "_fr"}


def language_of(assignment: str) -> str:
    """The language of an exercise: ``"fr"`` for ``budgeting_01_fr``, else ``"en"``."""
    return next((code for code, suffix in EDITIONS.items() if suffix and assignment.endswith(suffix)), "en")


class OutlineError(ValueError):
    """The table of contents or the syllabus does not say what the loop needs; the message says where."""


@dataclass(frozen=True)
class ModuleOutline:
    number: int
    slug: str
    title: str
    lessons: tuple[str, ...]  # docnames, e.g. "book/budgeting/01-anatomy"
    assignment: str  # e.g. "budgeting_01"
    outcomes: tuple[str, ...]
    hours: float

    @property
    def assignments(self) -> tuple[str, ...]:
        """The module's exercise in every language, English first: ``("budgeting_01", "budgeting_01_fr")``."""
        return tuple(self.assignment + suffix for suffix in EDITIONS.values())

    def lesson_of(self, docname: str) -> str | None:
        """The module's lesson that ``docname`` is, in either language (``book/fr/budgeting/01-anatomy``
        is ``book/budgeting/01-anatomy``: the French edition keeps the English file names), or None."""
        english = re.sub(r"^book/(?:fr)/", "book/", docname)
        return english if english in self.lessons else None


def hours_of(text: str) -> float:
    """``"5 h 45 min"`` -> ``5.75``; ``"60 min"`` -> ``1.0``."""
    match = DURATION.fullmatch(text.strip().strip("*").strip())
    if not match or not any(match.groups()):
        raise OutlineError(f"Cannot read the duration {text!r}: write it as '5 h 45 min' or '60 min'.")
    return int(match.group(1) or 0) + int(match.group(2) or 0) / 60


def _syllabus_sections(syllabus: str) -> dict[int, str]:
    sections = {}
    for block in re.split(r"^## ", syllabus, flags=re.M)[1:]:
        heading = MODULE_CAPTION.match(block.splitlines()[0].strip())
        if heading:
            sections[int(heading.group(1))] = block
    return sections


def _outcomes(section: str) -> tuple[str, ...]:
    part = re.search(r"^### Learning outcomes\n(.*?)(?=^### )", section, flags=re.S | re.M)
    return tuple(re.findall(r"^\d+\.\s+\*\*(.+?)\*\*", part.group(1), flags=re.M)) if part else ()


def _workload(section: str) -> float:
    total = re.search(r"^\|\s*\*\*Total\*\*\s*\|[^|]*\|\s*(.+?)\s*\|\s*$", section, flags=re.M)
    if not total:
        raise OutlineError("A module of book/syllabus.md has no '| **Total** | | **5 h 45 min** |' row.")
    return hours_of(total.group(1))


def read_outline(repository: Path) -> tuple[ModuleOutline, ...]:
    """The published modules of the course at ``repository``, in the order of the table of contents."""
    toc = yaml.safe_load((repository / "book" / "_toc.yml").read_text(encoding="utf-8"))
    sections = _syllabus_sections((repository / "book" / "syllabus.md").read_text(encoding="utf-8"))
    modules = []
    for part in toc.get("parts", []):
        caption = MODULE_CAPTION.match(part.get("caption", ""))
        if not caption:
            continue
        number = int(caption.group(1))
        files = [chapter["file"] for chapter in part.get("chapters", [])]
        files += [section["file"] for chapter in part.get("chapters", []) for section in chapter.get("sections", [])]
        lessons = tuple(name for name in files if LESSON.match(name))
        exercises = [EXERCISE.match(name) for name in files if EXERCISE.match(name)]
        if not exercises:
            raise OutlineError(f"Module {number} of book/_toc.yml has no exercise page (book/<slug>/exercise-01).")
        slug, exercise_number = exercises[0].groups()
        if number not in sections:
            raise OutlineError(f"book/syllabus.md has no section '## Module {number}: ...'.")
        modules.append(ModuleOutline(number, slug, caption.group(2), lessons, f"{slug}_{exercise_number}",
                                     _outcomes(sections[number]), _workload(sections[number])))
    return tuple(modules)
