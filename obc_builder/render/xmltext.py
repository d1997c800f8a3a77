"""Text escaped for XML, as ``xml.sax.saxutils.escape`` does it, without importing ``xml.sax`` (which brings
``urllib.request``, ``http.client`` and ``ssl`` into every process that writes a .docx)."""

from __future__ import annotations

from collections.abc import Mapping


def xml_escape(text: str, entities: Mapping[str, str] | None = None) -> str:
    """``&``, ``<`` and ``>`` as entities, then each key of ``entities`` replaced by its value."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for key, value in (entities or {}).items():
        text = text.replace(key, value)
    return text
