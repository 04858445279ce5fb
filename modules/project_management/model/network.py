"""A project as a network of tasks: forward and backward passes, floats, critical path, Gantt data.

Durations are in working days (a ``float``; ``0`` marks a milestone). The project starts at day 0:
a task with ``earliest_start == 3`` can start once three working days have passed. The method is
the critical path method (CPM):

- forward pass: ``earliest_start`` = the latest ``earliest_finish`` of the predecessors (0 for a
  task without predecessor), ``earliest_finish = earliest_start + duration``;
- the project ends at the largest ``earliest_finish``;
- backward pass from that end: ``latest_finish`` = the smallest ``latest_start`` of the successors
  (the project end for a task without successor), ``latest_start = latest_finish − duration``;
- ``total_float = latest_start − earliest_start``: how many days a task can slip without moving the
  end of the project; ``free_float``: how many days it can slip without moving any successor's
  earliest start;
- critical tasks have zero total float; a critical path is a chain of critical tasks from the start
  to the end of the project, each starting exactly when the previous one finishes.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from modules.common.i18n import translator

from .wording import general

_ = translator(__name__)

#: Two times (working days) closer than this are treated as equal: a task is critical when its
#: total float is within ``TOLERANCE`` of 0. It absorbs floating-point rounding in the passes.
TOLERANCE = 1e-9

#: Columns of :func:`schedule`, in order.
SCHEDULE_COLUMNS = (
    "duration",
    "earliest_start",
    "earliest_finish",
    "latest_start",
    "latest_finish",
    "total_float",
    "free_float",
    "critical",
)

#: Columns of :func:`gantt_data`, in order.
GANTT_COLUMNS = ("task", "start", "finish", "duration", "float", "critical")


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _check_duration(name: str, duration) -> float:
    """Return ``duration`` as a float, or raise a ValueError that says what to give instead."""
    if not _is_number(duration):
        raise ValueError(_(
            "Task {name} has duration {duration}: give a number of working days (0 for a milestone).", name=repr(name), duration=repr(duration)
        ))
    if not math.isfinite(duration):
        raise ValueError(_("Task {name} has duration {duration}: give a finite number of working days.", name=repr(name), duration=repr(duration)))
    if duration < 0:
        raise ValueError(_(
            "Task {name} has a negative duration ({duration} days): give 0 or more (0 for a milestone).",
            name=repr(name), duration=general(duration),
        ))
    return float(duration)


def _split_predecessors(value) -> tuple[str, ...]:
    """Predecessors given as ``"A, B"``, ``["A", "B"]``, ``None`` or NaN → ``("A", "B")``."""
    if value is None:
        return ()
    if isinstance(value, float) and math.isnan(value):
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, (list, tuple, np.ndarray, pd.Series)):
        return tuple(str(part).strip() for part in value if str(part).strip())
    raise ValueError(_(
        'Predecessors {value} are not understood: give task names as a tuple or list of strings, '
        'or as one string separated by commas ("Design, Tender").',
        value=repr(value),
    ))


@dataclass(frozen=True)
class Task:
    """One task of a project.

    Parameters
    ----------
    name : str
        Unique, non-empty name of the task ("Tender", "Works").
    duration : float
        Working days, 0 or more; ``0`` makes it a milestone (an event such as "Council vote").
    predecessors : tuple of str
        Names of the tasks that must finish before this one can start (finish-to-start links).
        A single string is split on commas, so ``"Design, Tender"`` means two predecessors.
    description : str
        Free text shown in tables and Gantt charts.
    """

    name: str
    duration: float
    predecessors: tuple[str, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(_("A task has the name {name}: give every task a non-empty text name.", name=repr(self.name)))
        object.__setattr__(self, "duration", _check_duration(self.name, self.duration))
        predecessors = _split_predecessors(self.predecessors)
        for predecessor in predecessors:
            if not isinstance(predecessor, str):  # pragma: no cover - _split_predecessors returns str
                raise ValueError(_("Task {name} has predecessor {predecessor}: give task names as text.", name=repr(self.name), predecessor=repr(predecessor)))
        object.__setattr__(self, "predecessors", predecessors)
        if not isinstance(self.description, str):
            raise ValueError(_(
                "Task {name} has description {description}: give a text (or leave it out).", name=repr(self.name), description=repr(self.description)
            ))

    @property
    def is_milestone(self) -> bool:
        """True for a zero-duration task (an event, not work)."""
        return self.duration == 0


def _find_cycle(remaining: list[str], predecessors: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Return one cycle among ``remaining`` tasks as ``[t1, t2, ..., t1]`` (each waits for the next)."""
    left = set(remaining)
    start = remaining[0]
    path: list[str] = []
    position: dict[str, int] = {}
    current = start
    while current not in position:
        position[current] = len(path)
        path.append(current)
        # every remaining task has at least one remaining predecessor, so this always finds one
        current = next(p for p in predecessors[current] if p in left)
    cycle = path[position[current]:]
    # present it in the order work would flow: predecessor → successor
    cycle = list(reversed(cycle))
    # start with the task given first, so the message reads in the user's own order
    first = min(range(len(cycle)), key=lambda i: remaining.index(cycle[i]))
    cycle = cycle[first:] + cycle[:first]
    return cycle + [cycle[0]]


