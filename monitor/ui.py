"""Streamlit components shared by the pages. Pages arrange these; the rules live in monitor.progress."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import streamlit as st

from monitor import armoede, bereik, demo, status, store, tables
from monitor.catalogue import COMPARATOR_LABELS, FREQUENCY_LABELS
from monitor.charts import progress_figure
from monitor.formatting import fmt_date, fmt_euro, fmt_number, fmt_percent, fmt_value
from monitor.periods import parse_period
from monitor.progress import (
    AANDACHT,
    BEREIKT,
    GEEN_DOEL,
    GEEN_METING,
    METING_VERWACHT,
    NIET_OP_KOERS,
    OP_KOERS,
    Progress,
)
from monitor.status import Snapshot
from monitor.ui_nav import PEILDATUM, peildatum_input

STATUS_COLOURS = {
    BEREIKT: "green", OP_KOERS: "green", AANDACHT: "orange", NIET_OP_KOERS: "red",
    GEEN_METING: "gray", METING_VERWACHT: "violet", GEEN_DOEL: "blue",
}
TARGET_STATUSES = (BEREIKT, OP_KOERS, AANDACHT, NIET_OP_KOERS, METING_VERWACHT, GEEN_METING)
EXAMPLE_NOTICE = ("**Voorbeelddata**: de metingen na de nulmeting zijn deels gegenereerd voorbeeldcijfers, geen echte "
                  "metingen. Nulmetingen komen uit het beleidsplan, CBS-cijfers uit CBS StatLine.")
INDICATOR_PAGE = "pages/indicator.py"
FOCUS_FILE = store.PROJECT_DIR / "data" / "focus.toml"


def database_path() -> Path:
    return store.resolve_db_path()


@st.cache_resource(show_spinner="De standaarddatabase wordt gebouwd …")
def ensure_database(path: str) -> None:
    """First run: build the embedded default database when there is none yet."""
    if not Path(path).exists():
        demo.build_demo(Path(path))


@st.cache_data(show_spinner=False)
def _snapshot(path: str, modified: float, peildatum: date) -> Snapshot:
    return status.snapshot(Path(path), peildatum)


def current_snapshot() -> Snapshot:
    """The snapshot for the database and peildatum chosen in the sidebar; reread when the database file changes."""
    path = database_path()
    ensure_database(str(path))
    peildatum = st.session_state.get(PEILDATUM, date.today())
    try:
        return _snapshot(str(path), path.stat().st_mtime, peildatum)
    except store.DatabaseUnavailable as fault:
        st.error(f"De monitor kan de database nu niet lezen: {fault.message}")
        st.stop()


def sidebar() -> Snapshot:
    """The shared sidebar, drawn by app.py before every page; returns the snapshot for the chosen peildatum."""
    with st.sidebar:
        heading = st.container()  # filled once the peildatum, and so the snapshot, is known
        peildatum_input()
        snap = current_snapshot()
        heading.markdown(f"**{snap.plan.titel}**  \n{snap.plan.ondertitel}  \nGemeente {snap.plan.gemeente_naam}")
        if snap.has_example_data:
            st.warning(EXAMPLE_NOTICE)
        st.caption(f"Database: `{database_path()}`")
    return snap


def status_text(progress: Progress) -> str:
    """The status in words; an overdue measurement names the day it was due."""
    if progress.status == METING_VERWACHT:
        return f"{METING_VERWACHT} (uiterlijk {fmt_date(progress.next_due)})"
    return progress.status


def coloured(status: str, text: str) -> str:
    """Markdown text in the colour of a status."""
    return f":{STATUS_COLOURS[status]}[{text}]"


def status_badge(progress: Progress) -> None:
    st.badge(status_text(progress), color=STATUS_COLOURS[progress.status])


def headline(snap: Snapshot, progress: Progress) -> tuple[str, str, str]:
    """(label, value, period and where) of an indicator's headline figure. A per-wijk target headlines what it
    asks: how many wijken meet it and the extreme wijk by name, never a wijk's figure as the gemeente's."""
    indicator = progress.indicator
    extreme = progress.extreme_wijk if progress.wijken else None
    if extreme:
        side = "hoogste" if indicator.vergelijking == "at_most" else "laagste"
        latest = extreme.latest
        where = (f"{progress.meeting_wijken} van {len(progress.wijken)} wijken halen het doel; {side}: "
                 f"{snap.wijken.get(extreme.wijk_code, extreme.wijk_code)} {fmt_value(latest.waarde, latest.eenheid)}"
                 f" ({latest.period.label})")
        if progress.gemeente_latest:
            own = progress.gemeente_latest
            where += f"; hele gemeente {fmt_value(own.waarde, own.eenheid)} ({own.period.label})"
        return indicator.focus or indicator.titel, f"{progress.meeting_wijken} van {len(progress.wijken)} wijken", where
    latest = progress.latest
    value = fmt_value(latest.waarde, latest.eenheid) if latest else "–"
    return indicator.focus or indicator.titel, value, f"{indicator.eenheid} · {latest.period.label}" if latest else ""


def _indicator_tile(snap: Snapshot, progress: Progress) -> None:
    latest = progress.latest
    label, value, where = headline(snap, progress)
    example = " · voorbeelddata" if latest and latest.is_example else ""
    st.metric(label, value, border=True,
              help=f"{progress.indicator.id}: {progress.indicator.titel}. Doel: {target_text(progress)}.")
    st.caption(f"{progress.indicator.id} · {coloured(progress.status, status_text(progress))} · {where}"
               f" · Doel: {target_text(progress)}{example}")


@st.cache_data(show_spinner=False)
def _bereik_reeks(path: str, modified: float):
    con = store.connect(Path(path), read_only=True)
    try:
        return bereik.bereik_reeks(con), armoede.toekenningen_are_example(con)
    finally:
        con.close()


def _bereik_tile(snap: Snapshot, progress: Progress) -> None:
    path = database_path()
    series, example = _bereik_reeks(str(path), path.stat().st_mtime)
    figure = bereik.kerncijfer(series, snap.peildatum)
    label = progress.indicator.focus
    if figure is None:
        st.metric(label, "–", border=True)
        st.caption("Nog geen bereikcijfer: importeer een Suite4SD-export toekenningen minimaregelingen.")
        return
    st.metric(label, fmt_percent(figure.bereik_pct, 0), border=True,
              help="Bereik: huishoudens met een toekenning als deel van de huishoudens in de doelgroep "
                   "(docs/bereik.md). Getoond: de regeling met het laagste bereik.")
    st.caption(f"% huishoudens van de doelgroep · {figure.periode} · laagste: {figure.naam} · Doel: ten minste de "
               f"landelijke bandbreedte {fmt_number(figure.landelijk_min)}–{fmt_percent(figure.landelijk_max, 0)}; "
               f"{figure.op_niveau} van {figure.regelingen} regelingen halen die ondergrens · "
               f"Zie Armoede en schulden.{' · voorbeelddata' if example else ''}")


# Where a focus tile takes its figure (data/focus.toml, key `bron`).
FOCUS_SOURCES = {"indicator": _indicator_tile, "bereik": _bereik_tile}


def focus_sources(path: Path = FOCUS_FILE) -> dict[str, str]:
    """focus name → source, from the focus file; an unknown source is refused in Dutch."""
    entries = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    wrong = {name: e.get("bron") for name, e in entries.items() if e.get("bron") not in FOCUS_SOURCES}
    if wrong:
        raise ValueError(f"{path}: onbekende bron voor {', '.join(wrong)}; kies uit {', '.join(FOCUS_SOURCES)}.")
    return {name: entry["bron"] for name, entry in entries.items()}


def focus_row(snap: Snapshot) -> None:
    """The four focus topics as headline figures, each from the source data/focus.toml names."""
    focus = [p for p in snap.progress.values() if p.indicator.focus]
    sources = focus_sources()
    for column, progress in zip(st.columns(len(focus)), focus):
        with column:
            FOCUS_SOURCES[sources.get(progress.indicator.focus, "indicator")](snap, progress)


def opgave_overview(snap: Snapshot) -> None:
    """Per opgave: targets per status and the budget."""
    for opgave in snap.plan.opgaven:
        targets = snap.of_opgave(opgave.id, "doelstelling")
        with st.container(border=True):
            head, money = st.columns([3, 1])
            head.subheader(opgave.naam)
            money.metric(f"Budget {snap.plan.budget_jaar}", fmt_euro(opgave.budget))
            counts = {s: sum(p.status == s for p in targets) for s in TARGET_STATUSES}
            cells = st.columns(len(TARGET_STATUSES))
            for cell, (name, count) in zip(cells, counts.items()):
                cell.metric(coloured(name, name), fmt_number(count))
            st.page_link(opgave_page(opgave.id), label=f"Naar {opgave.naam} ({len(targets)} doelstellingen)",
                         icon=":material/arrow_forward:")


def opgave_page(opgave_id: str) -> str:
    return f"pages/{OPGAVE_FILES[opgave_id]}.py"


OPGAVE_FILES = {"VW": "vitaal_en_weerbaar", "ZW": "zorg_en_wonen", "OZ": "opgroeien_en_zelfontplooiing",
                "FF": "financieel_fit", "OO": "ontmoeten_en_omzien"}


def target_text(progress: Progress) -> str:
    indicator = progress.indicator
    if progress.target_value is None:
        return indicator.doel_tekst or "–"
    comparator = COMPARATOR_LABELS[indicator.vergelijking]
    where = " in elke wijk" if indicator.elke_wijk else ""
    period = indicator.target_period.label if indicator.target_period else ""
    return f"{comparator} {fmt_value(progress.target_value, indicator.eenheid)}{where} ({period})"


def target_label(progress: Progress) -> str:
    indicator = progress.indicator
    if not indicator.has_target:
        return "Doel (BBV-indicator zonder streefwaarde)"
    period = indicator.target_period.label if indicator.target_period else ""
    where = ", elke wijk" if indicator.elke_wijk else ""
    return f"Doel {period} ({COMPARATOR_LABELS[indicator.vergelijking]}{where})"


def baseline_text(progress: Progress) -> str:
    indicator = progress.indicator
    if progress.baseline_value is not None:
        return f"{fmt_value(progress.baseline_value, indicator.eenheid)} ({parse_period(progress.baseline_period).label})"
    if indicator.nulmeting_status == "volgt":
        return f"volgt ({indicator.baseline_period.label})"
    return "geen nulmeting"


def indicator_card(snap: Snapshot, progress: Progress, detail_link: bool = True) -> None:
    indicator = progress.indicator
    measurements = snap.measurements.get(indicator.id, [])
    with st.container(border=True):
        st.markdown(f"#### {indicator.id} · {indicator.titel}")
        status_badge(progress)
        st.caption(progress.reason or indicator.resultaatgebied)
        latest = progress.latest
        cells = st.columns(4)
        extreme = progress.extreme_wijk if progress.wijken else None
        if extreme:
            _, count, where = headline(snap, progress)
            st.markdown(f"**{where}**")
            cells[0].metric("Wijken die het doel halen", count, help=f"Nulmeting: {baseline_text(progress)}")
            side = "Hoogste" if indicator.vergelijking == "at_most" else "Laagste"
            cells[1].metric(f"{side} wijk: {snap.wijken.get(extreme.wijk_code, extreme.wijk_code)} "
                            f"({latest.period.label})", fmt_value(latest.waarde, latest.eenheid),
                            help=f"Bron: {latest.bron}")
        else:
            cells[0].metric("Nulmeting", baseline_text(progress))
            cells[1].metric(f"Laatste meting ({latest.period.label})" if latest else "Laatste meting",
                            fmt_value(latest.waarde, latest.eenheid) if latest else "–",
                            help=f"Bron: {latest.bron}" if latest else None)
        cells[2].metric("Verwacht op pad" + (" (deze wijk)" if extreme else ""),
                        fmt_value(progress.shown_expected, indicator.eenheid)
                        if progress.expected is not None else "–")
        cells[3].metric(target_label(progress), fmt_value(progress.target_value, indicator.eenheid)
                        if progress.target_value is not None else "–", help=target_text(progress))
        if indicator.definitie:
            with st.expander("Definitie"):
                st.markdown(indicator.definitie)
        if progress.wijken:
            failing = [snap.wijken.get(w, w) for w in progress.failing_wijken]
            st.markdown("**Wijken die het doel nog niet halen:** " + (", ".join(failing) if failing else "geen"))
        if measurements:
            st.plotly_chart(progress_figure(progress, measurements, snap.wijken), key=f"chart-{indicator.id}",
                            config={"displaylogo": False})
        if snap.uses_example_data(indicator.id):
            st.caption(":orange[Deze grafiek bevat voorbeelddata (gegenereerd, geen echte meting).]")
        due = (coloured(METING_VERWACHT, f"Meting verwacht: had er uiterlijk {fmt_date(progress.next_due)} moeten zijn")
               if progress.status == METING_VERWACHT
               else f"Volgende meting verwacht uiterlijk {fmt_date(progress.next_due)}")
        st.caption(f"Bron: {indicator.bron} · Meetinstrument: {indicator.meetinstrument} · "
                   f"{FREQUENCY_LABELS[indicator.meetfrequentie]} · {due}")
        if detail_link:
            st.page_link(INDICATOR_PAGE, label="Details en toelichting", query_params={"indicator": indicator.id},
                         icon=":material/open_in_new:")


def bbv_table(snap: Snapshot, opgave_id: str) -> None:
    rows = []
    for progress in snap.of_opgave(opgave_id, "bbv"):
        latest = progress.latest
        rows.append({
            "Indicator": progress.indicator.titel,
            "Eenheid": progress.indicator.eenheid,
            "Laatste periode": latest.period.label if latest else "–",
            "Waarde": fmt_value(latest.waarde, latest.eenheid) if latest else "–",
            "Status": status_text(progress),
            "Bron": (latest.bron if latest else progress.indicator.bron),
        })
    if rows:
        tables.frame(rows, hide_index=True, width="stretch")
    else:
        st.caption("Bij deze opgave horen geen verplichte BBV-indicatoren.")


def opgave_page_body(opgave_id: str) -> None:
    snap = current_snapshot()
    opgave = snap.plan.opgave(opgave_id)
    st.title(opgave.naam)
    st.caption(f"Budget {snap.plan.budget_jaar}: {fmt_euro(opgave.budget)} · Beleidsterreinen: "
               f"{', '.join(opgave.beleidsterreinen)} · Peildatum {fmt_date(snap.peildatum)}")
    st.header("Doelstellingen")
    for progress in snap.of_opgave(opgave_id, "doelstelling"):
        indicator_card(snap, progress)
    st.header("Verplichte BBV-indicatoren")
    bbv_table(snap, opgave_id)


def measurement_table(snap: Snapshot, indicator_id: str) -> None:
    rows = [{
        "Periode": m.period.label,
        "Wijk": snap.wijken.get(m.wijk_code, m.wijk_code) if m.wijk_code else "hele gemeente",
        "Waarde": fmt_value(m.waarde, m.eenheid),
        "Eenheid": m.eenheid,
        "Status": m.status,
        "Bron": m.bron,
        "Herkomst": m.herkomst,
    } for m in reversed(snap.measurements.get(indicator_id, []))]
    tables.frame(rows, hide_index=True, width="stretch")


def narratives(snap: Snapshot, indicator_id: str) -> None:
    entries = snap.narratives.get(indicator_id, [])
    if not entries:
        st.caption("Nog geen toelichting vastgelegd voor deze indicator.")
    for periode, tekst, example in entries:
        label = " (voorbeelddata)" if example else ""
        st.markdown(f"**{parse_period(periode).label}**{label}: {tekst}")
