"""The Kubernetes deployment (deploy/kubernetes/), checked offline: no cluster, Helm or registry here."""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import importlib.util
import os
import stat
import subprocess
import types
from pathlib import Path

import pytest
import yaml

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


def test_the_hub_image_check_rejects_the_charts_own_image_when_the_hub_imports_course_hub():
    values = copy.deepcopy(validate.load_values())
    assert any("course_hub" in snippet for snippet in values["hub"]["extraConfig"].values())
    del values["hub"]["image"]
    assert any("hub.image is the chart's own" in problem for problem in validate.hub_image_problems(values))


def test_the_snippet_check_rejects_an_import_that_course_hub_does_not_have():
    values = copy.deepcopy(validate.load_values())
    values["hub"]["extraConfig"]["10-course-groups"] = values["hub"]["extraConfig"]["10-course-groups"].replace(
        "lti_post_auth_hook", "lti_post_auth_hook_renamed")
    problems = validate.hub_problems(values)
    assert any("lti_post_auth_hook_renamed" in problem for problem in problems), problems


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


def test_an_instructor_who_launches_as_a_learner_loses_the_formgrader():
    snippet = validate.load_values()["hub"]["extraConfig"]["10-course-groups"]
    config = types.SimpleNamespace(Authenticator=types.SimpleNamespace())
    exec(compile(snippet, "10-course-groups", "exec"), {"c": config})
    former = types.SimpleNamespace(groups=[types.SimpleNamespace(name="formgrade-local-governance"),
                                           types.SimpleNamespace(name="formgrade-another-course")])
    handler = types.SimpleNamespace(find_user=lambda name: former)
    model = {"name": "u1", "auth_state": {ROLES: [LEARNER], CONTEXT: {"id": "moodle-course-42"}}}
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        groups = pool.submit(asyncio.run, config.Authenticator.post_auth_hook(None, handler, model)).result()["groups"]
    assert groups == ["formgrade-another-course", "nbgrader-local-governance"]


# --- The grading Job: collect apart from learner code --------------------------------------------

def grading_pod() -> dict:
    job = yaml.safe_load((COURSE_ROOT / "deploy" / "kubernetes" / "grading-job.yaml").read_text())
    return job["spec"]["template"]["spec"]


def test_the_grading_job_collects_in_an_init_container_as_the_grader():
    pod = grading_pod()
    (collect,) = pod["initContainers"]
    assert "nbgrader collect" in " ".join(collect["command"] + collect["args"])
    assert collect["securityContext"]["runAsUser"] == 9000, "collection runs as the grader account, not root"
    for container in pod["containers"]:
        assert "nbgrader collect" not in " ".join(container.get("command", []) + container.get("args", []))


def test_the_container_that_runs_learner_code_gets_no_token_no_secret_and_no_exchange():
    pod = grading_pod()
    assert pod.get("automountServiceAccountToken") is False, "learner code could read the pod's Kubernetes token"
    assert not pod.get("shareProcessNamespace"), "learner code could read the init container's processes"
    for container in pod["containers"]:
        names = {variable["name"] for variable in container.get("env", [])}
        assert "JUPYTERHUB_API_TOKEN" not in names, f"{container['name']} gets the formgrader's hub token"
        assert not any("valueFrom" in variable for variable in container.get("env", [])), f"{container['name']} reads a secret"
        assert not container.get("envFrom"), f"{container['name']} reads a secret"
        mounts = {mount["name"] for mount in container.get("volumeMounts", [])}
        assert "exchange" not in mounts, f"{container['name']} (learner code) could write into the exchange"
    secret_volumes = [volume for volume in pod["volumes"] if "secret" in volume or "projected" in volume]
    assert secret_volumes == []


# --- The exchange: uids of learners, folders made in advance ------------------------------------