class Network:
    """A validated network of tasks, sorted in topological order (every task after its predecessors).

    The constructor checks everything a schedule needs and says what to fix: an empty network,
    two tasks with the same name, a predecessor that is not in the network, a task that depends on
    itself, a cycle (it names its tasks), a negative or non-finite duration.

    Attributes
    ----------
    tasks : tuple of Task
        The tasks in topological order (the order given, as far as the dependencies allow).
    names : list of str
        Their names, same order.
    index : dict
        Name → position in that order.
    predecessor_indices : list of numpy int arrays
        For the task at position ``i``, the positions of its predecessors (all smaller than ``i``).
    successor_indices : list of numpy int arrays
        For the task at position ``i``, the positions of its successors (all larger than ``i``).
    durations : numpy array
        Fixed durations (working days), same order.
    """

    def __init__(self, tasks: Sequence[Task]):
        if isinstance(tasks, (str, bytes, Task)) or not hasattr(tasks, "__iter__"):
            raise ValueError(_("Give the tasks as a list of Task objects, for example [Task('Design', 10), ...]."))
        tasks = list(tasks)
        if not tasks:
            raise ValueError(_("The network is empty: give at least one Task."))
        for task in tasks:
            if not isinstance(task, Task):
                raise ValueError(_("{task} is not a Task: build each task with Task(name, duration, predecessors).", task=repr(task)))
        by_name: dict[str, Task] = {}
        for task in tasks:
            if task.name in by_name:
                raise ValueError(_("Two tasks are called {name}: give every task a different name.", name=repr(task.name)))
            by_name[task.name] = task
        for task in tasks:
            _check_duration(task.name, task.duration)
            for predecessor in task.predecessors:
                if predecessor == task.name:
                    raise ValueError(_("Task {name} depends on itself: remove {name} from its own predecessors.", name=repr(task.name)))
                if predecessor not in by_name:
                    raise ValueError(_(
                        "Task {name} depends on {predecessor}, which is not in the network: add it or fix the name.",
                        name=repr(task.name), predecessor=repr(predecessor),
                    ))
        predecessors = {task.name: tuple(dict.fromkeys(task.predecessors)) for task in tasks}

        # Kahn's algorithm, always taking the first ready task in the order given (stable).
        order: list[str] = []
        placed: set[str] = set()
        pending = [task.name for task in tasks]
        while pending:
            ready = next((name for name in pending if all(p in placed for p in predecessors[name])), None)
            if ready is None:
                cycle = _find_cycle(pending, predecessors)
                chain = " → ".join(repr(name) for name in cycle)
                raise ValueError(_(
                    "The tasks {chain} form a cycle: each one waits for the one before it, so none can "
                    "start. Remove one of these dependencies.",
                    chain=chain,
                ))
            order.append(ready)
            placed.add(ready)
            pending.remove(ready)

        self.tasks: tuple[Task, ...] = tuple(by_name[name] for name in order)
        self.names: list[str] = order
        self.index: dict[str, int] = {name: position for position, name in enumerate(order)}
        self.predecessor_indices: list[np.ndarray] = [
            np.array(sorted(self.index[p] for p in predecessors[name]), dtype=np.intp) for name in order
        ]
        successors: list[list[int]] = [[] for _position in order]
        for position, preds in enumerate(self.predecessor_indices):
            for p in preds:
                successors[p].append(position)
        self.successor_indices: list[np.ndarray] = [np.array(s, dtype=np.intp) for s in successors]
        self.durations: np.ndarray = np.array([task.duration for task in self.tasks], dtype=float)

    # -- construction helpers -------------------------------------------------------------------

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> "Network":
        """Build a network from a table with columns ``name``, ``duration`` (working days) and
        ``predecessors`` (a comma-separated string such as ``"Design, Tender"``, a list, or empty).
        An optional ``description`` column is kept. Other columns are ignored."""
        if not isinstance(table, pd.DataFrame):
            raise ValueError(_("Give a pandas DataFrame with columns name, duration and predecessors."))
        missing = [column for column in ("name", "duration", "predecessors") if column not in table.columns]
        if missing:
            raise ValueError(_(
                "The table has no column {missing}: it needs name, duration and predecessors (columns found: {found}).",
                missing=", ".join(missing), found=", ".join(map(str, table.columns)),
            ))
        tasks = []
        for row in table.itertuples(index=False):
            record = row._asdict()
            description = record.get("description", "")
            if description is None or (isinstance(description, float) and math.isnan(description)):
                description = ""
            duration = record["duration"]
            if isinstance(duration, str):
                try:
                    duration = float(duration.replace(",", "."))
                except ValueError:
                    raise ValueError(_(
                        "Task {name} has duration {duration}: give a number of working days.",
                        name=repr(record["name"]), duration=repr(record["duration"]),
                    )) from None
            tasks.append(Task(str(record["name"]).strip(), duration, _split_predecessors(record["predecessors"]), str(description)))
        return cls(tasks)

    def to_table(self) -> pd.DataFrame:
        """The tasks as a table (name, duration, predecessors as "A, B", description), topological order."""
        return pd.DataFrame(
            {
                "name": self.names,
                "duration": self.durations,
                "predecessors": [", ".join(task.predecessors) for task in self.tasks],
                "description": [task.description for task in self.tasks],
            }
        )

    def task(self, name: str) -> Task:
        """The task called ``name`` (ValueError with the known names if there is none)."""
        if name not in self.index:
            raise ValueError(_("There is no task {name} in the network. Tasks: {tasks}.", name=repr(name), tasks=", ".join(self.names)))
        return self.tasks[self.index[name]]

    def with_durations(self, durations: Mapping[str, float]) -> "Network":
        """A copy of the network where the tasks named in ``durations`` get new durations (working days)."""
        values = self.duration_array(durations)
        return Network(
            [Task(t.name, float(values[i]), t.predecessors, t.description) for i, t in enumerate(self.tasks)]
        )

    def duration_array(self, durations: Mapping[str, float] | None = None) -> np.ndarray:
        """Durations in topological order: the tasks' own, replaced by ``durations[name]`` where given.

        Raises a ValueError for an unknown name or an invalid duration, so a typo never passes silently.
        """
        values = self.durations.copy()
        if durations is None:
            return values
        if not isinstance(durations, Mapping):
            raise ValueError(_("Give durations as a mapping {task name: working days}, for example {'Works': 12}."))
        for name, value in durations.items():
            if name not in self.index:
                raise ValueError(_(
                    "durations names {name}, which is not a task of the network: fix the name (tasks: {tasks}).",
                    name=repr(name), tasks=", ".join(self.names),
                ))
            values[self.index[name]] = _check_duration(name, value)
        return values

    def __len__(self) -> int:
        return len(self.tasks)

    def __iter__(self):
        return iter(self.tasks)

    def __repr__(self) -> str:
        return f"Network({len(self.tasks)} tasks: {', '.join(self.names)})"


