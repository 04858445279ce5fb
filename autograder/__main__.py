"""``python -m autograder``: the ``autograder`` command (:mod:`autograder.cli`)."""

import sys

from autograder.cli import main

sys.exit(main())
