"""The least a contract can cost, against issue 16's 1.5× the floor, beside what it costs today, stage by stage.

    .venv/bin/python benchmarks/bound.py [N]        (N varied HDT inputs, as batch.py makes them: default 200)

All in one process, CPU time per contract:

- **today**: ``batch --jobs 1``'s own calls (``run_batch`` in this process, warmed on a few inputs first, so the
  command's start-up is left out), each stage timed as it runs, without a profiler;
- **the floor with every file**, as ``batch.py`` measures it on the files that run wrote (every part of each .docx
  deflated with ``zipfile``, the other files written), and within it the deflation of the .docx parts that are the
  same in every contract, which a writer deflates once per process (obc-builder does: ``render/zipwriter.py``): the
  least any writer pays is the floor without them;
- **what no design avoids** before it writes a word (medians): reading and validating the input (a bad file is
  refused with one sentence), the rules (the review file lists their findings), rendering the clauses that apply with
  their values (the wording is Jinja in ``clauses/``; each value keeps its input's path, where the comments anchor),
  and drawing the forecast chart with matplotlib (issue 15; its rows' deflation is in the floor already).

The least writer plus what no design avoids is the lower bound; what is left of 1.5× the floor after it is all there
is for the Word body, the Markdown, the review file, the manifest and the batch's own bookkeeping, which today take
the rest of "today". Not a test: figures depend on the machine. Record them in benchmarks/README.md.
"""

from __future__ import annotations

import importlib
import statistics
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch import _png_rows, floor, make_inputs  # noqa: E402

_STAGES = (  # (module, function, label): each is looked up in its module when called, so a wrapper there is seen
    ("obc_builder.loading", "load_input", "reading and validating"),
    ("obc_builder.generate", "evaluate_rules", "rules"),
    ("obc_builder.generate", "assemble", "assembling (the clauses' Jinja included)"),
    ("obc_builder.render.docx", "render_docx", ".docx (its parts deflated included)"),
    ("obc_builder.render.markdown", "render_markdown", ".md"),
    ("obc_builder.review", "render_review", "review file"),
    ("obc_builder.forecast_chart", "forecast_chart", "forecast chart (its rows deflated included)"),
    ("obc_builder.outputs", "write_files", "writing the five files"),
)


def _cpu(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.process_time()
    result = action()
    return time.process_time() - start, result


@contextmanager
def _timed(spent: dict[str, float]) -> Iterator[None]:
    """Each stage function wrapped, adding its CPU seconds to ``spent``; put back afterwards."""
    originals = []
    for module_name, name, label in _STAGES:
        module = importlib.import_module(module_name)
        original = getattr(module, name)

        def wrapper(*args: Any, _original: Any = original, _label: str = label, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.process_time() - start

        setattr(module, name, wrapper)
        originals.append((module, name, original))
    try:
        yield
    finally:
        for module, name, original in originals:
            setattr(module, name, original)


def today(folder: Path, out: Path) -> tuple[float, dict[str, float]]:
    """CPU seconds per contract of ``batch --jobs 1``'s calls, in all and by stage."""
    from obc_builder.batch import Options, collect_inputs, run_batch

    paths = collect_inputs([str(folder)])
    run_batch(paths[:6], Options(out=out.with_name("warm"), force=True))  # the library, the master, the chart frame
    spent: dict[str, float] = {}
    with _timed(spent):
        total, _ = _cpu(lambda: run_batch(paths, Options(out=out, force=True)))
    return total / len(paths), {label: seconds / len(paths) for label, seconds in spent.items()}


def static_deflation(out: Path) -> float:
    """CPU seconds per contract the floor spends deflating the .docx parts that are the same in every contract."""
    archives = []
    for path in sorted(out.glob("*.docx")):
        with zipfile.ZipFile(path) as archive:
            archives.append({name: archive.read(name) for name in archive.namelist()})
    same = [name for name, data in archives[0].items() if all(parts.get(name) == data for parts in archives)]
    start = time.process_time()
    for parts in archives:
        for name in same:
            compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # as zipfile deflates
            compressor.compress(parts[name])
            compressor.flush()
    return (time.process_time() - start) / len(archives)


def unavoidable(inputs: list[Path]) -> dict[str, float]:
    """CPU seconds per contract (median) of the work every design does, in a warm process."""
    from obc_builder.assemble import clause_context
    from obc_builder.district import applies, render_clause
    from obc_builder.forecast_chart import _draw, _series
    from obc_builder.library import load_library
    from obc_builder.loading import load_contract
    from obc_builder.models.derived import fixed_inputs
    from obc_builder.policy import load_policy
    from obc_builder.rules.engine import evaluate_rules

    policy = load_policy(None)

    def clauses(contract: Any) -> None:
        context = clause_context(contract)
        for clause in load_library(str(contract.family)):
            if applies(clause, context):
                render_clause(clause, context)

    def one(path: Path) -> dict[str, float]:
        seconds: dict[str, float] = {}
        seconds["reading and validating the input"], contract = _cpu(lambda: load_contract(path))
        with fixed_inputs():
            seconds["the rules"], _ = _cpu(lambda: evaluate_rules(contract, policy))
            seconds["the clauses rendered with their values (Jinja)"], _ = _cpu(lambda: clauses(contract))
            drawn, png = _cpu(lambda: _draw(_series(contract)))
        rows = _png_rows(png)
        rows_deflated, _ = _cpu(lambda: zlib.compress(rows, 1))
        seconds["the chart drawn (its rows' deflation left out)"] = max(drawn - rows_deflated, 0.0)
        return seconds

    rows: dict[str, list[float]] = {}
    for path in inputs:
        for label, seconds in one(path).items():
            rows.setdefault(label, []).append(seconds)
    return {label: statistics.median(values) for label, values in rows.items()}


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as temp:
        folder, out = Path(temp) / "in", Path(temp) / "out"
        folder.mkdir()
        make_inputs(folder, count)
        now, stages = today(folder, out)
        _, (_, every) = floor(out, Path(temp) / "floor")
        static = static_deflation(out)
        parts = unavoidable(sorted(folder.glob("*.json")))
    least_writer = every - static
    bound = least_writer + sum(parts.values())
    target = 1.5 * every

    def line(label: str, seconds: float, indent: int = 2) -> None:
        print(f"{' ' * indent}{label:<{62 - indent}} {seconds * 1000:6.2f} ms")

    print(f"{count} HDT inputs, CPU per contract, Python {sys.version.split()[0]}")
    line("today: batch --jobs 1's calls (start-up left out)", now)
    for label, seconds in stages.items():
        line(label, seconds, 4)
    line("the rest (the manifest, the batch's bookkeeping)", now - sum(stages.values()), 4)
    line("the floor with every file", every)
    line("of which deflating the .docx parts every contract shares", static, 4)
    line("the least any writer pays (the floor without them)", least_writer)
    for label, seconds in parts.items():
        line(f"+ {label} (median)", seconds)
    line("= the lower bound", bound)
    print(f"issue 16's target, 1.5x the floor with every file: {target * 1000:.2f} ms. The lower bound is "
          f"{bound / every:.2f}x the floor and today {now / every:.2f}x: what the lower bound leaves out (the Word "
          f"body, the Markdown, the review file, the manifest, the bookkeeping) takes {(now - bound) * 1000:.2f} ms "
          f"today and would have {(target - bound) * 1000:.2f} ms.")


if __name__ == "__main__":
    main()
