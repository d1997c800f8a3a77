"""Start-up: `obc-builder generate` of one sample per family, and `obc-builder --help`, each a whole process.

    .venv/bin/python benchmarks/startup.py [--runs N] [--baseline OTHER/.venv/bin/obc-builder] [--imports N]

Each command runs N times as installed (bytecode cached, from another folder: see `phases.installed_env`), and
prints the median wall time, the median CPU time (user + system, which a busy machine inflates less) and the
fastest run. An HDT `generate` runs twice over: with its chart kept from an earlier run (`chart_cache`), as
a contract regenerated with the same payment terms is, and with no chart kept, as a new contract is (the kept
charts removed before each run; the compiled clauses stay). The caches are in a temporary `OBC_BUILDER_CACHE`,
not the user's. With `--baseline`, another installation's command runs right after each run of this one, on the
same inputs, so both see the same load. The load average is printed before and after. `--imports N` prints
instead what each command imports, by package (`python -X importtime`, each module's own time summed by package,
obc_builder's by module; the median of the runs), the N costliest. Not a test: record the figures in
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from phases import installed_env

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ("hdt_fast_math", "ses_campus", "agr_multi_school")


_COLD = "generate hdt_fast_math, no chart kept"


def _env(cache: str) -> dict[str, str]:
    return {**installed_env(), "OBC_BUILDER_CACHE": cache}


def _run(command: list[str], cwd: str, cache: str, cold: bool = False) -> tuple[float, float]:
    """Wall and CPU seconds of one process (``cold``: with no forecast chart kept)."""
    if cold:
        shutil.rmtree(Path(cache) / "charts", ignore_errors=True)
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(cache), cwd=cwd)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if status:
        raise SystemExit(f"{' '.join(command)} failed ({status})")
    return wall, usage.ru_utime + usage.ru_stime


def _line(label: str, runs: list[tuple[float, float]]) -> str:
    walls, cpus = [run[0] * 1000 for run in runs], [run[1] * 1000 for run in runs]
    return (f"{label:46s} {statistics.median(walls):6.0f} ms wall  {statistics.median(cpus):6.0f} ms CPU  "
            f"(fastest {min(walls):.0f} ms)")


_RUN = "import sys; from obc_builder.cli import run; sys.argv = ['obc-builder', *sys.argv[1:]]; run()"


def _package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] in ("obc_builder", "matplotlib") else parts[0]


def _imports(python: str, arguments: list[str], cwd: str, cache: str, cold: bool) -> dict[str, float]:
    """Milliseconds of import time by package in one run of the command (``-X importtime``: each module's own)."""
    if cold:
        shutil.rmtree(Path(cache) / "charts", ignore_errors=True)
    done = subprocess.run([python, "-X", "importtime", "-c", _RUN, *arguments], capture_output=True, text=True,
                          env=_env(cache), cwd=cwd)
    spent: dict[str, float] = collections.defaultdict(float)
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "self [us]" not in line:
            own, _, module = line[len("import time:"):].split("|")
            spent[_package(module.strip())] += int(own) / 1000
    return spent


def _import_table(label: str, runs: list[dict[str, float]], most: int) -> None:
    packages = {package for run in runs for package in run}
    median = {package: statistics.median(run.get(package, 0.0) for run in runs) for package in packages}
    total = statistics.median(sum(run.values()) for run in runs)
    print(f"{label}: {total:.0f} ms of imports (median of {len(runs)}; -X importtime adds its own overhead)")
    for package in sorted(median, key=median.__getitem__, reverse=True)[:most]:
        print(f"    {package:34s} {median[package]:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--baseline", help="another installation's obc-builder, run after each run of this one")
    parser.add_argument("--imports", type=int, metavar="N", help="print the N costliest imports by package instead")
    options = parser.parse_args()
    commands = {"this": str(Path(sys.executable).with_name("obc-builder"))}
    if options.baseline:
        commands["baseline"] = str(Path(options.baseline).resolve())
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as cache:
        cases = {f"generate {name}": ["generate", str(ROOT / "samples" / f"{name}.json"), "--out", out, "--force"]
                 for name in SAMPLES}
        cases[_COLD] = cases[f"generate {SAMPLES[0]}"]
        cases["--help"] = ["--help"]
        for label, arguments in cases.items():
            cold = label == _COLD
            results: dict[str, list[tuple[float, float]]] = {who: [] for who in commands}
            for command in commands.values():
                _run([command, *arguments], out, cache)  # writes the bytecode, the caches and matplotlib's font list
            if options.imports:
                for who, command in commands.items():
                    python = str(Path(command).with_name("python"))
                    _import_table(f"{who:8s} {label}",
                                  [_imports(python, arguments, out, cache, cold) for _ in range(options.runs)],
                                  options.imports)
                continue
            for _ in range(options.runs):
                for who, command in commands.items():
                    results[who].append(_run([command, *arguments], out, cache, cold))
            for who, runs in results.items():
                print(_line(f"{who:8s} {label}", runs))
    print(f"median of {options.runs} runs each; load average after: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
