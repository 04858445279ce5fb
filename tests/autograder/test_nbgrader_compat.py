"""The private APIs of nbgrader, nbclient and jupyter_client that the autograder relies on
(``autograder/nbgrader_compat.py``), pinned to the versions of ``requirements.lock``.

After an upgrade of one of these libraries, a failure here names the private API that moved, before
any grading test fails in a way that is hard to read.
"""

from __future__ import annotations

import asyncio
import inspect
import re
from importlib.metadata import version
from pathlib import Path

import nbformat
import pytest
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from nbclient import NotebookClient
from nbgrader.exchange.default import ExchangeCollect
from nbgrader.preprocessors import ClearHiddenTests, Execute, latesubmissions, saveautogrades
from nbgrader.nbgraderformat import common

from nbgrader.validator import Validator

from autograder import nbgrader_compat
from autograder.nbgrader_compat import ExecuteHooks, KernelClientHooks, KernelManagerHooks

REPO = Path(__file__).resolve().parents[2]

#: Each private API, with the parameters the hooks pass to it.
PRIVATE_APIS = [
    (AsyncKernelManager, "_async_wait", ["self", "pollinterval"]),
    (AsyncKernelManager, "_async_pre_start_kernel", ["self", "transport_encryption", "kw"]),
    (AsyncKernelManager, "_async_cleanup_resources", ["self", "restart"]),
    (AsyncKernelClient, "_handle_kernel_info_reply", ["self", "msg"]),
    (AsyncKernelClient, "_async_is_alive", ["self"]),
    (LocalProvisioner, "_scrub_kwargs", ["kwargs"]),
    (NotebookClient, "_get_timeout", ["self", "cell"]),
    (NotebookClient, "_async_handle_timeout", ["self", "timeout", "cell"]),
    (ClearHiddenTests, "_remove_hidden_test_region", ["self", "cell"]),
    (ExchangeCollect, "_path_to_record", ["self", "path"]),
    (Validator, "_preprocess", ["self", "nb"]),
    (Validator, "_extract_error", ["self", "cell"]),
]


def locked_version(package: str) -> str:
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        name, _, pinned = line.partition("==")
        if re.sub(r"[-_.]+", "-", name).lower() == package:
            return pinned.strip()
    raise AssertionError(f"{package} is not in requirements.lock")


@pytest.mark.parametrize("package", ["nbgrader", "nbclient", "jupyter-client", "nbconvert"])
def test_are_the_libraries_those_of_the_lock(package):
    assert version(package) == locked_version(package), (
        f"{package} {version(package)} is installed but requirements.lock pins {locked_version(package)}: "
        "check autograder/nbgrader_compat.py against the new version, then update the lock")


@pytest.mark.parametrize("owner, name, parameters", PRIVATE_APIS, ids=[f"{o.__name__}.{n}" for o, n, _ in PRIVATE_APIS])
def test_does_each_private_api_still_take_what_the_hooks_pass(owner, name, parameters):
    function = inspect.getattr_static(owner, name, None)
    assert function is not None, f"{owner.__name__}.{name} is gone: autograder/nbgrader_compat.py must change"
    function = function.__func__ if isinstance(function, (staticmethod, classmethod)) else function
    assert list(inspect.signature(function).parameters) == parameters, f"{owner.__name__}.{name} changed its parameters"


def test_do_the_recording_preprocessors_still_open_the_gradebook_by_its_module_name():
    for module in (saveautogrades, latesubmissions):
        assert "Gradebook(" in inspect.getsource(module), module.__name__
        assert module.Gradebook.__name__ == "Gradebook"


def test_does_nbgrader_still_validate_cell_metadata_through_its_module_name_for_jsonschema():
    assert "jsonschema.validate(" in inspect.getsource(common)


