"""k-anonymity with generalisation hierarchies: can a table about people be published?

A table is *k*-anonymous on its quasi-identifiers when every record shares its values of those
columns with at least k − 1 other records (Sweeney, 2002): each person hides in a group of at least
k. Generalising a quasi-identifier (an age band instead of an age, a month instead of a day) merges
groups and raises k, and costs information: a reuser can no longer see what was generalised.

This module states the course's choices once, and the lessons, the simulator and the exercise all
print them: the hierarchy of each quasi-identifier (:data:`HIERARCHIES`), the measure of the
information lost (:data:`LOSS_RULE`), the target k (:data:`K_TARGET`) and the largest loss accepted
(:data:`MAX_LOSS`). :func:`check_release` applies them and explains its verdict in plain words.

k-anonymity alone is not anonymisation: a group whose members all share the same sensitive value
gives that value away (see :func:`l_diversity`), and what an attacker already knows is not in
the table. The lessons say so wherever k is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from .service_requests import NEIGHBOURHOODS, QUASI_IDENTIFIERS

#: The k the course asks for before a table about people is published.
K_TARGET = 5
#: The largest information loss accepted, in % (see :data:`LOSS_RULE`).
MAX_LOSS = 50.0
#: What is printed for a value that is fully generalised (suppressed).
SUPPRESSED = "*"

#: How the information lost by a generalisation is measured, printed wherever it is used.
LOSS_RULE = (
    "Information loss: for each quasi-identifier, the level of generalisation chosen divided by its highest "
    "level (0 = exact values, 1 = fully suppressed, shown as *); the loss is the mean of these shares over the "
    "quasi-identifiers, in %. Generalising age to 10-year bands (level 2 of 4) loses 50 % of age; keeping "
    "the exact sex loses 0 %."
)


def _age_band(width: int) -> Callable[[object], str]:
    def band(age) -> str:
        start = int(age) // width * width
        return f"{start}–{start + width - 1}"
    return band


def _date_label(kind: str) -> Callable[[object], str]:
    def label(day) -> str:
        day = pd.Timestamp(day)
        if kind == "month":
            return f"{day:%Y-%m}"
        return f"{day.year}-Q{day.quarter}"
    return label


@dataclass(frozen=True)
class Hierarchy:
    """How one quasi-identifier is generalised, level by level.

    column : the column it applies to
    levels : the name of each level; level 0 keeps the exact value, the last one suppresses it (*)
    steps : for levels 1 to the last but one, the function that turns an exact value into its
        label at that level (an age into "30–39", a day into "2024-03")
    """

    column: str
    levels: tuple[str, ...]
    steps: tuple[Callable[[object], str], ...]

    @property
    def top(self) -> int:
        """The highest level: the value is suppressed."""
        return len(self.levels) - 1

    def apply(self, values: pd.Series, level: int) -> pd.Series:
        """Return ``values`` generalised to ``level``; a missing value stays missing."""
        if not isinstance(level, (int,)) or isinstance(level, bool) or not 0 <= level <= self.top:
            choices = ", ".join(f"{number} = {name}" for number, name in enumerate(self.levels))
            raise ValueError(f"Level {level!r} does not exist for {self.column!r}. Its levels are: {choices}.")
        if level == 0:
            return values
        if level == self.top:
            return values.where(values.isna(), SUPPRESSED).astype(object)
        step = self.steps[level - 1]
        return values.map(lambda value: step(value) if pd.notna(value) else value)


_POSTCODES = {name: postcode for name, (postcode, _share) in NEIGHBOURHOODS.items()}

#: The generalisation hierarchy of each quasi-identifier of the service requests.
HIERARCHIES: dict[str, Hierarchy] = {
    "age": Hierarchy(
        "age",
        ("exact age", "5-year band", "10-year band", "20-year band", "suppressed"),
        (_age_band(5), _age_band(10), _age_band(20)),
    ),
    "sex": Hierarchy("sex", ("exact", "suppressed"), ()),
    "neighbourhood": Hierarchy(
        "neighbourhood",
        ("sector", "postcode", "suppressed"),
        (lambda name: _POSTCODES.get(name, SUPPRESSED),),
    ),
    "date": Hierarchy(
        "date",
        ("day", "month", "quarter", "suppressed"),
        (_date_label("month"), _date_label("quarter")),
    ),
}


def _check_columns(frame: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    columns = list(columns)
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise ValueError(
            f"No column {', '.join(map(repr, missing))} in the table. Its columns are: {', '.join(map(str, frame.columns))}."
        )
    return columns


def generalise(frame: pd.DataFrame, levels: Mapping[str, int]) -> pd.DataFrame:
    """Return a copy of ``frame`` with each column of ``levels`` generalised to its level.

    The columns not named in ``levels`` are unchanged. A column without a hierarchy in
    :data:`HIERARCHIES`, or a level that does not exist, raises ``ValueError`` naming the choices.
    """
    unknown = [name for name in levels if name not in HIERARCHIES]
    if unknown:
        raise ValueError(
            f"No generalisation hierarchy for {', '.join(map(repr, unknown))}. "
            f"The course has hierarchies for: {', '.join(HIERARCHIES)}."
        )
    _check_columns(frame, list(levels))
    result = frame.copy()
    for name, level in levels.items():
        result[name] = HIERARCHIES[name].apply(frame[name], level)
    return result


def equivalence_classes(frame: pd.DataFrame, quasi_identifiers: Sequence[str]) -> pd.DataFrame:
    """Return one row per group of records that share all their quasi-identifiers, smallest first.

    Columns: the quasi-identifiers and ``size`` (records in the group). A missing value is a value
    like any other: the records without an age form their own groups. With no quasi-identifier,
    every record is in one group.
    """
    columns = _check_columns(frame, quasi_identifiers)
    if not columns:
        return pd.DataFrame({"size": [len(frame)]})
    groups = frame.groupby(columns, dropna=False, observed=True).size().rename("size").reset_index()
    return groups.sort_values(["size", *columns], kind="stable", key=lambda c: c.astype(str) if c.name != "size" else c).reset_index(drop=True)


def k_anonymity(frame: pd.DataFrame, quasi_identifiers: Sequence[str]) -> int:
    """Return k: the size of the smallest group of records sharing all their quasi-identifiers.

    With no quasi-identifier, k is the number of records. An empty table raises ``ValueError``.
    """
    if len(frame) == 0:
        raise ValueError("The table is empty: there is no record, so no group to measure.")
    return int(equivalence_classes(frame, quasi_identifiers)["size"].min())


def records_at_risk(frame: pd.DataFrame, quasi_identifiers: Sequence[str], k: int = K_TARGET) -> int:
    """Return the number of records in groups of fewer than ``k`` records."""
    sizes = equivalence_classes(frame, quasi_identifiers)["size"]
    return int(sizes[sizes < k].sum())


def l_diversity(frame: pd.DataFrame, quasi_identifiers: Sequence[str], sensitive: str) -> int:
    """Return the (distinct) ℓ of the table: the fewest distinct sensitive values found in a group.

    ℓ = 1 means that some group shares a single sensitive value: whoever knows that a person is in
    that group learns the value, however large the group (the homogeneity attack).
    """
    if len(frame) == 0:
        raise ValueError("The table is empty: there is no record, so no group to measure.")
    columns = _check_columns(frame, [*quasi_identifiers, sensitive])[:-1]
    if not columns:
        return int(frame[sensitive].nunique(dropna=False))
    return int(frame.groupby(columns, dropna=False, observed=True)[sensitive].nunique(dropna=False).min())


def information_loss(levels: Mapping[str, int], quasi_identifiers: Sequence[str] = QUASI_IDENTIFIERS) -> float:
    """Return the information lost by ``levels`` on ``quasi_identifiers``, in %, by :data:`LOSS_RULE`.

    A quasi-identifier missing from ``levels`` is kept exact (level 0).
    """
    if len(quasi_identifiers) == 0:
        return 0.0
    extra = [name for name in levels if name not in quasi_identifiers]
    if extra:
        raise ValueError(
            f"{', '.join(map(repr, extra))} is not among the quasi-identifiers {', '.join(quasi_identifiers)}: "
            "generalise only quasi-identifiers."
        )
    shares = []
    for name in quasi_identifiers:
        hierarchy = HIERARCHIES[name]
        level = levels.get(name, 0)
        hierarchy.apply(pd.Series([], dtype=object), level)  # raises for a level that does not exist
        shares.append(level / hierarchy.top)
    return round(100 * sum(shares) / len(shares), 1)


@dataclass(frozen=True)
class ReleaseCheck:
    """The verdict on publishing a table generalised with ``levels``.

    k : the size of the smallest group; at_risk : records in groups smaller than the target;
    loss : information lost, in % (:data:`LOSS_RULE`); l : distinct ℓ of the sensitive column;
    smallest_group : the quasi-identifier values and size of one smallest group;
    passes : k ≥ the target and loss ≤ the largest accepted; message : the verdict in plain words;
    classes : the groups of the generalised table (:func:`equivalence_classes`), smallest first
    """

    levels: dict[str, int]
    k: int
    at_risk: int
    loss: float
    l: int  # noqa: E741 (the letter of ℓ-diversity)
    smallest_group: dict[str, object]
    passes: bool
    message: str
    classes: pd.DataFrame = field(repr=False, compare=False, default=None)


def _describe_group(group: Mapping[str, object]) -> str:
    parts = []
    for name, value in group.items():
        if name == "size":
            continue
        if value == SUPPRESSED or pd.isna(value):
            continue
        if name == "age":
            parts.append(f"aged {value}")
        elif name == "date" and isinstance(value, pd.Timestamp):
            parts.append(f"on {value.day} {value:%B %Y}")
        elif name == "date":
            parts.append(f"in {value}")
        elif name == "sex":
            parts.append({"F": "women", "M": "men"}.get(str(value), str(value)))
        elif name == "neighbourhood":
            parts.append(f"in {value}")
        else:
            parts.append(f"{name} {value}")
    return ", ".join(parts) or "all records"


def check_release(
    frame: pd.DataFrame,
    levels: Mapping[str, int],
    quasi_identifiers: Sequence[str] = QUASI_IDENTIFIERS,
    sensitive: str = "category",
    k_target: int = K_TARGET,
    max_loss: float = MAX_LOSS,
) -> ReleaseCheck:
    """Generalise ``frame`` with ``levels`` and say whether it may be published by the course's rule.

    It passes when k ≥ ``k_target`` on ``quasi_identifiers`` and the information loss is at most
    ``max_loss`` %. ``levels`` must give a level for every quasi-identifier (0 keeps it exact).
    The message names one smallest group when k is too small, and says which generalisation costs
    the most when the loss is too high.
    """
    absent = [name for name in quasi_identifiers if name not in levels]
    if absent:
        raise ValueError(
            f"Give a level for every quasi-identifier: {', '.join(map(repr, absent))} has none (0 keeps it exact)."
        )
    levels = {name: levels[name] for name in quasi_identifiers} | {n: v for n, v in levels.items() if n not in quasi_identifiers}
    loss = information_loss({name: levels[name] for name in quasi_identifiers}, quasi_identifiers)
    released = generalise(frame, levels)
    classes = equivalence_classes(released, quasi_identifiers)
    k = int(classes["size"].min())
    at_risk = int(classes.loc[classes["size"] < k_target, "size"].sum())
    ell = l_diversity(released, quasi_identifiers, sensitive)
    smallest = classes.iloc[0].to_dict()
    chosen = ", ".join(f"{name}: {HIERARCHIES[name].levels[levels[name]]}" for name in quasi_identifiers)
    problems = []
    if k < k_target:
        problems.append(
            f"k is {k}, below {k_target}: {at_risk} records are in groups of fewer than {k_target}. The smallest "
            f"group, {_describe_group(smallest)}, has {smallest['size']} request{'s' if smallest['size'] != 1 else ''}: "
            "generalise further the quasi-identifiers that make it small."
        )
    if loss > max_loss:
        costly = max(quasi_identifiers, key=lambda name: levels[name] / HIERARCHIES[name].top)
        problems.append(
            f"the information loss is {loss:.1f} %, above the {max_loss:.0f} % accepted: {costly} is generalised "
            f"the most ({HIERARCHIES[costly].levels[levels[costly]]}); keep it more exact, and generalise another "
            "quasi-identifier a little instead."
        )
    passes = not problems
    if passes:
        message = (
            f"With {chosen}: k = {k} (at least {k_target}) and an information loss of {loss:.1f} % (at most "
            f"{max_loss:.0f} %). This choice meets both conditions. ℓ = {ell}: "
            + ("some group shares a single kind of request, which it gives away." if ell == 1 else
               f"every group holds at least {ell} kinds of request.")
        )
    else:
        message = f"With {chosen}: " + "; and ".join(problems)
    return ReleaseCheck(dict(levels), k, at_risk, loss, ell, smallest, passes, message, classes)
