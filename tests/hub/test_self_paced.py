"""The self-paced loop on a real hub on loopback: learners submit from JupyterLab and get their
feedback within seconds, with no instructor action; written answers are assessed by the learner,
two anonymous classmates, then the instructor; a learner who passes every module gets a signed
certificate; the instructor's cohort page and CSV show the gradebook's figures.

The module starts its own hub (``deploy/hub.py``) with one course, one instructor and three learners
(``hubtest-*`` accounts, as the other hub tests, taking turns with them through a lock). Everything is
driven over HTTP with each person's own token, as their browser would.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from autograder.pipeline.outcomes import OutcomeStore
from autograder.course import Course
from autograder.scores import read_scores
from autograder.selfpaced import store as states
from autograder.selfpaced.rubric import rubric_of
from autograder.selfpaced.store import store_of
from course_hub.groups import progress_service
from course_hub.hub_client import HubUser
from course_hub.launch_link import nbgitpuller_link
from deploy.hub import Hub, marked_processes
from deploy.setup.course_settings import course_folder
from deploy.setup.courses import certificate_key
from deploy.setup.environment import ENVIRONMENT
from deploy.setup.machine import set_up
from tests.conftest import COURSE_ROOT
from tests.hub.test_hub import answered, as_user

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]

COURSE = "local-governance"
SERVICE = progress_service(COURSE)
TEACHER = "hubtest-teacher"
ANA, BO, CY = "hubtest-learner1", "hubtest-learner2", "hubtest-learner3"
#: Dee follows the course in French.
DEE = "hubtest-learner4"
COHORT = {"courses": {COURSE: {"instructors": [TEACHER], "learners": [ANA, BO, CY, DEE]}}}
ASSIGNMENTS = ["budgeting_01", "project_management_01", "smart_towns_01", "open_data_01"]
#: The French edition of Module 1's exercise: Dee does it in French.
FRENCH = "budgeting_01_fr"
#: Cy's limit on open_data_01: two quick gradings, then one every 30 minutes.
LIMITED = {"open_data_01": {"tokens": 2, "refill_minutes": 30}}
FEEDBACK_WAIT = 120  # seconds: far above the few seconds a grading takes, for a loaded CI machine


def source_of(assignment: str) -> dict:
    return json.loads((COURSE_ROOT / "exercises" / "source" / assignment / f"{assignment}.ipynb").read_text())


@pytest.fixture(scope="module")
def loop_hub(hub_machine_lock):
    if os.geteuid() != 0:
        pytest.fail("The hub tests create Unix users: run them as root (as CI does).")
    for name in (TEACHER, ANA, BO, CY, DEE):
        if Path(f"/home/{name}").exists():
            shutil.rmtree(f"/home/{name}")
    state = Path(tempfile.mkdtemp(prefix="local-governance-loop-test-", dir="/srv"))
    try:
        settings = set_up(state, COHORT, log=lambda message: None)
        config = course_folder(state, COURSE) / "nbgrader_config.py"
        with open(config, "a", encoding="utf-8") as file:
            file.write(f"\nc.SelfPaced.assignments = {LIMITED!r}\n")
        hub = Hub.on_free_ports(state, courses=1)
        hub.start()
        try:
            people = {}
            for name, password in settings["passwords"].items():
                people[name] = HubUser(hub.url, name, password)
                people[name].login()
                people[name].create_token()
            link = nbgitpuller_link(hub.url, settings["repository"], settings["branch"], "book/budgeting/01-anatomy.md")
            for name in (ANA, BO, CY):
                people[name].launch(link)
            # JupyterLab opens the lesson the link names (what the browser does after the pull).
            people[ANA].read_file("course/book/budgeting/01-anatomy.md")
            # Dee follows the French edition: the French site's launch link, the French lesson.
            people[DEE].launch(nbgitpuller_link(hub.url, settings["repository"], settings["branch"],
                                                "book/fr/budgeting/01-anatomy.md"))
            people[DEE].read_file("course/book/fr/budgeting/01-anatomy.md")
            for assignment in ASSIGNMENTS + [FRENCH]:
                people[TEACHER].formgrader_action(COURSE, f"assignment/{assignment}/assign")
                people[TEACHER].formgrader_action(COURSE, f"assignment/{assignment}/release")
            yield hub, state, people
        finally:
            hub.stop()
    finally:
        shutil.rmtree(state, ignore_errors=True)


def store(state: Path) -> states.Store:
    return store_of(Course.open(course_folder(state, COURSE)))


#: Each learner's exercise as fetched, before any answer: {(learner, assignment): notebook}.
RELEASED: dict[tuple[str, str], dict] = {}
#: What learners write as their written answer.
OWN_ANSWER = ("Borrowing 200 000 € more finances the whole investment section, not the projects themselves. "
              "At 3 % over 15 years it costs about 16 800 € a year, which the savings can carry.")


def submit(learner: HubUser, assignment: str, how: str = "right") -> float:
    """Answer (``right``), leave as fetched (``unanswered``) or break (``damaged``) the learner's copy of
    ``assignment``, fetched once, then submit it from JupyterLab's Assignments panel; return when."""
    path = f"{COURSE}/{assignment}/{assignment}.ipynb"
    if (learner.name, assignment) not in RELEASED:
        learner.assignment_action("fetch", COURSE, assignment)
        RELEASED[(learner.name, assignment)] = learner.read_file(path, type="notebook").json()["content"]
    fresh = json.loads(json.dumps(RELEASED[(learner.name, assignment)]))
    if how == "damaged":
        response = learner.server("PUT", f"api/contents/{path}", json={"type": "file", "format": "text",
                                                                        "content": "this is not a notebook"})
        assert response.status_code in (200, 201), response.text
    elif how == "right":
        notebook = answered(fresh, source_of(assignment))
        for cell in notebook["cells"]:  # the written answer in the learner's own words, not the model answer
            info = cell["metadata"].get("nbgrader", {})
            if cell["cell_type"] == "markdown" and info.get("grade") and info.get("solution"):
                cell["source"] = OWN_ANSWER
        learner.write_notebook(path, notebook)
    else:
        learner.write_notebook(path, fresh)
    started = time.monotonic()
    learner.assignment_action("submit", COURSE, assignment)
    return started


