"""The web service's pages and JSON endpoints. Each learner reaches only their own records; the
cohort pages only the course's instructors (hub group ``formgrade-<course>``).

Every page speaks the language of its request (:mod:`.language`): a handler computes and renders
inside ``speaking(self.language)``, so that ``_`` and the numbers and dates of :mod:`.views` and
the templates are in that language, and each page links to itself in the other languages.
"""

from __future__ import annotations

import contextlib
import functools
import json
import urllib.parse
from pathlib import Path

from jupyterhub.services.auth import HubOAuthenticated
from markupsafe import Markup
from tornado import web

from autograder.certificates.credential import CODE_LENGTH, normalize_code
from autograder.messages import N_, _, normalise, speaking
from autograder.selfpaced import store as states
from autograder.selfpaced.assessment import answer_to_review
from autograder.selfpaced.service import views
from autograder.selfpaced.service.language import (ARGUMENT, COOKIE, LANGUAGES, remember_certificate_language,
                                                   request_language)

CERTIFICATE_FILES = {"json": ("certificate.json", "application/json"),
                     "html": ("certificate.html", "text/html; charset=UTF-8"),
                     "pdf": ("certificate.pdf", "application/pdf")}

#: The reason of an HTTP status, as tornado words it, for a page in another language.
REASONS = {400: N_("Bad Request"), 403: N_("Forbidden"), 404: N_("Not Found"), 405: N_("Method Not Allowed"),
           409: N_("Conflict"), 500: N_("Internal Server Error")}


class Refusal(web.HTTPError):
    """An HTTP error whose reason a learner reads: ``message`` (English, in the catalogue) with its
    ``{fields}`` filled by ``values``, shown in the language of the request."""

    def __init__(self, status_code: int, message: str, **values) -> None:
        text = message.format(**values) if values else message
        super().__init__(status_code, text.replace("%", "%%"))
        self.message, self.values = message, values


class Speaking(web.RequestHandler):
    """A handler that speaks the language of its request, and keeps a language chosen with ``?lang=``."""

    def initialize(self, context) -> None:
        self.context = context

    @functools.cached_property
    def language(self) -> str:
        return request_language(self.get_query_argument(ARGUMENT, ""), self.get_cookie(COOKIE),
                                self.request.headers.get("Accept-Language"))

    def prepare(self) -> None:
        chosen = normalise(self.get_query_argument(ARGUMENT, ""))
        if chosen and chosen != self.get_cookie(COOKIE):
            self.set_cookie(COOKIE, chosen, path="/", expires_days=365, samesite="Lax")

    def speaking(self) -> contextlib.AbstractContextManager:
        """``with self.speaking():`` translate in the request's language (see the module's docstring)."""
        return speaking(self.language)

    def language_links(self) -> dict[str, str]:
        """{language: this page in it}, other query arguments kept (the progress page after a form)."""
        prefix = self.context.prefix
        if self.request.method == "GET" and self.request.path.startswith(prefix):
            path = self.request.path
            query = [(key, value) for key, value in urllib.parse.parse_qsl(self.request.query, keep_blank_values=True)
                     if key != ARGUMENT]
        else:  # the page of a form's answer, or of an address outside the service: the progress page
            path, query = prefix, []
        return {code: f"{path}?{urllib.parse.urlencode([*query, (ARGUMENT, code)])}" for code in LANGUAGES}

    def with_language(self, url: str) -> str:
        """``url``, with the ``?lang=`` of this request when it had one (a redirect after a form keeps it)."""
        chosen = normalise(self.get_query_argument(ARGUMENT, ""))
        if not chosen:
            return url
        return f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode([(ARGUMENT, chosen)])}"

    def write_error(self, status_code: int, **kwargs) -> None:
        error = kwargs.get("exc_info", (None, None))[1]
        with self.speaking():
            if isinstance(error, Refusal):
                reason = _(error.message, **error.values)
            elif isinstance(error, web.HTTPError) and error.log_message:
                reason = error.log_message % error.args if error.args else error.log_message
            else:
                reason = _(REASONS[status_code]) if self._reason == REASONS.get(status_code) else self._reason
            self.finish(self.context.templates.get_template("error.html.j2").render(
                status=status_code, reason=reason, prefix=self.context.prefix, language_links=self.language_links()))


