"""The self-paced loop as JupyterHub services.

* :mod:`.grading` (``python -m autograder.selfpaced.service.grading``): one service for the whole hub,
  run as root (the sandbox needs it), with no web address. It watches every course's exchange inbox,
  grades each submission in the sandbox, releases its feedback, and issues certificates (it alone
  reads the institution's signing key).
* :mod:`.web` (``python -m autograder.selfpaced.service.web``): one service per course, run as the
  course's grader account, at ``/services/<course>-progress/``: each learner's progress, feedback
  per test, self and peer assessment of written answers, and certificate; the cohort page and CSV
  for the course's instructors.
* :mod:`.handlers`, :mod:`.views` and ``templates/``: the web service's pages.

Both read and write the course's store (:mod:`autograder.selfpaced.store`).
"""
