"""Time `obc-builder batch` on N varied HDT inputs, against the floor of merely writing the same files.

    .venv/bin/python benchmarks/batch.py [N] [--baseline OTHER-obc-builder]        (N: default 1000)

Prints contracts per second at --jobs 1 and --jobs 2, the ratio of the per-contract cost to the floor measured in
the same run, the peak memory of all batch processes together, and how long `--help` takes. The floor is what
writing the finished files costs at the least: each .docx's parts deflated into a zip file with `zipfile`, its .md
and its review file written, on one core (halved for two workers); "with every file" adds the other files a
contract makes (an HDT contract's forecast chart, its rows deflated as the PNG holds them; the manifest).
``--baseline`` runs another installation's command (e.g. a worktree of an earlier commit:
``../old/.venv/bin/obc-builder``) on the same inputs, each of its runs right after the same run of this one, and
prints how many times as many contracts per second this one makes.
Not a test: figures depend on the machine. Record them in benchmarks/README.md.
"""

from __future__ import annotations

import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [str(Path(sys.executable).with_name("obc-builder"))]


def make_inputs(folder: Path, count: int) -> None:
    """Varied, valid HDT inputs: the bundled HDT samples with other parties, text and recommended values."""
    samples = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "samples").glob("hdt_*.json"))]
    for index in range(count):
        data = json.loads(json.dumps(samples[index % len(samples)]))
        data["parties"]["district_name"] = f"District No. {index} & Partners <{index % 7}>"
        data["parties"]["provider_name"] = f"Provider {index:04d}, LLC"
        data["population"]["program_focus"] = f"{data['population']['program_focus']} (cohort {index})"
        data["accountability"]["student_attendance_pct"] = 75 + index % 10
        data["payments"]["payment_days"] = 25 + index % 10
        (folder / f"contract_{index:04d}.json").write_text(json.dumps(data), encoding="utf-8")


def _tree(root: int) -> list[int]:
    """A process and all its descendants, from /proc."""
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return found


def _rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
    except (OSError, StopIteration, ValueError):
        return 0


