"""nbgrader settings of every Jupyter server on the course hub (installed into the course
environment's etc/jupyter/, so learners have nothing to set up).

* The exchange is the hub's shared folder; its path includes the course, so several courses share
  one hub.
* Which courses a user sees comes from their JupyterHub groups (``nbgrader-<course>`` for learners,
  ``formgrade-<course>`` for instructors), through nbgrader's JupyterHub plugin.
* A learner's nbgrader identity is their hub user name, never the Unix account the server runs as
  (on Kubernetes every learner runs as the same Unix user).
* Nobody writes the exchange's root: the hub's set-up makes each course's folders in it. nbgrader's
  own exchange classes insist on a root that everyone may write; the course's (``autograder/
  exchange_collect.py``) only ask that it exists. Collection is set in each course's settings
  (``deploy/setup/course_settings.py``).
"""

import os

c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)

c.Exchange.root = os.environ.get("COURSE_HUB_EXCHANGE", "/srv/local-governance-hub/exchange")
c.Exchange.path_includes_course = True
c.Authenticator.plugin_class = "nbgrader.auth.JupyterHubAuthPlugin"
c.ExchangeFactory.fetch_assignment = "autograder.exchange_collect.HubFetchAssignment"
c.ExchangeFactory.fetch_feedback = "autograder.exchange_collect.HubFetchFeedback"
c.ExchangeFactory.list = "autograder.exchange_collect.HubList"
c.ExchangeFactory.submit = "autograder.exchange_collect.HubSubmit"
c.ExchangeFactory.release_assignment = "autograder.exchange_collect.HubReleaseAssignment"
c.ExchangeFactory.release_feedback = "autograder.exchange_collect.HubReleaseFeedback"

if os.environ.get("COURSE_HUB_ROLE") == "user" and os.environ.get("JUPYTERHUB_USER"):
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