def submissions_of(learner: HubUser, assignment: str) -> int:
    page = learner.service("GET", SERVICE, f"feedback/{assignment}", params={"format": "json"}).json()
    return len(page["submissions"])


def wait_for(learner: HubUser, assignment: str, count: int, timeout: float = FEEDBACK_WAIT) -> dict:
    """The learner's feedback JSON once ``count`` of their submissions are no longer waiting."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = learner.service("GET", SERVICE, f"feedback/{assignment}", params={"format": "json"})
        assert response.status_code == 200, response.text[:500]
        page = response.json()
        done = [s for s in page["submissions"] if s["state"] not in states.WAITING]
        if len(page["submissions"]) >= count and len(done) == len(page["submissions"]):
            return page
        time.sleep(0.3)
    raise AssertionError(f"{learner.name}'s feedback on {assignment} did not arrive within {timeout} s: {page}")


def progress(learner: HubUser) -> dict:
    response = learner.service("GET", SERVICE, "api/progress")
    assert response.status_code == 200, response.text[:500]
    return response.json()


def module(page: dict, assignment: str) -> dict:
    return next(m for m in page["modules"] if m["assignment"] == assignment)


def assess(learner: HubUser, assignment: str, met: int, page: str = "assess", handle: str | None = None):
    form = {f"criterion-{i}": "met" for i in range(met)}
    if handle:
        form["handle"] = handle
    response = learner.service("POST", SERVICE, f"{page}/{assignment}", data=form, allow_redirects=False)
    assert response.status_code in (302, 303), response.text[:500]


@pytest.fixture(scope="module")
def wrong_then_right(loop_hub):
    """Ana submits budgeting_01 untouched, reads her feedback, then submits it answered."""
    _, _, people = loop_hub
    ana = people[ANA]
    record = {"before": progress(ana)}
    started = submit(ana, "budgeting_01", "unanswered")
    record["wrong"] = wait_for(ana, "budgeting_01", 1)
    record["wrong_seconds"] = time.monotonic() - started
    record["between"] = progress(ana)
    started = submit(ana, "budgeting_01", "right")
    record["right"] = wait_for(ana, "budgeting_01", 2)
    record["right_seconds"] = time.monotonic() - started
    record["after"] = progress(ana)
    return record


def test_a_wrong_then_a_right_answer_each_get_feedback_within_seconds_without_an_instructor(wrong_then_right):
    wrong, right = wrong_then_right["wrong"], wrong_then_right["right"]
    assert [s["state"] for s in wrong["submissions"]] == ["graded"]
    assert wrong["latest"]["score"] == 0 and right["latest"]["score"] == 20
    first = wrong["latest"]["tests"][0]
    assert first["name"] == "test_gross_savings" and first["title"].startswith("Part 1")
    assert (first["score"], first["max_score"]) == (0, 2) and "not answered yet" in first["message"]
    assert all(test["passed"] for test in right["latest"]["tests"])
    assert wrong_then_right["wrong_seconds"] < 60 and wrong_then_right["right_seconds"] < 60


def test_the_feedback_never_shows_a_tests_source_or_a_traceback(wrong_then_right):
    shown = json.dumps(wrong_then_right["wrong"])
    for secret in ("BEGIN HIDDEN TESTS", "assert ", "Traceback", "get_ipython"):
        assert secret not in shown


def test_the_progress_page_follows_the_submissions(wrong_then_right):
    before, between, after = (module(wrong_then_right[k], "budgeting_01") for k in ("before", "between", "after"))
    assert (before["submitted"], between["automatic"], after["automatic"]) == (False, 0, 20)
    assert after["written_by"] is None and not after["passed"], "the written answer is not assessed yet"
    assert "02-savings-and-debt" in wrong_then_right["after"]["next"]["text"], "the next lesson comes first"


def test_the_lesson_opened_through_the_launch_link_counts_on_the_progress_page(loop_hub, wrong_then_right):
    lessons = module(wrong_then_right["after"], "budgeting_01")["lessons"]
    assert {"name": "book/budgeting/01-anatomy", "opened": True} in lessons
    assert {"name": "book/budgeting/02-savings-and-debt", "opened": False} in lessons


def test_jupyterlab_and_the_site_lead_each_learner_to_their_progress_page(loop_hub, wrong_then_right):
    hub, _, people = loop_hub
    ana = people[ANA]
    response = ana.session.get(f"{hub.url}/hub/user-redirect/course/progress", allow_redirects=False)
    while response.status_code in (301, 302, 303) and f"/services/{SERVICE}/" not in response.headers["Location"]:
        location = response.headers["Location"]
        response = ana.session.get(location if location.startswith("http") else hub.url + location,
                                   allow_redirects=False)
    assert response.headers.get("Location", "").endswith(f"/services/{SERVICE}/"), response.text[:300]
    settings = ana.server("GET", "lab/api/settings/@jupyterlab/mainmenu-extension:plugin").json()
    menus = settings["schema"]["properties"]["menus"]["default"]
    course = next(menu for menu in menus if menu["id"] == "jp-mainmenu-course")
    assert course["items"][0]["args"]["url"] == "/hub/user-redirect/course/progress"


def test_the_feedback_is_also_released_into_the_learners_nbgrader_feedback(loop_hub, wrong_then_right):
    _, _, people = loop_hub
    fetched = people[ANA].assignment_action("fetch_feedback", COURSE, "budgeting_01")
    listing = people[ANA].read_file(f"{COURSE}/budgeting_01/feedback")
    assert listing.status_code == 200, (fetched, listing.text[:300])
    assert len(listing.json()["content"]) == 2, "the feedback of both submissions reached the learner"


def test_check_my_answers_shows_the_courses_message_next_to_each_part(loop_hub, wrong_then_right):
    _, _, people = loop_hub
    ana = people[ANA]
    assert ana.server("PUT", "api/contents/scratch", json={"type": "directory"}).status_code in (200, 201)
    ana.write_notebook("scratch/budgeting_01.ipynb", RELEASED[(ANA, "budgeting_01")])
    response = ana.server("POST", "assignments/validate", data={"path": "scratch/budgeting_01.ipynb"})
    assert response.status_code == 200 and response.json()["success"], response.text[:500]
    failed = response.json()["value"]["failed"]
    assert failed[0]["raw_error"].startswith("Part 1: gross savings (2 points): This part is not answered yet")
    assert "Traceback" not in json.dumps(failed)


def test_another_learner_cannot_read_that_feedback(loop_hub, wrong_then_right):
    hub, state, people = loop_hub
    bo = people[BO]
    page = bo.service("GET", SERVICE, "feedback/budgeting_01", params={"format": "json"}).json()
    assert page["submissions"] == [] and page["latest"] is None
    assert ANA not in json.dumps(progress(bo))
    assert bo.service("GET", SERVICE, "cohort").status_code == 403
    assert bo.service("GET", SERVICE, "cohort.csv").status_code == 403
    exchange_feedback = state / "exchange" / COURSE / "feedback"
    result = as_user(BO, f"ls {exchange_feedback}")
    assert result.returncode != 0 and "Permission denied" in result.stderr
    outsider = HubUser(hub.url, "nobody", "x").session.get(f"{hub.url}/services/{SERVICE}/api/progress",
                                                          allow_redirects=False)
    assert outsider.status_code == 302 and "/hub/" in outsider.headers["Location"], "no login was asked for"


@pytest.fixture(scope="module")
def throttled(loop_hub, wrong_then_right):
    """Cy hands in a damaged notebook, then two graded ones, then one more over the limit of two."""
    _, state, people = loop_hub
    cy = people[CY]
    record = {}
    submit(cy, "open_data_01", "damaged")
    record["damaged"] = wait_for(cy, "open_data_01", 1)
    record["tokens_after_damaged"] = module(progress(cy), "open_data_01")["tokens"]
    for count in (2, 3):
        submit(cy, "open_data_01", "unanswered")
        wait_for(cy, "open_data_01", count)
    submit(cy, "open_data_01", "right")
    record["over"] = wait_for(cy, "open_data_01", 4)
    return record


def test_an_ungradable_notebook_costs_no_token(throttled):
    damaged = throttled["damaged"]["submissions"][0]
    assert damaged["state"] == "ungradable" and "cost no quick grading" in damaged["message"]
    assert throttled["tokens_after_damaged"]["left"] == 2


def test_over_the_token_limit_the_message_gives_the_time_to_wait(throttled):
    latest = throttled["over"]["submissions"][0]
    assert latest["state"] == "throttled"
    message = latest["message"]
    assert "used your 2 quick gradings" in message, message
    assert "Submit again in 30 minutes" in message or "Submit again in 29 minutes" in message, message


@pytest.fixture(scope="module")
def interrupted(loop_hub, throttled):
    """Three learners submit smart_towns_01 at once; the grading service is killed while it grades."""
    hub, state, people = loop_hub
    loop = store(state)
    for name in (ANA, BO, CY):
        submit(people[name], "smart_towns_01", "right")
    deadline = time.monotonic() + FEEDBACK_WAIT
    while time.monotonic() < deadline and not loop.entries(states.GRADING):
        time.sleep(0.05)
    grading = [pid for pid in marked_processes(hub.mark)
               if b"autograder.selfpaced.service.grading" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert loop.entries(states.GRADING) and grading, "the service was not grading: the stop would prove nothing"
    for pid in grading:
        os.kill(pid, signal.SIGKILL)
    killed_at = time.time()
    course = Course.open(course_folder(state, COURSE))
    done_before = {o.student: o.graded_at for o in OutcomeStore.of_course(course, "smart_towns_01").all()}
    pages = {name: wait_for(people[name], "smart_towns_01", 1, timeout=FEEDBACK_WAIT + 60) for name in (ANA, BO, CY)}
    after = {o.student: o.graded_at for o in OutcomeStore.of_course(course, "smart_towns_01").all()}
    return {"pages": pages, "before": done_before, "after": after, "killed_at": killed_at,
            "entries": loop.entries(course=COURSE, assignment="smart_towns_01")}


def test_stopping_the_grading_service_mid_queue_loses_nothing_and_grades_nothing_twice(interrupted):
    assert all(page["latest"] and page["latest"]["score"] == 20 for page in interrupted["pages"].values())
    assert [entry.state for entry in interrupted["entries"]] == ["graded"] * 3
    for student, graded_at in interrupted["before"].items():
        assert interrupted["after"][student] == graded_at, f"{student}'s finished grading was run again"
    assert all(entry.gradings <= 1 for entry in interrupted["entries"])


@pytest.fixture(scope="module")
def written(loop_hub, wrong_then_right):
    """Ana assesses her written answer, then Bo and Cy (who submitted too) each assess it anonymously;
    then the instructor grades it in the formgrader."""
    _, state, people = loop_hub
    record = {"steps": []}
    for name in (BO, CY):
        submit(people[name], "budgeting_01", "right")
        wait_for(people[name], "budgeting_01", 1)
    assess(people[ANA], "budgeting_01", 5)
    record["steps"].append(module(progress(people[ANA]), "budgeting_01"))
    record["review_pages"] = {}
    record["before_own"] = people[BO].service("GET", SERVICE, "review/budgeting_01").text
    for name in (BO, CY):
        assess(people[name], "budgeting_01", 4)  # their own first
    for name in (BO, CY):  # each assesses what is offered, until nothing is
        record["review_pages"][name] = []
        while 'name="handle"' in (page := people[name].service("GET", SERVICE, "review/budgeting_01").text):
            record["review_pages"][name].append(page)
            handle = page.split('name="handle" value="', 1)[1].split('"', 1)[0]
            assess(people[name], "budgeting_01", 3, page="review", handle=handle)
    record["steps"].append(module(progress(people[ANA]), "budgeting_01"))
    teacher = people[TEACHER]
    submissions = teacher.formgrader("GET", COURSE, "api/submitted_notebooks/budgeting_01/budgeting_01").json()
    submission = next(s for s in submissions if s["student"] == ANA)
    grades = teacher.formgrader("GET", COURSE, "api/grades", params={"submission_id": submission["id"]}).json()
    advice = next(g for g in grades if g["name"] == "advice")
    response = teacher.formgrader("PUT", COURSE, f"api/grade/{advice['id']}", json={"manual_score": 2.0})
    assert response.status_code == 200, response.text[:500]
    record["steps"].append(module(progress(people[ANA]), "budgeting_01"))
    return record


def test_a_written_answer_is_self_assessed_then_by_two_anonymous_peers_then_the_instructor(written):
    own, peers, instructor = written["steps"]
    assert (own["written"], own["written_by"], own["passed"]) == (5, "self", True)
    assert (peers["written"], peers["written_by"]) == (3, "peers")  # (3 + 3) / 2
    assert (instructor["written"], instructor["written_by"], instructor["passed"]) == (2, "instructor", False)


def test_a_peer_never_sees_who_wrote_the_answer_nor_their_own(written):
    assert 'name="handle"' not in written["before_own"], "a learner reviewed others before assessing their own"
    for name, pages in written["review_pages"].items():
        assert len(pages) == 2, f"{name} was offered {len(pages)} answers, not the two classmates'"
        for page in pages:
            assert "hubtest-learner" not in page.replace(f"Signed in as {name}", ""), "the author's name is on the page"


def test_the_model_answer_is_never_shown_to_a_learner(loop_hub, written):
    _, _, people = loop_hub
    model = next("".join(cell["source"]) for cell in source_of("budgeting_01")["cells"]
                 if cell["metadata"].get("nbgrader", {}).get("grade_id") == "advice")
    first_sentence = model.replace("\n", " ").split(". ")[0]
    pages = [people[ANA].service("GET", SERVICE, path).text
             for path in ("", "assess/budgeting_01", "feedback/budgeting_01", "api/progress")]
    pages += [page for reviews in written["review_pages"].values() for page in reviews]
    assert OWN_ANSWER in pages[1], "the learner's own answer is not on their assessment page"
    for page in pages:
        assert first_sentence not in page.replace("\n", " ") and "BEGIN SOLUTION" not in page


@pytest.fixture(scope="module")
def certificate(loop_hub, written, interrupted, throttled):
    """Bo passes every module (submits each exercise and assesses each written answer), then asks
    for a certificate."""
    _, state, people = loop_hub
    bo = people[BO]
    for assignment in ASSIGNMENTS:
        if module(progress(bo), assignment)["automatic"] < 20:
            before = submissions_of(bo, assignment)
            submit(bo, assignment, "right")
            wait_for(bo, assignment, before + 1)
        assess(bo, assignment, 5)
    page = progress(bo)
    response = bo.service("POST", SERVICE, "certificate", data={"name": "Bo Example"}, allow_redirects=False)
    assert response.status_code in (302, 303), response.text[:500]
    deadline = time.monotonic() + FEEDBACK_WAIT
    while time.monotonic() < deadline and not (progress(bo)["certificate"] or {}).get("issued"):
        time.sleep(0.5)
    files = {kind: bo.service("GET", SERVICE, f"certificate/{kind}") for kind in ("json", "html", "pdf")}
    return {"progress": page, "files": files, "record": progress(bo)["certificate"],
            "others": people[CY].service("GET", SERVICE, "certificate/json")}


def verify(path: Path, key: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(ENVIRONMENT / "venv" / "bin" / "python"), "-m", "autograder", "certificate", "verify",
                           str(path), "--key", str(key)], capture_output=True, text=True, timeout=60)


def test_a_learner_who_passes_every_module_gets_a_certificate_that_verifies(loop_hub, certificate, tmp_path):
    _, state, _ = loop_hub
    assert certificate["progress"]["completed"]
    assert certificate["record"]["issued"] and certificate["record"]["code"]
    assert certificate["files"]["pdf"].content.startswith(b"%PDF")
    assert "Bo Example" in certificate["files"]["html"].text
    path = tmp_path / "certificate.json"
    path.write_bytes(certificate["files"]["json"].content)
    public = certificate_key(state).with_name("institution-public.pem")
    result = verify(path, public)
    assert result.returncode == 0, result.stdout + result.stderr
    changed = certificate["files"]["json"].text.replace("Bo Example", "Bo Exbmple", 1)
    path.write_text(changed)
    result = verify(path, public)
    assert result.returncode == 1 and "Bo Ex" in result.stdout + result.stderr, result.stdout + result.stderr
    assert certificate["others"].status_code == 404, "another learner reached a certificate"


def test_the_certificates_code_is_verified_on_the_course_service(loop_hub, certificate):
    hub, _, _ = loop_hub
    code = certificate["record"]["code"]
    page = HubUser(hub.url, "anyone", "x").session.get(f"{hub.url}/services/{SERVICE}/verify", params={"code": code})
    assert page.status_code == 200 and "Valid" in page.text and "Bo Example" in page.text


def test_the_cohort_page_and_csv_show_the_gradebooks_figures(loop_hub, certificate):
    _, state, people = loop_hub
    teacher = people[TEACHER]
    response = teacher.service("GET", SERVICE, "cohort.csv", params={"names": "1"})
    assert response.status_code == 200, response.text[:500]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    course = Course.open(course_folder(state, COURSE))
    for assignment in ASSIGNMENTS:
        gradebook = {s.student: s for s in read_scores(course.db_url, COURSE, assignment)}
        shown = {row["learner"]: row for row in rows if row["assignment"] == assignment and row["submitted"] == "True"}
        assert set(shown) == set(gradebook), assignment
        written_part = rubric_of(nbformat.reads(json.dumps(source_of(assignment)), as_version=4)).part
        for student, scores in gradebook.items():
            automatic = sum(part.score or 0 for part in scores.parts if part.part != written_part)
            assert float(shown[student]["automatic"]) == automatic, (assignment, student)
    pseudonymous = teacher.service("GET", SERVICE, "cohort.csv").text
    assert ANA not in pseudonymous and "learner-" in pseudonymous
    page = teacher.service("GET", SERVICE, "cohort")
    assert page.status_code == 200 and "The messages learners hit most" in page.text
    assert "at least 5 learners" in page.text, "a cohort of three must not be plotted"


def test_an_instructor_can_switch_instant_feedback_off_for_an_exercise(loop_hub, certificate):
    _, _, people = loop_hub
    teacher, cy = people[TEACHER], people[CY]
    page = teacher.service("GET", SERVICE, "cohort")
    response = teacher.service("POST", SERVICE, "cohort/switch", data={"assignment": "project_management_01",
                                                                        "instant": "off"}, allow_redirects=False)
    assert response.status_code in (302, 303), response.text[:300]
    assert page.status_code == 200
    submit(cy, "project_management_01", "right")
    latest = wait_for(cy, "project_management_01", 1)["submissions"][0]
    assert latest["state"] == "off" and "your instructor collects and grades it" in latest["message"]


@pytest.fixture(scope="module")
def in_french(loop_hub):
    """Dee does Module 1's exercise in French: first as fetched, then answered."""
    _, _, people = loop_hub
    dee = people[DEE]
    submit(dee, FRENCH, "unanswered")
    record = {"unanswered": wait_for(dee, FRENCH, 1)}
    submit(dee, FRENCH, "right")
    record["right"] = wait_for(dee, FRENCH, 2)
    record["progress"] = progress(dee)
    return record


def test_the_french_exercise_gets_its_feedback_in_french(in_french):
    tests = in_french["unanswered"]["latest"]["tests"]
    messages = [test["message"] for test in tests if not test["passed"] and not test["score_only"]]
    assert any("Vous n’avez pas encore répondu à cette partie" in message for message in messages), messages
    assert not any(english in message for message in messages for english in ("This part", "Your code", "A check")), messages


def test_a_learner_passes_a_module_in_french_as_in_english(in_french):
    first = next(m for m in in_french["progress"]["modules"] if m["number"] == 1)
    assert first["assignment"] == FRENCH and first["submitted"] and first["automatic"] == 20, first
    assert first["lessons_opened"] == 1, "the French lesson opened counts as the module's lesson"


def test_the_instructor_sees_which_language_each_learner_used(loop_hub, in_french):
    _, _, people = loop_hub
    rows = list(csv.DictReader(io.StringIO(people[TEACHER].service("GET", SERVICE, "cohort.csv",
                                                                   params={"names": "1"}).text)))
    languages = {(row["learner"], row["module"]): (row["assignment"], row["language"]) for row in rows}
    assert languages[(DEE, "1")] == (FRENCH, "fr")
    assert languages[(ANA, "1")] == ("budgeting_01", "en")
