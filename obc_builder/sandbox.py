"""The sandbox a district's own clause files render in: the inputs and the filters, nothing of Python.

A district clause (``--clauses DIR``) is written by someone outside the project, so it is checked twice. When it is
loaded, :func:`refusals` reads its Jinja syntax tree and refuses what could reach past the inputs: names starting
with an underscore (``''.__class__``, ``cycler.__init__.__globals__``), Jinja's own globals and ``self`` (``lipsum``,
``range``, ``namespace``, ``dict``, ``cycler``, ``joiner``), other templates (``include``, ``import``, ``extends``)
and macros. When it renders, :class:`DistrictSandbox` allows no method call and no attribute that is a method, only
``ref()`` as a function, and no repetition of text or lists with ``*`` (nor ``**``), so what is refused by name is
refused again at run time however it is spelt.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

UNAVAILABLE = frozenset({"self", "range", "lipsum", "dict", "cycler", "joiner", "namespace", "caller", "varargs",
                         "kwargs"})
"""Names Jinja provides in an ordinary template that a district clause cannot use."""

_PLAIN = "a district clause may print the inputs (through the filters) and its own wording, nothing else"


class DistrictSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, narrowed: attributes that are methods and calls other than ``ref()`` are refused,
    and so are ``**`` and ``*`` on text or lists (a few characters could otherwise ask for gigabytes)."""

    intercepted_binops = frozenset({"*", "**"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return super().is_safe_attribute(obj, attr, value) and not callable(value)

    def is_safe_callable(self, obj: Any) -> bool:
        from .templating import ref

        return obj is ref

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise SecurityError("the power operator ** is not available in a district clause")
        if isinstance(left, (str, list, tuple)) or isinstance(right, (str, list, tuple)):
            raise SecurityError("repeating text or a list with * is not available in a district clause")
        return left * right


def _name(node: nodes.Node) -> str:
    """A short spelling of an expression for a message: ``''.__class__``, ``cycler.__init__``."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Const):
        return repr(node.value)
    if isinstance(node, nodes.Getattr):
        return f"{_name(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{_name(node.node)}[{_name(node.arg)}]"
    if isinstance(node, nodes.Call):
        return f"{_name(node.node)}(…)"
    return "…"


def refusals(tree: nodes.Template) -> Iterator[tuple[int, str]]:
    """(line, one sentence) for each construct of a district clause that could reach beyond the inputs."""
    for stmt in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        kind = type(stmt).__name__.lower().replace("fromimport", "from … import")
        yield stmt.lineno, f"{{% {kind} %}} is refused: {_PLAIN} (no other templates or files)"
    for stmt in tree.find_all((nodes.Macro, nodes.CallBlock)):
        yield stmt.lineno, f"macros are refused: {_PLAIN}"
    internals = f"a name starting with an underscore reaches into Python's internals; {_PLAIN}"
    for attribute in tree.find_all(nodes.Getattr):
        if attribute.attr.startswith("_"):
            yield attribute.lineno, f"{_name(attribute)} is refused: {internals}"
    for item in tree.find_all(nodes.Getitem):
        if isinstance(item.arg, nodes.Const) and str(item.arg.value).startswith("_"):
            yield item.lineno, f"{_name(item)} is refused: {internals}"
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name in UNAVAILABLE:
            yield name.lineno, f"{name.name!r} is not available in a district clause; {_PLAIN}"
