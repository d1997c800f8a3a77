"""The clause library: loads ``clauses/<family>/*.j2`` once per process and compiles them."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError

from .bundled import data_dir
from .errors import TemplateError
from .templating import environment


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    section: str
    source: str
    body: str
    path: Path
    when: str | None = None
    citations: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    template: Any = field(default=None, compare=False, repr=False)
    condition: Any = field(default=None, compare=False, repr=False)

    def applies(self, context: dict[str, Any]) -> bool:
        return self.condition is None or bool(self.condition(**context))


_REQUIRED = ("id", "title", "section", "source")
_KNOWN = {*_REQUIRED, "when", "citations", "fields"}


def parse_clause(path: Path) -> Clause:
    """Read one clause file: YAML front matter between ``---`` lines, then the Jinja body."""
    import yaml

    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise TemplateError(f"{path}: a clause file starts with '---' and its front matter")
    try:
        head, body = text[4:].split("\n---\n", 1)
        meta = yaml.safe_load(head) or {}
    except (ValueError, yaml.YAMLError) as error:
        raise TemplateError(f"{path}: the front matter cannot be read ({error})") from error
    missing = [key for key in _REQUIRED if key not in meta]
    unknown = sorted(set(meta) - _KNOWN)
    if missing or unknown:
        raise TemplateError(f"{path}: front matter lacks {missing} or has unknown keys {unknown}")
    if meta["id"] != path.stem:
        raise TemplateError(f"{path}: id {meta['id']!r} must equal the file stem {path.stem!r}")
    env = environment()
    try:
        template = env.from_string(body)
        condition = env.compile_expression(meta["when"]) if meta.get("when") else None
    except TemplateSyntaxError as error:
        raise TemplateError(f"{path}:{error.lineno}: {error.message}") from error
    return Clause(
        id=meta["id"],
        title=str(meta["title"]),
        section=str(meta["section"]),
        source=str(meta["source"]),
        body=body,
        path=path,
        when=meta.get("when"),
        citations=tuple(meta.get("citations") or ()),
        fields=tuple(meta.get("fields") or ()),
        template=template,
        condition=condition,
    )


@cache
def load_library(family: str) -> tuple[Clause, ...]:
    """Every clause of a family, in assembly order (the order of their file names)."""
    folder = data_dir("clauses") / family
    if not folder.is_dir():
        raise TemplateError(f"no clause folder for family {family!r}")
    return tuple(parse_clause(path) for path in sorted(folder.glob("*.j2")))


@cache
def compile_inline(source: str) -> Any:
    """A short template from family metadata, compiled once in the one environment."""
    return environment().from_string(source)


@cache
def family_meta(family: str) -> dict[str, Any]:
    """``clauses/<family>/_family.yaml``: the contract's title and other family-wide wording."""
    import yaml

    path = data_dir("clauses") / family / "_family.yaml"
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(meta, dict) or not {"title", "district", "provider"} <= set(meta):
        raise TemplateError(f"{path}: needs a title and the district and provider name templates")
    return meta
