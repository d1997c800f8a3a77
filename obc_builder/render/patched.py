"""The Word master's templated parts as docxtpl patches them, prepared once and kept beside the master.

docxtpl turns the master's ``{%p if … %}`` and ``{{p body }}`` paragraphs into plain Jinja (``patch_xml``); importing
it (and python-docx and lxml with it) costs a fresh process more than everything else a contract needs from the
master. So ``templates/build_master.py`` stores the patched parts in ``contract.patched.json`` with the SHA-256 of
the master they were made from, and a process reads them from there. A master with other bytes (one rebuilt without
its file, or another master) is patched by docxtpl as before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

TEMPLATED = ("word/document.xml", "word/header1.xml", "word/footer1.xml")
"""The parts of the master that hold Jinja: the title block and body, the header and the footer."""


def stored_path(master: Path) -> Path:
    return master.with_name(f"{master.stem}.patched.json")


def patched_parts(master: Path, parts: dict[str, bytes], names: Sequence[str] = TEMPLATED) -> dict[str, str]:
    """Each part of ``names`` as docxtpl's ``patch_xml`` makes it: stored, when made from this very master."""
    try:
        stored = json.loads(stored_path(master).read_text(encoding="utf-8"))
        if stored["sha256"] == hashlib.sha256(master.read_bytes()).hexdigest():
            return {name: str(stored["parts"][name]) for name in names}  # KeyError: a part not stored
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no stored parts, or not for this master: patch them now
    return patch(master, parts, names)


def patch(master: Path, parts: dict[str, bytes], names: Sequence[str] = TEMPLATED) -> dict[str, str]:
    """The parts patched by docxtpl itself."""
    from docxtpl import DocxTemplate

    patcher = DocxTemplate(str(master))
    return {name: patcher.patch_xml(parts[name].decode("utf-8")) for name in names}


def store_patched(master: Path) -> Path:
    """Write ``<master>.patched.json`` for ``master`` (``templates/build_master.py`` calls it after building)."""
    import zipfile

    with zipfile.ZipFile(master) as archive:
        parts = {name: archive.read(name) for name in TEMPLATED}
    stored = {"sha256": hashlib.sha256(master.read_bytes()).hexdigest(), "parts": patch(master, parts)}
    path = stored_path(master)
    path.write_text(json.dumps(stored, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
