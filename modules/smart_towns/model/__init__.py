"""Smart towns as pure functions: counter data, weather effects, digital maturity, street lighting.

Everything here is plain Python, numpy and pandas: no widget and no plotting, so each function can
be tested, graded and reused outside Jupyter. Counts are per day; energy in kWh, money in euros (€),
emissions in kg of CO2 equivalent, hours in clock hours of the town's time zone.

Contents, in the order of the lessons (one file each, all importable from here):

1. Counters (``counters.py``): :class:`Channel`, :data:`CHANNELS` (the 17 logical channels of Avignon's
   counters, totals marked), :func:`load_counts` / :func:`clean_counts` (tidy daily counts, replaced
   channels merged), :func:`channel_series` (every calendar day, gaps as NaN), :func:`daily_table`,
   :func:`weekday_profile`, :func:`monthly_profile`, :func:`weekday_weekend_ratio`, :func:`aggregate`,
   :func:`speed_band_shares`, :func:`total_mismatches`.
2. Outages and anomalies (``anomalies.py``): :data:`ANOMALY_RULE` (the one statement of the rule),
   :func:`expected_counts`, :func:`find_anomalies`, :func:`outage_days`, :func:`without_anomalies`.
3. Weather (``weather.py``): :func:`load_weather`, :func:`load_montreal_bikes`, :func:`daily_weather`,
   :func:`join_counts_weather`, :func:`rain_effect` (:class:`RainEffect`, naive and within month × kind
   of day), :func:`temperature_effect` (:class:`TemperatureEffect`, over the year and within months).

4. Digital maturity (``maturity.py``): :data:`DIMENSIONS`, :class:`Question`, :data:`QUESTIONS` (18, three
   per dimension), :data:`SCALE`, :func:`score` returning a :class:`MaturityScore` (scores by dimension,
   gaps, recommendations, verdict), :data:`RECOMMENDATIONS`.
5. Street lighting (``lighting.py``): :class:`Place` (:data:`AVIGNON`), :func:`nights` (dusk, dawn and
   length of every night), :class:`Profile` (:data:`FULL`, :data:`DIMMED_NIGHT`, :data:`SWITCH_OFF`),
   :class:`Installation`, :func:`energy_by_day`, :class:`LightingAssumptions`, :func:`compare` returning
   a :class:`LightingResult` (energy, cost, CO2, savings, payback).
6. The graded dimming schedule (``schedule.py``): :class:`Schedule` (weekday × month, "full" or
   "dimmed"), :func:`check_schedule` returning a :class:`ScheduleCheck`, :data:`BUSY_PEDESTRIANS`,
   :data:`MIN_ENERGY_CUT`.
"""

from .datasets import (  # noqa: F401
    BIKES,
    BIKES_FILE,
    BIKES_SLUG,
    COUNTERS,
    COUNTERS_FILE,
    SLUG,
    WEATHER,
    WEATHER_FILE,
)
from .counters import (  # noqa: F401
    AGGREGATIONS,
    CHANNEL_KEYS,
    CHANNELS,
    DIRECTIONS,
    MONTHS,
    SPEED_BANDS,
    WEEKDAYS,
    Channel,
    EmptyPeriodError,
    UnknownChannelError,
    aggregate,
    channel,
    channel_series,
    clean_counts,
    daily_table,
    load_counts,
    monthly_profile,
    speed_band_shares,
    total_mismatches,
    weekday_profile,
    weekday_weekend_ratio,
)
from .anomalies import (  # noqa: F401
    ANOMALY_RULE,
    FLAG_NAMES,
    FLAGS,
    HIGH_RATIO,
    LOW_RATIO,
    MIN_EXPECTED,
    OUTAGE_FLAGS,
    STUCK_DAYS,
    WINDOW_WEEKS,
    anomaly_rule,
    expected_counts,
    find_anomalies,
    flag_name,
    outage_days,
    without_anomalies,
)
from .weather import (  # noqa: F401
    EMPTY_PATHS,
    RAIN_WORDS,
    RAINY_DAY_HOURS,
    SNOW_WORDS,
    RainEffect,
    TemperatureEffect,
    daily_weather,
    join_counts_weather,
    load_montreal_bikes,
    load_weather,
    rain_effect,
    temperature_effect,
)

from .maturity import (  # noqa: F401
    DIMENSION_LABELS,
    DIMENSIONS,
    QUESTIONS,
    READY_LEVEL,
    RECOMMENDATIONS,
    SCALE,
    MaturityScore,
    Question,
    score,
)
from .lighting import (  # noqa: F401
    AVIGNON,
    DIMMED_NIGHT,
    FULL,
    SUN_ALTITUDE,
    SWITCH_OFF,
    Installation,
    LightingAssumptions,
    LightingResult,
    Place,
    Profile,
    compare,
    days_of_year,
    energy_by_day,
    nights,
)
from .schedule import (  # noqa: F401
    BUSY_PEDESTRIANS,
    CHOICES,
    MIN_ENERGY_CUT,
    PROFILES,
    Schedule,
    ScheduleCheck,
    check_schedule,
)