class Page(HubOAuthenticated, Speaking):
    """A page of the course's service, for a signed-in member of the course."""

    def check_xsrf_cookie(self) -> None:
        """Forms need the page's _xsrf value; a request with a hub token in its Authorization header
        (a learner's JupyterLab, a script) cannot be forged by another site, so it needs none."""
        if self.request.headers.get("Authorization", "").split(" ", 1)[0].lower() in ("token", "bearer"):
            return
        super().check_xsrf_cookie()

    @property
    def course_id(self) -> str:
        return self.context.course.course_id

    def member(self) -> str:
        """The signed-in user's hub name, if they are in the course (learner or instructor); else 403."""
        user = self.current_user
        groups = set(user.get("groups") or [])
        if not groups & {f"nbgrader-{self.course_id}", f"formgrade-{self.course_id}"}:
            raise Refusal(403, N_("You are not a member of this course."))
        return user["name"]

    def instructor(self) -> str:
        name = self.member()
        if f"formgrade-{self.course_id}" not in set(self.current_user.get("groups") or []):
            raise Refusal(403, N_("Only the course's instructors see the cohort."))
        return name

    def assignment_of(self, assignment: str) -> str:
        if assignment not in {name for module in self.context.outline for name in module.assignments}:
            raise Refusal(404, N_("There is no exercise {assignment} in this course."), assignment=assignment)
        return assignment

    def render_page(self, template: str, **values) -> None:
        values.update(course=self.course_id, prefix=self.context.prefix, user=self.current_user["name"],
                      xsrf=Markup(self.xsrf_form_html()), language_links=self.language_links(),
                      is_instructor=f"formgrade-{self.course_id}" in set(self.current_user.get("groups") or []))
        with self.speaking():
            self.finish(self.context.templates.get_template(template).render(**values))


class ProgressPage(Page):
    @web.authenticated
    def get(self) -> None:
        student = self.member()
        with self.speaking():
            self.render_page("progress.html.j2", page=views.learner_page(self.context.progress(), student))


class ProgressJSON(Page):
    @web.authenticated
    def get(self) -> None:
        member = self.member()
        with self.speaking():
            page = views.learner_page(self.context.progress(), member)
        self.finish(json.dumps(page, default=str))


class FeedbackPage(Page):
    @web.authenticated
    def get(self, assignment: str) -> None:
        student = self.member()
        with self.speaking():
            page = views.feedback_page(self.context.progress(), student, self.assignment_of(assignment))
        if self.get_argument("format", "") == "json":
            self.finish(json.dumps(page))
        else:
            self.render_page("feedback.html.j2", page=page)


class AssessPage(Page):
    """The learner marks their own written answer against the rubric."""

    @web.authenticated
    def get(self, assignment: str) -> None:
        student = self.member()
        progress = self.context.progress()
        assignment = self.assignment_of(assignment)
        answer = progress.submitted_answer(student, assignment)
        mine = [a for a in progress.assessments(assignment) if a.author == student and a.kind == "self"]
        self.render_page("assess.html.j2", assignment=assignment, rubric=progress.rubric(assignment), answer=answer,
                         marks=mine[-1].marks if mine else None, saved=self.get_argument("saved", ""))

    @web.authenticated
    def post(self, assignment: str) -> None:
        student = self.member()
        progress = self.context.progress()
        assignment = self.assignment_of(assignment)
        if not progress.submitted_answer(student, assignment):
            raise Refusal(409, N_("There is no written answer of yours to assess yet: write it in the notebook, "
                                  "submit, and wait for your feedback."))
        marks = self.marks(progress.rubric(assignment))
        self.context.store.assess(self.course_id, assignment, student, student, "self", marks)
        self.redirect(self.with_language(f"{self.context.prefix}assess/{assignment}?saved=1"))

    def marks(self, rubric) -> list[int]:
        return [1 if self.get_argument(f"criterion-{index}", "") == "met" else 0
                for index in range(len(rubric.criteria))]


class ReviewPage(AssessPage):
    """A learner marks a classmate's written answer, without learning whose it is."""

    def answered(self, progress, assignment: str) -> dict[str, float]:
        entries = self.context.store.entries(states.GRADED, course=self.course_id, assignment=assignment)
        first = {}
        for entry in entries:
            first.setdefault(entry.student, entry.seen)
        return {author: seen for author, seen in first.items() if progress.submitted_answer(author, assignment)}

    @web.authenticated
    def get(self, assignment: str) -> None:
        reviewer = self.member()
        progress = self.context.progress()
        assignment = self.assignment_of(assignment)
        author = answer_to_review(reviewer, self.answered(progress, assignment), progress.assessments(assignment),
                                  progress.settings.peer_reviews)
        handle = None if author is None else self.create_signed_value(
            "review", json.dumps([assignment, author, reviewer])).decode()
        self.render_page("review.html.j2", assignment=assignment, rubric=progress.rubric(assignment),
                         answer=progress.submitted_answer(author, assignment) if author else "", handle=handle,
                         saved=self.get_argument("saved", ""))

    @web.authenticated
    def post(self, assignment: str) -> None:
        reviewer = self.member()
        progress = self.context.progress()
        assignment = self.assignment_of(assignment)
        value = self.get_secure_cookie("review", value=self.get_argument("handle", ""), max_age_days=7)
        if value is None:
            raise Refusal(400, N_("This review form has expired: open the review page again."))
        signed_assignment, author, signed_reviewer = json.loads(value)
        if signed_assignment != assignment or signed_reviewer != reviewer or author == reviewer:
            raise Refusal(403, N_("This review form was made for someone else."))
        self.context.store.assess(self.course_id, assignment, author, reviewer, "peer",
                                  self.marks(progress.rubric(assignment)))
        self.redirect(self.with_language(f"{self.context.prefix}review/{assignment}?saved=1"))


