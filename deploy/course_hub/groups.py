"""The hub groups and roles that make someone a learner or an instructor of a course.

Each course has two hub groups: ``nbgrader-<course>``, its learners (nbgrader lists the course's
exercises to them), and ``formgrade-<course>``, its instructors (a role opens the course's formgrader
to them, and nothing else). Memberships are set again at every login:

* from the cohort (``<state>/hub.json``, native logins on one machine): :func:`cohort_groups`;
* from an LTI 1.3 launch: the platform course launched from decides the person's role in that course,
  in place of the other one (an instructor who launches as a learner loses the formgrader); groups
  of other courses stay: :func:`groups_after_launch`. One machine calls it from its authenticator
  (``deploy/jupyterhub_config.py``); Kubernetes installs :func:`lti_post_auth_hook`
  (``hub.extraConfig`` in ``deploy/kubernetes/values.yaml``).

Only the standard library: the hub's image on Kubernetes has nothing else of the course.
"""

from __future__ import annotations

ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"
CONTEXT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/context"
#: LTI 1.3 roles that make someone an instructor of the course they launch from.
INSTRUCTOR_ROLES = (
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
    "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper",
    "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
)


def nbgrader_group(course_id: str) -> str:
    """The hub group of the course's learners."""
    return f"nbgrader-{course_id}"


def formgrade_group(course_id: str) -> str:
    """The hub group of the course's instructors."""
    return f"formgrade-{course_id}"


def progress_service(course_id: str) -> str:
    """The hub service of a course's self-paced loop (progress, feedback, certificates): ``/services/<name>/``."""
    return f"{course_id}-progress"


def course_roles(course_id: str) -> list[dict]:
    """The hub roles of a course whose formgrader is the hub service ``course_id``: its instructors
    may open it; the formgrader may read who is in the course and enrol learners. Learners and
    instructors may open the course's progress service, which may read who is in the course."""
    return [
        {
            "name": f"progress-{course_id}",
            "description": f"Members of {course_id}: open its progress, feedback and certificate pages",
            "groups": [nbgrader_group(course_id), formgrade_group(course_id)],
            "scopes": [f"access:services!service={progress_service(course_id)}"],
        },
        {
            "name": f"progress-service-{course_id}",
            "description": f"The progress service of {course_id}: read who is in the course",
            "services": [progress_service(course_id)],
            "scopes": [f"read:groups!group={nbgrader_group(course_id)}"],
        },
        {
            "name": f"formgrade-{course_id}",
            "description": f"Instructors of {course_id}: open its formgrader",
            "groups": [formgrade_group(course_id)],
            "scopes": [f"access:services!service={course_id}"],
        },
        {
            "name": f"grader-{course_id}",
            "description": f"The formgrader of {course_id}: read who is in the course, enrol learners",
            "services": [course_id],
            "scopes": ["read:users:name", "read:users:groups", "list:users", "list:groups",
                       f"read:groups!group={nbgrader_group(course_id)}", f"groups!group={nbgrader_group(course_id)}"],
        },
    ]


def cohort_groups(courses: dict, name: str) -> list[str]:
    """The hub groups of ``name`` in the cohort's ``courses`` (``{course: {learners, instructors}}``)."""
    return sorted([nbgrader_group(course_id) for course_id, course in courses.items() if name in course.get("learners", [])]
                  + [formgrade_group(course_id) for course_id, course in courses.items()
                     if name in course.get("instructors", [])])


def launch_groups(current: set[str], course_id: str | None, teaches: bool) -> list[str]:
    """The hub groups after a launch: the launch's course decides the user's role in that course
    (an instructor who launches as a learner loses the formgrader); other courses' groups stay."""
    if not course_id:
        return sorted(current)
    others = current - {formgrade_group(course_id), nbgrader_group(course_id)}
    return sorted(others | {formgrade_group(course_id) if teaches else nbgrader_group(course_id)})


def launch_course(claims: dict, courses: dict[str, str]) -> str | None:
    """The hub's course of a launch: ``courses`` maps the platform's course (its LTI context id, or
    its label) to a course of the hub; None for a course it does not list."""
    context = claims.get(CONTEXT_CLAIM) or {}
    return courses.get(str(context.get("id", ""))) or courses.get(str(context.get("label", "")))


def groups_after_launch(claims: dict, current: set[str], courses: dict[str, str],
                        instructor_roles=INSTRUCTOR_ROLES) -> list[str]:
    """The hub groups of someone who launched with the LTI ``claims`` and was in ``current`` before."""
    teaches = bool(set(claims.get(ROLES_CLAIM) or []) & set(instructor_roles))
    return launch_groups(current, launch_course(claims, courses), teaches)


def current_groups(handler, name: str) -> set[str]:
    """The hub groups of the hub user ``name`` before this login (none for a new user)."""
    existing = handler.find_user(name)
    return {group.name for group in existing.groups} if existing else set()


def lti_post_auth_hook(courses: dict[str, str], instructor_roles=INSTRUCTOR_ROLES):
    """``c.Authenticator.post_auth_hook`` that sets the course groups of each LTI launch (Kubernetes).

    ``courses``: LTI context id (or label) -> course on the hub; ``instructor_roles``: the LTI roles
    that make someone an instructor.
    """

    async def course_groups(authenticator, handler, model):
        claims = model.get("auth_state") or {}
        model["groups"] = groups_after_launch(claims, current_groups(handler, model["name"]), courses, instructor_roles)
        return model

    return course_groups
