"""Kernels forked from the zygote behave like kernels started the usual way, one per notebook.

Notebooks are run in this process with nbgrader's ``Execute`` (a new ``python -m
ipykernel_launcher`` per notebook) and with the autograder's ``GradingExecute`` (kernels forked
from a process that has imported pandas and matplotlib, the next one started ahead).
"""

from __future__ import annotations

import re
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.preprocessors import Execute

from autograder import isolation
from autograder.preprocessors import GradingExecute, discard_spare_kernels

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def launcher():
    chosen = isolation.KernelLauncher()
    isolation.use_launcher(chosen)
    yield chosen
    discard_spare_kernels()
    chosen.close()
    isolation.use_launcher(None)


def notebook(*sources: str):
    made = new_notebook(cells=[new_code_cell(source) for source in sources])
    made.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return made


def run(executor_class, nb, folder, **options):
    executor = executor_class(timeout=options.pop("timeout", 30), **options)
    result, _ = executor.preprocess(nbformat.from_dict(nb), {"metadata": {"path": str(folder)}})
    return result


def outputs(nb) -> list[list[tuple]]:
    """What a grader looks at in each cell: output types, stream names and texts, data types (with
    the kernel's process number, which is in the names of its temporary files, left out)."""
    summary = []
    for cell in nb.cells:
        found = []
        for output in cell.outputs:
            if output.output_type == "stream":
                found.append(("stream", output.name, re.sub(r"ipykernel_\d+", "ipykernel_PID", output.text)))
            elif output.output_type == "error":
                found.append(("error", output.ename, output.evalue))
            else:
                found.append((output.output_type, tuple(sorted(output.get("data", {})))))
        summary.append(found)
    return summary


COMPARED = notebook(
    "import sys\nprint('pandas imported before the first cell:', 'pandas' in sys.modules and 'pd' in globals())",
    "import pandas as pd\npd.DataFrame({'a': [1, 2]})",
    "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()",
    "import warnings\nwarnings.warn('careful with this one')",
    "print(undefined_name)",
    "import numpy as np\nprint(type(np.random.rand()).__name__)",
    "print(__name__, get_ipython().execution_count)",
)


def test_does_a_forked_kernel_give_the_outputs_of_a_usual_kernel(launcher, tmp_path):
    usual = run(Execute, COMPARED, tmp_path)
    forked = run(GradingExecute, COMPARED, tmp_path)
    assert outputs(forked) == outputs(usual)
    assert ("display_data", ("image/png", "text/plain")) in outputs(forked)[2], "figures are drawn inline"
    assert [cell.execution_count for cell in forked.cells] == list(range(1, len(COMPARED.cells) + 1))


def test_does_no_state_pass_from_one_notebook_to_the_next(launcher, tmp_path):
    first = notebook("import pandas as pd\npd.set_option('display.max_rows', 3)\nimport json\njson.leaked = 1\n"
                     "left_behind = 42")
    second = notebook("import pandas as pd, json\n"
                      "print(pd.get_option('display.max_rows'), hasattr(json, 'leaked'), 'left_behind' in globals())")
    run(GradingExecute, first, tmp_path)
    result = run(GradingExecute, second, tmp_path)
    assert result.cells[0].outputs[0].text.split() == ["60", "False", "False"]


def test_does_each_kernel_draw_different_random_numbers(launcher, tmp_path):
    draw = notebook("import numpy as np, random\nprint(np.random.randint(10**9), random.randint(0, 10**9))")
    first = run(GradingExecute, draw, tmp_path).cells[0].outputs[0].text
    second = run(GradingExecute, draw, tmp_path).cells[0].outputs[0].text
    assert first.split()[0] != second.split()[0] and first.split()[1] != second.split()[1]


def test_does_a_kernel_started_ahead_run_in_the_notebook_folder(launcher, tmp_path):
    (tmp_path / "helper_module.py").write_text("VALUE = 'from the notebook folder'\n", encoding="utf-8")
    nb = notebook("import os, helper_module\nprint(os.getcwd())\nprint(helper_module.VALUE)")
    run(GradingExecute, nb, tmp_path)  # leaves a kernel started ahead for the next notebook
    result = run(GradingExecute, nb, tmp_path)
    assert result.cells[0].outputs[0].text.splitlines() == [str(tmp_path), "from the notebook folder"]


def test_does_an_endless_loop_fail_at_its_time_limit_and_the_next_cell_still_run(launcher, tmp_path):
    nb = notebook("while True:\n    pass", "print('next cell')")
    result = run(GradingExecute, nb, tmp_path, timeout=2)
    assert result.cells[0].outputs[-1].output_type == "error"
    assert result.cells[1].outputs[0].text == "next cell\n"


@pytest.mark.parametrize("preload", [True, False])
def test_does_the_command_prefix_wrap_the_code_of_learners(tmp_path, preload):
    wrapped = isolation.KernelLauncher(preload=preload, command_prefix=["env", "AUTOGRADER_PREFIX_SEEN=yes"])
    wrapped.sandbox.enabled = False  # the sandbox hides the parent's environment, and keeps its own
    isolation.use_launcher(wrapped)
    try:
        nb = notebook("import os\n"
                      "own = open(f'/proc/{os.getpid()}/environ').read()\n"
                      "parent = open(f'/proc/{os.getppid()}/environ').read()\n"
                      "print('AUTOGRADER_PREFIX_SEEN=yes' in own + parent)")
        result = run(GradingExecute, nb, tmp_path, start_ahead=False)
        assert result.cells[0].outputs[0].text.strip() == "True"
    finally:
        wrapped.close()
        isolation.use_launcher(None)


def test_is_the_zygote_given_the_python_of_this_environment(launcher):
    launcher.warm_up()
    assert launcher._zygote.process.args[0] == sys.executable
    assert launcher._zygote.not_preloaded == []
