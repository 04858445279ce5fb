"""The repository that learners' launch links clone must not be the instructors' one.

Learners' "Launch on JupyterHub" links make nbgitpuller clone ``course_repository_url``, and whoever
can clone a repository can read all of its branches: :func:`check_repository_url` stops the build
when that address is a remote of a repository that holds ``exercises/source/``.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.parse
from pathlib import Path

from exercise_release import NBGRADER_MARKERS, cell_text
from sphinx.errors import ExtensionError


def check_repository_url(root: Path, url: str) -> None:
    """Refuse a ``course_repository_url`` that is a remote of the repository at ``root`` while that
    repository holds the instructors' ``exercises/source/`` (solutions and hidden tests).

    Learners' launch links make nbgitpuller clone that address, and whoever can clone a repository
    can read all of its branches. A remote is accepted only when git knows its branches and none
    holds ``exercises/source/`` (a learners' repository that the learners' branch is pushed to).
    """
    if not url or not _holds_instructor_sources(root):
        return
    wanted = _comparable_url(url, root)
    for remote in (_git(root, "remote") or "").split():
        addresses = (_git(root, "remote", "get-url", "--all", remote) or "").split()
        addresses += (_git(root, "remote", "get-url", "--push", "--all", remote) or "").split()
        if wanted not in {_comparable_url(address, root) for address in addresses}:
            continue
        refs = (_git(root, "for-each-ref", "--format=%(refname)", f"refs/remotes/{remote}/") or "").split()
        branches = [ref for ref in refs if ref != f"refs/remotes/{remote}/HEAD"]
        if branches and not any(_git(root, "ls-tree", "-r", "--name-only", ref, "--", "exercises/source")
                                for ref in branches):
            continue
        raise ExtensionError(
            f"course_repository_url ({wanted}) is the git remote {remote!r} of the repository this "
            f"site is built from, and that repository holds the instructors' exercises/source/ "
            f"(solutions and hidden tests). The \"Launch on JupyterHub\" links make every learner's "
            f"hub clone that address, and whoever can clone a repository can read all of its "
            f"branches. Keep the instructors' sources in a private repository, push the branch "
            f"made by `make learner-branch` to a separate learners' repository, and set "
            f"course_repository_url in _config.yml to that repository (book/hosting.md, "
            f"\"Connecting the site to your hub\")."
        )


def _git(root: Path, *arguments: str) -> str | None:
    """The output of a git command in ``root``, or None when git or the repository is missing."""
    try:
        result = subprocess.run(["git", "-C", str(root), *arguments], capture_output=True, text=True)
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _comparable_url(url: str, root: Path) -> str:
    """A git address without what does not change the repository it names: scheme, user name,
    password, port, ``.git`` suffix, trailing slash and case (``git@host:a/b.git`` ==
    ``https://host/a/b``). A local path is made absolute from ``root``."""
    url = url.strip()
    if "://" in url:
        parts = urllib.parse.urlsplit(url)
        host, path = (parts.hostname or "").lower(), parts.path
    elif ":" in url.split("/", 1)[0]:  # git's scp-like syntax, [user@]host:path
        address, path = url.split(":", 1)
        host = address.rsplit("@", 1)[-1].lower()
    else:
        host, path = "", os.path.abspath(os.path.join(root, os.path.expanduser(url)))
    path = path.strip("/").removesuffix(".git").rstrip("/")
    return f"{host}/{path}".lower()


def _holds_instructor_sources(root: Path) -> bool:
    """Whether git tracks notebooks in ``exercises/source/`` with solution cells or hidden tests."""
    for name in (_git(root, "ls-files", "--", "exercises/source") or "").splitlines():
        path = root / name
        if path.suffix != ".ipynb" or not path.is_file():
            continue
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (ValueError, OSError):
            continue
        for cell in cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                return True
            if any(marker in cell_text(cell) for marker in NBGRADER_MARKERS):
                return True
    return False
