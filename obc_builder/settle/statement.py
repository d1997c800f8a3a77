"""The settlement statement: ``settlement.md`` and ``settlement.docx`` (the contract's render layer and Word
master, so the statement has the contract's styles) and ``settlement.csv`` (one line per student, with the
reason for each amount). The statement meant for the provider aggregates by school and outcome and names no
student.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Literal

from ..document import Block, Cell, Document, Heading, Inline, Paragraph, Run, Table
from ..templating import format_date, format_money, format_number
from .money import ZERO, Settlement

Audience = Literal["district", "provider"]
_CLAUSE = "settlement"


def _words(text: str) -> Inline:
    return (Run(text),)


def _value(text: str) -> Inline:
    return (Run(text, "value"),)


def _row(*cells: str, values: Iterable[int] = ()) -> tuple[Cell, ...]:
    """A table row; the cells at ``values`` are data (escaped as values), the others wording."""
    chosen = set(values)
    return tuple((_value(text) if index in chosen else _words(text),) for index, text in enumerate(cells))


def _table(header: Sequence[str], rows: list[tuple[Cell, ...]]) -> Table:
    """A table under its own heading (so without a title of its own)."""
    return Table((_row(*header), *rows), _CLAUSE, "grid")


def _money(amount: Decimal) -> str:
    """$1,234.50; a deduction as −$100."""
    text = format_money(abs(amount).quantize(Decimal("0.01")))
    return f"−{text}" if amount < 0 else text


def summary_rows(s: Settlement, totals: list[Decimal]) -> list[tuple[str, Decimal]]:
    """(what, amount) of the summary: base, each outcome, reductions, the total due, withheld, the budget left
    (``totals``: :meth:`Settlement.item_totals`, computed once)."""
    due = sum(totals, ZERO)
    base = sum((t for t, item in zip(totals, s.items, strict=True) if item.kind == "base"), ZERO)
    rows = [("Base payments" if s.family == "hdt" else "Tutoring services (hours attended × hourly compensation)",
             base)]
    rows += [(f"Contingent payment: {item.label}", total) for item, total in zip(s.items, totals, strict=True)
             if item.kind == "outcome"]
    reductions = sum((t for t, item in zip(totals, s.items, strict=True) if item.kind == "reduction"), ZERO)
    if any(item.kind == "reduction" for item in s.items):
        rows.append(("Payment reductions", reductions))
    rows.append(("Total due", due))
    if s.withheld:
        rows.append(("Withheld (payable once the contract's condition is met)", s.withheld))
    if s.budget is not None:
        rows.append(("Maximum budget", s.budget))
        rows.append(("Remains of the budget (after what is withheld)", s.budget - due - s.withheld))
    return rows


def milestone_rows(s: Settlement, totals: list[Decimal]) -> list[tuple[str, str, Decimal]]:
    """(milestone, date, amount) per payment milestone of the contract's timetables, in date order."""
    by_milestone: dict[str, Decimal] = defaultdict(lambda: ZERO)
    dates: dict[str, str] = {}
    for item, total in zip(s.items, totals, strict=True):
        by_milestone[item.milestone] += total
        if item.when and item.milestone not in dates:
            dates[item.milestone] = item.when.isoformat()
    order = sorted(by_milestone, key=lambda name: dates.get(name, "9999"))
    return [(name, format_date_iso(dates.get(name)), by_milestone[name]) for name in order]


def format_date_iso(text: str | None) -> str:
    return format_date(date.fromisoformat(text)) if text else ""


def school_rows(s: Settlement) -> list[tuple[str, list[int], list[Decimal]]]:
    """(school, [students, then students with an amount per item], amounts per item) per school, in name order."""
    found: dict[str, tuple[list[int], list[Decimal]]] = {}
    for student in s.students:
        counts, amounts = found.setdefault(student.school, ([0] * (len(s.items) + 1), [ZERO] * len(s.items)))
        counts[0] += 1
        for index, amount in enumerate(student.amounts):
            if amount:
                amounts[index] += amount
                counts[index + 1] += 1
    return [(school, *found[school]) for school in sorted(found)]


def statement_document(s: Settlement, contract_title: str, results_name: str, audience: Audience,
                       date_of: Document) -> Document:
    blocks: list[Block] = []
    totals = s.item_totals()
    who = "the Provider (by school and outcome; no student is named)" if audience == "provider" else "the District"
    blocks.append(Paragraph(_words(f"What the District owes under the {contract_title}, settled from the students' "
                                   f"results in {results_name} ({format_number(len(s.students))} students). "
                                   f"Prepared for {who}."), _CLAUSE))
    if s.problems:
        blocks.append(Heading(1, _words("Problems in the results (settled anyway, as a draft)"), _CLAUSE))
        blocks += [Paragraph(_value(problem), _CLAUSE, "bullet", 1) for problem in s.problems]
    blocks.append(Heading(1, _words("Summary"), _CLAUSE))
    blocks.append(_table(("Payment", "Amount"),
                         [_row(what, _money(amount), values=(1,)) for what, amount in summary_rows(s, totals)]))
    blocks.append(Heading(1, _words("Invoices by payment milestone"), _CLAUSE))
    blocks.append(Paragraph(_words("An invoice-ready total for each payment milestone of the contract's timetables."),
                            _CLAUSE))
    rows = [_row(name, when, _money(amount), values=(1, 2)) for name, when, amount in milestone_rows(s, totals)]
    rows.append(_row("Total", "", _money(sum(totals, ZERO)), values=(2,)))
    blocks.append(_table(("Milestone", "Date", "Amount"), rows))
    blocks.append(Heading(1, _words("Caps"), _CLAUSE))
    blocks.append(_table(("Cap", "Limit", "Earned before the cap", "Paid", "Reached",
                                                  "Required by"),
                         [_row(c.name, _money(c.limit), _money(c.before), _money(c.paid), "yes" if c.reached else "no",
                               c.citation, values=(1, 2, 3)) for c in s.caps]))
    blocks += _schools(s, audience)
    blocks.append(Heading(1, _words("Rules applied"), _CLAUSE))
    if s.rules:
        blocks.append(_table(("Rule", "Required by", "Students", "Amount"),
                             [_row(r.what, r.citation, format_number(r.students), _money(r.amount) if r.amount else "",
                                   values=(2, 3)) for r in s.rules.values()]))
    else:
        blocks.append(Paragraph(_words("No rule beyond the rate card applied to these results."), _CLAUSE))
    if audience == "district":
        blocks.append(Paragraph(_words("Each student's amounts, and the reason for each, are in settlement.csv "
                                       "(student data: keep it within the District)."), _CLAUSE))
    return Document(family=s.family, title=f"{s.title}: {contract_title}", district=s.district,
                    provider=s.provider, blocks=blocks, draft=bool(s.problems), date=date_of.date,
                    title_block=True)


