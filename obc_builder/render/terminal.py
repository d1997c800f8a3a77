"""What batch shows in a terminal: a live progress bar while it runs, then a table of the inputs."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..batch import Item

_STYLE = {"ok": "green", "warnings": "yellow", "skipped": "cyan", "errors": "red", "failed": "red",
          "interrupted": "magenta"}


@contextmanager
def batch_progress(total: int, verb: str) -> Iterator[Callable[[Item], None]]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(TextColumn(f"{verb}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(verb, total=total)
        yield lambda item: bar.advance(task)


LISTED_IN_FULL = 50
"""A batch of more inputs lists only those that need a look: a thousand rows of "ok" would bury them (and take
rich most of a second to lay out)."""

_QUIET = ("ok", "skipped")
_COUNTED = {"warnings": "with warnings"}
"""A status as the closing count says it: "2 ok, 1 with warnings", not "1 warnings"."""


def _outputs(item: Item) -> str:
    """An input's outputs: their common name, then each file's ending ("hdt_fast_math", then ".docx .md
    .review.md …"), which wrap between endings where whole file names were cut mid-name in 80 columns."""
    files = [Path(o["path"]).name for o in item.outputs]
    if not files:
        return ""
    endings = [file[len(item.name):] if file.startswith(f"{item.name}.") else file for file in files]
    return f"{item.name}\n{' '.join(endings)}"


def print_summary(items: Sequence[Item], report: Path | None = None) -> None:
    """The table of inputs (every one, or in a large batch those not ok or skipped), then the count of each
    status."""
    from rich.console import Console
    from rich.table import Table

    folders = sorted({str(Path(o["path"]).parent) for item in items for o in item.outputs})
    caption = f"written to {', '.join(folders)}" if folders else "nothing written"
    shown = list(items) if len(items) <= LISTED_IN_FULL else [item for item in items if item.status not in _QUIET]
    console = Console(soft_wrap=False)
    if shown:
        table = Table(caption=caption, show_lines=False, expand=False)
        for column in ("input", "status", "first reason", "outputs"):
            table.add_column(column, overflow="fold")
        for item in shown:
            table.add_row(item.input, f"[{_STYLE[item.status]}]{item.status}[/]", item.reason, _outputs(item))
        console.print(table)
    else:
        console.print(caption, highlight=False, soft_wrap=True)
    if len(shown) < len(items):
        left = len(items) - len(shown)
        where = f"{report} lists every input" if report else "--report FILE lists every input"
        console.print(f"{left} input{'s' * (left != 1)} ok or skipped not listed; {where}", highlight=False,
                      soft_wrap=True)  # the terminal wraps it: a path is never broken by a line end
    counts: dict[str, int] = {}
    for item in items:
        counts[item.status] = counts.get(item.status, 0) + 1
    console.print(", ".join(f"{n} {_COUNTED.get(status, status)}" for status, n in counts.items()) or "no inputs",
                  highlight=False)
