"""One batch of hostile and broken submissions, graded in the sandbox next to honest ones.

The batch must finish in bounded time; each submission gets the outcome of
:mod:`tests.autograder.hostile_submissions`; honest learners get their right scores; no secret (a
hidden test, the grader's environment, the instructor's files) reaches a feedback page, an outcome,
the export or the report; no file outside the submissions' own grading folders changes; nothing
reaches the network; and no process of a sandboxed kernel outlives the batch.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from autograder.outcomes import Outcome
from autograder.samples import filled, submit
from autograder.sandbox import SANDBOX_UID_BASE, probe
from tests.autograder import course_factory as factory
from tests.autograder.hostile_submissions import CASES, FAILED

#: A value in the grader's environment that learner code must never see.
SECRET_VALUE = "grader-secret-6f1d2a"
#: Words of the instructor's files that must never reach a learner-visible or exported result.
READ_ONLY_SECRETS = ["BEGIN SOLUTION", SECRET_VALUE, "instructor's private notes 93b7"]
SECRETS = [*factory.HIDDEN_LINES, "BEGIN HIDDEN TESTS", *READ_ONLY_SECRETS]
#: Time limits of this batch, in seconds: per cell, per notebook, and for the whole batch (34
#: submissions, two at a time; it takes about a minute and a half on two cores).
CELL_TIME_LIMIT = 10
NOTEBOOK_TIME_LIMIT = 40
BATCH_TIME_BOUND = 600

pytestmark = pytest.mark.skipif(probe() is not None, reason=f"the sandbox cannot run here: {probe()}")


class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it gets (there must be none)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.server.close()


def snapshot(course: Path, extra: list[Path]) -> dict[str, str]:
    """Hash of every file that grading must not change: the course but the grader's own outputs."""
    own = {course / "autograded", course / "feedback", course / "gradebook.db", course / "gradebook.db-journal"}
    hashes = {}
    for path in sorted(course.rglob("*")):
        if any(path == folder or folder in path.parents for folder in own) or not path.is_file() or path.is_symlink():
            continue
        hashes[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    for path in extra:
        hashes[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"
    return hashes


def fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Build the course and its submissions, grade them in one batch; return what a test checks."""
    base = tmp_path_factory.mktemp("hostile")
    course = factory.make_course(base / "course")
    # A cell time limit long enough for a fork bomb to meet the process limit (forking a kernel
    # takes tens of milliseconds), and short limits for the whole notebook and for ignored interrupts.
    (course / "nbgrader_config.py").open("a").write(
        f"c.Execute.timeout = {CELL_TIME_LIMIT}\nc.GradingExecute.notebook_timeout = {NOTEBOOK_TIME_LIMIT}\n"
        "c.GradingExecute.kill_after = 2\nc.Sandbox.process_limit = 64\n")
    factory.generate(course)
    home = base / "home"
    home.mkdir()
    (home / "instructor-notes.txt").write_text("instructor's private notes 93b7\n", encoding="utf-8")
    canary = Path("/tmp") / f"autograder-canary-{os.getpid()}.txt"
    canary.write_text("untouched\n", encoding="utf-8")
    listener = Listener()
    values = {"course": str(course), "port": str(listener.port), "canary": str(canary), "home": str(home)}
    paths = {"source_notebook": str(course / "source" / factory.ASSIGNMENT / f"{factory.NOTEBOOK}.ipynb")}
    released = nbformat.read(course / "release" / factory.ASSIGNMENT / f"{factory.NOTEBOOK}.ipynb", as_version=4)
    for case in CASES:
        answers = {**factory.ANSWERS, **{name: fill(code, values) for name, code in case.answers.items()}}
        folder = submit(course, factory.ASSIGNMENT, case.student, {factory.NOTEBOOK: released if case.released
                                                                   else filled(released, answers)})
        if case.change:
            case.change(folder, paths)
    before = snapshot(course, [canary, home / "planted.txt", base / "escaped.txt"])
    # Gradebook rows written before grading (the assignment) must not be touched by learner code.
    started = time.monotonic()
    result = factory.autograder(course, "grade", factory.ASSIGNMENT, "--jobs", "2",
                                extra_env={"GRADER_TOKEN": SECRET_VALUE, "HOME": str(home)}, timeout=BATCH_TIME_BOUND)
    seconds = time.monotonic() - started
    after = snapshot(course, [canary, home / "planted.txt", base / "escaped.txt"])
    listener.close()
    export = factory.autograder(course, "export", factory.ASSIGNMENT, "--csv", str(base / "scores.csv"))
    report = factory.autograder(course, "report", factory.ASSIGNMENT, "--out", str(base / "report"))
    leftovers = [p.info for p in psutil.process_iter(["pid", "uids", "status", "cmdline"])
                 if p.info["uids"] and p.info["uids"].real >= SANDBOX_UID_BASE
                 and p.info["status"] != psutil.STATUS_ZOMBIE]  # a zombie has ended: it only waits to be collected
    yield {
        "course": course, "result": result, "seconds": seconds, "before": before, "after": after,
        "listener": listener, "export": export, "report": report, "base": base, "leftovers": leftovers,
        "records": factory.outcome_records(course), "scores": factory.sqlite_scores(course),
    }
    canary.unlink(missing_ok=True)


def test_does_the_batch_finish_in_bounded_time(batch):
    assert batch["result"].returncode == 0, batch["result"].stderr[-3000:]
    assert set(batch["records"]) == {case.student for case in CASES}, "every submission has an outcome"
    assert batch["seconds"] < BATCH_TIME_BOUND


def outcome_text(record: dict) -> str:
    """All that the instructor reads about a submission."""
    return " ".join([record["reason"], Outcome.from_json(json.dumps(record)).what_happened()])


@pytest.mark.parametrize("case", CASES, ids=[case.student for case in CASES])
def test_does_each_submission_get_its_expected_outcome(batch, case):
    record = batch["records"][case.student]
    text = outcome_text(record)
    assert record["status"] == case.status, text
    for words in case.says:
        assert words in text, f"{case.student}: {words!r} not in {text!r}"
    if case.points is not None:
        automatic = sum(batch["scores"].get((case.student, part)) or 0 for part in ("test_square", "test_double"))
        assert automatic == case.points, f"{case.student}: {text}"
    if case.honest:
        assert not record.get("events") and not record.get("flags"), "nothing to report on an honest submission"


def test_are_the_honest_scores_those_of_a_batch_without_hostile_submissions(batch):
    honest = {case.student: case.points for case in CASES if case.honest}
    assert {student: sum(batch["scores"].get((student, part)) or 0 for part in ("test_square", "test_double"))
            for student in honest} == honest


def test_does_no_secret_reach_feedback_outcomes_export_or_report(batch):
    course, base = batch["course"], batch["base"]
    learner_visible = list((course / "feedback").rglob("*.html"))
    with_notebook = [case for case in CASES if case.status != FAILED and case.student != "missing_notebook"]
    assert len(learner_visible) == len(with_notebook)
    texts = {str(path): path.read_text(encoding="utf-8", errors="replace") for path in learner_visible}
    texts["outcomes"] = json.dumps(batch["records"])
    texts["summary"] = batch["result"].stdout
    texts["export"] = (base / "scores.csv").read_text(encoding="utf-8")
    texts["report"] = (base / "report" / "index.html").read_text(encoding="utf-8")
    leaks = [(where, secret) for where, text in texts.items() for secret in SECRETS if secret in text]
    # The instructor's graded copies show hidden tests in tracebacks by design; but what learner code
    # printed there must hold nothing it could only have read from the instructor's files or memory.
    for path in (course / "autograded").rglob("*.ipynb"):
        outputs = json.dumps([cell.get("outputs", []) for cell in nbformat.read(path, as_version=4).cells])
        leaks += [(str(path), secret) for secret in READ_ONLY_SECRETS if secret in outputs]
    assert not leaks


def test_does_no_file_outside_the_submission_folders_change(batch):
    changed = {path for path in set(batch["before"]) | set(batch["after"])
               if batch["before"].get(path) != batch["after"].get(path)}
    assert not changed


def test_does_no_connection_leave_the_sandbox(batch):
    assert batch["listener"].connections == 0


def test_does_no_sandboxed_process_outlive_the_batch(batch):
    assert batch["leftovers"] == []


def test_does_the_instructor_read_what_happened_in_summary_export_and_report(batch):
    summary = batch["result"].stdout
    held = sum(1 for case in CASES if "Held for review" in case.says)
    assert f"| held for review (code that may change how the tests run) | {held} |" in summary
    assert "| Learner | What happened |" in summary and "fork_bomb" in summary
    rows = {row["student"]: row for row in csv.DictReader((batch["base"] / "scores.csv").open(encoding="utf-8"))
            if row["part"] == "total"}
    assert "put back" in rows["deleted_test"]["what_happened"]
    assert "Held for review" in rows["patches_numpy"]["what_happened"]
    report = (batch["base"] / "report" / "index.html").read_text(encoding="utf-8")
    assert "What the grader noticed" in report and "kernel stopped" in report


def test_does_grading_refuse_to_run_unsandboxed_unless_asked(tmp_path):
    """Where the sandbox cannot start (here: the grader run without root rights, in a user
    namespace of its own), grading stops and says how to go on; --no-sandbox grades with a warning."""
    course = factory.make_course(tmp_path / "course")
    factory.generate(course)
    factory.submit_all(course, {"correct": {}})
    command = ["unshare", "--user", sys.executable, "-m", "autograder.cli", "--course", str(course), "grade",
               factory.ASSIGNMENT]
    env = factory.environment()
    refused = subprocess.run(command, cwd=course, env=env, capture_output=True, text=True, timeout=300)
    assert refused.returncode == 2, refused.stderr[-3000:]
    assert "sandbox cannot start" in refused.stderr and "--no-sandbox" in refused.stderr
    assert not (course / "autograded" / "correct").exists()
    allowed = subprocess.run([*command, "--no-sandbox"], cwd=course, env=env, capture_output=True, text=True,
                             timeout=300)
    assert allowed.returncode == 0, allowed.stderr[-3000:]
    assert "WARNING: the sandbox is off" in allowed.stderr
    assert "The sandbox was OFF" in allowed.stdout
    assert factory.outcome_records(course)["correct"]["status"] == "needs manual grading"
