"""What an institution's IT person relies on when they clone the course: two commands, pinned versions."""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import COURSE_ROOT


def locked_versions() -> dict[str, str]:
    pins = {}
    for line in (COURSE_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_readme_gives_exactly_the_two_set_up_commands():
    readme = (COURSE_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    commands = [line.split("#", 1)[0].strip() for block in blocks for line in block.splitlines() if line.strip()]
    assert commands == ["make start", "make test"]


def test_ci_runs_the_readme_test_command():
    script = (COURSE_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", script, flags=re.M)


def test_every_dependency_of_the_course_is_pinned_in_the_lock():
    project = tomllib.loads((COURSE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(text) for text in project["dependencies"] + project["optional-dependencies"]["dev"]]
    pins = locked_versions()
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.lock: regenerate it (see the README)"
        assert requirement.specifier.contains(pins[name], prereleases=True), \
            f"requirements.lock pins {name}=={pins[name]}, outside {requirement}"


def test_jupyterlab_myst_is_a_dependency_of_the_course_itself_not_only_of_its_tests():
    """The hub and the Kubernetes image install the course package (not its dev extra) with the lock:
    jupyterlab-myst must be among its own dependencies to reach learners' JupyterLab."""
    project = tomllib.loads((COURSE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {canonicalize_name(Requirement(text).name) for text in project["dependencies"]}
    assert {"jupyterlab-myst", "sphinx-exercise"} <= names


def test_the_course_jupyterlab_settings_are_valid_for_this_jupyterlab(tmp_path):
    """.ci/jupyterlab-settings writes overrides.json for make start, the hub and the image; JupyterLab
    ignores a setting its schema does not know, so each one is checked against the schema installed."""
    subprocess.run(["bash", str(COURSE_ROOT / ".ci" / "jupyterlab-settings"), str(tmp_path)], check=True)
    overrides = json.loads((tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json").read_text(encoding="utf-8"))
    share = Path(sys.prefix) / "share" / "jupyter"
    for plugin, values in overrides.items():
        package, name = plugin.split(":")
        candidates = [share / "lab" / "schemas" / package / f"{name}.json",
                      share / "labextensions" / package / "schemas" / package / f"{name}.json"]
        schema_file = next((path for path in candidates if path.exists()), None)
        assert schema_file, f"overrides.json sets {plugin}, which this JupyterLab does not have"
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        for key, value in values.items():
            assert key in schema["properties"], f"{plugin} has no setting {key!r}"
            jsonschema.validate(value, {**schema["properties"][key], "definitions": schema.get("definitions", {})})
    assert overrides["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}


def test_the_environment_has_exactly_the_locked_versions():
    pins = locked_versions()
    ignored = {"pip", "setuptools", "wheel", "local-governance-course"}
    different = []
    for distribution in importlib.metadata.distributions():
        name = canonicalize_name(distribution.metadata["Name"])
        if name in ignored:
            continue
        if pins.get(name) != distribution.version:
            different.append(f"{name} {distribution.version} (lock: {pins.get(name, 'absent')})")
    assert different == [], "installed versions differ from requirements.lock:\n" + "\n".join(sorted(different))


def test_generated_files_are_never_committed():
    generated = [".venv/", "_build/", "node_modules/", "_vendor/", ".make/", "my_exercises/",
                 "exercises/release/", "exercises/submitted/", "exercises/autograded/", "exercises/feedback/",
                 "exercises/gradebook.db"]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *generated],
                             cwd=COURSE_ROOT, capture_output=True, text=True).stdout.split()
    assert sorted(ignored) == sorted(generated), f"not ignored by .gitignore: {set(generated) - set(ignored)}"