def _schools(s: Settlement, audience: Audience) -> list[Block]:
    kinds = [item.kind for item in s.items]
    present = [kind for kind in ("base", "outcome", "reduction") if kind in kinds]
    names = {"base": "Base" if s.family == "hdt" else "Tutoring", "outcome": "Contingent", "reduction": "Reductions"}
    rows = []
    for school, counts, amounts in school_rows(s):
        by_kind = [_money(sum((a for a, k in zip(amounts, kinds, strict=True) if k == kind), ZERO)) for kind in present]
        rows.append(_row(school, format_number(counts[0]), *by_kind, _money(sum(amounts, ZERO)),
                         values=range(len(present) + 3)))
    blocks: list[Block] = [Heading(1, _words("By school"), _CLAUSE),
                           _table(("School", "Students", *(names[k] for k in present), "Total"), rows)]
    if audience == "provider":
        outcome_rows = []
        for school, counts, amounts in school_rows(s):
            for index, item in enumerate(s.items):
                if item.kind == "outcome":
                    outcome_rows.append(_row(school, item.label, format_number(counts[index + 1]),
                                             _money(amounts[index]),
                                             values=(0, 1, 2, 3)))
        blocks += [Heading(1, _words("By school and outcome"), _CLAUSE),
                   _table(("School", "Outcome", "Students paid", "Amount"), outcome_rows)]
    return blocks


def students_csv(s: Settlement) -> bytes:
    """One line per student: the amount per base month and outcome, the total, and the reasons.

    Each line is joined here rather than by ``csv.writer``, which scans and copies every character of every field
    (a second of 100,000 students' 57 MB). The text fields are encoded by ``csv.writer`` itself, once per distinct
    value: a student's reasons are a few of the settlement's shared sentences, looked up by those sentences;
    amounts, held to the cent (money.ZERO), print as 126.00 and -3.16, which never need quoting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id", "school", "grade", *(item.label for item in s.items), "total", "withheld",
                     "reasons"])
    texts: dict[str, str] = {}
    reasons: dict[tuple[str, ...], str] = {}

    def text(value: str) -> str:
        if value not in texts:
            texts[value] = _csv_field(value)
        return texts[value]

    lines = [buffer.getvalue()]
    for student in s.students:
        notes = tuple(student.notes)
        if notes not in reasons:
            reasons[notes] = _csv_field("; ".join(notes))
        plain = _PLAIN.fullmatch(student.id)  # an id is on one line only: encoded when it needs to be
        lines.append(f"{student.id if plain else _csv_field(student.id)},{text(student.school)},{text(student.grade)},"
                     f"{','.join(map(str, student.amounts))},{student.total},{student.withheld},{reasons[notes]}\n")
    return "".join(lines).encode("utf-8")


_PLAIN = re.compile(r"[A-Za-z0-9._/-]+")
"""A field ``csv.writer`` never quotes, whatever the Python version."""


def _csv_field(value: str) -> str:
    """One field as ``csv.writer`` writes it among others (alone, an empty field would be written as "")."""
    if not value:
        return ""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([value])
    return buffer.getvalue()[:-1]


def schools_csv(s: Settlement) -> bytes:
    """The provider's lines: per school and item (base month, outcome, reduction), students and amount."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["school", "payment", "milestone", "students", "amount"])
    for school, counts, amounts in school_rows(s):
        for index, item in enumerate(s.items):
            writer.writerow([school, item.label, item.milestone, counts[index + 1], f"{amounts[index]:.2f}"])
    return buffer.getvalue().encode("utf-8")


def render_statement(s: Settlement, contract_title: str, results_name: str, audience: Audience,
                     contract_document: Document) -> dict[str, bytes]:
    """The statement's files by name: Markdown, Word and CSV."""
    from ..render.docx import render_docx
    from ..render.markdown import render_markdown

    document = statement_document(s, contract_title, results_name, audience, contract_document)
    notice = (f"DRAFT: the results file has {len(s.problems)} problem{'s' * (len(s.problems) != 1)} (listed "
              "below); settled anyway. Not for payment.")
    stem = "settlement" if audience == "district" else "settlement-provider"
    return {
        f"{stem}.md": render_markdown(document, notice).encode("utf-8"),
        f"{stem}.docx": render_docx(document, (), notice),
        f"{stem}.csv": students_csv(s) if audience == "district" else schools_csv(s),
    }
