"""Places in words: where an input is in the contract, and which document a rule or clause follows.

What an officer or a lawyer reads (the wizard, the review file, Word comments) names an input by its place in
the contract ("Section F · Rate card › Total base payment cap"), never by its field path
(``rate_card.base_cap``), and a source by its document ("Florida DOE SES guidance, question C-3"), never by
the project's seed number ("Seed 002"). The seed numbers stay in the clause files' ``source:`` and the file
names of ``sources/``, where they tie a clause to the document it transcribes; :data:`SOURCE_DOCUMENTS` is the
one table that names them. Machine outputs (JSON reports, ``obc-builder rules``) keep field paths and rule ids.

This module needs only the models, so the review file (and the wizard beside the command line) can use it.
"""

from __future__ import annotations

import re
import types
from collections.abc import Sequence
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel

from .models.base import plain_title

SOURCE_DOCUMENTS = {
    "000": "Center for OBC HDT template",
    "002": "Florida DOE SES contract guidance",
    "004": "Wisconsin DPI AGR contract form",
    "004b": "s. 118.44, Wis. Stats., and PI 24.03, Wis. Admin. Code",
}
"""The source documents by seed number (the number that starts their file's name in ``sources/``)."""

# "Seed 002", with the short name some sources add after it: "Seed 000 (Center for OBC HDT template)".
_SEED = re.compile(r"\bSeed (\d{3}[a-z]?)\b(?: \([^()]*\))?")
_QA = re.compile(r"\bQ&A (?=[A-C]-\d)")


def source_document(seed: str) -> str:
    """The name of the source document with seed number ``seed`` ("002" → "Florida DOE SES contract guidance")."""
    return SOURCE_DOCUMENTS[seed]


def plain_source(text: str) -> str:
    """A source as an officer reads it: each seed number replaced by its document's name, "Q&A C-3" by
    "question C-3" (the Florida guidance numbers its questions A-1 to C-25)."""
    named = _SEED.sub(lambda match: SOURCE_DOCUMENTS.get(match.group(1), match.group(0)), text)
    return _QA.sub("question ", named)


Location = str | Sequence[str | int]


def _parts(path: Location) -> list[str | int]:
    if isinstance(path, str):
        return [int(part) if part.isdigit() else part for part in path.split(".") if part]
    return list(path)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model under ``Optional``, ``Annotated`` and ``list`` (a group's, or an entry's of a repeating group)."""
    tp = annotation
    for _ in range(6):
        origin = get_origin(tp)
        if origin in (Union, types.UnionType):
            members = [arg for arg in get_args(tp) if arg is not type(None)]
            if len(members) != 1:
                return None
            tp = members[0]
        elif origin in (Annotated, list):
            tp = get_args(tp)[0]
        else:
            break
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _words(name: str) -> str:
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _figure_title(model: type[BaseModel], name: str) -> str | None:
    """The title of a derived figure (``computed.contingent_share``), from the model's ``figures()``."""
    figures = getattr(model, "figures", None)
    try:
        kind = get_type_hints(figures).get("return") if callable(figures) else None
    except (NameError, TypeError):
        return None
    info = kind.model_fields.get(name) if isinstance(kind, type) and issubclass(kind, BaseModel) else None
    return info.title if info is not None else None


def describe_path(model: type[BaseModel], path: Location) -> str:
    """A field's place in words: ``rate_card.base_cap`` of the HDT model → "Section F · Rate card › Total base
    payment cap"; ``outcomes.1.price_per_outcome`` → "Section E · Payment outcomes › entry 2 › Price per outcome";
    a derived figure (``computed.…``) by its title. The first step is named with its section, as the wizard
    heads it."""
    parts = _parts(path)
    if len(parts) == 2 and parts[0] == "computed" and (title := _figure_title(model, str(parts[1]))):
        return f"{title} (computed from the inputs)"
    words: list[str] = []
    current: type[BaseModel] | None = model
    for depth, part in enumerate(parts):
        if isinstance(part, int):
            words.append(f"entry {part + 1}")
            continue
        info = current.model_fields.get(part) if current is not None else None
        if info is None:
            words.append(_words(part))
            current = None
            continue
        words.append((info.title or _words(part)) if depth == 0 else
                     plain_title(info, part) if info.title else _words(part))
        current = _model_in(info.annotation)
    return " › ".join(words) or "the whole contract"
