"""Public projects as pure functions: schedules, schedule risk, earned value, crashing, real works data.

Everything here is plain Python, numpy and pandas: no widget and no plotting, so each function can
be tested, graded and reused outside Jupyter. Durations are in working days unless a docstring says
otherwise (the roadworks data use calendar days); amounts are in euros (€).

Contents, in the order of the lessons (one file each, all importable from here):

1. A project as a network of tasks (``network.py``): :class:`Task`, :class:`Network` (validated;
   ``Network.from_table``), :func:`schedule` (forward and backward passes, floats),
   :func:`project_duration`, :func:`critical_tasks`, :func:`critical_paths`, :func:`gantt_data`.
2. Schedule risk (``risk.py``): :class:`ThreePoint` (PERT and triangular means), :func:`simulate`
   (vectorised Monte Carlo) returning a :class:`SimulationResult` (P50, P80, critical shares),
   :func:`pert_approximation` (the normal shortcut), :func:`most_likely_durations`, :func:`pert_durations`.
3. Speeding tasks up within a budget (``crashing.py``): :class:`CrashOption`, :func:`apply_crash`,
   :func:`check_plan` returning a :class:`PlanCheck`, :func:`crash_cost`.
4. Steering with earned value (``earned_value.py``): :class:`EarnedValue` (CV, SV, CPI, SPI, EAC, ETC,
   VAC, TCPI, verdict), :func:`earned_value_curve`.
5. Real works data, Avignon's temporary traffic orders (``roadworks.py``): :func:`read_orders`
   returning :class:`RoadworksOrders` (rows and parsing problems), :func:`orders`, :func:`extensions`,
   :func:`extension_summary`, :func:`concurrent_works`, :func:`reason_category`.
"""

from .datasets import ROADWORKS, ROADWORKS_FILE, SLUG  # noqa: F401
from .network import (  # noqa: F401
    GANTT_COLUMNS,
    SCHEDULE_COLUMNS,
    TOLERANCE,
    Network,
    Task,
    critical_paths,
    critical_tasks,
    gantt_data,
    project_duration,
    schedule,
)
from .risk import (  # noqa: F401
    DISTRIBUTIONS,
    PERT_LAMBDA,
    PertApproximation,
    SimulationResult,
    ThreePoint,
    most_likely_durations,
    pert_approximation,
    pert_durations,
    simulate,
)
from .earned_value import EarnedValue, earned_value_curve, planned_curve  # noqa: F401
from .crashing import CrashOption, PlanCheck, apply_crash, check_plan, crash_cost  # noqa: F401
from .roadworks import (  # noqa: F401
    DATE_COLUMNS,
    DATE_FORMATS,
    PLAUSIBLE_GAP_DAYS,
    REASON_CATEGORIES,
    REASON_CATEGORY_NAMES,
    REASON_KEYWORDS,
    ROW_COLUMNS,
    RoadworksOrders,
    concurrent_works,
    extension_summary,
    extensions,
    order_number,
    orders,
    parse_fields,
    read_orders,
    reason_category,
)
