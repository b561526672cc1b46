"""Small counts for the council: hand-computed rows, the threshold setting, percentages, and a brute-force check that
no hidden small count can be worked out from the total and the shown cells."""

import itertools

import pandas as pd
import pytest

from monitor.suppression import (
    DEFAULT_THRESHOLD,
    HIDDEN,
    THRESHOLD_ENV,
    protect,
    suppress,
    suppress_percentages,
    threshold_from_env,
)

WIJKEN = ["WK039601", "WK039602", "WK039603", "WK039604", "WK039605"]


@pytest.fixture(autouse=True)
def default_threshold(monkeypatch):
    monkeypatch.delenv(THRESHOLD_ENV, raising=False)


def row(*counts) -> pd.Series:
    return pd.Series(counts, index=WIJKEN[:len(counts)], dtype="float64")


def shown(*counts, **options) -> list[str]:
    return list(suppress(row(*counts), **options))


# ------------------------------------------------------------------ one small cell


def test_one_small_cell_hides_the_smallest_other_cell_too():
    # 3 + 20 + 7 + 12 = 42. Hiding only the 3 would give it away: 42 - 20 - 7 - 12 = 3. With the 7 hidden as well,
    # 42 - 20 - 12 = 10 = small + x, and x >= 5 leaves the small cell anything from 1 to 4 (x from 9 down to 6).
    result = protect(row(3, 20, 7, 12))
    assert list(result.cells) == ["<5", "20", "x", "12"]
    assert list(result.hidden) == [True, False, True, False]
    assert result.total == "42"
    assert not result.total_hidden


def test_ties_hide_the_first_of_the_smallest():
    assert shown(2, 9, 9, 30) == ["<5", "x", "9", "30"]


def test_a_second_cell_of_exactly_five_next_to_a_one_is_not_enough():
    # 1 + 5 + 30 = 36. With 1 and 5 hidden, 36 - 30 = 6 = small + x with x >= 5: the small cell can only be 1.
    # Hiding the 30 as well: 36 = small + x + x', which leaves 1 to 4 possible.
    assert shown(1, 5, 30) == ["<5", "x", "x"]


def test_a_second_cell_of_five_next_to_a_two_is_enough():
    # 2 + 5 + 30: 7 = small + x, x >= 5, so the small cell is 1 or 2: not recoverable.
    assert shown(2, 5, 30) == ["<5", "x", "30"]


def test_without_a_shown_total_only_the_small_cell_is_hidden():
    assert shown(3, 20, 7, 12, total_shown=False) == ["<5", "20", "7", "12"]


# ------------------------------------------------------------------ zeros and several small cells


def test_zero_is_shown_and_never_hides_a_small_cell():
    # A zero identifies nobody, and hiding it would not help: 0 + small = small.
    result = protect(row(0, 3, 12, 0, 8))
    assert list(result.cells) == ["0", "<5", "12", "0", "x"]
    assert result.total == "23"


def test_only_zeros():
    result = protect(row(0, 0, 0))
    assert list(result.cells) == ["0", "0", "0"]
    assert result.total == "0"


def test_two_small_cells_protect_each_other_when_their_sum_leaves_room():
    # 2 + 3 = 5 = 45 - 40: the pair could be 1+4, 2+3, 3+2 or 4+1.
    assert shown(2, 3, 40) == ["<5", "<5", "40"]


def test_two_small_cells_that_can_only_be_four_each_hide_a_third():
    # 4 + 4 = 8 = 28 - 20, and each is at most 4: both would be known.
    assert shown(4, 4, 20) == ["<5", "<5", "x"]


def test_the_total_is_hidden_when_no_cell_is_left_to_hide():
    result = protect(row(4, 4, 0))
    assert list(result.cells) == ["<5", "<5", "0"]
    assert result.total == HIDDEN
    assert result.total_hidden


def test_a_small_total_is_shown_as_small():
    result = protect(row(1, 2, 0))
    assert list(result.cells) == ["<5", "<5", "0"]
    assert result.total == "<5"
    assert not result.total_hidden


