"""The data-quality gate: run a Great Expectations suite from expectations/<name>.json on a parsed frame.

A suite file is a GX 1.x ExpectationSuite as JSON. Each expectation carries GX's own `severity` (critical refuses the
file, warning imports it with a visible warning) and a Dutch message in `meta.bericht`, which may use {kolom} and
{aantal}. Example rows are reported whole, as the file has them, with their line in the file (column "regel").
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import great_expectations as gx
import great_expectations.execution_engine.pandas_execution_engine as pandas_engine
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

from monitor.imports.base import CRITICAL, Finding
from monitor.store import PROJECT_DIR

EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
LINE_COLUMN = "regel"
EXAMPLES = 5
# GX fingerprints every in-memory frame (two full hashes per validation, about 2 s per million rows) for a cache
# this process never uses; a threshold of 0 skips it.
pandas_engine.HASH_THRESHOLD = 0


def suite_path(name: str) -> Path:
    return EXPECTATIONS_DIR / f"{name}.json"


def load_suite_json(name: str) -> dict:
    return json.loads(suite_path(name).read_text(encoding="utf-8"))


@cache
def _batch_definition():
    """One in-memory GX context for the whole process; analytics are off (monitor/__init__.py)."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("imports").add_dataframe_asset("bestand")
    return asset.add_batch_definition_whole_dataframe("geheel")


def build_suite(raw: dict) -> gx.ExpectationSuite:
    expectations = [
        ExpectationConfiguration(type=e["type"], kwargs=e.get("kwargs", {}), meta=e.get("meta", {}),
                                 severity=e.get("severity", CRITICAL)).to_domain_obj()
        for e in raw["expectations"]
    ]
    return gx.ExpectationSuite(name=raw["name"], expectations=expectations)


def validate(frame: pd.DataFrame, suite_name: str, shown: pd.DataFrame | None = None) -> list[Finding]:
    """One Finding per expectation of the suite, in suite order. Examples are the rows of `shown` (the file as read)
    on the same lines; without it, the line and the checked value of `frame`."""
    raw = load_suite_json(suite_name)
    suite = build_suite(raw)
    frame = frame.reset_index(drop=True)
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    # SUMMARY gives the positions of a few failing rows; asking GX for index columns instead makes it loop over
    # every failing row in Python (seconds for a file with many warnings).
    result = batch.validate(suite, result_format={"result_format": "SUMMARY", "partial_unexpected_count": EXAMPLES})
    return [_finding(spec, _outcome_of(spec, result.results), frame, shown) for spec in raw["expectations"]]


def report_order(findings: list[Finding]) -> list[Finding]:
    """Failed critical checks first, then failed warnings, then passed checks; within each, the suite's order."""
    return sorted(findings, key=lambda f: (f.passed, f.severity != CRITICAL))


def _outcome_of(spec: dict, outcomes: list):
    """The result for one expectation of the file (expectations of an unsaved suite have no id to match on)."""
    for outcome in outcomes:
        config = outcome.expectation_config
        if config.type == spec["type"] and all(config.kwargs.get(k) == v for k, v in spec.get("kwargs", {}).items()):
            return outcome
    raise LookupError(f"Geen resultaat voor {spec['type']}")


def _finding(spec: dict, outcome, frame: pd.DataFrame, shown: pd.DataFrame | None) -> Finding:
    kwargs = spec.get("kwargs", {})
    column = kwargs.get("column")
    details = outcome.result or {}
    if outcome.exception_info and outcome.exception_info.get("raised_exception"):
        count, examples = 0, ()
        passed = False
    else:
        count = int(details.get("unexpected_count") or 0)
        positions = [p for p in (details.get("partial_unexpected_index_list") or []) if isinstance(p, int)]
        examples = tuple(_example(frame, p, column, shown) for p in positions[:EXAMPLES])
        passed = bool(outcome.success)
    meta = spec.get("meta", {})
    # A passed check reads as what was checked: its `geslaagd` text, or its bericht with "geen" for the count.
    text = meta.get("geslaagd", meta.get("bericht")) if passed else meta.get("bericht")
    message = (text or spec["type"]).format(kolom=column, aantal=count if count or not passed else "geen")
    if not passed and examples:
        lines = ", ".join(str(e[LINE_COLUMN]) for e in examples if LINE_COLUMN in e)
        if lines:
            message += f" (regel {lines}{' …' if count > len(examples) else ''})"
    name = f"{spec['type']}({column})" if column else spec["type"]
    return Finding(expectation=name, severity=spec.get("severity", CRITICAL), passed=passed, message=message,
                   rows=count, examples=examples, column=column)


def _example(frame: pd.DataFrame, position: int, column: str | None, shown: pd.DataFrame | None) -> dict:
    """The failing row as the steward finds it: its line in the file and, from `shown`, every value of that line."""
    columns = [c for c in (LINE_COLUMN, column) if c and c in frame.columns]
    row = frame.iloc[position][columns]
    if shown is not None and LINE_COLUMN in row.index:
        same_line = shown[shown[LINE_COLUMN] == row[LINE_COLUMN]]
        if len(same_line):
            row = same_line.iloc[0]
    return {c: (v.item() if hasattr(v, "item") else v) for c, v in row.items()}
