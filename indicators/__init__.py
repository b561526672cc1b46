"""Compute functions per maatschappelijke opgave, referred to by name from a plan file (`berekening`).

Each function takes a DuckDB connection, a gemeente code and the plan's indicator id, and returns that indicator's
measurements; the id comes from the plan so another plan can reuse the function under its own id. Indicators
without a function get their values from imports and measurement sheets directly.
"""
