"""How the cost of one contract grows with its size, and how fast the wizard checks an answer.

    .venv/bin/python benchmarks/large.py [--runs N]

Builds HDT contracts from ``samples/hdt_fast_math.json`` with more school sites and payment outcomes (each outcome
with its baseline, the budget raised to the contract's total, so every one is a valid final contract), and prints
the time to render each in-process (.docx, .md and review: ``render_outputs``, median of N, caches warm) and the
memory it allocates at its peak. Then the time the wizard takes to validate one answer: the check while it is
typed, the answer recorded (validated again and saved), and the rules run for the findings it brings about.
Not a test: figures depend on the machine. Record them in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from obc_builder.generate import render_outputs
from obc_builder.loading import contract_from_data
from obc_builder.policy import load_policy

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "hdt_fast_math.json"
SIZES = ((7, 3), (50, 12), (100, 25), (200, 50))


def large_input(schools: int, outcomes: int) -> dict[str, Any]:
    """The sample with ``schools`` sites and ``outcomes`` payment outcomes (the sample's, renamed), all valid."""
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["population"]["schools"] = [{"name": f"School {n:03d}", "students": 180 + n % 50} for n in range(schools)]
    data["population"]["number_of_students"] = sum(s["students"] for s in data["population"]["schools"])
    originals, baselines = data["outcomes"], data["population"]["baselines"]
    data["outcomes"], data["population"]["baselines"] = [], []
    for n in range(outcomes):
        outcome = copy.deepcopy(originals[n % len(originals)])
        linked = [b for b in baselines if b.get("outcome") == outcome["name"]] or baselines[:1]
        outcome["name"] = f"{outcome['name']} ({n + 1})"
        data["outcomes"].append(outcome)
        data["population"]["baselines"].append({**copy.deepcopy(linked[0]), "outcome": outcome["name"]})
    data["rate_card"].pop("stated_contingent_share_pct", None)
    data["payments"]["maximum_budget"] = "1000000000"
    return data


def _median_ms(action: Callable[[int], object], runs: int) -> float:
    times = []
    for index in range(runs):
        start = time.perf_counter()
        action(index)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def sizes(runs: int) -> None:
    policy = load_policy(None)
    print(f"one contract in-process (.docx + .md + review), median of {runs}, by size:")
    for schools, outcomes in SIZES:
        contract = contract_from_data(large_input(schools, outcomes), "large")
        files, _ = render_outputs(contract, source="large", name="large", policy=policy)  # final: refused if invalid
        elapsed = _median_ms(lambda _, c=contract: render_outputs(c, source="large", name="large", policy=policy), runs)
        tracemalloc.start()
        render_outputs(contract, source="large", name="large", policy=policy)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        size = sum(len(data) for data in files.values())
        print(f"  {schools:3d} schools, {outcomes:2d} outcomes: {elapsed:7.1f} ms, peak {peak / 2**20:5.1f} MB "
              f"allocated, {size / 1024:4.0f} kB of output")


def wizard(runs: int) -> None:
    from obc_builder.wizard.answers import Answers

    policy = load_policy(None)
    with tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / "answers.json"
        shutil.copy(SAMPLE, path)
        answers, _ = Answers.resume(path)
        where = ("accountability", "student_attendance_pct")
        check = _median_ms(lambda n: answers.check(where, 70 + n % 20), runs)
        record = _median_ms(lambda n: (answers.set(where, 70 + n % 20), answers.findings(policy)), runs)
    print(f"wizard, one answer ({SAMPLE.name}), median of {runs}: checked while typed {check:.1f} ms; "
          f"recorded, saved and its findings {record:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    sizes(runs)
    wizard(max(runs, 21))


if __name__ == "__main__":
    main()
