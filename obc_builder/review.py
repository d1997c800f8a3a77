"""``<name>.review.md``: the memo a district's lawyer reads first.

It opens with what differs from the standard (:mod:`.memo`), then every finding by contract section, the
checklist of what a reviewer confirms by hand, the financial summary, every clause with its source and why it is
in the contract (:mod:`.memo`), and the inputs still unfilled. Each section is a function of :class:`Review`
returning its Markdown lines; places are named as the contract numbers them ("Section I.1.b").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from . import forecast
from .document import Document
from .library import Clause, load_library
from .locations import describe_path, plain_source
from .memo import clauses_section, deviations_section
from .models.base import MissingInput, field_extra, missing_inputs
from .places import Places, block_places, place_of_clause, place_of_field
from .render.markdown import escape, inline_text
from .rules.engine import Finding, checklist_for
from .selection import Selection
from .templating import format_date, format_money, format_number, format_percent


def format_figure(value: Any, unit: str) -> str:
    """A derived figure as a reviewer reads it: money, percentages, counts, dates, yes/no, lists."""
    if value is None:
        return "not computable yet (inputs missing)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, (list, tuple)):
        return "; ".join(format_figure(item, unit) for item in value) or "none"
    if unit == "$":
        return format_money(value)
    if unit == "%":
        return format_percent(value)
    if isinstance(value, (int, Decimal)):
        return format_number(value) if value == int(value) else str(value)
    return str(value)


def figure_rows(contract: BaseModel) -> list[tuple[str, str]]:
    """(title, formatted value) for each derived figure of the contract's family."""
    figures = getattr(contract, "figures", None)
    if not callable(figures):
        return []
    model = figures()
    rows = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        items = value if isinstance(value, (list, tuple)) else [value]
        if any(isinstance(item, BaseModel) for item in items):
            continue  # structured helpers for the clauses, not figures a reviewer checks
        rows.append((info.title or name, format_figure(value, field_extra(info).get("x-unit", ""))))
    return rows


def section_of(document: Document, path: str) -> str:
    """The contract section a finding belongs to: where its field shows (as its Word comment does)."""
    clause = document.clause_for(path)
    return clause.section if clause else "General"


def finding_section(document: Document, finding: Finding) -> str:
    """The section of a finding: its clause's (a finding about a clause), else where its field shows."""
    if finding.clause and any(info.id == finding.clause for info in document.clauses):
        return document.clause(finding.clause).section
    return section_of(document, finding.path)


def _unfilled(model: type[BaseModel], item: MissingInput) -> str:
    """An unfilled input by its place: "Section A · Parties › District", "… › Performance objectives (at least
    2 entries)"."""
    where = describe_path(model, item.path)
    plain = where.split(" › ")[-1].split(" · ")[-1]
    return where + item.title.removeprefix(plain) if item.title.startswith(plain) else f"{where}: {item.title}"


@dataclass
class Review:
    """What every section of the review reads: the contract, its document and findings, the clauses it was
    assembled from, and each block's place in the contract's own numbering."""

    contract: BaseModel
    document: Document
    findings: Sequence[Finding]
    clauses: tuple[Clause, ...]
    places: Places = field(default_factory=Places)
    chart: str | None = None
    """The payment forecast chart's file name, linked from its section (HDT)."""
    selected: list[Selection] | None = None
    """Every clause and why it is in the contract or left out (computed once, by :mod:`.memo`)."""

    @property
    def model(self) -> type[BaseModel]:
        return type(self.contract)

    @property
    def reasons(self) -> dict[str, str]:
        return dict(getattr(self.contract, "departures", None) or {})

    def where(self, finding: Finding) -> str:
        """A finding's place: "Section I.1.b · Accountability › Student attendance", "Section K · Term"."""
        if finding.clause:
            title = next((c.title for c in self.clauses if c.id == finding.clause), finding.clause)
            place = place_of_clause(self.document, finding.clause, self.places)
            return f"{place or 'Not in this contract'} · {title}"
        named = []
        for path in finding.paths:
            place = place_of_field(self.document, path, self.places)
            words = describe_path(self.model, path)
            words = words.split(" · ", 1)[-1] if words.startswith("Section ") else words
            named.append(f"{place} · {words}" if place else words)
        return "; ".join(named)


def render_review(contract: BaseModel, document: Document, findings: Sequence[Finding],
                  clauses: tuple[Clause, ...] | None = None, chart: str | None = None) -> str:
    """The review file: what differs from the standard first, then the findings, the checklist, the figures, every
    clause and why it is there, and what is still unfilled. ``clauses``: the library the document was assembled from
    (a district's clauses in it), by default the family's standard clauses; ``chart``: the payment forecast chart's
    file name (HDT), linked from the forecast that follows the financial summary."""
    review = Review(contract, document, findings, clauses or load_library(document.family),
                    block_places(document), chart)
    parties = inline_text(f"{document.district} · {document.provider}", block_start=True)
    lines = [f"# Review: {escape(document.title)}", "", parties, ""]
    for section in (deviations_section, findings_section, checklist_section, figures_section, forecast_section,
                    clauses_section, unfilled_section):
        lines += section(review)
    return "\n".join(lines).rstrip("\n") + "\n"


def forecast_section(review: Review) -> list[str]:
    """What the District pays at 20 %–80 % achievement, and where the caps bind (HDT; see :mod:`.forecast`)."""
    return forecast.review_lines(review.contract, review.chart)


def findings_section(review: Review) -> list[str]:
    lines = ["## Findings", ""]
    if not review.findings:
        lines += ["No findings: the contract meets every rule in force.", ""]
    by_section: dict[str, list[Finding]] = {}
    for finding in review.findings:
        by_section.setdefault(finding_section(review.document, finding), []).append(finding)
    for section in sorted(by_section):
        lines += [f"### Section {escape(section)}", ""]
        for f in by_section[section]:
            reason = review.reasons.get(f.path) if f.path else None
            said = f" District's reason: {inline_text(reason)}" if reason else ""
            lines.append(f"- **{f.severity.value}** · {inline_text(review.where(f))}: {inline_text(f.message)} "
                         f"Fix: {inline_text(f.fix)} *(Source: {inline_text(plain_source(f.source))}; "
                         f"rule {escape(f.rule)})*{said}")
        lines.append("")
    return lines


def checklist_section(review: Review) -> list[str]:
    checks = checklist_for(review.document.family, review.contract)
    if not checks:
        return []
    lines = ["## Confirm by hand (Standards of Excellence checklist)", "",
             "No rule can read these from the inputs; a reviewer ticks each one.", ""]
    lines += [f"- [ ] {inline_text(c.text)} *(Source: {inline_text(plain_source(c.source))}; "
              f"check {escape(c.id)})*" for c in checks]
    return lines + [""]


def figures_section(review: Review) -> list[str]:
    lines = ["## Financial summary (computed from the inputs)", "", "| Figure | Value |", "|---|---|"]
    lines += [f"| {inline_text(title, in_table=True)} | {inline_text(value, in_table=True)} |"
              for title, value in figure_rows(review.contract)]
    return lines + [""]


def unfilled_section(review: Review) -> list[str]:
    missing = missing_inputs(review.contract)
    if not missing:
        return []
    return ["## Unfilled inputs", ""] + [f"- {inline_text(_unfilled(review.model, m))}" for m in missing] + [""]
