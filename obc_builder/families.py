"""The registry of contract families. A family is a model module, a rules module and a clause folder."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .policy import PolicyEntry



def _discover() -> tuple[str, ...]:
    """A family exists when its clause folder has a ``_family.yaml``; listed in that file's ``order``."""
    import yaml

    from .bundled import data_dir

    found = []
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, where it is built
    for meta_path in (data_dir("clauses")).glob("*/_family.yaml"):
        meta = yaml.load(meta_path.read_text(encoding="utf-8"), Loader=loader) or {}
        found.append((int(meta.get("order", 99)), meta_path.parent.name))
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
