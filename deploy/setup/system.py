"""What every step of the set-up uses: where the course is, commands that must succeed, Unix users
and groups. Only the standard library."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import subprocess
from pathlib import Path

#: The repository the hub is set up from.
COURSE_ROOT = Path(__file__).resolve().parents[2]


class SetupError(Exception):
    """The machine cannot be set up as asked; the message says what to do."""


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise SetupError(f"{' '.join(map(str, command))} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result


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


def sync_group_members(group: str, members: list[str]) -> None:
    """Make ``members`` the only members of the Unix group ``group`` (add the missing, remove the others)."""
    current = set(grp.getgrnam(group).gr_mem)
    for name in sorted(current - set(members)):
        run(["gpasswd", "--delete", name, group])
    for name in members:
        if name not in current:
            run(["usermod", "--append", "--groups", group, name])
