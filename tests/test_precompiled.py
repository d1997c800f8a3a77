"""The library's compiled clause bodies, kept between processes (``obc_builder/precompiled.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from obc_builder.assemble import assemble
from obc_builder.library import load_library
from obc_builder.loading import load_contract

from .conftest import ROOT


def _fresh(family: str) -> tuple[object, ...]:
    return load_library.__wrapped__(family)  # type: ignore[attr-defined, no-any-return]


def test_a_family_compiled_once_is_read_back_and_assembles_the_same_contract(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBC_BUILDER_CACHE", str(tmp_path))
    contract = load_contract(ROOT / "samples" / "ses_online.json")
    compiled = _fresh("ses")
    (kept,) = tmp_path.glob("ses-*.bin")
    written = kept.stat().st_mtime_ns
    read = _fresh("ses")
    assert kept.stat().st_mtime_ns == written  # nothing was missing, so nothing was written again
    assert assemble(contract, clauses=read) == assemble(contract, clauses=compiled)  # type: ignore[arg-type]
    assert assemble(contract, clauses=read) == assemble(contract)


def test_a_damaged_file_is_passed_over_and_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBC_BUILDER_CACHE", str(tmp_path))
    _fresh("agr")
    (kept,) = tmp_path.glob("agr-*.bin")
    kept.write_bytes(b"not marshal data")
    contract = load_contract(ROOT / "samples" / "agr_single_school.json")
    assert assemble(contract, clauses=_fresh("agr")) == assemble(contract)  # type: ignore[arg-type]
    assert kept.read_bytes() != b"not marshal data"


def test_an_empty_setting_keeps_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBC_BUILDER_CACHE", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _fresh("hdt")
    assert list(tmp_path.rglob("*")) == []


@pytest.mark.parametrize("sample", ["hdt_fast_math", "hdt_per_session", "ses_online", "agr_partial_no_map"])
def test_front_matter_and_conditions_read_back_are_what_yaml_and_jinja_make(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample: str) -> None:
    from obc_builder.assemble import clause_context
    from obc_builder.templating import environment

    monkeypatch.setenv("OBC_BUILDER_CACHE", str(tmp_path))
    contract = load_contract(ROOT / "samples" / f"{sample}.json")
    family = str(contract.family)  # type: ignore[attr-defined]
    _fresh(family)
    read = _fresh(family)  # everything from the file now
    monkeypatch.setenv("OBC_BUILDER_CACHE", "")
    direct = _fresh(family)
    assert [(c.id, c.title, c.section, c.source, c.when, c.citations, c.fields, c.errata) for c in read] == \
        [(c.id, c.title, c.section, c.source, c.when, c.citations, c.fields, c.errata) for c in direct]
    context = clause_context(contract)
    conditioned = [clause for clause in read if clause.when]
    assert conditioned
    for clause in conditioned:
        assert clause.condition(**context) == environment().compile_expression(clause.when)(**context), clause.id
