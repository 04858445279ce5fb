"""Interactive simulations of module 3, built on :mod:`modules.smart_towns.model`.

Each simulation receives model inputs (it never reads a file), builds its controls, draws once, and
then, at every change of a control, asks the model for the new result, moves the existing plot
artists (``set_data``, ``set_height``, ``set_xy``, ``set_text``) and calls
:meth:`modules.common.views.widgets.FigureView.refresh`. Nothing is replotted, and the views compute
nothing the model computes: the anomalies, the maturity scores and the energy all come from the model.

- :class:`CounterExplorer`: choose a counter channel of Avignon, a period and an aggregation (day,
  week, month); read the counts with the days that the model's anomaly rule flags, and the rule.
- :class:`MaturityAssessment`: answer the 18 questions of the digital-maturity self-assessment; read
  the score of each dimension on a radar chart, the model's verdict and its recommendations.
- :class:`LightingSimulator`: set a dimming schedule, the LED power, the electricity price, the
  emission factor and the investment; read the monthly energy before and after, and the yearly
  energy, cost, CO2 and payback.

Display a simulation by making ``simulator.widget`` the last expression of a notebook cell.
Tests and scripts read the current model output (``explorer.series``, ``explorer.anomalies``,
``assessment.result``, ``simulator.result``), the plotted artists, ``simulator.verdict.value`` and
``simulator.describe()`` (the alt text).
"""

from __future__ import annotations

import html
import math
from dataclasses import replace
from typing import Mapping, Sequence

import ipywidgets as widgets
import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from modules.common.i18n import N_, translator
from modules.common.views import plotting
from modules.common.views.widgets import DESCRIPTION_WIDTH, FigureView, alert_html, freeze_layout, slider, verdict
from modules.smart_towns import model
from modules.smart_towns.date_axis import localise_date_axis
from modules.smart_towns.model import wording

_ = translator(__name__)

#: Results kept per simulator, so that moving back to a setting is instant.
CACHE_SIZE = 256


def _thousands(number: float, decimals: int = 0) -> str:
    """``12345.6`` → ``'12 346'`` (the course's thousands separator; French style in French), with a real minus sign."""
    return wording.grouped(number, decimals)


def _list(items: Sequence[str]) -> str:
    """``['a', 'b', 'c']`` → ``'a, b and c'`` (``'a, b et c'`` in French)."""
    return wording.listing(items)


def _clock(hour: float) -> str:
    """``22.5`` → ``'22:30'`` (24.0 → ``'24:00'``, the end of the day)."""
    minutes = int(round(float(hour) * 60))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _date(day) -> str:
    """``2021-07-15`` → ``'Thu 15 Jul 2021'`` (``'jeu. 15 juil. 2021'`` in French)."""
    return wording.short_day(day)


def _top(value: float) -> float:
    """A round top for a y axis starting at 0 that shows ``value``, with some room above it."""
    ticks = MaxNLocator(nbins=4).tick_values(0.0, max(float(value), 1e-9) * 1.06)
    return float(ticks[-1])




# ---------------------------------------------------------------------------------------------
# Counter explorer
# ---------------------------------------------------------------------------------------------

#: Aggregations of :func:`model.aggregate` (:data:`model.AGGREGATIONS`): key → label of the control
#: (translated with ``_`` where shown).
AGGREGATIONS = {"day": N_("Day"), "week": N_("Week"), "month": N_("Month")}
#: How each aggregation names one of its periods in texts (translated with ``_`` where shown).
PERIOD_WORDS = {"day": N_("day"), "week": N_("week (Monday to Sunday)"), "month": N_("month")}
#: The title of the counts chart, per aggregation ({label}: the channel).
_COUNT_TITLES = {"day": N_("{label}: count per day"), "week": N_("{label}: count per week"), "month": N_("{label}: count per month")}
#: The y label of the counts chart, per mode of the channel and aggregation.
_Y_LABELS = {
    ("bike", "day"): N_("Bicycles per day"), ("bike", "week"): N_("Bicycles per week"), ("bike", "month"): N_("Bicycles per month"),
    ("pedestrian", "day"): N_("Pedestrians per day"), ("pedestrian", "week"): N_("Pedestrians per week"),
    ("pedestrian", "month"): N_("Pedestrians per month"),
}
#: The x label of the counts chart, per aggregation.
_X_LABELS = {"day": N_("Day"), "week": N_("Week (marked at its Monday)"), "month": N_("Month (marked at its first day)")}
#: Markers of the flags of :func:`model.find_anomalies`, in the order the rule checks them. Shapes
#: differ as well as colours, so the flags stay apart in grey or with a colour-vision deficiency.
_STYLES = {
    "missing": dict(marker="X", color=plotting.PALETTE["black"], markersize=9),
    "dead": dict(marker="v", color=plotting.ALERT_COLOUR, markersize=9),
    "stuck": dict(marker="s", color=plotting.PALETTE["purple"], markersize=8),
    "low": dict(marker="D", color=plotting.PALETTE["orange"], markersize=7),
    "high": dict(marker="^", color=plotting.PALETTE["green"], markersize=9),
}
FLAG_STYLES = {flag: _STYLES[flag] for flag in model.FLAGS}
#: Most flagged days listed one by one under the chart (the summary counts them all).
LISTED_DAYS = 60


