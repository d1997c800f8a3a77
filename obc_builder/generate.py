"""One contract from inputs to files: completeness, rules, rendering and atomic writes."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from .assemble import assemble
from .district import DistrictClauses, district_findings, library_with
from .document import Document, notice_for
from .errors import BlockedByFindings, IncompleteInput
from .library import Clause
from .models.base import MissingInput, missing_inputs
from .models.derived import fixed_inputs
from .outputs import write_files
from .policy import Policy
from .rules.engine import Finding, Severity, evaluate_rules

FORMATS = ("docx", "md", "pdf")
DEFAULT_FORMATS = ("docx", "md")


@dataclass
class Generated:
    """What one generation wrote, and what the rules found."""

    outputs: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    """Outputs that already held exactly these bytes, left as they were."""

    def digests(self) -> dict[str, str]:
        return {str(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in self.outputs}


def prepare_outputs(formats: Sequence[str], template: Path | None) -> str | None:
    """Refuse at once, before any input is read, what would fail for every one: a PDF without LibreOffice, a Word
    master that cannot be used. The master's path as the renderer takes it (``None``: the bundled one)."""
    if "pdf" in formats:
        from .render.pdf import require_soffice

        require_soffice()
    if template is not None and {"docx", "pdf"} & set(formats):
        from .render.master import load_master

        load_master(str(template))
    return str(template) if template is not None else None


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
    formats: Sequence[str] = DEFAULT_FORMATS,
    draft: bool = False,
    comments: bool = True,
    policy: Policy | None = None,
    district: DistrictClauses | None = None,
    review_docx: bool = False,
    template: str | None = None,
    input_sha256: str | None = None,
) -> tuple[dict[str, bytes], list[Finding]]:
    """Every output file's bytes, keyed by file name, plus the findings. Nothing is written here.

    ``district``: a district's own clauses (``--clauses DIR``), each one a warning; ``review_docx``: a Word copy of
    the review file too. ``template``: a district's Word master (``None``: the bundled one). ``input_sha256``: the
    SHA-256 of the input file's bytes, for the manifest (``None``: of the validated input as JSON)."""
    with fixed_inputs():  # the contract's figures and unfilled inputs, read by most of what follows, computed once
        return _render_outputs(contract, source, name, formats, draft, comments, policy, district, review_docx,
                               template, input_sha256)


def _render_outputs(contract: BaseModel, source: str, name: str, formats: Sequence[str], draft: bool, comments: bool,
                    policy: Policy | None, district: DistrictClauses | None, review_docx: bool, template: str | None,
                    input_sha256: str | None) -> tuple[dict[str, bytes], list[Finding]]:
    from .manifest import Provenance, input_digest

    findings, document, clauses = check_contract(contract, policy, district, draft)
    if not draft:
        check_final(contract, source, findings, unfilled_inputs(contract, document))
    notice = notice_for(document, [f.message for f in findings if f.severity is Severity.error])
    files: dict[str, bytes] = {}
    master = None
    if "docx" in formats or "pdf" in formats:
        from .render.master import load_master

        master = load_master(template)
    provenance = Provenance.of(document, Path(source).name, input_digest(contract, input_sha256),
                               (master.name, master.sha256) if master else None, policy)
    if master is not None:
        from .render.docx import render_docx

        word = render_docx(document, findings if comments else (), notice,
                           departures=getattr(contract, "departures", None), template=template,
                           properties=provenance.properties())
        if "docx" in formats:
            files[f"{name}.docx"] = word
        if "pdf" in formats:
            from .render.docx import contract_stamp
            from .render.pdf import docx_to_pdf

            files[f"{name}.pdf"] = docx_to_pdf(word, contract_stamp(document), name)
    if "md" in formats:
        from .render.markdown import render_markdown

        files[f"{name}.md"] = render_markdown(document, notice).encode("utf-8")
    from .forecast_chart import forecast_chart
    from .review import render_review

    chart = forecast_chart(contract)
    if chart is not None:
        files[f"{name}.forecast.png"] = chart
    review = render_review(contract, document, findings, clauses, f"{name}.forecast.png" if chart else None)
    files[f"{name}.review.md"] = review.encode("utf-8")
    if review_docx:
        from .render.review_docx import render_review_docx

        files[f"{name}.review.docx"] = render_review_docx(review, document, chart)
    options = {"formats": [f for f in FORMATS if f in formats], "draft": draft, "comments": comments,
               "review_docx": review_docx}
    files[f"{name}.manifest.json"] = provenance.manifest_json(files, options)
    return files, findings


def check_contract(contract: BaseModel, policy: Policy | None = None, district: DistrictClauses | None = None,
                   draft: bool = True) -> tuple[list[Finding], Document, tuple[Clause, ...]]:
    """The findings (the rules', then one per district clause in the contract), the assembled document and the
    clause library it was assembled from."""
    clauses = library_with(str(getattr(contract, "family")), district)  # noqa: B009 - every family model has it
    document = assemble(contract, draft=draft, clauses=clauses)
    findings = evaluate_rules(contract, policy) + district_findings(clauses, {info.id for info in document.clauses})
    order = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}
    return sorted(findings, key=lambda f: order[f.severity]), document, clauses


def generate_files(
    contract: BaseModel,
    out_dir: Path,
    *,
    source: str,
    name: str,
    formats: Sequence[str] = DEFAULT_FORMATS,
    draft: bool = False,
    comments: bool = True,
    policy: Policy | None = None,
    force: bool = False,
    district: DistrictClauses | None = None,
    review_docx: bool = False,
    template: str | None = None,
    input_sha256: str | None = None,
) -> Generated:
    """Render everything first, then write the files (see :mod:`.outputs`): a refused contract writes nothing."""
    files, findings = render_outputs(
        contract, source=source, name=name, formats=formats, draft=draft, comments=comments, policy=policy,
        district=district, review_docx=review_docx, template=template, input_sha256=input_sha256,
    )
    written = write_files(out_dir, files, force=force)
    return Generated(outputs=written.paths, findings=findings, unchanged=written.unchanged)
