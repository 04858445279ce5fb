"""The self-paced loop's settings: one place, each with its help text and its unit.

They are traitlets of :class:`SelfPaced`, set like nbgrader's in the course's ``nbgrader_config.py``
(``c.SelfPaced.tokens = 5``). Per-assignment limits go in ``assignments``:
``c.SelfPaced.assignments = {"budgeting_01": {"tokens": 3, "refill_minutes": 30}}``.
"""

from __future__ import annotations

from traitlets import Dict, Float, Int, Unicode
from traitlets.config import Configurable


class SelfPaced(Configurable):
    """Instant feedback, the pass rule, written-answer assessment and certificates of a course."""

    pass_share = Float(
        0.6, help="The share of an exercise's points a learner needs to pass it (0.6 = 60 %), written answer "
        "included."
    ).tag(config=True)
    written_minimum = Float(
        3.0, help="The points a learner needs on the written answer to pass the exercise, whatever the other "
        "points (points)."
    ).tag(config=True)
    tokens = Int(
        5, help="Submissions a learner may have graded at once before waiting: the size of the token bucket, per "
        "learner and assignment (submissions)."
    ).tag(config=True)
    refill_minutes = Float(
        20.0, help="Every this many minutes a learner gets one more submission back, up to `tokens` (minutes)."
    ).tag(config=True)
    assignments = Dict(
        {}, help="Per-assignment overrides of `tokens` and `refill_minutes`: {assignment: {setting: value}}."
    ).tag(config=True)
    peer_reviews = Int(
        2, help="How many classmates assess each written answer, anonymously, when the cohort has enough learners "
        "(assessments)."
    ).tag(config=True)
    smallest_group = Int(
        5, help="Cohort plots leave out a group smaller than this, so that no learner can be recognised in them "
        "(learners)."
    ).tag(config=True)
    course_title = Unicode(
        "Local governance, smart towns and open government", help="The course's title, as printed on certificates."
    ).tag(config=True)
    issuer_name = Unicode(
        "Local governance course", help="The institution that issues certificates, as printed on them."
    ).tag(config=True)
    issuer_url = Unicode(
        "https://example.org/local-governance", help="The institution's web address, printed on certificates."
    ).tag(config=True)
    certificate_key = Unicode(
        "/etc/local-governance/certificates/institution-private.pem",
        help="The institution's private signing key (PEM), outside the repository, readable by root only. "
        "`autograder certificate keygen` makes one (see the hosting guide).",
    ).tag(config=True)

    def bucket(self, assignment: str) -> tuple[int, float]:
        """(tokens, refill minutes) of ``assignment``: its overrides, else the course's."""
        override = self.assignments.get(assignment, {})
        return int(override.get("tokens", self.tokens)), float(override.get("refill_minutes", self.refill_minutes))
