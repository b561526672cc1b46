"""Imports behind a data-quality gate: read → validate (Great Expectations) → store in one transaction → log.

Each export type has a format module (cbs_formats, divosa, suite4sd, metingen) that recognises and parses a file into
a `Parsed` (monitor.imports.base); `monitor.imports.pipeline` runs the gate and writes. Docs: README, "Imports".
"""
