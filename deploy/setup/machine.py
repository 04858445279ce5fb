"""The whole set-up of a machine for a cohort: the environment, the state folder, the accounts and
the courses; the settings it writes to ``<state>/hub.json`` for ``deploy/jupyterhub_config.py``."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from course_hub.accounts import cohort_refusal, grader_account, instructors_group, record_accounts
from deploy.setup.courses import LEARNERS_BRANCH, make_certificate_key, publish_course, set_up_course
from deploy.setup.environment import ENVIRONMENT, environment_python, install_environment
from deploy.setup.system import SetupError, ensure_user

#: Where the hub keeps its state, unless told otherwise.
DEFAULT_STATE = Path("/srv/local-governance-hub")

#: The demo cohort of ``make hub``: one course, one instructor, three learners.
DEMO_COHORT = {
    "courses": {
        "local-governance": {"instructors": ["teacher"], "learners": ["learner1", "learner2", "learner3"]},
    }
}


def demo_passwords(state: Path, accounts: list[str]) -> dict[str, str]:
    """The demo accounts' passwords: made once, kept in a file only root can read."""
    path = state / "hub" / "demo-accounts.json"
    passwords = json.loads(path.read_text()) if path.exists() else {}
    for name in accounts:
        passwords.setdefault(name, secrets.token_urlsafe(9))
    path.write_text(json.dumps(passwords, indent=2) + "\n")
    path.chmod(0o600)
    return {name: passwords[name] for name in accounts}


def cohort_accounts(cohort: dict) -> tuple[list[str], list[str]]:
    """(instructors, learners) of every course, each name once, in order."""
    instructors, learners = [], []
    for course in cohort["courses"].values():
        instructors += [n for n in course.get("instructors", []) if n not in instructors]
        learners += [n for n in course.get("learners", []) if n not in learners and n not in instructors]
    return instructors, learners


def make_state_folder(state: Path) -> None:
    """The state folder: readable by all; its ``hub/`` root's only; an exchange whose root only root writes."""
    state.mkdir(parents=True, exist_ok=True)
    state.chmod(0o755)
    private = state / "hub"
    private.mkdir(exist_ok=True)
    private.chmod(0o700)
    exchange = state / "exchange"
    exchange.mkdir(exist_ok=True)
    os.chown(exchange, 0, 0)
    exchange.chmod(0o755)  # only the set-up creates course folders (courses.set_up_course_exchange)
    (state / "courses").mkdir(exist_ok=True)
    (state / "courses").chmod(0o755)


def set_up(state: Path = DEFAULT_STATE, cohort: dict | None = None, log=print) -> dict:
    """Set up everything the hub needs; return the settings written to ``state/hub.json``."""
    if os.geteuid() != 0:
        raise SetupError("The hub's set-up creates Unix users and folders under /srv and /opt: run it as root "
                         "(sudo make hub).")
    cohort = cohort or DEMO_COHORT
    install_environment(log=log)
    make_state_folder(state)
    instructors, learners = cohort_accounts(cohort)
    refusals = [why for name in learners + instructors if (why := cohort_refusal(name, list(cohort["courses"])))]
    if refusals:
        raise SetupError("The cohort names accounts the hub must not use: " + "; ".join(refusals)
                         + ". Give these people other user names in the cohort file.")
    repository = publish_course(state, log=log)
    for name in learners + instructors:
        ensure_user(name)
    record_accounts(state, learners + instructors)
    make_certificate_key(state, environment_python(), log=log)
    for course_id, course in cohort["courses"].items():
        set_up_course(state, course_id, course.get("instructors", []))
    passwords = demo_passwords(state, instructors + learners)
    courses = {
        course_id: {**course, "grader": grader_account(course_id), "group": instructors_group(course_id)}
        for course_id, course in cohort["courses"].items()
    }
    settings = {
        "courses": courses,
        "instructors": instructors,
        "learners": learners,
        "repository": str(repository),
        "branch": LEARNERS_BRANCH,
        "environment": str(ENVIRONMENT / "venv"),
    }
    (state / "hub.json").write_text(json.dumps(settings, indent=2) + "\n")
    (state / "hub.json").chmod(0o644)
    settings["passwords"] = passwords
    return settings
