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

from modules.common.formatting import format_date
from modules.common.i18n import N_, translator

from .service_requests import NEIGHBOURHOODS, QUASI_IDENTIFIERS
from .wording import count, percent

_ = translator(__name__)

#: The k the course asks for before a table about people is published.
K_TARGET = 5
#: The largest information loss accepted, in % (see :data:`LOSS_RULE`).
MAX_LOSS = 50.0
#: What is printed for a value that is fully generalised (suppressed).
SUPPRESSED = "*"

#: How the information lost by a generalisation is measured, printed wherever it is used (in English;
#: :func:`loss_rule` gives it in the learner's language).
LOSS_RULE = N_(
    "Information loss: for each quasi-identifier, the level of generalisation chosen divided by its highest "
    "level (0 = exact values, 1 = fully suppressed, shown as *); the loss is the mean of these shares over the "
    "quasi-identifiers, in %. Generalising age to 10-year bands (level 2 of 4) loses 50 % of age; keeping "
    "the exact sex loses 0 %."
)
#: The name shown for each quasi-identifier column (the columns keep their English names in the table).
COLUMN_NAMES = {"age": N_("age"), "sex": N_("sex"), "neighbourhood": N_("neighbourhood"), "date": N_("date")}


def loss_rule() -> str:
    """:data:`LOSS_RULE` in the learner's language."""
    return _(LOSS_RULE)


def column_name(column: str) -> str:
    """The name of a column as shown to the learner: ``"neighbourhood"`` is ``"quartier"`` in French."""
    return _(COLUMN_NAMES[column]) if column in COLUMN_NAMES else column


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
    levels : the name of each level (in English; show it with ``_(name)``); level 0 keeps the exact value, the
        last one suppresses it (*)
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
            choices = ", ".join(f"{number} = {_(name)}" for number, name in enumerate(self.levels))
            raise ValueError(_("Level {level} does not exist for {column}. Its levels are: {choices}.",
                               level=repr(level), column=repr(self.column), choices=choices))
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
        (N_("exact age"), N_("5-year band"), N_("10-year band"), N_("20-year band"), N_("suppressed")),
        (_age_band(5), _age_band(10), _age_band(20)),
    ),
    "sex": Hierarchy("sex", (N_("exact"), N_("suppressed")), ()),
    "neighbourhood": Hierarchy(
        "neighbourhood",
        (N_("sector"), N_("postcode"), N_("suppressed")),
        (lambda name: _POSTCODES.get(name, SUPPRESSED),),
    ),
    "date": Hierarchy(
        "date",
        (N_("day"), N_("month"), N_("quarter"), N_("suppressed")),
        (_date_label("month"), _date_label("quarter")),
    ),
}


def _check_columns(frame: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    columns = list(columns)
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise ValueError(_(
            "No column {missing} in the table. Its columns are: {columns}.",
            missing=", ".join(map(repr, missing)), columns=", ".join(map(str, frame.columns)),
        ))
    return columns


def generalise(frame: pd.DataFrame, levels: Mapping[str, int]) -> pd.DataFrame:
    """Return a copy of ``frame`` with each column of ``levels`` generalised to its level.

    The columns not named in ``levels`` are unchanged. A column without a hierarchy in
    :data:`HIERARCHIES`, or a level that does not exist, raises ``ValueError`` naming the choices.
    """
    unknown = [name for name in levels if name not in HIERARCHIES]
    if unknown:
        raise ValueError(_(
            "No generalisation hierarchy for {unknown}. The course has hierarchies for: {known}.",
            unknown=", ".join(map(repr, unknown)), known=", ".join(HIERARCHIES),
        ))
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
        raise ValueError(_("The table is empty: there is no record, so no group to measure."))
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
        raise ValueError(_("The table is empty: there is no record, so no group to measure."))
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
        raise ValueError(_(
            "{extra} is not among the quasi-identifiers {known}: generalise only quasi-identifiers.",
            extra=", ".join(map(repr, extra)), known=", ".join(quasi_identifiers),
        ))
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
            parts.append(_("aged {age}", age=value))
        elif name == "date" and isinstance(value, pd.Timestamp):
            parts.append(_("on {day}", day=format_date(value.date())))
        elif name == "date":
            parts.append(_("in {period}", period=value))
        elif name == "sex":
            parts.append({"F": _("women"), "M": _("men")}.get(str(value), str(value)))
        elif name == "neighbourhood":
            parts.append(_("in {place}", place=value))
        else:
            parts.append(f"{name} {value}")
    return ", ".join(parts) or _("all records")


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
        raise ValueError(_(
            "Give a level for every quasi-identifier: {absent} has none (0 keeps it exact).",
            absent=", ".join(map(repr, absent)),
        ))
    levels = {name: levels[name] for name in quasi_identifiers} | {n: v for n, v in levels.items() if n not in quasi_identifiers}
    loss = information_loss({name: levels[name] for name in quasi_identifiers}, quasi_identifiers)
    released = generalise(frame, levels)
    classes = equivalence_classes(released, quasi_identifiers)
    k = int(classes["size"].min())
    at_risk = int(classes.loc[classes["size"] < k_target, "size"].sum())
    ell = l_diversity(released, quasi_identifiers, sensitive)
    smallest = classes.iloc[0].to_dict()
    chosen = ", ".join(
        _("{column}: {level}", column=column_name(name), level=_(HIERARCHIES[name].levels[levels[name]]))
        for name in quasi_identifiers
    )
    problems = []
    if k < k_target:
        size = int(smallest["size"])
        requests = _("{count} request", count=count(size)) if size == 1 else _("{count} requests", count=count(size))
        problems.append(_(
            "k is {k}, below {target}: {at_risk} records are in groups of fewer than {target}. The smallest "
            "group, {group}, has {requests}: generalise further the quasi-identifiers that make it small.",
            k=count(k), target=count(k_target), at_risk=count(at_risk), group=_describe_group(smallest), requests=requests,
        ))
    if loss > max_loss:
        costly = max(quasi_identifiers, key=lambda name: levels[name] / HIERARCHIES[name].top)
        problems.append(_(
            "the information loss is {loss}, above the {max_loss} accepted: {column} is generalised "
            "the most ({level}); keep it more exact, and generalise another quasi-identifier a little instead.",
            loss=percent(loss, 1), max_loss=percent(max_loss, 0), column=column_name(costly),
            level=_(HIERARCHIES[costly].levels[levels[costly]]),
        ))
    passes = not problems
    if passes:
        diversity = (_("some group shares a single kind of request, which it gives away.") if ell == 1 else
                     _("every group holds at least {l} kinds of request.", l=count(ell)))
        message = _(
            "With {chosen}: k = {k} (at least {target}) and an information loss of {loss} (at most "
            "{max_loss}). This choice meets both conditions. ℓ = {l}: {diversity}",
            chosen=chosen, k=count(k), target=count(k_target), loss=percent(loss, 1), max_loss=percent(max_loss, 0),
            l=count(ell), diversity=diversity,
        )
    else:
        message = _("With {chosen}: {problems}", chosen=chosen, problems=_("; and ").join(problems))
    return ReleaseCheck(dict(levels), k, at_risk, loss, ell, smallest, passes, message, classes)
