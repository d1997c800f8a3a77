"""The registry of contract families. A family is a model module, a rules module and a clause folder."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .policy import PolicyEntry



_ORDER = re.compile(r"^order: *(\d+) *(?:#.*)?$", re.MULTILINE)


def family_order(text: str) -> int:
    """A ``_family.yaml``'s ``order`` (99 without one).

    A plain top-level ``order: N`` line, as every bundled family writes it, is read without YAML: importing yaml was
    a tenth of ``obc-builder --help``, which lists the families and reads nothing else. Any other spelling (or a
    second ``order`` line) is read by yaml."""
    found = _ORDER.findall(text)
    if len(found) == 1 and text.count("order") == 1:
        return int(found[0])
    import yaml

    meta = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # libyaml's, where built
    return int(meta.get("order", 99))


def _discover() -> tuple[str, ...]:
    """A family exists when its clause folder has a ``_family.yaml``; listed in that file's ``order``."""
    from .bundled import data_dir

    found = [(family_order(path.read_text(encoding="utf-8")), path.parent.name)
             for path in data_dir("clauses").glob("*/_family.yaml")]
    return tuple(name for _, name in sorted(found))


FAMILY_NAMES: tuple[str, ...] = _discover()


@dataclass(frozen=True)
class Family:
    name: str
    model: type[BaseModel]
    module: ModuleType

    @property
    def title(self) -> str:
        return (self.model.__doc__ or self.name).strip().splitlines()[0]


@cache
def get_family(name: str) -> Family:
    if name not in FAMILY_NAMES:
        raise KeyError(name)
    module = importlib.import_module(f"obc_builder.models.{name}")
    model = next(
        value
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == module.__name__
        and "family" in getattr(value, "model_fields", {})
    )
    return Family(name, model, module)


def policy_entries(name: str) -> tuple[PolicyEntry, ...]:
    """A family's rows of the policy table (``POLICY`` in its model module), each key starting ``<name>.``."""
    return tuple(getattr(get_family(name).module, "POLICY", ()))


def all_policy_entries() -> tuple[PolicyEntry, ...]:
    return tuple(entry for name in FAMILY_NAMES for entry in policy_entries(name))
