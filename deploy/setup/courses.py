"""The courses of a hub on one machine: the learners' branch that nbgitpuller clones, and each
course's grader account, instructors group, folders in the exchange and nbgrader folder."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from course_hub.accounts import grader_account, instructors_group
from deploy.setup.course_settings import course_folder, course_settings
from deploy.setup.system import COURSE_ROOT, SetupError, ensure_group, ensure_user, run, sync_group_members

#: The branch learners pull (made by scripts/learner_branch.py).
LEARNERS_BRANCH = "learners"


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


#: What the self-paced loop reads of the course's pages (autograder.selfpaced.outline), in each
#: language: the French edition's table of contents gives the French module titles of its pages.
OUTLINE_FILES = ("_toc.yml", "syllabus.md", "fr/_toc.yml", "fr/syllabus.md")


def certificate_key(state: Path) -> Path:
    """The institution's private key that signs certificates, made once by the set-up (root only).
    An institution may put its own key there instead (see the hosting guide)."""
    return state / "hub" / "certificates" / "institution-private.pem"


def make_certificate_key(state: Path, python: Path, log=print) -> None:
    """Create the certificate signing key if there is none yet (the environment's ``autograder``)."""
    key = certificate_key(state)
    if key.exists():
        return
    key.parent.mkdir(parents=True, exist_ok=True)
    key.parent.chmod(0o700)
    run([str(python), "-m", "autograder", "certificate", "keygen", "--out", str(key.parent)])
    log(f"Made a key that signs certificates: {key} (publish {key.with_name('institution-public.pem')}).")


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
    # The self-paced loop's services read the course's modules from its table of contents and syllabus.
    for name in OUTLINE_FILES:
        (folder / "book" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(COURSE_ROOT / "book" / name, folder / "book" / name)
    (folder / "nbgrader_config.py").write_text(course_settings(course_id, folder, state / "exchange",
                                                               certificate_key=certificate_key(state)), encoding="utf-8")
    uid, gid = pwd.getpwnam(grader).pw_uid, grp.getgrnam(group).gr_gid
    run(["chown", "-R", f"{uid}:{gid}", str(folder)])
    # Instructors (the group) may read; learners may not even enter: the gradebook, the solutions
    # and the submissions stay between the grader account and the course's instructors.
    run(["chmod", "-R", "u+rwX,g+rX,g-w,o-rwx", str(folder)])
    folder.chmod(0o2750)
    return folder
