"""Grading of the course, around nbgrader's Python API and preprocessors.

It extends nbgrader rather than replacing it: the formats, gradebook and exchange stay nbgrader's.
Its parts (docs/architecture.md has the rules between them):

* :mod:`.cli` and ``__main__``: the ``autograder`` command, argument parsing only;
* :mod:`.course`: the nbgrader course (folders, configuration, submissions, gradebook);
* :mod:`.pipeline`: ``autograder grade``, from the plan of what to grade to the outcome records;
* :mod:`.preprocessors`: the nbgrader steps that a course's ``nbgrader_config.py`` names;
* :mod:`.screening`: the static screen of learner code that could change how tests run;
* :mod:`.reporting`: what instructors read after grading (CSV export, HTML report, summary);
* :mod:`.isolation`: the code that runs as root to keep learner code in its sandbox;
* :mod:`.scores`: scores as the gradebook holds them, the one reader;
* :mod:`.nbgrader_compat`: every use of a private API of nbgrader, nbclient or jupyter_client;
* :mod:`.exchange_collect`: nbgrader's exchange on a hub, refusing forged submissions;
* :mod:`.samples` and :mod:`.secrets`: made-up submissions, and what must never reach a learner.
"""
