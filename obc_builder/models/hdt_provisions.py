"""HDT general provisions: the optional set of standard terms the Center for OBC template lacks.

The wording comes from public sources named in each clause file (the Florida sample contract's general
provisions, 2 CFR Part 200); these inputs switch them on and fill them in.
"""

from __future__ import annotations

from .base import InputModel, Text, inp


class GeneralProvisions(InputModel):
    include: bool | None = inp(
        "Add the general provisions",
        "Governing law, indemnification, insurance, independent contractor, notices, severability, entire "
        "agreement and public records, in the words of the Florida sample contract adapted to these parties. "
        "Answer no only when the District attaches its own standard terms.", required=False)
    governing_state: Text | None = inp(
        "Governing law (state)", "The state whose laws govern the Agreement: the District's state.",
        required=False, example="Florida")
