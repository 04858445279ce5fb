"""What the course's pages state about themselves, read from their sources (no build needed).

The lesson pattern (book/instructor-guide.md, "The lesson pattern") is checked on these facts by
tests/site/test_lesson_pattern.py on the sources and by tests/site/test_site.py on the built site.
Every module found in book/_toc.yml is read the same way, so a new module is checked as soon as
it is in the table of contents.

- **Time estimates**: each lesson and exercise page has ``time: <minutes>`` in its front matter;
  the page's own "**Time:** ...", "**Time to learn:** ..." and "**Time needed:** ..." lines, the
  rows of the time tables of the syllabus, module index and intro that link to it, and the
  exercise notebook's introduction say the same. Durations are written "45 min", "60 minutes",
  "1 h 15 min" or "2 h".
- **Self-check questions**: sphinx-exercise directives, ``{exercise}`` with
  ``:label: <slug>-<lesson stem>-check-<n>`` followed by ``{solution} <label>`` with
  ``:class: dropdown``.
- **Formatting cells**: a code cell that draws a figure or formats a table calls
  ``plotting.show``/``plotting.new_figure`` (``modules.common.views.plotting``) or a helper of a
  module's ``figures`` package (``modules.<slug>.figures``).
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jupytext
import yaml

from tests.conftest import COURSE_ROOT, toc_docnames

BOOK = COURSE_ROOT / "book"
EXERCISES = COURSE_ROOT / "exercises" / "source"

# --- Pages ----------------------------------------------------------------------------------------


def source_of(docname: str) -> Path:
    """The source file of a Sphinx docname (``book/budgeting/01-anatomy`` → its ``.md``)."""
    for suffix in (".md", ".ipynb"):
        path = COURSE_ROOT / f"{docname}{suffix}"
        if path.exists():
            return path
    return COURSE_ROOT / f"{docname}.md"


def front_matter(text: str) -> dict:
    """The YAML front matter of a MyST page (``{}`` when it has none)."""
    match = re.match(r"---[ \t]*\n(.*?)\n---[ \t]*(?:\n|$)", text, re.S)
    if not match:
        return {}
    return yaml.safe_load(match.group(1)) or {}


@cache
def page_text(docname: str) -> str:
    return source_of(docname).read_text(encoding="utf-8")


def page_front_matter(docname: str) -> dict:
    return front_matter(page_text(docname))


def module_slugs() -> list[str]:
    """The modules of the table of contents: the folders ``book/<slug>/`` that it lists pages of."""
    slugs = []
    for docname in toc_docnames():
        parts = docname.split("/")
        if len(parts) == 3 and parts[0] == "book" and parts[1] not in slugs:
            slugs.append(parts[1])
    return slugs


def is_lesson(docname: str) -> bool:
    """A lesson is a notebook (its front matter has a kernelspec) in a module folder."""
    return len(docname.split("/")) == 3 and "kernelspec" in page_front_matter(docname)


def is_exercise_page(docname: str) -> bool:
    """An exercise page names its nbgrader assignment (``assignment:``) in its front matter."""
    return "assignment" in page_front_matter(docname)


def lesson_docnames(slug: str | None = None) -> list[str]:
    return [name for name in toc_docnames() if is_lesson(name) and (slug is None or name.split("/")[1] == slug)]


def timed_docnames(slug: str | None = None) -> list[str]:
    """The pages of module folders that take a learner's time: lessons and exercise pages."""
    return [
        name for name in toc_docnames()
        if len(name.split("/")) == 3 and name.split("/")[1] in module_slugs()
        and (slug is None or name.split("/")[1] == slug)
        and (is_lesson(name) or is_exercise_page(name))
    ]


def overview_pages() -> list[str]:
    """The pages that list module pages with their times: the intro, the syllabus, each module's index."""
    names = ["book/intro", "book/syllabus"] + [f"book/{slug}/index" for slug in module_slugs()]
    return [name for name in names if source_of(name).exists()]


