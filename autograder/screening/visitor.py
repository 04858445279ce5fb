"""The visitor that reads one learner cell in order and reports what the rules watch."""

from __future__ import annotations

import ast
import re

from autograder.screening.names import Alias, NotebookNames, Scope, imported_names
from autograder.screening.rules import (
    BUILTIN_NAMES, CODE_NODES, DUNDER, FRAME_ATTRIBUTES, NAMED, NOTICE, ORDINARY_DUNDERS, RIGGED, SETTINGS, SHELL,
    TAKEOVER, TAMPERING, Finding, watched,
)


class CellScreen(ast.NodeVisitor):
    """Reads one learner cell in order, following scopes so that each name means what it means to Python."""

    _methods: dict = {}  # node class -> visit method: NodeVisitor's lookup by name at each node is slow

    def __init__(self, notebook: NotebookNames, position: int, label: str) -> None:
        self.notebook, self.position, self.label = notebook, position, label
        self.scopes, self.findings = [Scope("module")], []
        self.aliased = {*notebook.imports, *notebook.assigned}  # names that may be aliases: others skip lookup()

    def visit(self, node: ast.AST) -> None:
        method = self._methods.get(type(node)) or self._methods.setdefault(
            type(node), getattr(CellScreen, f"visit_{type(node).__name__}", CellScreen.generic_visit))
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

    def lookup(self, name: str) -> Alias | None:
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

    def bind(self, name: str, node: ast.AST, alias: Alias | None = None, imported=False, scope=None) -> None:
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
        for name, alias, checked in imported_names(node):
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
                self.bind(target.id, target, Alias(path))
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
        self.scopes.append(Scope("function", {arg.arg for arg in [*arguments.posonlyargs, *arguments.args,
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
        self.scopes.append(Scope("class"))
        for child in node.body:
            self.visit(child)
        self.scopes.pop()

    def visit_ListComp(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> None:
        """A comprehension's own scope: its loops first, which bind its targets, then what it builds."""
        self.scopes.append(Scope("comprehension"))
        built = [getattr(node, part) for part in ("key", "value", "elt") if hasattr(node, part)]
        for child in [*node.generators, *built]:
            self.visit(child)
        self.scopes.pop()

    visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_ListComp


