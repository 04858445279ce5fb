"""Check the Kubernetes deployment of the course offline (no cluster, no Helm, no internet).

    python deploy/kubernetes/validate.py      # prints each problem; exit status 1 if there is one

* ``values.yaml`` parses, and merged over the chart's default values as Helm does, it passes the
  chart's JSON Schema (chart 4.4.0, in ``chart-4.4.0/``): a misspelt or unknown key is an error.
* Every ``hub.extraConfig`` snippet compiles, and what it imports of the course's hub package
  (``course_hub``) exists; every course service has its instructors' role.
* ``course-grader.yaml`` and ``grading-job.yaml`` parse, each object with a kind and a name.
* The ``Dockerfile`` starts from the Python version of ``pyproject.toml``, installs with the same
  recipe as ``make hub`` (``deploy/setup/install-environment.sh``, which pins ``requirements.lock``),
  copies everything that recipe reads, and copies neither ``exercises/`` nor ``tests/``.
* ``hub.Dockerfile`` starts from the chart's hub image and adds ``course_hub``, and the values run
  the hub with an image of its own when ``hub.extraConfig`` imports ``course_hub``.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import jsonschema
import yaml

HERE = Path(__file__).resolve().parent
COURSE_ROOT = HERE.parent.parent
CHART = HERE / "chart-4.4.0"
CHART_VERSION = "4.4.0"
COURSE_HUB = COURSE_ROOT / "deploy" / "course_hub"
INSTALL_RECIPE = "deploy/setup/install-environment.sh"


def deep_merge(base, override):
    """Helm's merge of values: mappings merge key by key, ``null`` removes a key, anything else replaces."""
    if not isinstance(base, dict) or not isinstance(override, dict):
        return override
    merged = dict(base)
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = deep_merge(base.get(key), value)
    return merged


def load_values(path: Path = HERE / "values.yaml") -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def schema_problems(values: dict) -> list[str]:
    defaults = yaml.safe_load((CHART / "values.defaults.yaml").read_text(encoding="utf-8"))
    schema = json.loads((CHART / "values.schema.json").read_text(encoding="utf-8"))
    merged = deep_merge(defaults, values)
    return [
        f"values.yaml: {'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
        for error in jsonschema.Draft7Validator(schema).iter_errors(merged)
    ]


def hub_problems(values: dict) -> list[str]:
    problems = []
    hub = values.get("hub", {})
    for name, snippet in (hub.get("extraConfig") or {}).items():
        try:
            tree = compile(snippet, f"hub.extraConfig.{name}", "exec", ast.PyCF_ONLY_AST)
        except SyntaxError as error:
            problems.append(f"values.yaml: hub.extraConfig.{name} does not compile: {error}")
            continue
        problems += [f"values.yaml: hub.extraConfig.{name}: {problem}" for problem in course_hub_import_problems(tree)]
    roles = hub.get("loadRoles") or {}
    for service in hub.get("services") or {}:
        role = roles.get(f"formgrade-{service}", {})
        if f"access:services!service={service}" not in role.get("scopes", []):
            problems.append(f"values.yaml: no role formgrade-{service} lets the instructors open the service {service}")
        if service not in (roles.get(f"grader-{service}", {}).get("services") or []):
            problems.append(f"values.yaml: no role grader-{service} for the service {service}")
    return problems


def course_hub_imports(tree: ast.AST) -> list[tuple[str, list[str]]]:
    """``(module, names)`` of every ``from course_hub.<module> import <names>`` in ``tree``."""
    return [(node.module, [alias.name for alias in node.names]) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("course_hub.")]


def course_hub_import_problems(tree: ast.AST) -> list[str]:
    """What a snippet imports from course_hub that deploy/course_hub/ does not define."""
    problems = []
    for module, names in course_hub_imports(tree):
        path = COURSE_HUB / (module.removeprefix("course_hub.").replace(".", "/") + ".py")
        if not path.is_file():
            problems.append(f"imports {module}, which deploy/course_hub/ does not have")
            continue
        defined = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined.add(node.name)
            elif isinstance(node, ast.Assign):
                defined |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        problems += [f"imports {name} from {module}, which does not define it" for name in names if name not in defined]
    return problems


