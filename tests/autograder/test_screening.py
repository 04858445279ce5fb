"""The static screen of submitted notebooks (autograder/screening/): what it finds, what it leaves alone."""

from __future__ import annotations

import dataclasses
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.screening import KINDS, Finding, learner_cells, screen_notebook

SETUP = """\
import numpy as np
import pandas as pd
from numpy.testing import assert_allclose

budget = pd.DataFrame({
    "year": [2021, 2022, 2023],
    "revenue": [1200.0, 1250.0, 1310.0],
    "operating_expenses": [1050.0, 1080.0, 1120.0],
})

def check_budget(frame):
    \"\"\"The instructor's helper: raises when a budget table lacks a column.\"\"\"
    assert {"revenue", "operating_expenses"} <= set(frame.columns)
"""
TESTS = """\
check_budget(budget)
assert_allclose(gross_savings_rate(budget), 0.1365, rtol=1e-3)
"""


def nbgrader(grade_id: str, *, solution=False, grade=False, locked=False) -> dict:
    meta = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": locked, "schema_version": 3}
    return {"nbgrader": {**meta, "points": 1} if grade else meta}


def setup_cell(source: str = SETUP, grade_id: str = "setup"):
    return new_code_cell(source, metadata=nbgrader(grade_id, locked=True))


def answer_cell(source: str, grade_id: str = "answer"):
    return new_code_cell(source, metadata=nbgrader(grade_id, solution=True))


def graded_cell(source: str = TESTS, grade_id: str = "test_rate"):
    return new_code_cell(source, metadata=nbgrader(grade_id, grade=True, locked=True))


def exercise(answer: str):
    """A lesson notebook: title, the instructor's setup, the learner's answer (cell 3, `answer`), the tests."""
    return new_notebook(cells=[new_markdown_cell("# Gross savings rate"), setup_cell(), answer_cell(answer),
                               graded_cell()])