def link_target(link: str, from_docname: str) -> str | None:
    """The docname a relative link of a page points to (``None`` for other sites, anchors, files)."""
    target = link.split("#", 1)[0].strip()
    if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or not target.endswith((".md", ".ipynb")):
        return None
    path = (COURSE_ROOT / from_docname).parent / target
    resolved = path.resolve().relative_to(COURSE_ROOT.resolve()).as_posix()
    return re.sub(r"\.(md|ipynb)$", "", resolved)


# --- Durations ------------------------------------------------------------------------------------

#: "45 min", "60 minutes", "1 h", "2 hours": a whole number and its unit (not the "5" of "1.5 h").
DURATION_PART = re.compile(r"(?<![\d.,])(\d+)\s*(h|hours?|min|minutes?)\b", re.I)


def parse_duration(text: str) -> int:
    """Minutes of the first duration that ``text`` states ("1 h 15 min" → 75, "about 60 minutes" → 60;
    "150 minutes (2 h 30 min)" → 150: a restatement in brackets is not added).

    Raises ValueError, with the accepted forms, when ``text`` states no duration in them.
    """
    first = DURATION_PART.search(text)
    if not first:
        raise ValueError(f"no duration in {text.strip()!r}: write it as '45 min', '60 minutes' or '1 h 15 min'")
    minutes, position, part = 0, first.start(), first
    while part and not text[position:part.start()].strip():
        number, unit = part.groups()
        minutes += int(number) * (60 if unit.lower().startswith("h") else 1)
        position = part.end()
        part = DURATION_PART.search(text, position)
    return minutes


