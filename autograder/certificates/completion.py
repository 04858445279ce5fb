"""What a certificate states: a learner's completed course, as plain frozen values (no I/O).

Another part of the product decides *when* a learner has completed the course (every module's
exercise passed) and builds a :class:`Completion`; everything issued from it (the Open Badges
credential, the printable page) is computed from these values only, so that the same completion
always gives the same certificate. The values are checked when they are made, with messages that
say which value is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from autograder.messages import N_

SELF, PEERS, INSTRUCTOR = "self", "peers", "instructor"
ASSESSORS = (SELF, PEERS, INSTRUCTOR)

#: How a module's written answer was assessed, as the certificate says it (page and credential; the
#: page translates it into its language).
ASSESSED_BY = {
    SELF: N_("self-assessed by the learner"),
    PEERS: N_("assessed by peers"),
    INSTRUCTOR: N_("assessed by an instructor"),
}


def points(value: float) -> str:
    """A number of points as people write it: ``18.0`` is ``"18"``, ``18.5`` is ``"18.5"``."""
    return f"{value:g}"


@dataclass(frozen=True)
class ModuleResult:
    """A learner's result in one module's exercise.

    slug : str, the module's stable identifier, e.g. ``"budgeting"``
    title : str, the module's title as learners read it
    score, max_score : float, points of the exercise (0 <= score <= max_score, max_score > 0)
    written_assessed_by : str, who assessed the exercise's written answer: ``"self"`` (the learner,
        against the rubric), ``"peers"`` (other learners, anonymously) or ``"instructor"``
    """

    slug: str
    title: str
    score: float
    max_score: float
    written_assessed_by: str

    def __post_init__(self):
        if not self.slug.strip() or not self.title.strip():
            raise ValueError(f"A module needs a slug and a title (got slug={self.slug!r}, title={self.title!r}).")
        if self.written_assessed_by not in ASSESSORS:
            raise ValueError(
                f"Module {self.slug}: written_assessed_by is {self.written_assessed_by!r}; "
                f"it must be one of {', '.join(repr(who) for who in ASSESSORS)}."
            )
        if not self.max_score > 0:
            raise ValueError(f"Module {self.slug}: max_score must be more than 0 points (got {self.max_score!r}).")
        if not 0 <= self.score <= self.max_score:
            raise ValueError(
                f"Module {self.slug}: the score {self.score!r} is outside 0 to {points(self.max_score)} points."
            )

    @property
    def score_text(self) -> str:
        """The score as the certificate shows it, e.g. ``"18 / 25"``."""
        return f"{points(self.score)} / {points(self.max_score)}"

    @property
    def assessed_by_text(self) -> str:
        """How the written answer was assessed, in words, e.g. ``"assessed by peers"``."""
        return ASSESSED_BY[self.written_assessed_by]


@dataclass(frozen=True)
class Issuer:
    """The institution that issues the certificate.

    name : str, e.g. ``"School of Public Administration"``
    url : str, its web site (``https://...``); it is also the issuer's identifier in the credential
    """

    name: str
    url: str

    def __post_init__(self):
        if not self.name.strip():
            raise ValueError("The issuer needs a name.")
        require_web_address("The issuer's url", self.url)


@dataclass(frozen=True)
class Completion:
    """A learner's completed course: everything a certificate states.

    learner_id : str, the learner's stable identifier on the hub (never printed; it makes the
        certificate's identifier)
    learner_name : str, the name printed on the certificate
    course_id, course_title : str, the course's stable identifier and its title
    modules : tuple of ModuleResult, one per module, in the course's order
    workload_hours : float, hours of work the course asks for (lessons and exercises)
    learning_outcomes : tuple of str, what a learner who completed the course can do
    issued_on : datetime, when the certificate is issued; tz-aware, kept in UTC to the second (the
        signature's ``nbf`` counts whole seconds)
    issuer : Issuer, the institution
    verification_url : str, the page of the course hub where anyone can check a certificate; the
        QR code opens it with ``?code=<verification code>`` appended (see :meth:`verification_link`)
    """

    learner_id: str
    learner_name: str
    course_id: str
    course_title: str
    modules: tuple[ModuleResult, ...]
    workload_hours: float
    learning_outcomes: tuple[str, ...]
    issued_on: datetime
    issuer: Issuer
    verification_url: str

    def __post_init__(self):
        # Lists are accepted for convenience and kept as tuples, so that a Completion never changes.
        object.__setattr__(self, "modules", tuple(self.modules))
        object.__setattr__(self, "learning_outcomes", tuple(self.learning_outcomes))
        for name in ("learner_id", "learner_name", "course_id", "course_title"):
            if not getattr(self, name).strip():
                raise ValueError(f"A completion needs a {name.replace('_', ' ')}.")
        if not self.modules:
            raise ValueError("A completion needs at least one module result.")
        slugs = [module.slug for module in self.modules]
        if len(set(slugs)) != len(slugs):
            raise ValueError(f"Each module must appear once; the slugs are {', '.join(slugs)}.")
        if not self.workload_hours > 0:
            raise ValueError(f"The workload must be more than 0 hours (got {self.workload_hours!r}).")
        if not self.learning_outcomes or not all(outcome.strip() for outcome in self.learning_outcomes):
            raise ValueError("A completion needs at least one learning outcome, none of them empty.")
        if self.issued_on.tzinfo is None or self.issued_on.utcoffset() is None:
            raise ValueError(
                "issued_on must say its time zone, e.g. datetime.now(timezone.utc): a date without one "
                "would mean a different moment on each machine."
            )
        object.__setattr__(self, "issued_on", self.issued_on.astimezone(timezone.utc).replace(microsecond=0))
        require_web_address("The verification_url", self.verification_url)

    @property
    def workload_text(self) -> str:
        """The workload in words, e.g. ``"30 hours"``."""
        return f"{points(self.workload_hours)} hour{'' if self.workload_hours == 1 else 's'}"

    def verification_link(self, code: str) -> str:
        """The address the QR code encodes: ``verification_url`` with ``code=<code>`` added to its query."""
        parts = urlsplit(self.verification_url)
        query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "code"]
        return urlunsplit(parts._replace(query=urlencode([*query, ("code", code)])))


def require_web_address(what: str, url: str) -> None:
    """Refuse anything but an absolute ``http(s)://`` address: it is printed and put in a QR code."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{what} must be a web address starting with https:// (got {url!r}).")
