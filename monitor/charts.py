"""Plotly figures: measurements against the straight path from baseline to target."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from monitor.formatting import fmt_value
from monitor.periods import parse_period
from monitor.progress import Progress
from monitor.store import Measurement

REAL_COLOUR = "#1f4e79"
EXAMPLE_COLOUR = "#c77c02"
PATH_COLOUR = "#7f7f7f"
TARGET_COLOUR = "#2e7d32"


def _x(period) -> date:
    """Plot a period at its middle, so a year's figure sits between its own year ticks."""
    return period.start + (period.end - period.start) / 2


def _hover(m: Measurement, wijk_name: str = "") -> str:
    where = f"{wijk_name}<br>" if wijk_name else ""
    example = "<br><i>voorbeelddata</i>" if m.is_example else ""
    return f"{where}{m.period.label}: {fmt_value(m.waarde, m.eenheid)}<br>{m.bron}{example}"


def progress_figure(progress: Progress, measurements: list[Measurement], wijken: dict[str, str]) -> go.Figure:
    indicator = progress.indicator
    figure = go.Figure()
    if indicator.elke_wijk and any(m.wijk_code for m in measurements):
        _add_wijk_lines(figure, measurements, wijken)
    else:
        _add_series(figure, [m for m in measurements if not m.wijk_code])
    _add_path(figure, progress)
    figure.update_layout(
        separators=",.",
        height=300,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "y": -0.2},
        yaxis={"title": indicator.eenheid, "tickformat": ",~f"},
        hovermode="closest",
        xaxis={"ticklabelmode": "period", "dtick": "M12", "tickformat": "%Y"},
    )
    return figure


def _add_series(figure: go.Figure, measurements: list[Measurement]) -> None:
    for example, name, colour, symbol in ((False, "meting", REAL_COLOUR, "circle"),
                                          (True, "voorbeelddata", EXAMPLE_COLOUR, "circle-open")):
        points = [m for m in measurements if m.is_example == example]
        if not points:
            continue
        figure.add_trace(go.Scatter(
            x=[_x(m.period) for m in points], y=[m.waarde for m in points], name=name,
            mode="lines+markers", line={"color": colour}, marker={"symbol": symbol, "size": 9},
            hovertext=[_hover(m) for m in points], hoverinfo="text",
        ))


def _add_wijk_lines(figure: go.Figure, measurements: list[Measurement], wijken: dict[str, str]) -> None:
    for code in sorted({m.wijk_code for m in measurements if m.wijk_code}):
        points = [m for m in measurements if m.wijk_code == code]
        name = wijken.get(code, code)
        example = " (voorbeelddata)" if any(m.is_example for m in points) else ""
        figure.add_trace(go.Scatter(
            x=[_x(m.period) for m in points], y=[m.waarde for m in points], name=f"{name}{example}",
            mode="lines+markers", hovertext=[_hover(m, name) for m in points], hoverinfo="text",
        ))


def _add_path(figure: go.Figure, progress: Progress) -> None:
    indicator = progress.indicator
    if progress.target_value is None or progress.target_period is None:
        return
    target_x = _x(indicator.target_period)
    if progress.baseline_value is not None and progress.baseline_period:
        figure.add_trace(go.Scatter(
            x=[_x(parse_period(progress.baseline_period)), target_x], y=[progress.baseline_value, progress.target_value], name="pad naar doel",
            mode="lines", line={"color": PATH_COLOUR, "dash": "dash"}, hoverinfo="skip",
        ))
    figure.add_trace(go.Scatter(
        x=[target_x], y=[progress.target_value], name=f"doel {indicator.target_period.label}", mode="markers",
        marker={"symbol": "star", "size": 14, "color": TARGET_COLOUR},
        hovertext=[f"Doel {indicator.target_period.label}: {fmt_value(progress.target_value, indicator.eenheid)}"],
        hoverinfo="text",
    ))
