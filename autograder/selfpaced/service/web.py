"""The web service of one course (the course's grader account): see :mod:`autograder.selfpaced.service`.

    python -m autograder.selfpaced.service.web --course PATH

The course folder holds the course's ``book/_toc.yml`` and ``book/syllabus.md`` (the set-up copies
them there), which give its modules (:mod:`autograder.selfpaced.outline`).

JupyterHub starts it with its address and token in the environment (``JUPYTERHUB_SERVICE_URL``,
``JUPYTERHUB_SERVICE_PREFIX``, ``JUPYTERHUB_API_TOKEN``); learners sign in with their hub account.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import sys
import urllib.parse

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from jupyterhub.services.auth import HubOAuthCallbackHandler
from markupsafe import Markup
from tornado import httpclient, ioloop, web

from autograder.course import Course, CourseError
from autograder.messages import _, language, number
from autograder.selfpaced.outline import read_outline
from autograder.selfpaced.progress import CourseProgress
from autograder.selfpaced.service import handlers
from autograder.selfpaced.service.language import ARGUMENT, LANGUAGES, NAMES
from autograder.selfpaced.settings import SelfPaced
from autograder.selfpaced.store import store_of

log = logging.getLogger("autograder.selfpaced")


class ServiceContext:
    """What every page of the course's service needs: the course, its store, settings and outline."""

    def __init__(self, course: Course, prefix: str) -> None:
        self.course = course
        self.store = store_of(course)
        self.settings = SelfPaced(config=course.config)
        self.outline = read_outline(course.root)
        self.prefix = prefix if prefix.endswith("/") else prefix + "/"
        self.templates = Environment(loader=PackageLoader("autograder.selfpaced.service", "templates"),
                                     autoescape=select_autoescape(default=True), undefined=StrictUndefined)
        self.templates.filters["points"] = lambda value: "–" if value is None else number(value)
        self.templates.globals.update(page_text(), language_links={code: f"?{ARGUMENT}={code}" for code in LANGUAGES})

    def progress(self) -> CourseProgress:
        """A fresh reading of the gradebook and the store (one per request)."""
        return CourseProgress(self.course, self.store, self.settings, self.outline)

    async def members(self) -> list[str]:
        """The learners of the course's hub group (``nbgrader-<course>``), from the hub's API."""
        api, token = os.environ.get("JUPYTERHUB_API_URL"), os.environ.get("JUPYTERHUB_API_TOKEN")
        if not api or not token:
            return []
        try:
            response = await httpclient.AsyncHTTPClient().fetch(
                f"{api.rstrip('/')}/groups/nbgrader-{self.course.course_id}", headers={"Authorization": f"token {token}"})
        except httpclient.HTTPClientError as error:
            log.warning("Could not read the course's group from the hub: %s", error)
            return []
        return sorted(json.loads(response.body).get("users", []))


def translated(message: str, **values) -> Markup:
    """``_`` of the templates: ``message`` in the language now, its ``{fields}`` filled with ``values``.

    The catalogue's text is the template's own (it may hold markup, as the template would);
    the values are escaped, as everything else a template shows.
    """
    return Markup(_(message)).format(**values)


def page_text() -> dict:
    """What every template may use to speak the page's language (a handler renders inside
    ``speaking(language)``): ``_``, ``current_language()``, and the names of the languages."""
    return {"_": translated, "current_language": language, "language_names": NAMES}


def application(context: ServiceContext) -> web.Application:
    prefix = context.prefix
    routes = [
        ("", handlers.ProgressPage), ("api/progress", handlers.ProgressJSON),
        (r"feedback/([\w-]+)", handlers.FeedbackPage),
        (r"assess/([\w-]+)", handlers.AssessPage), (r"review/([\w-]+)", handlers.ReviewPage),
        ("certificate", handlers.CertificateRequest), (r"certificate/(\w+)", handlers.CertificateFile),
        ("verify", handlers.Verify), ("api/opened", handlers.LessonOpened),
        ("cohort", handlers.CohortPage), ("cohort.csv", handlers.CohortCSV), ("cohort/switch", handlers.Switch),
    ]
    return web.Application(
        [(prefix + path, handler, {"context": context}) for path, handler in routes]
        + [(prefix + "oauth_callback", HubOAuthCallbackHandler)],
        cookie_secret=secrets.token_bytes(32), xsrf_cookies=True, login_url=prefix + "oauth_callback",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.selfpaced.service.web", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course", metavar="PATH", required=True, help="the course folder (with nbgrader_config.py)")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[%(levelname)s %(asctime)s self-paced web] %(message)s")
    try:
        course = Course.open(arguments.course)
    except CourseError as error:
        print(f"self-paced web: {error}", file=sys.stderr)
        return 2
    address = urllib.parse.urlsplit(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:8099"))
    context = ServiceContext(course, os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"))
    application(context).listen(address.port or 80, address.hostname or "127.0.0.1", xheaders=True)
    log.info("Serving %s at %s%s", course.course_id, address.geturl(), context.prefix)
    ioloop.IOLoop.current().start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
