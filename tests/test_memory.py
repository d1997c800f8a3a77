"""A long batch does not grow: memory allocated per document is released."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

from obc_builder.batch import Options, process

from .conftest import ROOT


def test_memory_stays_flat_across_many_documents(tmp_path: Path) -> None:
    sample = str(ROOT / "samples" / "hdt_fast_math.json")
    options = Options(out=tmp_path, force=True)
    for _ in range(5):  # warm every cache (clause library, Word master, policy)
        assert process(sample, "warm", options).status == "ok"
    tracemalloc.start()
    try:
        for _ in range(10):
            process(sample, "doc", options)
        gc.collect()  # garbage in reference cycles is released by the collector, whenever it next runs: count it out
        after_10 = tracemalloc.get_traced_memory()[0]
        for _ in range(40):
            process(sample, "doc", options)
        gc.collect()
        after_50 = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    # A leak of even one small document's worth per input (~40 kB of XML) would add megabytes here.
    assert after_50 - after_10 < 500_000, f"memory grew by {after_50 - after_10:,} bytes over 40 documents"
