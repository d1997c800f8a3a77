"""The policy engine: rules are pure functions of a contract and the policy in force.

A rule module declares its rules with :func:`rule`; each rule yields :class:`Problem` objects (a field
path, a one-sentence message with the actual and expected values, and the fix) and the engine turns them
into :class:`Finding` objects carrying the rule's id, severity and source. A rule never raises: one that
does is reported as an error finding rather than stopping the others.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel

from ..policy import Policy


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


@dataclass(frozen=True)
class Problem:
    """What a rule reports: where, what is wrong (actual vs expected), and what to change."""

    path: str
    message: str
    fix: str
    also: tuple[str, ...] = ()
    """The other fields the same cause involves (one finding per cause, naming every field it concerns)."""


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    path: str
    message: str
    fix: str
    source: str
    also: tuple[str, ...] = ()
    clause: str | None = None
    """For a finding about a clause rather than an input (a district's own clause): the clause's id."""

    @property
    def paths(self) -> tuple[str, ...]:
        """Every field the finding concerns, the one it is anchored on first."""
        return (self.path, *(p for p in self.also if p != self.path))

    def line(self) -> str:
        also = f" (also {', '.join(self.paths[1:])})" if self.paths[1:] else ""
        where = self.path or f"clause {self.clause}"
        return f"{where}{also}: {self.message} [{self.rule}, {self.source}] Fix: {self.fix}"

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "path": self.path,
            "message": self.message,
            "fix": self.fix,
            "source": self.source,
        }
        if self.paths[1:]:
            found["also"] = list(self.paths[1:])
        if self.clause:
            found["clause"] = self.clause
        return found


Check = Callable[[Any, Policy], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    severity: Severity
    source: str
    title: str
    check: Check = field(compare=False, repr=False)
    policy_key: str | None = None

    def evaluate(self, contract: BaseModel, policy: Policy) -> Iterator[Finding]:
        try:
            problems = list(self.check(contract, policy))
        except Exception as error:  # noqa: BLE001 - a broken rule must not hide the others' findings
            problems = [Problem("(rule)", f"could not be evaluated ({type(error).__name__}: {error})",
                                "report this as a bug in obc-builder")]
        source = self.source
        if self.policy_key and self.policy_key in policy:
            source = policy[self.policy_key].source
        for problem in problems:
            yield Finding(self.id, self.severity, problem.path, problem.message, problem.fix, source, problem.also)


_RULES: dict[str, Rule] = {}


def rule(
    id: str, *, family: str, severity: str, source: str, title: str, policy_key: str | None = None
) -> Callable[[Check], Check]:
    """Register a rule. ``source`` names the SoE indicator, template recommendation, statute or 'arithmetic'."""

    def register(check: Check) -> Check:
        if id in _RULES:
            raise ValueError(f"rule {id} is declared twice")
        _RULES[id] = Rule(id, family, Severity(severity), source, title, check, policy_key)
        return check

    return register


@dataclass(frozen=True)
class HandCheck:
    """What no rule can evaluate from the inputs and a person must confirm (a line of the review's checklist)."""

    id: str
    family: str
    source: str
    text: str
    applies: Callable[[Any], bool] | None = field(default=None, compare=False, repr=False)


_CHECKLIST: dict[str, HandCheck] = {}


def check_by_hand(id: str, *, family: str, source: str, text: str,
                  applies: Callable[[Any], bool] | None = None) -> None:
    """Register a checklist line; ``applies`` (of the contract) limits it to the contracts it concerns."""
    if id in _CHECKLIST or id in _RULES:
        raise ValueError(f"check {id} is declared twice")
    _CHECKLIST[id] = HandCheck(id, family, source, text, applies)


def _load(family: str | None) -> None:
    from ..families import FAMILY_NAMES

    for name in FAMILY_NAMES if family is None else (family,):
        try:
            importlib.import_module(f"obc_builder.rules.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"obc_builder.rules.{name}":
                raise


def rules_for(family: str | None = None) -> list[Rule]:
    """Every registered rule (of one family), in id order; loads the families' rule modules on first use."""
    _load(family)
    return sorted((r for r in _RULES.values() if family is None or r.family == family), key=lambda r: r.id)


def checklist_for(family: str | None = None, contract: BaseModel | None = None) -> list[HandCheck]:
    """The lines to confirm by hand (of one family; of one contract: those that apply to it), in id order."""
    _load(family)
    return sorted((c for c in _CHECKLIST.values() if (family is None or c.family == family)
                   and (contract is None or c.applies is None or c.applies(contract))), key=lambda c: c.id)


def evaluate_rules(contract: BaseModel, policy: Policy | None = None) -> list[Finding]:
    """All findings for a contract, errors first, then in rule order."""
    policy = Policy() if policy is None else policy  # not `or`: a Mapping's truth would read every family
    family = str(getattr(contract, "family"))  # noqa: B009 - each family model declares it
    findings = [finding for r in rules_for(family) for finding in r.evaluate(contract, policy)]
    order = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}
    return sorted(findings, key=lambda f: order[f.severity])


def listing(items: list[str]) -> str:
    """Items as a finding names them: "A", "A and B", "A, B and C"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def policy_problem(policy: Policy, key: str, actual: Any, path: str, what: str) -> Iterator[Problem]:
    """A ``Problem`` when ``actual`` is less protective than the policy entry ``key`` recommends."""
    if actual is None:
        return
    entry = policy[key]
    if not entry.satisfied_by(actual):
        yield Problem(
            path,
            f"{what} is {actual}{'%' if entry.unit == '%' else ' ' + entry.unit}; "
            f"the recommendation is {entry.describe()}.",
            f"use {entry.describe()}, or keep it and explain the departure to the reviewer",
        )
