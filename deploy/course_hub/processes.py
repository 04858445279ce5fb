"""Run child processes until Ctrl-C or SIGTERM, then stop them: the loop of ``make hub`` and ``make start``.

Both start their children, print where to go, and then wait: a signal (Ctrl-C in the terminal, or
SIGTERM from a service manager) ends the wait, and so does a child that stops on its own. Either
way, every child is stopped before the command exits. Each child runs in a process group (a
session) of its own, so that stopping it stops what it started too. Only the standard library:
``make hub`` runs it with the hub's environment, ``make start`` with the repository's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable


def stop_process_groups(processes: Iterable[subprocess.Popen], grace: float) -> None:
    """Stop each process and its group: SIGTERM first, SIGKILL to those still running after ``grace`` seconds."""
    processes = list(processes)
    for process in processes:
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_until_signal(start: Callable[[], None], failure: Callable[[], str | None], stop: Callable[[], object],
                     stopping_message: str, errors: tuple[type[Exception], ...] = (RuntimeError,),
                     poll_seconds: float = 0.5) -> int:
    """Start the children and wait until SIGINT or SIGTERM, or until one of them stops; always stop them.

    ``start`` starts the children and says where to reach them; it raises one of ``errors``, with a
    message for the person at the terminal, when they cannot start. ``failure`` returns None while
    every child runs, else what to tell about the one that stopped. ``stop`` stops them all.

    Returns the command's exit status: 0 after a signal; 1 when a child could not start or stopped
    on its own (the message goes to stderr).
    """
    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        start()
        while not stopping:
            problem = failure()
            if problem:
                print(problem, file=sys.stderr)
                return 1
            time.sleep(poll_seconds)
        print(stopping_message, flush=True)
        return 0
    except errors as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        stop()