HOSTILE = [
    # (learner's answer cell, line, kind, a word the message must contain)
    ("np.testing.assert_allclose = lambda *args, **kwargs: None", 1, "tampering", "numpy.testing.assert_allclose"),
    ("import numpy.testing as npt\nnpt.assert_allclose = lambda *a, **k: None", 2, "tampering",
     "numpy.testing.assert_allclose"),
    ("from numpy import testing\ntesting.assert_allclose = print", 2, "tampering", "numpy.testing.assert_allclose"),
    ("t = np.testing\nt.assert_allclose = print", 2, "tampering", "numpy.testing.assert_allclose"),
    ("import math\nmath.isclose = lambda a, b, **kwargs: True", 2, "tampering", "math.isclose"),
    ("pd.DataFrame.equals = lambda self, other: True", 1, "tampering", "pandas.DataFrame.equals"),
    ("del np.testing.assert_allclose", 1, "tampering", "deletes"),
    ("def patch():\n    import numpy\n    numpy.isclose = lambda *a, **k: True\npatch()", 3, "tampering",
     "numpy.isclose"),
    ("class Hide:\n    np = None\n    def run(self):\n        np.isclose = print", 4, "tampering", "numpy.isclose"),
    ("assert_allclose = lambda *args, **kwargs: None", 1, "tampering", "assert_allclose"),
    ("def check_budget(frame):\n    return True", 1, "tampering", "check_budget"),
    ("def helper():\n    global check_budget\n    check_budget = lambda frame: None\nhelper()", 3, "tampering",
     "check_budget"),
    ("(check_budget := (lambda frame: None))", 1, "tampering", "check_budget"),
    ("budget = budget.iloc[:0]", 1, "notice", "budget"),
    ("def assert_close(actual, expected):\n    pass", 1, "tampering", "test helper"),
    ("AssertionError = Warning", 1, "tampering", "AssertionError"),
    ("def print(*args, **kwargs):\n    pass", 1, "tampering", "print"),
    ("x = 2\nlen = lambda items: 0", 2, "tampering", "built-in `len`"),
    ("get_ipython().run_line_magic('xmode', 'Minimal')", 1, "tampering", "%xmode"),
    ("ip = get_ipython()\nip.showtraceback = lambda *a, **k: None", 1, "tampering", "get_ipython"),
    ("import IPython\nIPython.get_ipython().events.register('post_run_cell', print)", 1, "tampering", "IPython"),
    ("from ipykernel.kernelbase import Kernel", 1, "tampering", "ipykernel"),
    ("import builtins\nbuiltins.print = lambda *a: None", 1, "tampering", "builtins"),
    ("import builtins\nbuiltins.AssertionError = Warning", 2, "tampering", "builtins.AssertionError, a built-in"),
    ("__builtins__.len = lambda items: 3", 1, "tampering", "__builtins__"),
    ("import sys\nsys.modules['numpy.testing'] = None", 2, "tampering", "sys.modules"),
    ("import sys\nsys.settrace(lambda *args: None)", 2, "tampering", "sys.settrace"),
    ("import sys\nsys.setprofile(print)", 2, "tampering", "sys.setprofile"),
    ("import sys\nsys.excepthook = lambda *args: None", 2, "tampering", "how errors are reported"),
    ("import sys\ncaller = sys._getframe(1)", 2, "tampering", "sys._getframe"),
    ("import io\nimport sys\nsys.stderr = io.StringIO()", 3, "tampering", "sys.stderr"),
    ("import inspect\nsource = inspect.getsource(check_budget)", 1, "tampering", "inspect"),
    ("import gc\nobjects = gc.get_objects()", 1, "tampering", "gc"),
    ("import ctypes", 1, "tampering", "ctypes"),
    ("from importlib import reload", 1, "tampering", "importlib"),
    ("from unittest import mock\nmock.patch('numpy.testing.assert_allclose').start()", 1, "tampering", "mock"),
    ("exec('import numpy; numpy.isclose = print')", 1, "tampering", "exec"),
    ("rate = eval('0.13')", 1, "tampering", "eval"),
    ("code = compile('x = 1', 'cell', 'exec')", 1, "tampering", "compile"),
    ("__import__('numpy').isclose = print", 1, "tampering", "__import__"),
    ("globals()['check_budget'] = lambda frame: None", 1, "tampering", "globals"),
    ("vars()['check_budget'] = print", 1, "tampering", "vars"),
    ("setattr(np.testing, 'assert_allclose', print)", 1, "tampering", "setattr"),
    ("delattr(np, 'isclose')", 1, "tampering", "delattr"),
    ("namespace = check_budget.__globals__", 1, "tampering", "__globals__"),
    ("budget.__dict__['x'] = 1", 1, "tampering", "__dict__"),
    ("found = [c for c in ().__class__.__base__.__subclasses__()]", 1, "tampering", "__subclasses__"),
    ("name = '__glo' + 'bals__'\nspace = getattr(check_budget, name)", 2, "tampering", "getattr"),
    ("space = getattr(check_budget, '__globals__')", 1, "tampering", "__globals__"),
    ("import sys\ntry:\n    1 / 0\nexcept ZeroDivisionError:\n    frame = sys.exc_info()[2].tb_frame\n", 5,
     "tampering", "tb_frame"),
    ("class Answer(float):\n    def __eq__(self, other):\n        return True\nrate = Answer(0.1)", 2, "tampering",
     "compared with"),
    ("class Answer(float):\n    __eq__ = lambda self, other: True", 2, "tampering", "compared with"),
    ("import math\nfor module in [math]:\n    module.isclose = print", 2, "tampering", "module math"),
    ("match 1:\n    case check_budget:\n        pass", 2, "notice", "check_budget"),
    ("class Answer:\n    def __array_ufunc__(self, *args, **kwargs):\n        return True", 2, "tampering",
     "numpy's functions"),
    ("import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)", 1, "tampering", "time-outs"),
    ("from os import *", 1, "tampering", "every name of os"),
    ("x = " + "1 + " * 600 + "1", 1, "tampering", "too deeply"),
    ("import socket", 1, "network", "socket"),
    ("import urllib.request\nurllib.request.urlopen('https://example.org')", 1, "network", "urllib.request"),
    ("from http.client import HTTPSConnection", 1, "network", "http"),
    ("import requests", 1, "network", "requests"),
    ("import httpx", 1, "network", "httpx"),
    ("import aiohttp", 1, "network", "aiohttp"),
    ("import ssl", 1, "network", "ssl"),
    ("import ftplib", 1, "network", "ftplib"),
    ("import smtplib", 1, "network", "smtplib"),
    ("import asyncio\nreader = asyncio.open_connection('example.org', 80)", 2, "network", "asyncio.open_connection"),
    ("import subprocess\nsubprocess.run(['ls'])", 1, "process", "subprocess"),
    ("import os\nos.system('ls')", 2, "process", "os.system"),
    ("import os\nlisting = os.popen('ls').read()", 2, "process", "os.popen"),
    ("import os\nos.fork()", 2, "process", "os.fork"),
    ("import os\nos.kill(1, 9)", 2, "process", "os.kill"),
    ("import os\nos.killpg(1, 9)", 2, "process", "os.killpg"),
    ("from os import _exit\n_exit(0)", 1, "process", "os._exit"),
    ("import os\nos.execv('/bin/sh', ['sh'])", 2, "process", "os.execv"),
    ("import os\nos.spawnl(os.P_WAIT, '/bin/true')", 2, "process", "os.spawnl"),
    ("from multiprocessing import Process", 1, "process", "multiprocessing"),
    ("import pty", 1, "process", "pty"),
    ("import sys\nsys.exit(0)", 2, "process", "sys.exit"),
    ("if True:\n    exit()", 2, "process", "exit"),
    ("quit()", 1, "process", "quit"),
    ("def stop():\n    raise SystemExit", 2, "process", "SystemExit"),
]


