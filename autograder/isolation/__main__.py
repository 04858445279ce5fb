"""``python -m autograder.isolation POLICY -- COMMAND...`` runs COMMAND in a sandbox (see :mod:`.sandbox`)."""

from .sandbox import main

main()
