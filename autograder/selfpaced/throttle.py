"""A token bucket per learner and assignment: how often a learner's submissions are graded at once.

A learner starts with ``capacity`` tokens. Each graded submission takes one; one comes back every
``refill`` seconds, up to ``capacity``. There is never a hard cap on attempts: only a wait, which
the learner is told. A submission the grader could not grade for a reason of its own gives its
token back (:meth:`Bucket.give_back`). Pure: the caller passes the time and stores the state.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Bucket:
    """The state of one bucket: ``tokens`` (may be fractional while refilling) at time ``at`` (seconds)."""

    tokens: float
    at: float

    @classmethod
    def full(cls, capacity: int, now: float) -> "Bucket":
        return cls(float(capacity), now)

    def refilled(self, capacity: int, refill: float, now: float) -> "Bucket":
        """The bucket at ``now``: one token more per ``refill`` seconds since ``at``, at most ``capacity``."""
        gained = max(0.0, now - self.at) / refill if refill > 0 else math.inf
        return Bucket(min(float(capacity), self.tokens + gained), now)

    def take(self, capacity: int, refill: float, now: float) -> tuple[bool, "Bucket"]:
        """(taken?, the bucket after): a whole token is taken when there is one."""
        current = self.refilled(capacity, refill, now)
        if current.tokens >= 1.0:
            return True, Bucket(current.tokens - 1.0, now)
        return False, current

    def give_back(self, capacity: int, refill: float, now: float) -> "Bucket":
        """The bucket once a taken token is returned (never above ``capacity``)."""
        current = self.refilled(capacity, refill, now)
        return Bucket(min(float(capacity), current.tokens + 1.0), now)

    def wait(self, capacity: int, refill: float, now: float) -> float:
        """Seconds until a whole token is there (0 when one is there now)."""
        current = self.refilled(capacity, refill, now)
        return 0.0 if current.tokens >= 1.0 else (1.0 - current.tokens) * refill


def wait_text(seconds: float) -> str:
    """``125`` -> ``"3 minutes"``: a wait in words, rounded up to the minute (never "0 minutes")."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes > 1 else ''}"
    hours, minutes = divmod(minutes, 60)
    text = f"{hours} hour{'s' if hours > 1 else ''}"
    return text + (f" {minutes} minute{'s' if minutes > 1 else ''}" if minutes else "")


def over_limit_message(capacity: int, refill_minutes: float, wait_seconds: float) -> str:
    """What a learner over the limit reads."""
    return (f"This submission was not graded: you have used your {capacity} quick gradings for now, and you get "
            f"one back every {refill_minutes:g} minutes. Submit again in {wait_text(wait_seconds)}. Meanwhile, "
            "the Validate button of your notebook checks the visible tests as often as you like.")
