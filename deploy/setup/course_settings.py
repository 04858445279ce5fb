"""The nbgrader settings of a course on a hub: the course's own (``exercises/nbgrader_config.py``)
and where this course lives. The set-up writes them into each course folder on one machine; on
Kubernetes, print them for the course's formgrader (``deploy/kubernetes/course-grader.yaml``):

    python3 -m deploy.setup.course_settings local-governance --state /srv/nbgrader > nbgrader_config.py

Only the standard library.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from deploy.setup.system import COURSE_ROOT

#: The course's nbgrader settings end with this: learners' access to the course comes from their hub
#: groups (``nbgrader-<course>``), and the formgrader's own account works on this course only.
COURSE_AUTH_PLUGIN = """
from nbgrader.auth import JupyterHubAuthPlugin


class CourseAuthPlugin(JupyterHubAuthPlugin):
    \"\"\"Learners of this course are the hub group nbgrader-{course_id}; the grader account is no hub user.\"\"\"

    def get_student_courses(self, student_id):
        if student_id == "*":
            return [{course_id!r}]
        return super().get_student_courses(student_id)


c.Authenticator.plugin_class = CourseAuthPlugin
"""

#: Where the hub on Kubernetes records each learner's uid, in the exchange (values.yaml, 20-uid-per-learner).
LEARNER_UIDS_RECORD = Path(".hub") / "learner-uids.json"


def course_folder(state: Path, course_id: str) -> Path:
    return state / "courses" / course_id


def course_settings(course_id: str, folder: Path, exchange: Path, learner_uids: Path | None = None,
                    certificate_key: Path | None = None) -> str:
    """The nbgrader settings of a course on a hub. The Kubernetes formgrader uses the same (course-grader.yaml).

    Collection refuses any submission that is not the named learner's own (its owner is not their
    uid): ``learner_uids`` is the hub's record of those uids on Kubernetes; on one machine, each
    learner's Unix account gives it.
    """
    settings = (COURSE_ROOT / "exercises" / "nbgrader_config.py").read_text(encoding="utf-8")
    hub_lines = '\nc.ExchangeFactory.collect = "autograder.exchange_collect.OwnerCheckedCollect"\n'
    if learner_uids is not None:
        hub_lines += f"c.OwnerCheckedCollect.learner_uids = {str(learner_uids)!r}\n"
    if certificate_key is not None:
        hub_lines += f"c.SelfPaced.certificate_key = {str(certificate_key)!r}\n"
    return (
        settings
        + "\n# --- The course on a hub (deploy/setup/course_settings.py) ---------------------------\n"
        + f"c.CourseDirectory.course_id = {course_id!r}\n"
        + f"c.CourseDirectory.root = {str(folder)!r}\n"
        + f"c.Exchange.root = {str(exchange)!r}\n"
        + "c.Exchange.path_includes_course = True\n"
        + hub_lines
        + COURSE_AUTH_PLUGIN.format(course_id=course_id)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m deploy.setup.course_settings", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("course", help="the course's id (its folder is STATE/courses/COURSE)")
    parser.add_argument("--state", type=Path, default=Path("/srv/nbgrader"),
                        help="where the course's volumes are mounted (default /srv/nbgrader, as course-grader.yaml "
                        "mounts them): collection checks learners' uids in the hub's record on the exchange")
    arguments = parser.parse_args(argv)
    exchange = arguments.state / "exchange"
    print(course_settings(arguments.course, course_folder(arguments.state, arguments.course), exchange,
                          learner_uids=exchange / LEARNER_UIDS_RECORD), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
