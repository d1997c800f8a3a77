"""The generation manifest: what made a contract, so that a signed copy can be traced and regenerated.

``<name>.manifest.json`` records the obc-builder version, the family, the options, and the SHA-256 of the input,
of each clause file used, of the Word master and of each output file. The .docx carries the same record in its
custom document properties, so a contract separated from its manifest still says what made it, except the outputs'
digests (a file cannot hold its own) and the input's file name (the same input under another name makes the same
contract). Nothing here reads the clock: identical inputs give identical bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .bundled import data_dir
from .document import Document
from .version import __version__

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .policy import Policy

PREFIX = "obc-builder"
"""Every custom property's name starts with it, so they sort together in Word's list."""


@cache
def file_sha256(path: Path) -> str:
    """A file's SHA-256, read once per process (clause files and masters do not change while it runs)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _shown(path: Path) -> str:
    """A clause file as the manifest names it: relative to the bundled library (``clauses/hdt/a01_preamble.j2``)."""
    library = data_dir("clauses")
    try:
        return f"clauses/{path.relative_to(library).as_posix()}"
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Provenance:
    """What one contract was made from."""

    family: str
    input_name: str
    input_sha256: str
    clauses: tuple[tuple[str, str, str], ...]
    """Each clause used, in the contract's order: its id, its file, the file's SHA-256."""
    master: tuple[str, str] | None = None
    """The Word master's file name and SHA-256 (``None`` when no Word file was made)."""
    policy: tuple[tuple[str, str], ...] = ()
    """The recommended values a district policy file changed (key, value in force): the findings depend on them."""

    @classmethod
    def of(cls, document: Document, input_name: str, input_sha256: str,
           master: tuple[str, str] | None = None, policy: Policy | None = None) -> Provenance:
        clauses = tuple((info.id, _shown(info.path), file_sha256(info.path))
                        for info in document.clauses if info.path is not None)
        return cls(document.family, input_name, input_sha256, clauses, master, _overrides(policy, document.family))

    def properties(self) -> list[tuple[str, str]]:
        """The record as custom document properties (name, text), in a fixed order."""
        found = [(f"{PREFIX} version", __version__), (f"{PREFIX} family", self.family),
                 (f"{PREFIX} input SHA-256", self.input_sha256)]
        if self.master:
            found += [(f"{PREFIX} master", self.master[0]), (f"{PREFIX} master SHA-256", self.master[1])]
        if self.policy:
            found.append((f"{PREFIX} policy", "; ".join(f"{key} = {value}" for key, value in self.policy)))
        found += [(f"{PREFIX} clause {clause_id} SHA-256", digest) for clause_id, _, digest in self.clauses]
        return found

    def manifest_json(self, outputs: Mapping[str, bytes], options: Mapping[str, object]) -> bytes:
        """``<name>.manifest.json``: the record, the options that shaped the files and each output's SHA-256."""
        record = {
            "generator": {"name": "obc-builder", "version": __version__},
            "family": self.family,
            "options": dict(options),
            "input": {"file": self.input_name, "sha256": self.input_sha256},
            "master": {"file": self.master[0], "sha256": self.master[1]} if self.master else None,
            "policy": dict(self.policy),
            "clauses": [{"id": i, "file": f, "sha256": d} for i, f, d in self.clauses],
            "outputs": [{"file": name, "sha256": hashlib.sha256(data).hexdigest()} for name, data in outputs.items()],
        }
        return (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@cache
def _default_policy() -> Policy:
    from .policy import Policy

    return Policy()


def _overrides(policy: Policy | None, family: str) -> tuple[tuple[str, str], ...]:
    """The values of the contract's family that ``policy`` sets apart from the defaults (the other families' do not
    bear on it, and are not read)."""
    if policy is None:
        return ()
    defaults = _default_policy().of_family(family)
    return tuple((key, str(entry.value)) for key, entry in policy.of_family(family).items()
                 if entry.value != defaults[key].value)


def input_digest(contract: BaseModel, given: str | None) -> str:
    """The input's SHA-256: of the file's bytes when they were read, else of the validated input as JSON."""
    return given or hashlib.sha256(contract.model_dump_json().encode("utf-8")).hexdigest()

