"""A real JupyterHub on loopback, driven over HTTP as browsers would: one instructor, three learners,
two courses, and every learner a real Unix user.

The module starts its own hub (``deploy/hub.py``) on free ports with its own state folder under /srv
and its own accounts (``hubtest-*``), so it neither needs nor disturbs ``make hub``'s demo. The
workflow runs once, in the fixtures: the instructor releases the exercise of both courses, the
learners launch a lesson through the site's nbgitpuller link, fetch the exercise, answer and submit;
the instructor collects and grades course A in the formgrader, the hub restarts, the instructor grades
course B with the course's autograder and returns feedback, and the learners fetch it. Each test then asks one question about the result.

Learners also attack the hub along the way, as anyone with a terminal in their JupyterLab could
(``as_user``): before the release, one tries to take a course's place in the exchange; before the
collection, one hands in work under a classmate's name and a link to the solutions under their own.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from course_hub.hub_client import HubUser
from course_hub.launch_link import nbgitpuller_link
from deploy.hub import Hub, marked_processes
from deploy.setup.course_settings import course_folder
from deploy.setup.courses import first_lesson
from deploy.setup.environment import ENVIRONMENT
from deploy.setup.machine import set_up
from tests.conftest import COURSE_ROOT
from tests.hub.memory import found_in_memory, processes_of

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

COURSE_A, COURSE_B = "local-governance", "local-governance-2027"
ASSIGNMENT = "budgeting_01"
TEACHER = "hubtest-teacher"
LEARNER_1, LEARNER_2, LEARNER_3 = "hubtest-learner1", "hubtest-learner2", "hubtest-learner3"
COHORT = {
    "courses": {
        COURSE_A: {"instructors": [TEACHER], "learners": [LEARNER_1, LEARNER_2]},
        COURSE_B: {"instructors": [TEACHER], "learners": [LEARNER_3]},
    }
}
COURSE_OF = {LEARNER_1: COURSE_A, LEARNER_2: COURSE_A, LEARNER_3: COURSE_B}
#: A course that is not set up on the hub (yet): its exchange folder must not be a learner's to make.
FUTURE_COURSE = "local-governance-2028"
#: Learners 1 and 3 answer every question (20 automatic points of 25); learner 2 submits the
#: exercise as fetched (0 points).
EXPECTED_SCORE = {LEARNER_1: 20.0, LEARNER_2: 0.0, LEARNER_3: 20.0}


def as_user(name: str, command: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run a shell command as the Unix user ``name`` (what that user could do in a terminal)."""
    return subprocess.run(["su", name, "-s", "/bin/sh", "-c", command], capture_output=True, text=True, timeout=timeout)


def answered(notebook: dict, source: dict) -> dict:
    """The fetched ``notebook`` with every solution cell of the instructor's ``source`` filled in."""
    solutions = {}
    for cell in source["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            text = "".join(cell["source"])
            solutions[meta["grade_id"]] = "\n".join(
                line for line in text.split("\n") if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
            )
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in solutions:
            cell["source"] = solutions[grade_id]
    return notebook


@pytest.fixture(scope="module")
def hub_state(hub_machine_lock):
    """A fresh state folder and fresh test accounts, set up as ``make hub`` does."""
    if os.geteuid() != 0:
        pytest.fail("The hub tests create Unix users: run them as root (as CI does).")
    for name in (TEACHER, LEARNER_1, LEARNER_2, LEARNER_3):
        home = Path(f"/home/{name}")
        if home.exists():  # a previous run's homes: start from empty ones
            shutil.rmtree(home)
    state = Path(tempfile.mkdtemp(prefix="local-governance-hub-test-", dir="/srv"))
    try:
        yield state, set_up(state, COHORT, log=lambda message: None)
    finally:
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="module")
def hub(hub_state):
    state, _ = hub_state
    running = Hub.on_free_ports(state, courses=len(COHORT["courses"]))
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def people(hub, hub_state):
    """Everyone logged in through the login form, with a token of their own."""
    _, settings = hub_state
    users = {}
    for name, password in settings["passwords"].items():
        user = HubUser(hub.url, name, password)
        user.login()
        user.create_token()
        users[name] = user
    return users


@pytest.fixture(scope="module")
def lesson(hub_state) -> str:
    """The first lesson of the published course (its path in the repository)."""
    _, settings = hub_state
    return first_lesson(Path(settings["repository"]))


