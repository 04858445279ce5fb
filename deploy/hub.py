"""Start the course's JupyterHub for a cohort on this machine: what ``make hub`` runs (as root).

1. sets the machine up (``deploy/setup/``: the shared environment, the demo's Unix accounts,
   the courses, the learners' branch of the course);
2. starts JupyterHub (``deploy/jupyterhub_config.py``) with configurable-http-proxy on
   127.0.0.1, its log in ``<state>/hub/jupyterhub.log``;
3. prints where to log in, the demo accounts, a lesson's launch link and the formgrader's address;
4. on Ctrl-C (or SIGTERM), stops the hub, which stops every server it started, then ends any
   process the hub started that is still running (each carries the hub's ``COURSE_HUB_INSTANCE``
   mark in its environment).

The :class:`Hub` class does steps 2 and 4 for the tests and the benchmark too.

It runs with the course environment's Python (it has the hub's package, ``course_hub``), from the
repository's root, after ``make hub-environment`` has installed that environment:

    sudo /opt/local-governance-course/venv/bin/python -m deploy.hub [--cohort cohort.json] [--port 8000]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from course_hub.launch_link import nbgitpuller_link
from course_hub.processes import run_until_signal, stop_process_groups
from deploy.setup.courses import first_lesson
from deploy.setup.environment import ENVIRONMENT
from deploy.setup.machine import DEFAULT_STATE, set_up
from deploy.setup.system import SetupError

CONFIG = Path(__file__).resolve().parent / "jupyterhub_config.py"


class HubError(Exception):
    """The hub could not start or stop as asked; the message says why."""


def marked_processes(mark: str) -> list[int]:
    """Process ids whose environment carries ``COURSE_HUB_INSTANCE=mark``."""
    needle = b"\0" + f"COURSE_HUB_INSTANCE={mark}".encode() + b"\0"
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in b"\0" + environ:
            found.append(int(entry.name))
    return found


def free_ports(count: int) -> list[int]:
    """``count`` different TCP ports on 127.0.0.1 that nothing listens on right now."""
    probes = []
    try:
        for _ in range(count):
            probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            probe.bind(("127.0.0.1", 0))
            probes.append(probe)
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


class Hub:
    """One JupyterHub process of the course, with everything it starts, on this machine."""

    @classmethod
    def on_free_ports(cls, state: Path, courses: int, **options) -> "Hub":
        """A hub whose public, internal and services' ports (two per course: the formgrader, then the
        progress service) are all free and all different."""
        port, api_port, proxy_api_port, *service_ports = free_ports(3 + 2 * courses)
        return cls(state, port=port, api_port=api_port, proxy_api_port=proxy_api_port,
                   service_ports=service_ports, **options)

    def __init__(self, state: Path, port: int = 8000, ip: str = "127.0.0.1", login: str = "native",
                 api_port: int = 8081, proxy_api_port: int = 8001, service_ports: list[int] | None = None,
                 log_path: Path | None = None, extra_environment: dict[str, str] | None = None) -> None:
        self.state = Path(state)
        self.port, self.ip = port, ip
        self.login = login
        self.api_port, self.proxy_api_port = api_port, proxy_api_port
        self.service_ports = service_ports or []
        self.log_path = log_path or self.state / "hub" / "jupyterhub.log"
        self.extra_environment = extra_environment or {}
        self.mark = ""
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{self.ip}:{self.port}"

    def environment(self) -> dict[str, str]:
        environment = {key: value for key, value in os.environ.items()
                       if not key.startswith(("JUPYTER", "COURSE_HUB_", "VIRTUAL_ENV", "PYTHON"))}
        bin_dir = str(ENVIRONMENT / "venv" / "bin")
        environment["PATH"] = bin_dir + os.pathsep + environment.get("PATH", "/usr/bin:/bin")
        environment.update({
            "COURSE_HUB_STATE": str(self.state),
            "COURSE_HUB_IP": self.ip,
            "COURSE_HUB_PORT": str(self.port),
            "COURSE_HUB_API_PORT": str(self.api_port),
            "COURSE_HUB_PROXY_API_PORT": str(self.proxy_api_port),
            "COURSE_HUB_SERVICE_PORTS": ",".join(map(str, self.service_ports)),
            "COURSE_HUB_LOGIN": self.login,
            "COURSE_HUB_INSTANCE": self.mark,
        })
        environment.update(self.extra_environment)
        return environment

    def start(self, timeout: float = 120) -> None:
        self.mark = secrets.token_hex(8)
        jupyterhub = ENVIRONMENT / "venv" / "bin" / "jupyterhub"
        if not jupyterhub.exists():
            raise HubError(f"{jupyterhub} is missing: install the course environment first (make hub-environment).")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [str(jupyterhub), "-f", str(CONFIG)], cwd=self.state / "hub", env=self.environment(),
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()  # what it had started already (the proxy, services) must not outlive it
                raise HubError(f"JupyterHub stopped while starting (exit status {self.process.returncode}); "
                               f"see {self.log_path}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        self.stop()
        raise HubError(f"JupyterHub did not answer at {self.url} within {timeout:.0f} s; see {self.log_path}")

    def log_tail(self, characters: int = 3000) -> str:
        """The end of the hub's log, after its errors (the servers it starts log there too)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        lines = text.splitlines()
        errors = [i for i, line in enumerate(lines) if line.startswith(("[C ", "[E "))]
        first = "\n".join(lines[errors[0]:errors[0] + 40]) + "\n...\n" if errors else ""
        return first + text[-characters:]

    def stop(self, grace: float = 60) -> list[int]:
        """Stop the hub (it stops its servers, services and proxy), then end anything left of them.

        Returns the processes that were still running after the hub had exited (and were then
        ended): an empty list means the hub stopped everything it started by itself.
        """
        if self.process is not None:
            stop_process_groups([self.process], grace)
        if not self.mark:
            return []
        left = marked_processes(self.mark)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            remaining = marked_processes(self.mark)
            if not remaining:
                break
            for pid in remaining:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + 10
            while marked_processes(self.mark) and time.monotonic() < deadline:
                time.sleep(0.2)
        return left

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def banner(hub: Hub, settings: dict) -> str:
    lines = ["", f"  Course hub: {hub.url}/hub/login  (only from this machine)", ""]
    if hub.login == "native":
        lines.append("  Accounts (user name / first password; each may change it at /hub/change-password):")
        for name, password in settings["passwords"].items():
            role = "instructor" if name in settings["instructors"] else "learner"
            lines.append(f"    {name:<12} {password:<16} {role}")
        lines.append("")
    lines.append("  Launch the first lesson (the site's 'Launch on JupyterHub' link, with this hub's copy of the course):")
    lines.append("    " + nbgitpuller_link(hub.url, settings["repository"], settings["branch"],
                                       first_lesson(Path(settings["repository"]))))
    for course_id in settings["courses"]:
        lines.append(f"  Formgrader of {course_id} (instructors): {hub.url}/services/{course_id}/formgrader")
    lines += ["", f"  Hub log: {hub.log_path}", "", "Press Ctrl-C to stop the hub and every server it started."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.hub", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8000, help="port of the hub on 127.0.0.1 (default 8000)")
    parser.add_argument("--ip", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE, help="the hub's state folder")
    parser.add_argument("--login", choices=["native", "lti13"], default="native",
                        help="native: the set-up's accounts with their passwords; lti13: your learning platform")
    parser.add_argument("--cohort", type=Path, help="a JSON file {courses: {id: {instructors: [...], learners: [...]}}} "
                        "(default: the demo cohort, one instructor and three learners)")
    arguments = parser.parse_args(argv)

    try:
        cohort = json.loads(arguments.cohort.read_text()) if arguments.cohort else None
        settings = set_up(arguments.state, cohort)
    except SetupError as error:
        print(error, file=sys.stderr)
        return 1
    hub = Hub(arguments.state, port=arguments.port, ip=arguments.ip, login=arguments.login)

    def start() -> None:
        print(f"Starting JupyterHub on {hub.url} ...", flush=True)
        hub.start()
        print(banner(hub, settings), flush=True)

    def failure() -> str | None:
        if hub.running():
            return None
        return f"JupyterHub stopped unexpectedly; see {hub.log_path}:\n{hub.log_tail()}"

    return run_until_signal(start, failure, hub.stop, "\nStopping the hub and every server it started...",
                            errors=(HubError,))


if __name__ == "__main__":
    sys.exit(main())
