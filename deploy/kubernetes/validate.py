"""Check the Kubernetes deployment of the course offline (no cluster, no Helm, no internet).

    python deploy/kubernetes/validate.py      # prints each problem; exit status 1 if there is one

* ``values.yaml`` parses, and merged over the chart's default values as Helm does, it passes the
  chart's JSON Schema (chart 4.4.0, in ``chart-4.4.0/``): a misspelt or unknown key is an error.
* Every ``hub.extraConfig`` snippet compiles; every course service has its instructors' role.
* ``course-grader.yaml`` and ``grading-job.yaml`` parse, each object with a kind and a name.
* The ``Dockerfile`` starts from the Python version of ``pyproject.toml``, installs with the same
  recipe as ``make hub`` (``deploy/install-environment.sh``, which pins ``requirements.lock``),
  copies everything that recipe reads, and copies neither ``exercises/`` nor ``tests/``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import jsonschema
import yaml

HERE = Path(__file__).resolve().parent
COURSE_ROOT = HERE.parent.parent
CHART = HERE / "chart-4.4.0"


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
            compile(snippet, f"hub.extraConfig.{name}", "exec")
        except SyntaxError as error:
            problems.append(f"values.yaml: hub.extraConfig.{name} does not compile: {error}")
    roles = hub.get("loadRoles") or {}
    for service in hub.get("services") or {}:
        role = roles.get(f"formgrade-{service}", {})
        if f"access:services!service={service}" not in role.get("scopes", []):
            problems.append(f"values.yaml: no role formgrade-{service} lets the instructors open the service {service}")
        if service not in (roles.get(f"grader-{service}", {}).get("services") or []):
            problems.append(f"values.yaml: no role grader-{service} for the service {service}")
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
    if "deploy/install-environment.sh" not in re.sub(r"#.*", "", text):
        problems.append("Dockerfile: does not install with deploy/install-environment.sh (the recipe of make hub)")
    recipe = (COURSE_ROOT / "deploy" / "install-environment.sh").read_text(encoding="utf-8")
    if '-c "$course/requirements.lock"' not in recipe:
        problems.append("deploy/install-environment.sh: does not install with -c requirements.lock")
    copied = " ".join(line for line in text.splitlines() if line.startswith("COPY "))
    for needed in ("requirements.lock", "pyproject.toml", "README.md", "LICENSE", "modules", "autograder",
                   ".ci/jupyterlab-settings", "deploy/install-environment.sh", "deploy/jupyter"):
        if needed not in copied:
            problems.append(f"Dockerfile: does not copy {needed}, which the install recipe reads")
    for secret in ("exercises", "tests", " . "):
        if re.search(rf"COPY[^\n]*\s{re.escape(secret.strip())}(\s|/|$)", text):
            problems.append(f"Dockerfile: copies {secret.strip()}: the image must not hold solutions or tests")
    return problems


def problems() -> list[str]:
    values = load_values()
    return schema_problems(values) + hub_problems(values) + manifest_problems() + dockerfile_problems()


def main() -> int:
    found = problems()
    for problem in found:
        print(problem)
    if not found:
        print("deploy/kubernetes: values, manifests and image recipe are valid (chart 4.4.0).")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
