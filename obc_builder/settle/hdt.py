"""Settling an HDT contract: base payments per the base timetable, contingent payments per outcome, the caps of the
rate card and the maximum budget, and the template's rules on attendance, substitutions, the roster window,
missing scores and tutor consistency (Section I), each applied as the contract words it.

The figures come from the contract's own model (:class:`~obc_builder.models.hdt_figures.HdtFigures` and the rate
card's fields); nothing here re-derives a total the model computes. See ``docs/settlement.md`` for the results
columns and how each rule reads the template.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from typing import Any

from ..document import Document
from ..models.hdt_figures import grade_key
from ..models.hdt_payments import BaseBasis
from ..templating import format_date, format_money, format_percent
from .citations import Rule, cite
from .hdt_layout import FIELDS, month_of, months, payment_day
from .money import ZERO, Cap, Item, Settlement, Student, cap_columns, cap_student, cents, student_sums
from .results import MISSING_SCORE, Results, Row, normal

_I1 = "i02_district_responsibilities"
_I2 = "i03_provider_responsibilities"
RULES = {
    "attendance": Rule(_I1, "falls below an attendance average"),
    "substitution": Rule(_I1, "ensure the attendance of specific active students"),
    "substitution_participation": Rule(_I1, "ensure the participation of specific active students"),
    "substitution_standard": Rule(_I1, "standard timeline for substitution"),
    "roster_window": Rule(_I1, "week window from the start of the program"),
    "final_roster": Rule(_I1, "included in the final roster"),
    "added": Rule(_I1, "may add eligible students"),
    "missing_score": Rule(_I1, "assessment score is not available"),
    "consistency": Rule(_I2, "for two consecutive months, the District may withhold"),
    "minimum_service": Rule(_I2, "minimum service requirements for that student"),
    "base_cap": Rule("f02_base_payment", "maximum indebtedness amount"),
    "contingent_cap": Rule("f03_contingent_payment", "Total Contingent Outcomes Payments exceed"),
    "budget": Rule("f03_contingent_payment", "maximum budget"),
    "rate_card": Rule("f04_rate_card", "outcome payment cap is the maximum amount"),
    "base_timetable": Rule("f05_base_timetable", "Invoicing for base payment"),
}


class _Settler:
    def __init__(self, contract: Any, results: Results, document: Document) -> None:
        self.c, self.results, self.document = contract, results, document
        self.months = months(contract)
        card = contract.rate_card
        self.window_end = contract.dates.service_start + timedelta(weeks=contract.accountability.roster_window_weeks)
        self.window_month = month_of(min(self.window_end, self.months[-1].last), self.months)
        items = [Item(f"Base payment, {m.label}", "base", f"Base payment, {m.label}", m.last) for m in self.months]
        items.append(Item("Additional base payment for students added in the roster window", "base",
                          f"Base payment, {self.months[self.window_month].label}",
                          self.months[self.window_month].last))
        self.catch_up = len(items) - 1
        self.outcome_at = []
        for outcome in contract.outcomes:
            self.outcome_at.append(len(items))
            items.append(Item(outcome.name, "outcome", f"Contingent payment: {outcome.name}", payment_day(outcome)))
        # A reduction is deducted from the last contingent payment (the invoice of the last outcome paid).
        final = max((i for i in items if i.kind == "outcome"), key=lambda i: i.when or date.min, default=items[-1])
        self.reduction_at = []
        for reduction in card.reductions:
            self.reduction_at.append(len(items))
            items.append(Item(f"Reduction: {reduction.name}", "reduction", final.milestone, final.when))
        figures = contract.figures()
        self.s = Settlement("hdt", "Settlement statement", document.district, document.provider, items, [],
                            budget=contract.payments.maximum_budget, problems=list(results.problems))
        self.figures = figures
        self.at = results.layout.at
        self.i = SimpleNamespace(**{key: self.at.get(key, -1) for key in FIELDS})
        """Where each fixed column is in a row's values (-1: the row's last cell, always None)."""
        shorts = [m.first.strftime("%b").lower() for m in self.months]
        self.unit_keys = [f"units_{short}" for short in shorts]
        self.unit_columns = self.columns(self.unit_keys)
        self.consistency_columns = self.columns([f"consistency_{short}" for short in shorts])
        self.outcome_columns = self.columns([f"outcome_{index}" for index in range(len(contract.outcomes))])
        self.grades = [{grade_key(g) for g in outcome.grades} for outcome in contract.outcomes]
        self.grade_keys: dict[str, str] = {}
        self.prices = [[cents(t.price) for t in o.tiers] if o.tiers else [cents(o.price_per_outcome)]
                       for o in contract.outcomes]
        """Each outcome's price, or its tiers' prices (lowest first; the last is the most a student earns)."""
        self.payment_order = sorted(self.outcome_at, key=lambda i: self.s.items[i].when or date.max)
        self.notes: dict[tuple[Any, ...], Any] = {}
        """Notes many students share (a base payment for the whole roster), worded once."""
        rows = results.rows
        self.replaced = {results.value(r, "substituted_for"): r for r in rows if results.value(r, "substituted_for")}
        self.hold: list[Student] = []
        self.current = ""
        self.cites: dict[str, str] = {}
        self.counted: set[tuple[str, str]] = set()
        """(rule, student) pairs already counted: a rule applied to three outcomes of a student is one student."""

    def cite(self, key: str) -> str:
        if key not in self.cites:
            self.cites[key] = cite(self.document, RULES[key])
        return self.cites[key]

    def use(self, key: str, what: str, amount: Decimal = ZERO, *, also: str | None = None,
            record: str | None = None) -> str:
        """Count one student under a rule (``record``: its line in the statement, when one section holds
        several) and return the rule's citation."""
        name = record or key
        rule = self.s.rules.get(name)
        if rule is None:
            citation = self.cite(key) + (f" and {self.cite(also).removeprefix('Section ')}" if also else "")
            rule = self.s.rule(name, citation.replace("Section", "Sections", 1) if also else citation, what)
        if (name, self.current) not in self.counted:
            self.counted.add((name, self.current))
            rule.students += 1
        rule.amount += amount
        return rule.citation

    def value(self, row: Row, key: str) -> Any:
        """A cell of the row; ``None`` when blank or when the layout has no such column (the row's last cell)."""
        return row.values[self.at.get(key, -1)]

    def cells(self, row: Row, columns: list[int]) -> list[Any]:
        """The row's cells at ``columns`` (positions from :meth:`columns`)."""
        values = row.values
        return [values[i] for i in columns]

    def columns(self, keys: list[str]) -> list[int]:
        return [self.at.get(key, -1) for key in keys]

    def run(self) -> Settlement:
        for row in self.results.rows:
            self.s.students.append(self.student(row))
        self.caps()
        return self.s

    def span(self, row: Row) -> tuple[int, int, str | None]:
        """First and last month billed, and the substitution rule that set them (if any)."""
        added, removed = row.values[self.i.added], row.values[self.i.removed]
        old = row.values[self.i.substituted_for]
        first = 0
        rule = None
        if old and added and added > self.window_end:
            first = month_of(added, self.months) + 1
            rule = "substitution_standard" if self._standard(added) else "substitution"
        elif added and added > self.window_end:
            first = month_of(added, self.months)
        last = len(self.months) - 1 if removed is None else month_of(removed, self.months)
        new = self.replaced.get(row.values[self.i.student_id])
        new_added = new.values[self.i.added] if new else None
        if new_added and new_added > self.window_end:
            last = min(last, month_of(new_added, self.months))
        return first, last, rule

    def _standard(self, added: date) -> bool:
        limit = self.c.accountability.substitution_date
        return bool(limit and added <= limit)

    def student(self, row: Row) -> Student:
        values, i = row.values, self.i
        s = Student(values[i.student_id] or f"row {row.number}", values[i.school] or "", values[i.grade] or "",
                    [ZERO] * len(self.s.items))
        self.current = s.id
        removed, added = row.values[self.i.removed], row.values[self.i.added]
        replaced = self.replaced.get(s.id)
        if removed and removed <= self.window_end and not (replaced and (replaced.values[i.added] or self.window_end)
                                                           > self.window_end):
            where = self.use("roster_window", "Students removed during the roster window: not on the final roster, "
                             "no payment", also="final_roster")
            s.notes.append(f"{where}: removed on {format_date(removed)}, within the roster window: not on the final "
                           "roster, so no base or contingent payment")
            return s
        first, last, rule = self.span(row)
        self.base(row, s, first, last)
        if rule:
            where = self.use(rule, "Substitutions: one base payment for the two students; both students' outcomes "
                             "count" if rule == "substitution" else "Substitutions by the standard date: only the "
                             "new student's outcomes count", also="substitution_participation"
                             if rule == "substitution" else None)
            s.notes.append(f"{where}: replaces {row.values[self.i.substituted_for]}; base payments from "
                           f"{self.months[min(first, len(self.months) - 1)].label}")
        elif added and added > self.c.dates.service_start and added <= self.window_end:
            where = self.use("roster_window", "Students added during the roster window: base from the start, paid "
                             "at the end of the window", record="roster_added")
            s.notes.append(f"{where}: added on {format_date(added)}, within the roster window; the base payments of "
                           f"earlier months are paid with {self.months[self.window_month].label}")
            for month in range(self.window_month):
                s.amounts[self.catch_up] += s.amounts[month]
                s.amounts[month] = ZERO
        elif added and added > self.window_end:
            where = self.use("added", "Students added after the roster window")
            s.notes.append(f"{where}: added on {format_date(added)}; base payments from {self.months[first].label}")
        if replaced and self._standard(replaced.values[self.i.added] or date.max) and \
                (replaced.values[self.i.added] or date.min) > self.window_end:
            s.notes.append(f"{self.cite('substitution_standard')}: replaced by {replaced.values[i.student_id]} by "
                           "the standard date: only the new student's outcomes count")
            return s
        self.outcomes(row, s, first, last)
        return s

    def base(self, row: Row, s: Student, first: int, last: int) -> None:
        """The student's base payments for the months ``first`` to ``last`` on the roster."""
        card = self.c.rate_card
        if card.base_basis in (BaseBasis.per_session.value, BaseBasis.per_hour.value):
            self.base_per_unit(row, s, first, last)
        elif last >= first:
            amounts, note = self.monthly(first, last)
            s.amounts[first:last + 1] = amounts
            s.notes.append(note)

    def monthly(self, first: int, last: int) -> tuple[list[Decimal], str]:
        """The timetable's amounts for months ``first`` to ``last`` and their note, the same for every student on
        the roster for those months (worded once)."""
        key = ("monthly", first, last)
        if key not in self.notes:
            amounts = [month.amount for month in self.months[first:last + 1]]
            self.notes[key] = (amounts, f"{self.cite('base_timetable')}: base payment of "
                                        f"{format_money(sum(amounts, ZERO))} for {last - first + 1} months on the "
                                        f"roster ({self.months[first].label} to {self.months[last].label})")
        return self.notes[key]

    def base_per_unit(self, row: Row, s: Student, first: int, last: int) -> None:
        """Sessions (or hours) attended × the price of one, up to each month's amount and the base per student."""
        card = self.c.rate_card
        for index in range(first, last + 1):
            units = row.values[self.unit_columns[index]] or ZERO
            s.amounts[index] = min(cents(units * card.base_unit_price, ROUND_HALF_UP), self.months[index].amount)
        base = sum(s.amounts[:len(self.months)], ZERO)
        cut = cap_student(s.amounts, range(len(self.months)), card.base_price_per_student)
        key = ("per_unit", base, cut)
        if key not in self.notes:
            unit = "hour" if card.base_basis == BaseBasis.per_hour.value else "session"
            most = f" and {format_money(card.base_price_per_student)} per student" if cut else ""
            self.notes[key] = (f"{self.cite('base_timetable')}: base payment of {format_money(base - cut)} for the "
                               f"{unit}s attended at {format_money(card.base_unit_price)} a {unit}, up to each "
                               f"month's amount{most}")
        s.notes.append(self.notes[key])

    def below(self, row: Row, first: int, last: int) -> Decimal | None:
        """The student's attendance if it is below the contract's threshold; ``None`` if not, or unknown."""
        rate = self.attendance(row, first, last)
        return rate if rate is not None and rate < self.c.accountability.student_attendance_pct else None

    def attendance(self, row: Row, first: int, last: int) -> Decimal | None:
        rate = row.values[self.i.attendance_rate]
        if rate is not None:
            return Decimal(rate)
        attended = [a for a in self.cells(row, self.unit_columns[first:last + 1]) if a is not None]
        if not attended:
            return None
        scheduled = sum((m.scheduled for m in self.months[first:last + 1]), ZERO)
        return Decimal(sum(attended)) * 100 / scheduled if scheduled else None

    def outcomes(self, row: Row, s: Student, first: int, last: int) -> None:
        acc = self.c.accountability
        below: Decimal | None | bool = False  # the attendance if below the threshold, worked out when needed
        served = row.values[self.i.minimum_service_met] is not False
        subject = row.values[self.i.subject]
        if s.grade not in self.grade_keys:
            self.grade_keys[s.grade] = grade_key(s.grade)
        grade = self.grade_keys[s.grade]
        for index, outcome in enumerate(self.c.outcomes):
            level = row.values[self.outcome_columns[index]]
            grades = self.grades[index]
            if (grades and grade not in grades) or (subject and outcome.subject and
                                                                normal(subject) != normal(outcome.subject)):
                if level:
                    self.s.problems.append(f"{self.results.source}: row {row.number}: {outcome.name}: this outcome "
                                           "is not paid for the student's grade or subject")
                continue
            if level is None and row.values[self.i.score_missing]:
                level = MISSING_SCORE
            top = self.prices[index][-1]
            earned = ZERO if not level or level == MISSING_SCORE else (
                self.prices[index][level - 1])
            paid = earned if served else ZERO
            if paid:
                if (index, level) not in self.notes:
                    what = outcome.tiers[level - 1].level if outcome.tiers else "achieved"
                    self.notes[index, level] = f"{self.cite('rate_card')}: {outcome.name}: {what}, {format_money(paid)}"
                s.notes.append(self.notes[index, level])
            if level == MISSING_SCORE and not served:  # paid "as achieved": an achievement needs the service met
                s.notes.append(f"{self.use('minimum_service', 'Minimum service not met: no outcome payment')}: "
                               f"minimum service requirements not met: {outcome.name} not paid")
            elif level == MISSING_SCORE:
                paid = top
                where = self.use("missing_score", "Missing scores: outcome payments by the District", top)
                if ("missing", index) not in self.notes:
                    self.notes["missing", index] = f"{where}: no score for {outcome.name}: paid as achieved"
                s.notes.append(self.notes["missing", index])
            elif top > paid and isinstance(below := self.below(row, first, last) if below is False else below,
                                           Decimal):
                where = self.use("attendance", "Attendance below the threshold: outcome payments by the District",
                                 top - paid)
                shown = below.quantize(Decimal("0.1"))
                if ("attendance", index, shown) not in self.notes:
                    self.notes["attendance", index, shown] = (
                        f"{where}: attendance {format_percent(shown)} is below "
                        f"{format_percent(acc.student_attendance_pct)}: {outcome.name} paid as achieved")
                s.notes.append(self.notes["attendance", index, shown])
                paid = top
            elif earned and not served:
                s.notes.append(f"{self.use('minimum_service', 'Minimum service not met: no outcome payment')}: "
                               f"minimum service requirements not met: {outcome.name} not paid")
            s.amounts[self.outcome_at[index]] = paid
        for index, reduction in enumerate(self.c.rate_card.reductions):
            if self.value(row, f"reduction_{index}"):
                cut = min(cents(reduction.amount), s.total)
                s.amounts[self.reduction_at[index]] = -cut
                where = self.use("rate_card", f"Payment reduction: {reduction.name}", cut, record=f"reduction_{index}")
                s.notes.append(f"{where}: {reduction.name}: −{format_money(cut)}")
        self.consistency(row, s)

    def consistency(self, row: Row, s: Student) -> None:
        threshold = self.c.accountability.tutor_consistency_pct
        cells = self.cells(row, self.consistency_columns)
        if cells.count(None) == len(cells):  # no consistency reported for this student
            return
        low = [value is not None and value < threshold for value in cells]
        if any(a and b for a, b in zip(low, low[1:], strict=False)) and not row.values[self.i.corrective_action]:
            self.hold.append(s)  # the amount withheld is known once the caps are applied

    def capped(self, name: str, key: str, columns: list[int], limit: Decimal, less: Decimal = ZERO) -> Cap:
        """Apply one cap to ``columns`` (:func:`cap_columns`); note it on each student it cuts. ``less``: what
        the reductions take off, which the cap's limit leaves room for."""
        students = self.s.students
        total = sum((sum([st.amounts[i] for st in students], ZERO) for i in columns), ZERO)
        if total <= limit + less:
            return Cap(name, self.cite(key), limit, total - less, total - less)
        def sums() -> list[Decimal]:
            if len(columns) == 1:
                return [st.amounts[columns[0]] for st in students]
            return student_sums(students, columns)

        before = sums()
        total, paid = cap_columns(students, columns, limit + less)
        where = self.cite(key)
        worded: dict[tuple[Decimal, Decimal], str] = {}
        for student, was, now in zip(students, before, sums(), strict=True):
            if now < was:
                if (now, was) not in worded:
                    worded[now, was] = f"{where}: {name} reached: {format_money(now)} paid of {format_money(was)}"
                student.notes.append(worded[now, was])
        return Cap(name, self.cite(key), limit, total - less, paid - less)

    def outcome_caps(self) -> None:
        """Each outcome's cap, in the order the outcomes are paid; with a most per student, each student's claim
        on an outcome is what the earlier outcomes actually paid them leaves of it (so an allowance is never
        spent on an amount a cap then takes away)."""
        s, most = self.s, self.c.rate_card.contingent_max_per_student
        left = [most] * len(s.students) if most is not None else None
        for column in self.payment_order:
            outcome = self.c.outcomes[self.outcome_at.index(column)]
            if left is not None:
                for number, student in enumerate(s.students):
                    claim = student.amounts[column]
                    if claim > left[number]:
                        self.current = student.id
                        where = self.use("rate_card", "Most contingent payment per student", claim - left[number],
                                         record="per_student")
                        student.notes.append(f"{where}: {outcome.name}: {format_money(left[number])} of "
                                             f"{format_money(claim)}, the rest of the {format_money(most)} a student "
                                             "may earn in contingent payments")
                        student.amounts[column] = left[number]
            s.caps.append(self.capped(f"Outcome payment cap: {outcome.name}", "rate_card", [column],
                                      outcome.payment_cap))
            if left is not None:
                left = [rest - student.amounts[column] for rest, student in zip(left, s.students, strict=True)]

    def caps(self) -> None:
        s, c = self.s, self.c
        base_columns = sorted((i for i, item in enumerate(s.items) if item.kind == "base"),
                              key=lambda i: s.items[i].when or date.max)
        s.caps.append(self.capped("Total base payment cap", "base_cap", base_columns, c.rate_card.base_cap))
        self.outcome_caps()
        contingent = sum((cap.paid for cap in s.caps[1:]), ZERO)
        s.caps.append(Cap("Total contingent outcomes payments", self.cite("contingent_cap"),
                          self.figures.contingent_cap_total, contingent, contingent))
        reductions = -sum((st.amounts[i] for st in s.students for i in self.reduction_at), ZERO)
        positive = sorted((i for i, item in enumerate(s.items) if item.kind != "reduction"),
                          key=lambda i: (s.items[i].when or date.max, s.items[i].kind != "base"))
        s.caps.append(self.capped("Maximum budget", "budget", positive, c.payments.maximum_budget, reductions))
        for student in self.hold:
            self.current = student.id
            held = sum((student.amounts[i] for i in self.outcome_at), ZERO)
            for i in self.outcome_at:
                student.amounts[i] = ZERO
            student.withheld = held
            where = self.use("consistency", "Tutor consistency below the threshold two months running: "
                             "contingent payments withheld", held)
            student.notes.append(f"{where}: tutor consistency below "
                                 f"{format_percent(c.accountability.tutor_consistency_pct)} two months running: "
                                 f"{format_money(held)} withheld until the Provider shows corrective actions")


def settle_hdt(contract: Any, results: Results, document: Document) -> Settlement:
    """The settlement of an HDT contract for one results file (already read against :func:`layout`)."""
    return _Settler(contract, results, document).run()
