"""The policy table: every recommended value, in one place.

Rules compare inputs against it, the wizard offers its values as defaults, ``obc-builder rules`` lists it,
and a district's own policy file (``--policy district.yaml``) may tighten or relax any entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from .errors import InputError

Direction = Literal["at_least", "at_most", "equal"]


@dataclass(frozen=True)
class PolicyEntry:
    """A recommended value and the direction in which a contract becomes less protective."""

    key: str
    value: Decimal
    direction: Direction
    unit: str
    source: str
    title: str

    def describe(self) -> str:
        sign = {"at_least": "at least", "at_most": "at most", "equal": "exactly"}[self.direction]
        return f"{sign} {format_policy_value(self.value, self.unit)}"

    def satisfied_by(self, actual: Decimal | int) -> bool:
        number = Decimal(actual)
        if self.direction == "at_least":
            return number >= self.value
        if self.direction == "at_most":
            return number <= self.value
        return number == self.value


def format_policy_value(value: Decimal, unit: str) -> str:
    text = f"{value.normalize():f}"
    if unit == "%":
        return f"{text}%"
    if unit == "$":
        return f"${text}"
    return f"{text} {unit}"


def entry(key: str, value: str, direction: Direction, unit: str, title: str, source: str) -> PolicyEntry:
    """One row of a family's policy table (families declare theirs as ``POLICY`` in their model module)."""
    return PolicyEntry(key, Decimal(value), direction, unit, source, title)


class Policy(Mapping[str, PolicyEntry]):
    """The policy in force: the defaults, with a district's overrides applied."""

    def __init__(self, entries: tuple[PolicyEntry, ...] | None = None) -> None:
        if entries is None:
            from .families import all_policy_entries

            entries = all_policy_entries()
        self._entries = {entry.key: entry for entry in entries}

    def __getitem__(self, key: str) -> PolicyEntry:
        return self._entries[key]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def value(self, key: str) -> Decimal:
        return self._entries[key].value

    def with_overrides(self, overrides: Mapping[str, Any], source: str) -> Policy:
        entries = dict(self._entries)
        for key, raw in overrides.items():
            if key not in entries:
                known = ", ".join(sorted(entries))
                raise InputError(source, key, f"is not a policy key (known keys: {known})")
            try:
                number = Decimal(str(raw).strip().rstrip("%"))
            except InvalidOperation:
                raise InputError(source, key, f"{raw!r} is not a number") from None
            overridden = f"{entries[key].source}; district policy {source}"
            entries[key] = replace(entries[key], value=number, source=overridden)
        return Policy(tuple(entries.values()))


def load_policy(path: str | Path | None) -> Policy:
    """The default policy, or the default with the overrides of a district's YAML or JSON file applied."""
    policy = Policy()
    if path is None:
        return policy
    import yaml

    source = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(source, None, f"cannot be read ({error.strerror})") from error
    except yaml.YAMLError as error:
        raise InputError(source, None, f"is not valid YAML ({error})") from error
    if data is None:
        return policy
    if not isinstance(data, dict):
        raise InputError(source, None, "must be a mapping of policy keys to values")
    return policy.with_overrides(data, source)