def _cpu_ticks(pid: int) -> int:
    """User and system time a process has used so far, in clock ticks."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def installed_env() -> dict[str, str]:
    """The command as installed, its bytecode cached (see phases.py): a shell's PYTHONDONTWRITEBYTECODE left out."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def run_batch(inputs: Path, out: Path, jobs: int, cli: list[str] = CLI) -> tuple[float, int, float]:
    """Wall seconds, peak resident memory (kB) of all the batch's processes together, and the CPU seconds they used
    (sampled every 50 ms from /proc: the CPU time is what a busy machine does not inflate, up to a sample's lag)."""
    command = cli + ["batch", str(inputs), "--out", str(out), "--jobs", str(jobs), "--force"]
    start = time.perf_counter()
    # From the inputs' folder: a batch's workers import obc_builder from the current folder first when it holds one
    # (run from a checkout, a --baseline command's workers would otherwise run this checkout's code).
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=installed_env(),
                               cwd=inputs.parent)
    peak = 0
    ticks: dict[int, int] = {}
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            pids = _tree(process.pid)
            peak = max(peak, sum(_rss_kb(pid) for pid in pids))
            for pid in pids:
                ticks[pid] = max(ticks.get(pid, 0), _cpu_ticks(pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    _, err = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"batch failed ({process.returncode}): {err.decode()[-500:]}")
    return elapsed, peak, sum(ticks.values()) / os.sysconf("SC_CLK_TCK")


def _png_rows(png: bytes) -> bytes:
    """A PNG's pixel rows as its IDAT chunks deflate them (each row behind its filter byte)."""
    position, data = 8, bytearray()
    while position < len(png):
        (length,), kind = struct.unpack(">I", png[position:position + 4]), png[position + 4:position + 8]
        if kind == b"IDAT":
            data += png[position + 8:position + 8 + length]
        position += 12 + length
    return zlib.decompress(data)


def floor(out: Path, scratch: Path) -> tuple[tuple[float, float], tuple[float, float]]:
    """Seconds per contract to merely write its files, wall and CPU: first as issue 16 defined it (the finished
    parts of its .docx deflated into a zip file with `zipfile`, its .md and its review file written), then with the
    other files a contract makes (its forecast chart's pixel rows deflated as the PNG holds them, zlib level 1, and
    the PNG written; its manifest written). The floor of any writer of the same files."""
    contracts = []
    for path in sorted(out.glob("*.docx")):
        with zipfile.ZipFile(path) as archive:
            parts = [(name, archive.read(name)) for name in archive.namelist()]
        others = (path.with_suffix(".md"), path.with_suffix(".review.md"))
        texts = [(other.name, other.read_bytes()) for other in others]
        chart, manifest = path.with_suffix(".forecast.png"), path.with_suffix(".manifest.json")
        png = chart.read_bytes() if chart.exists() else b""
        more = [(chart.name, png, _png_rows(png))] if png else []
        contracts.append((path.name, parts, texts, more, (manifest.name, manifest.read_bytes())))
    scratch.mkdir(exist_ok=True)
    wall = cpu = more_wall = more_cpu = 0.0
    for name, parts, texts, charts, (manifest_name, manifest) in contracts:
        start, used = time.perf_counter(), time.process_time()
        with zipfile.ZipFile(scratch / name, "w", zipfile.ZIP_DEFLATED) as archive:
            for part, data in parts:
                archive.writestr(part, data)
        for text_name, data in texts:
            (scratch / text_name).write_bytes(data)
        middle, middle_used = time.perf_counter(), time.process_time()
        for chart_name, png, rows in charts:
            zlib.compress(rows, 1)
            (scratch / chart_name).write_bytes(png)
        (scratch / manifest_name).write_bytes(manifest)
        end, end_used = time.perf_counter(), time.process_time()
        wall, cpu = wall + middle - start, cpu + middle_used - used
        more_wall, more_cpu = more_wall + end - middle, more_cpu + end_used - middle_used
    count = max(len(contracts), 1)
    return (wall / count, cpu / count), ((wall + more_wall) / count, (cpu + more_cpu) / count)


def help_time() -> float:
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(CLI + ["--help"], stdout=subprocess.DEVNULL, env=installed_env(), check=True)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--baseline", metavar="OTHER-obc-builder", help="another installation's command to compare")
    options = parser.parse_args()
    count = options.count
    with tempfile.TemporaryDirectory() as temp:
        inputs = Path(temp) / "in"
        inputs.mkdir()
        make_inputs(inputs, count)
        subprocess.run(CLI + ["--help"], stdout=subprocess.DEVNULL, env=installed_env(), check=True)  # bytecode
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; {count} HDT inputs, .docx + .md "
              "+ review each")
        results: dict[tuple[str, int], tuple[float, float]] = {}
        runs = [("this", [*CLI])] + ([("baseline", [options.baseline])] if options.baseline else [])
        for jobs in (1, 2):
            for label, cli in runs:  # each baseline run right after the same run of this one: the same load
                elapsed, peak, cpu = run_batch(inputs, Path(temp) / label, jobs, cli)
                results[label, jobs] = elapsed, cpu
                print(f"{label:8s} --jobs {jobs}: {elapsed:6.2f} s, {count / elapsed:4.0f} contracts/s, "
                      f"{elapsed / count * 1000:5.1f} ms each; CPU {cpu / count * 1000:5.1f} ms each; peak memory "
                      f"{peak / 1024:.0f} MB (all processes)")
        (least, least_cpu), (every, every_cpu) = floor(Path(temp) / "this", Path(temp) / "floor")
        print(f"floor: {least * 1000:.1f} ms per contract, CPU {least_cpu * 1000:.1f} ms (its .docx's parts deflated "
              "with zipfile, its .md and review written; one core, halved for two workers)")
        print(f"floor with every file: {every * 1000:.1f} ms, CPU {every_cpu * 1000:.1f} ms (and its forecast chart's "
              "rows deflated and the PNG written, its manifest written)")
        for (label, jobs), (elapsed, cpu) in results.items():
            print(f"{label:8s} --jobs {jobs}: {elapsed * jobs / count / least:.2f}× the floor per contract per core "
                  f"(wall); CPU {cpu / count / least_cpu:.2f}× the floor's CPU; with every file "
                  f"{elapsed * jobs / count / every:.2f}× (wall), CPU {cpu / count / every_cpu:.2f}×")
        for jobs in (1, 2) if options.baseline else ():
            (this, this_cpu), (old, old_cpu) = results["this", jobs], results["baseline", jobs]
            print(f"--jobs {jobs}: {old / this:.2f}× the baseline's contracts per second (wall), "
                  f"{old_cpu / this_cpu:.2f}× per CPU second")
        print(f"obc-builder --help: {help_time() * 1000:.0f} ms (median of 5)")


if __name__ == "__main__":
    main()