def test_missing_counts_are_no_cells():
    result = protect(row(3, float("nan"), 7, 12))
    assert list(result.cells) == ["<5", "–", "x", "12"]
    assert result.total == "22"


def test_large_counts_are_written_the_dutch_way():
    assert shown(1234, 20000) == ["1.234", "20.000"]


# ------------------------------------------------------------------ threshold


def test_default_threshold_is_five():
    assert threshold_from_env() == DEFAULT_THRESHOLD == 5


def test_threshold_as_argument():
    # Threshold 10: 7 is small, the smallest other cell (12) is hidden too.
    assert shown(7, 30, 12, 50, threshold=10) == ["<10", "30", "x", "50"]


def test_threshold_from_the_environment(monkeypatch):
    monkeypatch.setenv(THRESHOLD_ENV, "3")
    assert threshold_from_env() == 3
    # 4 is no longer small; 2 is and hides the 4 too: 6 = small + x with x >= 3 leaves the small cell 1 or 2.
    assert shown(2, 4, 20) == ["<3", "x", "20"]


def test_argument_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv(THRESHOLD_ENV, "3")
    assert shown(4, 9, 20, threshold=5) == ["<5", "x", "20"]


@pytest.mark.parametrize("value", ["vijf", "0", "-2", "2.5"])
def test_a_bad_threshold_in_the_environment_is_refused_in_dutch(monkeypatch, value):
    monkeypatch.setenv(THRESHOLD_ENV, value)
    with pytest.raises(ValueError, match=f"{THRESHOLD_ENV} moet een geheel getal van 1 of meer zijn"):
        threshold_from_env()


# ------------------------------------------------------------------ percentages


def test_percentages_of_hidden_counts_are_hidden():
    counts = row(3, 20, 7, 12)
    percentages = counts / counts.sum() * 100
    assert list(suppress_percentages(percentages, counts)) == ["x", "47,6%", "x", "28,6%"]


def test_percentages_are_all_hidden_when_the_total_is():
    counts = row(4, 4, 0)
    assert list(suppress_percentages(counts / 8 * 100, counts)) == ["x", "x", "x"]


def test_percentages_without_small_counts_are_shown():
    counts = row(10, 30, 0)
    assert list(suppress_percentages(counts / 40 * 100, counts, decimals=0)) == ["25%", "75%", "0%"]


# ------------------------------------------------------------------ brute force


def possible_values(cells: list[str], counts: list[int], threshold: int) -> list[set[int]]:
    """What a reader who knows the rules can deduce: the possible values of each '<t' cell, from the total."""
    hidden = [i for i, c in enumerate(cells) if c in (f"<{threshold}", HIDDEN)]
    rest = sum(counts) - sum(counts[i] for i in range(len(counts)) if i not in hidden)
    ranges = [range(1, threshold) if cells[i] != HIDDEN else range(threshold, rest + 1) for i in hidden]
    found = {i: set() for i in hidden if cells[i] != HIDDEN}
    for values in itertools.product(*ranges):
        if sum(values) == rest:
            for i, value in zip(hidden, values):
                if i in found:
                    found[i].add(value)
    return list(found.values())


@pytest.mark.parametrize("size, choices", [(3, (0, 1, 2, 3, 4, 5, 6, 8, 13)), (4, (0, 1, 3, 4, 5, 6, 11))])
def test_no_small_count_can_be_worked_out(size, choices):
    checked = 0
    for counts in itertools.product(choices, repeat=size):
        result = protect(row(*counts))
        if result.total_hidden or sum(counts) < DEFAULT_THRESHOLD:
            continue  # without an exact total there is nothing to subtract from
        for values in possible_values(list(result.cells), list(counts), DEFAULT_THRESHOLD):
            assert len(values) > 1, f"{counts} → {list(result.cells)}: te herleiden tot {values}"
            checked += 1
    assert checked > 100
