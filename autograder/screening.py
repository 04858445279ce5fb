"""A static screen of a submitted notebook for code that could change how the tests run.

nbgrader runs the learner's cells and then the instructor's test cells in one Python process, so
learner code can make the tests pass without a correct answer: replace
``numpy.testing.assert_allclose``, redefine a test helper, silence errors through
``get_ipython()``, patch builtins, run hidden code with ``exec``. This module reads the learner's
code (it never runs it) and lists such constructs as :class:`Finding` s in plain words, so that
the grader can hold back the automatic points and tell the instructor why. Files, network and
resource limits are the sandbox's job: network and process findings only say the code tried.

Screen the notebook nbgrader runs, after ``OverwriteCells`` has restored the locked cells and
corrected their metadata from the gradebook. Only a cell with a ``grade_id`` counts as the
instructor's (nbgrader cannot restore a cell without one), so marking one's own cell as locked
does not hide it.

A static screen sees what the code names, not what it computes: code built at run time is out of
its reach, which is why ``exec``, ``eval``, ``getattr`` with a computed name and hidden dunder
attributes are reported themselves; a module handed through several variables or containers can
still escape it.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

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


def _label(cell, position: int) -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {position}"


def _instructors(cell) -> bool:
    """Whether nbgrader restores this code cell from the gradebook: a locked or test cell with a grade_id."""
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade_id") and not meta.get("solution") and (meta.get("locked") or meta.get("grade")))


def learner_cells(nb) -> list[tuple[str, str]]:
    """(cell label, source) of the code cells the learner controls: solution cells and cells without nbgrader metadata
    (not locked cells, not grade-only test cells). A locked or test cell without a grade_id counts as the learner's:
    nbgrader cannot restore it, so it runs as submitted."""
    return [(_label(cell, position), cell.source) for position, cell in enumerate(nb.cells, 1)
            if cell.cell_type == "code" and not _instructors(cell)]


def _parse(source: str) -> ast.Module | None:
    """The cell as Python, IPython syntax turned into get_ipython() calls; None when it cannot run.

    IPython's escapes (%, !, ?) are syntax errors in Python, and the prompts it strips (>>>, In [1]:)
    leave the code after them in the parse, so the transform, ten times slower than parsing, only runs
    for sources that do not parse as they are."""
    for transform in (False, True):
        try:
            return ast.parse(_ipython_to_python(source) if transform else source)
        except (SyntaxError, ValueError):
            pass
    return None


@lru_cache(maxsize=1)
def _transformer():
    from IPython.core.inputtransformer2 import TransformerManager  # imported on first use: it takes 0.1 s

    return TransformerManager()


def _ipython_to_python(source: str) -> str:
    return _transformer().transform_cell(source)


@lru_cache(maxsize=4096)
def watched(path: str) -> tuple[str, str] | None:
    """(kind, why) for a dotted path the screen reports, None for ordinary modules and their members."""
    if any(path == public or path.startswith(public + ".") for public in PUBLIC):
        return None
    parts = path.split(".")
    rules = (WATCHED.get(".".join(parts[:end])) for end in range(len(parts), 0, -1))
    return next(filter(None, rules), _RUN if OS_PROCESS.match(path) else None)


class _Alias(NamedTuple):
    """What a name refers to when it refers to a module or to a module member."""

    path: str  # dotted: "numpy.testing.assert_allclose"
    reported: bool = False  # its import, in a learner cell, was reported already
    module: bool = False  # bound by `import x` or `import x as y`, so certainly a module


def _imported(node: ast.Import | ast.ImportFrom):
    """(bound name, alias, path to check) for each name an import binds: `import a.b` binds `a`, checks a.b."""
    if isinstance(node, ast.Import):
        for item in node.names:
            bound = item.name if item.asname else item.name.partition(".")[0]
            yield item.asname or bound, _Alias(bound, watched(bound) is not None, True), item.name
    else:
        module = "." * node.level + (node.module or "")
        for item in node.names:
            if item.name != "*":
                path = f"{module}.{item.name}"
                yield item.asname or item.name, _Alias(path, watched(path) is not None), path


def _module_bindings(tree: ast.Module):
    """(name, alias or None) for each name the top level of `tree` binds, inside if/for/try/with too."""
    stack = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield from ((name, alias) for name, alias, _ in _imported(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name, None
        else:
            targets = [*getattr(node, "targets", []), getattr(node, "target", None),
                       *(item.optional_vars for item in getattr(node, "items", []))]
            yield from ((name.id, None) for target in filter(None, targets) for name in ast.walk(target)
                        if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store))
            for body in ("body", "orelse", "finalbody", "handlers", "cases"):
                stack.extend(reversed(getattr(node, body, [])))


@dataclass
class _Scope:
    """The names a function, class or comprehension has bound so far: they hide modules and builtins."""

    kind: str  # "module", "function", "class" or "comprehension"
    names: set = field(default_factory=set)
    declared_global: set = field(default_factory=set)
    aliases: dict = field(default_factory=dict)  # name -> _Alias


@dataclass
class _Notebook:
    """What the kernel's one namespace holds by name, from every code cell: nbgrader runs them all in it."""

    imports: dict = field(default_factory=dict)  # name -> _Alias, from the top-level imports of every cell
    instructor: dict = field(default_factory=dict)  # name -> (position, label, alias or None) of its first binding
    assigned: dict = field(default_factory=dict)  # name -> _Alias, learner aliases such as `t = np.testing`


