"""The SHA-256 of every output file of every sample, in every mode: proof that a speed-up changed no byte.

    .venv/bin/python benchmarks/digests.py > after.txt       (then compare with the same run on the old commit)

Each line is ``input mode file sha256``. The inputs are the bundled samples, the benchmark's varied HDT inputs
(other parties, text with ``&`` and ``<``) and ``large.py``'s contracts of up to 200 schools; the modes are the
default (a final contract, or a draft where the sample is incomplete), ``--draft``, ``--no-comments``,
``--review-docx`` and, for HDT, ``--clauses samples/district_clauses``. The golden tests compare what the files
say; this compares their bytes.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from obc_builder.district import load_district_clauses
from obc_builder.errors import ObcError
from obc_builder.generate import render_outputs
from obc_builder.loading import load_contract

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

MODES: dict[str, dict[str, Any]] = {
    "default": {},
    "draft": {"draft": True},
    "no-comments": {"comments": False},
    "review-docx": {"review_docx": True},
}


def _lines(path: Path, label: str) -> list[str]:
    contract = load_contract(path)
    modes = dict(MODES)
    if contract.family == "hdt":  # type: ignore[attr-defined]
        modes["district-clauses"] = {"district": load_district_clauses(str(ROOT / "samples" / "district_clauses"))}
    lines = []
    for mode, options in modes.items():
        try:
            files, _ = render_outputs(contract, source=str(path), name=path.stem, **options)
        except ObcError:  # an incomplete sample is refused as a final contract: its draft is the output
            files, _ = render_outputs(contract, source=str(path), name=path.stem, **{**options, "draft": True})
        lines += [f"{label} {mode} {name} {hashlib.sha256(data).hexdigest()}" for name, data in sorted(files.items())]
    return lines


def main() -> None:
    from batch import make_inputs
    from large import SIZES, large_input

    for sample in sorted((ROOT / "samples").glob("*.json")):
        print("\n".join(_lines(sample, sample.name)))
    with tempfile.TemporaryDirectory() as temp:
        make_inputs(Path(temp), 24)
        for path in sorted(Path(temp).glob("*.json")):
            print("\n".join(_lines(path, path.name)))
        for schools, outcomes in SIZES:
            path = Path(temp) / f"large_{schools}_{outcomes}.json"
            path.write_text(json.dumps(large_input(schools, outcomes)), encoding="utf-8")
            print("\n".join(_lines(path, path.name)))


if __name__ == "__main__":
    main()
