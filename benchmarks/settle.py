"""Time `obc-builder settle` on a results file of N students (default 100,000) for the fast-math HDT sample.

    .venv/bin/python benchmarks/settle.py [N]

Writes N varied student rows (schools, grades, sessions, achievement, some low attendance, missing scores and
roster changes), then runs the real command (reading, checking, computing, writing the .md, .docx and .csv) and
prints the wall time, with the time of computing alone (in this process) beside it. Not a test: figures depend
on the machine. Record them in benchmarks/README.md (target: under 5 seconds for 100,000 rows on 2 cores).
"""

from __future__ import annotations

import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [str(Path(sys.executable).with_name("obc-builder"))]
CONTRACT = ROOT / "samples" / "hdt_fast_math.json"


def make_results(path: Path, count: int) -> None:
    """Plausible results: most students attend most sessions, about half achieve each outcome."""
    from obc_builder.loading import load_contract
    from obc_builder.settle.hdt_layout import layout

    contract = load_contract(CONTRACT)
    header = layout(contract).header()
    schools = [s.name for s in contract.population.schools]
    scheduled = [m.sessions for m in contract.rate_card.base_timetable]
    outcomes = [o.name for o in contract.outcomes]
    rng = random.Random(15)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, header)
        writer.writeheader()
        for number in range(count):
            row = dict.fromkeys(header, "")
            row.update({"student_id": f"S{number:06d}", "school": rng.choice(schools),
                        "grade": rng.choice(["Grade 7", "Grade 8"])})
            share = rng.choice([1.0, 0.9, 0.8, 0.6])
            for month, most in zip(header[9:16], scheduled, strict=True):
                row[month] = str(int(most * share))
            for name in outcomes:
                row[name] = rng.choice(["yes", "no", "no", "yes", "missing" if number % 97 == 0 else "no"])
            if number % 50 == 0:
                row["added"] = "2024-09-20"
            writer.writerow(row)


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        results = Path(folder) / "results.csv"
        make_results(results, count)
        size = results.stat().st_size / 1e6
        start = time.perf_counter()
        subprocess.run(CLI + ["settle", str(CONTRACT), str(results), "--out", str(Path(folder) / "out")],
                       check=True, stdout=subprocess.DEVNULL)
        command = time.perf_counter() - start

        from obc_builder.loading import load_contract
        from obc_builder.settle import compute

        contract = load_contract(CONTRACT)
        start = time.perf_counter()
        settlement = compute(contract, results, source=str(CONTRACT))
        computing = time.perf_counter() - start
    print(f"{count:,} students ({size:.1f} MB of results): obc-builder settle {command:.2f} s "
          f"(reading, checking and computing alone {computing:.2f} s); total due ${settlement.total:,.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
