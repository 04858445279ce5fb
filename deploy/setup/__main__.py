"""Set up this machine for a cohort (as root, from the repository root, with the course environment's Python):

    /opt/local-governance-course/venv/bin/python -m deploy.setup [--cohort cohort.json] [--state STATE]

``make hub`` runs the same set-up before it starts the hub. See ``deploy/setup/__init__.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from deploy.setup.machine import DEFAULT_STATE, set_up
from deploy.setup.system import SetupError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.setup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE, help=f"the hub's state folder (default {DEFAULT_STATE})")
    parser.add_argument("--cohort", type=Path, help="a JSON file {courses: {id: {instructors: [...], learners: [...]}}} "
                        "(default: the demo cohort)")
    arguments = parser.parse_args(argv)
    try:
        cohort = json.loads(arguments.cohort.read_text()) if arguments.cohort else None
        set_up(arguments.state, cohort)
    except SetupError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"The hub's machine is set up (state in {arguments.state}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
