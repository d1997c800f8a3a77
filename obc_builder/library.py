"""The clause library: loads ``clauses/<family>/*.j2`` once per process and compiles them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from jinja2.environment import TemplateExpression
from jinja2.parser import Parser

from .bundled import data_dir
from .clause_files import family_meta as family_meta
from .clause_files import read_front_matter
from .errors import TemplateError
from .precompiled import CompiledBodies
from .templating import environment, render_text


@dataclass(frozen=True)
class Erratum:
    """A correction of the source's wording, recorded in the clause's front matter (``errata:``)."""

    original: str  # the words as the source document prints them
    corrected: str  # the words as the clause prints them
    why: str  # what is wrong with the original (a typo, a defined term, a cross-reference to nowhere)


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
    errata: tuple[Erratum, ...] = ()
    template: Any = field(default=None, compare=False, repr=False)
    condition: Any = field(default=None, compare=False, repr=False)
    heading: str | None = None
    """The clause's first ``#`` or ``##`` heading line, its Jinja tags kept: what a cross-reference to it names."""
    heading_level: int = 0
    references: tuple[str, ...] | None = ()
    """The clause ids its ``ref("…")`` calls name; None if one of them names no quoted clause id."""
    family: str = ""
    district: bool = False
    """A district's own clause (``--clauses DIR``), which adds to or replaces the standard clauses."""

    def applies(self, context: dict[str, Any]) -> bool:
        return self.condition is None or bool(self.condition(**context))

    def heading_template(self) -> Any:
        """The heading line compiled (in the clause's environment), when a cross-reference first needs it."""
        return _heading_template(self.heading, self.district) if self.heading else None


@cache
def _heading_template(source: str, district: bool) -> Any:
    from .templating import district_environment

    return (district_environment() if district else environment()).from_string(source)


_REQUIRED = ("id", "title", "section", "source")
_KNOWN = {*_REQUIRED, "when", "citations", "fields", "errata"}
_ERRATUM_KEYS = ("original", "corrected", "why")
_HEADING = re.compile(r"^(#{1,2}) (.+)$")


def parse_clause(path: Path, compiled: CompiledBodies | None = None) -> Clause:
    """Read one clause file: YAML front matter between ``---`` lines, then the Jinja body."""
    meta, body = read_front_matter(path, compiled)
    missing = [key for key in _REQUIRED if key not in meta]
    unknown = sorted(set(meta) - _KNOWN)
    if missing or unknown:
        raise TemplateError(f"{path}: front matter lacks {missing} or has unknown keys {unknown}")
    if meta["id"] != path.stem:
        raise TemplateError(f"{path}: id {meta['id']!r} must equal the file stem {path.stem!r}")
    return build_clause(path, meta, body, environment(), compiled=compiled)


def build_clause(path: Path, meta: dict[str, Any], body: str, env: Any, district: bool = False,
                 compiled: CompiledBodies | None = None) -> Clause:
    """A clause from checked front matter and its body, compiled in ``env`` (or read from ``compiled``)."""
    try:
        cached = compiled.get(body) if compiled else None
        if cached is None:
            tree = env.parse(body)
            code, references = env.compile(tree), _references(tree)  # parsed once: the tree is compiled as it is
            if compiled:
                compiled.add(body, (code, references))
        else:
            code, references = cached
        template = env.template_class.from_code(env, code, env.make_globals(None), None)
        condition = _condition(meta["when"], env, compiled) if meta.get("when") else None
    except TemplateSyntaxError as error:
        raise TemplateError(f"{path}:{error.lineno}: {error.message}") from error
    level, heading = _first_heading(body)
    return Clause(
        id=str(meta["id"]),
        title=str(meta["title"]),
        section=str(meta["section"]),
        source=str(meta["source"]),
        body=body,
        path=path,
        when=meta.get("when"),
        citations=tuple(str(c) for c in meta.get("citations") or ()),
        fields=tuple(meta.get("fields") or ()),
        errata=_errata(path, meta.get("errata")),
        template=template,
        condition=condition,
        heading=heading,
        heading_level=level,
        references=references,
        family=str(meta.get("family") or path.parent.name),
        district=district,
    )


