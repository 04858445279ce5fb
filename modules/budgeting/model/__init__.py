"""The budget of a French commune and the rules of a participatory budget, as pure functions.

Everything here is plain Python, numpy and pandas: no widget and no plotting, so each function can
be tested, graded and reused outside Jupyter. Amounts are in euros (€) unless a docstring says
otherwise; growth rates and interest rates are fractions (``0.02`` means 2 %).

Contents, in the order of the lessons (one file each, all importable from here):

1. The budget and its indicators (``indicators.py``): :class:`Budget`, :func:`gross_savings`, :func:`net_savings`,
   :func:`debt_capacity_years`, :func:`alert_level`, :func:`golden_rule_holds`, :func:`is_golden_rule_respected`,
   :func:`with_estimated_debt`.
2. Loans (``loans.py``): :func:`annuity`, :func:`debt_schedule`, :func:`estimate_outstanding_debt`.
3. A multi-year projection (``projection.py``): :class:`Policy` and :func:`project_budget`; whether a policy
   keeps the debt sustainable and the budget lawful every year (``constraints.py``): :func:`check_policy`.
4. A real budget (``lanester.py``): :func:`lanester_2019_lines`, :func:`lanester_2019`, :func:`lanester_2019_tax_split`,
   :data:`LANESTER_TRENDS`, :func:`lanester_dgf`, :func:`lanester_capital_programme`.
   A learner's own commune from its published accounts (``own_commune.py``): :func:`commune_budget`.
5. Participatory budgeting (``participatory.py``): :func:`avignon_2017_projects`, :func:`simulate_votes`,
   :func:`voter_sectors`, :func:`greedy_allocation`, :func:`equal_shares` (approval or cost utilities),
   :func:`allocation_table`; why Equal Shares funds what it funds: :func:`equal_shares_payments`,
   :func:`sector_shares`, :func:`share_spending_by_sector`, :func:`equal_shares_dropouts`; and how a rule's
   selection compares with a city's real list: :func:`compare_with_retained`.
"""

from .datasets import AVIGNON, AVIGNON_FILE, LANESTER, SLUG  # noqa: F401
from .indicators import (  # noqa: F401
    ALERT_LEVELS,
    RED_YEARS,
    REFERENCE_CEILING_YEARS,
    VIGILANCE_YEARS,
    Budget,
    alert_level,
    capacity_ratio,
    debt_capacity_years,
    financing_gap,
    golden_rule_holds,
    gross_savings,
    is_golden_rule_respected,
    net_savings,
    with_estimated_debt,
)
from .constraints import CONSTRAINTS, Breach, check_policy  # noqa: F401
from .own_commune import ACCOUNT_FIELDS, commune_budget  # noqa: F401
from .lanester import (  # noqa: F401
    LANESTER_ASSUMED_REMAINING_YEARS,
    LANESTER_LINES,
    LANESTER_OTHER_TAXES,
    LANESTER_TRENDS,
    lanester_2019,
    lanester_2019_lines,
    lanester_2019_other_spending_change,
    lanester_2019_tax_split,
    lanester_capital_programme,
    lanester_dgf,
)
from .loans import (  # noqa: F401
    DEBT_ESTIMATE_RANGE,
    annuity,
    debt_schedule,
    estimate_outstanding_debt,
)
from .participatory import (  # noqa: F401
    CITY_WIDE,
    SECTOR_NAMES,
    UTILITIES,
    Allocation,
    _approvals,
    _costs,
    allocation_table,
    avignon_2017_projects,
    clean_sector,
    compare_with_retained,
    equal_shares,
    equal_shares_dropouts,
    equal_shares_payments,
    funded_by_sector,
    greedy_allocation,
    sector_shares,
    share_spending_by_sector,
    simulate_votes,
    vote_counts,
    voter_sectors,
)
from .projection import (  # noqa: F401
    GROWTH_FIELDS,
    PROJECTION_COLUMNS,
    Policy,
    project_budget,
)
