"""Where the files that ship with obc-builder are (``clauses/``, ``templates/``), without importing anything heavy."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import TemplateError


def data_dir(name: str) -> Path:
    """Where ``clauses/`` or ``templates/`` is: inside the installed wheel, or at the top of a checkout."""
    packaged = Path(str(resources.files("obc_builder"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise TemplateError(f"the {name}/ folder is missing from this installation of obc-builder")
