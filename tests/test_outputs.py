"""Where outputs go: links, unwritable folders, a full disk, and a batch stopped half-way (Ctrl-C, SIGTERM).

Whatever happens, every output file is complete or not there at all, the error names the file, and running
the same command again finishes the work.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from obc_builder.cli import app
from obc_builder.generate import render_outputs
from obc_builder.loading import load_input

from .conftest import ROOT

runner = CliRunner()
SAMPLE = ROOT / "samples" / "hdt_fast_math.json"


def test_a_symlink_among_the_outputs_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    out, victim = tmp_path / "out", tmp_path / "precious.txt"
    out.mkdir()
    victim.write_text("keep me", encoding="utf-8")
    (out / "hdt_fast_math.md").symlink_to(victim)
    for command in ("generate", "batch"):
        result = runner.invoke(app, [command, str(SAMPLE), "--out", str(out), "--force"])
        assert result.exit_code == 1
        assert f"{out / 'hdt_fast_math.md'}: cannot be written (it is a symbolic link" in " ".join(
            result.output.split()).replace("│ ", "").replace(" │", "") or command == "batch"
        assert victim.read_text(encoding="utf-8") == "keep me"
        assert sorted(p.name for p in out.iterdir()) == ["hdt_fast_math.md"]  # nothing else of the contract


@pytest.mark.parametrize(
    ("error", "words"),
    [(PermissionError(13, "Permission denied"), "Permission denied"),
     (OSError(28, "No space left on device"), "No space left on device"),
     (OSError(30, "Read-only file system"), "Read-only file system")],
    ids=["read-only-folder", "full-disk", "read-only-mount"],
)
def test_an_unwritable_place_names_the_file_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, words: str
) -> None:
    import obc_builder.outputs as outputs

    real_stage, calls = outputs._stage, {"n": 0}

    def stage(path: Path, data: bytes, mode: int | None = None) -> str:
        calls["n"] += 1
        if calls["n"] == 2:  # the second file of the contract: the first is already staged
            raise error
        return real_stage(path, data, mode)

    monkeypatch.setattr(outputs, "_stage", stage)
    out = tmp_path / "out"
    result = runner.invoke(app, ["generate", str(SAMPLE), "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"{out / 'hdt_fast_math.md'}: cannot be written ({words})\n"
    assert list(out.iterdir()) == []


def test_a_write_that_fails_half_way_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import obc_builder.outputs as outputs

    class FullDisk:
        def __init__(self, stream: object) -> None:
            self.stream = stream

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.stream.close()  # type: ignore[attr-defined]

        def write(self, data: bytes) -> None:
            self.stream.write(data[: len(data) // 2])  # type: ignore[attr-defined]
            raise OSError(28, "No space left on device")

    real_fdopen = outputs.os.fdopen
    monkeypatch.setattr(outputs.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    out = tmp_path / "out"
    result = runner.invoke(app, ["generate", str(SAMPLE), "--out", str(out)])
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert list(out.iterdir()) == []


def _copies(folder: Path, count: int) -> None:
    folder.mkdir()
    for index in range(count):
        (folder / f"contract{index:03d}.json").write_bytes(SAMPLE.read_bytes())


def _stop_half_way(command: list[str], out: Path, how: signal.Signals, group: bool) -> subprocess.CompletedProcess:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.docx"))) < 3 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    if process.poll() is not None:
        raise AssertionError(f"the batch ended before it could be interrupted: {process.communicate()}")
    (os.killpg if group else os.kill)(process.pid, how)
    stdout, stderr = process.communicate(timeout=60)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("how", "jobs", "group"),
    [(signal.SIGINT, "2", True), (signal.SIGTERM, "1", False), (signal.SIGTERM, "2", True)],
    ids=["ctrl-c-two-workers", "sigterm-one-process", "sigterm-to-the-group"],
)
def test_an_interrupted_batch_leaves_only_complete_files_and_a_rerun_finishes_it(
    tmp_path: Path, how: signal.Signals, jobs: str, group: bool
) -> None:
    inputs, out, report = tmp_path / "in", tmp_path / "out", tmp_path / "report.json"
    total = 150
    _copies(inputs, total)
    command = [sys.executable, "-m", "obc_builder", "batch", str(inputs), "--out", str(out), "--jobs", jobs,
               "--report", str(report)]
    stopped = _stop_half_way(command, out, how, group)
    assert stopped.returncode == 130, stopped.stderr
    assert "Traceback" not in stopped.stderr and "run the same command again" in stopped.stderr
    first = json.loads(report.read_text(encoding="utf-8"))
    assert 0 < first["summary"].get("interrupted", 0) < total

    contract, digest = load_input(SAMPLE)
    files, _ = render_outputs(contract, source=str(SAMPLE), name="x", input_sha256=digest)
    assert not list(out.glob(".*"))  # no temporary file left behind
    for path in out.iterdir():
        if path.suffix == ".docx":
            assert path.read_bytes() == files["x.docx"] and zipfile.ZipFile(path).testzip() is None
        elif path.name.endswith(".review.md"):
            assert path.read_text(encoding="utf-8").endswith("\n")
        elif path.name.endswith(".manifest.json"):  # complete, and naming the outputs as they are on disk
            for output in json.loads(path.read_text(encoding="utf-8"))["outputs"]:
                assert hashlib.sha256((out / output["file"]).read_bytes()).hexdigest() == output["sha256"]
        elif path.suffix == ".png":
            assert path.read_bytes() == files["x.forecast.png"]
        else:
            assert path.read_bytes() == files["x.md"]

    done_before = {p.name for p in out.iterdir()}
    rerun = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    second = json.loads(report.read_text(encoding="utf-8"))
    complete_before = {i["name"] for i in first["inputs"] if i["status"] in ("ok", "warnings")}
    skipped = {i["name"] for i in second["inputs"] if i["status"] == "skipped"}
    assert complete_before and complete_before <= skipped
    assert len(list(out.glob("*.docx"))) == total and done_before <= {p.name for p in out.iterdir()}
