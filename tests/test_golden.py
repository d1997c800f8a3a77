"""Golden files: the Markdown and a text dump of the .docx of every sample, reviewed like code."""

from __future__ import annotations

from pathlib import Path

import pytest

from obc_builder.generate import render_outputs
from obc_builder.loading import load_contract

from .conftest import SAMPLES, compare_golden, docx_dump


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_matches_golden_markdown_and_docx(sample: Path, update_goldens: bool) -> None:
    files, _ = render_outputs(load_contract(sample), source=str(sample), name=sample.stem)
    compare_golden(f"{sample.stem}.md", files[f"{sample.stem}.md"].decode("utf-8"), update_goldens)
    compare_golden(f"{sample.stem}.docx.txt", docx_dump(files[f"{sample.stem}.docx"]), update_goldens)
    compare_golden(f"{sample.stem}.review.md", files[f"{sample.stem}.review.md"].decode("utf-8"), update_goldens)


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_is_complete_with_no_template_syntax_left(sample: Path) -> None:
    files, findings = render_outputs(load_contract(sample), source=str(sample), name=sample.stem)
    markdown = files[f"{sample.stem}.md"].decode("utf-8")
    dump = docx_dump(files[f"{sample.stem}.docx"])
    for text in (markdown, dump):
        assert "{{" not in text and "{%" not in text
        assert "[insert" not in text and "\\[insert" not in text
    assert not [f for f in findings if f.severity.value == "error"]
