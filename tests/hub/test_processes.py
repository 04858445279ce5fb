"""The loop of ``make hub`` and ``make start`` (course_hub.processes): it waits for Ctrl-C or SIGTERM,
notices a child that stops on its own, and always stops its children."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from course_hub.processes import run_until_signal, stop_process_groups


def sleeper(seconds: float = 60) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", f"import time; time.sleep({seconds})"], start_new_session=True)


def send_soon(sig: int, delay: float = 0.5) -> None:
    threading.Timer(delay, os.kill, (os.getpid(), sig)).start()


@pytest.fixture(autouse=True)
def signal_handlers_restored():
    """The loop sets this process's SIGINT and SIGTERM handlers (the command exits after it): put pytest's back."""
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in previous.items():
        signal.signal(sig, handler)


def test_sigterm_ends_the_wait_and_stops_every_child(capsys):
    children: list[subprocess.Popen] = []
    send_soon(signal.SIGTERM)
    status = run_until_signal(lambda: children.extend([sleeper(), sleeper()]), lambda: None,
                              lambda: stop_process_groups(children, grace=5), "stopping now", poll_seconds=0.1)
    assert status == 0
    assert "stopping now" in capsys.readouterr().out
    assert all(child.poll() is not None for child in children), "a child outlived the loop"


def test_a_child_that_stops_on_its_own_ends_the_command_with_its_message(capsys):
    children: list[subprocess.Popen] = []

    def failure() -> str | None:
        return "the server stopped unexpectedly" if children[0].poll() is not None else None

    status = run_until_signal(lambda: children.extend([sleeper(0.3), sleeper()]), failure,
                              lambda: stop_process_groups(children, grace=5), "stopping now", poll_seconds=0.1)
    assert status == 1
    assert "the server stopped unexpectedly" in capsys.readouterr().err
    assert children[1].poll() is not None, "the other child was left running"


def test_a_child_that_cannot_start_is_reported_and_the_others_are_stopped(capsys):
    children: list[subprocess.Popen] = []

    def start() -> None:
        children.append(sleeper())
        raise RuntimeError("JupyterLab did not answer within 120 s.")

    status = run_until_signal(start, lambda: None, lambda: stop_process_groups(children, grace=5), "stopping now")
    assert status == 1
    assert "did not answer" in capsys.readouterr().err
    assert children[0].poll() is not None


def test_a_child_that_ignores_sigterm_is_killed_after_the_grace_period():
    child = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                              "print('ready', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, start_new_session=True)
    assert child.stdout.readline().strip() == b"ready"
    started = time.monotonic()
    stop_process_groups([child], grace=0.5)
    assert child.returncode == -signal.SIGKILL
    assert time.monotonic() - started < 10
