"""The nbgitpuller link that opens a lesson on the course's JupyterHub.

One function, shared by the site (``book/_ext/course_site.py``, the "Launch on JupyterHub" button),
by ``make hub`` (``deploy/hub.py`` prints it) and by the hub's tests, so that the link learners click
is the link the hub is tested with. It depends on nothing but the standard library.
"""

from __future__ import annotations

from urllib.parse import urlencode


def repository_folder(repository: str) -> str:
    """The folder nbgitpuller clones ``repository`` into, in the learner's home: its last part."""
    return repository.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")


def nbgitpuller_link(hub_url: str, repository: str, branch: str, path: str) -> str:
    """Return the link that makes the hub clone (or update) ``repository`` at ``branch`` into the
    learner's home and open ``path`` (relative to the repository root) in JupyterLab.

    ``hub_url`` is the hub's address as learners reach it (``http://127.0.0.1:8000``).
    """
    repository = repository.rstrip("/")
    folder = repository_folder(repository)
    query = urlencode(
        {
            "repo": repository,
            "branch": branch,
            "urlpath": f"lab/tree/{folder}/{path}",
            "targetpath": folder,
        }
    )
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"