@pytest.mark.parametrize(("answer", "line", "kind", "word"), HOSTILE, ids=[case[0][:40] for case in HOSTILE])
def test_hostile_code_in_an_answer_cell_is_found(answer, line, kind, word):
    findings = screen_notebook(exercise(answer))
    assert any(finding.cell == "answer" and finding.line == line and finding.kind == kind and word in finding.message
               for finding in findings), findings


HONEST = {
    "gross savings rate": '''
def gross_savings_rate(frame: pd.DataFrame) -> float:
    """Gross savings (revenue minus operating expenses) as a share of revenue, 0.12 = 12 %."""
    savings = frame["revenue"] - frame["operating_expenses"]
    return float(savings.sum() / frame["revenue"].sum())

rate = gross_savings_rate(budget)
print(f"Gross savings rate: {rate:.1%}")
''',
    "loan annuity": '''
import math

def annuity(principal: float, annual_rate: float, years: int) -> float:
    """Yearly payment of a fixed-rate loan, in euros."""
    if annual_rate == 0:
        return principal / years
    return principal * annual_rate / (1 - math.pow(1 + annual_rate, -years))

payment = round(annuity(2_000_000, 0.035, 20), 2)
assert math.isclose(payment, 140_723.23, rel_tol=1e-4)
''',
    "greedy participatory budgeting": '''
from dataclasses import dataclass, field

@dataclass(frozen=True)
class Project:
    name: str
    cost: float
    votes: int

def greedy_selection(projects: list[Project], envelope: float) -> list[str]:
    """Most-voted projects first, skipping those that no longer fit in the envelope (euros)."""
    chosen, left = [], envelope
    for project in sorted(projects, key=lambda p: (-p.votes, p.cost)):
        if project.cost <= left:
            chosen.append(project.name)
            left -= project.cost
    return chosen

ideas = [Project("bike lanes", 120_000, 340), Project("library hours", 45_000, 290), Project("park", 90_000, 120)]
selected = greedy_selection(ideas, 180_000)
''',
    "pandas method chain": '''
per_year = (
    budget.assign(savings=lambda d: d["revenue"] - d["operating_expenses"])
          .assign(rate=lambda d: d.savings / d.revenue)
          .groupby("year", as_index=False)
          .agg(rate=("rate", "mean"), revenue=("revenue", "sum"))
          .sort_values("year")
          .reset_index(drop=True)
)
per_year.head()
''',
    "new columns and renames on the learner's own table": '''
table = budget.copy()
table["savings"] = table["revenue"] - table["operating_expenses"]
table.loc[table["savings"] < 0, "savings"] = 0.0
table.columns = [column.replace("_", " ") for column in table.columns]
table.index.name = "row"
''',
    "reading a data file": '''
import os
import csv

path = os.path.join("data", "municipal_budget.csv")
if os.path.exists(path):
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
''',
    "a class with __init__ and its own attributes": '''
class Account:
    """A municipal account: its name and balance in euros."""

    def __init__(self, name: str, balance: float = 0.0) -> None:
        self.name = name
        self.balance = balance

    def __repr__(self) -> str:
        return f"Account({self.name!r}, {self.balance:.2f})"

class ReserveAccount(Account):
    def __init__(self, name: str) -> None:
        super().__init__(name, balance=0.0)
        self.kind = type(self).__name__
''',
    "comprehensions, dicts and list methods": '''
categories = {"schools": 410.0, "roads": 220.5, "culture": 80.25}
shares = {name: amount / sum(categories.values()) for name, amount in categories.items()}
largest = max(shares, key=shares.get)
ordered = sorted(categories, key=categories.get, reverse=True)
ordered.append("reserve")
labels = [f"{name}: {share:.0%}" for name, share in shares.items() if share > 0.1]
''',
    "standard library helpers": '''
from collections import Counter, defaultdict
from functools import reduce
from itertools import accumulate
import operator
import statistics

votes = Counter(["park", "park", "bike lanes"])
by_district = defaultdict(list)
by_district["north"].append(120)
running = list(accumulate([100, 250, 75]))
product = reduce(operator.mul, [1.02, 1.03, 1.01])
median_cost = statistics.median([45_000, 90_000, 120_000])
''',
    "decimals, fractions and dates": '''
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction
import datetime

tax = (Decimal("1234.567") * Decimal("0.05")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
share = Fraction(3, 8)
start = datetime.date(2024, 1, 1)
days = (datetime.date(2024, 12, 31) - start).days
''',
    "a plot": '''
%matplotlib inline
import matplotlib.pyplot as plt

plt.rcParams["figure.figsize"] = (8, 4)
fig, ax = plt.subplots()
ax.plot(budget["year"], budget["revenue"], label="revenue")
ax.set_title("Revenue per year")
ax.legend()
''',
    "imports repeated from the instructor's cell, and a self-check": '''
import numpy as np
import pandas as pd
from numpy.testing import assert_allclose

def gross_savings_rate(frame):
    return float((frame["revenue"] - frame["operating_expenses"]).sum() / frame["revenue"].sum())

assert_allclose(gross_savings_rate(budget), 0.1365, rtol=1e-2)
''',
    "a class that compares its objects properly": '''
from dataclasses import dataclass

@dataclass(frozen=True)
class Money:
    cents: int

    def __eq__(self, other):
        return isinstance(other, Money) and self.cents == other.cents

    def __lt__(self, other):
        return self.cents < other.cents
''',
    "builtin names as local variables and parameters": '''
def total(values, max=None):
    sum = 0
    for value in values:
        sum += value
    return sum if max is None else min(sum, max)

def describe(budget):
    return budget.describe()

result = [total(row) for row in [[1, 2], [3, 4]]]
''',
    "pandas display options and numpy helpers": '''
pd.options.display.float_format = "{:,.2f}".format
pd.set_option("display.max_rows", 20)
np.set_printoptions(precision=2)
rng = np.random.default_rng(42)
simulated = np.round(rng.normal(1200, 50, size=5), 2)
close = bool(np.isclose(simulated.mean(), 1200, atol=100))
''',
    "IPython's public display helpers": '''
from IPython.display import Markdown, display

display(Markdown(f"**Savings:** {budget['revenue'].sum() - budget['operating_expenses'].sum():,.0f} euros"))
''',
    "errors, asserts and typing": '''
from typing import NamedTuple, Optional

class Loan(NamedTuple):
    principal: float
    rate: float

def checked_rate(loan: Loan) -> Optional[float]:
    if loan.rate < 0:
        raise ValueError(f"a rate cannot be negative, got {loan.rate}")
    try:
        return loan.principal * loan.rate
    except TypeError:
        return None

assert checked_rate(Loan(1000.0, 0.02)) == 20.0, "2 % of 1 000 is 20"
''',
    "isinstance, getattr with a literal name and the __name__ guard": '''
def label(value):
    kind = getattr(value, "dtype", type(value))
    return isinstance(value, (int, float)), str(kind)

if __name__ == "__main__":
    print(label(3.5), label.__name__, label.__doc__)
''',
}


