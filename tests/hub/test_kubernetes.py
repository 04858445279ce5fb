"""The Kubernetes deployment (deploy/kubernetes/), checked offline: no cluster, Helm or registry here."""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import importlib.util
import types

from tests.conftest import COURSE_ROOT

spec = importlib.util.spec_from_file_location("k8s_validate", COURSE_ROOT / "deploy" / "kubernetes" / "validate.py")
validate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(validate)

ROLES = "https://purl.imsglobal.org/spec/lti/claim/roles"
CONTEXT = "https://purl.imsglobal.org/spec/lti/claim/context"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


def test_the_values_the_manifests_and_the_image_recipe_are_valid():
    assert validate.problems() == []


def test_the_schema_check_rejects_a_misspelt_key():
    values = copy.deepcopy(validate.load_values())
    values["singleuser"]["imagee"] = values["singleuser"].pop("image")
    problems = validate.schema_problems(values)
    assert any("imagee" in problem for problem in problems), problems


def test_the_image_recipe_check_rejects_an_image_with_the_solutions(tmp_path, monkeypatch):
    dockerfile = (COURSE_ROOT / "deploy" / "kubernetes" / "Dockerfile").read_text()
    monkeypatch.setattr(validate, "HERE", tmp_path)
    (tmp_path / "Dockerfile").write_text(dockerfile.replace("COPY modules", "COPY exercises /tmp/course/exercises\nCOPY modules"))
    assert any("exercises" in problem for problem in validate.dockerfile_problems())


def test_an_lti_launch_puts_instructors_and_learners_in_their_course_groups():
    snippet = validate.load_values()["hub"]["extraConfig"]["10-course-groups"]
    config = types.SimpleNamespace(Authenticator=types.SimpleNamespace())
    namespace = {"c": config}
    exec(compile(snippet, "10-course-groups", "exec"), namespace)
    hook = config.Authenticator.post_auth_hook
    context = {"id": "moodle-course-42", "label": "LG-2026"}
    existing = types.SimpleNamespace(groups=[types.SimpleNamespace(name="nbgrader-another-course")])

    def launch(roles, user=None, course=context):
        handler = types.SimpleNamespace(find_user=lambda name: user)
        model = {"name": "u1", "auth_state": {ROLES: roles, CONTEXT: course}}
        # A thread of its own: the hook gets a fresh event loop whatever else the test run keeps running.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, hook(None, handler, model)).result()["groups"]

    assert launch([INSTRUCTOR]) == ["formgrade-local-governance"]
    assert launch([LEARNER]) == ["nbgrader-local-governance"]
    assert launch([LEARNER], user=existing) == ["nbgrader-another-course", "nbgrader-local-governance"]
    assert launch([INSTRUCTOR], course={"id": "unknown"}) == []
