"""Benchmark: twenty learners log in to the course hub and start JupyterLab at the same moment.

It sets up a hub of its own (``deploy/hub.py``, a state folder under /srv, accounts
``bench-learner01``...), then twenty threads each log in through the login form, start their server
through the hub's REST API and wait until JupyterLab works (its page loads and its contents API
answers). It reports, for that burst:

* the time from logging in to a working JupyterLab (p50, p95), what a learner waits for;
* the memory of each learner's server once started (PSS of the server process: shared libraries are
  counted once across all servers; RSS, which counts them in every server, is shown too);
* the hub's own processor and memory use (JupyterHub and configurable-http-proxy together).

Run as root from the repository root (``make bench`` does it):

    python bench/bench_hub.py [--learners 20]

It prints a markdown table with PASS or FAIL against the targets (p95 under 30 s, under 200 MB per
learner server) and always exits with status 0: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from course_hub.hub_client import HubUser  # noqa: E402
from deploy.hub import Hub, marked_processes  # noqa: E402
from deploy.setup.machine import set_up  # noqa: E402

TARGET_P95_SECONDS = 30.0
TARGET_MB_PER_SERVER = 200.0
COURSE = "local-governance"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def learner_journey(hub_url: str, name: str, password: str, results: dict, barrier: threading.Barrier) -> None:
    user = HubUser(hub_url, name, password, timeout=120)
    barrier.wait()
    start = time.monotonic()
    try:
        user.login()
        user.create_token()
        user.start_server()
        user.wait_until_ready(timeout=300)  # as the hub's "spawn pending" page: on the progress stream
        for attempt in range(20):
            if user.lab_is_working():
                results[name] = time.monotonic() - start
                return
            time.sleep(0.5)
        results[name] = "JupyterLab did not work once its server was ready"
    except Exception as error:  # noqa: BLE001 (reported in the table)
        results[name] = error


class HubWatcher(threading.Thread):
    """Samples the hub's and the proxy's memory while the burst runs; counts their CPU time."""

    def __init__(self, processes: list[psutil.Process]) -> None:
        super().__init__(daemon=True)
        self.processes = processes
        self.peak_rss = 0
        self.stopping = threading.Event()
        self.cpu_start = self.cpu_seconds()
        self.wall_start = time.monotonic()

    def cpu_seconds(self) -> float:
        return sum(p.cpu_times().user + p.cpu_times().system for p in self.processes)

    def run(self) -> None:
        while not self.stopping.is_set():
            self.peak_rss = max(self.peak_rss, sum(p.memory_info().rss for p in self.processes))
            time.sleep(0.2)

    def finish(self) -> tuple[float, float, int]:
        """(CPU seconds, share of one core over the burst, peak RSS in bytes)."""
        self.stopping.set()
        self.join()
        cpu = self.cpu_seconds() - self.cpu_start
        return cpu, cpu / (time.monotonic() - self.wall_start), self.peak_rss


def server_memory(mark: str, learners: list[str]) -> tuple[list[float], list[float], list[float]]:
    """(PSS, RSS) in MB and processor seconds of each learner's server process (no kernel is running)."""
    import pwd

    uids = {pwd.getpwnam(name).pw_uid for name in learners}
    pss, rss, cpu = [], [], []
    for pid in marked_processes(mark):
        try:
            process = psutil.Process(pid)
            if process.uids().real not in uids:  # a learner's server (no kernel runs in this benchmark)
                continue
            full = process.memory_full_info()
            pss.append(full.pss / 1e6)
            rss.append(full.rss / 1e6)
            times = process.cpu_times()
            cpu.append(times.user + times.system)
        except psutil.Error:
            continue
    return pss, rss, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=20, help="how many learners start at once (default 20)")
    arguments = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("bench_hub: skipped, the hub benchmark creates Unix users and must run as root.")
        return 0

    learners = [f"bench-learner{index:02d}" for index in range(1, arguments.learners + 1)]
    for name in learners:
        if Path(f"/home/{name}").exists():
            shutil.rmtree(f"/home/{name}")
    state = Path(tempfile.mkdtemp(prefix="local-governance-hub-bench-", dir="/srv"))
    hub = Hub.on_free_ports(state, courses=1)
    try:
        settings = set_up(state, {"courses": {COURSE: {"instructors": [], "learners": learners}}},
                          log=lambda message: None)
        hub.start()
        time.sleep(3)  # let the course's formgrader service finish starting
        hub_processes = [psutil.Process(hub.process.pid)] + [
            child for child in psutil.Process(hub.process.pid).children() if "configurable-http-proxy" in " ".join(child.cmdline())
        ]
        results: dict[str, object] = {}
        barrier = threading.Barrier(len(learners))
        threads = [threading.Thread(target=learner_journey, args=(hub.url, name, settings["passwords"][name], results, barrier))
                   for name in learners]
        load = os.getloadavg()[0]
        watcher = HubWatcher(hub_processes)
        watcher.start()
        burst_start = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        burst = time.monotonic() - burst_start
        hub_cpu, hub_share, hub_peak = watcher.finish()
        time.sleep(2)
        pss, rss, server_cpu = server_memory(hub.mark, learners)
    finally:
        hub.stop()
        shutil.rmtree(state, ignore_errors=True)

    print_table(learners, results, load, burst, (hub_cpu, hub_share, hub_peak), (pss, rss, server_cpu))
    return 0


