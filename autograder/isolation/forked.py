"""The grader's side of the zygote (:mod:`autograder.isolation.zygote`): asking it for a kernel, and
the forked kernel as a process that can be polled, waited for and signalled like a ``Popen``."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import threading
import time

class Zygote:
    """A running :mod:`autograder.isolation.zygote` process and the pipe to ask it for kernels."""

    def __init__(self, command: list[str], env: dict[str, str], startup_timeout: float,
                 log_file: str | None = None) -> None:
        log = open(log_file, "ab") if log_file else None
        try:
            self.process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=env,
                start_new_session=True,
            )
        finally:
            if log is not None:
                log.close()
        self._lock = threading.Lock()
        ready = self._read_line(startup_timeout)
        if not ready or not ready.get("ready"):
            self.close()
            raise RuntimeError(
                f"The kernel zygote did not start (command: {' '.join(command)}). "
                "Set c.KernelLauncher.preload = False to start kernels the usual way."
            )
        self.not_preloaded = ready.get("not_preloaded", [])

    def _read_line(self, timeout: float) -> dict | None:
        readable, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not readable:
            return None
        line = self.process.stdout.readline()
        return json.loads(line) if line else None

    def alive(self) -> bool:
        return self.process.poll() is None

    def spawn(self, kernel_args: list[str], cwd: str, env: dict[str, str],
              sandbox: dict | None = None) -> "ForkedKernel":
        request = {"argv": kernel_args, "cwd": cwd, "env": env, "sandbox": sandbox}
        with self._lock:
            self.process.stdin.write((json.dumps(request) + "\n").encode())
            self.process.stdin.flush()
            answer = self._read_line(30.0)
        if not answer or "pid" not in answer:
            raise RuntimeError(f"The kernel zygote could not start a kernel: {answer}")
        return ForkedKernel(answer["pid"])

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except (OSError, ValueError):
                pass


class ForkedKernel:
    """A Popen-like handle on a kernel forked by the zygote (not our child: followed by a pidfd)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except (OSError, AttributeError):
            self._pidfd = None

    def poll(self) -> int | None:
        if self.returncode is not None:
            return self.returncode
        if self._pidfd is not None:
            readable, _, _ = select.select([self._pidfd], [], [], 0)
            finished = bool(readable)
        else:
            try:
                os.kill(self.pid, 0)
                finished = False
            except ProcessLookupError:
                finished = True
        if finished:
            self.returncode = -signal.SIGKILL if self._killed else 0
            self._close()
        return self.returncode

    _killed = False

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            if self._pidfd is not None:
                select.select([self._pidfd], [], [], 0.05)
            else:
                time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            if signum == signal.SIGKILL:
                self._killed = True
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def _close(self) -> None:
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None

    def __del__(self) -> None:
        self._close()
