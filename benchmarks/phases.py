"""Where the time goes: one `generate` (whole process), one contract in-process, and a batch, phase by phase.

    .venv/bin/python benchmarks/phases.py generate [SAMPLE] [--runs N]   phases of a fresh process, median of N
    .venv/bin/python benchmarks/phases.py render [SAMPLE] [--runs N]     phases of one contract, in-process
    .venv/bin/python benchmarks/phases.py batch [COUNT] [--top N]        cProfile of `batch --jobs 1`, by function

Each phase is timed by calling the functions the command calls, in the same order, without a profiler (so the
figures are the real cost); `batch` runs under cProfile and prints the functions with the most time of their own,
and the cumulative time of the pipeline's stages. Not a test: figures depend on the machine and on its load.
Record them in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SAMPLE = str(ROOT / "samples" / "hdt_fast_math.json")

# A fresh interpreter runs this and prints one JSON object: milliseconds per phase, in the order `generate` meets them.
_PHASES = r"""
import json, sys, time
marks = {}
start = last = time.perf_counter()
def mark(label):
    global last
    now = time.perf_counter(); marks[label] = (now - last) * 1000; last = now
try:
    from obc_builder.cli_process import start_quickly
except ImportError:  # an installation from before it (a baseline's): the interpreter's defaults, as its command had
    start_quickly = lambda: None
start_quickly()  # as the command does: the cycle collector off, one BLAS thread
import obc_builder.cli
mark("import cli (typer, families)")
from obc_builder.generate import generate_files
mark("import generate (pydantic, Jinja, models, rules)")
from obc_builder.policy import load_policy
policy = load_policy(None)
mark("policy table (every family's model)")
from obc_builder.loading import load_contract
contract = load_contract(sys.argv[1])
mark("read and validate the input")
from obc_builder.library import load_library
load_library(contract.family)
mark("clause library (read, compile)")
from obc_builder.render.master import load_master
load_master(None)
mark("Word master (import, patch)")
from obc_builder.forecast_chart import forecast_chart
forecast_chart(contract)
mark("forecast chart (HDT: import matplotlib, frame)")
generate_files(contract, __import__("pathlib").Path(sys.argv[2]), source=sys.argv[1], name="x", policy=policy,
               force=True)
mark("render and write the contract")
marks["total in process"] = (time.perf_counter() - start) * 1000
print(json.dumps(marks))
"""


def _median_table(rows: list[dict[str, float]]) -> None:
    for label in rows[0]:
        values = [row[label] for row in rows]
        print(f"  {label:48s} {statistics.median(values):7.1f} ms  (min {min(values):.1f})")


def installed_env() -> dict[str, str]:
    """The environment a command runs in as installed: with its bytecode cached (pip compiles a package when it
    installs it). A shell with PYTHONDONTWRITEBYTECODE=1 makes every process compile each of obc_builder's
    modules from source again; the first run writes the bytecode, the measured runs read it."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def generate_phases(sample: str, runs: int) -> None:
    """A fresh process per run: the whole `generate` of one sample, phase by phase, and the command itself."""
    sample = str(Path(sample).resolve())  # the phases run from another folder
    rows, walls, cpus = [], [], []
    with tempfile.TemporaryDirectory() as out:
        # From another folder: `python -c` imports obc_builder from the current folder first, and a checkout's is
        # not the one this interpreter has installed.
        subprocess.run([sys.executable, "-c", _PHASES, sample, out], capture_output=True, env=installed_env(),
                       cwd=out, check=True)  # writes the bytecode
        for _ in range(runs):
            done = subprocess.run([sys.executable, "-c", _PHASES, sample, out], capture_output=True, text=True,
                                  env=installed_env(), cwd=out, check=True)
            rows.append(json.loads(done.stdout))
            command = [str(Path(sys.executable).with_name("obc-builder")), "generate", sample, "--out", out, "--force"]
            start = time.perf_counter()
            child = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=installed_env())
            _, status, usage = os.wait4(child.pid, 0)
            walls.append(time.perf_counter() - start)
            cpus.append(usage.ru_utime + usage.ru_stime)
            if status:
                raise SystemExit(f"generate failed ({status})")
    print(f"obc-builder generate {Path(sample).name}, whole process, median of {runs}: "
          f"{statistics.median(walls) * 1000:.0f} ms wall, {statistics.median(cpus) * 1000:.0f} ms CPU "
          f"(min {min(walls) * 1000:.0f} ms wall)")
    print("phases (a fresh interpreter each run; interpreter start-up not included):")
    _median_table(rows)


