"""Batch: every input on its own, safe names, no overwrite, atomic writes, a report a script can trust."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from obc_builder.batch import Item, Options, collect_inputs, run_batch, safe_name, unique_names
from obc_builder.cli import app

from .conftest import ROOT, SAMPLES

runner = CliRunner()


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for sample in SAMPLES:
        (folder / sample.name).write_bytes(sample.read_bytes())
    (folder / "unreadable.json").write_text("{ nope", encoding="utf-8")
    data = json.loads((ROOT / "samples" / "hdt_fast_math.json").read_text(encoding="utf-8"))
    data["payments"]["maximum_budget"] = "10"
    (folder / "over_budget.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_mixed_batch_keeps_going_past_bad_inputs_and_reports_each(inputs: Path, tmp_path: Path) -> None:
    out, report = tmp_path / "out", tmp_path / "report.json"
    result = runner.invoke(app, ["batch", str(inputs), "--out", str(out), "--jobs", "2", "--report", str(report)])
    assert result.exit_code == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    by_name = {Path(item["input"]).name: item for item in data["inputs"]}
    assert by_name["unreadable.json"]["status"] == "failed" and "invalid JSON" in by_name["unreadable.json"]["reason"]
    assert by_name["over_budget.json"]["status"] == "errors" and "HDT-PAY-004" in by_name["over_budget.json"]["reason"]
    for sample in SAMPLES:
        item = by_name[sample.name]
        assert item["status"] in ("ok", "warnings")
        assert len(item["outputs"]) == (5 if sample.name.startswith("hdt_") else 4)  # an HDT forecast's chart
        for output in item["outputs"]:
            import hashlib

            assert hashlib.sha256(Path(output["path"]).read_bytes()).hexdigest() == output["sha256"]
    families = {json.loads(s.read_text())["family"] for s in SAMPLES}
    assert len(families) >= 2  # the batch mixes families
    assert not list(out.glob("unreadable*")) and not list(out.glob("over_budget*"))


def test_all_good_exits_zero(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(ROOT / "samples" / "hdt_*.json"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.docx"))) == len(list((ROOT / "samples").glob("hdt_*.json")))


def test_preflight_writes_nothing_when_one_input_fails(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(inputs), "--out", str(out), "--preflight"])
    assert result.exit_code == 1 and "nothing was written" in result.stderr
    assert not out.exists() or not list(out.iterdir())


def test_preflight_then_generates_when_all_pass(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(ROOT / "samples"), "--out", str(tmp_path), "--preflight"])
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.docx"))) == len(SAMPLES)


def test_existing_files_are_never_overwritten_without_force(tmp_path: Path) -> None:
    sample = str(ROOT / "samples" / "hdt_fast_math.json")
    assert runner.invoke(app, ["batch", sample, "--out", str(tmp_path)]).exit_code == 0
    target = tmp_path / "hdt_fast_math.md"
    target.write_text("edited by a lawyer", encoding="utf-8")
    report = tmp_path / "report.json"
    result = runner.invoke(app, ["batch", sample, "--out", str(tmp_path), "--report", str(report)])
    assert result.exit_code == 1
    assert "other content; use --force" in json.loads(report.read_text(encoding="utf-8"))["inputs"][0]["reason"]
    assert target.read_text(encoding="utf-8") == "edited by a lawyer"
    assert runner.invoke(app, ["batch", sample, "--out", str(tmp_path), "--force"]).exit_code == 0
    assert "WHEREAS" in target.read_text(encoding="utf-8")


def test_a_second_run_skips_what_is_done_and_the_report_says_so(tmp_path: Path) -> None:
    out, report = tmp_path / "out", tmp_path / "report.json"
    assert runner.invoke(app, ["batch", str(ROOT / "samples"), "--out", str(out)]).exit_code == 0
    (out / "hdt_fast_math.md").unlink()  # as if a run had stopped half-way through this contract
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    result = runner.invoke(app, ["batch", str(ROOT / "samples"), "--out", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.output
    listed = json.loads(report.read_text(encoding="utf-8"))
    assert listed["summary"] == {"skipped": len(SAMPLES) - 1, "ok": 1} or listed["summary"] == {
        "skipped": len(SAMPLES) - 1, "warnings": 1}
    redone = next(i for i in listed["inputs"] if i["name"] == "hdt_fast_math")
    assert sorted(Path(p).name for p in redone["skipped"]) == [
        "hdt_fast_math.docx", "hdt_fast_math.forecast.png", "hdt_fast_math.manifest.json", "hdt_fast_math.review.md"]
    assert (out / "hdt_fast_math.md").exists()
    assert all(p.stat().st_mtime_ns == stamps[p.name] for p in out.iterdir() if p.name in stamps)


@pytest.mark.parametrize(
    ("stem", "expected"),
    [("../../etc/passwd", "etc_passwd"), ("CON", "_CON"), ("nul.tar", "_nul.tar"), ("a b/c\\d", "a_b_c_d"),
     ("...", "contract"), ("Ünïcode ✓", "Unicode"), ("x" * 300, "x" * 100)],
    ids=["traversal", "reserved", "reserved-ext", "separators", "dots", "unicode", "long"],
)
def test_hostile_file_names_become_safe(stem: str, expected: str) -> None:
    assert safe_name(stem) == expected


def test_two_inputs_never_write_the_same_file(tmp_path: Path) -> None:
    paths = [Path("a/Contract.json"), Path("b/contract.json"), Path("c/contract!.json"), Path("d/contract_.json")]
    names = unique_names(paths)
    assert len({n.lower() for n in names}) == 4
    assert names[0] == "Contract" and names[1] == "contract-2"


def test_same_named_inputs_in_two_folders_both_generate(tmp_path: Path) -> None:
    for folder in ("north", "south"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "contract.json").write_bytes((ROOT / "samples" / "hdt_fast_math.json").read_bytes())
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(tmp_path / "north"), str(tmp_path / "south"), "--out", str(out)])
    assert result.exit_code == 0
    assert sorted(p.name for p in out.glob("*.md")) == ["contract-2.md", "contract-2.review.md", "contract.md",
                                                         "contract.review.md"]


def test_output_is_reproducible_across_runs(tmp_path: Path) -> None:
    sample = ROOT / "samples" / "hdt_fast_math.json"
    first = run_batch([sample], Options(out=tmp_path / "1"))[0]
    second = run_batch([sample], Options(out=tmp_path / "2"), jobs=2)[0]
    assert [o["sha256"] for o in first.outputs] == [o["sha256"] for o in second.outputs]
    assert (tmp_path / "1" / "hdt_fast_math.docx").read_bytes() == (tmp_path / "2" / "hdt_fast_math.docx").read_bytes()


def test_a_full_disk_leaves_no_file_of_that_contract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import obc_builder.outputs as outputs

    calls = {"n": 0}
    real_stage = outputs._stage

    def failing_stage(path: Path, data: bytes, mode: int | None = None) -> str:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real_stage(path, data, mode)

    monkeypatch.setattr(outputs, "_stage", failing_stage)
    item = run_batch([ROOT / "samples" / "hdt_fast_math.json"], Options(out=tmp_path))[0]
    assert item.status == "failed" and "hdt_fast_math.md: cannot be written (No space left" in item.reason
    assert list(tmp_path.iterdir()) == []  # neither half a file nor some files of the contract


def test_globs_folders_and_missing_files(tmp_path: Path) -> None:
    found = collect_inputs([str(ROOT / "samples"), str(ROOT / "samples" / "hdt_*.json"), str(tmp_path / "gone.json")])
    assert len(found) == len(SAMPLES) + 1  # the glob's files are already in the folder; each file once
    item = run_batch([tmp_path / "gone.json"], Options(out=tmp_path / "o"))[0]
    assert item.status == "failed" and "no such file" in item.reason
    result = runner.invoke(app, ["batch", str(tmp_path / "none*.json"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "none*.json" in result.stdout


def test_usage_errors_exit_two_and_a_bad_policy_one(tmp_path: Path) -> None:
    usage = runner.invoke(app, ["batch", str(ROOT / "samples"), "--out", str(tmp_path), "--format", "rtf"])
    assert usage.exit_code == 2
    bad_policy = tmp_path / "p.yaml"
    bad_policy.write_text("nope.key: 1\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(ROOT / "samples"), "--out", str(tmp_path), "--policy", str(bad_policy)])
    assert result.exit_code == 1 and "nope.key: is not a policy key" in result.stderr  # an input, as in generate
    assert [p.name for p in tmp_path.iterdir()] == ["p.yaml"]  # no contract written


def test_workers_use_the_installed_package_even_beside_another_checkout(tmp_path: Path) -> None:
    """Run from a folder that holds another ``obc_builder`` (a checkout of another version), ``batch --jobs 2``'s
    workers still run the package the command itself imported (Python 3.11's fork server puts the current folder
    first on its path unless told not to)."""
    import subprocess
    import sys

    decoy = tmp_path / "checkout" / "obc_builder"
    decoy.mkdir(parents=True)
    marker = tmp_path / "decoy-imported"
    (decoy / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\nraise ImportError('the decoy')\n",
                                       encoding="utf-8")
    # The command as installed: its main process imports the installed package (a script's folder, not the
    # current one, comes first on its path); `python -c` or `-m` would import the decoy there too.
    script = ("import sys; sys.path = [p for p in sys.path if p not in ('', '.')]; "
              "from obc_builder.cli import run; sys.argv[0] = 'obc-builder'; run()")
    samples = [str(s) for s in sorted((ROOT / "samples").glob("hdt_*.json"))[:2]]
    done = subprocess.run([sys.executable, "-c", script, "batch", *samples, "--out", str(tmp_path / "out"),
                           "--jobs", "2"], cwd=decoy.parent, capture_output=True, text=True, timeout=300)
    assert not marker.exists(), "a worker imported the obc_builder of the current folder"
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(list((tmp_path / "out").glob("*.docx"))) == 2


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_stop_request_in_one_process_cannot_be_swallowed_by_the_code_it_lands_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: signal.Signals
) -> None:
    """The signal arrives while the third contract is in code that swallows KeyboardInterrupt (as C code calling
    back into Python can): the batch still stops after that contract, and says which inputs it did not do."""
    import obc_builder.batch as batch
    from obc_builder.cli_process import _terminated

    real_process = batch.process
    done: list[str] = []

    def process(path: str, name: str, options: Options, write: bool) -> object:
        if len(done) == 2:
            try:
                signal.raise_signal(signum)
                sum(range(1000))  # the handler runs here, inside the block that swallows what it raises
            except KeyboardInterrupt:
                pass
        done.append(name)
        return real_process(path, name, options, write)

    monkeypatch.setattr(batch, "process", process)
    before = signal.signal(signal.SIGTERM, _terminated)  # what the command line sets for SIGTERM
    try:
        paths = [SAMPLES[0]] * 6
        with pytest.raises(batch.BatchInterrupted) as stopped:
            run_batch(paths, Options(out=tmp_path), write=False)
        handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    finally:
        signal.signal(signal.SIGTERM, before)
    statuses = [item.status for item in stopped.value.items]
    assert len(done) == 3 and statuses[3:] == ["interrupted"] * 3 and "interrupted" not in statuses[:3]
    assert handlers == (signal.default_int_handler, _terminated)  # the batch's own handlers are gone after it


def test_the_fork_server_loads_once_what_every_worker_needs_and_the_chart_only_for_hdt(tmp_path: Path) -> None:
    """Workers are forked from the fork server, so what its preloaded modules load, each worker has without
    loading it: the clause library and master always, the chart's frame (matplotlib) only for a batch with HDT."""
    import subprocess
    import sys

    from obc_builder.batch import _has_hdt

    probe = ("import gc, sys, json; import obc_builder.{module}; from obc_builder import forecast_chart, library; "
             "print(json.dumps([library.load_library.cache_info().currsize, 'matplotlib' in sys.modules, "
             "forecast_chart._frame.cache_info().currsize, gc.get_freeze_count() > 0]))")
    for module, chart in (("_forkserver", False), ("_forkserver_chart", True)):
        shown = subprocess.run([sys.executable, "-c", probe.format(module=module)], capture_output=True, text=True,
                               check=True, timeout=120)
        assert json.loads(shown.stdout) == [3, chart, int(chart), True], shown.stderr

    ses, agr, hdt = (str(ROOT / "samples" / f"{name}.json") for name in ("ses_campus", "agr_single_school",
                                                                       "hdt_fast_math"))
    broken = tmp_path / "broken.json"
    broken.write_text("[1, 2", encoding="utf-8")
    assert not _has_hdt([(ses, "a"), (agr, "b"), (str(broken), "c"), (str(tmp_path / "missing.json"), "d")])
    assert _has_hdt([(ses, "a"), (str(broken), "c"), (hdt, "e")])


