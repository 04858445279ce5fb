"""The course environment that every hub user's server runs in, shared by all users of the machine.

A virtual environment outside the repository and /root (both are private), made from Debian's
Python, which every user may run: ``/opt/local-governance-course/venv`` (``COURSE_HUB_ENV`` names
another folder). ``install-environment.sh`` installs it (the same recipe builds the Kubernetes
image); a stamp, the hash of everything that goes in, skips the install when nothing changed.

    python3 -m deploy.setup.environment    # from the repository root, as root: make hub-environment

Only the standard library: it runs with the Python that creates the environment.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

from deploy.setup.system import COURSE_ROOT, SetupError, run

#: Where the shared environment lives (readable and executable by every user).
ENVIRONMENT = Path(os.environ.get("COURSE_HUB_ENV", "/opt/local-governance-course"))
#: Debian's Python: every user may run it (pyenv's, under /root, is private).
SYSTEM_PYTHON = "/usr/bin/python3"
#: The one recipe of the environment, for make hub and for the Kubernetes image.
INSTALL_SCRIPT = Path(__file__).resolve().with_name("install-environment.sh")
#: The folders of the repository that the environment is made of.
INSTALLED_FOLDERS = ("modules", "autograder", "deploy/course_hub", "deploy/jupyter")


def environment_python() -> Path:
    return ENVIRONMENT / "venv" / "bin" / "python"


def _environment_inputs() -> list[Path]:
    files = [COURSE_ROOT / "pyproject.toml", COURSE_ROOT / "requirements.lock", COURSE_ROOT / ".ci" / "jupyterlab-settings",
             INSTALL_SCRIPT]
    for folder in INSTALLED_FOLDERS:
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
    run(["bash", str(INSTALL_SCRIPT), SYSTEM_PYTHON, str(ENVIRONMENT / "venv")])
    stamp.write_text(fingerprint + "\n")
    return True


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="python3 -m deploy.setup.environment", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter).parse_args(argv)
    try:
        if not install_environment():
            print(f"The course environment in {ENVIRONMENT}/venv is up to date.")
    except SetupError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
