"""What a command imports: a `generate` only what it uses, `--help` none of the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

_RUN = """
import json, sys
from obc_builder.cli import run
sys.argv = ["obc-builder", *sys.argv[1:]]
try:
    run()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _imported(*arguments: str, cwd: Path) -> set[str]:
    done = subprocess.run([sys.executable, "-c", _RUN, *arguments], capture_output=True, text=True, cwd=cwd,
                          env={"OBC_BUILDER_CACHE": str(cwd / "cache"), "PATH": "/usr/bin:/bin",
                               "PYTHONDONTWRITEBYTECODE": "1"})
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def _roots(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def _typer_modules(cwd: Path) -> set[str]:
    """What importing typer brings by itself: typer before 0.17 imports rich (and rich, markdown-it) when they are
    installed, which obc_builder cannot help; the checks are about what obc_builder imports."""
    done = subprocess.run([sys.executable, "-c", "import json, sys, typer; print(json.dumps(sorted(sys.modules)))"],
                          capture_output=True, text=True, cwd=cwd, env={"PATH": "/usr/bin:/bin"}, check=True)
    return set(json.loads(done.stdout))


def _typer_imports(cwd: Path) -> set[str]:
    return _roots(_typer_modules(cwd))


_FAMILIES = ("hdt", "ses", "agr")


@pytest.mark.parametrize("family, sample", [("hdt", "hdt_fast_math"), ("ses", "ses_campus"), ("agr", "agr_multi_school")],
                         ids=["hdt", "ses", "agr"])
def test_generate_of_one_contract_imports_neither_docxtpl_nor_python_docx_nor_the_other_families(
        tmp_path: Path, family: str, sample: str) -> None:
    modules = _imported("generate", str(ROOT / "samples" / f"{sample}.json"), "--out", str(tmp_path / "out"),
                        cwd=tmp_path)
    assert (tmp_path / "out" / f"{sample}.docx").is_file()
    assert "obc_builder.render.docx" in modules and f"obc_builder.models.{family}" in modules
    assert not _roots(modules) - _typer_imports(tmp_path) & {"docxtpl", "docx", "lxml", "markdown_it", "questionary",
                                                             "rich"}
    again = _imported("generate", str(ROOT / "samples" / f"{sample}.json"), "--out", str(tmp_path / "out"),
                      cwd=tmp_path)
    assert "yaml" in modules and "yaml" not in again  # the clauses' front matter read back from the cache
    others = [name for name in _FAMILIES if name != family]
    assert not {"xml.sax", "urllib.request", "ssl", "obc_builder.wizard", "matplotlib.pyplot"} & modules
    assert not {module for module in modules for other in others
                if module.startswith((f"obc_builder.models.{other}", f"obc_builder.rules.{other}"))}


def test_help_imports_none_of_the_libraries_a_contract_needs(tmp_path: Path) -> None:
    modules = _imported("--help", cwd=tmp_path)
    assert not _roots(modules) - _typer_imports(tmp_path) & {"pydantic", "jinja2", "docxtpl", "docx", "lxml",
                                                             "markdown_it", "rich", "yaml"}
    assert not {"importlib.resources", "importlib.metadata"} & modules - _typer_modules(tmp_path)
