"""Many contracts at once: every input on its own, in parallel workers, with a report of each result.

One bad input (unreadable, invalid, blocked by an error finding) never stops the others. Output names come
from the input file names, made safe and unique before any work starts; files are written atomically and
never overwrite an existing file unless asked to.
"""

from __future__ import annotations

import glob
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from .errors import ObcError, UsageError

Status = Literal["ok", "warnings", "skipped", "errors", "failed", "interrupted"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


@dataclass(frozen=True)
class Options:
    out: Path
    formats: tuple[str, ...] = ("docx", "md")
    draft: bool = False
    force: bool = False
    comments: bool = True
    policy_path: str | None = None
    clauses_path: str | None = None
    review_docx: bool = False
    template: str | None = None
    """A district's Word master (``None``: the bundled one)."""


@dataclass
class Item:
    """One input's result, as the report and the summary table show it."""

    input: str
    name: str
    status: Status = "failed"
    reason: str = ""
    findings: list[dict[str, Any]] = field(default_factory=list)
    outputs: list[dict[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Outputs left as they were, because they already held exactly what this input produces."""


def collect_inputs(arguments: Sequence[str]) -> list[Path]:
    """Files, folders (their ``*.json``) and globs, in the order given, each file once."""
    if not arguments:
        raise UsageError("batch needs at least one INPUT (a file, a folder or a glob)")
    found: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found.extend(sorted(p for p in path.glob("*.json") if p.is_file()))
        elif any(ch in argument for ch in "*?["):
            matches = [m for m in sorted(Path(m) for m in glob.glob(argument, recursive=True)) if m.is_file()]
            # A pattern that matches nothing is reported as a failed input, so a script sees exit 1, not success.
            found.extend(matches or [path])
        else:
            found.append(path)  # a missing file is reported as a failed input, not a usage error
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def safe_name(stem: str) -> str:
    """A file name that cannot leave the output folder or trouble any operating system."""
    import unicodedata

    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    name = _UNSAFE.sub("_", ascii_stem).strip("._-")[:100].strip("._-") or "contract"
    if name.split(".")[0].lower() in _RESERVED:
        name = f"_{name}"
    return name


def unique_names(paths: Sequence[Path]) -> list[str]:
    """Safe names, made distinct (ignoring case) in input order: two inputs never write the same file."""
    taken: set[str] = set()
    names = []
    for path in paths:
        base = safe_name(path.stem)
        name, counter = base, 2
        while name.lower() in taken:
            name, counter = f"{base}-{counter}", counter + 1
        taken.add(name.lower())
        names.append(name)
    return names


def process(path: str, name: str, options: Options, write: bool = True) -> Item:
    """Validate and (when ``write``) generate one input. Never raises for a bad input.

    Outputs that already hold exactly what this input produces are left alone and reported as skipped, so
    re-running an interrupted batch finishes the rest; one that differs is refused unless ``--force``.
    """
    from .district import load_district_clauses
    from .generate import render_outputs
    from .loading import load_input
    from .outputs import write_files
    from .policy import load_policy
    from .rules.engine import Severity

    item = Item(input=path, name=name)
    try:
        contract, digest = load_input(path)
        policy = _policy(options.policy_path, load_policy)
        district = load_district_clauses(options.clauses_path) if options.clauses_path else None
        if write:
            files, findings = render_outputs(contract, source=path, name=name, formats=options.formats,
                                             draft=options.draft, comments=options.comments, policy=policy,
                                             district=district, review_docx=options.review_docx,
                                             template=options.template, input_sha256=digest)
            written = write_files(options.out, files, force=options.force)
        else:
            from .generate import check_contract, check_final, unfilled_inputs
            from .models.derived import fixed_inputs

            with fixed_inputs():
                findings, document, _ = check_contract(contract, policy, district)
                if not options.draft:
                    check_final(contract, path, findings, unfilled_inputs(contract, document))
            files = {}
    except ObcError as error:
        lines = str(error).splitlines()
        item.reason = lines[0] + (f" (and {len(lines) - 1} more)" if len(lines) > 1 else "")
        item.status = "errors" if type(error).__name__ == "BlockedByFindings" else "failed"
        return item
    except Exception as error:  # noqa: BLE001 - one broken input must not stop the batch
        item.reason = f"{path}: internal error: {type(error).__name__}: {error}"
        return item
    item.findings = [f.as_dict() for f in findings]
    warnings = [f for f in findings if f.severity is Severity.warning]
    item.status = "warnings" if warnings else "ok"
    item.reason = f"{warnings[0].rule}: {warnings[0].message}" if warnings else ""
    if files:
        import hashlib

        item.outputs = [{"path": str(options.out / filename), "sha256": hashlib.sha256(data).hexdigest()}
                        for filename, data in files.items()]
        item.skipped = [str(p) for p in written.unchanged]
        if not written.written:
            item.status, item.reason = "skipped", "already done: every output holds exactly this contract"
    return item


_policies: dict[str | None, Any] = {}


def _policy(path: str | None, loader: Callable[[str | None], Any]) -> Any:
    if path not in _policies:
        _policies[path] = loader(path)
    return _policies[path]


def prepare(template: str | None = None, *, chart: bool = False) -> None:
    """What every contract of a batch uses, loaded once: the clause library, the Word master and, with ``chart``,
    the forecast chart's frame (importing matplotlib, ~0.35 s). The fork server does this for the bundled master
    before it forks any worker (see :mod:`._forkserver`), so each worker starts with it instead of paying for it.
    A batch draws every chart rather than keep it between processes (``forecast_chart.draw_every_chart``)."""
    from .families import FAMILY_NAMES
    from .forecast_chart import draw_every_chart
    from .library import load_library
    from .render.master import load_master

    draw_every_chart()
    for name in FAMILY_NAMES:
        load_library(name)
    load_master(template)
    if chart:
        from .forecast_chart import prepare_frame

        prepare_frame()


def _warm(template: str | None = None) -> None:
    """Prepare a worker: what :func:`prepare` loads, before the first input (already there when the fork server
    loaded it; a district's master is loaded here).

    A worker ignores Ctrl-C and SIGTERM (see :mod:`._forkserver`): the main process decides, lets each
    worker finish the contract in hand (its files complete) and starts no other, so an interrupted batch
    leaves only whole files.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    prepare(template)


def _has_hdt(paths: Sequence[tuple[str, str]]) -> bool:
    """Whether any input is an HDT contract (whose review has a forecast chart), read from its ``family`` alone;
    stops at the first. An input that cannot be read here is left to its worker, which reports it."""
    for path, _ in paths:
        try:
            with open(path, "rb") as stream:
                if json.loads(stream.read()).get("family") == "hdt":
                    return True
        except (OSError, ValueError, AttributeError):
            continue
    return False


def _start_forkserver() -> None:
    """Start the fork server the workers come from (when it is not running yet) with ``PYTHONSAFEPATH=1``.

    Python 3.11's fork server ignores the parent's ``sys.path`` and, like ``python -c``, puts the current folder
    first: run inside a checkout of another version, the workers would run that checkout's ``obc_builder``. The
    variable keeps the current folder off its path (and its workers', forked from it); the main process's
    environment is left as it was.
    """
    from multiprocessing import forkserver

    before = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        forkserver.ensure_running()
    finally:
        if before is None:
            del os.environ["PYTHONSAFEPATH"]
        else:
            os.environ["PYTHONSAFEPATH"] = before


@contextmanager
def _stop_between_contracts() -> Iterator[list[int]]:
    """In one process, Ctrl-C and SIGTERM ask the batch to stop after the contract in hand (the list yielded holds
    the signal once one came); a second one stops it at once.

    An exception raised by a signal handler lands wherever the process happens to be, and C code that calls back
    into Python can swallow it there (seen: a batch told to stop finished all its inputs, with at most "Exception
    ignored in: Decimal(...)" on stderr). A flag read between contracts cannot be lost. Outside the main thread
    (where handlers cannot be set) Ctrl-C keeps Python's own behaviour."""
    import signal
    import threading

    asked: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield asked
        return

    def ask(signum: int, frame: object) -> None:
        if asked:
            raise KeyboardInterrupt
        asked.append(signum)

    before = {signum: signal.signal(signum, ask) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield asked
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped a batch; ``items`` holds every input, the unfinished ones as "interrupted"."""

    def __init__(self, items: list[Item]) -> None:
        super().__init__("interrupted")
        self.items = items


def _interrupted(tasks: Sequence[tuple[str, str]], slots: Sequence[Item | None]) -> BatchInterrupted:
    items = [slot or Item(path, name, status="interrupted", reason="not done: the batch was interrupted")
             for slot, (path, name) in zip(slots, tasks, strict=True)]
    return BatchInterrupted(items)


def run_batch(
    paths: Sequence[Path],
    options: Options,
    *,
    jobs: int = 1,
    write: bool = True,
    progress: Callable[[Item], None] | None = None,
) -> list[Item]:
    """Process every input; results come back in input order. ``progress`` is called as each finishes.

    Raises :class:`BatchInterrupted` on Ctrl-C (or SIGTERM, which the CLI turns into one).
    """
    names = unique_names(paths)
    tasks = [(str(path), name) for path, name in zip(paths, names, strict=True)]
    slots: list[Item | None] = [None] * len(tasks)
    if jobs <= 1 or len(tasks) <= 1:
        from .forecast_chart import draw_every_chart

        draw_every_chart()
        try:
            with _stop_between_contracts() as stop:
                for index, (path, name) in enumerate(tasks):
                    if stop:
                        raise KeyboardInterrupt
                    slots[index] = item = process(path, name, options, write)
                    if progress:
                        progress(item)
        except KeyboardInterrupt:
            raise _interrupted(tasks, slots) from None
        return [item for item in slots if item is not None]
    import multiprocessing
    from concurrent.futures import as_completed

    context = multiprocessing.get_context("forkserver")
    preload = ["obc_builder._forkserver"]
    if write and _has_hdt(tasks):  # the chart is drawn only when writing
        preload.append("obc_builder._forkserver_chart")
    context.set_forkserver_preload(preload)
    _start_forkserver()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_warm,
                               initargs=(options.template,))
    futures: dict[Future[Item], int] = {}
    try:
        for index, (path, name) in enumerate(tasks):
            futures[pool.submit(process, path, name, options, write)] = index
        for future in as_completed(futures):
            index = futures[future]
            try:
                item = future.result()
            except Exception as error:  # noqa: BLE001 - a worker that died takes only its own input down
                item = Item(tasks[index][0], tasks[index][1], reason=f"worker failed: {type(error).__name__}: {error}")
            slots[index] = item
            if progress:
                progress(item)
    except KeyboardInterrupt:
        pool.shutdown(wait=True, cancel_futures=True)  # the contracts in hand are finished, no other is begun
        for future, index in futures.items():
            if slots[index] is None and future.done() and not future.cancelled() and future.exception() is None:
                slots[index] = future.result()
        raise _interrupted(tasks, slots) from None
    pool.shutdown(wait=True)
    return [item for item in slots if item is not None]


def report_json(items: Iterable[Item]) -> str:
    listed = [asdict(item) for item in items]
    summary: dict[str, int] = {}
    for item in listed:
        summary[item["status"]] = summary.get(item["status"], 0) + 1
    return json.dumps({"summary": summary, "inputs": listed}, indent=2, ensure_ascii=False) + "\n"


def succeeded(items: Iterable[Item]) -> bool:
    return all(item.status in ("ok", "warnings", "skipped") for item in items)