def test_the_hub_records_each_learners_uid_where_the_courses_collection_reads_it(tmp_path, capsys):
    from autograder.exchange_collect import OwnerCheckedCollect
    from deploy.setup import course_settings

    values = validate.load_values()
    snippet = values["hub"]["extraConfig"]["20-uid-per-learner"]
    config = types.SimpleNamespace(KubeSpawner=types.SimpleNamespace())
    namespace = {"c": config}
    exec(compile(snippet, "20-uid-per-learner", "exec"), namespace)
    where_the_hub_writes = namespace["LEARNER_UIDS"]
    namespace["LEARNER_UIDS"] = str(tmp_path / "learner-uids.json")
    spawner = types.SimpleNamespace(user=types.SimpleNamespace(name="ada", id=7))
    assert config.KubeSpawner.uid(spawner) == 10007
    assert (tmp_path / "learner-uids.json").stat().st_mode & 0o777 == 0o640, "learners could read the record"

    course_settings.main(["local-governance", "--state", "/srv/nbgrader"])
    settings = capsys.readouterr().out
    assert 'c.ExchangeFactory.collect = "autograder.exchange_collect.OwnerCheckedCollect"' in settings
    assert f"c.OwnerCheckedCollect.learner_uids = {where_the_hub_writes!r}" in settings
    mounts = {mount["mountPath"] for mount in values["hub"]["extraVolumeMounts"]}
    assert any(where_the_hub_writes.startswith(path + "/") for path in mounts), "the hub does not mount the exchange"
    collector = OwnerCheckedCollect(learner_uids=namespace["LEARNER_UIDS"])
    assert collector.uid_of("ada") == 10007 and collector.uid_of("bob") is None


def init_script(document: dict, root: Path) -> str:
    """The shell script of the first init container of a pod (template), run against ``root``."""
    spec = document["spec"]["template"]["spec"] if "template" in document.get("spec", {}) else document
    (container,) = spec["initContainers"]
    return container["command"][-1].replace("/srv/nbgrader", str(root))


def run_init_scripts(root: Path) -> list[subprocess.CompletedProcess]:
    values = validate.load_values()
    grader = next(d for d in yaml.safe_load_all((COURSE_ROOT / "deploy" / "kubernetes" / "course-grader.yaml").read_text())
                  if d and d["kind"] == "Deployment")
    return [subprocess.run(["sh", "-c", init_script(document, root)], capture_output=True, text=True)
            for document in (values["hub"], grader)]


@pytest.fixture
def volumes(tmp_path) -> Path:
    if os.geteuid() != 0:
        pytest.fail("The init containers run as root: run these tests as root (as CI does).")
    (tmp_path / "exchange").mkdir(mode=0o777)
    (tmp_path / "courses" / "local-governance").mkdir(parents=True)
    return tmp_path


def test_the_init_containers_close_the_exchange_root_and_make_the_course_folders_the_graders(volumes):
    assert [result.returncode for result in run_init_scripts(volumes)] == [0, 0]
    exchange, course = volumes / "exchange", volumes / "exchange" / "local-governance"
    expected = {exchange: (0, 0o755), exchange / ".hub": (1000, 0o2750), course: (9000, 0o755),
                course / "outbound": (9000, 0o755), course / "inbound": (9000, 0o2733), course / "feedback": (9000, 0o711)}
    found = {path: (path.stat().st_uid, stat.S_IMODE(path.stat().st_mode)) for path in expected}
    assert found == expected
    assert (exchange / ".hub").stat().st_gid == 9000, "the graders cannot read the hub's record of uids"


def test_a_course_folder_made_by_a_learner_stops_the_formgrader_with_a_message(volumes):
    squatted = volumes / "exchange" / "local-governance"
    squatted.mkdir()
    os.chown(squatted, 10005, 100)
    hub, grader = run_init_scripts(volumes)
    assert hub.returncode == 0
    assert grader.returncode != 0 and "belongs to uid 10005" in grader.stderr and "remove it" in grader.stderr
