"""Components of the page "Gegevens en kwaliteit": upload with validation report, import history, freshness."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import streamlit as st

from monitor import tables
from monitor.formatting import fmt_date, fmt_number
from monitor.freshness import freshness, history
from monitor.imports.base import CRITICAL
from monitor.imports.pipeline import IMPORTED, REFUSED, SOURCES, ImportResult, import_file
from monitor.periods import parse_period
from monitor.status import Snapshot

SOURCE_NAMES = {"cbs": "CBS StatLine", "divosa": "Divosa", "suite4sd": "Suite4SD", "metingen": "Metingenblad"}
RESULT_NAMES = {IMPORTED: "geïmporteerd", REFUSED: "geweigerd", "al_geimporteerd": "al geïmporteerd"}


def upload(db_path: Path) -> ImportResult | None:
    """Import an uploaded file; the file only reaches the database through the same gate as the CLI."""
    with st.form("upload", clear_on_submit=True):
        uploaded = st.file_uploader("Exportbestand (CSV of XLSX)", type=["csv", "xlsx", "json", "zip"])
        bron = st.selectbox("Soort export", ["auto", *SOURCES],
                            format_func=lambda b: "herkennen" if b == "auto" else SOURCE_NAMES[b])
        submitted = st.form_submit_button("Controleren en importeren")
    if not (submitted and uploaded):
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(uploaded.name).name
        path.write_bytes(uploaded.getvalue())
        return import_file(db_path, path, bron, name=uploaded.name)


def import_result(result: ImportResult) -> None:
    text = f"**{result.file}**: {result.message}"
    if result.status == IMPORTED:
        st.success(text)
    elif result.status == REFUSED:
        st.error(text)
    else:
        st.info(text)
    for warning in result.warnings:
        st.warning(warning.message)
    if result.findings:
        validation_report(result)


def validation_report(result: ImportResult) -> None:
    st.markdown("**Validatierapport**")
    tables.frame([{
        "Controle": f.expectation,
        "Ernst": "kritiek" if f.severity == CRITICAL else "waarschuwing",
        "Resultaat": "geslaagd" if f.passed else "niet geslaagd",
        "Rijen": fmt_number(f.rows),
        "Voorbeelden": "; ".join(", ".join(f"{k}={v}" for k, v in e.items()) for e in f.examples),
        "Toelichting": f.message,
    } for f in result.findings], hide_index=True, width="stretch")


def import_history(db_path: Path) -> None:
    rows = history(db_path)
    if not rows:
        st.caption("Nog geen imports.")
        return
    tables.frame([{
        "Moment": r["gestart_op"].strftime("%d-%m-%Y %H:%M"),
        "Wie": r["gebruiker"],
        "Bestand": r["bestandsnaam"],
        "Bron": SOURCE_NAMES.get(r["bron"], r["bron"]),
        "Herkend als": r["type_herkend"] or "–",
        "Rijen": fmt_number(r["rijen"] or 0),
        "Resultaat": RESULT_NAMES.get(r["resultaat"], r["resultaat"])
                     + (f" (vervangen door import {r['vervangen_door']})" if r["vervangen_door"] else ""),
        "Waarschuwingen / melding": " ".join(r["waarschuwingen"] or []) or (r["melding"] or ""),
        "sha256": r["sha256"][:12],
    } for r in rows], hide_index=True, width="stretch")


def source_freshness(db_path: Path, snap: Snapshot, today: date) -> None:
    for item, column in zip(freshness(db_path, snap), st.columns(len(SOURCES))):
        with column.container(border=True):
            st.markdown(f"**{SOURCE_NAMES[item.bron]}**")
            st.caption(f"Laatste import: {item.last_import:%d-%m-%Y %H:%M}" if item.last_import else "Nog niet geïmporteerd")
            periods = item.periods
            st.caption(f"Perioden: {parse_period(periods[0]).label} t/m {parse_period(periods[-1]).label} "
                       f"({len(periods)})" if periods else "Perioden: – (volledige stand)" if item.imports else
                       "Perioden: –")
            if item.next_due:
                due = f"Volgende levering verwacht: {fmt_date(item.next_due)}"
                st.markdown(f":red[**{due} (te laat)**]" if item.overdue(today) else due)
            st.caption(f"Voedt {len(item.indicators)} indicatoren")
