"""One contract from inputs to files: completeness, rules, rendering and atomic writes."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from .assemble import assemble
from .errors import BlockedByFindings, IncompleteInput, OutputError
from .models.base import missing_inputs
from .policy import Policy
from .rules.engine import Finding, Severity, evaluate_rules

FORMATS = ("docx", "md")


@dataclass
class Generated:
    """What one generation wrote, and what the rules found."""

    outputs: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def digests(self) -> dict[str, str]:
        return {str(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in self.outputs}


def check_final(contract: BaseModel, source: str, findings: Sequence[Finding]) -> None:
    """Refuse a final contract with unfilled inputs or error findings."""
    missing = missing_inputs(contract)
    if missing:
        raise IncompleteInput(source, [str(item) for item in missing])
    errors = [f for f in findings if f.severity is Severity.error]
    if errors:
        raise BlockedByFindings(source, [f.line() for f in errors])


def write_atomic(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so no reader sees half a file."""
    if not overwrite and path.exists():
        raise FileExistsError(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise NotADirectoryError(20, "a file stands where its folder should be", str(path.parent)) from None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        if overwrite:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails if the file appeared meanwhile: never overwrite by accident
            os.unlink(temporary)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def render_outputs(
    contract: BaseModel,
    *,
    source: str,
    name: str,
    formats: Sequence[str] = FORMATS,
    draft: bool = False,
    comments: bool = True,
    policy: Policy | None = None,
) -> tuple[dict[str, bytes], list[Finding]]:
    """Every output file's bytes, keyed by file name, plus the findings. Nothing is written here."""
    findings = evaluate_rules(contract, policy)
    if not draft:
        check_final(contract, source, findings)
    document = assemble(contract, draft=draft)
    if not draft and (unfilled := document.missing()):
        # An input a clause prints but the model cannot call required in general (it depends on other
        # answers, e.g. a tutoring program only when tutoring is chosen) is still refused in a final contract.
        seen = dict.fromkeys(f"{run.path}: {run.text[len('[insert '):-1]} is not filled in" for run in unfilled)
        raise IncompleteInput(source, list(seen))
    files: dict[str, bytes] = {}
    if "docx" in formats:
        from .render.docx import render_docx

        files[f"{name}.docx"] = render_docx(document, findings if comments else ())
    if "md" in formats:
        from .document import DRAFT_NOTICE
        from .render.markdown import render_markdown

        files[f"{name}.md"] = render_markdown(document, DRAFT_NOTICE).encode("utf-8")
    from .review import render_review

    files[f"{name}.review.md"] = render_review(contract, document, findings).encode("utf-8")
    return files, findings


def generate_files(
    contract: BaseModel,
    out_dir: Path,
    *,
    source: str,
    name: str,
    formats: Sequence[str] = FORMATS,
    draft: bool = False,
    comments: bool = True,
    policy: Policy | None = None,
    overwrite: bool = True,
) -> Generated:
    """Render everything first, then write each file atomically: a refused contract writes nothing."""
    files, findings = render_outputs(
        contract, source=source, name=name, formats=formats, draft=draft, comments=comments, policy=policy
    )
    result = Generated(findings=findings)
    for filename, data in files.items():
        path = out_dir / filename
        try:
            write_atomic(path, data, overwrite=overwrite)
        except FileExistsError:
            raise OutputError(str(path), "it exists already") from None
        except OSError as error:
            raise OutputError(str(path), error.strerror or type(error).__name__) from error
        result.outputs.append(path)
    return result