def render_phases(sample: str, runs: int) -> None:
    """One contract in a warm process: rules, assembly, each output, as `render_outputs` runs them."""
    from obc_builder.assemble import assemble
    from obc_builder.forecast_chart import forecast_chart
    from obc_builder.generate import render_outputs
    from obc_builder.loading import load_contract
    from obc_builder.policy import load_policy
    from obc_builder.render.docx import render_docx
    from obc_builder.render.markdown import render_markdown
    from obc_builder.review import render_review
    from obc_builder.rules.engine import evaluate_rules

    policy = load_policy(None)
    contract = load_contract(sample)
    render_outputs(contract, source=sample, name="x", policy=policy)  # warm: library, master
    rows = []
    for _ in range(runs):
        row = {}
        start = time.perf_counter()
        contract = load_contract(sample)
        row["read and validate the input"] = time.perf_counter() - start
        start = time.perf_counter()
        findings = evaluate_rules(contract, policy)
        row["rules"] = time.perf_counter() - start
        start = time.perf_counter()
        document = assemble(contract)
        row["assemble (clauses rendered, blocks parsed)"] = time.perf_counter() - start
        start = time.perf_counter()
        render_docx(document, findings)
        row[".docx"] = time.perf_counter() - start
        start = time.perf_counter()
        render_markdown(document)
        row[".md"] = time.perf_counter() - start
        start = time.perf_counter()
        render_review(contract, document, findings)
        row["review file"] = time.perf_counter() - start
        start = time.perf_counter()
        forecast_chart(contract)
        row["forecast chart (draw, PNG)"] = time.perf_counter() - start
        start = time.perf_counter()
        render_outputs(contract, source=sample, name="x", policy=policy)
        row["render_outputs (all of the above but reading)"] = time.perf_counter() - start
        rows.append({label: seconds * 1000 for label, seconds in row.items()})
    print(f"one contract in-process ({Path(sample).name}), median of {runs}:")
    _median_table(rows)


_STAGES = ("load_input", "check_contract", "evaluate_rules", "assemble", "render_docx", "render_markdown",
           "render_review", "forecast_chart", "manifest_json", "write_files")


def batch_profile(count: int, top: int) -> None:
    """`batch --jobs 1` of COUNT copies of the HDT samples under cProfile, in this process."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from batch import make_inputs

    from obc_builder.batch import Options, collect_inputs, run_batch

    with tempfile.TemporaryDirectory() as temp:
        inputs, out = Path(temp) / "in", Path(temp) / "out"
        inputs.mkdir()
        make_inputs(inputs, count)
        paths = collect_inputs([str(inputs)])
        run_batch(paths[:1], Options(out=out, force=True))  # warm the library and the master
        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.enable()
        run_batch(paths, Options(out=out, force=True))
        profile.disable()
        elapsed = time.perf_counter() - start
    stats = pstats.Stats(profile)
    total = sum(entry[2] for entry in stats.stats.values())  # type: ignore[attr-defined]
    print(f"batch --jobs 1 of {count} inputs under cProfile: {elapsed:.2f} s ({elapsed / count * 1000:.1f} ms each "
          "with the profiler's overhead)")
    print("stages (cumulative, share of the profiled time):")
    for stage in _STAGES:
        cumulative = sum(entry[3] for key, entry in stats.stats.items() if key[2] == stage)  # type: ignore[attr-defined]
        print(f"  {stage:20s} {cumulative / count * 1000:7.2f} ms each  {cumulative / elapsed * 100:5.1f}%")
    print(f"functions with the most time of their own (share of {total:.2f} s):")
    ranked = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:top]  # type: ignore[attr-defined]
    for (filename, line, name), entry in ranked:
        where = filename.replace(str(ROOT) + "/", "").split("site-packages/")[-1]
        print(f"  {entry[2] / total * 100:5.1f}%  {name} ({where}:{line})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("generate", "render", "batch"))
    parser.add_argument("arg", nargs="?", help="a sample (generate, render) or a count of inputs (batch)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--top", type=int, default=25)
    options = parser.parse_args()
    if options.what == "generate":
        generate_phases(options.arg or DEFAULT_SAMPLE, options.runs)
    elif options.what == "render":
        render_phases(options.arg or DEFAULT_SAMPLE, options.runs)
    else:
        batch_profile(int(options.arg or 200), options.top)


if __name__ == "__main__":
    main()
