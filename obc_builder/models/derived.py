"""What is derived from an input model, computed once while the inputs stay as they are.

A contract's figures and its unfilled inputs are read by the rules, the clauses, the review file, the forecast
and the checks of a final contract: seventeen times and three times per contract. Models may be changed (the
wizard assigns answers), so nothing is kept on them; instead, inside :func:`fixed_inputs` (one contract being
rendered, when nobody changes it), a derivation marked :func:`once` is computed once per model and shared.
Outside the block every call computes afresh.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

_Result = TypeVar("_Result")

_shared: ContextVar[dict[tuple[int, str], tuple[object, Any]] | None] = ContextVar("obc_builder_derived",
                                                                                   default=None)


@contextmanager
def fixed_inputs() -> Iterator[None]:
    """A block in which no input model is changed: each :func:`once` derivation is computed once per model."""
    if _shared.get() is not None:  # already inside one
        yield
        return
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def once(derive: Callable[[Any], _Result]) -> Callable[[Any], _Result]:
    """Mark a derivation of a model (a function or method of the model alone) to share inside :func:`fixed_inputs`."""
    name = f"{derive.__module__}.{derive.__qualname__}"

    @functools.wraps(derive)
    def shared(model: Any) -> _Result:
        found = _shared.get()
        if found is None:
            return derive(model)
        key = (id(model), name)
        hit = found.get(key)
        if hit is not None and hit[0] is model:  # the model is held in the entry, so its id is not reused meanwhile
            return hit[1]  # type: ignore[no-any-return]
        result = derive(model)
        found[key] = (model, result)
        return result

    return shared