@pytest.fixture(scope="module")
def launched(hub, hub_state, people, lesson):
    """Each learner clicks the first lesson's launch link; the JupyterLab address it opened."""
    _, settings = hub_state
    link = nbgitpuller_link(hub.url, settings["repository"], settings["branch"], lesson)
    return {name: people[name].launch(link) for name in COURSE_OF}


def squat_the_exchange(exchange: Path) -> dict[str, subprocess.CompletedProcess]:
    """Learner 1 tries to take courses' places in the exchange before their instructors release."""
    attempts = {
        "create the exchange folder of a course not set up yet": f"mkdir {exchange / FUTURE_COURSE}",
        "create a released exercise's folder in another course": f"mkdir -p {exchange / COURSE_B / 'outbound' / ASSIGNMENT}",
        "move another course's exchange folder away": f"mv {exchange / COURSE_B} {exchange / 'moved'}",
    }
    return {what: as_user(LEARNER_1, command) for what, command in attempts.items()}


def forge_submissions(exchange: Path, course: Path) -> subprocess.CompletedProcess:
    """Learner 2 hands in their own (unanswered) notebook under learner 1's name, newer than learner
    1's submission, and a link to the instructors' solutions under their own name."""
    inbound = exchange / COURSE_A / "inbound"
    solutions = course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    script = f"""
        set -e
        now=$(date -u '+%Y-%m-%d %H:%M:%S.%6N UTC')
        forged="{inbound}/{LEARNER_1}+{ASSIGNMENT}+$now+forged"
        cp -r /home/{LEARNER_2}/{COURSE_A}/{ASSIGNMENT} "$forged"
        echo "$now" > "$forged/timestamp.txt"
        linked="{inbound}/{LEARNER_2}+{ASSIGNMENT}+$now+linked"
        mkdir "$linked"
        ln -s {solutions} "$linked/{ASSIGNMENT}.ipynb"
        echo "$now" > "$linked/timestamp.txt"
    """
    return as_user(LEARNER_2, script)