def print_table(learners: list[str], results: dict[str, object], load: float, burst: float,
                hub_use: tuple[float, float, int], servers: tuple[list[float], list[float], list[float]]) -> None:
    """The markdown table of the burst: what learners waited for, what the servers and the hub used."""
    hub_cpu, hub_share, hub_peak = hub_use
    pss, rss, server_cpu = servers
    times = [value for value in results.values() if isinstance(value, float)]
    failures = {name: value for name, value in results.items() if not isinstance(value, float)}
    p50 = statistics.median(times) if times else float("nan")
    p95 = percentile(times, 0.95) if times else float("nan")
    per_server = statistics.median(pss) if pss else float("nan")

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    print(f"\n### Course hub: {len(learners)} learners log in and start JupyterLab at once "
          f"({os.cpu_count()} cores, load average {load:.1f} before the burst)\n")
    print("| measure | value | target | result |")
    print("|---|---|---|---|")
    print(f"| working JupyterLab after login, p50 | {p50:.1f} s | | |")
    print(f"| working JupyterLab after login, p95 | {p95:.1f} s | < {TARGET_P95_SECONDS:.0f} s | {verdict(p95 < TARGET_P95_SECONDS and not failures)} |")
    print(f"| slowest learner | {max(times) if times else float('nan'):.1f} s | | |")
    print(f"| memory per learner server (PSS, median; max) | {per_server:.0f} MB; {max(pss) if pss else float('nan'):.0f} MB "
          f"| < {TARGET_MB_PER_SERVER:.0f} MB | {verdict(per_server < TARGET_MB_PER_SERVER and len(pss) == len(learners))} |")
    print(f"| memory per learner server (RSS, median) | {statistics.median(rss) if rss else float('nan'):.0f} MB | | |")
    print(f"| processor time of one server's start (median) | {statistics.median(server_cpu) if server_cpu else float('nan'):.1f} s | | |")
    print(f"| hub + proxy CPU during the burst | {hub_cpu:.1f} s of CPU in {burst:.0f} s ({hub_share:.0%} of one core) | | |")
    print(f"| hub + proxy memory, peak | {hub_peak / 1e6:.0f} MB | | |")
    if failures:
        print(f"\n{len(failures)} learners did not get a working JupyterLab: "
              + "; ".join(f"{name}: {value}" for name, value in sorted(failures.items())))


if __name__ == "__main__":
    sys.exit(main())