def _item(index: int, status: str = "ok") -> Item:
    name = f"contract{index:04d}"
    files = () if status == "failed" else (".docx", ".md", ".review.md", ".forecast.png", ".manifest.json")
    return Item(f"/a/long/folder/of/inputs/{name}.json", name, status=status,  # type: ignore[arg-type]
                reason="" if status == "ok" else "invalid JSON",
                outputs=[{"path": f"out/{name}{ending}", "sha256": "0"} for ending in files])


def test_the_summary_lists_every_input_of_a_small_batch_without_cutting_a_file_name(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from obc_builder.render.terminal import print_summary

    monkeypatch.setenv("COLUMNS", "80")
    print_summary([_item(1), _item(2, "failed"), _item(3, "warnings")])
    shown = capsys.readouterr().out
    assert "contract0001" in shown and "contract0002" in shown and "written to out" in shown
    for ending in (".docx", ".review.md", ".forecast.png", ".manifest.json"):  # whole, though the paths are long
        assert ending in shown
    assert max(len(line) for line in shown.splitlines()) <= 80
    assert shown.endswith("1 ok, 1 failed, 1 with warnings\n")


def test_a_large_batch_lists_only_the_inputs_that_need_a_look(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past LISTED_IN_FULL inputs, the table holds those not ok or skipped; the rest are counted, and the report
    is named as the list of every input."""
    import obc_builder.render.terminal as terminal

    monkeypatch.setattr(terminal, "LISTED_IN_FULL", 3)
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(4):
        (folder / f"ses{index}.json").write_bytes((ROOT / "samples" / "ses_campus.json").read_bytes())
    (folder / "broken.json").write_text("{ nope", encoding="utf-8")
    report = tmp_path / "report.json"
    result = runner.invoke(app, ["batch", str(folder), "--out", str(tmp_path / "out"), "--report", str(report)])
    assert result.exit_code == 1
    assert "broken.json" in result.stdout and "ses0" not in result.stdout
    assert f"4 inputs ok or skipped not listed; {report} lists every input" in result.stdout
    assert result.stdout.endswith("1 failed, 4 ok\n")
    assert len(json.loads(report.read_text(encoding="utf-8"))["inputs"]) == 5
