"""How the process ends: the exit code a command chose and everything it printed, without tearing the interpreter
down (``cli_process.run_command``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

_APP = """
import sys
from obc_builder.cli_process import run_command

def app():
    sys.stdout.write("x" * 100_000)  # no newline: still buffered when the exit handlers run
    {ending}

run_command(app)
"""


@pytest.mark.parametrize("ending, code", [
    ("sys.exit(0)", 0),
    ("sys.exit(None)", 0),
    ("sys.exit(2)", 2),
    ("sys.exit('a message')", 1),
    ("raise RuntimeError('a bug')", 1),
    ("raise KeyboardInterrupt", 130),
    ("return None", 0),
], ids=["exit 0", "exit None", "exit 2", "exit with a message", "an uncaught error", "Ctrl-C", "no sys.exit"])
def test_the_process_ends_with_the_commands_exit_code_and_all_it_printed(tmp_path: Path, ending: str,
                                                                          code: int) -> None:
    done = subprocess.run([sys.executable, "-c", _APP.format(ending=ending)], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == code, done.stderr
    assert done.stdout == "x" * 100_000
    if "message" in ending:
        assert done.stderr == "a message\n"
    if "RuntimeError" in ending:
        assert "Traceback" in done.stderr and "RuntimeError: a bug" in done.stderr
    if "KeyboardInterrupt" in ending:
        assert done.stderr == "interrupted\n"


def test_a_generate_prints_every_file_it_wrote_and_exits_0(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "obc_builder.cli", "generate",
                           str(ROOT / "samples" / "ses_campus.json"), "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(tmp_path / f"ses_campus{suffix}")
                                   for suffix in (".docx", ".md", ".review.md", ".manifest.json")]


def test_a_usage_error_exits_2_with_its_message(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "obc_builder.cli", "generate"], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == 2 and "Missing argument 'INPUT...'" in done.stderr


_COLLECTOR = """
import gc, sys
from obc_builder.cli import app
from obc_builder.cli_process import run_command

sys.argv = ["obc-builder", *sys.argv[1:]]
try:
    run_command(app)
except SystemExit:
    pass
print(gc.isenabled(), file=sys.stderr)
"""


@pytest.mark.parametrize("arguments, collecting", [
    (["generate", "ses_campus.json"], False),
    (["generate", "ses_campus.json", "ses_online.json"], True),
    (["batch", "ses_campus.json"], True),
], ids=["one contract: off to the end", "a second input: on again", "a batch: on again"])
def test_the_cycle_collector_is_on_again_for_a_command_that_goes_on_after_its_first_contract(
        tmp_path: Path, arguments: list[str], collecting: bool) -> None:
    command, *names = arguments
    inputs = [str(ROOT / "samples" / name) for name in names]
    done = subprocess.run([sys.executable, "-c", _COLLECTOR, command, *inputs, "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == str(collecting)


@pytest.mark.parametrize("users, seen", [(None, "1"), ("4", "4")], ids=["unset: one thread", "the user's setting"])
def test_numpy_starts_one_blas_thread_unless_the_user_says_otherwise(tmp_path: Path, users: str | None,
                                                                     seen: str) -> None:
    app = "import os, sys\nfrom obc_builder.cli_process import run_command\n" \
          "run_command(lambda: print(os.environ['OPENBLAS_NUM_THREADS']))\n"
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run([sys.executable, "-c", app], capture_output=True, text=True, cwd=tmp_path,
                          env=env if users is None else {**env, "OPENBLAS_NUM_THREADS": users})
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{seen}\n"
