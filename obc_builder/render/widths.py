"""Table column widths for Word, from the text each column holds.

Every column is wide enough for its longest word; the rest of the page width goes, a step at a time, to the column
where it saves the most lines over all rows (a row is as tall as its tallest cell), so tables of long prose (the AGR
objectives) come out as short as they can be. Steps that save nothing follow how much text each column holds.

The fit reads only the length of each line of each cell and the longest word of each column, so a table is reduced
to those numbers first and the same numbers are fitted once per process (a contract's fixed tables, and tables whose
values are the same length, cost nothing after the first). Each step re-wraps only the column it tries, at a width
it may have tried before.
"""

from __future__ import annotations

import math
from functools import lru_cache

from ..document import Table

TEXT_WIDTH = 9360  # twentieths of a point: 6.5 inches between 1-inch margins on Letter paper
_STEP = 90

Lengths = tuple[tuple[tuple[int, ...], ...], ...]
"""Per row, per column: the length of each line of the cell."""


def column_widths(table: Table, page: int = TEXT_WIDTH) -> list[int]:
    """Column widths in twips, summing to the text width ``page`` (a district's master has its own margins; pass
    every same-shaped table of a clause as one)."""
    columns = table.columns
    if table.kind in ("key", "signature") and columns == 2:
        share = [0.32, 0.68] if table.kind == "key" else [0.5, 0.5]
        return [int(page * s) for s in share]
    cells: list[list[tuple[int, ...]]] = [[] for _ in table.rows]
    words = []
    for column in range(columns):
        word = 4
        for number, row in enumerate(table.rows):
            lines = ["".join(r.text for r in line) for line in row[column]] if column < len(row) else []
            cells[number].append(tuple(len(line) for line in lines))
            word = max(word, *(len(w) for line in lines for w in line.split()), 0)
        words.append(word)
    return list(_fit(tuple(tuple(row) for row in cells), tuple(words), page))


@lru_cache(maxsize=1024)
def _fit(cells: Lengths, words: tuple[int, ...], page: int) -> tuple[int, ...]:
    columns = len(words)
    minimums, weights = [], []
    for column in range(columns):
        sizes = [sum(row[column]) + max(len(row[column]) - 1, 0) for row in cells]  # the cell's text on one line
        weights.append(max(sum(sizes) / max(len(sizes), 1), 4) ** 0.75)
        minimums.append(min(words[column], 18) * 110 + 230)
    spare = page - sum(minimums)
    if spare <= 0:
        return tuple(int(page * m / sum(minimums)) for m in minimums)
    share = [m + spare * w / sum(weights) for m, w in zip(minimums, weights, strict=True)]
    widths = list(minimums)
    tried: dict[tuple[int, int], list[int]] = {}

    def lines(column: int, width: int) -> list[int]:
        if (column, width) not in tried:
            tried[column, width] = [_cell_lines(row[column], width) for row in cells]
        return tried[column, width]

    wrapped = [lines(c, widths[c]) for c in range(columns)]
    while sum(widths) + _STEP <= page:
        heights = []
        for column in range(columns):
            trial = lines(column, widths[column] + _STEP)
            others = [wrapped[c] for c in range(columns) if c != column]
            height = sum(map(max, trial, *others)) if others else sum(trial)
            heights.append((height, widths[column] - share[column], column, trial))
        _, _, best, trial = min(heights, key=lambda h: h[:3])
        widths[best] += _STEP
        wrapped[best] = trial
    widths[-1] += page - sum(widths)
    return tuple(widths)


def _cell_lines(lengths: tuple[int, ...], width: int) -> int:
    """About how many lines a cell's text takes at a column width (10-point text, about 95 twips a character)."""
    per_line = max((width - 230) / 95 * 0.92, 1.0)
    return sum(max(1, math.ceil(length / per_line)) for length in lengths) or 1
