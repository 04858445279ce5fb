"""The course's hub package: what the hub and the tools around it import, installed with the course.

It is installed in every environment of the course: the repository's ``.venv`` (editable), the
hub's shared environment (``/opt/local-governance-course/venv``, by ``deploy/setup/``), the learners'
image on Kubernetes (``deploy/kubernetes/Dockerfile``) and the hub's image there
(``deploy/kubernetes/hub.Dockerfile``). Importing it imports nothing: each module says what it needs.

- ``accounts``: the hub's Unix accounts: their names, the record of those the hub made, who may log in as which.
- ``groups``: the hub groups and roles that make someone a learner or an instructor of a course (cohort and LTI launches).
- ``preload_spawner``: the spawner: LocalProcessSpawner whose servers start from the server zygote.
- ``server_zygote``: the root process that has imported Jupyter once and forks each learner's server.
- ``launch_link``: the nbgitpuller link that opens a lesson on the hub (the site's "Launch on JupyterHub").
- ``processes``: run child processes until Ctrl-C or SIGTERM, then stop them (``make hub``, ``make start``).
- ``lesson_tracker``: a server extension of learners' JupyterLab that reports the lessons they open to the course.
- ``hub_client``: drives a hub over HTTP as a browser does (the hub's tests and its benchmark).
"""