def test_does_a_lent_gradebook_stand_for_the_class_and_flush_instead_of_committing():
    calls = []
    session = type("Session", (), {"flush": lambda self: calls.append("flush"), "commit": lambda self: calls.append("commit")})()
    gradebook = type("Book", (), {"db": session, "find_student": lambda self, name: name})()
    with nbgrader_compat.lend_gradebook(gradebook):
        with saveautogrades.Gradebook("sqlite:///ignored", course_id="x") as lent:
            lent.db.commit()
            assert lent.find_student("ada") == "ada"
        assert latesubmissions.Gradebook("sqlite:///ignored") is lent
    assert calls == ["flush"]
    assert saveautogrades.Gradebook.__name__ == "Gradebook", "the real class is back after the block"


def test_are_hidden_tests_removed_as_nbgrader_removes_them():
    cell = nbformat.v4.new_code_cell("assert f(1) == 2\n### BEGIN HIDDEN TESTS\nassert f(2) == 4\n### END HIDDEN TESTS")
    nbgrader_compat.remove_hidden_tests(None, cell)
    assert cell.source == "assert f(1) == 2"


def test_do_the_kernel_hooks_run_around_a_real_kernel(tmp_path):
    events = []

    class Client(KernelClientHooks):
        async def wait_for_ready(self, timeout=None):
            reply = None
            while reply is None or reply["msg_type"] != "kernel_info_reply":
                self.kernel_info()
                reply = await self.shell_channel.get_msg(timeout=30)
            self.accept_kernel_info(reply)
            events.append(("alive", await self.kernel_alive()))

    class Manager(KernelManagerHooks):
        exit_poll_interval = 0.01

        def before_start(self, arguments):
            events.append("before_start")

        def after_cleanup(self, restart):
            events.append(("after_cleanup", restart))

    async def run():
        manager = Manager(kernel_name="python3", client_factory=Client)
        await manager.start_kernel(cwd=str(tmp_path))
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready()
            assert client._recv_reply  # a client that took the reply can run code
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)

    asyncio.run(run())
    assert events == ["before_start", ("alive", True), ("after_cleanup", False)]


def test_do_the_execute_hooks_set_the_time_limit_and_see_the_timeout():
    seen = []

    class Limited(ExecuteHooks, Execute):
        def cell_timeout(self, cell, limit):
            return 1

        def on_cell_timeout(self, cell):
            seen.append(cell.source)

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time; time.sleep(30)")])
    step = Limited(timeout=600, interrupt_on_timeout=True, allow_errors=True, kernel_name="python3")
    assert step.time_limit(notebook.cells[0]) == 1
    step.preprocess(notebook, {"metadata": {"path": "."}})
    assert seen == ["import time; time.sleep(30)"]
    assert notebook.cells[0].outputs[-1]["ename"] == "CellTimeoutError"  # stopped after 1 s, not 600


def test_does_the_collect_hook_see_and_change_what_nbgrader_reads_from_a_submission_name():
    class Collect(nbgrader_compat.CollectHooks, ExchangeCollect):
        def submission_record(self, path, record):
            record["username"] = record["username"].upper()
            return record

    record = Collect()._path_to_record("/srv/exchange/course/inbound/ada+budgeting_01+2026-03-01 12:00:00.000000 UTC+x")
    assert record["username"] == "ADA"
    assert record["filename"].startswith("ada+budgeting_01")


def test_is_every_private_name_of_these_libraries_used_only_in_the_compat_module():
    uses = []
    private = {name for _, name, _ in PRIVATE_APIS}
    for path in (REPO / "autograder").rglob("*.py"):
        if path.name == "nbgrader_compat.py":
            continue
        text = path.read_text(encoding="utf-8")
        uses += [f"{path.relative_to(REPO)}: {name}" for name in private if re.search(rf"\b{name}\b", text)]
    assert not uses, "private APIs used outside autograder/nbgrader_compat.py:\n" + "\n".join(uses)


def test_does_the_validate_button_still_build_its_validator_by_name():
    from nbgrader.server_extensions.validate_assignment import handlers

    assert handlers.Validator is Validator, "the Validate button's handler no longer uses nbgrader's Validator by name"
    source = inspect.getsource(handlers.ValidateAssignmentHandler.validate_notebook)
    assert "Validator(config=config)" in source
