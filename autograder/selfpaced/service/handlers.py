"""The web service's pages and JSON endpoints. Each learner reaches only their own records; the
cohort pages only the course's instructors (hub group ``formgrade-<course>``)."""

from __future__ import annotations

import json
from pathlib import Path

from jupyterhub.services.auth import HubOAuthenticated
from markupsafe import Markup
from tornado import web

from autograder.certificates.credential import normalize_code
from autograder.selfpaced import store as states
from autograder.selfpaced.assessment import answer_to_review
from autograder.selfpaced.service import views

CERTIFICATE_FILES = {"json": ("certificate.json", "application/json"),
                     "html": ("certificate.html", "text/html; charset=UTF-8"),
                     "pdf": ("certificate.pdf", "application/pdf")}


class Page(HubOAuthenticated, web.RequestHandler):
    """A page of the course's service, for a signed-in member of the course."""

    def initialize(self, context) -> None:
        self.context = context

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
            raise web.HTTPError(403, "You are not a member of this course.")
        return user["name"]

    def instructor(self) -> str:
        name = self.member()
        if f"formgrade-{self.course_id}" not in set(self.current_user.get("groups") or []):
            raise web.HTTPError(403, "Only the course's instructors see the cohort.")
        return name

    def assignment_of(self, assignment: str) -> str:
        if assignment not in {module.assignment for module in self.context.outline}:
            raise web.HTTPError(404, f"There is no exercise {assignment} in this course.")
        return assignment

    def render_page(self, template: str, **values) -> None:
        values.update(course=self.course_id, prefix=self.context.prefix, user=self.current_user["name"],
                      xsrf=Markup(self.xsrf_form_html()),
                      is_instructor=f"formgrade-{self.course_id}" in set(self.current_user.get("groups") or []))
        self.finish(self.context.templates.get_template(template).render(**values))

    def write_error(self, status_code: int, **kwargs) -> None:
        reason = self._reason
        error = kwargs.get("exc_info", (None, None))[1]
        if isinstance(error, web.HTTPError) and error.log_message:
            reason = error.log_message % error.args if error.args else error.log_message
        self.finish(self.context.templates.get_template("error.html.j2").render(
            status=status_code, reason=reason, prefix=self.context.prefix))


class ProgressPage(Page):
    @web.authenticated
    def get(self) -> None:
        student = self.member()
        self.render_page("progress.html.j2", page=views.learner_page(self.context.progress(), student))


class ProgressJSON(Page):
    @web.authenticated
    def get(self) -> None:
        page = views.learner_page(self.context.progress(), self.member())
        self.finish(json.dumps(page, default=str))


class FeedbackPage(Page):
    @web.authenticated
    def get(self, assignment: str) -> None:
        student = self.member()
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
            raise web.HTTPError(409, "There is no written answer of yours to assess yet: write it in the notebook, "
                                "submit, and wait for your feedback.")
        marks = self.marks(progress.rubric(assignment))
        self.context.store.assess(self.course_id, assignment, student, student, "self", marks)
        self.redirect(f"{self.context.prefix}assess/{assignment}?saved=1")

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
            raise web.HTTPError(400, "This review form has expired: open the review page again.")
        signed_assignment, author, signed_reviewer = json.loads(value)
        if signed_assignment != assignment or signed_reviewer != reviewer or author == reviewer:
            raise web.HTTPError(403, "This review form was made for someone else.")
        self.context.store.assess(self.course_id, assignment, author, reviewer, "peer",
                                  self.marks(progress.rubric(assignment)))
        self.redirect(f"{self.context.prefix}review/{assignment}?saved=1")


class CertificateRequest(Page):
    @web.authenticated
    def post(self) -> None:
        student = self.member()
        name = " ".join(self.get_argument("name", "").split())
        if not 2 <= len(name) <= 120:
            raise web.HTTPError(400, "Write your name as it should be printed on the certificate (2 to 120 characters).")
        if not self.context.progress().completed(student):
            raise web.HTTPError(409, "The certificate needs every module's exercise passed: see what is left on your "
                                "progress page.")
        self.context.store.request_certificate(student, name)
        self.redirect(self.context.prefix)


class CertificateFile(Page):
    @web.authenticated
    def get(self, kind: str) -> None:
        student = self.member()
        record = self.context.store.certificate(student)
        if kind not in CERTIFICATE_FILES or not record or not record.get("issued"):
            raise web.HTTPError(404, "You have no certificate yet.")
        name, media_type = CERTIFICATE_FILES[kind]
        path = Path(record["folder"]) / name
        self.set_header("Content-Type", media_type)
        if kind != "html":
            self.set_header("Content-Disposition", f'attachment; filename="{self.course_id}-{name}"')
        self.finish(path.read_bytes())


class Verify(web.RequestHandler):
    """Anyone may check a certificate's code: the page says whether this course issued it, to whom and when."""

    def initialize(self, context) -> None:
        self.context = context

    def get(self) -> None:
        typed, problem, record = self.get_argument("code", "").strip(), "", None
        code = typed
        if typed:
            try:
                code = normalize_code(typed)
            except ValueError as error:
                problem = str(error)
            else:
                record = self.context.store.certificate_by_code(code)
        self.finish(self.context.templates.get_template("verify.html.j2").render(
            code=code, problem=problem, record=record, issued=views.when(record["issued"]) if record else "",
            course=self.context.course.course_id, prefix=self.context.prefix))


class LessonOpened(Page):
    """The learner's JupyterLab reports a lesson it opened (``course_hub.lesson_tracker``)."""

    @web.authenticated
    def post(self) -> None:
        student = self.member()
        try:
            lesson = json.loads(self.request.body or b"{}")["lesson"]
        except (ValueError, KeyError, TypeError):
            raise web.HTTPError(400, 'Send {"lesson": "book/<module>/<NN-name>"}.')
        known = {name for module in self.context.outline for name in module.lessons}
        if lesson not in known:
            raise web.HTTPError(404, f"{lesson} is not a lesson of this course.")
        self.context.store.lesson_opened(student, lesson)
        self.set_status(204)
        self.finish()


class CohortPage(Page):
    @web.authenticated
    async def get(self) -> None:
        self.instructor()
        names = self.get_argument("names", "") == "1"
        members = await self.context.members()
        progress = self.context.progress()
        rows = views.cohort_rows(progress, members, names)
        self.render_page("cohort.html.j2", rows=rows, names=names, plots=views.cohort_plots(progress, rows),
                         messages=progress.frequent_messages(),
                         switches={module.assignment: self.context.store.instant_feedback(self.course_id, module.assignment)
                                   for module in self.context.outline})


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
        self.redirect(f"{self.context.prefix}cohort")
