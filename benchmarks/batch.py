"""Time `obc-builder batch` on N varied HDT inputs, against the floor of merely zipping the documents.

    .venv/bin/python benchmarks/batch.py [N]        (default 1000)

Prints documents per second at --jobs 1 and --jobs 2, the ratio of the per-document cost to the zip floor
measured in the same run, the peak memory of all batch processes together, and how long `--help` takes.
Not a test: figures depend on the machine. Record them in benchmarks/README.md.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
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


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
            for task in Path(f"/proc/{pid}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run_batch(inputs: Path, out: Path, jobs: int) -> tuple[float, int]:
    command = CLI + ["batch", str(inputs), "--out", str(out), "--jobs", str(jobs), "--force"]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    _, err = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"batch failed ({process.returncode}): {err.decode()[-500:]}")
    return elapsed, peak


def zip_floor(out: Path) -> float:
    """Seconds to deflate the finished parts of every generated .docx once more: the floor of any writer."""
    documents = []
    for path in sorted(out.glob("*.docx")):
        with zipfile.ZipFile(path) as archive:
            documents.append([(name, archive.read(name)) for name in archive.namelist()])
    start = time.perf_counter()
    for parts in documents:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts:
                archive.writestr(name, data)
    return (time.perf_counter() - start) / max(len(documents), 1)


def help_time() -> float:
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(CLI + ["--help"], stdout=subprocess.DEVNULL, check=True)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as temp:
        inputs, out = Path(temp) / "in", Path(temp) / "out"
        inputs.mkdir()
        make_inputs(inputs, count)
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; {count} HDT inputs, .docx + .md "
              "(+ review) each")
        results = {}
        for jobs in (1, 2):
            elapsed, peak = run_batch(inputs, out, jobs)
            results[jobs] = elapsed
            print(f"--jobs {jobs}: {elapsed:.2f} s, {count / elapsed:.0f} contracts/s, "
                  f"{elapsed / count * 1000:.1f} ms each, peak memory {peak / 1024:.0f} MB (all processes)")
        floor = zip_floor(out)
        print(f"zip floor: {floor * 1000:.1f} ms per document (deflating its finished parts with zipfile)")
        for jobs, elapsed in results.items():
            per_core = elapsed * jobs / count
            print(f"--jobs {jobs}: {per_core / floor:.2f}× the zip floor per document per core")
        print(f"obc-builder --help: {help_time() * 1000:.0f} ms (median of 5)")


if __name__ == "__main__":
    main()
