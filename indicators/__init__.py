"""Compute functions per maatschappelijke opgave, referred to by name from a plan file (`berekening`).

Each function takes a DuckDB connection and a gemeente code and returns that indicator's measurements. Indicators
without a function get their values from imports and measurement sheets directly.
"""
