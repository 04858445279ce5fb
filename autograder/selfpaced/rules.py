"""The pass rule of an exercise, stated once: the syllabus, the progress page, the certificate and the
tests all use :func:`passes`.

A learner passes a module's exercise with at least ``pass_share`` of its points (written answer
included) and at least ``written_minimum`` points on the written answer; both must hold.
"""

from __future__ import annotations

from autograder.selfpaced.settings import SelfPaced

#: The defaults of the course (:class:`SelfPaced`): 60 % of the points, and 3 points of the written answer.
PASS_SHARE = SelfPaced.pass_share.default_value
WRITTEN_MINIMUM = SelfPaced.written_minimum.default_value


def passes(total: float, written: float | None, max_points: float, pass_share: float = PASS_SHARE,
           written_minimum: float = WRITTEN_MINIMUM) -> bool:
    """Does an exercise pass? ``total`` and ``max_points`` in points, written answer included;
    ``written`` the written answer's points, None while it is not assessed (then it does not pass)."""
    if written is None or max_points <= 0:
        return False
    return total >= pass_share * max_points - 1e-9 and written >= written_minimum - 1e-9