def _condition(source: str, env: Any, compiled: CompiledBodies | None) -> Any:
    """``when:`` as ``env.compile_expression(source)`` makes it, its code kept with the bodies' (``compiled``):
    compiling a family's conditions was a quarter of loading it."""
    code = compiled.get(source, "when") if compiled else None
    if code is None:
        if not compiled:
            return env.compile_expression(source)
        parser = Parser(env, source, state="variable")
        expression = parser.parse_expression()
        if not parser.stream.eos:
            raise TemplateSyntaxError("chunk after expression", parser.stream.current.lineno, None, None)
        expression.set_environment(env)
        code = env.compile(nodes.Template([nodes.Assign(nodes.Name("result", "store"), expression, lineno=1)],
                                          lineno=1))
        compiled.add(source, code, "when")
    return TemplateExpression(env.template_class.from_code(env, code, env.make_globals(None), None), True)


def _errata(path: Path, entries: Any) -> tuple[Erratum, ...]:
    """``errata:``: a list of ``{original: "...", corrected: "...", why: "..."}``, each value a non-empty string."""
    if entries is None:
        return ()
    if not isinstance(entries, list):
        raise TemplateError(f"{path}: errata is a list of {{original, corrected, why}} entries")
    errata = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or sorted(entry) != sorted(_ERRATUM_KEYS):
            raise TemplateError(f"{path}: erratum {number} must have exactly the keys original, corrected and why")
        if not all(isinstance(entry[key], str) and entry[key].strip() for key in _ERRATUM_KEYS):
            raise TemplateError(f"{path}: erratum {number}: original, corrected and why are non-empty strings")
        if entry["original"] == entry["corrected"]:
            raise TemplateError(f"{path}: erratum {number} corrects nothing (original equals corrected)")
        errata.append(Erratum(entry["original"], entry["corrected"], entry["why"]))
    return tuple(errata)


def _first_heading(body: str) -> tuple[int, str | None]:
    """The clause's first ``#`` or ``##`` heading line (its Jinja tags kept): what a cross-reference to it names."""
    for line in body.splitlines():
        if match := _HEADING.match(line):
            return len(match.group(1)), match.group(2)
    return 0, None


@cache
def load_library(family: str) -> tuple[Clause, ...]:
    """Every clause of a family, in assembly order (the order of their file names).

    Checked here, for the family as a whole: every ``ref("…")`` names a clause of the family that has a numbered
    heading; every erratum's ``corrected`` words are in its clause (or are a list label), and, in a checkout (where
    ``sources/`` is), its ``original`` words are in the source document the clause names."""
    folder = data_dir("clauses") / family
    if not folder.is_dir():
        raise TemplateError(f"no clause folder for family {family!r}")
    files = sorted(folder.glob("*.j2"))
    compiled = CompiledBodies(family, files, environment())
    clauses = tuple(parse_clause(path, compiled) for path in files)
    compiled.save()
    check_references(clauses)
    check_errata(clauses)
    return clauses


# --- Cross-references: {{ ref("j01_continuous_improvement") }} → Section J (Continuous Improvement) ---------------

@dataclass(frozen=True)
class Reference:
    """What a cross-reference to a clause prints, read from the clause's first heading and its ``section:``.

    ``# SECTION J: Continuous Improvement`` → label and number ``J``, title ``Continuous Improvement``;
    ``## 3. RATE CARD`` in section ``F`` → label ``3``, number ``F.3``, title ``Rate Card``."""

    label: str
    number: str
    title: str

    def __str__(self) -> str:
        return f"Section {self.number} ({self.title})"


_NUMBERED = re.compile(r"^(?:SECTION\s+)?([A-Z0-9]{1,4})[.:]\s+(.+)$", re.IGNORECASE)
_SECTION_CODE = re.compile(r"^[A-Z0-9]{1,3}$")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}


