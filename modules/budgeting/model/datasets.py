"""Where the datasets of the budgeting module live (``modules/budgeting/data/``)."""

SLUG = "budgeting"
LANESTER = "lanester_budget_primitif_2019"
AVIGNON = "avignon_budget_participatif_2017"
AVIGNON_FILE = "84007-budgetParticipatif2017.csv"
