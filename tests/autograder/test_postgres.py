"""Grading into a PostgreSQL gradebook (nbgrader's ``db_url``), on a real server.

The test starts its own PostgreSQL from Debian's packages (``/usr/lib/postgresql/*/bin``) on a free
port of 127.0.0.1, in a temporary folder, as the ``postgres`` user when run as root (PostgreSQL
refuses to run as root; the user is created if it does not exist), and stops it at the end.
"""

from __future__ import annotations

import csv
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.autograder import course_factory as factory
from tests.conftest import free_port

pytestmark = pytest.mark.slow

LEARNERS = {
    "correct": {},
    "hidden_fail": factory.SUBMISSIONS["hidden_fail"],
    "visible_fail": factory.SUBMISSIONS["visible_fail"],
    "name_error": factory.SUBMISSIONS["name_error"],
    **{f"also_correct_{number}": {} for number in range(1, 5)},
}
EXPECTED = {"correct": (2, 1), "hidden_fail": (2, 0), "visible_fail": (0, 1), "name_error": (0, 1),
            **{f"also_correct_{number}": (2, 1) for number in range(1, 5)}}


def postgres_binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        pytest.fail("PostgreSQL is not installed: `make install-test` installs Debian's postgresql package")
    return Path(found[-1]).parent


def server_user() -> tuple[int, int] | None:
    """(uid, gid) to run the server as, or None when this process is not root."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"],
                       check=True)
        entry = pwd.getpwnam("postgres")
    return entry.pw_uid, entry.pw_gid


@pytest.fixture(scope="module")
def database_url():
    binaries = postgres_binaries()
    user = server_user()
    folder = Path(tempfile.mkdtemp(prefix="autograder-postgres-"))
    identity = {"user": user[0], "group": user[1], "extra_groups": []} if user else {}
    if user:
        os.chown(folder, *user)
    data = folder / "data"
    subprocess.run([binaries / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "--no-sync"],
                   check=True, capture_output=True, **identity)
    port = free_port()
    server = subprocess.Popen(
        [binaries / "postgres", "-D", data, "-p", str(port), "-h", "127.0.0.1", "-k", folder, "-F"],
        stdout=subprocess.DEVNULL, stderr=(folder / "server.log").open("w"), **identity,
    )
    try:
        deadline = time.monotonic() + 60
        while subprocess.run([binaries / "pg_isready", "-h", "127.0.0.1", "-p", str(port)],
                             capture_output=True).returncode != 0:
            assert server.poll() is None, (folder / "server.log").read_text()
            assert time.monotonic() < deadline, "PostgreSQL did not start in a minute"
            time.sleep(0.2)
        subprocess.run([binaries / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "gradebook"],
                       check=True, capture_output=True)
        yield f"postgresql://postgres@127.0.0.1:{port}/gradebook"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def graded(database_url, tmp_path_factory):
    course = factory.make_course(tmp_path_factory.mktemp("postgres") / "course", db_url=database_url)
    factory.generate(course)
    factory.submit_all(course, LEARNERS)
    result = factory.autograder(course, "grade", factory.ASSIGNMENT, "--jobs", "2")
    return course, result


def test_does_grade_write_its_scores_into_postgresql(graded, database_url):
    course, result = graded
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (course / "gradebook.db").exists(), "nothing was written to an SQLite file instead"
    scores = factory.sqlite_scores(course, db_url=database_url)
    found = {learner: (scores[learner, "test_square"], scores[learner, "test_double"]) for learner in LEARNERS}
    assert found == EXPECTED


def test_does_export_read_the_scores_from_postgresql(graded, tmp_path):
    course, _ = graded
    target = tmp_path / "scores.csv"
    result = factory.autograder(course, "export", factory.ASSIGNMENT, "--csv", str(target))
    assert result.returncode == 0, result.stderr[-3000:]
    totals = {row["student"]: row["score"] for row in csv.DictReader(target.open()) if row["part"] == "total"}
    assert totals == {learner: str(sum(points)) for learner, points in EXPECTED.items()}
