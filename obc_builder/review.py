"""``<name>.review.md``: the figures a reviewer checks first, and every finding, by contract section."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from . import forecast
from .document import Document
from .locations import describe_path, plain_source
from .models.base import MissingInput, field_extra, missing_inputs
from .render.markdown import escape, inline_text
from .rules.engine import Finding, checklist_for
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


def _unfilled(model: type[BaseModel], item: MissingInput) -> str:
    """An unfilled input by its place: "Section A · Parties › District", "… › Performance objectives (at least
    2 entries)"."""
    where = describe_path(model, item.path)
    plain = where.split(" › ")[-1].split(" · ")[-1]
    return where + item.title.removeprefix(plain) if item.title.startswith(plain) else f"{where}: {item.title}"


def render_review(contract: BaseModel, document: Document, findings: Sequence[Finding],
                  chart: str | None = None) -> str:
    parties = inline_text(f"{document.district} · {document.provider}", block_start=True)
    lines = [f"# Review: {escape(document.title)}", "", parties,
             "", "## Key figures (computed from the inputs)", "", "| Figure | Value |", "|---|---|"]
    lines += [f"| {inline_text(title, in_table=True)} | {inline_text(value, in_table=True)} |"
              for title, value in figure_rows(contract)]
    lines += ["", *forecast.review_lines(contract, chart), "## Findings", ""]
    if not findings:
        lines += ["No findings: the contract meets every rule in force.", ""]
    reasons = getattr(contract, "departures", None) or {}
    by_section: dict[str, list[Finding]] = {}
    for finding in findings:
        by_section.setdefault(section_of(document, finding.path), []).append(finding)
    for section in sorted(by_section):
        lines += [f"### Section {escape(section)}", ""]
        for f in by_section[section]:
            where = "; ".join(describe_path(type(contract), path) for path in f.paths)
            reason = f" District's reason: {inline_text(reasons[f.path])}" if f.path in reasons else ""
            lines.append(f"- **{f.severity.value}** · {inline_text(where)}: {inline_text(f.message)} "
                         f"Fix: {inline_text(f.fix)} *(Source: {inline_text(plain_source(f.source))}; "
                         f"rule {escape(f.rule)})*{reason}")
        lines.append("")
    checks = checklist_for(str(getattr(contract, "family")), contract)  # noqa: B009 - every family model has it
    if checks:
        lines += ["## Confirm by hand", "", "No rule can read these from the inputs; a reviewer ticks each one.", ""]
        lines += [f"- [ ] {inline_text(c.text)} *(Source: {inline_text(plain_source(c.source))}; "
                  f"check {escape(c.id)})*" for c in checks]
        lines.append("")
    missing = missing_inputs(contract)
    if missing:
        lines += ["## Unfilled inputs", ""] + [f"- {inline_text(_unfilled(type(contract), m))}" for m in missing]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
