"""The Word master's templated parts, patched by docxtpl once and stored beside the master."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

from obc_builder.bundled import data_dir
from obc_builder.render.patched import TEMPLATED, patch, patched_parts, stored_path

MASTER = data_dir("templates") / "contract.docx"


def _parts(master: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(master) as archive:
        return {name: archive.read(name) for name in TEMPLATED}


def test_the_stored_parts_are_what_docxtpl_makes_of_the_bundled_master_so_make_master_was_run() -> None:
    stored = json.loads(stored_path(MASTER).read_text(encoding="utf-8"))
    assert stored["sha256"] == hashlib.sha256(MASTER.read_bytes()).hexdigest()
    assert stored["parts"] == patch(MASTER, _parts(MASTER))
    assert "{{p body }}" not in stored["parts"]["word/document.xml"]
    assert "{{ body }}" in stored["parts"]["word/document.xml"]


def test_stored_parts_are_used_only_for_the_master_they_were_made_from(tmp_path: Path) -> None:
    master = tmp_path / "contract.docx"
    shutil.copy(MASTER, master)
    stored = json.loads(stored_path(MASTER).read_text(encoding="utf-8"))
    stored["parts"]["word/footer1.xml"] = "<stored/>"
    stored_path(master).write_text(json.dumps(stored), encoding="utf-8")
    assert patched_parts(master, _parts(master))["word/footer1.xml"] == "<stored/>"
    stored["sha256"] = hashlib.sha256(b"another master").hexdigest()
    stored_path(master).write_text(json.dumps(stored), encoding="utf-8")
    assert patched_parts(master, _parts(master)) == patch(MASTER, _parts(MASTER))
    stored_path(master).unlink()
    assert patched_parts(master, _parts(master)) == patch(MASTER, _parts(MASTER))
