"""Set up one machine for a course hub, as root: the shared environment, the Unix accounts, the courses.

``make hub`` does it before it starts the hub. Every step can run again: it adds what is missing
and takes people out of the courses they no longer teach, so a second run with the same cohort
changes nothing, and learners' work is always kept.

1. **The course environment** (``environment``, with ``install-environment.sh``), installed once for
   every user, outside the repository and /root (both are private): a virtual environment made from
   Debian's ``/usr/bin/python3`` in ``/opt/local-governance-course/venv``, with the exact versions of
   ``requirements.lock`` and the course package (``modules``, ``autograder``, ``course_hub``), plus
   the hub's Jupyter settings (``deploy/jupyter/``). A stamp (hash of what went in) skips the
   install when nothing changed.
2. **The Unix accounts** (``system``; their names and the hub's record of them are
   ``course_hub.accounts``): every learner and instructor is a real Unix user with a private home
   (mode 700), so learners are kept apart by the operating system. Each course has a grader account
   (``grader-<course>``) that runs the course's formgrader and owns its gradebook, and a Unix group
   (``<course>-instructors``) whose members may read the course folder: exactly its grader account
   and the cohort's instructors (someone no longer listed as an instructor leaves it at the next
   set-up).
3. **The state folder** (``machine``, ``courses``; ``/srv/local-governance-hub`` by default): the
   hub's database and secrets (``hub/``, root only), the nbgrader exchange (``exchange/``), each
   course's nbgrader folder (``courses/<course>/``: the instructors' exercises with solutions, the
   gradebook, and its settings from ``course_settings``), the learners' branch of the course as a
   git repository that nbgitpuller clones (``course.git``), and ``hub.json``, the cohort that
   ``deploy/jupyterhub_config.py`` reads.

   The exchange's root belongs to root and nobody else may write it (mode 0755): each course's
   folders in it are made here, owned by the course's grader account, with nbgrader's modes. A
   learner therefore cannot create a course's folder before its instructors do (which would block
   its release), and the course's own nbgrader classes (``autograder/exchange_collect.py``) work
   with a root that nobody writes.

Run from the repository root:

* ``python3 -m deploy.setup.environment``: the shared environment only (``make hub-environment``),
  with Debian's Python; ``environment``, ``course_settings`` and ``system`` need only the standard
  library;
* ``/opt/local-governance-course/venv/bin/python -m deploy.setup --cohort cohort.json``: the whole
  set-up, with the course environment's Python (it has ``course_hub``);
* ``python3 -m deploy.setup.course_settings COURSE --state /srv/nbgrader``: a course's nbgrader
  settings for Kubernetes.
"""
