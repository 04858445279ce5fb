"""A Jupyter server extension of learners' servers on the hub: ``<server>/course/progress`` sends the
learner to their course's progress page (``/services/<course>-progress/``).

The course site's "Your progress" button and the *Course* menu of JupyterLab both point at
``/hub/user-redirect/course/progress``, which the hub turns into this address on the learner's own
server; the learner's hub groups say which course is theirs (the first, if they are in several;
the progress page of each course is also in the hub's *Services* menu).
"""

from __future__ import annotations

import json
import os

from course_hub.groups import progress_service
from course_hub.languages import LANGUAGES
from course_hub.lesson_tracker import courses_of


def _jupyter_server_extension_points():
    return [{"module": "course_hub.progress_link"}]


def _load_jupyter_server_extension(serverapp) -> None:
    from jupyter_server.base.handlers import JupyterHandler
    from jupyter_server.utils import url_path_join
    from tornado import web
    from tornado.httpclient import AsyncHTTPClient

    api, token = os.environ.get("JUPYTERHUB_API_URL"), os.environ.get("JUPYTERHUB_API_TOKEN")

    class ProgressRedirect(JupyterHandler):
        @web.authenticated
        async def get(self) -> None:
            if not (api and token):
                raise web.HTTPError(404, "This JupyterLab is not on the course hub: there is no progress page.")
            response = await AsyncHTTPClient().fetch(f"{api.rstrip('/')}/user",
                                                     headers={"Authorization": f"token {token}"})
            courses = courses_of(json.loads(response.body).get("groups", []))
            if not courses:
                raise web.HTTPError(404, "You are not in a course of this hub yet: ask your instructor to add you.")
            language = self.get_argument("lang", "")  # the site's French pages ask for French
            self.redirect(f"/services/{progress_service(courses[0])}/" + (f"?lang={language}" if language in LANGUAGES else ""))

    pattern = url_path_join(serverapp.web_app.settings["base_url"], "course/progress")
    serverapp.web_app.add_handlers(".*$", [(pattern, ProgressRedirect)])