def _check_network(network) -> Network:
    if not isinstance(network, Network):
        raise ValueError(_(
            "Expected a Network, got {kind}: build one with Network([Task(...), ...]) or Network.from_table(table).",
            kind=type(network).__name__,
        ))
    return network


def _passes(network: Network, duration: np.ndarray) -> dict[str, np.ndarray]:
    """Forward and backward passes (arrays in topological order, working days)."""
    count = len(network.names)
    es = np.zeros(count)
    ef = np.zeros(count)
    for i, preds in enumerate(network.predecessor_indices):
        es[i] = ef[preds].max() if preds.size else 0.0
        ef[i] = es[i] + duration[i]
    end = ef.max()
    lf = np.zeros(count)
    ls = np.zeros(count)
    for i in range(count - 1, -1, -1):
        succs = network.successor_indices[i]
        lf[i] = ls[succs].min() if succs.size else end
        ls[i] = lf[i] - duration[i]
    free = np.array(
        [(es[s].min() if s.size else end) - ef[i] for i, s in enumerate(network.successor_indices)]
    )
    total = ls - es
    # rounding can leave −1e-15 or 1e-15 where the float is 0: show 0
    total[np.abs(total) <= TOLERANCE] = 0.0
    free[np.abs(free) <= TOLERANCE] = 0.0
    return {"es": es, "ef": ef, "ls": ls, "lf": lf, "total": total, "free": free, "end": end}


