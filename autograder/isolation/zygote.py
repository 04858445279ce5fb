"""A kernel fork server: one process that has already imported the heavy libraries forks a fresh
kernel process for each notebook.

Starting an IPython kernel the usual way (``python -m ipykernel_launcher``) costs a new Python
interpreter, the import of ipykernel and IPython, and then, in every graded notebook, the imports of
pandas, numpy and matplotlib again: about one second of CPU per submission. The zygote pays for
these imports once. Each kernel is a ``fork()`` of it, so it starts with the libraries already in
memory (copy-on-write) and nothing else: the zygote never runs learner code, so no submission can
leave state for another, and each kernel process ends with its notebook.

Run as ``python -m autograder.isolation.zygote MODULE ...`` (the modules to import ahead), possibly behind a
command prefix (a sandbox). It reads one JSON request per line on standard input::

    {"argv": [...ipykernel arguments...], "cwd": "...", "env": {...}, "sandbox": {...} or null}

and answers one JSON line on standard output: ``{"pid": N}`` or ``{"error": "..."}``. It exits when
its standard input closes, and its kernels die with it (``PR_SET_PDEATHSIG``). With a ``sandbox``
policy, the kernel enters its sandbox (:mod:`autograder.isolation.sandbox`) before ipykernel starts.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys

from autograder.isolation import sandbox
from autograder.isolation.processes import die_with_parent, kill_processes_of, sandbox_uid

#: The inline backend that ipykernel selects when MPLBACKEND is unset. It is set before matplotlib is
#: imported ahead, as ipykernel would set it, so that figures behave as in a kernel started normally.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

#: Hooks run in each kernel process right after the fork, before the kernel starts (``module:function``
#: names, given with ``--child-setup``). This is where per-submission limits (rlimits, namespaces)
#: belong.
CHILD_SETUP: list = []


def preload(modules: list[str]) -> list[str]:
    """Import ``modules`` (missing ones are skipped) and return the names that failed."""
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # a missing optional library must not stop grading
            failed.append(name)
    return failed


def own_process_group(pid: int = 0) -> None:
    """Put a kernel in a process group of its own, as jupyter_client does, so that an interrupt or a
    kill sent to its group reaches the kernel and its subprocesses, never the zygote."""
    try:
        os.setpgid(pid, pid if pid else 0)
    except OSError:  # already done by the other side, or the child has already exited
        pass


def reap_children(*_args) -> None:
    """Collect the exit status of finished kernels so that none stays a zombie."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def run_kernel(request: dict, protocol_fds: tuple[int, ...]) -> None:
    """In the forked child: become a fresh kernel process for one notebook, then exit."""
    try:
        for fd in protocol_fds:
            os.close(fd)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        own_process_group()
        die_with_parent()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
        reseed_random_generators()
        for hook in CHILD_SETUP:
            hook(request)
        if request.get("sandbox"):
            sandbox.start(request["sandbox"])
        # As `python -m ipykernel_launcher` started by jupyter_client would see them: its parent's
        # pid (the kernel stops if its parent goes away), and the command line.
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        import ipykernel_launcher
        from ipykernel import kernelapp

        sys.argv = [ipykernel_launcher.__file__, *request["argv"]]
        kernelapp.launch_new_instance(argv=request["argv"], parent_handle=os.getppid())
    except BaseException as error:  # noqa: BLE001 - the child must never return into the server loop
        print(f"autograder zygote: the kernel stopped: {error!r}", file=sys.stderr, flush=True)
        os._exit(1)
    os._exit(0)


def reseed_random_generators() -> None:
    """Give each kernel its own random state, as a new process would have (``random`` reseeds itself
    after a fork; numpy's global generator does not)."""
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:
        numpy_random.seed()


def load_hook(name: str):
    module_name, _, function = name.partition(":")
    return getattr(importlib.import_module(module_name), function)


def serve(requests, answers) -> None:
    """Fork one kernel per request line until the input closes."""
    protocol_fds = (requests.fileno(), answers.fileno())
    sandboxed: list[int] = []
    try:
        _serve(requests, answers, protocol_fds, sandboxed)
    finally:
        for pid in sandboxed:  # what sandboxed kernels left running dies with the zygote
            kill_processes_of(sandbox_uid(pid))


def _serve(requests, answers, protocol_fds, sandboxed: list[int]) -> None:
    for line in requests:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            pid = os.fork()
        except (ValueError, OSError) as error:
            answers.write((json.dumps({"error": str(error)}) + "\n").encode())
            continue
        if pid == 0:
            run_kernel(request, protocol_fds)
        own_process_group(pid)  # set from both sides, so it holds before the pid is answered
        if request.get("sandbox"):
            sandboxed.append(pid)
        answers.write((json.dumps({"pid": pid}) + "\n").encode())


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    while "--child-setup" in argv:
        index = argv.index("--child-setup")
        CHILD_SETUP.append(load_hook(argv[index + 1]))
        del argv[index : index + 2]
    # The protocol owns the real standard output; anything else printed goes to standard error.
    answers = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    requests = os.fdopen(os.dup(0), "rb")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the grader, which stops us
    signal.signal(signal.SIGCHLD, reap_children)
    die_with_parent()
    # As ipykernel_launcher does: the folder the zygote started in is not the kernels' folder.
    if sys.path and (sys.path[0] == "" or os.path.abspath(sys.path[0]) == os.getcwd()):
        del sys.path[0]
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # a start-up notice of debugpy
    failed = preload(argv)
    answers.write((json.dumps({"ready": True, "not_preloaded": failed}) + "\n").encode())
    serve(requests, answers)


if __name__ == "__main__":
    main()
