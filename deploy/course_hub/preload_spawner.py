"""LocalProcessSpawner that starts learners' servers from a warm interpreter (``course_hub.server_zygote``).

Everything else is LocalProcessSpawner's: each server runs as the learner's Unix user, in their
home, with the same command and environment; the hub stops and polls it by its process id. Only
the start differs: instead of a new Python process importing Jupyter from scratch, the hub asks the
zygote (one root process per hub, started at the first spawn, ended with the hub) to fork a child
that becomes the learner. The request (with the server's API token) is read by that child only,
never by the zygote. ``c.PreloadedLocalProcessSpawner.preload = False`` falls back to a plain
LocalProcessSpawner start.
"""

from __future__ import annotations

import asyncio
import json
import os
import pwd
import socket
import subprocess
import sys
import time

from jupyterhub.spawner import LocalProcessSpawner
from jupyterhub.utils import random_port
from traitlets import Bool, Dict, Unicode

from course_hub.server_zygote import read_line

#: How the zygote starts: as a module of the installed package (``-P``: no folder of the hub's
#: own is put first on its import path, nor on the path of the learners' servers it forks).
ZYGOTE = ["-P", "-m", "course_hub.server_zygote"]


class PreloadedLocalProcessSpawner(LocalProcessSpawner):
    preload = Bool(True, config=True, help="Start servers by forking a process that has imported Jupyter already.")
    zygote_python = Unicode(sys.executable, config=True,
                            help="The Python of the learners' environment (the zygote runs as root with it).")
    zygote_socket = Unicode("", config=True, help="Path of the zygote's Unix socket (in a folder only root can read).")
    zygote_environment = Dict(config=True, help="Variables added to the zygote's environment (the hub's mark, PATH).")

    _zygote: subprocess.Popen | None = None
    _zygote_lock: asyncio.Lock | None = None

    async def start(self):
        if not self.preload:
            return await super().start()
        if self.port == 0:
            self.port = random_port()
        user = pwd.getpwnam(self.user.name)
        request = {
            "uid": user.pw_uid,
            "gid": user.pw_gid,
            "groups": os.getgrouplist(self.user.name, user.pw_gid),
            "home": user.pw_dir,
            "env": self.get_env(),
            "argv": list(self.cmd) + self.get_args(),
        }
        await self._ensure_zygote()
        self.log.info("Spawning %s from the preloaded zygote", " ".join(request["argv"]))
        answer = await asyncio.to_thread(self._ask_zygote, request)
        self.proc = None
        self.pid = answer["pid"]
        return (self.ip or "127.0.0.1", self.port)

    @classmethod
    def _zygote_alive(cls) -> bool:
        return cls._zygote is not None and cls._zygote.poll() is None

    async def _ensure_zygote(self) -> None:
        cls = type(self)
        if cls._zygote_lock is None:
            cls._zygote_lock = asyncio.Lock()
        async with cls._zygote_lock:
            if cls._zygote_alive():
                return
            if os.path.exists(self.zygote_socket):
                os.unlink(self.zygote_socket)
            # A minimal environment: its children's memory starts as a copy of this process, so
            # nothing of the hub's own environment goes into it.
            environment = {"LANG": os.environ.get("LANG", "C.UTF-8"), "HOME": "/root", **self.zygote_environment}
            cls._zygote = subprocess.Popen([self.zygote_python, *ZYGOTE, self.zygote_socket],
                                           env=environment, stdin=subprocess.DEVNULL, start_new_session=True)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                if cls._zygote.poll() is not None:
                    raise RuntimeError(f"the server zygote stopped at start (exit status {cls._zygote.returncode})")
                if os.path.exists(self.zygote_socket):
                    return
                await asyncio.sleep(0.1)
            raise RuntimeError("the server zygote did not start within 120 s")

    def _ask_zygote(self, request: dict) -> dict:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(60)
            connection.connect(self.zygote_socket)
            connection.sendall(json.dumps(request).encode() + b"\n")
            data = read_line(connection)
        if not data:
            raise RuntimeError(f"the server zygote's child could not become {self.user.name} (see the hub's log)")
        return json.loads(data)
