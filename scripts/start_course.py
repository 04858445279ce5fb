"""Start the course for one learner on this machine: the built site and JupyterLab, both on 127.0.0.1.

``make start`` runs this after building the site. It

1. releases every exercise of ``exercises/source/`` into a local nbgrader exchange (``.make/exchange``),
   so that the learner can fetch it from JupyterLab's Assignments panel and submit it;
2. serves the built site (``_build/html``, with its precompressed ``.gz`` files: see
   :class:`CourseSiteHandler`; ``python scripts/start_course.py --serve-only --site-dir DIR --site-port N``
   runs this server alone) and starts JupyterLab (with nbgrader and jupytext) on the
   course folder;
3. prints both addresses, and stops both cleanly on Ctrl-C (or SIGTERM): the same loop as
   ``make hub`` (``course_hub.processes``).
"""

from __future__ import annotations

import argparse
import functools
import http.server
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

from course_hub.processes import run_until_signal, stop_process_groups

COURSE_ROOT = Path(__file__).resolve().parent.parent
STATE = COURSE_ROOT / ".make"
HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 120
STOP_GRACE_SECONDS = 10


class CourseSiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the built site, sending the precompressed sibling ``x.js.gz`` of ``x.js`` when the browser accepts gzip.

    The site's build (``book/_ext/course_site.py``) writes those siblings; a lesson page's widget
    manager alone is 3.6 MB, and about 0.9 MB compressed.
    """

    def send_head(self):
        path = self.translate_path(self.path)
        compressed = path + ".gz"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and os.path.isfile(path) and os.path.isfile(compressed)):
            return super().send_head()
        try:
            file = open(compressed, "rb")
        except OSError:
            return super().send_head()
        size = os.fstat(file.fileno()).st_size
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(size))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(os.path.getmtime(path))))
        self.end_headers()
        return file

    def log_message(self, format, *args):  # noqa: A002 (the name is the base class's)
        pass


def serve_site(site_dir: Path, port: int) -> None:
    """Serve ``site_dir`` on 127.0.0.1:``port`` until interrupted."""
    handler = functools.partial(CourseSiteHandler, directory=str(site_dir))
    http.server.ThreadingHTTPServer.allow_reuse_address = True
    with http.server.ThreadingHTTPServer((HOST, port), handler) as server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site-port", type=int, default=8080, help="port of the course site (default 8080)")
    parser.add_argument("--lab-port", type=int, default=8888, help="port of JupyterLab (default 8888)")
    parser.add_argument("--site-dir", type=Path, default=COURSE_ROOT / "_build" / "html", help="the built site")
    parser.add_argument("--serve-only", action="store_true", help="only serve --site-dir on --site-port (no JupyterLab)")
    return parser.parse_args(argv)


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def write_jupyter_config(exchange: Path) -> Path:
    """Write the nbgrader settings of this single-learner set-up; return the config folder."""
    config_dir = STATE / "jupyter"
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "nbgrader_config.py").write_text(
        "# Written by scripts/start_course.py for `make start` (one learner on this machine).\n"
        "import os\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(COURSE_ROOT / 'exercises')!r}\n"
        "c.CourseDirectory.course_id = 'local-governance'\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        f"c.Exchange.assignment_dir = {str(COURSE_ROOT / 'my_exercises')!r}\n",
        encoding="utf-8",
    )
    return config_dir


def release_exercises(exchange: Path, environment: dict[str, str]) -> list[str]:
    """Generate and release every exercise into the local exchange; return their names."""
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o777)
    (COURSE_ROOT / "my_exercises").mkdir(exist_ok=True)
    assignments = sorted(p.name for p in (COURSE_ROOT / "exercises" / "source").iterdir() if p.is_dir())
    for assignment in assignments:
        for step in ("generate_assignment", "release_assignment"):
            command = [sys.executable, "-m", "nbgrader", step, assignment, "--force", "--log-level=ERROR"]
            result = subprocess.run(command, cwd=COURSE_ROOT / "exercises", env=environment, capture_output=True, text=True)
            if result.returncode != 0:
                sys.exit(
                    f"Could not prepare exercise {assignment} ({step} failed). "
                    f"Check exercises/source/{assignment}/ and try again.\n{result.stderr[-2000:]}"
                )
    return assignments


def wait_until_up(url: str, process: subprocess.Popen, name: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} stopped while starting (exit status {process.returncode}); see the messages above.")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers: the server is up
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"{name} did not answer at {url} within {START_TIMEOUT_SECONDS} s.")


class CourseServers:
    """The site server and JupyterLab of ``make start``, each in a process group of its own."""

    NAMES = ("The site server", "JupyterLab")

    def __init__(self, arguments: argparse.Namespace, site_dir: Path, environment: dict[str, str]) -> None:
        self.environment = environment
        self.token = secrets.token_hex(16)
        self.site_url = f"http://{HOST}:{arguments.site_port}/"
        self.lab_url = f"http://{HOST}:{arguments.lab_port}/lab?token={self.token}"
        self.lab_status_url = f"http://{HOST}:{arguments.lab_port}/api/status?token={self.token}"
        self.site_command = [sys.executable, str(Path(__file__).resolve()), "--serve-only",
                             "--site-port", str(arguments.site_port), "--site-dir", str(site_dir)]
        self.lab_command = [
            sys.executable, "-m", "jupyter", "lab", "--no-browser",
            f"--ServerApp.ip={HOST}", f"--ServerApp.port={arguments.lab_port}", "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={COURSE_ROOT}", f"--IdentityProvider.token={self.token}",
        ]
        if os.geteuid() == 0:
            self.lab_command.append("--allow-root")
        self.processes: list[subprocess.Popen] = []

    def start(self) -> None:
        """Start both and wait until both answer (RuntimeError if one does not)."""
        self.processes.append(subprocess.Popen(self.site_command, env=self.environment, start_new_session=True,
                                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        self.processes.append(subprocess.Popen(self.lab_command, env=self.environment, start_new_session=True,
                                               cwd=COURSE_ROOT))
        wait_until_up(self.site_url, self.processes[0], self.NAMES[0])
        wait_until_up(self.lab_status_url, self.processes[1], self.NAMES[1])
        (STATE / "lab-url").write_text(self.lab_url + "\n", encoding="utf-8")

    def failure(self) -> str | None:
        for process, name in zip(self.processes, self.NAMES):
            if process.poll() is not None:
                return f"{name} stopped unexpectedly (exit status {process.returncode}); stopping the course."
        return None

    def stop(self) -> None:
        stop_process_groups(self.processes, STOP_GRACE_SECONDS)


def check_can_start(arguments: argparse.Namespace, site_dir: Path) -> None:
    """Exit with a message if the site is not built or a port is taken."""
    if not (site_dir / "index.html").exists():
        sys.exit(f"The course site is not built yet ({site_dir} has no index.html): run `make start` or `make book`.")
    for name, port in (("site", arguments.site_port), ("JupyterLab", arguments.lab_port)):
        if not port_is_free(port):
            option = "SITE_PORT" if name == "site" else "LAB_PORT"
            sys.exit(f"Port {port} on {HOST} is already in use, so the {name} cannot start there. "
                     f"Stop the program that uses it, or choose another port: make start {option}=<port>")


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    site_dir = arguments.site_dir.resolve()
    if arguments.serve_only:
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        serve_site(site_dir, arguments.site_port)
        return 0
    check_can_start(arguments, site_dir)

    exchange = STATE / "exchange"
    environment = dict(os.environ)
    environment["PATH"] = str(Path(sys.executable).parent) + os.pathsep + environment.get("PATH", "")
    environment["JUPYTER_CONFIG_PATH"] = str(write_jupyter_config(exchange))
    print("Preparing the exercises for JupyterLab's Assignments panel...", flush=True)
    assignments = release_exercises(exchange, environment)
    servers = CourseServers(arguments, site_dir, environment)

    def start() -> None:
        servers.start()
        print()
        print(f"  Course site: {servers.site_url}")
        print(f"  JupyterLab:  {servers.lab_url}")
        print(f"  Exercises ready to fetch in JupyterLab (Assignments panel): {', '.join(assignments)}")
        print()
        print("Press Ctrl-C to stop both.", flush=True)

    return run_until_signal(start, servers.failure, servers.stop, "\nStopping the course site and JupyterLab...")


if __name__ == "__main__":
    sys.exit(main())
