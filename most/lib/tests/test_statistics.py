from hypothesis import given
from hypothesis import strategies as st

from most.lib.statistics import THRESHOLD, suppressed, suppressed_total

COUNTS = st.dictionaries(st.text(min_size=1, max_size=5), st.integers(0, 60), max_size=12)


def test_small_counts_are_hidden_and_large_ones_shown():
    cells = {cell.label: cell.count for cell in suppressed({"UA": 40, "SY": 12, "ER": 2, "AF": 3})}
    assert cells == {"UA": 40, "SY": 12, "ER": None, "AF": None}


def test_a_lone_small_cell_takes_the_next_smallest_with_it():
    # With the total known, 52 - 40 - 9 would give back the hidden 3.
    cells = {cell.label: cell.count for cell in suppressed({"UA": 40, "SY": 9, "ER": 3})}
    assert cells == {"UA": 40, "SY": None, "ER": None}


def test_zero_is_a_safe_count():
    cells = {cell.label: cell.count for cell in suppressed({"UA": 40, "SY": 9, "ER": 0})}
    assert cells == {"UA": 40, "SY": 9, "ER": 0}


@given(COUNTS)
def test_no_small_count_is_ever_shown(counts):
    for cell in suppressed(counts):
        assert cell.suppressed or not 0 < cell.count < THRESHOLD


@given(COUNTS)
def test_the_total_never_gives_back_a_single_hidden_cell(counts):
    cells = suppressed(counts)
    hidden = [cell for cell in cells if cell.suppressed]
    assert len(hidden) != 1 or sum(1 for count in counts.values() if count) == 1


def test_a_small_total_is_hidden():
    assert suppressed_total(3) is None
    assert suppressed_total(0) == 0
    assert suppressed_total(THRESHOLD) == THRESHOLD
