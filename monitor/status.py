"""Everything the pages and the CLI show, assembled once from the store: plan, measurements, progress."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from monitor import store
from monitor.catalogue import COMPARATOR_LABELS, FREQUENCY_LABELS, Plan
from monitor.compute import figure_gaps
from monitor.progress import Progress, assess, explain_gap
from monitor.store import Measurement


@dataclass(frozen=True)
class Snapshot:
    plan: Plan
    peildatum: date
    progress: dict[str, Progress]
    measurements: dict[str, list[Measurement]]
    wijken: dict[str, str]
    narratives: dict[str, list[tuple[str, str, bool]]]
    has_example_data: bool

    def of_opgave(self, opgave_id: str, soort: str) -> list[Progress]:
        return [self.progress[i.id] for i in self.plan.indicators_of(opgave_id, soort)]

    def uses_example_data(self, indicator_id: str) -> bool:
        return any(m.is_example for m in self.measurements.get(indicator_id, []))


def snapshot(db_path: Path, peildatum: date) -> Snapshot:
    """Read the database once (read-only) and assess every indicator at the peildatum."""
    con = store.connect(db_path, read_only=True)
    try:
        plan = store.load_plan(con)
        by_indicator: dict[str, list[Measurement]] = {}
        for m in store.load_measurements(con, plan.gemeente_code):
            by_indicator.setdefault(m.indicator_id, []).append(m)
        wijken = store.load_wijken(con, plan.gemeente_code)
        narratives = store.load_narratives(con, plan.gemeente_code)
        example = store.has_example_data(con)
        # Only indicators without any computed value ask why: the others need no extra query.
        gaps = figure_gaps(con, plan, {i.id for i in plan.indicators if not any(
            m.herkomst in ("berekend", "voorbeelddata") for m in by_indicator.get(i.id, []))})
    finally:
        con.close()
    progress = {
        i.id: explain_gap(assess(i, by_indicator.get(i.id, []), peildatum, list(wijken), plan.start), gaps.get(i.id))
        for i in plan.indicators
    }
    return Snapshot(plan, peildatum, progress, by_indicator, wijken, narratives, example)


def _baseline_origin(snap: Snapshot, progress: Progress) -> str | None:
    """herkomst of the measurement a baseline was taken from (voorbeelddata shows), or 'plan'."""
    if progress.baseline_source == "plan":
        return "plan"
    measured = [m for m in snap.measurements.get(progress.indicator.id, [])
                if m.periode == progress.baseline_period and not m.wijk_code]
    return measured[-1].herkomst if measured else None


def as_json(snap: Snapshot) -> list[dict]:
    """One object per indicator, in plan order: the contract of `python -m monitor status --json`."""
    result = []
    for indicator in snap.plan.indicators:
        p = snap.progress[indicator.id]
        result.append({
            "id": indicator.id,
            "opgave": snap.plan.opgave(indicator.opgave).naam,
            "soort": indicator.soort,
            "title": indicator.titel,
            "unit": indicator.eenheid,
            "comparator": indicator.vergelijking,
            "comparator_label": COMPARATOR_LABELS.get(indicator.vergelijking),
            "every_wijk": indicator.elke_wijk,
            "baseline": {"value": p.baseline_value, "period": p.baseline_period, "status": indicator.nulmeting_status,
                         "source": p.baseline_source, "origin": _baseline_origin(snap, p)},
            "target": {"value": p.target_value, "period": p.target_period, "as_written": indicator.doel_tekst or None},
            "meetfrequentie": FREQUENCY_LABELS[indicator.meetfrequentie],
            "measurements": [
                {"period": m.periode, "wijk": m.wijk_code or None, "value": m.waarde, "unit": m.eenheid,
                 "status": m.status, "source": m.bron, "origin": m.herkomst}
                for m in snap.measurements.get(indicator.id, [])
            ],
            "latest": None if p.latest is None else {
                "period": p.latest.periode, "wijk": p.latest.wijk_code or None, "value": p.latest.waarde,
                "origin": p.latest.herkomst},
            "expected": None if p.expected is None else round(p.expected, 4),
            "status": p.status,
            "assessment": p.assessment,
            "reason": p.reason,
            "next_due": p.next_due.isoformat() if p.next_due else None,
            "failing_wijken": p.failing_wijken,
        })
    return _finite(result)


def _finite(value):
    """inf and nan (older databases may hold them) become null: JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value
