"""Components of the page "Gegevens en kwaliteit": upload with validation report, import history, freshness, and
pseudonymising an export before it is imported."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import streamlit as st

from monitor import pseudonymise, tables
from monitor.formatting import fmt_date, fmt_number
from monitor.freshness import freshness, history
from monitor.imports import bsn
from monitor.imports.base import CRITICAL, ImportRefused
from monitor.imports.gate import LINE_COLUMN as LINE
from monitor.imports.pipeline import (
    CHECKED,
    IMPORTED,
    REFUSED,
    SOURCES,
    UNCONFIRMED,
    UNDONE,
    ImportResult,
    import_file,
    undo,
    undoable,
    undone_imports,
)
from monitor.periods import parse_period
from monitor.status import Snapshot

SOURCE_NAMES = {"cbs": "CBS StatLine", "divosa": "Divosa", "suite4sd": "Suite4SD", "metingen": "Metingenblad"}
RESULT_NAMES = {IMPORTED: "geïmporteerd", REFUSED: "geweigerd", "al_geimporteerd": "al geïmporteerd",
                UNDONE: "ongedaan gemaakt"}
PENDING = "gegevens_te_importeren"   # session key: (name, bytes, bron, checked result) of the file being checked
UNDO_MESSAGE = "gegevens_ongedaan"


def _with_file(name: str, data: bytes, action):
    """Run action(path) on the uploaded bytes in a temporary folder: the upload is never kept on disk."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        return action(path)


def upload(db_path: Path) -> ImportResult | None:
    """Check an uploaded file, show what it would replace, and import it only on the steward's go.

    The check runs the whole import inside a transaction that is rolled back; a refused file is refused (and
    logged) at this step. A replacement that needs confirmation can only be imported with the checkbox ticked.
    """
    with st.form("upload", clear_on_submit=True):
        uploaded = st.file_uploader("Exportbestand (CSV of XLSX)", type=["csv", "xlsx", "json", "zip"])
        bron = st.selectbox("Soort export", ["auto", *SOURCES],
                            format_func=lambda b: "herkennen" if b == "auto" else SOURCE_NAMES[b])
        submitted = st.form_submit_button("Controleren")
    if submitted and uploaded:
        name, data = uploaded.name, uploaded.getvalue()
        checked = _with_file(name, data, lambda path: import_file(db_path, path, bron, name=name, check_only=True,
                                                                   log_refusal=True))
        if checked.status != CHECKED:
            st.session_state.pop(PENDING, None)
            return checked
        st.session_state[PENDING] = (name, data, bron, checked)
    if PENDING not in st.session_state:
        return None
    name, data, bron, checked = st.session_state[PENDING]
    replacement = checked.replacement
    with st.container(border=True):
        st.markdown(f"**Wat de import van {name} verandert**")
        for line in replacement.lines():
            st.markdown(f"- {line}")
        confirmed = (st.checkbox("Ik heb dit gecontroleerd: vervang de geldende rijen", key="gegevens_bevestig")
                     if replacement.needs_confirmation else True)
        go, cancel = st.columns(2)
        if go.button("Importeren", key="gegevens_importeren", type="primary", disabled=not confirmed):
            del st.session_state[PENDING]
            return _with_file(name, data, lambda path: import_file(db_path, path, bron, name=name,
                                                                   confirmed=confirmed))
        if cancel.button("Annuleren", key="gegevens_annuleren"):
            del st.session_state[PENDING]
            st.rerun()
    return checked


def import_result(result: ImportResult) -> None:
    text = f"**{result.file}**: {result.message}"
    if result.status == IMPORTED:
        st.success(text)
    elif result.status in (REFUSED, UNCONFIRMED):
        st.error(text)
    else:
        st.info(text)
    for warning in result.warnings:
        st.warning(warning.message)
    if result.findings:
        validation_report(result)


def validation_report(result: ImportResult) -> None:
    """Every check by its Dutch description, failed ones first (the pipeline's order), with whole example lines."""
    st.markdown("**Validatierapport**")
    tables.frame([{
        "Controle": f.message,
        "Ernst": "kritiek" if f.severity == CRITICAL else "waarschuwing",
        "Resultaat": "geslaagd" if f.passed else "niet geslaagd",
        "Rijen": fmt_number(f.rows),
        "Voorbeelden": "; ".join(example_line(e) for e in f.examples),
        "Technische naam": f.expectation,
    } for f in result.findings], hide_index=True, width="stretch")


def example_line(example: dict) -> str:
    """'regel 3: toekenning_id=T002, …, bedrag=-250,00': the whole line as the file has it."""
    values = ", ".join(f"{k}={'' if v is None else v}" for k, v in example.items() if k != LINE)
    return f"regel {example[LINE]}: {values}" if LINE in example else values


