"""--format pdf: the contract converted by LibreOffice, or one clear sentence on how to install it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from obc_builder.render.pdf import reproducible

from .conftest import ROOT

SAMPLE = ROOT / "samples" / "hdt_fast_math.json"
CLI = [sys.executable, "-m", "obc_builder"]


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, check=False, timeout=600, env=env)


def test_without_libreoffice_pdf_is_refused_with_how_to_install_it(tmp_path: Path) -> None:
    """Run with a PATH that holds no soffice or libreoffice (only an empty folder)."""
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}
    for command in (["generate", str(SAMPLE)], ["batch", str(SAMPLE)]):
        done = _run(*command, "--out", str(tmp_path / "out"), "--format", "docx,pdf", env=env)
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "--format pdf needs LibreOffice" in lines[0]
        assert "apt-get install libreoffice-writer" in lines[0] and "leave pdf out of --format" in lines[0]
        assert not (tmp_path / "out").exists()  # refused before any contract was written
    assert _run("generate", str(SAMPLE), "--out", str(tmp_path / "md"), "--format", "md", env=env).returncode == 0


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail("LibreOffice is not installed; .ci/install-tools installs libreoffice-writer-nogui")
    return found


@pytest.mark.slow
def test_pdf_is_the_contract_and_the_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    _soffice()
    for folder in ("a", "b"):
        done = _run("generate", str(SAMPLE), "--out", str(tmp_path / folder), "--format", "pdf")
        assert done.returncode == 0, done.stderr
    pdf = (tmp_path / "a" / "hdt_fast_math.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf == (tmp_path / "b" / "hdt_fast_math.pdf").read_bytes()
    assert not (tmp_path / "a" / "hdt_fast_math.docx").exists()  # only what --format asks for
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "a" / "hdt_fast_math.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "SECTION A: PREAMBLE" in text and "Bright Path Tutoring, Inc." in text and "Page 1 of" in text
    info = subprocess.run(["pdfinfo", str(tmp_path / "a" / "hdt_fast_math.pdf")], capture_output=True, text=True,
                          check=True).stdout
    assert "Jul  1 00:00:00 2024" in info  # the contract's date, not the clock's


@pytest.mark.slow
def test_parallel_workers_convert_without_colliding(tmp_path: Path) -> None:
    _soffice()
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("hdt_fast_math", "ses_online", "agr_single_school"):
        shutil.copy(ROOT / "samples" / f"{name}.json", inputs / f"{name}.json")
    done = _run("batch", str(inputs), "--out", str(tmp_path / "out"), "--format", "pdf", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    for name in ("hdt_fast_math", "ses_online", "agr_single_school"):
        assert (tmp_path / "out" / f"{name}.pdf").read_bytes().startswith(b"%PDF-")


def test_the_clock_and_random_ids_are_replaced_in_place() -> None:
    pdf = (b"%PDF-1.4\n1 0 obj <</CreationDate(D:20261130005744Z')>> endobj\ntrailer <</ID [ <" + b"A" * 32 +
           b">\n<" + b"B" * 32 + b"> ]\n/DocChecksum /" + b"C" * 32 + b">>\nstartxref\n9\n%%EOF\n")
    fixed = reproducible(pdf, "2024-07-01T00:00:00Z")
    assert len(fixed) == len(pdf)  # every offset of the cross-reference table stays right
    assert b"/CreationDate(D:20240701000000Z')" in fixed
    assert b"A" * 32 not in fixed and b"B" * 32 not in fixed and b"C" * 32 not in fixed
    assert fixed == reproducible(pdf.replace(b"A" * 32, b"D" * 32), "2024-07-01T00:00:00Z")