@pytest.mark.parametrize("answer", HONEST.values(), ids=HONEST.keys())
def test_honest_course_code_gives_no_finding(answer):
    assert screen_notebook(exercise(answer.strip() + "\n")) == []


def test_locked_and_test_cells_are_not_screened():
    hostile = "import subprocess\nexec('x = 1')\nget_ipython().run_line_magic('xmode', 'Minimal')\nlen = None\n"
    nb = new_notebook(cells=[setup_cell(SETUP + hostile), answer_cell("rate = 0.1365"),
                             graded_cell(TESTS + hostile)])
    assert screen_notebook(nb) == []
    assert learner_cells(nb) == [("answer", "rate = 0.1365")]


def test_learner_cells_are_solution_cells_and_cells_without_nbgrader_metadata():
    manual = new_code_cell("c = 3", metadata=nbgrader("manual", solution=True, grade=True))
    nb = new_notebook(cells=[new_markdown_cell("text"), setup_cell(), answer_cell("a = 1"), new_code_cell("b = 2"),
                             graded_cell(), manual])
    assert learner_cells(nb) == [("answer", "a = 1"), ("cell 4", "b = 2"), ("manual", "c = 3")]


def test_a_cell_marked_locked_without_a_grade_id_is_screened_since_nbgrader_cannot_restore_it():
    forged = new_code_cell("import subprocess", metadata={"nbgrader": {"locked": True, "solution": False}})
    nb = new_notebook(cells=[setup_cell(), forged])
    assert learner_cells(nb) == [("cell 2", "import subprocess")]
    assert [(finding.cell, finding.kind) for finding in screen_notebook(nb)] == [("cell 2", "process")]


