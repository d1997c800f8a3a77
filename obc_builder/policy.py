"""The policy table: every recommended value, in one place.

Rules compare inputs against it, the wizard offers its values as defaults, ``obc-builder rules`` lists it,
and a district's own policy file (``--policy district.yaml``) may tighten or relax any entry.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from .errors import InputError
from .inputfiles import decode_text, read_file
from .limits import MAX_DEPTH, MAX_POLICY_BYTES, policy_range
from .messages import location_part, quoted

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
        self._table = None if entries is None else {entry.key: entry for entry in entries}
        self._families: dict[str, dict[str, PolicyEntry]] = {}

    def _family(self, name: str) -> dict[str, PolicyEntry]:
        """The defaults of one family, read when a key of it is first asked for (every key starts ``<family>.``): an
        HDT contract's rules never import the other families' models."""
        if name not in self._families:
            from .families import FAMILY_NAMES, policy_entries

            self._families[name] = {e.key: e for e in policy_entries(name)} if name in FAMILY_NAMES else {}
        return self._families[name]

    @property
    def _entries(self) -> dict[str, PolicyEntry]:
        if self._table is None:
            from .families import FAMILY_NAMES

            self._table = {key: e for name in FAMILY_NAMES for key, e in self._family(name).items()}
        return self._table

    def of_family(self, name: str) -> dict[str, PolicyEntry]:
        """The entries of one family (its keys start ``<name>.``), reading no other family's defaults."""
        if self._table is None:
            return dict(self._family(name))
        return {key: entry for key, entry in self._table.items() if key.startswith(f"{name}.")}

    def __getitem__(self, key: str) -> PolicyEntry:
        if self._table is None:
            return self._family(key.split(".")[0])[key]
        return self._table[key]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def value(self, key: str) -> Decimal:
        return self[key].value

    def with_overrides(self, overrides: Mapping[str, Any], source: str) -> Policy:
        entries = dict(self._entries)
        for key, raw in overrides.items():
            if key not in entries:
                known = ", ".join(sorted(entries))
                raise InputError(source, location_part(key), f"is not a policy key (known keys: {known})")
            number = policy_value(raw, entries[key].unit, source, key)
            overridden = f"{entries[key].source}; district policy {source}"
            entries[key] = replace(entries[key], value=number, source=overridden)
        return Policy(tuple(entries.values()))


def policy_value(raw: Any, unit: str, source: str, key: str) -> Decimal:
    """A policy file's value for an entry in ``unit``: a number (or text of one, "50%") in the unit's range."""
    allowed = policy_range(unit)
    wanted = f"it must be {allowed.describe()}"
    kinds = ((bool, "yes/no (true/false)"), (type(None), "empty"), (list, "a list"), (dict, "a group of keys"))
    kind = next((name for kind, name in kinds if isinstance(raw, kind)), None)
    if kind:
        raise InputError(source, key, f"is {kind}, not a number; {wanted}")
    if not isinstance(raw, (int, float, str)):
        raise InputError(source, key, f"is not a number; {wanted}")
    text = str(raw).strip().removesuffix("%").removeprefix("$").replace(",", "").strip()
    try:
        number = Decimal(text) if len(text) <= 40 else Decimal("NaN")
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise InputError(source, key, f"{quoted(raw)} is not a number; {wanted}")
    if not allowed.low <= number <= allowed.high or number.as_tuple().exponent < -allowed.places:  # type: ignore[operator]
        raise InputError(source, key, f"is {quoted(raw) if isinstance(raw, str) else raw}; {wanted}")
    return number


def load_policy(path: str | Path | None) -> Policy:
    """The default policy, or the default with the overrides of a district's YAML or JSON file applied."""
    policy = Policy()
    if path is None:
        return policy
    source = str(path)
    data = _read_policy(path, source)
    if data is None:
        return policy
    if not isinstance(data, dict):
        raise InputError(source, None, "must be a mapping of policy keys to values (lines of key: value)")
    return policy.with_overrides(data, source)


def _read_policy(path: str | Path, source: str) -> Any:
    import yaml

    text = decode_text(read_file(path, source, kind="policy file", limit=MAX_POLICY_BYTES), source)
    try:
        return yaml.load(text, Loader=_loader())  # a SafeLoader that also refuses aliases, tags, repeated keys
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1} column {mark.column + 1}" if mark else None
        problem = " ".join(str(error.problem or error.context or "is not valid").split())
        refused = getattr(error, "refused", False)
        raise InputError(source, where, problem if refused else f"is not valid YAML: {problem}") from error
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        raise InputError(source, None, f"is not valid YAML ({type(error).__name__})") from error


_MAX_SCALAR = 200
"""Characters of one key or value in a policy file: the longest key is under 50."""


@functools.cache
def _loader() -> type:
    import yaml
    from yaml.events import AliasEvent

    class Refused(yaml.MarkedYAMLError):
        refused = True

        def __init__(self, problem: str, mark: Any) -> None:
            super().__init__(problem=problem, problem_mark=mark)

    class PolicyLoader(yaml.SafeLoader):
        """YAML as plain ``key: value`` lines: no anchors or aliases (a few lines of aliases can expand to
        billions of values), no tags (``!!python/...``), no repeated keys, no deep nesting."""

        _depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
                raise Refused("anchors and aliases (& and *) are not allowed in a policy file; write each value "
                              "out", event.start_mark)
            tag = getattr(event, "tag", None)
            if tag not in (None, "!"):
                shown = str(tag).replace("tag:yaml.org,2002:", "!!")
                raise Refused(f"the tag {quoted(shown)} is not allowed in a policy file; write plain values",
                              event.start_mark)
            if len(getattr(event, "value", "")) > _MAX_SCALAR:
                raise Refused(f"holds a value of {len(event.value):,} characters; a policy key or value is at "
                              f"most {_MAX_SCALAR}", event.start_mark)
            self._depth += 1
            try:
                if self._depth > MAX_DEPTH:
                    raise Refused(f"values are nested more than {MAX_DEPTH} deep; a policy file is key: value "
                                  "lines", event.start_mark)
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key is not None and key in seen:
                    raise Refused(f"the key {quoted(key)} appears twice; keep one", key_node.start_mark)
                seen.add(key)
            return super().construct_mapping(node, deep)

    return PolicyLoader