class _Screen(ast.NodeVisitor):
    """Reads one learner cell in order, following scopes so that each name means what it means to Python."""

    _methods: dict = {}  # node class -> visit method: NodeVisitor's lookup by name at each node is slow

    def __init__(self, notebook: _Notebook, position: int, label: str) -> None:
        self.notebook, self.position, self.label = notebook, position, label
        self.scopes, self.findings = [_Scope("module")], []
        self.aliased = {*notebook.imports, *notebook.assigned}  # names that may be aliases: others skip lookup()

    def visit(self, node: ast.AST) -> None:
        method = self._methods.get(type(node)) or self._methods.setdefault(
            type(node), getattr(_Screen, f"visit_{type(node).__name__}", _Screen.generic_visit))
        method(self, node)

    def generic_visit(self, node: ast.AST) -> None:
        for name in node._fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST) and name != "ctx":
                self.visit(value)

    def report(self, node: ast.AST, kind: str, message: str) -> None:
        self.findings.append(Finding(self.label, getattr(node, "lineno", 1), kind, message))

    def visible(self):
        """The scopes whose names the current code sees, innermost first: a class body only from itself."""
        return (scope for i, scope in enumerate(reversed(self.scopes[1:])) if scope.kind != "class" or i == 0)

    def lookup(self, name: str) -> _Alias | None:
        """What `name` refers to here when it is a module or a module member."""
        for scope in self.visible():
            if name in scope.declared_global:
                break
            if name in scope.names:
                return scope.aliases.get(name)
        return self.notebook.assigned.get(name) or self.notebook.imports.get(name)

    def shadowed(self, name: str) -> bool:
        """Whether `name` is bound to an import or to the learner's own value rather than to the builtin."""
        return (name in self.notebook.imports or name in self.notebook.assigned
                or any(name in scope.names for scope in self.visible()))

    def dotted(self, node: ast.expr) -> str | None:
        """`np.testing.assert_allclose` as "numpy.testing.assert_allclose"; None unless it starts at a module."""
        attributes = []
        while isinstance(node, ast.Attribute):
            attributes.insert(0, node.attr)
            node = node.value
        found = self.lookup(node.id) if isinstance(node, ast.Name) and node.id in self.aliased else None
        return ".".join([found.path, *attributes]) if found else None

    def bind(self, name: str, node: ast.AST, alias: _Alias | None = None, imported=False, scope=None) -> None:
        """Record a binding of `name` (to `alias` if it is a module or module member), and check it when it
        lands in the namespace the tests share: at top level, or through `global`."""
        scope = scope or self.scopes[-1]
        if alias:
            self.aliased.add(name)
        if scope.kind == "class" and (name in RIGGED or name in TAKEOVER):
            self.rigged(name, node)
        if scope.kind != "module" and name not in scope.declared_global:
            scope.names.add(name)
            scope.aliases[name] = alias
            return
        if not imported:
            self.notebook.assigned[name] = alias
        first, path = self.notebook.instructor.get(name), alias and alias.path
        # Code put in place of a name (a function, a class, a lambda) can make tests pass; data rarely does.
        severity = TAMPERING if isinstance(node, CODE_NODES) or getattr(node, "binds_code", False) else NOTICE
        if first and (first[0] < self.position or scope.kind != "module"):
            if not (path and first[2] and path == first[2].path):
                how = f"imports from {first[2].path.rpartition('.')[0]}" if first[2] else "defines"
                self.report(node, severity, f"redefines `{name}`, which the instructor's cell `{first[1]}` {how}: "
                                            f"the tests would use the learner's version")
        elif imported:
            return
        elif name in self.notebook.imports and self.notebook.imports[name].path != path:
            self.report(node, severity, f"rebinds `{name}`, imported from {self.notebook.imports[name].path}: "
                                        f"tests that use `{name}` would get the learner's value")
        elif path is None and name in BUILTIN_NAMES:
            self.report(node, severity, f"rebinds the built-in `{name}` for the whole notebook: the tests' own uses "
                                        f"of `{name}` would get the learner's value (if by accident, rename it)")
        elif DUNDER.fullmatch(name) and name not in ORDINARY_DUNDERS:
            self.report(node, TAMPERING, f"sets `{name}` for the whole notebook, a name Python itself reads")
        elif name.lower().startswith("assert") and not (path or "").endswith("." + name):
            self.report(node, TAMPERING, f"defines `{name}`, a name that looks like a test helper: tests that use "
                                         f"it would call the learner's version")

    def rigged(self, name: str, node: ast.AST) -> None:
        """A class method that lets a wrong answer pass: a comparison that ignores what it compares with, or a
        hook through which objects take over numpy's functions."""
        if name in RIGGED and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            positional = [*node.args.posonlyargs, *node.args.args]
            compared = {arg.arg for arg in [*positional[1:], node.args.vararg] if arg}
            if any(isinstance(n, ast.Name) and n.id in compared for line in node.body for n in ast.walk(line)):
                return
        self.report(node, TAMPERING, f"defines a `{name}` that " + (
            "lets its objects take over numpy's functions, the comparisons the tests use included" if name in TAKEOVER
            else "does not look at what it is compared with, so the tests' comparisons could pass without a "
                 "correct answer"))

    def visit_Global(self, node: ast.Global) -> None:
        self.scopes[-1].declared_global.update(node.names)

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        module = node.module if isinstance(node, ast.ImportFrom) and not node.level else None
        if module and (rule := watched(module)):
            self.report(node, rule[0], f"imports from {module}: {rule[1]}")
        elif module in ("os", "sys") and node.names[0].name == "*":
            self.report(node, TAMPERING, f"imports every name of {module} at once, which hides what the code calls")
        for name, alias, checked in _imported(node):
            if (rule := watched(checked)) and not (module and watched(module)):
                self.report(node, rule[0], f"imports {checked}: {rule[1]}")
            self.bind(name, node, alias, imported=True)

    visit_ImportFrom = visit_Import

    def visit_Name(self, node: ast.Name) -> None:
        name = node.id
        if isinstance(node.ctx, ast.Store):
            self.bind(name, node)
        elif not isinstance(node.ctx, ast.Load):
            return
        elif name in NAMED and not self.shadowed(name):
            self.report(node, NAMED[name][0], NAMED[name][1].format(name))
        elif name.startswith("__") and DUNDER.fullmatch(name) and name not in ORDINARY_DUNDERS:
            self.report(node, TAMPERING, f"reaches `{name}`, an internal name of the interpreter")
        elif name not in self.aliased or not (found := self.lookup(name)):
            return
        elif not found.reported and (rule := watched(found.path)):
            self.report(node, rule[0], f"uses {found.path}: {rule[1]}")
        elif found.module:
            self.report(node, TAMPERING, f"passes the module {found.path} around as a value (`{name}`), which hides "
                                         f"what is done to it, such as replacing its functions")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        root = node
        while isinstance(root, ast.Attribute):
            if root.attr.startswith("__") and DUNDER.fullmatch(root.attr) and root.attr not in ORDINARY_DUNDERS:
                self.report(root, TAMPERING, f"reaches `{root.attr}`, a hidden attribute through which functions, "
                                             f"modules and the tests' variables can be changed")
            elif root.attr in FRAME_ATTRIBUTES:
                self.report(root, TAMPERING, f"reaches `{root.attr}`, a running frame, and through it the tests' "
                                             f"variables")
            root = root.value
        path = self.dotted(node)
        if path is None:
            if not isinstance(node.ctx, ast.Load) and node.attr.lower().startswith("assert"):
                self.report(node, TAMPERING, f"sets an attribute named `{node.attr}`, which can replace a test "
                                             f"function")
            self.visit(root)
        elif not isinstance(node.ctx, ast.Load):
            if not path.startswith(SETTINGS):
                self.report(node, TAMPERING, self.replaced(node, path))
        elif not self.lookup(root.id).reported and (rule := watched(path)):
            self.report(node, rule[0], f"uses {path}: {rule[1]}")

    @staticmethod
    def replaced(node: ast.Attribute, path: str) -> str:
        """What assigning to (or deleting) a module's attribute changes, in words."""
        verb, written = "deletes" if isinstance(node.ctx, ast.Del) else "replaces", ast.unparse(node)
        what = f"{verb} {path}" + ("" if written == path else f" (written `{written}`)")
        if path in ("sys.stdout", "sys.stderr"):
            return f"{what}, where the tests' output and error messages go"
        if path.startswith("builtins."):
            return f"{what}, a built-in that the tests use too"
        if rule := watched(path):
            return f"{what}: {rule[1]}"
        if "assert" in node.attr.lower() or ".testing." in path:
            return f"{what}, a function the tests may use to check answers"
        return f"{what}, part of a module: every later cell, the tests included, would see the change"

    def visit_Call(self, node: ast.Call) -> None:
        func, args = node.func, node.args
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call)
                and isinstance(func.value.func, ast.Name) and func.value.func.id == "get_ipython" and args
                and all(isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in args)):
            return self.ipython(node, func.attr, [arg.value for arg in args])
        if (isinstance(func, ast.Name) and func.id == "getattr" and not self.shadowed("getattr")
                and not (len(args) > 1 and isinstance(args[1], ast.Constant))):
            self.report(node, TAMPERING, "reads an attribute whose name is computed (`getattr`), which can reach "
                                         "hidden attributes such as `__globals__` without naming them")
        self.generic_visit(node)

    def ipython(self, node: ast.Call, method: str, args: list[str]) -> None:
        """A magic or shell escape as IPython's transform writes it: get_ipython().run_line_magic('xmode', ...)."""
        name = args[0] if method in ("run_line_magic", "run_cell_magic") else method
        if method == "run_line_magic" and name == "matplotlib" and re.fullmatch(r"\s*[\w-]*\s*", args[-1]):
            return  # `%matplotlib inline` only chooses where plots are drawn
        if name in SHELL:
            command = " ".join(args[0 if method in SHELL else -1].split())[:60]
            self.report(node, TAMPERING, f"runs the shell command `{command}` through IPython (get_ipython()), "
                                         f"outside Python and this screen, from the kernel that runs the tests")
        else:
            self.report(node, TAMPERING, f"uses the IPython magic `%{name}` (through get_ipython()), which acts on "
                                         f"the kernel that runs the tests, for example on how errors are shown")

    def visit_Constant(self, node: ast.Constant) -> None:
        text = node.value
        if isinstance(text, str) and text.startswith("__") and DUNDER.fullmatch(text) and text not in ORDINARY_DUNDERS:
            self.report(node, TAMPERING, f"names `{text}` in a string, a way to reach a hidden attribute without "
                                         f"writing it")

    def visit_Assign(self, node: ast.Assign) -> None:
        """`t = np.testing` makes `t` an alias of numpy.testing from there on."""
        path = self.dotted(node.value) if isinstance(node.value, (ast.Name, ast.Attribute)) else None
        if not isinstance(node.value, ast.Name) or path is None:
            self.visit(node.value)
        for target in node.targets:
            # A lambda, or another object put in place of a built-in (`AssertionError = Warning`).
            target.binds_code = isinstance(node.value, ast.Lambda) or (
                isinstance(target, ast.Name) and target.id in BUILTIN_NAMES and isinstance(node.value, (ast.Name, ast.Attribute)))
            if path and isinstance(target, ast.Name):
                self.bind(target.id, target, _Alias(path))
            else:
                self.visit(target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        """`(x := ...)` binds `x` in the nearest scope that is not a comprehension."""
        self.visit(node.value)
        node.binds_code = isinstance(node.value, ast.Lambda)
        self.bind(node.target.id, node, scope=next(s for s in reversed(self.scopes) if s.kind != "comprehension"))

    def visit_MatchAs(self, node: ast.MatchAs | ast.MatchStar | ast.MatchMapping) -> None:
        """`case x:`, `case [*x]` and `case {**x}` bind `x`."""
        if name := getattr(node, "name", None) or getattr(node, "rest", None):
            self.bind(name, node)
        self.generic_visit(node)

    visit_MatchStar = visit_MatchMapping = visit_MatchAs

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        for child in [*getattr(node, "decorator_list", []), node.args, *filter(None, [getattr(node, "returns", None)])]:
            self.visit(child)
        if not isinstance(node, ast.Lambda):
            self.bind(node.name, node)
        arguments = node.args
        self.scopes.append(_Scope("function", {arg.arg for arg in [*arguments.posonlyargs, *arguments.args,
                                                                    *arguments.kwonlyargs, arguments.vararg,
                                                                    arguments.kwarg] if arg}))
        for child in node.body if isinstance(node.body, list) else [node.body]:
            self.visit(child)
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_Lambda = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for child in [*node.decorator_list, *node.bases, *node.keywords]:
            self.visit(child)
        self.bind(node.name, node)
        self.scopes.append(_Scope("class"))
        for child in node.body:
            self.visit(child)
        self.scopes.pop()

    def visit_ListComp(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> None:
        """A comprehension's own scope: its loops first, which bind its targets, then what it builds."""
        self.scopes.append(_Scope("comprehension"))
        built = [getattr(node, part) for part in ("key", "value", "elt") if hasattr(node, part)]
        for child in [*node.generators, *built]:
            self.visit(child)
        self.scopes.pop()

    visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_ListComp


def screen_notebook(nb) -> list[Finding]:
    """Findings in the learner-controlled code cells of `nb` (an nbformat v4 NotebookNode), in cell and line order."""
    cells = []
    for position, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "code":
            try:
                tree = _parse(cell.source)
            except (RecursionError, MemoryError):  # nested past the parser's limits
                tree = RecursionError
            cells.append((position, _label(cell, position), _instructors(cell), tree))
    notebook = _Notebook()
    for position, label, instructors, tree in cells:
        for name, alias in _module_bindings(tree) if isinstance(tree, ast.Module) else ():
            if alias:
                notebook.imports[name] = alias._replace(reported=False) if instructors else alias
            if instructors:
                notebook.instructor.setdefault(name, (position, label, alias))
    findings = []
    for position, label, instructors, tree in cells:
        if tree is None or instructors:
            continue
        screen = _Screen(notebook, position, label)
        try:
            if tree is RecursionError:
                raise RecursionError
            screen.visit(tree)
        except RecursionError:
            screen.report(ast.Pass(), TAMPERING, "nests code too deeply to be screened, a way to hide code")
        findings.extend(sorted(dict.fromkeys(screen.findings), key=lambda finding: finding.line))
    return findings
