"""Shared fixtures: the samples, a text dump of a .docx, and golden-file comparison."""

from __future__ import annotations

import copy
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.json"))
GOLDEN = Path(__file__).resolve().parent / "golden"
# The source documents the contracts transcribe, kept verbatim in the repository (see sources/README.md).
SOURCES = ROOT / "sources"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/golden/ from the current output")


_OWN_CACHE = "obc-builder-test-cache-"


def pytest_configure(config: pytest.Config) -> None:
    """What obc-builder keeps between processes (compiled clauses, forecast charts) goes to a folder of this test
    run, not the user's ~/.cache, unless OBC_BUILDER_CACHE is set: nothing a test keeps outlives the run."""
    if "OBC_BUILDER_CACHE" not in os.environ:
        os.environ["OBC_BUILDER_CACHE"] = tempfile.mkdtemp(prefix=_OWN_CACHE)


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = os.environ.get("OBC_BUILDER_CACHE", "")
    if Path(folder).name.startswith(_OWN_CACHE):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def sample_data(name: str) -> dict[str, Any]:
    return copy.deepcopy(json.loads((ROOT / "samples" / f"{name}.json").read_text(encoding="utf-8")))


@pytest.fixture
def fast_math() -> dict[str, Any]:
    return sample_data("hdt_fast_math")


def docx_dump(data: bytes) -> str:
    """What a .docx says: one line per paragraph (style: text), table rows as cells joined by ' | '."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from .word_numbering import WordNumbers

    document = Document(io.BytesIO(data))
    numbers = WordNumbers(data)  # the number Word prints before a list item, a tab after it
    lines = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            label = numbers.label(item._p)
            if item.text.strip():
                lines.append(f"{item.style.name}: {label + chr(9) if label else ''}{item.text}")
        elif isinstance(item, Table):
            lines.append("[table]")
            for row in item.rows:
                seen: list[Any] = []
                cells = []
                for cell in row.cells:
                    if cell._tc in seen:  # a merged cell repeats; print it once
                        continue
                    seen.append(cell._tc)
                    cells.append(cell.text.replace("\n", " / "))
                lines.append(" | ".join(cells))
            lines.append("[/table]")
    return "\n".join(lines) + "\n"


def compare_golden(name: str, actual: str, update: bool) -> None:
    path = GOLDEN / name
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"golden file {path.name} did not exist; it has been written, review and commit it")
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from its golden file (run pytest --update-goldens and review the diff)"
