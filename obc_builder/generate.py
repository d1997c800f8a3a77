"""One contract from inputs to files: completeness, rules, rendering and atomic writes."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from .assemble import assemble
from .document import Document, notice_for
from .errors import BlockedByFindings, IncompleteInput
from .models.base import MissingInput, missing_inputs
from .outputs import write_files
from .policy import Policy
from .rules.engine import Finding, Severity, evaluate_rules

FORMATS = ("docx", "md")


@dataclass
class Generated:
    """What one generation wrote, and what the rules found."""

    outputs: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    """Outputs that already held exactly these bytes, left as they were."""

    def digests(self) -> dict[str, str]:
        return {str(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in self.outputs}


def unfilled_inputs(contract: BaseModel, document: Document) -> list[MissingInput]:
    """Every input a final contract still needs: those the model requires, then those a clause prints while
    unfilled that the model cannot call required in general (they depend on other answers, e.g. a tutoring
    program only when tutoring is chosen, a notice period only for a federally funded contract)."""
    found = {item.path: item for item in missing_inputs(contract)}
    for run in document.missing():
        if run.path and run.path not in found:
            found[run.path] = MissingInput(run.path, run.text[len("[insert "):-1])
    return list(found.values())


def check_final(contract: BaseModel, source: str, findings: Sequence[Finding],
                unfilled: Sequence[MissingInput] = ()) -> None:
    """Refuse a final contract with unfilled inputs or error findings, naming all of both at once."""
    missing = [str(item) for item in (unfilled or missing_inputs(contract))]
    errors = [f.line() for f in findings if f.severity is Severity.error]
    if missing:
        raise IncompleteInput(source, missing, errors)
    if errors:
        raise BlockedByFindings(source, errors)


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
    document = assemble(contract, draft=draft)
    if not draft:
        check_final(contract, source, findings, unfilled_inputs(contract, document))
    notice = notice_for(document, [f.message for f in findings if f.severity is Severity.error])
    files: dict[str, bytes] = {}
    if "docx" in formats:
        from .render.docx import render_docx

        files[f"{name}.docx"] = render_docx(document, findings if comments else (), notice,
                                            departures=getattr(contract, "departures", None))
    if "md" in formats:
        from .render.markdown import render_markdown

        files[f"{name}.md"] = render_markdown(document, notice).encode("utf-8")
    from .forecast_chart import forecast_chart
    from .review import render_review

    chart = forecast_chart(contract)
    if chart is not None:
        files[f"{name}.forecast.png"] = chart
    review = render_review(contract, document, findings, f"{name}.forecast.png" if chart else None)
    files[f"{name}.review.md"] = review.encode("utf-8")
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
    force: bool = False,
) -> Generated:
    """Render everything first, then write the files (see :mod:`.outputs`): a refused contract writes nothing."""
    files, findings = render_outputs(
        contract, source=source, name=name, formats=formats, draft=draft, comments=comments, policy=policy
    )
    written = write_files(out_dir, files, force=force)
    return Generated(outputs=written.paths, findings=findings, unchanged=written.unchanged)
