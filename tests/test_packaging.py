"""End to end, outside the checkout: the wheel ships clauses/ and templates/, the sdist carries the whole project,
and LibreOffice opens the .docx."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow


def test_wheel_installs_into_a_clean_venv_and_generates_outside_the_repo(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(ROOT)],
                   check=True, cwd=tmp_path)
    wheel = next(dist.glob("obc_builder-*.whl"))
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "obc_builder/_data/templates/contract.docx" in names
    assert "obc_builder/_data/clauses/hdt/a01_preamble.j2" in names
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(env_dir)
    # The dependencies come from this test run's environment, so no network is needed; the package itself
    # is installed only from the wheel.
    site = next((env_dir / "lib").glob("python*/site-packages"))
    (site / "deps.pth").write_text("\n".join(p for p in sys.path if p.endswith("site-packages")) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site), str(wheel)],
                   check=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(ROOT / "samples" / "hdt_fast_math.json", work / "contract.json")
    python = env_dir / "bin" / "python"
    code = "import obc_builder, sys; assert 'site-packages' in obc_builder.__file__, obc_builder.__file__; " \
           "from obc_builder.cli import run; sys.argv=['obc-builder','generate','contract.json','--out','out']; run()"
    result = subprocess.run([str(python), "-c", code], cwd=work, capture_output=True, text=True,
                            env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert result.returncode == 0, result.stderr
    assert (work / "out" / "contract.docx").stat().st_size > 10_000
    assert "WHEREAS" in (work / "out" / "contract.md").read_text(encoding="utf-8")


# What an sdist must carry to run the test suite from it: a file of each folder, and the top-level files.
SDIST_MUST_HOLD = [
    "obc_builder/cli.py", "clauses/hdt/a01_preamble.j2", "templates/contract.docx", "templates/build_master.py",
    "samples/hdt_fast_math.json", "sources/README.md", "sources/000_center_obc_hdt_contract_template.txt",
    "sources/002_fdoe_ses_provider_contracts.txt", "sources/004_wisconsin_dpi_agr_contract.txt",
    "tests/conftest.py", "tests/test_packaging.py", "docs/clauses.md", "benchmarks/README.md",
    "LICENSE", "README.md", "Makefile", "pyproject.toml", "PKG-INFO",
]
# Present in the sdist whenever they are in the repository (the Node test tools and their settings).
SDIST_IF_PRESENT = ["package.json", "package-lock.json", ".markdownlint.jsonc", ".markdownlint.json",
                    ".markdownlint.yaml", ".markdownlint-cli2.jsonc", ".markdownlint-cli2.yaml"]


def test_sdist_carries_the_tests_docs_sources_and_everything_they_need(tmp_path: Path) -> None:
    import tarfile

    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--sdist", "--outdir", str(dist), str(ROOT)],
                   check=True, cwd=tmp_path, capture_output=True)
    sdist = next(dist.glob("obc_builder-*.tar.gz"))
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    top = names[0].split("/")[0]
    inside = {name.removeprefix(f"{top}/") for name in names}
    wanted = SDIST_MUST_HOLD + [name for name in SDIST_IF_PRESENT if (ROOT / name).exists()]
    assert [name for name in wanted if name not in inside] == []
    golden = {path.relative_to(ROOT).as_posix() for path in (ROOT / "tests" / "golden").iterdir()}
    assert golden <= inside, "every golden file ships, or the golden tests cannot run from the sdist"
    leaked = sorted(name for name in inside if name.split("/")[0] in {"node_modules", ".venv", "out", "dist"}
                    or "__pycache__" in name.split("/"))
    assert leaked == []


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def test_libreoffice_converts_the_contract_to_a_pdf_with_every_page(tmp_path: Path) -> None:
    soffice = _soffice()
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is not installed; .ci/run must install libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed here (CI installs it)")
    from obc_builder.generate import generate_files
    from obc_builder.loading import load_contract

    sample = ROOT / "samples" / "hdt_fast_math.json"
    generate_files(load_contract(sample), tmp_path, source=str(sample), name="contract", formats=("docx",))
    profile = tmp_path / "profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(tmp_path / "contract.docx")],
        capture_output=True, text=True, timeout=240,
    )
    pdf = tmp_path / "contract.pdf"
    assert pdf.exists(), result.stderr
    assert pdf.stat().st_size > 20_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "SECTION A: PREAMBLE" in text and "Termination" in text
        assert "Page 1 of" in text and "Rate Card" in text