class CounterExplorer:
    """Explore Avignon's counters: a channel, a period, an aggregation, and the flagged days.

    Parameters
    ----------
    counts : pandas.DataFrame
        The tidy counts of :func:`model.load_counts` (columns ``day``, ``channel``, ``count``).
        The explorer reads nothing itself: pass the frame, or a part of it.
    channel : str
        Key of the channel shown first (one of :data:`model.CHANNEL_KEYS`).
    start, end : str or date, optional
        First and last month of the period shown first (``"2021-03"`` or any day of the month). By
        default the whole span of ``counts``.
    by : str
        Aggregation shown first: ``"day"``, ``"week"`` or ``"month"`` (:func:`model.aggregate`).
    name : str
        Name of the town, used in the title and the alt text.

    The anomalies are those of :func:`model.find_anomalies` on the channel's **whole** series, then
    kept inside the period: the expected count of a day uses the weeks around it even when they lie
    outside the period, so choosing a period never changes whether a day is flagged. A period that
    runs past the channel's data (a counter replaced in March) is cut to the days the channel has.

    ``series`` is the daily series of the period (:func:`model.channel_series`), ``aggregated`` the
    plotted series (:func:`model.aggregate`), ``anomalies`` the flagged days of the period;
    ``line`` is the plotted line and ``markers`` one line of markers per flag, at the plotted
    periods that hold a day with that flag (a period whose total is missing is marked on the x axis).
    """

    def __init__(
        self,
        counts: pd.DataFrame,
        channel: str = "daladier_pedestrians",
        start=None,
        end=None,
        by: str = "day",
        name: str = "Avignon",
    ):
        if not isinstance(counts, pd.DataFrame):
            raise TypeError(_("counts must be the frame of model.load_counts() (columns day, channel and count)."))
        missing = [column for column in ("day", "channel", "count") if column not in counts.columns]
        if missing:
            raise ValueError(_(
                "counts has no {columns} column: pass the frame of model.load_counts().", columns=_list([repr(c) for c in missing])
            ))
        if counts.empty:
            raise ValueError(_("counts is empty: pass the frame of model.load_counts(), which holds every day of 2021."))
        model.channel(channel)  # the model's message for an unknown channel
        if by not in AGGREGATIONS:
            raise ValueError(_(
                "There is no aggregation {by}: use {choices}.", by=repr(by), choices=", ".join(repr(key) for key in AGGREGATIONS)
            ))
        self.counts = counts
        self.name = name
        days = pd.DatetimeIndex(counts["day"])
        first, last = days.min().normalize(), days.max().normalize()
        months = pd.date_range(first.to_period("M").start_time, last, freq="MS")
        self.months = [month for month in months]
        options = [(wording.short_month_year(month), month) for month in self.months]
        start_index = self._month_index(start, 0)
        end_index = self._month_index(end, len(self.months) - 1)
        if start_index > end_index:
            raise ValueError(_(
                "The period starts in {start} but ends in {end}: give a start that comes before the end.",
                start=wording.month_year(self.months[start_index]), end=wording.month_year(self.months[end_index]),
            ))
        self._span = {}  # channel → (first day, last day) of its data
        self._anomaly_cache: dict[str, pd.DataFrame] = {}
        self._series_cache: dict[str, pd.Series] = {}
        self.labels = {item.key: item.shown_label for item in model.CHANNELS}
        present = set(counts["channel"].unique())
        choices = [(item.shown_label, item.key) for item in model.CHANNELS if item.key in present]
        if channel not in present:
            raise ValueError(_("counts holds no row of the channel {channel}: choose one of the channels it holds.", channel=repr(channel)))
        style = {"description_width": DESCRIPTION_WIDTH}
        layout = widgets.Layout(width="36em", max_width="100%")
        self.channel_dropdown = widgets.Dropdown(options=choices, value=channel, description=_("Counter channel"), style=style, layout=layout)
        self.period_slider = widgets.SelectionRangeSlider(
            options=options, index=(start_index, end_index), description=_("Period (months)"), continuous_update=False, style=style, layout=layout
        )
        self.by_buttons = widgets.ToggleButtons(
            options=[(_(label), key) for key, label in AGGREGATIONS.items()],
            value=by,
            description=_("Total per"),
            tooltips=[_("The count of each day"), _("The sum of each week, Monday to Sunday"), _("The sum of each month")],
            style={"description_width": DESCRIPTION_WIDTH, "button_width": "6em"},
        )
        self.verdict = verdict()
        self.message = ""
        self._compute()
        self._build_figure()
        # The title and the axis labels change with the channel and the aggregation: they are moving
        # artists too, so the view never shows an old label over a new line.
        self.figure_view = FigureView(
            self.figure,
            self.describe,
            dynamic_artists=[self.line, *self.markers.values(), self.title, self.axes.xaxis.label, self.axes.yaxis.label],
        )
        self._update_text()
        for control in (self.channel_dropdown, self.period_slider, self.by_buttons):
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox(
            [
                widgets.HTML("<b>" + html.escape(_("Counters of {name}: counts and flagged days", name=name)) + "</b>"),
                self.channel_dropdown,
                self.period_slider,
                self.by_buttons,
                self.figure_view.widget,
                self.verdict,
            ]
        )

    # -- inputs --------------------------------------------------------------------------------
    def _month_index(self, value, default: int) -> int:
        if value is None:
            return default
        try:
            month = pd.Timestamp(value).to_period("M").start_time
        except (TypeError, ValueError):
            raise ValueError(_("The month {value} could not be read: give a month such as '2021-03'.", value=repr(value))) from None
        if month not in self.months:
            raise ValueError(_(
                "The month {month} is outside the counts, which run from {first} to {last}.",
                month=wording.month_year(month), first=wording.month_year(self.months[0]), last=wording.month_year(self.months[-1]),
            ))
        return self.months.index(month)

    @property
    def channel(self) -> str:
        """Key of the channel chosen in the menu."""
        return self.channel_dropdown.value

    @property
    def by(self) -> str:
        """The aggregation chosen: ``"day"``, ``"week"`` or ``"month"``."""
        return self.by_buttons.value

    @property
    def period(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """First and last day of the months chosen with the period slider."""
        first, last = self.period_slider.value
        return pd.Timestamp(first), pd.Timestamp(last) + pd.offsets.MonthEnd(0)

    def span(self, key: str) -> tuple[pd.Timestamp, pd.Timestamp]:
        """First and last day with a count of channel ``key`` (from the model's series)."""
        if key not in self._span:
            series = self.whole_series(key)
            self._span[key] = (series.index[0], series.index[-1])
        return self._span[key]

    # -- model ---------------------------------------------------------------------------------
    def whole_series(self, key: str) -> pd.Series:
        """The channel's daily series over all its data (:func:`model.channel_series`, cached)."""
        if key not in self._series_cache:
            self._series_cache[key] = model.channel_series(self.counts, key)
        return self._series_cache[key]

    def whole_anomalies(self, key: str) -> pd.DataFrame:
        """The flagged days of the channel's whole series (:func:`model.find_anomalies`, cached)."""
        if key not in self._anomaly_cache:
            self._anomaly_cache[key] = model.find_anomalies(self.whole_series(key))
        return self._anomaly_cache[key]

    def clear_cache(self) -> None:
        """Forget the series and anomalies already asked of the model (the benchmark measures the model)."""
        self._series_cache.clear()
        self._anomaly_cache.clear()
        self._span.clear()

    def _compute(self) -> None:
        """Ask the model for the period's series, its aggregation and its flagged days.

        When the period holds no count of the channel, ``message`` says so kindly and the series
        are empty: the chart is then cleared, not left showing another channel.
        """
        key, by = self.channel, self.by
        start, end = self.period
        first, last = self.span(key)
        shown_start, shown_end = max(start, first), min(end, last)
        self.shown_period = (shown_start, shown_end)
        self.message = ""
        try:
            if shown_start > shown_end:
                model.channel_series(self.counts, key, start.date(), end.date())  # raises the model's EmptyPeriodError
            self.series = model.channel_series(self.counts, key, shown_start.date(), shown_end.date())
        except ValueError as error:
            self.message = _(
                "Nothing to show for this period. {error} Choose other months with the period slider, or another "
                "channel: some counters were replaced during the year and only count for part of it.",
                error=error,
            )
            empty = pd.Series([], index=pd.DatetimeIndex([], name="day"), dtype=float, name=key)
            self.series, self.aggregated = empty, empty
            self.anomalies = self.whole_anomalies(key).iloc[0:0]
            self.cut = False
            return
        self.cut = (shown_start, shown_end) != (start, end)
        self.aggregated = model.aggregate(self.series, by)
        anomalies = self.whole_anomalies(key)
        self.anomalies = anomalies[(anomalies.index >= shown_start) & (anomalies.index <= shown_end)]

    def _on_change(self, change=None) -> None:
        self.update()

    def update(self) -> None:
        """Ask the model for the current settings, move the line and the markers, rewrite the text."""
        self._compute()
        self._redraw()
        self._update_text()

    # -- figure --------------------------------------------------------------------------------
    def _period_keys(self, days: pd.DatetimeIndex) -> np.ndarray:
        """A key of the plotted period that holds each of ``days`` (the day, its ISO week, or its month).

        The same keys are computed for the labels of the aggregated series, whether the model labels
        a week by its Monday or its Sunday, or a month by its first or last day.
        """
        days = pd.DatetimeIndex(days).normalize()
        if self.by == "week":
            days = days - pd.to_timedelta(days.day_of_week, unit="D")
        elif self.by == "month":
            days = days.to_period("M").start_time
        return days.to_numpy()

    def marker_positions(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """For each flag, the x (plotted period) and y (its value, 0 when missing) of its markers."""
        aggregated = self.aggregated
        keys = self._period_keys(aggregated.index)
        position = {key: i for i, key in enumerate(keys)}
        values = aggregated.to_numpy(dtype=float)
        x_values = aggregated.index.to_numpy()
        result = {}
        for flag in FLAG_STYLES:
            days = self.anomalies.index[self.anomalies["flag"] == flag]
            where = sorted({position[key] for key in self._period_keys(days) if key in position})
            x = x_values[where] if where else np.array([], dtype="datetime64[ns]")
            y = np.nan_to_num(values[where], nan=0.0) if where else np.array([], dtype=float)
            result[flag] = (x, y)
        return result

    def _build_figure(self) -> None:
        with matplotlib.rc_context(plotting.STYLE):
            # The title changes with the channel: a dynamic text, laid out once with the longest one.
            longest = max(self.labels.values(), key=len)
            figure, axes = plotting.new_figure(
                self._count_title("day", longest), _("Day"), _("Count per day"), size=(7.2, 4.2)
            )
            axes.set_title("")
            self.title = figure.suptitle(self._count_title("month", longest), fontweight="bold", fontsize=11)
        axes.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=8))
        axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(axes.xaxis.get_major_locator(), show_offset=False))
        localise_date_axis(axes.xaxis)
        self.line = axes.plot([], [], color=plotting.PALETTE["blue"], linewidth=1.4, marker="o", markersize=2.5, label=_("Count"))[0]
        self.markers = {
            flag: axes.plot([], [], linestyle="none", markeredgecolor="white", markeredgewidth=0.6, label=_(model.FLAG_NAMES[flag]), **style)[0]
            for flag, style in FLAG_STYLES.items()
        }
        axes.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=6, fontsize=9, borderaxespad=0.2, handlelength=1.6, frameon=False)
        axes.grid(axis="x", visible=False)
        self.axes = axes
        FigureCanvasAgg(figure)  # keep one canvas, so each render reuses its renderer and text cache
        figure.set_layout_engine("constrained", h_pad=0.06)
        self.figure = figure
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _thousands(value)))
        # For the layout: the widest tick labels expected, and date ticks right at both ends, whose
        # labels stick out of the axes (as they do when a period ends on the 31st).
        axes.set_xlim(pd.Timestamp(self.months[0]), pd.Timestamp(self.months[-1]) + pd.offsets.MonthBegin(1))
        axes.set_ylim(0, 900_000)
        axes.set_ylabel(self._y_label("pedestrian", "month"))
        freeze_layout(figure)
        self._set_artists()

    def _set_artists(self) -> None:
        """Move the line, the markers and the title to the current result; set the axes' limits."""
        aggregated, axes = self.aggregated, self.axes
        label = self.labels[self.channel]
        self.line.set_data(aggregated.index.to_numpy(), aggregated.to_numpy(dtype=float))
        for flag, (x, y) in self.marker_positions().items():
            self.markers[flag].set_data(x, y)
        if self.message:
            self.title.set_text(_("{label}: no count in this period", label=label))
        else:
            self.title.set_text(self._count_title(self.by, label))
        start, end = self.shown_period if not self.message else self.period
        pad = pd.Timedelta(days=1 if self.by == "day" else 4 if self.by == "week" else 12)
        x_limits = (mdates.date2num(start - pad), mdates.date2num(end + pad))
        if tuple(axes.get_xlim()) != x_limits:
            axes.set_xlim(*x_limits)
        values = aggregated.to_numpy(dtype=float)
        peak = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
        y_limits = (0.0, _top(peak))
        if tuple(axes.get_ylim()) != y_limits:
            axes.set_ylim(*y_limits)
        axes.set_ylabel(self._y_label(model.channel(self.channel).mode, self.by))
        axes.set_xlabel(_(_X_LABELS[self.by]))

    @staticmethod
    def _count_title(by: str, label: str) -> str:
        """The chart's title for a channel ``label`` and an aggregation ``by``, in the learner's language."""
        title = _COUNT_TITLES[by]
        return _(title, label=label)

    @staticmethod
    def _y_label(mode: str, by: str) -> str:
        """The y label for a channel ``mode`` (``"bike"``, ``"pedestrian"``) and an aggregation ``by``."""
        label = _Y_LABELS[mode, by]
        return _(label)

    def _redraw(self) -> None:
        self._set_artists()
        self.figure_view.refresh()

    def noun(self) -> str:
        """What the chosen channel counts: ``"bicycles"`` or ``"pedestrians"`` (:attr:`model.Channel.mode`)."""
        return _("bicycles") if model.channel(self.channel).mode == "bike" else _("pedestrians")

    # -- words ---------------------------------------------------------------------------------
    def flag_counts(self) -> dict[str, int]:
        """Number of flagged days of the period, per flag (flags never given are left out)."""
        counts = self.anomalies["flag"].value_counts()
        return {flag: int(counts[flag]) for flag in FLAG_STYLES if flag in counts.index}

    def _flag_phrase(self) -> str:
        counts = self.flag_counts()
        return _list([_("{number} {flag}", number=number, flag=_(model.FLAG_NAMES[flag])) for flag, number in counts.items()])

    def summary(self) -> str:
        """One or two plain sentences: the period shown and the flagged days it holds."""
        label = self.labels[self.channel]
        if self.message:
            return self.message
        start, end = self.shown_period
        days = len(self.series)
        counted = int(self.series.notna().sum())
        total = float(np.nansum(self.series.to_numpy(dtype=float)))
        values = dict(label=label, start=_date(start), end=_date(end), total=_thousands(total), counted=counted, days=days)
        if counted:
            text = _("{label}, {start} to {end}: {total} counted over {counted} of {days} days ({mean} a day on average).",
                     mean=_thousands(total / counted), **values)
        else:
            text = _("{label}, {start} to {end}: {total} counted over {counted} of {days} days.", **values)
        if self.cut:
            first, last = self.span(self.channel)
            text += " " + _("This channel only counts from {first} to {last}, so the period is cut to those days.",
                            first=_date(first), last=_date(last))
        flagged = len(self.anomalies)
        if flagged == 0:
            text += " " + _("The model flags no day in this period.")
        elif flagged == 1:
            text += " " + _("The model flags {number} day: {flags}.", number=flagged, flags=self._flag_phrase())
        else:
            text += " " + _("The model flags {number} days: {flags}.", number=flagged, flags=self._flag_phrase())
        if self.by == "week":
            text += " " + _(
                "The markers show the weeks that hold a flagged day. A week with a day missing, or cut by the "
                "ends of the period, has no total (a gap in the line); its marker sits at 0."
            )
        elif self.by == "month":
            text += " " + _(
                "The markers show the months that hold a flagged day. A month with a day missing, or cut by the "
                "ends of the period, has no total (a gap in the line); its marker sits at 0."
            )
        return text

    def _period_name(self, label) -> str:
        """How the text names a plotted period: ``'Thu 15 Jul 2021'``, ``'the week of Mon 12 Jul 2021'``, ``'July 2021'``."""
        label = pd.Timestamp(label)
        if self.by == "week":
            return _("the week of {day}", day=_date(label))
        if self.by == "month":
            return wording.month_year(label)
        return _date(label)

    def _rows(self) -> str:
        rows = []
        for day, row in self.anomalies.iloc[:LISTED_DAYS].iterrows():
            count = _("none") if pd.isna(row["count"]) else _thousands(row["count"])
            expected = _("n/a") if pd.isna(row["expected"]) else _thousands(row["expected"])
            flag = model.flag_name(row["flag"])
            rows.append(
                f"<tr><td style='white-space:nowrap'>{html.escape(_date(day))}</td><td>{html.escape(flag)}</td>"
                f"<td style='text-align:right'>{count}</td><td style='text-align:right'>{expected}</td>"
                f"<td>{html.escape(str(row['reason']))}</td></tr>"
            )
        return "".join(rows)

    def _update_text(self) -> None:
        if self.message:
            self.verdict.value = alert_html(self.message)
            return
        parts = [f'<p role="status">{html.escape(self.summary())}</p>']
        if len(self.anomalies):
            more = len(self.anomalies) - LISTED_DAYS
            if more > 0:
                caption = _("Flagged days (the first {listed}; {more} more are not listed)", listed=LISTED_DAYS, more=more)
            else:
                caption = _("Flagged days")
            headers = "".join(f"<th>{html.escape(_(header))}</th>" for header in (N_("Day"), N_("Flag"), N_("Count"), N_("Expected"), N_("Why")))
            parts.append(
                f'<div style="max-height:18em;overflow-y:auto"><table><caption>{html.escape(caption)}</caption>'
                f"<thead><tr>{headers}</tr></thead>"
                f"<tbody>{self._rows()}</tbody></table></div>"
            )
        rule = _("The rule.")
        parts.append(f"<p><b>{html.escape(rule)}</b> {html.escape(model.anomaly_rule())}</p>")
        self.verdict.value = "".join(parts)

    def describe(self) -> str:
        """Alt text of the figure, describing the current series and its flagged days."""
        label = self.labels[self.channel]
        if self.message:
            return _("Empty line chart: {label} has no count between {start} and {end}.",
                     label=label, start=_date(self.period[0]), end=_date(self.period[1]))
        values = self.aggregated.dropna()
        start, end = self.shown_period
        chart = dict(label=label, noun=self.noun(), period=_(PERIOD_WORDS[self.by]), start=_date(start), end=_date(end))
        if len(values):
            low, high = values.idxmin(), values.idxmax()
            text = _(
                "Line chart of {label}, {noun} counted per {period}, from {start} to {end}: lowest {low} ({low_period}), "
                "highest {high} ({high_period}), mean {mean}.",
                low=_thousands(values[low]), low_period=self._period_name(low), high=_thousands(values[high]),
                high_period=self._period_name(high), mean=_thousands(values.mean()), **chart,
            )
        else:
            period = _(PERIOD_WORDS[self.by]) if self.by != "week" else _("week")
            text = _("Line chart of {label}, {noun} counted per {period}, from {start} to {end}: no complete {by} to show.",
                     by=period, **chart)
        flagged = self._flag_phrase()
        text += " " + (_("Markers show the flagged days: {flags}.", flags=flagged) if flagged else _("No day is flagged."))
        return text


