"""Set up one machine for a course hub: the shared environment, the Unix accounts, the courses.

Run as root (``make hub`` does it before starting the hub). Every step can run again: it adds
what is missing and takes people out of the courses they no longer teach, so a second run with the
same cohort changes nothing, and learners' work is always kept.

1. **The course environment**, installed once for every user, outside the repository and /root
   (both are private): a virtual environment made from Debian's ``/usr/bin/python3`` in
   ``/opt/local-governance-course/venv``, with the exact versions of ``requirements.lock`` and the
   course package (``modules``, ``autograder``) installed into it, plus the hub's Jupyter settings
   (``deploy/jupyter/``). A stamp (hash of what went in) skips the install when nothing changed.
2. **The Unix accounts**: every learner and instructor is a real Unix user with a private home
   (mode 700), so learners are kept apart by the operating system. Each course has a grader
   account (``grader-<course>``) that runs the course's formgrader and owns its gradebook, and a
   Unix group (``<course>-instructors``) whose members may read the course folder.
   Each course's instructors group holds exactly its grader account and the cohort's instructors:
   someone no longer listed as an instructor leaves it at the next set-up. The Unix accounts the
   hub made or was given by its cohort are recorded (``hub/accounts.json``): an LTI login is only
   ever mapped to one of those, or to a new account, never to root, a system account, a grader
   account or any other account of the machine.
3. **The state folder** (``/srv/local-governance-hub`` by default): the hub's database and secrets
   (``hub/``, root only), the nbgrader exchange (``exchange/``, see below), each course's nbgrader folder
   (``courses/<course>/``: the instructors' exercises with solutions, the gradebook), the learners'
   branch of the course as a git repository that nbgitpuller clones (``course.git``), and
   ``hub.json``, the cohort that ``jupyterhub_config.py`` reads.

   The exchange's root belongs to root and nobody else may write it (mode 0755): each course's
   folders in it are made here, owned by the course's grader account, with nbgrader's modes. A
   learner therefore cannot create a course's folder before its instructors do (which would block
   its release), and the course's own nbgrader classes (``autograder/exchange_collect.py``) work
   with a root that nobody writes.

Only the standard library: it runs with the Python that creates the environment.
"""

from __future__ import annotations

import grp
import hashlib
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

COURSE_ROOT = Path(__file__).resolve().parent.parent
DEPLOY = COURSE_ROOT / "deploy"
#: Where the shared environment lives (readable and executable by every user).
ENVIRONMENT = Path(os.environ.get("COURSE_HUB_ENV", "/opt/local-governance-course"))
#: Where the hub keeps its state, unless told otherwise.
DEFAULT_STATE = Path("/srv/local-governance-hub")
#: Debian's Python: every user may run it (pyenv's, under /root, is private).
SYSTEM_PYTHON = "/usr/bin/python3"
#: The branch learners pull (made by scripts/learner_branch.py).
LEARNERS_BRANCH = "learners"

#: The demo cohort of ``make hub``: one course, one instructor, three learners.
DEMO_COHORT = {
    "courses": {
        "local-governance": {"instructors": ["teacher"], "learners": ["learner1", "learner2", "learner3"]},
    }
}