def test_a_cell_without_grade_id_is_labelled_by_its_position_among_all_cells():
    nb = new_notebook(cells=[new_markdown_cell("intro"), setup_cell(), new_code_cell("x = 1\nimport socket")])
    assert screen_notebook(nb) == [Finding("cell 3", 2, "network", "imports socket: it opens network connections")]


def test_cells_that_do_not_parse_give_no_finding():
    nb = exercise("def broken(:\n    exec('import os')\n")
    nb.cells.append(new_code_cell("import subprocess\nx = (1,"))
    assert screen_notebook(nb) == []


def test_magics_and_shell_escapes_are_found_through_get_ipython():
    nb = exercise("%xmode Minimal\nrate = 0.1\n!pip install numpy==1.0\nfiles = !ls\n")
    nb.cells.append(new_code_cell("%%capture\nprint('hidden')\n"))
    findings = screen_notebook(nb)
    assert [(finding.cell, finding.line, finding.kind) for finding in findings] == [
        ("answer", 1, "tampering"), ("answer", 3, "tampering"), ("answer", 4, "tampering"), ("cell 5", 1, "tampering")]
    assert "magic `%xmode`" in findings[0].message
    assert "shell command `pip install numpy==1.0`" in findings[1].message
    assert "shell command `ls`" in findings[2].message
    assert "magic `%capture`" in findings[3].message


def test_matplotlib_inline_is_the_one_magic_left_alone():
    assert screen_notebook(exercise("%matplotlib inline\n")) == []
    assert len(screen_notebook(exercise("%matplotlib inline; exec('x')\n"))) == 1


def test_redefining_a_name_before_the_instructor_defines_it_changes_nothing_the_tests_see():
    nb = new_notebook(cells=[new_code_cell("def check_budget(frame):\n    return None"), setup_cell(), graded_cell()])
    assert screen_notebook(nb) == []


def test_instructor_imports_count_for_aliases_in_learner_cells():
    nb = new_notebook(cells=[setup_cell("import sys\nimport numpy.testing as npt"),
                             answer_cell("sys.settrace(None)\nnpt.assert_allclose = print")])
    assert [(finding.line, finding.kind) for finding in screen_notebook(nb)] == [(1, "tampering"), (2, "tampering")]


def test_findings_come_in_cell_then_line_order_with_kinds_from_kinds():
    nb = exercise("import subprocess\nimport socket\nexec('1')")
    nb.cells.insert(1, new_code_cell("import os\nos.system('ls')\nimport ctypes"))
    findings = screen_notebook(nb)
    assert [(finding.cell, finding.line, finding.kind) for finding in findings] == [
        ("cell 2", 2, "process"), ("cell 2", 3, "tampering"),
        ("answer", 1, "process"), ("answer", 2, "network"), ("answer", 3, "tampering")]
    assert {finding.kind for finding in findings} <= set(KINDS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        findings[0].line = 0


def test_screening_a_sixty_cell_notebook_takes_milliseconds():
    cells = [setup_cell()]
    for number in range(59):
        source = HONEST["gross savings rate"].replace("rate", f"rate_{number}")
        cells.append(answer_cell(source, f"answer_{number}") if number % 2 else new_code_cell(source))
    nb = new_notebook(cells=cells)
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        assert screen_notebook(nb) == []
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.05, f"best of five: {min(timings) * 1000:.1f} ms"


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("%!?()[]:=.'\"\\\n\t #xyz_0123456789abcdefimport")), max_size=80))
def test_any_submitted_text_is_screened_without_error(source):
    findings = screen_notebook(exercise(source))
    assert all(finding.kind in KINDS and finding.cell == "answer" for finding in findings)
