"""A Jupyter server extension of learners' servers on the hub: it tells the course's progress service
which lessons the learner opens, so that their progress page counts them.

It listens to Jupyter Server's own record of file actions (the ``contents_service`` event, whose
``get`` is JupyterLab opening a file). When the file is a lesson of the course pulled by the launch
link (``.../book/<module>/<NN-name>.md``, or its French edition ``.../book/fr/<module>/<NN-name>.md``),
it posts ``{"lesson": "book/<module>/<NN-name>"}`` (``book/fr/...`` for a French one) to
``/services/<course>-progress/api/opened`` of every course the learner is in, with the server's own
token. A failure is logged and never disturbs JupyterLab.

Enabled in ``deploy/jupyter/learners/jupyter_server_config.d/zz-course-hub.json``; the hub gives
the server its address (``COURSE_HUB_URL``).
"""

from __future__ import annotations

import json
import os
import re
import time

from course_hub.groups import progress_service

CONTENTS_EVENTS = "https://events.jupyter.org/jupyter_server/contents_service/v1"
LESSON = re.compile(r"(?:^|/)(book/(?:fr/)?[a-z_]+/\d\d-[^/]+)\.(?:md|ipynb)$")
#: A lesson opened again within this many seconds is not reported again.
QUIET_SECONDS = 600


def lesson_of(path: str) -> str | None:
    """``course/book/budgeting/01-anatomy.md`` -> ``book/budgeting/01-anatomy``
    (``course/book/fr/budgeting/01-anatomy.md`` -> ``book/fr/budgeting/01-anatomy``); None for other files."""
    match = LESSON.search(path)
    return match.group(1) if match else None


def courses_of(groups: list[str]) -> list[str]:
    """The courses of a user's hub groups (``nbgrader-<course>``, ``formgrade-<course>``)."""
    courses = []
    for group in groups:
        for prefix in ("nbgrader-", "formgrade-"):
            if group.startswith(prefix) and group[len(prefix):] not in courses:
                courses.append(group[len(prefix):])
    return courses


def _jupyter_server_extension_points():
    return [{"module": "course_hub.lesson_tracker"}]


def _load_jupyter_server_extension(serverapp) -> None:
    hub, api, token = (os.environ.get(name) for name in ("COURSE_HUB_URL", "JUPYTERHUB_API_URL", "JUPYTERHUB_API_TOKEN"))
    if not (hub and api and token):
        serverapp.log.info("Lesson tracker off: not a server of the course hub.")
        return
    from tornado.httpclient import AsyncHTTPClient, HTTPClientError

    reported: dict[str, float] = {}
    headers = {"Authorization": f"token {token}"}

    async def courses() -> list[str]:
        response = await AsyncHTTPClient().fetch(f"{api.rstrip('/')}/user", headers=headers)
        return courses_of(json.loads(response.body).get("groups", []))

    async def on_file_action(logger, schema_id, data) -> None:
        lesson = lesson_of(data.get("path", "")) if data.get("action") == "get" else None
        if lesson is None or time.monotonic() - reported.get(lesson, -QUIET_SECONDS) < QUIET_SECONDS:
            return
        reported[lesson] = time.monotonic()
        try:
            for course in await courses():
                await AsyncHTTPClient().fetch(
                    f"{hub.rstrip('/')}/services/{progress_service(course)}/api/opened", method="POST",
                    headers={**headers, "Content-Type": "application/json"}, body=json.dumps({"lesson": lesson}))
        except (HTTPClientError, OSError, ValueError) as error:
            serverapp.log.warning("Could not report the opened lesson %s to the course: %s", lesson, error)

    serverapp.event_logger.add_listener(schema_id=CONTENTS_EVENTS, listener=on_file_action)