def format_duration(minutes: int) -> str:
    """How the overview tables write a duration: "45 min", "1 h 15 min", "2 h"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


#: "**Time:** 60 minutes", "**Time to learn:** 60 minutes", "**Time needed:** 150 minutes."
STATED_TIME = re.compile(r"\*\*(Time(?: to learn| needed)?):\*\*\s*([^·\n]*)")


@dataclass
class StatedTime:
    label: str  # "Time", "Time to learn", "Time needed"
    text: str  # what follows the label on its line
    line: int
    in_lesson_admonition: bool

    @property
    def minutes(self) -> int:
        return parse_duration(self.text)


def stated_times(text: str) -> list[StatedTime]:
    """Every "**Time…:** <duration>" line of a page, noting those inside its "In this lesson" admonition."""
    admonition = lesson_admonition_span(text)
    found = []
    for match in STATED_TIME.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        inside = admonition is not None and admonition[0] <= match.start() < admonition[1]
        found.append(StatedTime(match.group(1), match.group(2).strip(), line, inside))
    return found


def lesson_admonition_span(text: str) -> tuple[int, int] | None:
    """Where the "In this lesson" admonition of a page starts and ends (character offsets)."""
    opening = re.search(r"^([:`]{3,})\{admonition\}\s*In this lesson\s*$", text, re.M)
    if not opening:
        return None
    fence = opening.group(1)
    closing = re.compile(rf"^{re.escape(fence[0])}{{{len(fence)},}}\s*$", re.M).search(text, opening.end())
    return opening.start(), closing.end() if closing else len(text)


def time_in_front_matter(docname: str) -> int | None:
    value = page_front_matter(docname).get("time")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# --- Time tables of the overview pages ------------------------------------------------------------


@dataclass
class TimeRow:
    cells: list[str]
    time_text: str
    line: int
    pages: list[str]  # module pages its first cell links to
    is_total: bool

    @property
    def minutes(self) -> int:
        return parse_duration(self.time_text.replace("*", ""))


@dataclass
class TimeTable:
    docname: str
    line: int  # line of the header
    rows: list[TimeRow] = field(default_factory=list)
    end: int = 0  # character offset just after the table

    @property
    def page_rows(self) -> list[TimeRow]:
        return [row for row in self.rows if row.pages and not row.is_total]

    @property
    def total_rows(self) -> list[TimeRow]:
        return [row for row in self.rows if row.is_total]


LINK = re.compile(r"\]\(([^)\s]+)\)")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def time_tables(docname: str) -> list[TimeTable]:
    """The markdown tables of a page that have a "Time" column, with the module pages each row links to."""
    text = page_text(docname)
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    timed = set(timed_docnames())
    tables = []
    index = 0
    while index < len(lines) - 1:
        header, separator = lines[index], lines[index + 1]
        if header.lstrip().startswith("|") and re.match(r"^\s*\|?\s*:?-{3,}", separator):
            names = [cell.replace("*", "").strip().lower() for cell in _cells(header)]
            end = index + 2
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                end += 1
            if "time" in names:
                column = names.index("time")
                table = TimeTable(docname, index + 1, end=offsets[end])
                for number in range(index + 2, end):
                    cells = _cells(lines[number])
                    first = cells[0] if cells else ""
                    pages = [page for page in (link_target(link, docname) for link in LINK.findall(first)) if page in timed]
                    table.rows.append(TimeRow(
                        cells=cells,
                        time_text=cells[column] if column < len(cells) else "",
                        line=number + 1,
                        pages=pages,
                        is_total="total" in first.replace("*", "").lower(),
                    ))
                tables.append(table)
            index = end
        else:
            index += 1
    return tables


#: "the estimates above add up to 5 h 45 min"
TOTAL_SENTENCE = re.compile(r"add(?:s)? up to\s+(?:about\s+)?((?:\d+\s*(?:h|hours?|min|minutes?)\b\s*)+)", re.I)


@dataclass
class TotalSentence:
    text: str
    line: int
    table: TimeTable | None  # the nearest time table above it

    @property
    def minutes(self) -> int:
        return parse_duration(self.text)


def total_sentences(docname: str) -> list[TotalSentence]:
    """Sentences of a page that total the time table above them ("... add up to 4 h 15 min")."""
    text = page_text(docname)
    tables = time_tables(docname)
    found = []
    for match in TOTAL_SENTENCE.finditer(text):
        above = [table for table in tables if table.end <= match.start()]
        found.append(TotalSentence(match.group(1).strip(), text.count("\n", 0, match.start()) + 1, above[-1] if above else None))
    return found


@dataclass
class TimedParagraph:
    docname: str
    line: int
    page: str
    text: str

    @property
    def minutes(self) -> int:
        return parse_duration(self.text)


def timed_paragraphs(docname: str) -> list[TimedParagraph]:
    """Paragraphs (not tables) that link to exactly one module page and state a duration, e.g.
    "The module ends with a [graded exercise](exercise-01.md) of about 150 minutes"."""
    text = page_text(docname)
    timed = set(timed_docnames())
    found = []
    line = 1
    for block in re.split(r"(\n\s*\n)", text):
        if not block.strip() or block.lstrip().startswith("|"):
            line += block.count("\n")
            continue
        pages = {page for page in (link_target(link, docname) for link in LINK.findall(block)) if page in timed}
        if len(pages) == 1 and DURATION_PART.search(block):
            found.append(TimedParagraph(docname, line, pages.pop(), " ".join(block.split())))
        line += block.count("\n")
    return found


# --- The exercise notebook ------------------------------------------------------------------------


def exercise_notebook_times(assignment: str) -> list[tuple[Path, str]]:
    """The "**Time needed:** ..." statements of the first cell of each notebook of an assignment."""
    found = []
    for notebook in sorted((EXERCISES / assignment).glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
        if not cells:
            continue
        first = "".join(cells[0].get("source", ""))
        for match in STATED_TIME.finditer(first):
            if match.group(1) == "Time needed":
                found.append((notebook, match.group(2).strip()))
    return found


# --- Cells of a lesson ----------------------------------------------------------------------------


@cache
def _notebook(docname: str):
    return jupytext.reads(page_text(docname), fmt="md:myst")


def markdown_cells(docname: str) -> list[str]:
    return [cell.source for cell in _notebook(docname).cells if cell.cell_type == "markdown"]


@dataclass
class CodeCell:
    index: int  # position among the lesson's code cells, from 0
    source: str
    tags: list[str]
    source_hidden: bool = False  # folded in JupyterLab too (metadata jupyter.source_hidden)


def code_cells(docname: str) -> list[CodeCell]:
    cells = [cell for cell in _notebook(docname).cells if cell.cell_type == "code"]
    return [
        CodeCell(i, cell.source, list(cell.metadata.get("tags", [])), bool(cell.metadata.get("jupyter", {}).get("source_hidden")))
        for i, cell in enumerate(cells)
    ]


# --- Self-check questions -------------------------------------------------------------------------


@dataclass
class Directive:
    name: str
    argument: str
    options: dict[str, str]
    line: int  # line inside its markdown cell


DIRECTIVE = re.compile(r"^\s*([:`]{3,})\{([\w:-]+)\}[ \t]*(.*)$")
OPTION = re.compile(r"^\s*:([\w-]+):\s*(.*)$")


def directives(markdown: str, names: set[str] | None = None) -> list[Directive]:
    """The directives of a markdown text (colon or backtick fences), with their argument and options."""
    lines = markdown.splitlines()
    found = []
    for number, line in enumerate(lines):
        match = DIRECTIVE.match(line)
        if not match or (names and match.group(2) not in names):
            continue
        options = {}
        for following in lines[number + 1:]:
            option = OPTION.match(following)
            if not option:
                break
            options[option.group(1)] = option.group(2).strip()
        found.append(Directive(match.group(2), match.group(3).strip(), options, number + 1))
    return found


@dataclass
class SelfCheck:
    label: str
    solution: Directive | None


def self_checks(docname: str) -> tuple[list[SelfCheck], list[Directive]]:
    """The lesson's exercises, each with its solution (or None), and the solutions of no exercise."""
    found = [d for markdown in markdown_cells(docname) for d in directives(markdown, {"exercise", "solution"})]
    checks = [SelfCheck(d.options.get("label", ""), None) for d in found if d.name == "exercise"]
    by_label = {check.label: check for check in checks}
    orphans = []
    for solution in (d for d in found if d.name == "solution"):
        check = by_label.get(solution.argument)
        if check is None or check.solution is not None:
            orphans.append(solution)
        else:
            check.solution = solution
    return checks, orphans