def manifest_problems() -> list[str]:
    problems = []
    for name in ("course-grader.yaml", "grading-job.yaml"):
        for index, document in enumerate(yaml.safe_load_all((HERE / name).read_text(encoding="utf-8"))):
            if document is None:
                continue
            metadata = document.get("metadata") or {}
            if not (document.get("apiVersion") and document.get("kind") and (metadata.get("name") or metadata.get("generateName"))):
                problems.append(f"{name}: object {index} has no apiVersion, kind or name")
    return problems


def dockerfile_problems() -> list[str]:
    text = (HERE / "Dockerfile").read_text(encoding="utf-8")
    problems = []
    requires = re.search(r'requires-python\s*=\s*">=(\d+\.\d+)', (COURSE_ROOT / "pyproject.toml").read_text())
    base = re.search(r"^FROM python:(\d+\.\d+)", text, re.MULTILINE)
    if not (requires and base and base.group(1) == requires.group(1)):
        problems.append("Dockerfile: the base image's Python is not the one pyproject.toml requires")
    if INSTALL_RECIPE not in re.sub(r"#.*", "", text):
        problems.append(f"Dockerfile: does not install with {INSTALL_RECIPE} (the recipe of make hub)")
    recipe = (COURSE_ROOT / INSTALL_RECIPE).read_text(encoding="utf-8")
    if '-c "$course/requirements.lock"' not in recipe:
        problems.append(f"{INSTALL_RECIPE}: does not install with -c requirements.lock")
    copied = " ".join(line for line in text.splitlines() if line.startswith("COPY "))
    for needed in ("requirements.lock", "pyproject.toml", "README.md", "LICENSE", "modules", "autograder",
                   "deploy/course_hub", ".ci/jupyterlab-settings", INSTALL_RECIPE, "deploy/jupyter"):
        if needed not in copied:
            problems.append(f"Dockerfile: does not copy {needed}, which the install recipe reads")
    return problems + secret_problems("Dockerfile", text)


def secret_problems(name: str, text: str) -> list[str]:
    """The image recipe ``name`` must copy neither the solutions nor the tests (nor everything)."""
    return [f"{name}: copies {secret.strip()}: the image must not hold solutions or tests"
            for secret in ("exercises", "tests", " . ")
            if re.search(rf"COPY[^\n]*\s{re.escape(secret.strip())}(\s|/|$)", text)]


def hub_image_problems(values: dict) -> list[str]:
    """The hub's image has course_hub when the hub's configuration imports it."""
    text = (HERE / "hub.Dockerfile").read_text(encoding="utf-8")
    problems = secret_problems("hub.Dockerfile", text)
    if not re.search(rf"^FROM quay\.io/jupyterhub/k8s-hub:{re.escape(CHART_VERSION)}\s*$", text, re.MULTILINE):
        problems.append(f"hub.Dockerfile: does not start from the chart's hub image (quay.io/jupyterhub/k8s-hub:{CHART_VERSION})")
    if not re.search(r"^COPY deploy/course_hub\s", text, re.MULTILINE):
        problems.append("hub.Dockerfile: does not copy deploy/course_hub, which hub.extraConfig imports")
    snippets = (values.get("hub", {}).get("extraConfig") or {}).values()
    image = (values.get("hub", {}).get("image") or {}).get("name", "quay.io/jupyterhub/k8s-hub")
    if any("course_hub" in snippet for snippet in snippets) and image == "quay.io/jupyterhub/k8s-hub":
        problems.append("values.yaml: hub.extraConfig imports course_hub, but hub.image is the chart's own, "
                        "which does not have it: build hub.Dockerfile and name it in hub.image")
    return problems


def problems() -> list[str]:
    values = load_values()
    return (schema_problems(values) + hub_problems(values) + manifest_problems() + dockerfile_problems()
            + hub_image_problems(values))


def main() -> int:
    found = problems()
    for problem in found:
        print(problem)
    if not found:
        print(f"deploy/kubernetes: values, manifests and image recipes are valid (chart {CHART_VERSION}).")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
