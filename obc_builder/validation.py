"""``obc-builder validate``: every finding and unfilled input of one input file, grouped by contract section."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .district import DistrictClauses
from .generate import check_contract, unfilled_inputs
from .loading import load_contract
from .models.base import MissingInput
from .policy import Policy
from .review import section_of
from .rules.engine import Finding, Severity


@dataclass
class Report:
    source: str
    findings: list[tuple[str, Finding]] = field(default_factory=list)
    missing: list[MissingInput] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.missing) or any(f.severity is Severity.error for _, f in self.findings)

    def as_text(self) -> str:
        lines: list[str] = []
        for section in sorted({s for s, _ in self.findings}):
            lines.append(f"Section {section}")
            for _, finding in (item for item in self.findings if item[0] == section):
                where = finding.path or f"clause {finding.clause}"
                lines.append(f"  {finding.severity.value:<7} {finding.rule}: {where}: {finding.message}")
                lines.append(f"          fix: {finding.fix} (source: {finding.source})")
        if self.missing:
            lines.append("Unfilled inputs (a final contract needs them)")
            lines += [f"  {item}" for item in self.missing]
        errors = sum(1 for _, f in self.findings if f.severity is Severity.error)
        warnings = sum(1 for _, f in self.findings if f.severity is Severity.warning)
        lines.append(f"{self.source}: {errors} error(s), {warnings} warning(s), {len(self.missing)} unfilled input(s)")
        return "\n".join(lines)

    def as_json(self) -> str:
        return json.dumps({
            "input": self.source,
            "ok": not self.has_errors,
            "findings": [dict(section=section, **finding.as_dict()) for section, finding in self.findings],
            "unfilled": [{"path": m.path, "title": m.title} for m in self.missing],
        }, indent=2, ensure_ascii=False)


def validate_file(path: Path | str, policy: Policy | None = None, district: DistrictClauses | None = None) -> Report:
    """Findings and unfilled inputs of one input file (``-``: standard input); with ``district``, a district's own
    clauses are assembled in (a broken one is refused) and each one in the contract is a warning."""
    contract = load_contract(path)
    findings, document, _ = check_contract(contract, policy, district)
    source = "<stdin>" if str(path) == "-" else str(path)
    return Report(source, [(section_of(document, f.path), f) for f in findings], unfilled_inputs(contract, document))
