"""Counts that are safe to show: small cells suppressed so that no one can be singled out.

A count of 1 to THRESHOLD - 1 could point at a person ("the one Eritrean family in Krško"), so it
is shown as "fewer than THRESHOLD". Suppressing one cell alone is not enough when the total is
shown: total minus the other cells gives it back. So when a table has exactly one suppressed cell,
the next smallest cell is suppressed too (complementary suppression). Zero is a safe count.
"""

from dataclasses import dataclass, field

THRESHOLD = 5


@dataclass(frozen=True)
class Cell:
    label: str
    count: int | None  # None: suppressed

    @property
    def suppressed(self):
        return self.count is None


@dataclass
class Table:
    """A chart's cells (Cell, or anything with a label and a count) under one title."""

    key: str
    title: str
    cells: list = field(default_factory=list)
    # What the numbers are, for the table's heading ("Count" when empty).
    unit: str = ""

    @property
    def largest(self):
        return max((cell.count or 0 for cell in self.cells), default=0)


def suppressed(counts: dict[str, int], threshold: int = THRESHOLD) -> list[Cell]:
    """The counts as cells, largest first, small ones (and one complement) suppressed."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    hidden = {label for label, count in ordered if 0 < count < threshold}
    if len(hidden) == 1:
        shown = [(label, count) for label, count in ordered if label not in hidden and count]
        if shown:
            hidden.add(shown[-1][0])  # the smallest count still shown
    return [Cell(label, None if label in hidden else count) for label, count in ordered]


def suppressed_total(total: int, threshold: int = THRESHOLD) -> int | None:
    """A total is itself a cell: a small one is suppressed as well."""
    return None if 0 < total < threshold else total
