"""Benchmark: what it costs to start one grading kernel, isolated or not, forked or new.

Each way starts a kernel, imports what the course's notebooks import (pandas, numpy, matplotlib),
and stops it, ``BENCH_KERNELS`` times (default 12), one after the other:

* a new Python process, as plain nbgrader starts kernels (the baseline);
* a new Python process inside bubblewrap (Debian's ``bwrap``: every namespace, a read-only view of
  the machine, an empty /tmp), the ready-made sandbox the instructor guide weighs ours against;
* a fork of the autograder's zygote, without the sandbox;
* a fork of the zygote in the autograder's own sandbox (control group, PID namespace, pivot_root,
  seccomp, user id of its own), what ``autograder grade`` does.

Every way uses the autograder's kernel client, so that only the start of the kernel differs. It
prints one markdown table: median and 95th percentile of the time to a kernel ready to run a
cell, and each way's median as a ratio of the baseline's, measured in the same run. It reports,
it does not fail.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autograder import isolation  # noqa: E402
from autograder.preprocessors.kernels import GradingKernelClient, GradingKernelManager  # noqa: E402

KERNELS = int(os.environ.get("BENCH_KERNELS", "12"))
IMPORTS = "import pandas, numpy, matplotlib"


async def ready(manager: AsyncKernelManager, **start) -> float:
    """Seconds from asking for a kernel to its answer after the course's imports."""
    started = time.perf_counter()
    await manager.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **start)
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        reply = await client.execute_interactive(IMPORTS, timeout=60, output_hook=lambda message: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the kernel could not import the course's libraries: {reply['content']}")
        return time.perf_counter() - started
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)


def bubblewrap_kernel(folder: Path) -> str:
    """A kernel spec that starts ipykernel inside bubblewrap; returns its name."""
    spec = folder / "kernels" / "python3-bwrap"
    spec.mkdir(parents=True)
    argv = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
            "--bind", str(folder), str(folder),
            # The kernel's parent is out of sight in its PID namespace: it must not watch for it.
            "env", "-u", "JPY_PARENT_PID", sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    home = {"HOME": "/tmp", "IPYTHONDIR": "/tmp/.ipython", "MPLCONFIGDIR": "/tmp/.matplotlib"}  # / is read-only
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "env": home, "display_name": "bwrap",
                                                  "language": "python"}))
    return "python3-bwrap"


async def measure() -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    folder = Path(tempfile.mkdtemp(prefix="bench-kernels-", dir="/var/tmp"))
    try:
        os.environ["JUPYTER_PATH"] = str(folder) + os.pathsep + os.environ.get("JUPYTER_PATH", "")
        name = "new Python process (plain nbgrader)"
        times[name] = [await ready(AsyncKernelManager(kernel_name="python3", client_factory=GradingKernelClient))
                       for _ in range(KERNELS)]

        name = "bubblewrap + new Python process"
        if shutil.which("bwrap"):
            kernel = bubblewrap_kernel(folder)
            runs = []
            for number in range(KERNELS):
                sockets = folder / f"k{number}"
                sockets.mkdir()
                manager = AsyncKernelManager(kernel_name=kernel, transport="ipc", ip=str(sockets / "socket"),
                                             connection_file=str(sockets / "kernel.json"),
                                             client_factory=GradingKernelClient)
                runs.append(await ready(manager))
            times[name] = runs
        else:
            print("bubblewrap is not installed (Debian package bubblewrap): its row is left out", file=sys.stderr)

        for sandboxed in (False, True):
            launcher = isolation.KernelLauncher(protected=[str(REPO / "exercises")], log_file=os.devnull)
            launcher.sandbox.enabled = sandboxed
            isolation.use_launcher(launcher)
            launcher.warm_up()
            work = folder / f"work-{sandboxed}"
            work.mkdir()
            name = "fork of the zygote, in the autograder's sandbox" if sandboxed else "fork of the zygote, no sandbox"
            times[name] = [await ready(GradingKernelManager(kernel_name="python3"), cwd=str(work))
                           for _ in range(KERNELS)]
            launcher.close()
            isolation.use_launcher(None)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    problem = isolation.probe()
    if problem:
        print(f"The sandbox cannot start here: {problem}", file=sys.stderr)
        return 1
    times = asyncio.run(measure())
    baseline = statistics.median(times["new Python process (plain nbgrader)"])
    print(f"\n### Starting one grading kernel, ready with `{IMPORTS}` ({KERNELS} kernels each, one at a time; "
          f"{os.cpu_count()} cores)\n")
    print("| way | median | p95 | median / baseline |")
    print("|---|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median * 1000:.0f} ms | {p95(values) * 1000:.0f} ms | {median / baseline:.2f} |")
    ours = statistics.median(times["fork of the zygote, in the autograder's sandbox"])
    bare = statistics.median(times["fork of the zygote, no sandbox"])
    print(f"\nA sandboxed fork is ready in {ours * 1000:.0f} ms, an unsandboxed one in {bare * 1000:.0f} ms (it talks over "
          "TCP, the sandboxed one over Unix sockets, so they differ by more than the isolation; one kernel varies by "
          "tens of ms from run to run). The cost of the isolation per submission is measured by the autograder's "
          "benchmark.")
    if "bubblewrap + new Python process" in times:
        wrapped = statistics.median(times["bubblewrap + new Python process"])
        print(f"bubblewrap with a new process takes {wrapped / ours:.1f}x the time of the autograder's sandboxed fork.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
