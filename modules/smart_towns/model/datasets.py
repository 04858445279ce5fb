"""Where the datasets of the smart-towns module live.

Avignon's counters and Montréal's weather are in ``modules/smart_towns/data/``; Montréal's bicycle
counts are shared with the open data module, in ``modules/open_data/data/``.
"""

SLUG = "smart_towns"
COUNTERS = "avignon_compteurs_velos_pietons"
COUNTERS_FILE = "avi_eco_compteurs_data_jour_2021.csv"
WEATHER = "montreal_meteo_2012"
WEATHER_FILE = "weather_2012.csv"
BIKES_SLUG = "open_data"
BIKES = "montreal_comptage_velo_2012"
BIKES_FILE = "bikes.csv"
