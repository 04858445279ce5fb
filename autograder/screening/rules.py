"""The rules of the screen: what it reports, of which kind, and in which words.

Each watched module or member maps to (kind, why); the visitor (:mod:`.visitor`) applies them.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass
from functools import lru_cache

#: "tampering" holds the automatic points back for review; the others are reported only: the sandbox
#: contains network and process use, and a "notice" is a rebinding of data that is most often honest
#: (``lanester = lanester.dropna()``, ``sum = 0``) but that the instructor may want to look at.
KINDS = ("tampering", "network", "process", "notice")
TAMPERING, NETWORK, PROCESS, NOTICE = KINDS


@dataclass(frozen=True)
class Finding:
    """One construct in the learner's code that may change how the tests run."""

    cell: str  # the cell's nbgrader grade_id, or "cell 7" (1-based index among all cells) when it has none
    line: int  # 1-based line in that cell's source
    kind: str  # one of KINDS
    message: str  # plain words for an instructor



_HOOK = (TAMPERING, "it decides how errors are reported, so failing tests can look silent")
_SWAP = (TAMPERING, "it swaps the modules the tests import")
_TRACE = (TAMPERING, "it runs learner code at every step of the tests")
_STOP = (PROCESS, "it stops the code, which can cut the grading short")
_NET = (NETWORK, "it opens network connections")
_RUN = (PROCESS, "it starts or stops processes, outside Python and this screen")
#: Modules and module members by dotted path: (kind, why importing or using them matters).
#: A path covers everything under it: "subprocess" covers "subprocess.run".
WATCHED = {
    "builtins": (TAMPERING, "it holds the built-in functions the tests use too"),
    "IPython": (TAMPERING, "it controls the kernel that runs the tests and how it shows errors"),
    "ipykernel": (TAMPERING, "it is the kernel that runs the tests"),
    "nbgrader": (TAMPERING, "it is the grader itself"),
    "inspect": (TAMPERING, "it reads running functions and their frames, the tests' included"),
    "gc": (TAMPERING, "it reaches every object in memory, the tests' functions included"),
    "ctypes": (TAMPERING, "it writes to memory underneath Python"),
    "importlib": (TAMPERING, "it loads and reloads modules by name, which can swap the modules the tests import"),
    "pkgutil": (TAMPERING, "it loads modules by name, which hides what the code reaches"),
    "unittest.mock": (TAMPERING, "it replaces any function by name, the tests' included"),
    "code": (TAMPERING, "it runs code given as text, which this screen cannot read"),
    "runpy": (TAMPERING, "it runs other Python files, which this screen cannot read"),
    "signal": (TAMPERING, "it can ignore interrupts and alarms, which hides time-outs"),
    "sys.modules": _SWAP, "sys.meta_path": _SWAP, "sys.path_hooks": _SWAP, "sys.settrace": _TRACE,
    "sys.setprofile": _TRACE, "sys.excepthook": _HOOK, "sys.displayhook": _HOOK, "sys.unraisablehook": _HOOK,
    "sys._getframe": (TAMPERING, "it reaches the running frames, and through them the tests' variables"),
    "sys.exit": _STOP,
    **dict.fromkeys(("socket", "_socket", "ssl", "urllib", "urllib3", "http", "requests", "httpx", "aiohttp",
                     "ftplib", "smtplib", "poplib", "imaplib", "telnetlib", "xmlrpc", "websocket", "websockets",
                     "asyncio.open_connection", "asyncio.open_unix_connection", "asyncio.start_server"), _NET),
    **dict.fromkeys(("subprocess", "_posixsubprocess", "multiprocessing", "pty", "pexpect", "posix", "nt",
                     "concurrent.futures.ProcessPoolExecutor", "os.system", "os.popen", "os.kill", "os.killpg",
                     "os._exit", "os.abort"), _RUN),
}
OS_PROCESS = re.compile(r"os\.(exec|spawn|posix_spawn|fork)")  # os.execv, os.spawnl, os.forkpty...
PUBLIC = ("IPython.display",)  # display helpers that ordinary course code imports
SETTINGS = ("pandas.options.",)  # module attributes meant to be set: pd.options.display.max_rows = 20
#: Dunder names of ordinary code; every other one (__globals__, __dict__, __subclasses__...) is reported.
ORDINARY_DUNDERS = {"__init__", "__name__", "__doc__", "__class__", "__len__", "__str__", "__repr__", "__eq__",
                    "__iter__", "__next__", "__getitem__", "__contains__", "__version__", "__qualname__", "__main__"}
FRAME_ATTRIBUTES = {"f_globals", "f_locals", "f_builtins", "f_back", "f_code", "tb_frame", "tb_next", "gi_frame",
                    "cr_frame", "ag_frame", "co_code", "co_consts"}
DUNDER = re.compile(r"__\w+__")
#: Bindings that put code in place of a name.
CODE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
BUILTIN_NAMES = {name for name in dir(builtins) if not name.startswith("_")} | {"display", "get_ipython"}
_TEXT = "runs code given as text (`{}`), which this screen cannot read"
_TABLE = "reaches the table of the notebook's variables (`{}()`), through which any name the tests use can be replaced"
_ATTR = "changes attributes by name (`{}`), which can replace functions inside the modules the tests use"
#: Built-in names whose use is reported unless the learner's code binds the name to something else.
NAMED = {
    "exec": (TAMPERING, _TEXT), "eval": (TAMPERING, _TEXT), "compile": (TAMPERING, _TEXT),
    "globals": (TAMPERING, _TABLE), "vars": (TAMPERING, _TABLE), "locals": (TAMPERING, _TABLE),
    "setattr": (TAMPERING, _ATTR), "delattr": (TAMPERING, _ATTR),
    "__import__": (TAMPERING, "imports a module by a computed name (`{}`), which hides what is imported"),
    "__builtins__": (TAMPERING, "reaches `{}`, the built-in functions the tests use too"),
    "get_ipython": (TAMPERING, "calls `{}()`, which controls the kernel that runs the tests: it can hide errors or "
                               "run code around each test"),
    "exit": (PROCESS, "calls `{}()`: " + _STOP[1]), "quit": (PROCESS, "calls `{}()`: " + _STOP[1]),
    "SystemExit": (PROCESS, "raises `{}`: " + _STOP[1]),
}
RIGGED = {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"}  # comparisons a wrong answer could win
TAKEOVER = {"__array_ufunc__", "__array_function__"}  # objects that take over numpy's functions, checks included
SHELL = {"system", "getoutput", "sx", "sh", "bash", "script"}


@lru_cache(maxsize=4096)
def watched(path: str) -> tuple[str, str] | None:
    """(kind, why) for a dotted path the screen reports, None for ordinary modules and their members."""
    if any(path == public or path.startswith(public + ".") for public in PUBLIC):
        return None
    parts = path.split(".")
    rules = (WATCHED.get(".".join(parts[:end])) for end in range(len(parts), 0, -1))
    return next(filter(None, rules), _RUN if OS_PROCESS.match(path) else None)