def _title_case(text: str) -> str:
    """An all-capitals heading as a reference writes it: ``RATE CARD`` → ``Rate Card``; a word in parentheses
    (an acronym, ``(SLP)``) and a heading not in capitals are kept as they are."""
    if text != text.upper():
        return text

    def word(match: re.Match[str]) -> str:
        start, end = match.start(), match.end()
        if text[start - 1:start] == "(" and text[end:end + 1] == ")":
            return match.group(0)
        lower = match.group(0).lower()
        return lower if start and lower in _SMALL_WORDS else lower[0].upper() + lower[1:]

    return re.sub(r"[A-Za-z]+", word, text)


def parse_reference(clause: Clause, heading: str) -> Reference:
    """The reference words for a clause whose first heading reads ``heading`` (as rendered)."""
    match = _NUMBERED.match(heading.strip())
    if not match:
        raise TemplateError(f"clause {clause.id}: its heading {heading.strip()!r} has no section number or letter to "
                            f"refer to")
    label, title = match.group(1), match.group(2).strip()
    number = label
    if clause.heading_level == 2 and _SECTION_CODE.match(clause.section):
        number = f"{clause.section}.{label}"
    return Reference(label, number, _title_case(title))


def static_reference(clause: Clause) -> Reference | None:
    """The reference words of a clause whose heading has no Jinja in it (the same in every contract), else None."""
    source = _first_heading(clause.body)[1]
    if source is None or "{" in source:
        return None
    return parse_reference(clause, source)


class ClauseIndex:
    """The family's clauses by id, for ``ref()`` while a contract renders (see :func:`clause_index`)."""

    def __init__(self, clauses: tuple[Clause, ...]) -> None:
        self.clauses = {clause.id: clause for clause in clauses}

    def reference(self, clause_id: str, context: dict[str, Any]) -> Reference:
        target = self.clauses.get(clause_id)
        if target is None:
            raise TemplateError(f"ref({clause_id!r}): there is no clause {clause_id!r} to refer to")
        if not target.applies(context):
            raise TemplateError(f"ref({clause_id!r}): clause {clause_id} is not in this contract (its condition "
                                f"{target.when!r} is false), so no clause may refer to it")
        if target.heading is None:
            raise TemplateError(f"ref({clause_id!r}): clause {clause_id} has no heading to refer to")
        text, slots = render_text(target.heading_template(), context)
        if slots:
            raise TemplateError(f"ref({clause_id!r}): the heading of clause {clause_id} prints a value; a "
                                f"cross-reference names fixed wording only")
        return parse_reference(target, text)


@cache
def clause_index(family: str) -> ClauseIndex:
    return ClauseIndex(load_library(family))


@cache
def index_of(clauses: tuple[Clause, ...]) -> ClauseIndex:
    """The index of a library with a district's clauses in it (see :mod:`.district`)."""
    return ClauseIndex(clauses)


def referenced_ids(clause: Clause) -> list[str]:
    """The clause ids a clause's ``ref("…")`` calls name (each must be a quoted clause id)."""
    if clause.references is None:
        raise TemplateError(f"{clause.path}: ref() takes one quoted clause id, e.g. ref(\"f04_rate_card\")")
    return list(clause.references)


def _references(tree: nodes.Template) -> tuple[str, ...] | None:
    """Read from the clause's syntax tree when it is compiled (None: a ``ref()`` without one quoted id)."""
    ids = []
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == "ref":
            if len(call.args) != 1 or call.kwargs or not isinstance(call.args[0], nodes.Const) \
                    or not isinstance(call.args[0].value, str):
                return None
            ids.append(call.args[0].value)
    return tuple(ids)


