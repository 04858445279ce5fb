"""Every use of a private API of nbgrader, nbclient or jupyter_client, in one place.

The autograder extends these libraries where they offer no public hook. Each such place is here,
behind a public name, so that an upgrade of the locked versions breaks this file only, and
``tests/autograder/test_nbgrader_compat.py`` (pinned to the versions of ``requirements.lock``) says
which private API moved. The rest of the autograder subclasses these hooks and never names a
private attribute of those libraries.

==========================================  =================================================
Hook                                         Private API it wraps
==========================================  =================================================
:class:`KernelManagerHooks`                  ``AsyncKernelManager._async_wait``,
                                             ``_async_pre_start_kernel``,
                                             ``_async_cleanup_resources``
:class:`KernelClientHooks`                   ``AsyncKernelClient._handle_kernel_info_reply``,
                                             ``_async_is_alive``
:func:`scrub_launch_arguments`               ``LocalProvisioner._scrub_kwargs``
:class:`ExecuteHooks`                        ``NotebookClient._get_timeout``,
                                             ``_async_handle_timeout``
:func:`remove_hidden_tests`                  ``ClearHiddenTests._remove_hidden_test_region``
:class:`CollectHooks`                        ``ExchangeCollect._path_to_record``
:func:`lend_gradebook`                       the ``Gradebook`` name inside
                                             ``nbgrader.preprocessors.saveautogrades`` and
                                             ``latesubmissions``
:func:`use_metadata_validator`               the ``jsonschema`` name inside
                                             ``nbgrader.nbgraderformat.common``
:class:`ValidatorHooks`                      ``Validator._preprocess``, ``_extract_error``
:func:`use_validator_in_validate_button`     the ``Validator`` name inside
                                             ``nbgrader.server_extensions.validate_assignment.handlers``
==========================================  =================================================
"""

from __future__ import annotations

import contextlib
from types import SimpleNamespace
from typing import Any, Callable, Iterator

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner


