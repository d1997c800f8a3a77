"""docs/errata.md from the clause files' ``errata:``: ``python -m obc_builder.errata > docs/errata.md`` (make errata).

Every place a contract's wording departs from its source to correct an error of the source (a typo, a defined term
used in another form, a cross-reference that points nowhere), per family and clause, with the reason and the
source. A test keeps the file current.
"""

from __future__ import annotations

import sys

from .families import FAMILY_NAMES
from .library import load_library

_HEAD = """# Errata: where the contracts correct their sources

Generated from the `errata:` front matter of the clause files (`python -m obc_builder.errata > docs/errata.md`,
or `make errata`); do not edit by hand. The clauses transcribe their source documents word for word (see
`sources/README.md`) except at these places, where the source has an evident error: each line gives the
source's words, the contract's words and why. The fidelity tests undo these corrections before comparing a
clause with its source, so any change not listed here fails them.
"""


def _quote(text: str) -> str:
    return "“" + text.replace("\n", " ") + "”"


def markdown() -> str:
    """The errata of every family, as Markdown."""
    lines = [_HEAD]
    for family in FAMILY_NAMES:
        clauses = [clause for clause in load_library(family) if clause.errata]
        lines.append(f"## {family}\n")
        if not clauses:
            lines.append("No corrections.\n")
            continue
        for clause in clauses:
            lines.append(f"### `{clause.id}`: {clause.title}\n")
            lines.append(f"Source: {clause.source}\n")
            for erratum in clause.errata:
                lines.append(f"- {_quote(erratum.original)} → {_quote(erratum.corrected)}: {erratum.why}")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> None:
    sys.stdout.write(markdown())


if __name__ == "__main__":
    main()