def schedule(network: Network, durations: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The CPM schedule of the network, one row per task (index: task name, topological order).

    Columns (working days from the project start at day 0): ``duration``, ``earliest_start``,
    ``earliest_finish``, ``latest_start``, ``latest_finish``, ``total_float``, ``free_float``, and
    ``critical`` (bool: total float is 0, within :data:`TOLERANCE`).

    ``durations`` optionally replaces some tasks' durations ({name: working days}), to ask "what if
    this task took 5 more days?" without rebuilding the network.
    """
    network = _check_network(network)
    duration = network.duration_array(durations)
    passes = _passes(network, duration)
    frame = pd.DataFrame(
        {
            "duration": duration,
            "earliest_start": passes["es"],
            "earliest_finish": passes["ef"],
            "latest_start": passes["ls"],
            "latest_finish": passes["lf"],
            "total_float": passes["total"],
            "free_float": passes["free"],
            "critical": passes["total"] <= TOLERANCE,
        },
        index=pd.Index(network.names, name="task"),
    )
    return frame


def project_duration(network: Network, durations: Mapping[str, float] | None = None) -> float:
    """Shortest possible duration of the project (working days): the largest earliest finish."""
    network = _check_network(network)
    return float(_passes(network, network.duration_array(durations))["end"])


def critical_tasks(network: Network, durations: Mapping[str, float] | None = None) -> list[str]:
    """Names of the tasks with zero total float, in topological order.

    With several parallel critical paths, the tasks of all of them are listed.
    """
    frame = schedule(network, durations)
    return list(frame.index[frame["critical"]])


def critical_paths(network: Network, durations: Mapping[str, float] | None = None) -> list[list[str]]:
    """Every critical path: each a list of task names from the start to the end of the project.

    A critical path is a chain of critical tasks where each task starts exactly when the one
    before it finishes (a "tight" link), starting with a task that has no such critical
    predecessor (it starts at day 0) and ending with one that has no such critical successor (it
    finishes at the project end). Its length (sum of durations) equals the project duration. Paths
    are listed in topological order of their tasks. A network with many parallel critical branches
    has many paths (their number can grow fast); this lists them all.
    """
    network = _check_network(network)
    duration = network.duration_array(durations)
    passes = _passes(network, duration)
    critical = passes["total"] <= TOLERANCE
    es, ef = passes["es"], passes["ef"]

    def tight_successors(i: int) -> list[int]:
        return [int(s) for s in network.successor_indices[i] if critical[s] and abs(es[s] - ef[i]) <= TOLERANCE]

    has_tight_predecessor = np.zeros(len(network.names), dtype=bool)
    for i in range(len(network.names)):
        if critical[i]:
            for s in tight_successors(i):
                has_tight_predecessor[s] = True

    paths: list[list[str]] = []

    def walk(i: int, path: list[int]) -> None:
        path = path + [i]
        nexts = tight_successors(i)
        if not nexts:
            paths.append([network.names[j] for j in path])
            return
        for s in nexts:
            walk(s, path)

    for i in range(len(network.names)):
        if critical[i] and not has_tight_predecessor[i]:
            walk(i, [])
    return paths


def _as_date(value) -> np.datetime64:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if not isinstance(value, (datetime.date, np.datetime64)):
        raise ValueError(_("start is {value}: give a date, for example datetime.date(2025, 9, 1).", value=repr(value)))
    return np.datetime64(value, "D")


def gantt_data(
    network: Network,
    start: datetime.date | None = None,
    durations: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """What a Gantt chart draws: one row per task (topological order), earliest dates.

    Columns: ``task``, ``start``, ``finish``, ``duration`` (working days), ``float`` (total float,
    working days), ``critical`` (bool).

    - Without ``start``: ``start`` and ``finish`` are the earliest start and finish in working days
      from day 0 (``finish = start + duration``, so a bar goes from ``start`` to ``finish``).
    - With ``start`` (a date): they are calendar dates (``datetime.date``), counting working days
      Monday to Friday (public holidays are not known, so they are not skipped). Day 0 is ``start``
      itself, or the next Monday if ``start`` falls on a weekend. ``finish`` is the **last working
      day** of the task (a 1-day task starts and finishes on the same date; a milestone's finish is
      its start), so a bar drawn on a calendar runs from ``start`` to ``finish + 1 day``. A
      fractional day counts as a whole working day.
    """
    frame = schedule(network, durations)
    table = pd.DataFrame(
        {
            "task": list(frame.index),
            "start": frame["earliest_start"].to_numpy(),
            "finish": frame["earliest_finish"].to_numpy(),
            "duration": frame["duration"].to_numpy(),
            "float": frame["total_float"].to_numpy(),
            "critical": frame["critical"].to_numpy(),
        }
    )
    if start is None:
        return table
    day0 = _as_date(start)
    es = np.floor(table["start"].to_numpy() + TOLERANCE).astype(np.int64)
    last = np.ceil(table["finish"].to_numpy() - TOLERANCE).astype(np.int64) - 1
    last = np.maximum(last, es)
    first_day = np.busday_offset(day0, 0, roll="forward")
    starts = np.busday_offset(first_day, es, roll="forward")
    finishes = np.busday_offset(first_day, last, roll="forward")
    table["start"] = [d.astype(datetime.date) for d in starts]
    table["finish"] = [d.astype(datetime.date) for d in finishes]
    return table
