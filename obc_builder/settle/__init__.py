"""After signature: what the District owes under a contract, from its rate card and the students' results.

``obc-builder settle CONTRACT.json RESULTS.csv --out DIR`` reads the results against the columns the contract
calls for (:mod:`.results`), computes the money in Decimal for the contract's family (:mod:`.hdt`, :mod:`.ses`)
and writes the statement (:mod:`.statement`). See ``docs/settlement.md``.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..document import Document
from ..errors import InputError, InvalidResults
from .money import Settlement
from .results import Layout, Results, read_results, template_csv
from .statement import Audience, render_statement

OWNER_ONLY = 0o600
"""Settlement files hold student data: readable and writable by their owner alone."""


@contextmanager
def _bulk() -> Iterator[None]:
    """No cycle collection while a settlement is made: it creates a few objects per student (a million for 100,000
    students) and no reference cycle, and the collector would walk them all again and again (a fifth of the
    time). Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _family(contract: BaseModel, source: str) -> tuple[Callable[[Any], Layout],
                                                       Callable[[Any, Results, Document], Settlement]]:
    family = str(getattr(contract, "family"))  # noqa: B009 - every family model declares it
    if family == "hdt":
        from .hdt import settle_hdt
        from .hdt_layout import layout

        return layout, settle_hdt
    if family == "ses":
        from .ses import layout, settle_ses

        return layout, settle_ses
    from ..templating import article

    raise InputError(source, "family", f"{article(family.upper())} {family.upper()} contract has no payments per "
                                       "student to settle; "
                                       "settle takes an HDT or an SES contract")


def _complete(contract: BaseModel, source: str) -> None:
    from ..models.base import missing_inputs

    missing = missing_inputs(contract)
    if missing:
        named = "; ".join(str(item) for item in missing[:5]) + ("; …" if len(missing) > 5 else "")
        raise InputError(source, None, f"settling needs the signed contract's inputs, and {len(missing)} "
                                       f"{'are' if len(missing) > 1 else 'is'} not filled in: {named}")


def results_template(contract: BaseModel, source: str) -> bytes:
    """An empty results file for ``contract``: the header row, one column per outcome, month and reduction."""
    _complete(contract, source)
    layout, _ = _family(contract, source)
    return template_csv(layout(contract))


def compute(contract: BaseModel, results_path: Path, *, source: str, allow_pii: bool = False,
            document: Document | None = None) -> Settlement:
    """The settlement of ``contract`` for a results file, problems of the file listed in it (see :func:`settle`).
    ``document``: the contract as assembled (its numbering is what the rules cite), when already at hand."""
    from ..assemble import assemble

    _complete(contract, source)
    layout, compute_family = _family(contract, source)
    with _bulk():
        results = read_results(results_path, layout(contract), allow_pii=allow_pii)
        if results.pii:
            raise InvalidResults(results.pii)
        return compute_family(contract, results, document or assemble(contract))


def settle(contract: BaseModel, results_path: Path, *, source: str, draft: bool = False, allow_pii: bool = False,
           audience: Audience = "district") -> tuple[Settlement, dict[str, bytes]]:
    """The settlement and its statement files (name → bytes). Nothing is written here.

    Problems of the results file refuse the settlement (:class:`InvalidResults`, every problem one line) unless
    ``draft``: then it settles anyway and the statement lists them. Personal data is refused even in a draft."""
    from ..assemble import assemble

    document = assemble(contract)
    settlement = compute(contract, results_path, source=source, allow_pii=allow_pii, document=document)
    if settlement.problems and not draft:
        raise InvalidResults(settlement.problems)
    with _bulk():
        return settlement, render_statement(settlement, document.title, results_path.name, audience, document)


def settle_files(contract_path: Path, results_path: Path, out: Path, *, draft: bool = False, allow_pii: bool = False,
                 audience: Audience = "district", force: bool = False) -> tuple[Settlement, list[Path]]:
    """Settle and write the statement into ``out``, owner-only (:data:`OWNER_ONLY`); a refused settlement
    writes nothing."""
    from ..loading import load_contract
    from ..outputs import write_files

    contract = load_contract(contract_path)
    settlement, files = settle(contract, results_path, source=str(contract_path), draft=draft, allow_pii=allow_pii,
                               audience=audience)
    return settlement, write_files(out, files, force=force, mode=OWNER_ONLY).paths


def write_template(contract_path: Path, out: Path, *, force: bool = False) -> Path:
    """Write ``<contract>-results.csv``, the empty results file of the contract, into ``out``."""
    from ..loading import load_contract
    from ..outputs import write_files

    contract = load_contract(contract_path)
    name = f"{contract_path.stem}-results.csv"
    write_files(out, {name: results_template(contract, str(contract_path))}, force=force)
    return out / name
