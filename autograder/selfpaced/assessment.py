"""Written answers assessed without waiting for an instructor, as in Open edX's open response assessment.

After submitting, a learner marks their own answer against the rubric (self). Where the cohort has
other learners who submitted, ``peers`` of them each mark it too, anonymously: a reviewer never sees
who wrote an answer, never gets their own, and marks each answer once. What counts, in this order:

1. an instructor's grade in the gradebook, when there is one: it replaces both others;
2. the mean of the peers' marks, once ``peers`` classmates have marked it;
3. the learner's own marks.

Until the learner has marked their own answer, the written answer has no score and the exercise
cannot pass. Pure: the caller passes the assessments and the gradebook's score.
"""

from __future__ import annotations

from dataclasses import dataclass

SELF, PEERS, INSTRUCTOR = "self", "peers", "instructor"


@dataclass(frozen=True)
class WrittenScore:
    """The written answer's score that counts (points), and who gave it."""

    score: float | None
    by: str | None  # "self", "peers", "instructor", or None when nobody has assessed it
    peer_scores: tuple[float, ...] = ()
    self_score: float | None = None

    def describe(self) -> str:
        if self.by == INSTRUCTOR:
            return "assessed by your instructor"
        if self.by == PEERS:
            return f"assessed by {len(self.peer_scores)} classmates (mean of their marks)"
        if self.by == SELF:
            return "self-assessed (classmates' assessments replace it once they are in)"
        return "not assessed yet: mark it against the rubric"


def written_score(author: str, assessments, instructor_score: float | None, peers: int) -> WrittenScore:
    """The score of ``author``'s written answer (see the module's documentation for the order)."""
    own = [a.score for a in assessments if a.author == author and a.kind == "self"]
    peer = tuple(a.score for a in assessments if a.author == author and a.kind == "peer" and a.assessor != author)
    self_score = own[-1] if own else None
    if instructor_score is not None:
        return WrittenScore(instructor_score, INSTRUCTOR, peer, self_score)
    if peers > 0 and len(peer) >= peers:
        return WrittenScore(sum(peer) / len(peer), PEERS, peer, self_score)
    if self_score is not None:
        return WrittenScore(self_score, SELF, peer, self_score)
    return WrittenScore(None, None, peer, None)


def answer_to_review(reviewer: str, answered: dict[str, float], assessments, peers: int) -> str | None:
    """The author whose answer ``reviewer`` should mark next, or None.

    ``answered`` maps each learner who submitted a written answer to when they submitted it. The
    reviewer must have marked their own answer first. Among the others' answers still short of
    ``peers`` marks and not yet marked by the reviewer, the one with the fewest marks comes first,
    then the oldest.
    """
    if not any(a.author == reviewer and a.kind == "self" for a in assessments):
        return None
    marked_by_reviewer = {a.author for a in assessments if a.assessor == reviewer and a.kind == "peer"}
    counts = {author: 0 for author in answered}
    for a in assessments:
        if a.kind == "peer" and a.author in counts:
            counts[a.author] += 1
    candidates = [author for author in answered
                  if author != reviewer and author not in marked_by_reviewer and counts[author] < peers]
    if not candidates:
        return None
    return min(candidates, key=lambda author: (counts[author], answered[author], author))