def import_history(db_path: Path) -> None:
    """The history table, then a button per import that can be undone (undo itself refuses when it cannot)."""
    if UNDO_MESSAGE in st.session_state:
        status, message = st.session_state.pop(UNDO_MESSAGE)
        (st.success if status == UNDONE else st.error)(message)
    rows = history(db_path) + [{**r, "resultaat": UNDONE, "waarschuwingen": [], "vervangen_door": None,
                                "melding": f"ongedaan gemaakt op {r['ongedaan_op']:%d-%m-%Y %H:%M} door "
                                           f"{r['ongedaan_door']}"} for r in undone_imports(db_path)]
    rows.sort(key=lambda r: r["gestart_op"], reverse=True)
    if not rows:
        st.caption("Nog geen imports.")
        return
    tables.frame([{
        "Import": str(r["import_id"] or "–"),
        "Moment": r["gestart_op"].strftime("%d-%m-%Y %H:%M"),
        "Wie": r["gebruiker"],
        "Bestand": r["bestandsnaam"],
        "Bron": SOURCE_NAMES.get(r["bron"], r["bron"]),
        "Herkend als": r["type_herkend"] or "–",
        "Rijen": fmt_number(r["rijen"] or 0),
        "Resultaat": RESULT_NAMES.get(r["resultaat"], r["resultaat"]) + _replaced_text(r),
        "Waarschuwingen / melding": " ".join(r["waarschuwingen"] or []) or (r["melding"] or ""),
        "sha256": r["sha256"][:12],
    } for r in rows], hide_index=True, width="stretch")
    can_undo = undoable(db_path)
    with st.expander("Import ongedaan maken"):
        st.caption("De rijen van de import verdwijnen en de rijen die hij verving worden weer geldend. Alleen de "
                   "laatste import van een soort export kan ongedaan worden gemaakt.")
        for r in rows:
            if r["import_id"] not in can_undo or r["resultaat"] != IMPORTED:
                continue
            text, button = st.columns([5, 1])
            text.markdown(f"Import {r['import_id']}: {r['bestandsnaam']} ({r['gestart_op']:%d-%m-%Y %H:%M}, "
                          f"{fmt_number(r['rijen'] or 0)} rijen)")
            if button.button("Ongedaan maken", key=f"ongedaan_{r['import_id']}"):
                outcome = undo(db_path, r["import_id"])
                st.session_state[UNDO_MESSAGE] = (outcome.status, outcome.message)
                st.rerun()


def _replaced_text(row: dict) -> str:
    by = row["vervangen_door"]
    if not by:
        return ""
    # An earlier import as "replacer": this export was older than the current one and never became current.
    return f" (ouder dan import {by}, niet geldend)" if by < row["import_id"] else f" (vervangen door import {by})"


def source_freshness(db_path: Path, snap: Snapshot, today: date) -> None:
    for item, column in zip(freshness(db_path, snap), st.columns(len(SOURCES))):
        with column.container(border=True):
            st.markdown(f"**{SOURCE_NAMES[item.bron]}**")
            example = " (voorbeelddata)" if item.example else ""
            st.caption(f"Laatste import: {item.last_import:%d-%m-%Y %H:%M}{example}" if item.last_import
                       else "Nog niet geïmporteerd")
            periods = item.periods
            st.caption(f"Perioden: {parse_period(periods[0]).label} t/m {parse_period(periods[-1]).label} "
                       f"({len(periods)})" if periods else "Perioden: – (volledige stand)" if item.imports else
                       "Perioden: –")
            if item.next_due:
                due = f"Volgende levering verwacht: {fmt_date(item.next_due)}"
                st.markdown(f":red[**{due} (te laat)**]" if item.overdue(today) else due)
            st.caption(f"Voedt {len(item.indicators)} indicatoren")


def pseudonymiser() -> None:
    """Upload an export with BSNs, download it pseudonymised (monitor/pseudonymise.py, as the command line does).

    The key is read on this machine from MONITOR_PSEUDONIEM_SLEUTEL or the key file, used in this process and never
    shown or sent; the uploaded file only lives in a temporary folder while it is pseudonymised.
    """
    try:
        key = pseudonymise.load_key()
    except pseudonymise.PseudonymiseError as exc:
        st.info(f"Pseudonimiseren kan hier nog niet: {str(exc).rstrip('.')}. Een omgevingsvariabele geldt pas na een "
                "herstart van het dashboard; een sleutelbestand meteen.")
        return
    uploaded = st.file_uploader("Export met BSN's (CSV of XLSX)", type=["csv", "xlsx"], key="pseudonimiseren")
    if not uploaded:
        return
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / Path(uploaded.name).name
        source.write_bytes(uploaded.getvalue())
        target = pseudonymise.default_output(source)
        try:
            counts = pseudonymise.pseudonymise_file(source, target, [], key)
        except (pseudonymise.PseudonymiseError, ImportRefused, OSError) as exc:
            st.error(bsn.mask_text(str(exc)))
            return
        data = target.read_bytes()
    listed = ", ".join(f"{column} ({fmt_number(count)})" for column, count in counts.items())
    st.success(f"BSN's vervangen door pseudoniemen in: {listed}. Download het bestand en importeer dat.")
    st.download_button("Gepseudonimiseerd bestand downloaden", data, file_name=target.name, mime="text/csv",
                       on_click="ignore")