class CertificateRequest(Page):
    @web.authenticated
    def post(self) -> None:
        student = self.member()
        name = " ".join(self.get_argument("name", "").split())
        if not 2 <= len(name) <= 120:
            raise Refusal(400, N_("Write your name as it should be printed on the certificate (2 to 120 characters)."))
        if not self.context.progress().completed(student):
            raise Refusal(409, N_("The certificate needs every module's exercise passed: see what is left on your "
                                  "progress page."))
        # The certificate is printed in the language of the page the learner asked from (the form says
        # it), recorded before the request so that the grading service never reads one without it.
        language = normalise(self.get_body_argument(ARGUMENT, "")) or self.language
        remember_certificate_language(self.context.store, student, language)
        self.context.store.request_certificate(student, name)
        self.redirect(self.with_language(self.context.prefix))


class CertificateFile(Page):
    @web.authenticated
    def get(self, kind: str) -> None:
        student = self.member()
        record = self.context.store.certificate(student)
        if kind not in CERTIFICATE_FILES or not record or not record.get("issued"):
            raise Refusal(404, N_("You have no certificate yet."))
        name, media_type = CERTIFICATE_FILES[kind]
        path = Path(record["folder"]) / name
        self.set_header("Content-Type", media_type)
        if kind != "html":
            self.set_header("Content-Disposition", f'attachment; filename="{self.course_id}-{name}"')
        self.finish(path.read_bytes())


class Verify(Speaking):
    """Anyone may check a certificate's code: the page says whether this course issued it, to whom and when."""

    def get(self) -> None:
        typed, problem, record = self.get_argument("code", "").strip(), "", None
        code = typed
        with self.speaking():
            if typed:
                try:
                    code = normalize_code(typed)
                except ValueError:
                    problem = not_a_code(typed)
                else:
                    record = self.context.store.certificate_by_code(code)
            self.finish(self.context.templates.get_template("verify.html.j2").render(
                code=code, problem=problem, record=record, issued=views.when(record["issued"]) if record else "",
                course=self.context.course.course_id, prefix=self.context.prefix, language_links=self.language_links()))


def not_a_code(typed: str) -> str:
    """Why ``typed`` is not a verification code (:func:`normalize_code`'s message, in the language now)."""
    return _("{typed} is not a verification code: a code has {length} letters and digits, like 7KQ2M-XH0RB "
             "(it is printed under the QR code of the certificate).", typed=repr(typed), length=CODE_LENGTH)


class LessonOpened(Page):
    """The learner's JupyterLab reports a lesson it opened (``course_hub.lesson_tracker``)."""

    @web.authenticated
    def post(self) -> None:
        student = self.member()
        try:
            lesson = json.loads(self.request.body or b"{}")["lesson"]
        except (ValueError, KeyError, TypeError):
            raise Refusal(400, N_("Send {json}."), json='{"lesson": "book/<module>/<NN-name>"}')
        known = next((found for module in self.context.outline if (found := module.lesson_of(str(lesson)))), None)
        if known is None:
            raise Refusal(404, N_("{lesson} is not a lesson of this course."), lesson=lesson)
        self.context.store.lesson_opened(student, known)
        self.set_status(204)
        self.finish()


class CohortPage(Page):
    @web.authenticated
    async def get(self) -> None:
        self.instructor()
        names = self.get_argument("names", "") == "1"
        members = await self.context.members()
        progress = self.context.progress()
        with self.speaking():  # after the await: another request may have spoken meanwhile
            rows = views.cohort_rows(progress, members, names)
            self.render_page("cohort.html.j2", rows=rows, names=names, plots=views.cohort_plots(progress, rows),
                             messages=progress.frequent_messages(),
                             switches={assignment: self.context.store.instant_feedback(self.course_id, assignment)
                                       for module in self.context.outline for assignment in module.assignments})


class CohortCSV(Page):
    @web.authenticated
    async def get(self) -> None:
        self.instructor()
        names = self.get_argument("names", "") == "1"
        rows = views.cohort_rows(self.context.progress(), await self.context.members(), names)
        self.set_header("Content-Type", "text/csv; charset=UTF-8")
        self.set_header("Content-Disposition", f'attachment; filename="{self.course_id}-cohort.csv"')
        self.finish(views.cohort_csv(rows))


class Switch(Page):
    @web.authenticated
    def post(self) -> None:
        self.instructor()
        assignment = self.assignment_of(self.get_argument("assignment"))
        self.context.store.switch(self.course_id, assignment, self.get_argument("instant") == "on")
        self.redirect(self.with_language(f"{self.context.prefix}cohort"))
