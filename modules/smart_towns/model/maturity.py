"""Digital maturity: is a territory ready for a smart-town project? A self-assessment in 18 questions.

Before buying sensors or a platform, a council should ask whether the territory can use them: is
there an ecosystem of firms and connected residents, are the skills there, is the money there, are
the rules stable, is there a shared vision, and are the town's problems ones that digital tools can
help with? The questions follow the "key questions" for building a local digital strategy in the
course's seed text on smart towns, rewritten in our own words: six dimensions, three questions each.

Each answer is on a four-step scale (:data:`SCALE`): 0 "No", 1 "Just started", 2 "Mostly",
3 "Yes, fully". A dimension's score is the share of the best possible answers it reaches, in %
(0–100). A dimension below :data:`READY_LEVEL` (50 %) is a gap: the verdict then advises closing
the gaps with small steps before any large project. The scale, the equal weights and the 50 % level
are the course's choices (assumptions), not a published standard.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from modules.common.i18n import N_, translator

from .wording import listing, points

_ = translator(__name__)

#: The six dimensions of digital maturity, in the order they are shown.
DIMENSIONS = ("ecosystem", "skills", "finance", "regulation", "vision", "problems")

#: Plain-English label of each dimension (for charts and messages); translate it with ``_`` where it is shown.
DIMENSION_LABELS = {
    "ecosystem": N_("Digital ecosystem"),
    "skills": N_("Digital skills"),
    "finance": N_("Financial means"),
    "regulation": N_("Stable rules"),
    "vision": N_("Shared vision"),
    "problems": N_("Problems that suit digital"),
}

#: The answer scale: value → meaning (translate it with ``_`` where it is shown). Answers are whole numbers 0–3.
SCALE = {0: N_("No"), 1: N_("Just started"), 2: N_("Mostly"), 3: N_("Yes, fully")}

#: A dimension scoring below this share of the best answers (%) is a gap to close first.
READY_LEVEL = 50.0


@dataclass(frozen=True)
class Question:
    """One question of the self-assessment: a stable ``key``, its ``dimension`` (one of
    :data:`DIMENSIONS`) and the ``text`` shown to the user, answered on :data:`SCALE`."""

    key: str
    dimension: str
    text: str

    def __post_init__(self) -> None:
        if self.dimension not in DIMENSIONS:
            raise ValueError(_(
                "Question {key} has dimension {dimension}: use one of {dimensions}.",
                key=repr(self.key), dimension=repr(self.dimension), dimensions=", ".join(DIMENSIONS),
            ))


#: The 18 questions, three per dimension, in the order of :data:`DIMENSIONS`.
QUESTIONS = (
    Question(
        "ecosystem_firms",
        "ecosystem",
        N_("Are there enough local start-ups and digital firms to build on?"),
    ),
    Question(
        "ecosystem_network",
        "ecosystem",
        N_("Do the local digital actors already work together (networks, clusters, meeting places)?"),
    ),
    Question(
        "ecosystem_connected",
        "ecosystem",
        N_("Are most residents equipped and connected (devices, broadband, mobile coverage)?"),
    ),
    Question(
        "skills_training",
        "skills",
        N_("Are there places where people can train in digital skills?"),
    ),
    Question(
        "skills_mentors",
        "skills",
        N_("Are there coaches or mentors who can support people starting a digital project?"),
    ),
    Question(
        "skills_staff",
        "skills",
        N_("Are the council's own staff willing to change how they work?"),
    ),
    Question(
        "finance_investors",
        "finance",
        N_("Do investors or partners show a real interest in digital projects here?"),
    ),
    Question(
        "finance_calls",
        "finance",
        N_("Can the council win grants or calls for projects and pass funding on to others?"),
    ),
    Question(
        "finance_budget",
        "finance",
        N_("Does the council have a budget to run and maintain a digital service after a pilot ends?"),
    ),
    Question(
        "regulation_telecoms",
        "regulation",
        N_("Are the rules for telecom operators and networks clear and stable?"),
    ),
    Question(
        "regulation_open_data",
        "regulation",
        N_("Is the law on open data and data protection clear to the council?"),
    ),
    Question(
        "regulation_leeway",
        "regulation",
        N_("Does the council know how much freedom it has to set its own rules?"),
    ),
    Question(
        "vision_opportunities",
        "vision",
        N_("Are the concrete opportunities of digital tools understood, sector by sector?"),
    ),
    Question(
        "vision_risks",
        "vision",
        N_("Are the risks known, with measures planned to control them?"),
    ),
    Question(
        "vision_shared",
        "vision",
        N_("Do elected members, staff and partners share the same picture of where to go?"),
    ),
    Question(
        "problems_listed",
        "problems",
        N_("Have the town's problems been clearly identified and listed?"),
    ),
    Question(
        "problems_data",
        "problems",
        N_("Are there data on these problems that can be shared with people proposing solutions?"),
    ),
    Question(
        "problems_fit",
        "problems",
        N_("Would a digital tool really help with these problems, rather than a simpler fix?"),
    ),
)

#: One concrete first step per dimension, shown when the dimension is a gap (translated with ``_`` where shown).
RECOMMENDATIONS = {
    "ecosystem": N_(
        "Map the local digital actors and the areas with poor connection, and bring the actors together "
        "once before choosing a project."
    ),
    "skills": N_(
        "Train the staff who will run the project, using free online courses, and find a mentor or a "
        "partner town that has done it before."
    ),
    "finance": N_(
        "Cost the service over its whole life (running and maintenance, not only purchase) and look for "
        "a grant or call for projects to fund a first pilot."
    ),
    "regulation": N_(
        "Ask for legal advice on data protection, open-data duties and the council's room to set its own "
        "rules, before any contract is signed."
    ),
    "vision": N_(
        "Hold a workshop with elected members, staff and residents to agree on the goals, the risks and "
        "how success will be measured."
    ),
    "problems": N_(
        "List the town's concrete problems with the data that describe them, and keep only those a "
        "digital tool can really help with."
    ),
}


@dataclass(frozen=True, eq=False)
class MaturityScore:
    """The result of a self-assessment.

    Attributes
    ----------
    by_dimension : pandas.Series
        Score of each dimension in % (0–100), index :data:`DIMENSIONS`, name "score (%)".
    overall : float
        Mean of the six dimension scores, % (each dimension weighs the same).
    weakest : tuple of str
        The dimension(s) with the lowest score (several when tied), in :data:`DIMENSIONS` order.
    gaps : tuple of str
        Dimensions scoring below :data:`READY_LEVEL`, in :data:`DIMENSIONS` order.
    recommendations : tuple of str
        One recommendation per gap, from :data:`RECOMMENDATIONS`, in the order of ``gaps``.
    verdict : str
        One plain sentence: ready for a first pilot, or which gaps to close first.
    """

    by_dimension: pd.Series
    overall: float
    weakest: tuple
    gaps: tuple
    recommendations: tuple
    verdict: str

    def __repr__(self) -> str:
        return f"MaturityScore(overall={self.overall:.1f}, gaps={self.gaps!r})"


def _scale_text() -> str:
    return ", ".join(f"{value} = {_(meaning)!r}" for value, meaning in SCALE.items())


def _labels(dimensions) -> str:
    return listing(_(DIMENSION_LABELS[d]).lower() for d in dimensions)


def score(answers: Mapping[str, int]) -> MaturityScore:
    """Score a self-assessment: ``answers`` maps every question key of :data:`QUESTIONS` to 0–3.

    A dimension's score is the sum of its answers ÷ (3 × its number of questions) × 100, in %. The
    overall score is the mean of the dimensions. A dimension below :data:`READY_LEVEL` is a gap.

    Raises a ValueError naming the question when an answer is missing, a key is not a question,
    or a value is not a whole number 0–3 (``True``/``False`` and 2.5 are refused).
    """
    if not isinstance(answers, Mapping):
        raise ValueError(_(
            "Give the answers as a dictionary {question key: answer 0–3}, for example {'skills_staff': 2, ...}."
        ))
    known = {q.key: q for q in QUESTIONS}
    for key in answers:
        if key not in known:
            raise ValueError(_(
                "{key} is not a question of the self-assessment: use the keys of QUESTIONS ({keys}).",
                key=repr(key), keys=", ".join(known),
            ))
    values: dict[str, int] = {}
    for question in QUESTIONS:
        if question.key not in answers:
            raise ValueError(_(
                "Question {key} ({text}) has no answer: give a whole number on the scale {scale}.",
                key=repr(question.key), text=_(question.text), scale=_scale_text(),
            ))
        value = answers[question.key]
        is_whole = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
        if not is_whole or not 0 <= value <= 3:
            raise ValueError(_(
                "Question {key} has the answer {value}: give a whole number on the scale {scale}.",
                key=repr(question.key), value=repr(value), scale=_scale_text(),
            ))
        values[question.key] = int(value)

    by_dimension = pd.Series(
        {
            dimension: 100.0
            * sum(values[q.key] for q in QUESTIONS if q.dimension == dimension)
            / (3 * sum(1 for q in QUESTIONS if q.dimension == dimension))
            for dimension in DIMENSIONS
        },
        name="score (%)",
        dtype=float,
    )
    overall = float(by_dimension.mean())
    lowest = float(by_dimension.min())
    weakest = tuple(d for d in DIMENSIONS if by_dimension[d] <= lowest + 1e-9)
    gaps = tuple(d for d in DIMENSIONS if by_dimension[d] < READY_LEVEL)
    recommendations = tuple(_(RECOMMENDATIONS[d]) for d in gaps)
    if not gaps:
        verdict = _(
            "Ready for a first pilot: every dimension reaches {ready} (overall {overall}); "
            "start small and strengthen the weakest, {weakest}.",
            ready=points(READY_LEVEL), overall=points(overall), weakest=_labels(weakest),
        )
    else:
        scores = "; ".join(f"{_(DIMENSION_LABELS[d]).lower()} {points(by_dimension[d])}" for d in gaps)
        verdict = _(
            "Not ready for a large project: start with {gaps} ({scores}, below {ready}) "
            "before committing to a large investment (overall {overall}).",
            gaps=_labels(gaps), scores=scores, ready=points(READY_LEVEL), overall=points(overall),
        )
    return MaturityScore(
        by_dimension=by_dimension,
        overall=overall,
        weakest=weakest,
        gaps=gaps,
        recommendations=recommendations,
        verdict=verdict,
    )
