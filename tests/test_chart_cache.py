"""The forecast chart kept between processes: a `generate` whose chart was drawn before imports no matplotlib and
writes the very same bytes; anything the picture depends on makes another file; a damaged file is drawn again."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from obc_builder import chart_cache
from obc_builder.forecast_chart import _draw, _series
from obc_builder.loading import load_contract

from .conftest import ROOT

_GENERATE = """
import hashlib, json, sys
from obc_builder.cli import run
sys.argv = ["obc-builder", "generate", *sys.argv[1:]]
try:
    run()
except SystemExit:
    pass
print(json.dumps("matplotlib" in sys.modules), file=sys.stderr)
"""

SAMPLE = ROOT / "samples" / "hdt_fast_math.json"


def _generate(cache: str, out: Path, sample: Path = SAMPLE) -> tuple[bool, bytes]:
    """Whether a fresh `generate` imported matplotlib, and the chart it wrote."""
    done = subprocess.run([sys.executable, "-c", _GENERATE, str(sample), "--out", str(out), "--force"],
                          capture_output=True, text=True, cwd=out.parent,
                          env={"OBC_BUILDER_CACHE": cache, "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stderr.strip().splitlines()[-1]), (out / f"{sample.stem}.forecast.png").read_bytes()


def test_a_second_generate_takes_the_kept_chart_without_matplotlib_and_writes_the_same_bytes(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    drew, first = _generate(str(cache), tmp_path / "one")
    kept, second = _generate(str(cache), tmp_path / "two")
    assert drew and not kept
    assert second == first == _draw(_series(load_contract(SAMPLE)))
    assert [path.read_bytes() for path in (cache / "charts").glob("*.png")] == [first]


def test_with_the_cache_turned_off_every_generate_draws_its_chart_and_keeps_nothing(tmp_path: Path) -> None:
    drew, first = _generate("", tmp_path / "one")
    again, second = _generate("", tmp_path / "two")
    assert drew and again and first == second
    assert not list(tmp_path.rglob("charts"))


def test_a_contract_with_other_payment_terms_gets_its_own_chart(tmp_path: Path) -> None:
    data = json.loads(SAMPLE.read_text())
    data["payments"]["maximum_budget"] = "1800000"  # the same payments, a smaller share of a larger budget
    other = tmp_path / "hdt_other.json"
    other.write_text(json.dumps(data))
    cache = str(tmp_path / "cache")
    _, first = _generate(cache, tmp_path / "one")
    drew, changed = _generate(cache, tmp_path / "two", other)
    assert drew and changed != first
    assert changed == _draw(_series(load_contract(other)))
    assert len(list((tmp_path / "cache" / "charts").glob("*.png"))) == 2


def _command(cache: Path, *arguments: str) -> None:
    done = subprocess.run([sys.executable, "-m", "obc_builder", *arguments], capture_output=True, text=True,
                          cwd=cache.parent, env={"OBC_BUILDER_CACHE": str(cache), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr


def test_a_generate_of_several_contracts_keeps_each_chart_and_a_batch_keeps_none(tmp_path: Path) -> None:
    other = tmp_path / "hdt_other.json"
    data = json.loads(SAMPLE.read_text())
    data["payments"]["maximum_budget"] = "1800000"
    other.write_text(json.dumps(data))
    per_session = ROOT / "samples" / "hdt_per_session.json"
    _command(tmp_path / "kept", "generate", str(SAMPLE), str(other), "--out", str(tmp_path / "one"))
    assert len(list((tmp_path / "kept" / "charts").glob("*.png"))) == 2
    for jobs in ("1", "2"):
        cache = tmp_path / f"batch-{jobs}"
        _command(cache, "batch", str(SAMPLE), str(other), str(per_session), "--jobs", jobs, "--out",
                 str(tmp_path / f"out-{jobs}"))
        assert len(list((tmp_path / f"out-{jobs}").glob("*.forecast.png"))) == 3
        assert not (cache / "charts").exists()


def _fake_draw(series: Any) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + repr(series).encode() + b"\x00\x00\x00\x00IEND\xaeB`\x82"


def test_a_damaged_kept_chart_is_drawn_again_and_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBC_BUILDER_CACHE", str(tmp_path))
    series = ((0.0, 100.0), (1.0, 2.0), (3.0, 4.0), (1,))
    whole = chart_cache.cached(series, _fake_draw)
    (kept,) = (tmp_path / "charts").glob("*.png")
    kept.write_bytes(whole[: len(whole) // 2])  # cut short, as a full disk or a killed process would leave it
    drawn: list[Any] = []
    assert chart_cache.cached(series, lambda s: drawn.append(s) or _fake_draw(s)) == whole
    assert drawn == [series] and kept.read_bytes() == whole


def test_the_digest_follows_the_figures_and_the_installed_matplotlib(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    series = ((0.0, 100.0), (1.0, 2.0), (3.0, 4.0), (1,))
    first = chart_cache._digest(series)
    assert first and chart_cache._digest(series) == first
    assert chart_cache._digest(((0.0, 100.0), (1.0, 2.0), (3.0, 4.5), (1,))) != first
    fake = tmp_path / "matplotlib"
    fake.mkdir()
    real = Path(list(importlib.util.find_spec("matplotlib").submodule_search_locations)[0])  # type: ignore[union-attr]
    (fake / "_version.py").write_bytes(real.joinpath("_version.py").read_bytes() + b"# another build\n")
    find_spec = importlib.util.find_spec

    def elsewhere(name: str, *args: Any) -> Any:
        spec = find_spec(name, *args)
        if name == "matplotlib":
            spec = importlib.util.spec_from_file_location(name, fake / "__init__.py", submodule_search_locations=[str(fake)])
        return spec

    monkeypatch.setattr(importlib.util, "find_spec", elsewhere)
    assert chart_cache._digest(series) not in (None, first)
    (fake / "_version.py").unlink()  # an installation that cannot be identified: drawn every time, never kept
    assert chart_cache._digest(series) is None
    monkeypatch.setenv("OBC_BUILDER_CACHE", str(tmp_path / "cache"))
    assert chart_cache.cached(series, _fake_draw) == _fake_draw(series)
    assert not (tmp_path / "cache").exists()


def test_only_the_most_recent_charts_are_kept_and_an_unwritable_folder_is_passed_over(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBC_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(chart_cache, "KEPT", 2)
    for value in (1.0, 2.0, 3.0):
        chart_cache.cached(((0.0,), (value,), (value,), ()), _fake_draw)
    kept = {path.read_bytes() for path in (tmp_path / "cache" / "charts").glob("*.png")}
    assert kept == {_fake_draw(((0.0,), (value,), (value,), ())) for value in (2.0, 3.0)}
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("OBC_BUILDER_CACHE", str(tmp_path / "file"))
    assert chart_cache.cached(((0.0,), (5.0,), (5.0,), ()), _fake_draw) == _fake_draw(((0.0,), (5.0,), (5.0,), ()))


def test_a_temporary_file_a_killed_process_left_is_swept_out_by_the_next_write_and_no_other_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import time

    from obc_builder.precompiled import ABANDONED

    monkeypatch.setenv("OBC_BUILDER_CACHE", str(tmp_path))
    folder = tmp_path / "charts"
    folder.mkdir()
    abandoned, recent = folder / ".obc-builder-0123abcd-x1y2.part", folder / ".obc-builder-4567cdef-z3w4.part"
    other = folder / ".download.part"  # not obc-builder's: the cache may be a folder of the user's choosing
    for part in (abandoned, recent, other):
        part.write_bytes(b"half a chart")
    long_ago = time.time() - ABANDONED - 60
    os.utime(abandoned, (long_ago, long_ago))
    os.utime(other, (long_ago, long_ago))
    series = ((0.0,), (7.0,), (7.0,), ())
    chart_cache.cached(series, _fake_draw)
    assert not abandoned.exists()
    assert recent.exists()  # another process may be writing it this very moment
    assert other.exists()
    assert [path.read_bytes() for path in folder.glob("*.png")] == [_fake_draw(series)]