def self_check_label_prefix(docname: str) -> str:
    """``book/budgeting/01-anatomy`` → ``budgeting-01-anatomy-check-``."""
    _, slug, stem = docname.split("/")
    return f"{slug}-{stem}-check-"


# --- Formatting cells -----------------------------------------------------------------------------

#: The functions of modules.common.views.plotting that put a figure on the page.
PLOTTING_CALLS = {"modules.common.views.plotting.show", "modules.common.views.plotting.new_figure"}
FIGURES_PACKAGE = re.compile(r"^modules\.\w+\.figures(\.|$)")


def _without_magics(source: str) -> str:
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def _imports(trees: list[ast.AST]) -> dict[str, str]:
    """Name bound by an import in the lesson → the qualified name it stands for."""
    names = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        names[alias.asname] = alias.name
                    else:
                        names[alias.name.split(".")[0]] = alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def formatting_calls(source: str, imports: dict[str, str]) -> list[str]:
    """The calls of ``source`` that draw a figure or format a table (qualified names)."""
    try:
        tree = ast.parse(_without_magics(source))
    except SyntaxError:
        return []
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        dotted = _dotted(node.func)
        if not dotted:
            continue
        head, _, rest = dotted.partition(".")
        if head not in imports:
            continue
        qualified = imports[head] + (f".{rest}" if rest else "")
        if qualified in PLOTTING_CALLS or FIGURES_PACKAGE.match(qualified):
            calls.append(qualified)
    return calls


@dataclass
class FormattingCell:
    cell: CodeCell
    calls: list[str]


def formatting_cells(docname: str) -> list[FormattingCell]:
    """The code cells of a lesson that draw a figure or format a table (see the module docstring)."""
    cells = code_cells(docname)
    trees = []
    for cell in cells:
        try:
            trees.append(ast.parse(_without_magics(cell.source)))
        except SyntaxError:
            pass
    imports = _imports(trees)
    found = []
    for cell in cells:
        calls = formatting_calls(cell.source, imports)
        if calls:
            found.append(FormattingCell(cell, calls))
    return found


def normalized_code(source: str) -> str:
    """Code compared between a lesson's source and the built page: no trailing spaces, no blank ends."""
    return "\n".join(line.rstrip() for line in source.strip("\n").splitlines()).strip()
