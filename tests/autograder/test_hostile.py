"""One batch of hostile and broken submissions, graded in the sandbox next to honest ones.

The batch must finish in bounded time; each submission gets the outcome of
:mod:`tests.autograder.hostile_submissions`; honest learners get their right scores; no secret (a
hidden test, the grader's environment, the instructor's files) reaches a feedback page, an outcome,
the export or the report; no file outside the submissions' own grading folders changes; nothing
reaches the network; and no process of a sandboxed kernel outlives the batch.
"""

from __future__ import annotations

import base64
import codecs
import csv
import hashlib
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from autograder.pipeline.outcomes import Outcome
from autograder.samples import filled, submit
from autograder.isolation import SANDBOX_UID_BASE, sandbox_uid
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


def leak_forms(line: str) -> list[str]:
    """A hidden line as the hostile submissions write it out: plain, and encoded four ways."""
    return [line, base64.b64encode(line.encode()).decode(), line.encode().hex(), codecs.encode(line, "rot13"), line[::-1]]


def leftover_daemon() -> subprocess.Popen:
    """A process under the user id of a kernel whose keeper has ended, as a grader killed in the
    middle of a run would leave: the next run must stop it before a kernel may get that id."""
    ended = subprocess.Popen(["true"])
    ended.wait()
    uid = sandbox_uid(ended.pid)

    def become_the_leftover() -> None:
        os.setsid()
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)

    return subprocess.Popen(["sleep", "600"], preexec_fn=become_the_leftover)


def grade_while_watching(course: Path, base: Path, env: dict[str, str]) -> dict:
    """Grade the batch in a process of its own while, as an instructor would, a second grading run
    is started and the gradebook is read; return what happened."""
    out, err = base / "grade.out", base / "grade.err"
    command = [sys.executable, "-m", "autograder.cli", "--course", str(course), "grade", factory.ASSIGNMENT, "--jobs", "2"]
    lock = course / "autograded" / ".autograder" / f"{factory.ASSIGNMENT}.lock"
    second, reads, read_errors = None, 0, []
    started = time.monotonic()
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(command, cwd=course, env=factory.environment(env), stdout=stdout, stderr=stderr)
        while process.poll() is None and time.monotonic() - started < BATCH_TIME_BOUND:
            if second is None and lock.exists() and lock.read_text().strip():
                second = factory.autograder(course, "grade", factory.ASSIGNMENT)
            if (course / "gradebook.db").exists():
                try:
                    with sqlite3.connect(course / "gradebook.db", timeout=0.05) as connection:
                        connection.execute("select count(*) from grade").fetchone()
                    reads += 1
                except sqlite3.OperationalError as error:
                    read_errors.append(str(error))
            time.sleep(0.2)
        if process.poll() is None:
            process.kill()
        process.wait()
    result = subprocess.CompletedProcess(command, process.returncode, out.read_text(), err.read_text())
    return {"result": result, "seconds": time.monotonic() - started, "second": second, "reads": reads,
            "read_errors": read_errors}


def snapshot(course: Path, extra: list[Path]) -> dict[str, str]:
    """Hash of every file that grading must not change: the course but the grader's own outputs."""
    own = {course / "autograded", course / "feedback", course / "gradebook.db", course / "gradebook.db-journal",
           course / "gradebook.db-wal", course / "gradebook.db-shm"}
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
    daemon = leftover_daemon()
    graded = grade_while_watching(course, base, {"GRADER_TOKEN": SECRET_VALUE, "HOME": str(home)})
    result, seconds = graded["result"], graded["seconds"]
    daemon_left = daemon.poll() is None
    if daemon_left:
        daemon.kill()
    daemon.wait()
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
        "graded": graded, "daemon_left": daemon_left,
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


# --------------------------------------------------------------------------- issue 15's findings
def feedback_text(course: Path, student: str) -> str:
    return (course / "feedback" / student / factory.ASSIGNMENT / f"{factory.NOTEBOOK}.html").read_text(encoding="utf-8")


def autograded_outputs(course: Path, student: str) -> list[dict]:
    notebook = nbformat.read(course / "autograded" / student / factory.ASSIGNMENT / f"{factory.NOTEBOOK}.ipynb",
                             as_version=4)
    return [output for cell in notebook.cells for output in cell.get("outputs", [])]


