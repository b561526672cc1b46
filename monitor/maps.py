"""Maps of the wijken, drawn without any network access, and the table beside each map for readers who cannot use
colour.

go.Choroplethmap with the style "white-bg" draws the wijk polygons from data/geo/ on an empty background: no tile
source, so the browser fetches nothing. go.Choropleth (the geo subplot) is no option offline: plotly.js fetches a
world outline from its CDN for every geojson choropleth, even with the base map hidden, and without it draws no map.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache

import pandas as pd
import plotly.graph_objects as go

from monitor.catalogue import COMPARATOR_LABELS
from monitor.formatting import MISSING, fmt_value
from monitor.progress import meets
from monitor.store import PROJECT_DIR
from monitor.suppression import HIDDEN

GEOJSON_FILE = PROJECT_DIR / "data" / "geo" / "wijken_heemskerk.geojson"
GEOMETRY_NOTE = ("Wijkgrenzen: CBS en Kadaster via PDOK, vereenvoudigd door cartomap (CC BY 4.0). De grenzen zijn "
                 "sterk vereenvoudigd (Wijk 01 Heemskerk-Dorp is een driehoek): de kaart laat zien waar een wijk ligt, "
                 "niet de precieze grens. Elke kaart heeft een tabel ernaast met dezelfde cijfers.")
# Blues without its white end, so that the lowest figure still stands out from the empty background.
COLOUR_SCALE = [[0, "#deebf7"], [0.5, "#6baed6"], [1, "#08306b"]]
NO_FIGURE_COLOUR = "#b3b3b3"
BORDER_COLOUR = "#595959"
FAILING_COLOUR = "#c62828"
TRANSPARENT = "rgba(0,0,0,0)"
UNKNOWN_WIJK = "wijk onbekend"
# plotly.js does not fit a map to choroplethmap traces (map.fitbounds only looks at points), so the view is computed
# here for a map area of at least this size: a column of 3/5 of the page beside the table, or a narrow window.
MAP_HEIGHT = 400
VIEW_PIXELS = (400, 250)  # width, height in screen pixels that must hold the wijken
TABLE_COLUMNS = ("wijk_code", "waarde", "label")  # every other column of `values` is shown as it is in the table


@dataclass(frozen=True)
class Threshold:
    """A ceiling (at_most) or floor (at_least) target that every wijk must meet."""

    comparator: str
    value: float
    unit: str

    @property
    def text(self) -> str:
        return f"{COMPARATOR_LABELS[self.comparator]} {fmt_value(self.value, self.unit)}"

    def fails(self, waarde: float) -> bool:
        return not meets(self.comparator, waarde, self.value)


@cache
def wijk_geojson() -> dict:
    return json.loads(GEOJSON_FILE.read_text(encoding="utf-8"))


def wijk_names() -> dict[str, str]:
    """CBS wijk code → CBS name, from the geometry file."""
    return {f["properties"]["statcode"]: f["properties"]["statnaam"] for f in wijk_geojson()["features"]}


def has_geometry(values: pd.DataFrame) -> bool:
    return bool(set(values["wijk_code"]) & set(wijk_names()))


def _positions(coordinates: list) -> list[list[float]]:
    """Every [lon, lat] of a Polygon's or MultiPolygon's coordinates."""
    if coordinates and isinstance(coordinates[0], (int, float)):
        return [coordinates]
    return [position for part in coordinates for position in _positions(part)]


def _view(codes: list[str]) -> dict:
    """Centre and zoom that show the wijken with these codes (MapLibre: the world is 512 * 2**zoom pixels wide)."""
    points = [point for f in wijk_geojson()["features"] if f["properties"]["statcode"] in codes
              for point in _positions(f["geometry"]["coordinates"])]
    lons, lats = [p[0] for p in points], [p[1] for p in points]

    def mercator(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    width, height = VIEW_PIXELS
    span_x = (max(lons) - min(lons)) / 360
    span_y = (mercator(max(lats)) - mercator(min(lats))) / (2 * math.pi)
    zoom = min(math.log2(width / 512 / span_x) if span_x else 18, math.log2(height / 512 / span_y) if span_y else 18)
    middle = (mercator(max(lats)) + mercator(min(lats))) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(middle)) - math.pi / 2)
    return {"center": {"lon": (max(lons) + min(lons)) / 2, "lat": centre_lat}, "zoom": round(zoom, 2)}


def _hover_value(label: str) -> str:
    if label == HIDDEN:
        return "x: niet getoond, zodat een klein aantal in een andere wijk niet terug te rekenen is"
    if label.startswith("<"):
        return f"{label}: klein aantal, niet getoond"
    if label == MISSING:
        return "geen cijfer"
    return label


def _hover(name: str, label: str, threshold: Threshold | None, waarde: float) -> str:
    text = f"<b>{name}</b><br>{_hover_value(label)}"
    if threshold is not None and pd.notna(waarde):
        verdict = "haalt het doel niet" if threshold.fails(waarde) else "haalt het doel"
        text += f"<br>{verdict} ({threshold.text})"
    return text


def _trace(rows: pd.DataFrame, hover: pd.Series, name: str, **style) -> go.Choroplethmap:
    return go.Choroplethmap(geojson=wijk_geojson(), featureidkey="properties.statcode",
                            locations=list(rows["wijk_code"]), hovertext=list(hover[rows.index]),
                            hovertemplate="%{hovertext}<extra></extra>", name=name, **style)


def _constant(colour: str) -> list[list]:
    return [[0, colour], [1, colour]]


def wijk_choropleth(values: pd.DataFrame, title: str, unit: str, threshold: Threshold | None = None) -> go.Figure:
    """A map of one figure per wijk. values: wijk_code, waarde (NaN = not shown) and label (the figure as text).

    Wijken without a figure, or with a hidden one, are grey with their label ("<5", "x", "–") on hover. With a
    threshold, wijken that fail it get a thick red border and say so on hover. Rows whose wijk is not in the geometry
    file are left out; at least one must be in it (has_geometry).
    """
    names = wijk_names()
    rows = values[values["wijk_code"].isin(names)]
    hover = pd.Series([_hover(names[r.wijk_code], r.label, threshold, r.waarde) for r in rows.itertuples()],
                      index=rows.index)
    shown = rows[rows["waarde"].notna()]
    border = {"line": {"color": BORDER_COLOUR, "width": 1}}
    view = _view(list(rows["wijk_code"]))
    figure = go.Figure()
    if not shown.empty:
        percent = unit == "%"
        figure.add_trace(_trace(shown, hover, title, z=list(shown["waarde"]), colorscale=COLOUR_SCALE, marker=border,
                                showscale=True, showlegend=False,
                                colorbar={"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "top",
                                          "len": 0.5, "thickness": 10, "tickformat": ",~f",
                                          "ticksuffix": "%" if percent else "",
                                          "title": {"text": "" if percent else unit, "side": "top"}}))
    grey = rows[rows["waarde"].isna()]
    if not grey.empty:
        figure.add_trace(_trace(grey, hover, "geen cijfer of niet getoond", z=[0] * len(grey),
                                colorscale=_constant(NO_FIGURE_COLOUR), marker=border, showscale=False,
                                showlegend=True))
    if threshold is not None:
        failing = shown[[threshold.fails(w) for w in shown["waarde"]]]
        if not failing.empty:
            name = f"haalt het doel niet ({threshold.text})"
            figure.add_trace(_trace(failing, hover, name, z=[0] * len(failing), colorscale=_constant(TRANSPARENT),
                                    showscale=False, showlegend=False, legendgroup="faalt",
                                    marker={"line": {"color": FAILING_COLOUR, "width": 3}}))
            # A choropleth's legend entry shows its fill, which is transparent here. A line trace of one point draws
            # nothing on the map but shows a red line in the legend (a trace without points gets no entry).
            centre = view["center"]
            figure.add_trace(go.Scattermap(lat=[centre["lat"]], lon=[centre["lon"]], mode="lines", name=name,
                                           legendgroup="faalt", line={"color": FAILING_COLOUR, "width": 3},
                                           hoverinfo="skip"))
    figure.update_layout(
        title={"text": title, "font": {"size": 15}},
        separators=",.",
        height=MAP_HEIGHT,
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
        showlegend=True,
        legend={"orientation": "v", "x": 0.55, "xanchor": "left", "y": 0, "yanchor": "top"},
        map={"style": "white-bg", "fitbounds": False, **view},
    )
    return figure


def wijk_table(values: pd.DataFrame, threshold: Threshold | None = None, total: str | None = None,
               names: dict[str, str] | None = None) -> pd.DataFrame:
    """The same figures as the map, as text: Wijk, value, any further columns of values, and whether the target is met.

    names: wijk code → name (default: the names in the geometry file). An empty wijk code (records whose wijk is
    missing or unknown) is listed as 'wijk onbekend'; a total (as text) becomes the last row.
    """
    names = wijk_names() if names is None else names
    table = pd.DataFrame({
        "Wijk": [names.get(code, code) or UNKNOWN_WIJK for code in values["wijk_code"]],
        "Waarde": list(values["label"]),
    })
    for column in values.columns:
        if column not in TABLE_COLUMNS:
            table[column] = list(values[column])
    if threshold is not None:
        table[f"Doel: {threshold.text}"] = [
            "geen cijfer" if pd.isna(w) else "niet gehaald" if threshold.fails(w) else "gehaald"
            for w in values["waarde"]]
    if total is not None:
        table.loc[len(table)] = {"Wijk": "Totaal", "Waarde": total}
    return table.fillna("")