# ---------------------------------------------------------------------------------------------
# Maturity self-assessment
# ---------------------------------------------------------------------------------------------

#: Answer given to every question when the assessment starts without answers.
DEFAULT_ANSWER = 1


class MaturityAssessment:
    """Answer the digital-maturity questions and read the radar chart, the verdict and the advice.

    Parameters
    ----------
    questions : sequence of model.Question
        The questions to ask, by default :data:`model.QUESTIONS`. Their keys must be the model's
        (the model scores every question); their order and wording may differ (a translation).
    answers : mapping of question key → int, optional
        Starting answers on :data:`model.SCALE` (0–3). By default every answer is
        ``DEFAULT_ANSWER`` (1, "Just started").
    name : str
        Name of the territory assessed, used in the title and the alt text.

    ``result`` is the current :class:`model.MaturityScore`; ``controls`` one set of buttons per
    question; ``line`` and ``area`` the radar's outline and its filled area (% of the best answers,
    one point per dimension of :data:`model.DIMENSIONS`).
    """

    def __init__(self, questions: Sequence["model.Question"] = model.QUESTIONS, answers: Mapping[str, int] | None = None, name: str | None = None):
        name = name if name is not None else _("your territory")
        questions = tuple(questions)
        for question in questions:
            if not isinstance(question, model.Question):
                raise TypeError(_("Each question must be a model.Question (see model.QUESTIONS), not {question}.", question=repr(question)))
        keys = [question.key for question in questions]
        expected = [question.key for question in model.QUESTIONS]
        if sorted(keys) != sorted(expected):
            missing = [key for key in expected if key not in keys]
            extra = [key for key in keys if key not in expected]
            details = "; ".join(
                part for part in (
                    _("missing: {keys}", keys=", ".join(missing)) if missing else "",
                    _("not questions of the model: {keys}", keys=", ".join(extra)) if extra else "",
                    _("some are given twice") if len(set(keys)) != len(keys) else "",
                ) if part
            )
            raise ValueError(_("Ask every question of model.QUESTIONS once, because the model scores them all ({details}).", details=details))
        self.questions = questions
        self.name = name
        start = {key: DEFAULT_ANSWER for key in keys}
        if answers is not None:
            if not isinstance(answers, Mapping):
                raise TypeError(_("answers must map question keys to answers 0–3, for example {'skills_staff': 2}."))
            start.update(answers)
        model.score(start)  # the model's own message for a wrong answer
        self.controls: dict[str, widgets.ToggleButtons] = {}
        rows = []
        for dimension in model.DIMENSIONS:
            rows.append(widgets.HTML("<b>" + html.escape(_(model.DIMENSION_LABELS[dimension])) + "</b>"))
            for number, question in enumerate(questions, start=1):
                if question.dimension != dimension:
                    continue
                control = widgets.ToggleButtons(
                    options=[(_("{value}: {label}", value=value, label=_(label)), value) for value, label in model.SCALE.items()],
                    value=int(start[question.key]),
                    description=_("Q{number}", number=number),
                    tooltips=[_("{label} ({value} of 3)", label=_(label), value=value) for value, label in model.SCALE.items()],
                    style={"description_width": "3em", "button_width": "8.5em"},
                )
                self.controls[question.key] = control
                asked = _("Q{number}. {question}", number=number, question=_(question.text))
                rows.append(widgets.HTML(f"<span>{html.escape(asked)}</span>"))
                rows.append(control)
        self.result = model.score(self.answers)
        self.verdict = verdict()
        self._build_figure()
        self.figure_view = FigureView(self.figure, self.describe, dynamic_artists=[self.area, self.line, *self.value_labels])
        self._update_text()
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox(
            [
                widgets.HTML("<b>" + html.escape(_("Digital maturity of {name}: a self-assessment", name=name)) + "</b>"),
                widgets.Box(
                    [
                        widgets.VBox(rows, layout=widgets.Layout(flex="1 1 30em", max_width="100%")),
                        widgets.VBox([self.figure_view.widget, self.verdict], layout=widgets.Layout(flex="1 1 26em", max_width="100%")),
                    ],
                    layout=widgets.Layout(display="flex", flex_flow="row wrap", align_items="flex-start"),
                ),
            ]
        )

    @property
    def answers(self) -> dict[str, int]:
        """The answers set with the buttons, question key → 0–3."""
        return {key: int(control.value) for key, control in self.controls.items()}

    def _on_change(self, change=None) -> None:
        self.update()

    def update(self) -> None:
        """Ask the model for the scores, move the radar's outline, rewrite the verdict."""
        self.result = model.score(self.answers)
        self._set_artists()
        self.figure_view.refresh()
        self._update_text()

    # -- figure --------------------------------------------------------------------------------
    def _angles(self) -> np.ndarray:
        return np.linspace(0, 2 * np.pi, len(model.DIMENSIONS), endpoint=False)

    def _closed(self) -> tuple[np.ndarray, np.ndarray]:
        """Angles and scores of the radar's outline, closed (the first point again at the end)."""
        angles = self._angles()
        scores = self.result.by_dimension.reindex(model.DIMENSIONS).to_numpy(dtype=float)
        return np.append(angles, angles[0]), np.append(scores, scores[0])

    def _build_figure(self) -> None:
        with matplotlib.rc_context(plotting.STYLE):
            figure = Figure(figsize=(5.4, 5.0), layout="constrained")
            axes = figure.add_subplot(projection="polar")
            figure.suptitle(_("Digital maturity of {name}\n(score of each dimension, % of the best answers)", name=self.name),
                            fontweight="bold", fontsize=11)
        axes.set_theta_offset(np.pi / 2)
        axes.set_theta_direction(-1)
        angles = self._angles()
        axes.set_xticks(angles, [_(model.DIMENSION_LABELS[d]).replace(" ", "\n", 1) for d in model.DIMENSIONS], fontsize=9)
        axes.set_ylim(0, 100)
        axes.set_yticks([25, 50, 75, 100], [wording.points(level) for level in (25, 50, 75, 100)], fontsize=8, color="#444444")
        axes.set_rlabel_position(180 / len(angles))
        circle = np.linspace(0, 2 * np.pi, 121)
        axes.plot(circle, np.full_like(circle, model.READY_LEVEL), color=plotting.ALERT_COLOUR, linestyle="--", linewidth=1.3,
                  label=_("Ready level ({level})", level=wording.points(model.READY_LEVEL)))
        x, y = self._closed()
        self.area = axes.fill(x, y, color=plotting.PALETTE["sky"], alpha=0.35)[0]
        self.line = axes.plot(x, y, color=plotting.PALETTE["blue"], marker="o", markersize=5, label=_("Score of the dimension"))[0]
        self.value_labels = [axes.text(angle, 0, "", ha="center", va="center", fontsize=8, fontweight="bold") for angle in angles]
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=2, fontsize=9, frameon=False)
        self.axes = axes
        FigureCanvasAgg(figure)  # keep one canvas, so each render reuses its renderer and text cache
        self.figure = figure
        freeze_layout(figure)
        self._set_artists()

    def _set_artists(self) -> None:
        x, y = self._closed()
        self.line.set_data(x, y)
        self.area.set_xy(np.column_stack([x, y]))
        for label, score in zip(self.value_labels, y[:-1]):
            label.set_text(f"{score:.0f}")
            # inside the outline near the centre, just outside it elsewhere: never off the chart
            label.set_position((label.get_position()[0], score + 9 if score <= 85 else score - 11))

    # -- words ---------------------------------------------------------------------------------
    def describe(self) -> str:
        """Alt text of the radar chart: the score of each dimension and the ready level."""
        scores = self.result.by_dimension
        parts = "; ".join(f"{_(model.DIMENSION_LABELS[d])} {wording.points(scores[d])}" for d in model.DIMENSIONS)
        return _(
            "Radar chart of the digital maturity of {name}, one axis per dimension from 0 to 100 % of the best "
            "answers: {parts}. A dashed circle marks the ready level of {ready}; overall {overall}.",
            name=self.name, parts=parts, ready=wording.points(model.READY_LEVEL), overall=wording.points(self.result.overall),
        )

    def _update_text(self) -> None:
        result = self.result
        colour = f"color:{plotting.ALERT_TEXT_COLOUR};" if result.gaps else ""
        parts = [f'<p style="{colour}font-size:1.05em" role="status">{html.escape(result.verdict)}</p>']
        if result.recommendations:
            items = "".join(
                "<li><b>" + html.escape(_(model.DIMENSION_LABELS[d])) + "</b> "
                + html.escape(_("({score}): {advice}", score=wording.points(result.by_dimension[d]), advice=text)) + "</li>"
                for d, text in zip(result.gaps, result.recommendations)
            )
            steps = _("First steps, one per dimension below {ready}:", ready=wording.points(model.READY_LEVEL))
            parts.append(f"<p>{html.escape(steps)}</p><ol>{items}</ol>")
        scale = ", ".join(f"{value} = {html.escape(_(label))}" for value, label in model.SCALE.items())
        note = _(
            "A dimension's score is the sum of its answers ÷ (3 × its questions), in %; the scale is {scale}. "
            "The equal weights and the {ready} level are the course's choices, not a standard.",
            scale=scale, ready=wording.points(model.READY_LEVEL),
        )
        parts.append(f"<p><small>{note}</small></p>")
        self.verdict.value = "".join(parts)


