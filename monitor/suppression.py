"""Small numbers in views for the council: a count below the threshold is not shown and cannot be worked out.

The rules, explained for users in docs/wijken.md (keep the two in step):

1. A count from 1 up to the threshold (default 5) is shown as "<5". Zero is shown: an empty cell identifies nobody.
2. When the total of the cells is shown, subtracting the shown cells from it gives the sum of the hidden ones. The
   rules are public, so a reader also knows that a "<5" cell holds 1 to 4 and that a cell hidden to protect another
   ("x") holds at least 5. As long as that still leaves a "<5" cell only one possible value, the smallest remaining
   cell is hidden as well. With one small cell that is one extra cell; it takes two when the extra cell holds exactly
   5 and the small one 1 (6 - 5 leaves only 1).
3. When no cell is left to hide, the total is hidden ("x").
4. A percentage built on a hidden count, or on a hidden total, is hidden ("x").
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from monitor.formatting import MISSING, fmt_number, fmt_percent

THRESHOLD_ENV = "MONITOR_KLEINE_AANTALLEN"
DEFAULT_THRESHOLD = 5
HIDDEN = "x"  # the CBS mark for "geheim": hidden so that a small count elsewhere cannot be worked out


def threshold_from_env() -> int:
    """The threshold from MONITOR_KLEINE_AANTALLEN, else 5."""
    raw = os.environ.get(THRESHOLD_ENV, "").strip()
    if not raw:
        return DEFAULT_THRESHOLD
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{THRESHOLD_ENV} moet een geheel getal van 1 of meer zijn, niet '{raw}'.")
    return value


def small_mark(threshold: int | None = None) -> str:
    return f"<{threshold or threshold_from_env()}"


@dataclass(frozen=True)
class Suppressed:
    cells: pd.Series   # text per cell: the count, "<5", "x", or "–" for a missing count
    hidden: pd.Series  # True where the cell's count is not shown
    total: str         # text for the total of the cells: the count, "<5" or "x"
    total_hidden: bool


def _undetermined(small: int, others: int, hidden_sum: int, threshold: int) -> bool:
    """Whether each small cell keeps more than one possible value, given the sum of all hidden cells.

    A small cell holds 1..threshold-1 and every other hidden cell at least the threshold. With a threshold of 2 the
    mark "<2" already says 1, so there is nothing left to protect and one possible value is enough.
    """
    highest = min(threshold - 1, hidden_sum - (small - 1) - others * threshold)
    lowest = 1 if others else max(1, hidden_sum - (small - 1) * (threshold - 1))
    return highest - lowest >= min(1, threshold - 2)


def protect(counts: pd.Series, total_shown: bool = True, threshold: int | None = None) -> Suppressed:
    """Which cells (and whether the total) of one row or column of counts to hide. Missing counts are no cells."""
    threshold = threshold or threshold_from_env()
    present = counts.dropna()
    small = (present >= 1) & (present < threshold)
    hidden = small.copy()
    total = int(present.sum())
    total_hidden = False
    if small.any() and total_shown and total >= threshold:
        for label in present[~small & (present > 0)].sort_values(kind="stable").index:
            if _undetermined(int(small.sum()), int((hidden & ~small).sum()), int(present[hidden].sum()), threshold):
                break
            hidden[label] = True
        else:
            total_hidden = not _undetermined(int(small.sum()), int((hidden & ~small).sum()),
                                             int(present[hidden].sum()), threshold)
    cells = pd.Series(MISSING, index=counts.index, dtype=object)
    for label, count in present.items():
        cells[label] = small_mark(threshold) if small[label] else HIDDEN if hidden[label] else fmt_number(count)
    if total_hidden:
        total_text = HIDDEN
    elif 1 <= total < threshold:
        total_text = small_mark(threshold)
    else:
        total_text = fmt_number(total)
    return Suppressed(cells, hidden.reindex(counts.index, fill_value=False), total_text, total_hidden)


def suppress(counts: pd.Series, total_shown: bool = True, threshold: int | None = None) -> pd.Series:
    """The counts as text for the council: '<5' for a small count, 'x' for a count hidden to protect another."""
    return protect(counts, total_shown, threshold).cells


def suppress_percentages(percentages: pd.Series, counts: pd.Series, total_shown: bool = True,
                         threshold: int | None = None, decimals: int = 1) -> pd.Series:
    """Percentages (0-100) built on counts, as text; 'x' where the count or the total behind them is hidden."""
    protected = protect(counts, total_shown, threshold)
    return pd.Series([HIDDEN if protected.total_hidden or protected.hidden[label] else fmt_percent(value, decimals)
                      for label, value in percentages.items()], index=percentages.index, dtype=object)