def check_references(clauses: tuple[Clause, ...]) -> None:
    """Every ``ref("…")`` names a clause of the same family whose heading can be referred to."""
    by_id = {clause.id: clause for clause in clauses}
    for clause in clauses:
        for target_id in referenced_ids(clause):
            target = by_id.get(target_id)
            if target is None:
                raise TemplateError(f"{clause.path}: ref({target_id!r}) names no clause of this family")
            if target.heading is None:
                raise TemplateError(f"{clause.path}: ref({target_id!r}): that clause has no heading to refer to")
            try:
                target.heading_template()  # compiled only for the clauses referred to, and refused now if broken
            except TemplateSyntaxError as error:
                raise TemplateError(f"{target.path}:{error.lineno}: {error.message}") from error
            static_reference(target)  # a static heading must parse now, not when a contract is generated


_REF_TAG = re.compile(r"\{\{-?\s*ref\(\s*[\"']([a-z0-9_]+)[\"']\s*\)(?:\.(label|number|title))?\s*-?\}\}")


def expand_references(clause: Clause, clauses: tuple[Clause, ...]) -> str:
    """The clause body with each ``{{ ref("…") }}`` written out as it prints (when the target's heading is fixed)."""
    by_id = {c.id: c for c in clauses}

    def words(match: re.Match[str]) -> str:
        target = by_id.get(match.group(1))
        reference = static_reference(target) if target else None
        if reference is None:
            return match.group(0)
        return getattr(reference, match.group(2)) if match.group(2) else str(reference)

    return _REF_TAG.sub(words, clause.body)


# --- Errata: the source's typos, corrected and recorded -------------------------------------------------------

_LABEL = re.compile(r"^\(?[0-9A-Za-z]{1,5}[.)]$")
_SOURCE_FILE = re.compile(r"\bsources/(\d{3}[a-z]?)_|\bSeed (\d{3})\b")


def source_document(clause: Clause) -> Path | None:
    """The file in ``sources/`` a clause transcribes (from ``source:``), when the checkout has ``sources/``."""
    folder = Path(__file__).resolve().parent.parent / "sources"
    match = _SOURCE_FILE.search(clause.source)
    if not match or not folder.is_dir():
        return None
    seed = match.group(1) or match.group(2)
    found = sorted(folder.glob(f"{seed}_*.txt"))
    return found[0] if found else None


@cache
def _source_text(path: Path) -> str:
    """A source document on one line: line breaks as spaces, a word broken at a hyphen rejoined."""
    text = " ".join(path.read_text(encoding="utf-8").split())
    return text + "\n" + re.sub(r"(?<=[a-z])- (?=[a-z])", "-", text)


def check_errata(clauses: tuple[Clause, ...]) -> None:
    """Each erratum's ``corrected`` words are in the clause as it prints (or are a label), and its ``original``
    words are in the clause's source document (checked where ``sources/`` is present)."""
    for clause in clauses:
        if not clause.errata:
            continue
        body = expand_references(clause, clauses)
        source = source_document(clause)
        for erratum in clause.errata:
            if erratum.corrected not in body and not _LABEL.match(erratum.corrected):
                raise TemplateError(f"{clause.path}: erratum {erratum.corrected!r} is not in the clause's wording")
            if source is not None and " ".join(erratum.original.split()) not in _source_text(source):
                raise TemplateError(f"{clause.path}: erratum original {erratum.original!r} is not in {source.name}")


def as_in_source(clause: Clause, clauses: tuple[Clause, ...]) -> str:
    """The clause body as the source prints it: references written out, every erratum's correction undone."""
    body = expand_references(clause, clauses)
    for erratum in sorted(clause.errata, key=lambda e: -len(e.corrected)):  # the longest first: "a X, and" before "X"
        body = body.replace(erratum.corrected, erratum.original)
    return body


def as_corrected(text: str, clauses: tuple[Clause, ...]) -> str:
    """Source wording as the clauses print it: every erratum of ``clauses`` applied (original → corrected)."""
    errata = {erratum.original: erratum.corrected for clause in clauses for erratum in clause.errata}
    for original in sorted(errata, key=len, reverse=True):
        text = text.replace(original, errata[original])
    return text


@cache
def compile_inline(source: str) -> Any:
    """A short template from family metadata, compiled once in the one environment."""
    return environment().from_string(source)
