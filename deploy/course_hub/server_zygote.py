"""Start learners' JupyterLab servers by forking a process that has already imported Jupyter.

Starting a JupyterLab server costs about 2.5 s of processor time, most of it importing
jupyter_server, JupyterLab, nbgrader and jupytext (and JupyterLab asks ``node`` for yarn's settings
at import). When a whole group logs in at the same minute on a small machine, those imports are what
learners wait for. This process, run as root by the hub (``course_hub.preload_spawner``), imports them
once; for each learner's server it forks, and the child becomes the learner (its groups, gid, uid,
home, environment, a session of its own) before it runs ``jupyterhub-singleuser`` in the already
warm interpreter. The child's pages are shared with this process until written, so each server
also needs less memory.

Protocol, on a Unix socket only root can open: the hub sends one JSON request per connection
(``uid``, ``gid``, ``groups``, ``home``, ``env``, ``argv``) and reads back ``{"pid": N}``.

This process forks as soon as a connection arrives and never reads it: the request, with the
learner's API token in ``env``, is read by the child that becomes that learner. So no request ever
enters this process's memory, and no learner's server, forked from it later, starts with a copy of
another learner's token.

Usage: python -P -m course_hub.server_zygote SOCKET_PATH   (it ends when the hub that started it ends)
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import random
import signal
import socket
import sys

#: Imported once, before any fork: what every learner's server imports at start. Nothing that reads
#: the user's environment at import time (jupyterhub.singleuser is imported in each child).
PRELOAD = [
    "tornado.web",
    "jupyter_client",
    "jupyter_server.serverapp",
    "jupyter_server_terminals",
    "jupyterlab_server",
    "jupyterlab.labapp",
    "jupyter_lsp",
    "notebook.app",
    "notebook_shim",
    "jupytext",
    "nbgitpuller",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.validate_assignment",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.formgrader",
    "nbconvert",
    "jsonschema",
]
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask Linux to end this process when the hub that started it ends."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def preload() -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception as error:  # noqa: BLE001 (a missing extension only makes starts slower)
            print(f"server_zygote: could not preload {name}: {error}", file=sys.stderr, flush=True)


def become(request: dict) -> None:
    """In the child: turn into the learner's process, as LocalProcessSpawner's preexec does."""
    os.setsid()
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setgid(request["gid"])
    os.setgroups(request["groups"])
    os.setuid(request["uid"])
    try:
        os.chdir(request["home"])
    except OSError:
        pass
    os.environ.clear()
    os.environ.update(request["env"])
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    random.seed()
    sys.argv = list(request["argv"])


def run_server() -> int:
    from jupyterhub.singleuser import main

    try:
        status = main()
    except SystemExit as exit_:
        status = exit_.code
    except BaseException:  # noqa: BLE001
        import traceback

        traceback.print_exc()
        status = 1
    return status if isinstance(status, int) else (0 if status is None else 1)


def read_line(connection: socket.socket) -> bytes:
    """One line of the protocol (a JSON text and a newline), or what came before the connection
    closed (empty when nothing did): the requests of the hub, and the zygote's answers."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = connection.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def read_request(connection: socket.socket) -> dict:
    """The hub's request: one line of JSON."""
    return json.loads(read_line(connection))


def child(listener: socket.socket, connection: socket.socket) -> None:
    """In the forked child: read the request, become the learner, tell the hub our pid, run the server."""
    listener.close()
    status = 1
    try:
        with connection:
            request = read_request(connection)
            become(request)
            connection.sendall(json.dumps({"pid": os.getpid()}).encode() + b"\n")
        status = run_server()
    except BaseException:  # noqa: BLE001 (the child must never return into the parent's loop)
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def serve(path: str) -> None:
    if os.path.exists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o077)
    listener.bind(path)
    os.umask(old_umask)
    listener.listen(64)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel: no zombies
    while True:
        connection, _ = listener.accept()
        sys.stdout.flush()
        sys.stderr.flush()
        if os.fork() == 0:
            child(listener, connection)
        connection.close()  # unread: the request is the child's alone


def main() -> None:
    die_with_parent()
    preload()
    serve(sys.argv[1])


if __name__ == "__main__":
    main()
