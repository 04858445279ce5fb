"""`make start` really serves the course site and JupyterLab, and Ctrl-C stops both."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import COURSE_ROOT, free_port

pytestmark = pytest.mark.slow

START_TIMEOUT_SECONDS = 1200  # the first start builds and executes the whole site


def read_lines_until(process, pattern: re.Pattern, lines: list[str], timeout: float) -> re.Match:
    """Collect the process's output into ``lines`` until a line matches ``pattern``."""
    found: list[re.Match] = []

    def reader():
        for line in process.stdout:
            lines.append(line)
            match = pattern.search(line)
            if match and not found:
                found.append(match)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not found and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.5)
    if not found:
        raise AssertionError("make start did not print JupyterLab's address:\n" + "".join(lines[-80:]))
    return found[0]


def port_answers(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def test_make_start_serves_the_site_and_jupyterlab_then_stops_on_ctrl_c(tool_environment):
    site_port, lab_port = free_port(), free_port()
    environment = {key: value for key, value in tool_environment.items() if not key.startswith("MAKE")}
    process = subprocess.Popen(
        ["make", "start", f"SITE_PORT={site_port}", f"LAB_PORT={lab_port}"],
        cwd=COURSE_ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    try:
        lab = read_lines_until(process, re.compile(r"JupyterLab:\s+(http://127\.0\.0\.1:\d+/lab\?token=(\w+))"),
                               lines, START_TIMEOUT_SECONDS)
        output = "".join(lines)
        assert f"Course site: http://127.0.0.1:{site_port}/" in output

        with urllib.request.urlopen(f"http://127.0.0.1:{site_port}/", timeout=10) as response:
            redirect = response.read().decode("utf-8")
        # The site's root sends a browser to its home page in the browser's language (English without a script).
        home_path = re.search(r'url=([^"]+)"', redirect).group(1)
        with urllib.request.urlopen(f"http://127.0.0.1:{site_port}/{home_path}", timeout=10) as response:
            home = response.read().decode("utf-8")
        assert "Local governance, smart towns and open government" in home
        assert "Communal budgeting" in home
        french_path = json.loads(re.search(r"var links=(\{.*?\});", redirect).group(1))["fr"]
        with urllib.request.urlopen(f"http://127.0.0.1:{site_port}/{french_path}", timeout=10) as response:
            assert "Gouvernance locale, villes intelligentes et gouvernement ouvert" in response.read().decode("utf-8")

        token = lab.group(2)
        request = urllib.request.Request(f"http://127.0.0.1:{lab_port}/api/status",
                                         headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            status = json.loads(response.read())
        assert "started" in status and status["kernels"] >= 0

        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{lab_port}/api/status", timeout=10)
        assert refused.value.code == 403, "JupyterLab must refuse requests without the token"

        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        process.wait(timeout=60)
        deadline = time.monotonic() + 20
        while (port_answers(site_port) or port_answers(lab_port)) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not port_answers(site_port), "the site server still answers after Ctrl-C"
        assert not port_answers(lab_port), "JupyterLab still answers after Ctrl-C"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
