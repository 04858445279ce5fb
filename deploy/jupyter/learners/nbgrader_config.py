"""nbgrader settings of every Jupyter server on the course hub (installed into the course
environment's etc/jupyter/, so learners have nothing to set up).

* The exchange is the hub's shared folder; its path includes the course, so several courses share
  one hub.
* Which courses a user sees comes from their JupyterHub groups (``nbgrader-<course>`` for learners,
  ``formgrade-<course>`` for instructors), through nbgrader's JupyterHub plugin.
* A learner's nbgrader identity is their hub user name, never the Unix account the server runs as
  (on Kubernetes every learner runs as the same Unix user).
"""

import os

c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)

c.Exchange.root = os.environ.get("COURSE_HUB_EXCHANGE", "/srv/local-governance-hub/exchange")
c.Exchange.path_includes_course = True
c.Authenticator.plugin_class = "nbgrader.auth.JupyterHubAuthPlugin"

if os.environ.get("COURSE_HUB_ROLE") == "user" and os.environ.get("JUPYTERHUB_USER"):
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
