"""What names refer to, across the cells of a notebook: imports, aliases and scopes."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import NamedTuple

from autograder.screening.rules import watched


class Alias(NamedTuple):
    """What a name refers to when it refers to a module or to a module member."""

    path: str  # dotted: "numpy.testing.assert_allclose"
    reported: bool = False  # its import, in a learner cell, was reported already
    module: bool = False  # bound by `import x` or `import x as y`, so certainly a module


def imported_names(node: ast.Import | ast.ImportFrom):
    """(bound name, alias, path to check) for each name an import binds: `import a.b` binds `a`, checks a.b."""
    if isinstance(node, ast.Import):
        for item in node.names:
            bound = item.name if item.asname else item.name.partition(".")[0]
            yield item.asname or bound, Alias(bound, watched(bound) is not None, True), item.name
    else:
        module = "." * node.level + (node.module or "")
        for item in node.names:
            if item.name != "*":
                path = f"{module}.{item.name}"
                yield item.asname or item.name, Alias(path, watched(path) is not None), path


def module_bindings(tree: ast.Module):
    """(name, alias or None) for each name the top level of `tree` binds, inside if/for/try/with too."""
    stack = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield from ((name, alias) for name, alias, _ in imported_names(node))
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
class Scope:
    """The names a function, class or comprehension has bound so far: they hide modules and builtins."""

    kind: str  # "module", "function", "class" or "comprehension"
    names: set = field(default_factory=set)
    declared_global: set = field(default_factory=set)
    aliases: dict = field(default_factory=dict)  # name -> Alias


@dataclass
class NotebookNames:
    """What the kernel's one namespace holds by name, from every code cell: nbgrader runs them all in it."""

    imports: dict = field(default_factory=dict)  # name -> Alias, from the top-level imports of every cell
    instructor: dict = field(default_factory=dict)  # name -> (position, label, alias or None) of its first binding
    assigned: dict = field(default_factory=dict)  # name -> Alias, learner aliases such as `t = np.testing`


