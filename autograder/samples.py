"""Made-up submissions of an assignment, to try its grading before real learners hand anything in.

From the instructor notebook and the released one, it writes a realistic mix of submissions into
``submitted/<student>/<assignment>/`` as ``nbgrader collect`` would: the instructor's answers, answers
with a plausible mistake (an operator or a comparison turned around), answers that raise an error,
the released notebook handed in untouched, and answers stuck in an endless loop (which run into the
time limit of a cell). The tests and the benchmark of the autograder use it; an instructor can use
it to check that a new assignment gives full marks to its solution and zero to an empty notebook.
"""

from __future__ import annotations

import builtins
import datetime
import io
import keyword
import random
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat

SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"

#: Kinds of made-up submissions and their share of a mix (the rest of the shares is "correct").
MIX = {"wrong": 0.30, "error": 0.15, "unchanged": 0.05, "timeout": 0.10}
#: Plausible mistakes: an operator or comparison turned around (the first one found is changed).
MISTAKES = [(" - ", " + "), (" <= ", " < "), (" >= ", " > "), (" < ", " <= "), (" > ", " >= "), (" / ", " * "),
            (" == ", " != "), (" is None", " is not None"), ("~", "")]


@dataclass
class Sample:
    student: str
    kind: str  # correct, wrong, error, unchanged or timeout
    notebook: nbformat.NotebookNode


def flags(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def typed_answer(source: str) -> str:
    """The instructor's answer in a solution cell's ``source``, as a learner would type it: the
    solution markers removed."""
    return "\n".join(line for line in source.splitlines() if SOLUTION_BEGIN not in line and SOLUTION_END not in line)


def answers_of(source) -> dict[str, str]:
    """The instructor's answer of each solution cell, as a learner would type it (markers removed)."""
    return {flags(cell)["grade_id"]: typed_answer(cell.source) for cell in source.cells if flags(cell).get("solution")}


def code_answers(source) -> list[str]:
    return [flags(cell)["grade_id"] for cell in source.cells
            if flags(cell).get("solution") and cell.cell_type == "code"]


def filled(released, answers: dict[str, str]):
    """The released notebook with the given answers typed into its solution cells."""
    notebook = nbformat.from_dict(released)
    for cell in notebook.cells:
        grade_id = flags(cell).get("grade_id")
        if flags(cell).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def with_mistake(answer: str) -> str | None:
    """The answer with one operator or comparison turned around, or None if it has none."""
    for before, after in MISTAKES:
        if before in answer:
            index = answer.rindex(before)
            return answer[:index] + after + answer[index + len(before):]
    return None


def with_error(answer: str, rng: random.Random) -> str:
    """The answer with a typo: a misspelt name (NameError) or a missing bracket (SyntaxError).

    The misspelt name is one used at least twice in the code (not in a string or a comment), and
    its first use is changed, so that a later use no longer matches it."""
    names = code_names(answer)
    used_twice = sorted(name for name, count in names.items() if count >= 2)
    if used_twice and rng.random() < 0.7:
        name = rng.choice(used_twice)
        return re.sub(rf"\b{name}\b", name + "_", answer, count=1)
    return answer.replace("(", "", 1) if "(" in answer else answer + "\n)"


def code_names(answer: str) -> dict[str, int]:
    """How often each name (not a keyword, not a builtin) appears in the code of ``answer``."""
    counts: dict[str, int] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(answer).readline):
            if token.type == tokenize.NAME and not keyword.iskeyword(token.string) and not hasattr(builtins, token.string):
                counts[token.string] = counts.get(token.string, 0) + 1
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return counts


def with_endless_loop(answer: str) -> str:
    """The answer with a loop that never ends before its first line of code (a timeout)."""
    lines = answer.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "def ", '"""', "'''")) and not _in_docstring(lines, index):
            indent = line[: len(line) - len(line.lstrip())]
            lines[index:index] = [f"{indent}steps = 0", f"{indent}while steps >= 0:", f"{indent}    steps += 1"]
            return "\n".join(lines)
    return "while True:\n    pass\n" + answer


def _in_docstring(lines: list[str], index: int) -> bool:
    quotes = sum(line.count('"""') + line.count("'''") for line in lines[:index])
    return quotes % 2 == 1


def make_samples(source, released, count: int, seed: int = 0, mix: dict[str, float] | None = None) -> list[Sample]:
    """``count`` made-up submissions of one notebook, in a fixed order for a given ``seed``."""
    rng = random.Random(seed)
    mix = MIX if mix is None else mix
    answers = answers_of(source)
    parts = code_answers(source)
    kinds = []
    for kind, share in mix.items():
        kinds += [kind] * int(round(share * count))
    kinds = (kinds + ["correct"] * count)[:count]
    rng.shuffle(kinds)
    samples = []
    for number, kind in enumerate(kinds, start=1):
        chosen = dict(answers)
        if kind == "unchanged":
            notebook = nbformat.from_dict(released)
        else:
            if kind == "wrong":
                for part in rng.sample(parts, k=min(len(parts), rng.choice([1, 1, 2]))):
                    chosen[part] = with_mistake(answers[part]) or "result = None"
            elif kind == "error":
                part = rng.choice(parts)
                chosen[part] = with_error(answers[part], rng)
            elif kind == "timeout":
                functions = [p for p in parts if "def " in answers[p]] or parts
                part = rng.choice(functions)
                chosen[part] = with_endless_loop(answers[part])
            notebook = filled(released, chosen)
        samples.append(Sample(f"learner{number:03d}", kind, notebook))
    return samples


def submit(course_root: Path, assignment: str, student: str, notebooks: dict[str, nbformat.NotebookNode],
           timestamp: datetime.datetime | None = None) -> Path:
    """Write a submission as ``nbgrader collect`` does: notebooks and a ``timestamp.txt``."""
    folder = Path(course_root) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, notebook in notebooks.items():
        nbformat.write(notebook, folder / f"{name}.ipynb")
    when = timestamp or datetime.datetime(2026, 3, 1, 12, 0, 0)
    (folder / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f UTC") + "\n", encoding="utf-8")
    return folder


def hand_in(exchange: Path, course_id: str, assignment: str, student: str,
            notebooks: dict[str, nbformat.NotebookNode], when: datetime.datetime | None = None) -> Path:
    """Put a submission into the exchange's inbox as ``nbgrader submit`` does: a folder
    ``<student>+<assignment>+<timestamp>+<random>`` with the notebooks, a ``timestamp.txt`` and the
    ``submission_secret.txt`` that names the learner's feedback file."""
    import secrets

    when = when or datetime.datetime.now(datetime.timezone.utc)
    stamp = when.strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    folder = Path(exchange) / course_id / "inbound" / f"{student}+{assignment}+{stamp}+{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    for name, notebook in notebooks.items():
        nbformat.write(notebook, folder / f"{name}.ipynb")
    (folder / "timestamp.txt").write_text(stamp, encoding="utf-8")
    (folder / "submission_secret.txt").write_text(secrets.token_hex(64), encoding="utf-8")
    return folder
