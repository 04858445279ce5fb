"""Collection that refuses forged submissions (autograder/exchange_collect.py), without a hub.

Inbound entries are made as a learner would make them, then handed to the learners' uids with
``chown`` (the tests run as root, as CI does). The hub tests (tests/hub/test_hub.py) attack a live
hub the same way, as a learner with a terminal.
"""

from __future__ import annotations

import json
import os
import pwd
from pathlib import Path

import pytest
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from autograder import exchange_collect
from autograder.exchange_collect import OwnerCheckedCollect

COURSE, ASSIGNMENT = "civics", "budgeting_01"
UIDS = {"alice": 20001, "bob": 20002}
EARLY, LATE = "2026-11-02 09:00:00.000000 UTC", "2026-11-02 10:00:00.000000 UTC"


@pytest.fixture(autouse=True)
def as_root():
    if os.geteuid() != 0:
        pytest.fail("These tests give files to other uids: run them as root (as CI does).")


@pytest.fixture
def exchange(tmp_path) -> Path:
    inbound = tmp_path / "exchange" / COURSE / "inbound"
    inbound.mkdir(parents=True)
    (tmp_path / "course").mkdir()
    return tmp_path / "exchange"


def submit(exchange: Path, claimed: str, timestamp: str, owner: int, answer: str, tag: str = "x") -> Path:
    """An inbound entry named for ``claimed``, made by the uid ``owner``."""
    entry = exchange / COURSE / "inbound" / f"{claimed}+{ASSIGNMENT}+{timestamp}+{tag}"
    entry.mkdir()
    (entry / "timestamp.txt").write_text(timestamp)
    (entry / f"{ASSIGNMENT}.ipynb").write_text(answer)
    for path in [entry, *entry.iterdir()]:
        os.lchown(path, owner, owner)
    return entry


def collect(exchange: Path, learner_uids: Path | None = None, update: bool = True) -> list[str]:
    """Run the course's collect; return its log lines."""
    config = Config()
    config.CourseDirectory.root = str(exchange.parent / "course")
    config.CourseDirectory.course_id = COURSE
    config.CourseDirectory.assignment_id = ASSIGNMENT
    config.Exchange.root = str(exchange)
    config.Exchange.path_includes_course = True
    if learner_uids is not None:
        config.OwnerCheckedCollect.learner_uids = str(learner_uids)
    collector = OwnerCheckedCollect(coursedir=CourseDirectory(config=config), authenticator=Authenticator(config=config),
                                    config=config)
    collector.update = update
    lines = []

    class Keep:
        level = 0

        def handle(self, record):
            lines.append(f"[{record.levelname}] {record.getMessage()}")

    keep = Keep()
    collector.log.addHandler(keep)
    try:
        collector.start()
    finally:
        collector.log.removeHandler(keep)
    return lines


def collected(exchange: Path, student: str) -> str:
    return (exchange.parent / "course" / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()


def report(exchange: Path) -> list[str]:
    return (exchange.parent / "course" / exchange_collect.REPORT_NAME).read_text().splitlines()


@pytest.fixture
def uid_record(exchange) -> Path:
    """The hub's record of learners' uids, as on Kubernetes."""
    path = exchange / ".hub" / "learner-uids.json"
    path.parent.mkdir()
    path.write_text(json.dumps(UIDS))
    return path


def test_an_entry_in_a_classmates_name_is_refused_reported_and_the_classmates_work_is_collected(exchange, uid_record):
    submit(exchange, "alice", EARLY, UIDS["alice"], "alice's answers")
    forged = submit(exchange, "alice", LATE, UIDS["bob"], "bob's answers", tag="forged")
    log = collect(exchange, uid_record)
    assert collected(exchange, "alice") == "alice's answers"
    errors = [line for line in log if line.startswith("[ERROR]") and str(forged) in line]
    assert errors and "alice" in errors[0] and "uid 20002" in errors[0], log
    assert len(report(exchange)) == 1 and str(forged) in report(exchange)[0]


def test_a_forged_entry_never_replaces_work_already_collected_and_is_reported_once(exchange, uid_record):
    submit(exchange, "alice", EARLY, UIDS["alice"], "alice's answers")
    collect(exchange, uid_record)
    submit(exchange, "alice", LATE, UIDS["bob"], "bob's answers", tag="forged")
    collect(exchange, uid_record, update=True)
    collect(exchange, uid_record, update=True)
    assert collected(exchange, "alice") == "alice's answers"
    assert len(report(exchange)) == 1


def test_a_forged_entry_alone_collects_nothing_for_the_classmate(exchange, uid_record):
    submit(exchange, "alice", LATE, UIDS["bob"], "bob's answers", tag="forged")
    collect(exchange, uid_record)
    assert not (exchange.parent / "course" / "submitted" / "alice").exists()


def test_a_link_in_a_learners_own_entry_is_refused_so_the_grader_never_copies_what_it_points_to(exchange, uid_record, tmp_path):
    submit(exchange, "bob", EARLY, UIDS["bob"], "bob's answers")
    solutions = tmp_path / "course" / "solutions.ipynb"
    solutions.write_text("the solutions")
    entry = submit(exchange, "bob", LATE, UIDS["bob"], "", tag="link")
    (entry / f"{ASSIGNMENT}.ipynb").unlink()
    (entry / f"{ASSIGNMENT}.ipynb").symlink_to(solutions)
    os.lchown(entry / f"{ASSIGNMENT}.ipynb", UIDS["bob"], UIDS["bob"])
    log = collect(exchange, uid_record)
    assert collected(exchange, "bob") == "bob's answers"
    assert any(line.startswith("[ERROR]") and "not a plain file" in line for line in log), log


def test_an_entry_for_a_name_with_no_known_uid_is_refused(exchange, uid_record):
    submit(exchange, "mallory", EARLY, UIDS["bob"], "bob's answers")
    log = collect(exchange, uid_record)
    assert not (exchange.parent / "course" / "submitted" / "mallory").exists()
    assert any(line.startswith("[ERROR]") and "no uid is known for mallory" in line for line in log), log


def test_on_one_machine_the_owner_must_be_the_learners_unix_account(exchange):
    daemon, nobody = pwd.getpwnam("daemon").pw_uid, pwd.getpwnam("nobody").pw_uid
    submit(exchange, "daemon", EARLY, daemon, "daemon's answers")
    submit(exchange, "daemon", LATE, nobody, "nobody's answers", tag="forged")
    log = collect(exchange)
    assert collected(exchange, "daemon") == "daemon's answers"
    assert any(line.startswith("[ERROR]") and "nobody" in line for line in log), log


def test_without_the_hubs_uid_record_collect_stops_and_says_why(exchange):
    submit(exchange, "alice", EARLY, UIDS["alice"], "alice's answers")
    with pytest.raises(Exception):
        collect(exchange, exchange / ".hub" / "learner-uids.json")
    assert not (exchange.parent / "course" / "submitted").exists()


def test_is_a_long_platform_name_given_a_unix_name_that_fits_and_stays_distinct():
    short = "learner1"
    long_names = ["a-very-long-platform-user-name-from-moodle@example.org",
                  "a-very-long-platform-user-name-from-moodle@example.net"]
    assert exchange_collect.short_unix_name(short) == short
    assert exchange_collect.short_unix_name("a" * 32) == "a" * 32
    made = [exchange_collect.short_unix_name(name) for name in long_names]
    assert all(len(name) == 32 and name.startswith(long_names[0][:25] + "-") for name in made)
    assert made[0] != made[1], "two learners whose names differ after the cut keep two accounts"
