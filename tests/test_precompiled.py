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
