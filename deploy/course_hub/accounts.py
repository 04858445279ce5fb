"""The hub's Unix accounts on one machine: their names, the record of those the hub made, and who
may log in as which.

Every learner and instructor is a Unix user. Each course has a grader account (``grader-<course>``)
that runs its formgrader and owns its gradebook, and a Unix group of its instructors
(``<course>-instructors``). The hub records the accounts it made or was given by its cohort
(``<state>/hub/accounts.json``, root only): a login from a learning platform is only ever mapped to
one of those, or to a new account, never to root, a system account, a grader account or any other
account of the machine.

The set-up (``deploy/setup/``), the hub (``deploy/jupyterhub_config.py``) and nbgrader's collector
(``autograder/exchange_collect.py``) share these rules. Only the standard library.
"""

from __future__ import annotations

import grp
import hashlib
import json
import os
import pwd
import re
import subprocess
from pathlib import Path

#: The longest name of a Unix user or group.
MAX_NAME_LENGTH = 32
#: Unix user ids of people's accounts (Debian's /etc/login.defs): the others are the system's.
UID_MIN, UID_MAX = 1000, 60000


class AccountError(Exception):
    """A Unix account could not be made; the message says why."""


def _shortened(name: str, original: str) -> str:
    """The first 25 characters of ``name`` and a stable hash of ``original``: 32 characters."""
    return f"{name[:25]}-{hashlib.sha256(original.encode()).hexdigest()[:6]}"


def short_unix_name(name: str) -> str:
    """``name`` if it is a valid length for a Unix user or group (32), else a stable shortened form."""
    return name if len(name) <= MAX_NAME_LENGTH else _shortened(name, name)


def unix_name(name: str) -> str:
    """A valid, stable Unix user name for a hub user name from a platform (at most 32 characters)."""
    clean = re.sub(r"[^a-z0-9._-]+", "-", name.strip().lower()).strip("-.") or "user"
    if not clean[0].isalpha():
        clean = "u" + clean
    if clean != name or len(clean) > MAX_NAME_LENGTH:
        clean = _shortened(clean, name)
    return clean


def grader_account(course_id: str) -> str:
    """The Unix account that runs the course's formgrader and owns its gradebook."""
    return short_unix_name(f"grader-{course_id}")


def instructors_group(course_id: str) -> str:
    """The Unix group of the course's instructors: they may read the course folder."""
    return short_unix_name(f"{course_id}-instructors")


# --- The record of the hub's accounts -----------------------------------------------------------

def accounts_path(state: Path) -> Path:
    """The record of the Unix accounts the hub made or was given by its cohort (root only)."""
    return state / "hub" / "accounts.json"


def hub_accounts(state: Path) -> dict[str, int]:
    """``{account name: uid}`` of every account in the record."""
    path = accounts_path(state)
    return json.loads(path.read_text()) if path.exists() else {}


def record_accounts(state: Path, names: list[str]) -> None:
    """Add the existing Unix accounts ``names`` to the hub's record."""
    accounts = hub_accounts(state)
    accounts.update({name: pwd.getpwnam(name).pw_uid for name in names})
    path = accounts_path(state)
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps(accounts, indent=2, sort_keys=True) + "\n")
    scratch.chmod(0o600)
    scratch.replace(path)


def create_hub_account(state: Path, name: str) -> None:
    """Create the Unix account ``name`` with a private home, if missing, and record it as the hub's."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        command = ["useradd", "--create-home", "--shell", "/bin/bash", name]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise AccountError(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        record_accounts(state, [name])
    os.chmod(pwd.getpwnam(name).pw_dir, 0o700)


# --- Who may be whom ----------------------------------------------------------------------------

def reserved_name(name: str, courses: list[str]) -> bool:
    """Is ``name`` root's, a course's grader account or instructors group, or any future grader account?"""
    return (name == "root" or name.startswith("grader-")
            or name in {grader_account(c) for c in courses} | {instructors_group(c) for c in courses})


def cohort_refusal(name: str, courses: list[str]) -> str | None:
    """Why a cohort may not name ``name`` as a learner or an instructor, or None if it may."""
    if reserved_name(name, courses):
        return f"{name!r} is reserved (root, the courses' grader accounts and groups)"
    try:
        uid = pwd.getpwnam(name).pw_uid
    except KeyError:
        return None
    if not UID_MIN <= uid <= UID_MAX:
        return f"{name!r} is a system account of this machine (uid {uid})"
    return None


def login_refusal(state: Path, name: str, courses: list[str]) -> str | None:
    """Why a login from a platform may not use the Unix account ``name``, or None if it may.

    The account must be one the hub made (or its cohort named), or not exist yet: a platform's
    claim must never open root's, a grader's, a system account or anybody else's account.
    """
    if reserved_name(name, courses):
        return f"your user name on the platform becomes {name!r}, a name reserved for this machine's own accounts"
    try:
        uid = pwd.getpwnam(name).pw_uid
    except KeyError:
        try:
            grp.getgrnam(name)
        except KeyError:
            return None
        return f"your user name on the platform becomes {name!r}, the name of a Unix group of this machine"
    if hub_accounts(state).get(name) != uid:
        return (f"your user name on the platform becomes {name!r}, an account of this machine that the hub "
                "did not create")
    return None