class SetupError(Exception):
    """The machine cannot be set up as asked; the message says what to do."""


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise SetupError(f"{' '.join(map(str, command))} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result


# --- 1. The course environment ------------------------------------------------------------------

def environment_python() -> Path:
    return ENVIRONMENT / "venv" / "bin" / "python"


def _environment_inputs() -> list[Path]:
    files = [COURSE_ROOT / "pyproject.toml", COURSE_ROOT / "requirements.lock", COURSE_ROOT / ".ci" / "jupyterlab-settings",
             DEPLOY / "install-environment.sh"]
    for folder in ("modules", "autograder", "deploy/jupyter"):
        files += sorted(p for p in (COURSE_ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return files


def environment_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in _environment_inputs():
        digest.update(path.relative_to(COURSE_ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def install_environment(log=print) -> bool:
    """Install or update the shared environment; return False when it was already up to date."""
    stamp = ENVIRONMENT / "installed.sha256"
    fingerprint = environment_fingerprint()
    if stamp.exists() and stamp.read_text().strip() == fingerprint and environment_python().exists():
        return False
    log(f"Installing the course environment into {ENVIRONMENT}/venv (once; a few minutes)...")
    ENVIRONMENT.mkdir(parents=True, exist_ok=True)
    ENVIRONMENT.chmod(0o755)
    run(["bash", str(DEPLOY / "install-environment.sh"), SYSTEM_PYTHON, str(ENVIRONMENT / "venv")])
    stamp.write_text(fingerprint + "\n")
    return True


# --- 2. Unix accounts ---------------------------------------------------------------------------

def ensure_group(name: str) -> None:
    try:
        grp.getgrnam(name)
    except KeyError:
        run(["groupadd", name])


def ensure_user(name: str, home: Path | None = None, groups: list[str] = ()) -> None:
    """Create the Unix user ``name`` with a private home, if missing; add it to ``groups``."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        command = ["useradd", "--create-home", "--shell", "/bin/bash"]
        if home:
            command += ["--home-dir", str(home)]
        run(command + [name])
        entry = pwd.getpwnam(name)
    if not os.path.isdir(entry.pw_dir):  # an account whose home was removed: give it a new one
        shutil.copytree("/etc/skel", entry.pw_dir, symlinks=True)
        run(["chown", "-R", f"{entry.pw_uid}:{entry.pw_gid}", entry.pw_dir])
    os.chmod(entry.pw_dir, 0o700)
    for group in groups:
        if name not in grp.getgrnam(group).gr_mem:
            run(["usermod", "--append", "--groups", group, name])


def short_unix_name(name: str) -> str:
    """``name`` if it is a valid length for a Unix user or group (32), else a stable shortened form."""
    if len(name) <= 32:
        return name
    return f"{name[:25]}-{hashlib.sha256(name.encode()).hexdigest()[:6]}"


def grader_account(course_id: str) -> str:
    """The Unix account that runs the course's formgrader and owns its gradebook."""
    return short_unix_name(f"grader-{course_id}")


def instructors_group(course_id: str) -> str:
    """The Unix group of the course's instructors: they may read the course folder."""
    return short_unix_name(f"{course_id}-instructors")


def sync_group_members(group: str, members: list[str]) -> None:
    """Make ``members`` the only members of the Unix group ``group`` (add the missing, remove the others)."""
    current = set(grp.getgrnam(group).gr_mem)
    for name in sorted(current - set(members)):
        run(["gpasswd", "--delete", name, group])
    for name in members:
        if name not in current:
            run(["usermod", "--append", "--groups", group, name])


#: Unix user ids of people's accounts (Debian's /etc/login.defs): the others are the system's.
UID_MIN, UID_MAX = 1000, 60000


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


def create_hub_account(state: Path, name: str) -> None:
    """Create the Unix account ``name`` with a private home, if missing, and record it as the hub's."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        run(["useradd", "--create-home", "--shell", "/bin/bash", name])
        record_accounts(state, [name])
    os.chmod(pwd.getpwnam(name).pw_dir, 0o700)


# --- 3. The state folder ------------------------------------------------------------------------

def publish_course(state: Path, log=print) -> Path:
    """Publish the learners' branch (the committed course without solutions) into ``state/course.git``.

    It works in a temporary clone, so the repository's own branches are left as they are: the clone
    continues the branch already published (learners' copies then update by fast-forward) and
    ``scripts/learner_branch.py`` adds the current commit on top of it.
    """
    repository = state / "course.git"
    if not (repository / "HEAD").exists():
        run(["git", "init", "--quiet", "--bare", str(repository)])
        run(["git", "-C", str(repository), "symbolic-ref", "HEAD", f"refs/heads/{LEARNERS_BRANCH}"])
    branch = f"refs/heads/{LEARNERS_BRANCH}"
    with tempfile.TemporaryDirectory(prefix="course-publish-") as scratch:
        clone = Path(scratch) / "course"
        run(["git", "clone", "--quiet", "--no-checkout", str(COURSE_ROOT), str(clone)])
        subprocess.run(["git", "-C", str(clone), "fetch", "--quiet", str(repository), f"+{branch}:{branch}"],
                       capture_output=True)
        run(["git", "-C", str(clone), "checkout", "--quiet", "HEAD", "--", "scripts"])
        environment = dict(os.environ)
        if not subprocess.run(["git", "-C", str(clone), "config", "user.email"], capture_output=True, text=True).stdout.strip():
            # A machine where git has no identity yet: sign the learners' commit as the hub.
            environment.update(GIT_AUTHOR_NAME="Course hub", GIT_AUTHOR_EMAIL="course-hub@localhost",
                               GIT_COMMITTER_NAME="Course hub", GIT_COMMITTER_EMAIL="course-hub@localhost")
        run([sys.executable, str(clone / "scripts" / "learner_branch.py"), "--branch", LEARNERS_BRANCH],
            cwd=clone, env=environment)
        pushed = subprocess.run(["git", "-C", str(clone), "push", "--quiet", str(repository), f"{branch}:{branch}"],
                                capture_output=True, text=True)
        if pushed.returncode != 0:
            log(f"The learners' branch in {repository} has another history: replacing it.")
            run(["git", "-C", str(clone), "push", "--quiet", "--force", str(repository), f"{branch}:{branch}"])
    run(["chmod", "-R", "a+rX,go-w", str(repository)])
    # Git refuses to read a repository owned by another user unless it is declared safe; learners'
    # servers use this file as their global git configuration (GIT_CONFIG_GLOBAL), which still
    # includes their own ~/.gitconfig.
    gitconfig = state / "gitconfig"
    gitconfig.write_text(f"[safe]\n\tdirectory = {repository}\n[include]\n\tpath = ~/.gitconfig\n")
    gitconfig.chmod(0o644)
    return repository


def first_lesson(repository: Path) -> str:
    """The first lesson of the published course (``book/<slug>/NN-*.md``), for launch links."""
    names = run(["git", "-C", str(repository), "ls-tree", "-r", "--name-only", LEARNERS_BRANCH, "book/"]).stdout.split()
    lessons = sorted(n for n in names if n.count("/") == 2 and n.split("/")[2][:2].isdigit() and n.endswith(".md"))
    pages = sorted(n for n in names if n.count("/") == 2 and n.endswith(".md"))
    return (lessons or pages or ["book/intro.md"])[0]


#: The course's nbgrader settings end with this: learners' access to the course comes from their hub
#: groups (``nbgrader-<course>``), and the formgrader's own account works on this course only.
COURSE_AUTH_PLUGIN = """
from nbgrader.auth import JupyterHubAuthPlugin


class CourseAuthPlugin(JupyterHubAuthPlugin):
    \"\"\"Learners of this course are the hub group nbgrader-{course_id}; the grader account is no hub user.\"\"\"

    def get_student_courses(self, student_id):
        if student_id == "*":
            return [{course_id!r}]
        return super().get_student_courses(student_id)


c.Authenticator.plugin_class = CourseAuthPlugin
"""


#: Where the hub on Kubernetes records each learner's uid, in the exchange (values.yaml, 20-uid-per-learner).
LEARNER_UIDS_RECORD = Path(".hub") / "learner-uids.json"


def course_settings(course_id: str, folder: Path, exchange: Path, learner_uids: Path | None = None) -> str:
    """The nbgrader settings of a course on a hub: the course's own (``exercises/nbgrader_config.py``)
    and where this course lives. The Kubernetes formgrader uses the same (course-grader.yaml).

    Collection refuses any submission that is not the named learner's own (its owner is not their
    uid): ``learner_uids`` is the hub's record of those uids on Kubernetes; on one machine, each
    learner's Unix account gives it.
    """
    settings = (COURSE_ROOT / "exercises" / "nbgrader_config.py").read_text(encoding="utf-8")
    collect = '\nc.ExchangeFactory.collect = "autograder.exchange_collect.OwnerCheckedCollect"\n'
    if learner_uids is not None:
        collect += f"c.OwnerCheckedCollect.learner_uids = {str(learner_uids)!r}\n"
    return (
        settings
        + "\n# --- The course on a hub (deploy/hub_setup.py) ---------------------------------------\n"
        + f"c.CourseDirectory.course_id = {course_id!r}\n"
        + f"c.CourseDirectory.root = {str(folder)!r}\n"
        + f"c.Exchange.root = {str(exchange)!r}\n"
        + "c.Exchange.path_includes_course = True\n"
        + collect
        + COURSE_AUTH_PLUGIN.format(course_id=course_id)
    )


def course_folder(state: Path, course_id: str) -> Path:
    return state / "courses" / course_id


#: A course's folders in the exchange, with the modes nbgrader's release gives them: anyone may read
#: the released exercises; learners may submit into the inbox but not list it (its set-gid bit gives
#: submissions the course's group); feedback is found only by its secret file name.
EXCHANGE_FOLDERS = {"": 0o755, "outbound": 0o755, "inbound": 0o2733, "feedback": 0o711}


def set_up_course_exchange(exchange: Path, course_id: str, uid: int, gid: int) -> None:
    """Create the course's folders in the exchange, owned by its grader account (``uid``)."""
    for name, mode in EXCHANGE_FOLDERS.items():
        path = exchange / course_id / name
        if path.is_symlink() or (path.exists() and path.lstat().st_uid != uid):
            owner = path.lstat().st_uid
            raise SetupError(
                f"{path} belongs to uid {owner} ({_user_name(owner)}), not to the course's grader account: "
                "someone created it before the course was set up. Look at what it holds, remove it "
                f"(rm -r '{path}'), then run the set-up again.")
        path.mkdir(exist_ok=True)
        os.chown(path, uid, gid)
        path.chmod(mode)


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return "no account"


def set_up_course(state: Path, course_id: str, instructors: list[str]) -> Path:
    """Create the course's grader account, its folders in the exchange and its nbgrader folder,
    readable by its instructors only (the group holds them and the grader account, nobody else)."""
    group = instructors_group(course_id)
    ensure_group(group)
    grader = grader_account(course_id)
    ensure_user(grader)
    sync_group_members(group, [grader] + list(instructors))
    set_up_course_exchange(state / "exchange", course_id, pwd.getpwnam(grader).pw_uid, grp.getgrnam(group).gr_gid)
    folder = course_folder(state, course_id)
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "source"
    for assignment in sorted((COURSE_ROOT / "exercises" / "source").iterdir()):
        if assignment.is_dir() and not (source / assignment.name).exists():
            shutil.copytree(assignment, source / assignment.name, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (folder / "nbgrader_config.py").write_text(course_settings(course_id, folder, state / "exchange"), encoding="utf-8")
    uid, gid = pwd.getpwnam(grader).pw_uid, grp.getgrnam(group).gr_gid
    run(["chown", "-R", f"{uid}:{gid}", str(folder)])
    # Instructors (the group) may read; learners may not even enter: the gradebook, the solutions
    # and the submissions stay between the grader account and the course's instructors.
    run(["chmod", "-R", "u+rwX,g+rX,g-w,o-rwx", str(folder)])
    folder.chmod(0o2750)
    return folder


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


def set_up(state: Path = DEFAULT_STATE, cohort: dict | None = None, log=print) -> dict:
    """Set up everything the hub needs; return the settings written to ``state/hub.json``."""
    if os.geteuid() != 0:
        raise SetupError("The hub's set-up creates Unix users and folders under /srv and /opt: run it as root "
                         "(sudo make hub).")
    cohort = cohort or DEMO_COHORT
    install_environment(log=log)
    state.mkdir(parents=True, exist_ok=True)
    state.chmod(0o755)
    private = state / "hub"
    private.mkdir(exist_ok=True)
    private.chmod(0o700)
    exchange = state / "exchange"
    exchange.mkdir(exist_ok=True)
    os.chown(exchange, 0, 0)
    exchange.chmod(0o755)  # only the set-up creates course folders (set_up_course_exchange)
    (state / "courses").mkdir(exist_ok=True)
    (state / "courses").chmod(0o755)

    instructors, learners = cohort_accounts(cohort)
    refusals = [why for name in learners + instructors if (why := cohort_refusal(name, list(cohort["courses"])))]
    if refusals:
        raise SetupError("The cohort names accounts the hub must not use: " + "; ".join(refusals)
                         + ". Give these people other user names in the cohort file.")
    repository = publish_course(state, log=log)
    for name in learners + instructors:
        ensure_user(name)
    record_accounts(state, learners + instructors)
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


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE, help=f"the hub's state folder (default {DEFAULT_STATE})")
    parser.add_argument("--cohort", type=Path, help="a JSON file {courses: {id: {instructors: [...], learners: [...]}}} "
                        "(default: the demo cohort)")
    parser.add_argument("--environment-only", action="store_true", help="only install the shared environment")
    parser.add_argument("--course-settings", metavar="COURSE",
                        help="only print the nbgrader_config.py of COURSE in STATE/courses/COURSE, for Kubernetes "
                        "(--state /srv/nbgrader): collection checks learners' uids in the hub's record on the exchange")
    arguments = parser.parse_args(argv)
    if arguments.course_settings:
        course, exchange = arguments.course_settings, arguments.state / "exchange"
        print(course_settings(course, course_folder(arguments.state, course), exchange,
                              learner_uids=exchange / LEARNER_UIDS_RECORD), end="")
        return 0
    try:
        if arguments.environment_only:
            if not install_environment():
                print(f"The course environment in {ENVIRONMENT}/venv is up to date.")
            return 0
        cohort = json.loads(arguments.cohort.read_text()) if arguments.cohort else None
        set_up(arguments.state, cohort)
    except SetupError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"The hub's machine is set up (state in {arguments.state}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
