"""Where the datasets of the project-management module live (``modules/project_management/data/``)."""

SLUG = "project_management"
ROADWORKS = "avignon_arretes_travaux"
ROADWORKS_FILE = "84007-travauxArretes.csv"
