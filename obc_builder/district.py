"""A district's own clause folder (``--clauses DIR``): clause files that add clauses or replace standard ones by id.

Each file is a clause file as in ``clauses/<family>/`` (see ``docs/clauses.md``) with one more front-matter key,
``family:``, and its ``id:`` free of the file's name: an id of a standard clause replaces that clause, any other id
adds a clause, placed among the standard ones in the order of the ids. Every such clause is a deviation from the
standard contract: a warning finding and a line of the review's deviation memo. The files are compiled in the
district sandbox (:mod:`.sandbox`), and each problem is one sentence naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError
from jinja2.exceptions import SecurityError, UndefinedError

from .clause_files import read_front_matter
from .errors import DistrictClauseError, TemplateError
from .families import FAMILY_NAMES
from .library import Clause, build_clause, check_errata, check_references, load_library
from .rules.engine import Finding, Severity
from .templating import district_environment, render_text

_REQUIRED = ("id", "family", "title", "section", "source")
_OPTIONAL = ("when", "citations", "fields", "errata")
_ID = re.compile(r"^[a-z0-9][a-z0-9_]{0,59}$")
_MAX_FILES = 200
RULE = "DISTRICT-CLAUSE"


@dataclass(frozen=True)
class DistrictClauses:
    """The clauses of one district folder, checked and compiled."""

    folder: str
    clauses: tuple[Clause, ...]

    def of(self, family: str) -> tuple[Clause, ...]:
        return tuple(clause for clause in self.clauses if clause.family == family)


def _text(meta: dict[str, Any], key: str) -> bool:
    return isinstance(meta.get(key), str) and bool(meta[key].strip())


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value)


def _front_matter_problems(path: Path, meta: dict[str, Any]) -> list[str]:
    problems = []
    for key in _REQUIRED:
        if key not in meta:
            problems.append(f"{path}: the front matter has no {key}: (a district clause names its id, family, "
                            f"title, section and source)")
        elif not _text(meta, key):
            problems.append(f"{path}: {key}: must be text, not {type(meta[key]).__name__ if meta[key] else 'empty'}")
    for key in sorted(set(meta) - {*_REQUIRED, *_OPTIONAL}, key=str):
        problems.append(f"{path}: {key!s}: is not a front-matter key (the keys are {', '.join(_REQUIRED)}, "
                        f"{', '.join(_OPTIONAL)})")
    if _text(meta, "family") and meta["family"] not in FAMILY_NAMES:
        problems.append(f"{path}: family: {meta['family']!r} is not a contract family (one of "
                        f"{', '.join(FAMILY_NAMES)})")
    if _text(meta, "id") and not _ID.match(meta["id"]):
        problems.append(f"{path}: id: {meta['id']!r} must be lower-case letters, digits and underscores, starting "
                        "with a letter or digit (e.g. l01_governing_law)")
    if "when" in meta and not _text(meta, "when"):
        problems.append(f"{path}: when: must be a condition written as text (e.g. \"provisions.include\")")
    for key in ("citations", "fields"):
        if key in meta and not _strings(meta[key]):
            problems.append(f"{path}: {key}: must be a list of text entries")
    return problems


def _compile(path: Path, meta: dict[str, Any], body: str) -> Clause:
    from .sandbox import refusals

    env = district_environment()
    try:
        tree = env.parse(body)
        if meta.get("when"):
            env.compile_expression(meta["when"])
    except TemplateSyntaxError as error:
        raise DistrictClauseError(f"{path}: line {error.lineno}: {error.message}") from error
    refused = [f"{path}: line {line}: {sentence}" for line, sentence in refusals(tree)]
    if meta.get("when"):
        refused += [f"{path}: when: {sentence}" for _, sentence in refusals(env.parse("{{ " + meta["when"] + " }}"))]
    if refused:
        raise DistrictClauseError("\n".join(refused))
    try:
        return build_clause(path, meta, body, env, district=True)
    except TemplateError as error:
        raise DistrictClauseError(str(error)) from error


@cache
def load_district_clauses(folder: str) -> DistrictClauses:
    """Every ``*.j2`` file of ``folder``, checked; all problems of all files are reported together."""
    root = Path(folder)
    if not root.is_dir():
        raise DistrictClauseError(f"{folder}: --clauses names a folder of clause files (*.j2), and this is not one")
    files = sorted(root.glob("*.j2"))
    if not files:
        raise DistrictClauseError(f"{folder}: holds no clause files (*.j2)")
    if len(files) > _MAX_FILES:
        raise DistrictClauseError(f"{folder}: holds {len(files)} clause files; at most {_MAX_FILES} are read")
    problems: list[str] = []
    clauses: list[Clause] = []
    seen: dict[tuple[str, str], Path] = {}
    for path in files:
        try:
            meta, body = read_front_matter(path)
        except TemplateError as error:
            problems.append(str(error))
            continue
        found = _front_matter_problems(path, meta)
        key = (str(meta.get("family")), str(meta.get("id")))
        if not found and key in seen:
            found.append(f"{path}: id {meta['id']!r} is already used by {seen[key]} for the same family; each "
                         "clause of the folder has its own id")
        if found:
            problems += found
            continue
        seen[key] = path
        try:
            clauses.append(_compile(path, meta, body))
        except DistrictClauseError as error:
            problems += str(error).splitlines()
    if problems:
        raise DistrictClauseError("\n".join(problems))
    return DistrictClauses(folder, tuple(clauses))


@cache
def library_with(family: str, district: DistrictClauses | None) -> tuple[Clause, ...]:
    """The family's clauses with a district's in place: replacements by id, additions in the order of their ids."""
    standard = load_library(family)
    if district is None:
        return standard
    own = {clause.id: clause for clause in district.of(family)}
    if not own:
        return standard
    merged = [own.pop(clause.id, clause) for clause in standard]
    merged = sorted([*merged, *own.values()], key=lambda clause: clause.id)
    clauses = tuple(merged)
    try:
        check_references(clauses)
        check_errata(tuple(clause for clause in clauses if clause.district))
    except TemplateError as error:
        raise DistrictClauseError(str(error)) from error
    return clauses


def render_clause(clause: Clause, context: dict[str, Any]) -> tuple[str, list[Any]]:
    """Render a clause; a district clause that reaches for anything the sandbox refuses is one sentence naming its
    file (a standard clause's error is a bug and goes up as it is)."""
    if not clause.district:
        return render_text(clause.template, context)
    try:
        return render_text(clause.template, context)
    except (SecurityError, UndefinedError, TypeError, ValueError, ArithmeticError) as error:
        raise DistrictClauseError(f"{clause.path}: {_why(error)}") from error


def applies(clause: Clause, context: dict[str, Any]) -> bool:
    """Whether a clause's ``when:`` holds, with a district clause's errors reported as :func:`render_clause` does."""
    if not clause.district:
        return clause.applies(context)
    try:
        return clause.applies(context)
    except (SecurityError, UndefinedError, TypeError, ValueError, ArithmeticError) as error:
        raise DistrictClauseError(f"{clause.path}: when: {_why(error)}") from error


def _why(error: Exception) -> str:
    message = str(error).rstrip(".")
    if isinstance(error, SecurityError):
        return f"refused by the sandbox ({message}); a district clause may print the inputs through the filters"
    if isinstance(error, UndefinedError):
        return (f"{message}: a district clause may use the family's inputs, computed, labels and draft, and the "
                "filters of docs/clauses.md")
    return f"cannot be rendered with these inputs ({type(error).__name__}: {message})"


def district_findings(clauses: tuple[Clause, ...], used: set[str]) -> list[Finding]:
    """One warning for each district clause in the contract: it replaces a standard clause, or adds one."""
    if not clauses or not any(clause.district for clause in clauses):
        return []
    standard = {clause.id: clause.title for clause in load_library(clauses[0].family)}
    findings = []
    for clause in clauses:
        if not clause.district or clause.id not in used:
            continue
        replaced = standard.get(clause.id)
        what = f"replaces the standard clause “{replaced}”" if replaced else "is added to the standard contract"
        findings.append(Finding(
            RULE, Severity.warning, "",
            f"The District's own clause “{clause.title}” ({clause.path.name}) {what}; its wording is the District's, "
            f"not the standard text.",
            "have counsel read it against its source, or remove the file from the district's clause folder to use "
            "the standard contract",
            clause.source, clause=clause.id))
    return findings
