"""Fixtures of the hub tests."""

from __future__ import annotations

import fcntl

import pytest

#: Hub tests create and reuse Unix accounts (hubtest-*): two test runs on one machine take turns.
LOCK = "/srv/.local-governance-hub-tests.lock"


@pytest.fixture(scope="module")
def hub_machine_lock():
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
        fcntl.flock(lock, fcntl.LOCK_UN)
