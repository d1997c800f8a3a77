"""The clause library: well-formed files, and every variable a clause uses exists in its family's model."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel

from obc_builder.assemble import assemble
from obc_builder.families import FAMILY_NAMES, get_family
from obc_builder.library import Clause, build_clause, load_library, read_front_matter
from obc_builder.loading import load_contract
from obc_builder.templating import environment

from .conftest import SAMPLES

GLOBALS = {"computed", "draft", "labels", "loop", "range", "ref", "true", "false", "none"}


def _model_field_types(model: type[BaseModel]) -> dict[str, object]:
    return {name: info.annotation for name, info in model.model_fields.items()}


def _submodel(annotation: object) -> type[BaseModel] | None:
    import typing

    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _chains(template_source: str) -> list[list[str]]:
    """Attribute chains that start at a top-level name, e.g. ['rate_card', 'base_cap']."""
    tree = environment().parse(template_source)
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    chains = []
    for node in tree.find_all(nodes.Getattr):
        parts = [node.attr]
        inner = node.node
        while isinstance(inner, nodes.Getattr):
            parts.insert(0, inner.attr)
            inner = inner.node
        if isinstance(inner, nodes.Name) and inner.name not in assigned:
            chains.append([inner.name, *parts])
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load" and node.name not in assigned:
            chains.append([node.name])
    return chains


def _exists(model: type[BaseModel], figures: type[BaseModel] | None, chain: list[str]) -> bool:
    head, *rest = chain
    if head in GLOBALS:
        if head != "computed" or not rest:
            return True
        current: type[BaseModel] | None = figures
    else:
        if head not in model.model_fields:
            return False
        current = _submodel(model.model_fields[head].annotation)
        if not rest:
            return True
    for part in rest:
        if current is None:
            return True  # a scalar or list of scalars: Jinja attribute access on it is not a model path
        if part not in current.model_fields:
            return False
        current = _submodel(current.model_fields[part].annotation)
    return True


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_every_variable_a_clause_uses_exists_in_the_model(family: str) -> None:
    model = get_family(family).model
    figures_method = getattr(model, "figures", None)
    figures = None
    if figures_method is not None:
        import typing

        figures = typing.get_type_hints(figures_method).get("return")
    unknown = []
    for clause in load_library(family):
        sources = [clause.body] + ([clause.when] if clause.when else [])
        for source in sources:
            text = source if source is clause.body else "{{ " + source + " }}"
            unknown += [f"{clause.id}: {'.'.join(c)}" for c in _chains(text) if not _exists(model, figures, c)]
    assert not unknown, unknown


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_clause_ids_equal_file_stems_and_every_clause_names_its_source(family: str) -> None:
    clauses = load_library(family)
    assert clauses
    for clause in clauses:
        assert clause.id == clause.path.stem and clause.source and clause.section


def test_a_misspelt_variable_is_caught() -> None:
    model = get_family("hdt").model
    assert not _exists(model, None, ["rate_card", "base_capp"])
    assert _exists(model, None, ["rate_card", "base_cap"])


def _sandboxed(family: str) -> tuple[Clause, ...]:
    """The family's clauses compiled in Jinja's immutable sandbox instead of the library's own environment."""
    return tuple(build_clause(c.path, read_front_matter(c.path)[0], c.body, environment(sandboxed=True))
                 for c in load_library(family))


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_the_library_runs_unsandboxed_because_the_sandbox_changes_nothing_in_any_sample(sample: Path) -> None:
    contract = load_contract(sample)
    sandboxed = _sandboxed(contract.family)  # type: ignore[attr-defined]
    assert all(type(c.template.environment) is ImmutableSandboxedEnvironment for c in sandboxed)
    for draft in (False, True):
        assert assemble(contract, draft, sandboxed) == assemble(contract, draft)


def test_a_clause_that_reaches_past_its_inputs_fails_in_the_sandbox_the_comparison_runs_in() -> None:
    with pytest.raises(SecurityError):
        environment(sandboxed=True).from_string("{{ draft.__class__.__mro__ }}").render(draft=True)
