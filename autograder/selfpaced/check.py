""""Check my answers" in JupyterLab: nbgrader's Validate button, with the course's plain messages.

The Validate button of a learner's notebook runs nbgrader's validation: the whole notebook from a
fresh start, in a kernel of the learner's own server, visible tests only (hidden tests are not in a
learner's copy), as often as the learner likes. For each part that fails it shows, next to the
part's title, the message the check wrote for learners, never a traceback:

* a failed check: its own message (``assert ..., "Your gross savings are 350 000 € too high ..."``);
* a part still holding its stub: "This part is not answered yet ..." (the feedback's own words);
* another error of the learner's code: its name and message, which the learner needs to fix it.

This module is a Jupyter server extension of learners' servers on the hub
(``deploy/jupyter/learners/jupyter_server_config.d/zz-course-hub.json``).
"""

from __future__ import annotations

from autograder.messages import _, notebook_language, speaking
from autograder.nbgrader_compat import ValidatorHooks, use_validator_in_validate_button
from autograder.preprocessors.hidden_outputs import CHECK_FAILED, NOT_ANSWERED
from autograder.selfpaced.rubric import part_titles


class CourseValidator(ValidatorHooks):
    """nbgrader's Validator whose failed cells read as the course's messages, part by part."""

    def ran(self, nb) -> None:
        self.titles = part_titles(nb)
        self.language = notebook_language(nb)

    def explain(self, cell, nbgrader_text: str) -> str:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        title = getattr(self, "titles", {}).get(grade_id, "")
        with speaking(getattr(self, "language", "en")):
            message = learner_message(cell, nbgrader_text)
        return f"{title}: {message}" if title else message


def learner_message(cell, nbgrader_text: str) -> str:
    """The plain message of a failed cell (see the module's documentation)."""
    error = next((output for output in cell.get("outputs", []) if output.get("output_type") == "error"), None)
    if error is None:
        return nbgrader_text
    name, value = str(error.get("ename", "")), str(error.get("evalue", "")).strip()
    if name == "AssertionError":
        return value or _(CHECK_FAILED)
    if name == "NotImplementedError":
        return _(NOT_ANSWERED)
    return _("Your code raised {name}: {value}", name=name, value=value) if value else _("Your code raised {name}.", name=name)


def _jupyter_server_extension_points():
    return [{"module": "autograder.selfpaced.check"}]


def _load_jupyter_server_extension(serverapp) -> None:
    use_validator_in_validate_button(CourseValidator)
    serverapp.log.info("The Validate button shows the course's messages (autograder.selfpaced.check).")