@pytest.fixture(scope="module")
def workflow(hub, hub_state, people, launched):
    """Release, fetch, answer, submit, grade (with a hub restart in the middle), return feedback."""
    teacher = people[TEACHER]
    exchange = hub.state / "exchange"
    record = {"lists_before_release": {}, "scores_before_restart": {}, "scores_after_restart": {}}
    record["squatting"] = squat_the_exchange(exchange)
    for course_id in (COURSE_A, COURSE_B):
        teacher.formgrader_action(course_id, f"assignment/{ASSIGNMENT}/assign")
        teacher.formgrader_action(course_id, f"assignment/{ASSIGNMENT}/release")

    source = json.loads((COURSE_ROOT / "exercises" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    record["other_course_lists"] = {
        LEARNER_2: people[LEARNER_2].assignments(COURSE_B),
        LEARNER_3: people[LEARNER_3].assignments(COURSE_A),
    }
    for name, course_id in COURSE_OF.items():
        learner = people[name]
        learner.assignment_action("fetch", course_id, ASSIGNMENT)
        path = f"{course_id}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
        if EXPECTED_SCORE[name] > 0:
            notebook = learner.read_file(path).json()["content"]
            learner.write_notebook(path, answered(notebook, source))
        learner.assignment_action("submit", course_id, ASSIGNMENT)

    # The hub's grading service grades each submission as it arrives (instant feedback, see
    # test_self_paced.py); the instructor here works once it is done, as the formgrader asks an
    # instructor who autogrades at the same moment to try again.
    wait_for_instant_feedback(hub.state, len(COURSE_OF))
    record["forgery"] = forge_submissions(exchange, course_folder(hub.state, COURSE_A))
    record["collect_a"] = teacher.formgrader_action(COURSE_A, f"assignment/{ASSIGNMENT}/collect")
    for name in (LEARNER_1, LEARNER_2):
        teacher.formgrader_action(COURSE_A, f"submission/{ASSIGNMENT}/{name}/autograde")
    record["scores_before_restart"] = scores(teacher, COURSE_A)

    # The hub restarts (every server stops with it); the courses and the exchange stay on disk.
    record["left_after_stop"] = hub.stop()
    hub.start()
    for name in COURSE_OF:
        people[name].start_server()
    for name in COURSE_OF:
        people[name].wait_until_ready()
    record["scores_after_restart"] = scores(teacher, COURSE_A)

    # Course B is graded with the course's autograder, --jobs submissions at once, each in its sandbox:
    # run by root (the machine's administrator or a grading service: the sandbox needs root rights),
    # it hands what it writes back to the course's grader account, which the formgrader runs as.
    teacher.formgrader_action(COURSE_B, f"assignment/{ASSIGNMENT}/collect")
    course_b = course_folder(hub.state, COURSE_B)
    record["autograder"] = subprocess.run(
        ["sh", "-c", f"cd {course_b} && PATH={ENVIRONMENT}/venv/bin:$PATH "
                     f"python -m autograder.cli grade {ASSIGNMENT} --jobs 2"],
        capture_output=True, text=True, timeout=300)
    record["owned_by_root_after_grading"] = [str(path) for path in Path(course_b).rglob("*")
                                             if path.lstat().st_uid == 0]
    for course_id in (COURSE_A, COURSE_B):
        teacher.formgrader_action(course_id, f"assignment/{ASSIGNMENT}/generate_feedback")
        teacher.formgrader_action(course_id, f"assignment/{ASSIGNMENT}/release_feedback")
    record["scores_b"] = scores(teacher, COURSE_B)
    for name, course_id in COURSE_OF.items():
        people[name].assignment_action("fetch_feedback", course_id, ASSIGNMENT)
    return record


def wait_for_instant_feedback(state: Path, count: int, timeout: float = 180) -> None:
    """Wait until the hub's grading service has dealt with ``count`` submissions, in all courses."""
    from autograder.course import Course
    from autograder.selfpaced import store as states

    stores = [states.store_of(Course.open(course_folder(state, course_id))) for course_id in (COURSE_A, COURSE_B)]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        entries = [entry for store in stores for entry in store.entries()]
        if len(entries) >= count and not any(entry.state in states.WAITING for entry in entries):
            return
        time.sleep(0.5)
    raise AssertionError(f"the grading service did not finish within {timeout} s")


def scores(teacher: HubUser, course_id: str) -> dict[str, float]:
    response = teacher.formgrader("GET", course_id, f"api/submissions/{ASSIGNMENT}")
    assert response.status_code == 200, response.text[:500]
    return {row["student"]: row["score"] for row in response.json() if row["submitted"]}


def feedback_files(learner: HubUser, course_id: str) -> list[str]:
    """Every feedback file in the learner's home, for the course's exercise."""
    found = []
    folder = f"{course_id}/{ASSIGNMENT}/feedback"
    listing = learner.server("GET", f"api/contents/{folder}").json()
    for submission in listing.get("content") or []:
        for item in learner.server("GET", f"api/contents/{submission['path']}").json()["content"]:
            found.append(item["path"])
    return found


# --- Logging in and launching a lesson ----------------------------------------------------------

def test_every_learner_logs_in_and_the_launch_link_opens_a_working_jupyterlab(people, launched, lesson):
    for name, lab_url in launched.items():
        assert lab_url == people[name].server_url(f"lab/tree/course/{lesson}")
        assert people[name].lab_is_working(), f"{name}'s JupyterLab does not answer"
        page = people[name].browse(lab_url)
        assert page.status_code == 200 and "jupyter-config-data" in page.text


def test_the_launch_link_pulls_the_learners_branch_without_solutions_or_tests(people, launched, lesson):
    learner = people[LEARNER_1]
    assert learner.read_file(f"course/{lesson}").status_code == 200
    for private in ("course/exercises/source", "course/tests"):
        assert learner.read_file(private).status_code == 404, f"{private} reached a learner's home"
    log = as_user(LEARNER_1, f"git -C /home/{LEARNER_1}/course log -1 --format=%s")
    assert "without exercises/source, tests" in log.stdout


def test_the_lesson_opens_as_a_notebook_through_jupytext(people, launched, lesson):
    learner = people[LEARNER_2]
    model = learner.read_file(f"course/{lesson}", type="notebook").json()
    assert model["type"] == "notebook" and model["content"]["cells"]
    settings = learner.server("GET", "lab/api/settings/@jupyterlab/docmanager-extension:plugin").json()
    viewers = settings["schema"]["properties"]["defaultViewers"]["default"]  # the environment's override
    assert viewers["markdown"] == "Jupytext Notebook"


def test_a_learners_kernel_runs_as_that_learner_and_imports_the_installed_course(people, launched, lesson):
    output = people[LEARNER_3].run_code(
        "import getpass, modules\nfrom modules.common import data\nprint(getpass.getuser(), modules.__file__)"
    )
    user, location = output.split()
    assert user == LEARNER_3
    assert location.startswith(str(ENVIRONMENT)), location


# --- nbgrader on the hub ------------------------------------------------------------------------

def test_a_learner_sees_only_the_exercises_of_their_own_courses(workflow):
    assert workflow["other_course_lists"] == {LEARNER_2: [], LEARNER_3: []}


def test_each_submission_is_graded_under_the_learners_hub_name(workflow):
    assert workflow["scores_before_restart"] == {LEARNER_1: EXPECTED_SCORE[LEARNER_1], LEARNER_2: EXPECTED_SCORE[LEARNER_2]}
    assert workflow["autograder"].returncode == 0, workflow["autograder"].stdout + workflow["autograder"].stderr
    assert workflow["scores_b"] == {LEARNER_3: EXPECTED_SCORE[LEARNER_3]}
    assert workflow["owned_by_root_after_grading"] == [], "the grader account owns what grading wrote"


def test_no_submission_or_grade_is_lost_when_the_hub_restarts(workflow):
    assert workflow["left_after_stop"] == [], "processes of the hub survived its stop"
    assert workflow["scores_after_restart"] == workflow["scores_before_restart"]
    assert LEARNER_3 in workflow["scores_b"], "course B's submission, made before the restart, was lost"


def test_each_learner_gets_their_own_feedback_and_no_one_elses(people, workflow):
    for name, course_id in COURSE_OF.items():
        learner = people[name]
        files = feedback_files(learner, course_id)
        assert len(files) == 1 and files[0].endswith(f"{ASSIGNMENT}.html"), files
        page = learner.read_file(files[0]).json()["content"]
        score = re.search(r"\(Score: ([\d.]+) / ([\d.]+)\)", page)
        assert score and float(score.group(1)) == EXPECTED_SCORE[name], f"{name} got the wrong feedback"
        others = [other for other in COURSE_OF if other != name]
        assert not any(other in page for other in others)
        assert "BEGIN HIDDEN TESTS" not in page


# --- What a learner must not be able to do -----------------------------------------------------

def test_a_learner_cannot_open_a_formgrader(people, workflow):
    learner = people[LEARNER_1]
    assert learner.server("GET", "formgrader").status_code == 404, "the formgrader runs in a learner's server"
    assert learner.browse(learner.server_url("formgrader")).status_code == 404
    for course_id in (COURSE_A, COURSE_B):
        response = learner.formgrader("GET", course_id, "api/assignments")
        assert response.status_code == 403, f"a learner reached {course_id}'s formgrader"
    assert people[TEACHER].formgrader("GET", COURSE_A, "api/assignments").status_code == 200


def test_a_learner_cannot_list_the_exchange_inbox_or_read_others_work_or_the_gradebook(hub_state, workflow):
    state, _ = hub_state
    exchange = state / "exchange" / COURSE_A
    course = course_folder(state, COURSE_A)
    assert (exchange / "inbound").is_dir() and (course / "gradebook.db").is_file()
    forbidden = {
        "list the exchange's inbox": f"ls {exchange / 'inbound'}",
        "list the released feedback": f"ls {exchange / 'feedback'}",
        "read another learner's home": f"ls /home/{LEARNER_1}",
        "read another learner's answers": f"cat /home/{LEARNER_1}/{COURSE_A}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
        "read the gradebook": f"cat {course / 'gradebook.db'}",
        "read the solutions": f"ls {course / 'source'}",
    }
    for what, command in forbidden.items():
        result = as_user(LEARNER_2, command)
        assert result.returncode != 0 and "Permission denied" in result.stderr, f"a learner could {what}"
    assert as_user(TEACHER, f"test -r {course / 'gradebook.db'}").returncode == 0, "the instructor cannot read the gradebook"


def test_a_learner_cannot_create_or_take_a_courses_folder_in_the_exchange(hub_state, workflow):
    state, _ = hub_state
    for what, result in workflow["squatting"].items():
        assert result.returncode != 0 and "Permission denied" in result.stderr, f"a learner could {what}"
    assert not (state / "exchange" / FUTURE_COURSE).exists()
    assert workflow["scores_b"] == {LEARNER_3: EXPECTED_SCORE[LEARNER_3]}, "the other course's release did not work"


def test_work_handed_in_under_a_classmates_name_is_refused_reported_and_the_classmates_grade_kept(hub_state, workflow):
    state, _ = hub_state
    assert workflow["forgery"].returncode == 0, workflow["forgery"].stderr
    refused = [line for line in workflow["collect_a"]["log"].splitlines() if line.startswith("[ERROR] Refused")]
    forged = [line for line in refused if f"{LEARNER_1}+{ASSIGNMENT}+" in line and "+forged" in line]
    assert forged and f"belongs to {LEARNER_2}" in forged[0], workflow["collect_a"]["log"]
    report = (course_folder(state, COURSE_A) / "refused-submissions.log").read_text()
    assert "+forged" in report and f"claims {LEARNER_1}" in report
    assert workflow["scores_before_restart"][LEARNER_1] == EXPECTED_SCORE[LEARNER_1], "the classmate's work was replaced"


def test_a_link_to_the_solutions_in_a_submission_is_refused_so_the_solutions_are_never_graded(hub_state, workflow):
    state, _ = hub_state
    refused = [line for line in workflow["collect_a"]["log"].splitlines() if line.startswith("[ERROR] Refused")]
    assert any(f"{LEARNER_2}+{ASSIGNMENT}+" in line and "+linked" in line for line in refused), workflow["collect_a"]["log"]
    assert "+linked" in (course_folder(state, COURSE_A) / "refused-submissions.log").read_text()
    assert workflow["scores_before_restart"][LEARNER_2] == EXPECTED_SCORE[LEARNER_2], "the solutions were graded"


def test_no_learners_api_token_stays_in_the_server_zygote_or_in_another_learners_server(hub, people, workflow):
    tokens = {name: people[name].run_code("import os; print(os.environ['JUPYTERHUB_API_TOKEN'])").strip()
              for name in COURSE_OF}
    assert all(len(token) >= 32 for token in tokens.values()), tokens
    zygotes = [pid for pid in marked_processes(hub.mark)
               if Path(f"/proc/{pid}").stat().st_uid == 0 and b"course_hub.server_zygote" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert len(zygotes) == 1, "no server zygote: the check below would prove nothing"
    assert found_in_memory(zygotes[0], set(tokens.values())) == set(), "the root zygote keeps learners' tokens"
    for name in COURSE_OF:
        processes = processes_of(pwd.getpwnam(name).pw_uid)
        assert any(found_in_memory(pid, {tokens[name]}) for pid in processes), "the memory scan finds nothing at all"
        others = {tokens[other] for other in COURSE_OF if other != name}
        for pid in processes:
            assert found_in_memory(pid, others) == set(), f"{name}'s server holds another learner's token"


def test_an_instructor_removed_from_a_course_loses_its_formgrader_and_folder_at_the_next_login(hub, hub_state, workflow):
    state, settings = hub_state
    cohort = json.loads(json.dumps(COHORT))
    cohort["courses"][COURSE_B]["instructors"] = []
    set_up(state, cohort, log=lambda message: None)
    teacher = HubUser(hub.url, TEACHER, settings["passwords"][TEACHER])
    teacher.login()
    teacher.create_token()
    assert teacher.formgrader("GET", COURSE_B, "api/assignments").status_code == 403, "a former instructor kept the formgrader"
    assert teacher.formgrader("GET", COURSE_A, "api/assignments").status_code == 200
    result = as_user(TEACHER, f"ls {course_folder(state, COURSE_B) / 'source'}")
    assert result.returncode != 0 and "Permission denied" in result.stderr, "a former instructor can still read the solutions"


# --- Stopping ---------------------------------------------------------------------------------

def test_stopping_the_hub_stops_every_server_it_started(hub, people, workflow):
    assert len(marked_processes(hub.mark)) >= 5, "the hub's processes carry no mark: the check below would prove nothing"
    assert hub.stop() == [], "processes the hub started were still running after it stopped"
    assert marked_processes(hub.mark) == []
    with pytest.raises(Exception):
        people[LEARNER_1].browse(people[LEARNER_1].server_url("api/status"))
