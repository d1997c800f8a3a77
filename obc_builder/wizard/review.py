"""The review screen: key figures, every finding and every unfilled input, then edit, save, or generate.

Generating goes through :func:`~obc_builder.generate.generate_files`, exactly as ``obc-builder generate``
does: a final contract is refused with its reasons while inputs are unfilled or the rules find errors, and
the officer may then generate a draft instead.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..district import DistrictClauses
from ..errors import BlockedByFindings, IncompleteInput, OutputExists
from ..generate import check_contract, generate_files, unfilled_inputs
from ..locations import describe_path
from ..review import figure_rows
from ..rules.engine import Finding, Severity
from .answers import Answers
from .flow import Wizard
from .prompts import shown_answer
from .questions import Question, parse_path
from .recommended import filled_in, follow_derived

FINAL, DRAFT, EDIT, FILLED, QUIT, BACK, REPLACE = "final", "draft", "edit", "filled", "quit", "back", "replace"
SHOWN = 12  # longer lists are cut, with a count of the rest: the review file has them all


@dataclass
class WizardResult:
    """How a wizard run ended: the answers file, and the files generated (none after "save and quit")."""

    answers: Path
    outputs: list[Path] = field(default_factory=list)
    draft: bool = False
    findings: list[Finding] = field(default_factory=list)


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


class ReviewScreen:
    def __init__(self, wizard: Wizard, out: Path, district: DistrictClauses | None = None,
                 review_docx: bool = False) -> None:
        self.wizard = wizard
        self.out = out
        self.district = district
        self.review_docx = review_docx
        self.say = wizard.terminal.say

    @property
    def answers(self) -> Answers:
        return self.wizard.answers

    def unfilled(self) -> list[str]:
        """Every input a final contract still needs, as ``generate`` counts them (with those a clause prints only
        given other answers: a notice period for a federally funded contract), by where the contract asks it."""
        lines = []
        contract = self.answers.contract
        _, document, _ = check_contract(contract, self.wizard.policy, self.district)
        for item in unfilled_inputs(contract, document):
            path = parse_path(item.path)
            where = describe_path(type(self.answers.contract), path)
            lines.append(where + item.title.removeprefix(self.answers.title_at(path)))
        return lines

    def _list(self, lines: list[str], style: str = "") -> None:
        for line in lines[:SHOWN]:
            self.say(f"  • {line}", style)
        if len(lines) > SHOWN:
            self.say(f"  … and {len(lines) - SHOWN} more", "hint")

    def show(self) -> tuple[list[Finding], list[str]]:
        contract = self.answers.contract
        findings = self.answers.findings(self.wizard.policy)
        unfilled = self.unfilled()
        self.say()
        self.say(f"Review · {self.answers.path.name}", "heading")
        try:
            rows = figure_rows(contract)
        except Exception:  # noqa: BLE001 - a figure that cannot be shown must not end the session
            rows = []
        if rows:
            self.say("Key figures", "heading")
            width = max(len(title) for title, _ in rows)
            columns = 2 + width + 2 + max(len(value) for _, value in rows) <= self.wizard.terminal.width
            for title, value in rows:  # in two columns when they fit the terminal, else "title: value" wrapped
                self.say(f"  {title.ljust(width)}  {value}" if columns else f"  {title}: {value}")
        errors = sum(f.severity is Severity.error for f in findings)
        warnings = sum(f.severity is Severity.warning for f in findings)
        self.say()
        if findings:
            self.say(f"Findings: {_count(errors, 'error')}, {_count(warnings, 'warning')}, "
                     f"{_count(len(findings) - errors - warnings, 'note')}", "heading")
            for finding in findings[:SHOWN]:
                self.wizard.show_finding(finding)
            if len(findings) > SHOWN:
                self.say(f"  … and {len(findings) - SHOWN} more (all are in the review file)", "hint")
        else:
            self.say("Findings: none; the contract meets every rule in force.", "ok")
        self.say()
        if unfilled:
            self.say(f"Unfilled inputs: {len(unfilled)}", "heading")
            self._list(unfilled)
        else:
            self.say("Every input is filled in.", "ok")
        filled = self.filled()
        if filled:
            self.say()
            self.say(f"Proposed by the wizard: {len(filled)} (recommended, or following from your other answers; "
                     "generating confirms them)", "heading")
            self._list([f"{where}: {answer} ({why})" for where, answer, why, _, _ in filled], "hint")
        return findings, unfilled

    def filled(self) -> list[tuple[str, str, str, tuple[str | int, ...], Question]]:
        """The answers holding a recommended value or one that follows from the others: where, the answer, why,
        and the path and question to ask it again."""
        contract = self.answers.contract
        return [(describe_path(type(contract), path), " ".join(shown_answer(question, self.answers.value(path))
                                                               .split()), why, path, question)
                for path, question, why in filled_in(self.answers, self.wizard.policy)]

    def change_filled(self) -> None:
        """Tick the filled-in answers to change, and ask each again, pre-filled."""
        filled = self.filled()
        picked = self.wizard.terminal.checkbox("Which answers do you want to change?",
                                               [(f"{where}: {answer}", index)
                                                for index, (where, answer, _, _, _) in enumerate(filled)], checked=[])
        before = self.answers.contract
        for index in picked:
            self.wizard.change(filled[index][3], filled[index][4])
        for line in follow_derived(self.answers, before):
            self.say(f"  {line}", "hint")
        self.wizard.checkpoint()

    def run(self) -> WizardResult:
        while True:
            findings, unfilled = self.show()
            ready = not unfilled and not any(f.severity is Severity.error for f in findings)
            action = self.wizard.terminal.select("What would you like to do?", [
                ("Generate the final contract", FINAL),
                ("Generate a draft (unfilled inputs show as [insert …])", DRAFT),
                ("Edit a section", EDIT),
                *([("Change an answer the wizard proposed", FILLED)] if self.filled() else []),
                ("Save and quit (continue later with --resume)", QUIT),
            ], default=FINAL if ready else EDIT)
            if action == QUIT:
                return WizardResult(self.answers.path, findings=findings)
            if action == FILLED:
                self.change_filled()
                continue
            if action == EDIT:
                self.edit()
                continue
            result = self.generate(draft=action == DRAFT)
            if result is not None:
                return result

    def edit(self) -> None:
        steps = self.wizard.steps
        choices = [(step.heading, i) for i, step in enumerate(steps)] + [("Back to the review", None)]
        index = self.wizard.terminal.select("Which section do you want to edit?", choices)
        if index is not None:
            before = self.answers.contract
            self.wizard.walk_step(index)
            for line in follow_derived(self.answers, before):
                self.say(f"  {line}", "hint")

    def generate(self, draft: bool, force: bool = False) -> WizardResult | None:
        answers = self.answers
        try:
            saved = answers.path.read_bytes() if answers.path.is_file() else None
            generated = generate_files(answers.contract, self.out, source=answers.source, name=answers.path.stem,
                                       draft=draft, policy=self.wizard.policy, force=force,
                                       district=self.district, review_docx=self.review_docx,
                                       input_sha256=hashlib.sha256(saved).hexdigest() if saved else None)
        except OutputExists as exists:
            self.say()
            self.say(f"{exists.path} already exists with other content (an earlier contract, or an edited copy).",
                     "error")
            choice = self.wizard.terminal.select("Replace the existing files?", [
                ("Yes, replace them", REPLACE), ("No, back to the review", BACK)], default=BACK)
            return None if choice == BACK else self.generate(draft, force=True)
        except (IncompleteInput, BlockedByFindings) as refusal:
            self.say()
            self.say("The final contract cannot be generated yet:", "error")
            if isinstance(refusal, IncompleteInput):
                self.say(f"  {_count(len(refusal.missing), 'input')} still unfilled:")
                self._list(self.unfilled())
            errors = [f for f in answers.findings(self.wizard.policy) if f.severity is Severity.error]
            if errors:
                self.say(f"  the rules found {_count(len(errors), 'error')}:")
                for finding in errors[:SHOWN]:
                    self.wizard.show_finding(finding)
            choice = self.wizard.terminal.select("Generate a draft instead?", [
                ("Yes, generate a draft", DRAFT), ("No, back to the review", BACK)], default=DRAFT)
            if choice == BACK:
                return None
            return self.generate(draft=True)
        self.say()
        kind = "draft" if draft else "final contract"
        self.say(f"The {kind} is written, with its review file.", "ok")
        return WizardResult(answers.path, generated.outputs, draft, generated.findings)