class KernelManagerHooks(AsyncKernelManager):
    """jupyter_client's ``AsyncKernelManager`` with three public steps to override.

    * ``exit_poll_interval`` (seconds): how often to check that a kernel being shut down has exited
      (jupyter_client checks every 0.1 s, a tenth of a second per notebook graded);
    * :meth:`before_start` runs before the kernel's connection file and provisioner are made;
    * :meth:`after_cleanup` runs after the kernel's resources are cleaned up.
    """

    exit_poll_interval = 0.1

    def before_start(self, arguments: dict[str, Any]) -> None:
        """Prepare the start of a kernel; ``arguments`` are those of ``start_kernel``."""

    def after_cleanup(self, restart: bool) -> None:
        """Clean up after a kernel, once jupyter_client has (``restart``: it is being restarted)."""

    async def _async_wait(self, pollinterval: float | None = None) -> None:
        await super()._async_wait(pollinterval=self.exit_poll_interval if pollinterval is None else pollinterval)

    async def _async_pre_start_kernel(self, **kw: Any):
        self.before_start(kw)
        return await super()._async_pre_start_kernel(**kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        self.after_cleanup(restart)


class KernelClientHooks(AsyncKernelClient):
    """jupyter_client's ``AsyncKernelClient``, with two of its private steps under public names."""

    def accept_kernel_info(self, reply: dict) -> None:
        """Take the kernel's ``kernel_info_reply`` as ``wait_for_ready`` does (protocol version...)."""
        self._handle_kernel_info_reply(reply)

    async def kernel_alive(self) -> bool:
        """Whether the kernel process is still running."""
        return await self._async_is_alive()


def scrub_launch_arguments(arguments: dict[str, Any]) -> dict[str, Any]:
    """The arguments of a kernel launch that ``LocalProvisioner`` passes on to ``Popen``."""
    return LocalProvisioner._scrub_kwargs(arguments)


class ExecuteHooks:
    """A mixin for nbgrader's ``Execute`` (an nbclient ``NotebookClient``) with two public steps.

    * :meth:`cell_timeout` gives a cell's time limit, from nbclient's (``None``: no limit);
    * :meth:`on_cell_timeout` runs when a cell runs out of time, before nbclient interrupts it.
    """

    def cell_timeout(self, cell, limit: float | None) -> float | None:
        return limit

    def time_limit(self, cell) -> float | None:
        """The time limit of ``cell`` in seconds, as nbclient will apply it (``None``: none)."""
        return self._get_timeout(cell)

    def on_cell_timeout(self, cell) -> None:
        """Called when ``cell`` ran out of time."""

    def _get_timeout(self, cell):
        return self.cell_timeout(cell, super()._get_timeout(cell))

    async def _async_handle_timeout(self, timeout, cell=None):
        self.on_cell_timeout(cell)
        return await super()._async_handle_timeout(timeout, cell)


def remove_hidden_tests(parent, cell) -> None:
    """Remove the hidden tests of ``cell`` in place, as nbgrader's ``ClearHiddenTests`` does."""
    from nbgrader.preprocessors import ClearHiddenTests

    ClearHiddenTests(parent=parent)._remove_hidden_test_region(cell)


class CollectHooks:
    """A mixin for nbgrader's ``ExchangeCollect``: :meth:`submission_record` sees, and may change,
    what nbgrader reads from the name of each inbound submission (``username``, ``timestamp``...)."""

    def submission_record(self, path: str, record: dict) -> dict:
        return record

    def _path_to_record(self, path):
        return self.submission_record(path, super()._path_to_record(path))


@contextlib.contextmanager
def lend_gradebook(gradebook) -> Iterator[None]:
    """Make nbgrader's recording preprocessors (``SaveAutoGrades``, ``AssignLatePenalties``) use the
    open ``gradebook`` instead of opening their own, and only flush where they would commit: the
    caller commits once per submission. The main process is single-threaded, so this is safe."""
    from nbgrader.preprocessors import latesubmissions, saveautogrades

    borrowed = _BorrowedGradebook(gradebook)
    saved = [(module, module.Gradebook) for module in (saveautogrades, latesubmissions)]
    for module, _ in saved:
        module.Gradebook = borrowed
    try:
        yield
    finally:
        for module, original in saved:
            module.Gradebook = original


class _BorrowedGradebook:
    """A gradebook lent to a preprocessor: its commits only flush, and closing it does nothing."""

    def __init__(self, gradebook) -> None:
        self._gradebook = gradebook
        self.db = _FlushOnCommit(gradebook.db)

    def __call__(self, *args, **kwargs) -> "_BorrowedGradebook":  # stands for the Gradebook class
        return self

    def __enter__(self) -> "_BorrowedGradebook":
        return self

    def __exit__(self, *exception) -> None:
        pass

    def close(self) -> None:
        pass

    def __getattr__(self, name: str):
        return getattr(self._gradebook, name)


class _FlushOnCommit:
    def __init__(self, session) -> None:
        self._session = session

    def commit(self) -> None:
        self._session.flush()

    def __getattr__(self, name: str):
        return getattr(self._session, name)


def use_metadata_validator(validate: Callable[[Any, dict], None]) -> None:
    """Make nbgrader's cell-metadata checks call ``validate(instance, schema)`` in place of
    ``jsonschema.validate`` (in this process; calling it again changes nothing)."""
    import jsonschema
    from nbgrader.nbgraderformat import common

    if getattr(common.jsonschema, "validate", None) is not validate:
        common.jsonschema = SimpleNamespace(**{name: getattr(jsonschema, name) for name in dir(jsonschema)
                                               if not name.startswith("__")})
        common.jsonschema.validate = validate


def _validator_class():
    from nbgrader.validator import Validator

    return Validator


class ValidatorHooks(_validator_class()):
    """nbgrader's ``Validator`` (the Validate button), with two public hooks: :meth:`ran` sees the
    notebook once it has run, and :meth:`explain` gives the text shown for a failed cell."""

    def _preprocess(self, nb):
        nb = super()._preprocess(nb)
        self.ran(nb)
        return nb

    def _extract_error(self, cell) -> str:
        return self.explain(cell, super()._extract_error(cell))

    def ran(self, nb) -> None:
        """Called with the notebook once every cell has run."""

    def explain(self, cell, nbgrader_text: str) -> str:
        """What the Validate button shows for a failed ``cell`` (nbgrader shows ``nbgrader_text``)."""
        return nbgrader_text


def use_validator_in_validate_button(validator_class) -> None:
    """Make the Validate button of this Jupyter server use ``validator_class`` in place of nbgrader's
    ``Validator`` (its handler builds one by that name at each click)."""
    from nbgrader.server_extensions.validate_assignment import handlers

    handlers.Validator = validator_class
