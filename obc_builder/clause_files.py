"""The clause folder's files as data: a clause file's front matter and body, and a family's ``_family.yaml``.

What yaml reads from them is kept between processes with the compiled clause bodies (:mod:`.precompiled`, each
entry found by the digest of the text it was read from, so an edited file is simply read again): with the cache in
place a ``generate`` neither imports yaml (about 15 ms) nor parses a family's forty front matters (about 8 ms).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from .bundled import data_dir
from .errors import TemplateError
from .precompiled import CompiledBodies


def read_front_matter(path: Path, kept: CompiledBodies | None = None) -> tuple[dict[str, Any], str]:
    """A clause file's YAML front matter (between ``---`` lines) and its Jinja body. ``kept``: the family's cache,
    which holds the front matter as read before (``None``: read it with yaml)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TemplateError(f"{path}: cannot be read ({error})") from error
    if not text.startswith("---\n"):
        raise TemplateError(f"{path}: a clause file starts with '---' and its front matter")
    try:
        head, body = text[4:].split("\n---\n", 1)
    except ValueError as error:
        raise TemplateError(f"{path}: the front matter cannot be read ({error})") from error
    meta = kept.get(head, "front matter") if kept else None
    if meta is None:
        meta = _front_matter(path, head)
        if kept:
            kept.add(head, meta, "front matter")
    return meta, body


def _front_matter(path: Path, head: str) -> dict[str, Any]:
    import yaml

    try:
        meta = yaml.load(head, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except yaml.YAMLError as error:
        raise TemplateError(f"{path}: the front matter cannot be read ({error})") from error
    if not isinstance(meta, dict):
        raise TemplateError(f"{path}: the front matter is not a list of keys (id: ..., title: ...)")
    return meta


@cache
def family_meta(family: str) -> dict[str, Any]:
    """``clauses/<family>/_family.yaml``: the contract's title and other family-wide wording."""
    path = data_dir("clauses") / family / "_family.yaml"
    text = path.read_text(encoding="utf-8")
    kept = CompiledBodies(f"{family}.family", [path])
    meta = kept.get(text, "family")
    if meta is None:
        import yaml

        meta = yaml.safe_load(text)
        if not isinstance(meta, dict) or not {"title", "district", "provider"} <= set(meta):
            raise TemplateError(f"{path}: needs a title and the district and provider name templates")
        kept.add(text, meta, "family")
        kept.save()
    return meta