def printed(course: Path, student: str) -> str:
    return "".join(output.get("text", "") for output in autograded_outputs(course, student))


LEAKERS = [case.student for case in CASES if case.student.startswith("leaks_")]


@pytest.mark.parametrize("student", LEAKERS)
def test_does_no_feedback_carry_a_hidden_test_in_any_form_the_learner_wrote_it(batch, student):
    """Finding 1: learner code reads the hidden tests from the kernel and writes them out, plain,
    in base64, hex, rot13 or reversed, in prints, error messages, error names or a later cell."""
    text = feedback_text(batch["course"], student)
    for line in factory.HIDDEN_LINES:
        for form in leak_forms(line):
            assert form not in text, f"{student}: {form!r}"
    assert "keep hidden tests hidden" in text, "the page says why outputs are missing"


def test_do_the_leaking_submissions_really_get_hidden_tests_out_of_the_kernel(batch):
    """The positive control of the test above: in the instructor's graded copy, the leaks are there."""
    course = batch["course"]
    assert base64.b64encode(factory.HIDDEN_LINES[0].encode()).decode() in printed(course, "leaks_printed")
    assert factory.HIDDEN_LINES[0][::-1] in printed(course, "leaks_in_later_cell")
    errors = [output for output in autograded_outputs(course, "leaks_in_message") if output["output_type"] == "error"]
    assert any(factory.HIDDEN_LINES[0] in output["evalue"] for output in errors)


def test_does_a_failing_hidden_test_show_the_courses_message_and_no_learner_text(batch):
    text = feedback_text(batch["course"], "hidden_fail")
    assert "double(0.5) should be 1.0: decimals too" in text and "Not passed: 0 of 1 points" in text
    assert "Your code raised an error while the checks of this part ran." in feedback_text(batch["course"],
                                                                                            "leaks_in_error_name")


def test_does_one_submission_stay_within_its_memory_however_many_processes_it_starts(batch):
    """Finding 2: six processes of 900 MB each; per-process limits let them all live."""
    alive = re.search(r"children alive: (\d+)", printed(batch["course"], "many_processes"))
    assert alive, printed(batch["course"], "many_processes")[-2000:]
    assert int(alive.group(1)) * 900 <= 2048


def test_does_feedback_say_in_plain_words_that_the_memory_limit_stopped_the_kernel(batch):
    text = feedback_text(batch["course"], "kernel_past_memory")
    assert "Your code used more than 2048 MB of memory, the limit for one submission" in text


def test_are_escapes_refused_and_the_hubs_users_out_of_sight(batch):
    """Finding 7: no user namespace, no ptrace, no mount; /etc/passwd lists no learner of the hub."""
    text = printed(batch["course"], "tries_to_escape")
    for what in ("user-namespace", "ptrace", "mount"):
        assert f"escape {what} refused" in text, text
    assert "escape users ['learner', 'nobody', 'root']" in text


def test_are_errors_after_the_output_cut_capped_in_number(batch):
    errors = [output for output in autograded_outputs(batch["course"], "floods_errors") if output["output_type"] == "error"]
    assert 1 <= len(errors) <= 30


def test_is_a_process_left_under_a_sandbox_user_id_stopped_before_grading(batch):
    """Finding 6: a daemon of a killed grader's kernel cannot share its user id with a new kernel."""
    assert not batch["daemon_left"]


def test_does_a_second_grading_run_of_the_same_assignment_stop_with_a_clear_message(batch):
    """Finding 8: one grading run per assignment at a time."""
    second = batch["graded"]["second"]
    assert second is not None, "the batch ran long enough to be run twice"
    assert second.returncode == 2, second.stderr[-2000:]
    assert "tiny_01 cannot be graded now: `autograder grade` is grading it" in second.stderr
    assert "nothing was graded by this run" in second.stderr


def test_can_the_gradebook_be_read_while_the_batch_writes_it(batch):
    """Finding 8: in write-ahead-log mode, a reader (the formgrader) never meets a locked gradebook."""
    assert batch["graded"]["reads"] > 10
    assert batch["graded"]["read_errors"] == []

