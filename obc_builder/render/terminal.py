"""What batch shows in a terminal: a live progress bar while it runs, then a table of every input."""

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


def print_summary(items: Sequence[Item]) -> None:
    from rich.console import Console
    from rich.table import Table

    folders = sorted({str(Path(o["path"]).parent) for item in items for o in item.outputs})
    caption = f"written to {', '.join(folders)}" if folders else "nothing written"
    table = Table(caption=caption, show_lines=False, expand=False)
    for column in ("input", "status", "first reason", "outputs"):
        table.add_column(column, overflow="fold")
    for item in items:
        outputs = "\n".join(Path(o["path"]).name for o in item.outputs)
        table.add_row(item.input, f"[{_STYLE[item.status]}]{item.status}[/]", item.reason, outputs)
    console = Console(soft_wrap=False)
    console.print(table)
    counts: dict[str, int] = {}
    for item in items:
        counts[item.status] = counts.get(item.status, 0) + 1
    console.print(", ".join(f"{n} {status}" for status, n in counts.items()) or "no inputs", highlight=False)
