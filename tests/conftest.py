"""Shared fixtures: paths of the course, and the environment its tools need."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

COURSE_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def course_root() -> Path:
    return COURSE_ROOT


@pytest.fixture(scope="session")
def tool_environment() -> dict[str, str]:
    """The environment for the course's command-line tools: the venv's bin first on PATH
    (nbgrader runs `alembic` from PATH) and the course importable from notebooks."""
    environment = dict(os.environ)
    environment["PATH"] = str(Path(sys.executable).parent) + os.pathsep + environment.get("PATH", "")
    environment["PYTHONPATH"] = str(COURSE_ROOT) + os.pathsep + environment.get("PYTHONPATH", "")
    return environment


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