# ---------------------------------------------------------------------------------------------
# Street-lighting simulator
# ---------------------------------------------------------------------------------------------

#: Clock hours offered for the start and the end of dimming (every half hour; 24:00 is the end of the day).
HOURS = tuple(step / 2 for step in range(49))
#: Sliders of :class:`LightingSimulator`: name → (label, unit, minimum, maximum, step, readout format).
#: Labels and units are in English (marked with ``N_``) and shown in the learner's language.
SLIDERS = {
    "level": (N_("Dimmed level"), N_("% of full power"), 0.0, 100.0, 5.0, ".0f"),
    "led_watts": (N_("LED power per light point"), "W", 10.0, 150.0, 1.0, ".0f"),
    "tariff": (N_("Electricity price"), "€/kWh", 0.05, 0.50, 0.01, ".2f"),
    "emission": (N_("Emission factor"), "g CO2e/kWh", 0.0, 500.0, 1.0, ".0f"),
    "investment": (N_("Investment per light point"), "€", 0.0, 2_000.0, 25.0, ".0f"),
}
#: The twelve months, for the bars of the lighting chart.
_MONTH_STARTS = pd.date_range("2021-01-01", periods=12, freq="MS")


class LightingSimulator:
    """Simulate an LED retrofit with a dimming schedule: energy, cost, CO2 and payback over a year.

    Parameters
    ----------
    assumptions : model.LightingAssumptions
        The installation before and after, the tariff, the emission factor, the investment per light
        point, the place and the year (:class:`model.LightingAssumptions`). The sliders start from
        its values; the old installation, the place and the year stay as given.
    profile : model.Profile
        Starting dimming profile, with at most one step (``model.DIMMED_NIGHT`` by default:
        30 % from 22:00 to 06:00). ``model.FULL`` starts without dimming (level 100 %).
    name : str
        Name of the town, used in the title and the alt text.

    The sliders set one dimming step (start hour, end hour, level), the LED power, the tariff, the
    emission factor and the investment; the view turns them into ``model.Profile`` and
    ``model.LightingAssumptions`` and asks :func:`model.compare` for ``result`` and
    :func:`model.energy_by_day` for the monthly energy of the bars (``bars["before"]`` and
    ``bars["after"]``, MWh). A step that starts and ends at the same hour is refused with a
    message; the figures then show the LED lamps at full power all night.
    """

    def __init__(self, assumptions: "model.LightingAssumptions | None" = None, profile: "model.Profile" = model.DIMMED_NIGHT, name: str = "Avignon"):
        if assumptions is None:
            assumptions = model.LightingAssumptions()
        if not isinstance(assumptions, model.LightingAssumptions):
            raise TypeError(_("assumptions must be a model.LightingAssumptions(...), for example model.LightingAssumptions()."))
        if not isinstance(profile, model.Profile):
            raise TypeError(_("profile must be a model.Profile, for example model.DIMMED_NIGHT or model.FULL."))
        if len(profile.steps) > 1:
            raise ValueError(_(
                "The simulator sets one dimming step, but this profile has {steps} ({description}): "
                "pass a profile with one step, or compare several steps with model.compare directly.",
                steps=len(profile.steps), description=profile.description,
            ))
        self.assumptions = assumptions
        self.name = name
        start, end, level = profile.steps[0] if profile.steps else (22.0, 6.0, 1.0)
        for label, hour in ((N_("start"), start), (N_("end"), end)):
            if hour * 2 != round(hour * 2):
                raise ValueError(_(
                    "The dimming {which} hour {hour} is not on the half hour: the hour sliders move by half hours.",
                    which=_(label), hour=_clock(hour),
                ))
        values = {
            "level": level * 100,
            "led_watts": assumptions.new.watts_per_point,
            "tariff": assumptions.tariff_eur_per_kwh,
            "emission": assumptions.emission_g_per_kwh,
            "investment": assumptions.investment_eur_per_point,
        }
        style = {"description_width": DESCRIPTION_WIDTH}
        layout = widgets.Layout(width="36em", max_width="100%")
        self.start_slider = widgets.SelectionSlider(
            options=[(_clock(hour), hour) for hour in HOURS], value=float(start), description=_("Dimming starts (clock time)"),
            continuous_update=False, style=style, layout=layout,
        )
        self.end_slider = widgets.SelectionSlider(
            options=[(_clock(hour), hour) for hour in HOURS], value=float(end), description=_("Dimming ends (clock time)"),
            continuous_update=False, style=style, layout=layout,
        )
        self.sliders: dict[str, widgets.FloatSlider] = {}
        for key, (label, unit, low, high, step, fmt) in SLIDERS.items():
            value = values[key]
            if not low <= value <= high:
                raise ValueError(_(
                    "The starting {what} is {value} {unit}, outside the slider's range {low}–{high} {unit}: "
                    "give an assumption inside it.",
                    what=_(label).lower(), value=wording.short(value), unit=_(unit), low=wording.short(low), high=wording.short(high),
                ))
            self.sliders[key] = slider(_(label), float(value), low, high, step, unit=_(unit), readout_format=fmt)
        self.days = model.days_of_year(assumptions.year)
        self._months = self.days.month.to_numpy()
        self.before_monthly = self._monthly(model.energy_by_day(assumptions.old, model.FULL, self.days, assumptions.place))
        self._cache: dict[tuple, tuple] = {}
        self.message = ""
        self.verdict = verdict()
        self.assumption_box = widgets.HTML()
        self._compute()
        self._build_figure()
        self.figure_view = FigureView(self.figure, self.describe, dynamic_artists=[*self.bars["after"], self.cut_label])
        self._update_text()
        for control in (self.start_slider, self.end_slider, *self.sliders.values()):
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox(
            [
                widgets.HTML("<b>" + html.escape(_(
                    "Street lighting of {name}: LED lamps and a dimming schedule, {year}", name=name, year=assumptions.year
                )) + "</b>"),
                self.start_slider,
                self.end_slider,
                *self.sliders.values(),
                self.verdict,
                self.figure_view.widget,
                self.assumption_box,
            ]
        )

    # -- inputs --------------------------------------------------------------------------------
    def _monthly(self, energy: pd.Series) -> np.ndarray:
        """Energy per calendar month, MWh (12 values), from the model's energy per night (kWh)."""
        return np.bincount(self._months - 1, weights=energy.to_numpy(dtype=float), minlength=12) / 1000

    @property
    def step(self) -> tuple[float, float, float]:
        """The dimming step set with the sliders: (start hour, end hour, level 0–1)."""
        return float(self.start_slider.value), float(self.end_slider.value), float(self.sliders["level"].value) / 100

    def current_assumptions(self) -> "model.LightingAssumptions":
        """The assumptions with the LED power, tariff, emission factor and investment set by the sliders."""
        base = self.assumptions
        return replace(
            base,
            new=model.Installation(base.new.points, float(self.sliders["led_watts"].value)),
            tariff_eur_per_kwh=float(self.sliders["tariff"].value),
            emission_g_per_kwh=float(self.sliders["emission"].value),
            investment_eur_per_point=float(self.sliders["investment"].value),
        )

    def profile(self) -> "model.Profile":
        """The dimming profile of the sliders (:class:`model.Profile`); ValueError with a message for a step of no length."""
        start, end, level = self.step
        if start % 24 == end % 24:
            raise ValueError(_(
                "Dimming starts and ends at the same time ({time}), so it would never dim. Move the end "
                "to a later hour (for example 06:00 for a dimmed night), or set the dimmed level to 100 % for no dimming.",
                time=_clock(start),
            ))
        if level == 1:
            return model.FULL
        return model.Profile(((start, end, level),))

    # -- model ---------------------------------------------------------------------------------
    def _compute(self) -> None:
        assumptions = self.current_assumptions()
        self.message = ""
        try:
            profile = self.profile()
        except ValueError as error:
            self.message = _("{error} Until then the figures show the LED lamps at full power all night.", error=error)
            profile = model.FULL
        self.current = assumptions
        self.profile_used = profile
        key = (profile, assumptions)
        if key not in self._cache:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            energy = model.energy_by_day(assumptions.new, profile, self.days, assumptions.place)
            self._cache[key] = (model.compare(assumptions, profile), self._monthly(energy))
        self.result, self.after_monthly = self._cache[key]

    def _on_change(self, change=None) -> None:
        self.update()

    def update(self) -> None:
        """Ask the model for the year, resize the bars, rewrite the verdict and the assumptions."""
        self._compute()
        self._set_artists()
        self.figure_view.refresh()
        self._update_text()

    # -- figure --------------------------------------------------------------------------------
    def _build_figure(self) -> None:
        with matplotlib.rc_context(plotting.STYLE):
            figure, axes = plotting.new_figure(
                _("Street lighting of {name}: energy per month, {year}", name=self.name, year=self.assumptions.year),
                _("Month"), _("Energy (MWh per month)"), size=(7.0, 4.0)
            )
            axes.set_title(axes.get_title(), y=1.0)  # fixed position: no search for overlaps at each render
        positions = np.arange(12)
        self.bars = {
            "before": axes.bar(positions - 0.2, self.before_monthly, width=0.4, color=plotting.PALETTE["orange"],
                               label=_("Before: {watts} W lamps, full power", watts=wording.short(self.assumptions.old.watts_per_point))),
            "after": axes.bar(positions + 0.2, self.after_monthly, width=0.4, color=plotting.PALETTE["blue"], label=_("After: LED with the schedule")),
        }
        axes.set_xticks(positions, [wording.month_abbreviation(month.month) for month in _MONTH_STARTS], fontsize=9)
        axes.grid(axis="x", visible=False)
        axes.yaxis.set_major_locator(MaxNLocator(nbins=5))
        axes.legend(loc="upper center", ncol=2, fontsize=9, frameon=False)
        self.cut_label = axes.text(0.5, 0.84, "", transform=axes.transAxes, ha="center", va="top", fontsize=10, fontweight="bold")
        # The axis is sized once for the largest monthly energy the sliders can give (the widest LED
        # at full power), above the legend: moving a slider never changes it.
        strongest = model.Installation(self.assumptions.new.points, SLIDERS["led_watts"][3])
        most = self._monthly(model.energy_by_day(strongest, model.FULL, self.days, self.assumptions.place))
        axes.set_ylim(0, _top(max(self.before_monthly.max(), most.max()) * 1.25))
        axes.set_xlim(-0.6, 11.6)
        self.axes = axes
        FigureCanvasAgg(figure)  # keep one canvas, so each render reuses its renderer and text cache
        self.figure = figure
        freeze_layout(figure)
        self._set_artists()

    def _set_artists(self) -> None:
        for bar, height in zip(self.bars["after"], self.after_monthly):
            bar.set_height(height)
        self.cut_label.set_text(_("{cut} less energy over the year", cut=wording.points(self.result.energy_cut * 100)))

    # -- words ---------------------------------------------------------------------------------
    def describe(self) -> str:
        """Alt text of the bar chart: the energy of each month before and after, and the cut."""
        parts = "; ".join(
            _("{month} {before} and {after}", month=wording.month_abbreviation(month.month),
              before=wording.decimal(before), after=wording.decimal(after))
            for month, before, after in zip(_MONTH_STARTS, self.before_monthly, self.after_monthly)
        )
        return _(
            "Bar chart of the energy used by the street lighting of {name} in each month of {year}, "
            "before (old lamps at full power) and after (LED lamps, {profile}), in MWh: {parts}. "
            "Over the year {before} MWh before and {after} MWh after, {cut} less.",
            name=self.name, year=self.assumptions.year, profile=self.profile_used.description, parts=parts,
            before=_thousands(self.result.energy_before_kwh / 1000), after=_thousands(self.result.energy_after_kwh / 1000),
            cut=wording.points(self.result.energy_cut * 100),
        )

    def figures(self) -> list[tuple[str, str, str]]:
        """The year's figures before and after: (what, before, after), formatted with their units."""
        r = self.result
        return [
            (_("Energy"), f"{_thousands(r.energy_before_kwh / 1000)} MWh", f"{_thousands(r.energy_after_kwh / 1000)} MWh"),
            (_("Cost"), f"{_thousands(r.cost_before_eur)} €", f"{_thousands(r.cost_after_eur)} €"),
            (_("CO2e"), f"{_thousands(r.co2_before_kg / 1000, 1)} t", f"{_thousands(r.co2_after_kg / 1000, 1)} t"),
        ]

    def _update_text(self) -> None:
        r = self.result
        rows = "".join(
            f"<tr><td>{html.escape(what)}</td><td style='text-align:right'>{before}</td><td style='text-align:right'>{after}</td></tr>"
            for what, before, after in self.figures()
        )
        if math.isfinite(r.payback_years):
            payback = _("{years} years", years=wording.decimal(r.payback_years))
        else:
            payback = _("never (no saving)")
        caption, before, after = _("One year of lighting"), _("Before"), _("After")
        summary = _(
            "Savings {savings} € a year; investment {investment} €; simple payback {payback}.",
            savings=_thousands(r.savings_eur), investment=_thousands(r.investment_eur), payback=payback,
        )
        table = (
            f"<table><caption>{html.escape(caption)}</caption><thead><tr><th></th><th>{html.escape(before)}</th>"
            f"<th>{html.escape(after)}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            f"<p>{html.escape(summary)}</p>"
        )
        message = alert_html(self.message) if self.message else ""
        self.verdict.value = f'{message}<p style="font-size:1.05em" role="status">{html.escape(r.verdict)}</p>{table}'
        self.assumption_box.value = self.assumptions_html()

    def assumptions_html(self) -> str:
        """Every assumption of the current result, with its source or marked as an assumption (HTML)."""
        a = self.current
        base = self.assumptions
        items = [
            _("Light points: {before} before, {after} after (assumption: a town of about {people} people).",
              before=_thousands(a.old.points), after=_thousands(a.new.points), people=_thousands(10_000)),
            _("Old lamps: {watts} W per point, lamp and ballast (assumption: sodium lamps).", watts=wording.short(a.old.watts_per_point)),
            _("LED lamps: {watts} W per point (slider; the model's default, {default} W, "
              "is an assumption inside the 60–70 % savings that sector sources quote).",
              watts=wording.short(a.new.watts_per_point), default=wording.short(base.new.watts_per_point)),
            _("Lamps on from sunset to sunrise at {place}, every night of {year} (a photocell); "
              "{profile} after the retrofit, full power before.",
              place=html.escape(a.place.name), year=a.year, profile=html.escape(self.profile_used.description)),
            _("Electricity price: {price} € per kWh (assumption; tariffs vary by contract and year).",
              price=wording.decimal(a.tariff_eur_per_kwh, 2)),
            _("Emission factor: {factor} g CO2e per kWh (assumption: the RTE figure for electricity produced "
              "in France in 2023 is 32; an inventory must use Base Carbone's consumption factor, not retrieved here).",
              factor=wording.short(a.emission_g_per_kwh)),
            _("Investment: {amount} € per light point (assumption, unconfirmed).", amount=_thousands(a.investment_eur_per_point)),
            _("Simple payback = investment ÷ yearly savings: no discounting, maintenance or change of price."),
        ]
        summary = _("Assumptions of these figures")
        return f"<details open><summary>{summary}</summary><ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul></details>"
