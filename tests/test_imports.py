"""What a command imports: a `generate` only what it uses, `--help` none of the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


def _typer_imports(cwd: Path) -> set[str]:
    """What importing typer brings by itself: typer before 0.17 imports rich (and rich, markdown-it) when they are
    installed, which obc_builder cannot help; the checks are about what obc_builder imports."""
    done = subprocess.run([sys.executable, "-c", "import json, sys, typer; print(json.dumps(sorted(sys.modules)))"],
                          capture_output=True, text=True, cwd=cwd, env={"PATH": "/usr/bin:/bin"}, check=True)
    return _roots(set(json.loads(done.stdout)))


def test_generate_of_one_contract_imports_neither_docxtpl_nor_python_docx_nor_the_other_families(
        tmp_path: Path) -> None:
    modules = _imported("generate", str(ROOT / "samples" / "hdt_fast_math.json"), "--out", str(tmp_path / "out"),
                        cwd=tmp_path)
    assert (tmp_path / "out" / "hdt_fast_math.docx").is_file()
    assert "obc_builder.render.docx" in modules and "obc_builder.models.hdt" in modules
    assert not _roots(modules) - _typer_imports(tmp_path) & {"docxtpl", "docx", "lxml", "markdown_it", "questionary",
                                                             "rich"}
    assert not {"xml.sax", "urllib.request", "ssl", "obc_builder.models.ses", "obc_builder.models.agr",
                "obc_builder.rules.ses", "obc_builder.rules.agr", "obc_builder.wizard"} & modules


def test_help_imports_none_of_the_libraries_a_contract_needs(tmp_path: Path) -> None:
    modules = _imported("--help", cwd=tmp_path)
    assert not _roots(modules) - _typer_imports(tmp_path) & {"pydantic", "jinja2", "docxtpl", "docx", "lxml",
                                                             "markdown_it", "rich"}
