"""HDT general provisions: the optional set of standard terms the Center for OBC template lacks.

The wording comes from public sources named in each clause file (the Florida sample contract's general
provisions, 2 CFR Part 200); these inputs switch them on and fill them in.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from ..messages import quoted
from .base import InputModel, group, inp
from .types import County, Money, PositiveCount, Text

# The fifty states, by USPS code. Governing law is a state's; a code is accepted and printed as the name.
_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho",
    "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming",
}
_BY_NAME = {name.lower(): name for name in _STATES.values()}


def _state_name(value: str) -> str:
    """``FL``, ``fl`` or ``florida`` as ``Florida``: the clauses compare and print the state's name."""
    text = " ".join(value.split())
    if text.upper() in _STATES:
        return _STATES[text.upper()]
    if text.lower() in _BY_NAME:
        return _BY_NAME[text.lower()]
    raise ValueError(f"{quoted(value)} is not one of the fifty states; write the state's name (e.g. Florida) "
                     "or its two-letter code (FL)")


State = Annotated[Text, AfterValidator(_state_name)]
"""A U.S. state, typed as its name or two-letter code, kept as its name."""


class NoticeContact(InputModel):
    """Who receives notices under the Agreement for one party (general provisions, Notices)."""

    name: Text | None = inp("Name", "The person notices are delivered to.", required=False, example="Maria Lopez",
                            together=("name, title", ("title",)))
    title: Text | None = inp("Title", "That person's title.", required=False, example="Director of Procurement")
    address: Text | None = inp("Address", "The mailing address for notices, on one line.", required=False,
                               example="1200 Education Way, Sunshine City, FL 32301")


class ProviderNotices(NoticeContact):
    """Who receives notices under the Agreement for the Provider (general provisions, Notices)."""

    name: Text | None = inp("Name", "The person notices are delivered to: unless another is named, the Provider's "
                            "representative who signs.", required=False, example="James Chen",
                            together=("name, title", ("title",)), derive="provider_notice_name")
    title: Text | None = inp("Title", "That person's title.", required=False, example="Chief Executive Officer",
                             derive="provider_notice_title")


class ProviderInsurance(InputModel):
    """The insurance limits the Provider carries (general provisions, Insurance)."""

    general_liability: Money | None = inp(
        "Commercial general liability limit",
        "Including bodily injury, property damage, personal injury, contractual liability, sexual abuse and "
        "molestation coverage. The Florida sample contract leaves the amount blank; the example is the Florida SES "
        "sample's.", required=False, example="1000000")
    workers_compensation: Money | None = inp(
        "Workers' compensation limit", "Workers' compensation insurance.", required=False, example="500000")
    auto_liability: Money | None = inp(
        "Auto liability limit (only if the Provider transports students)",
        "Leave blank when the Provider does not transport students: the requirement is then left out.",
        required=False, example="1000000")
    errors_omissions: Money | None = inp(
        "Errors and omissions limit", "Kept for 24 months after the Agreement ends or is terminated.",
        required=False, example="1000000")


_INCLUDED = ("include", (True,))


class GeneralProvisions(InputModel):
    include: bool | None = inp(
        "Add the general provisions",
        "Governing law, indemnification, insurance, independent contractor status, notices, severability and "
        "entire agreement, in the words of the Florida sample contract adapted to these parties (Section L). "
        "Answer no only when the District attaches its own standard terms.", required=False)
    governing_state: State | None = inp(
        "Governing law (state)",
        "The state whose laws govern the Agreement: the District's state (its name or two-letter code). It also "
        "decides whether on-site obligations cite Florida statutes (background screening, child abuse reporting).",
        required=False, example="Florida")
    venue_county: County | None = inp(
        "Venue county", "The county where disputes are heard, without the word 'County'.", required=False,
        example="Leon", ask_if=_INCLUDED)
    insurance: ProviderInsurance = group(ProviderInsurance, "Provider's insurance", ask_if=_INCLUDED)
    district_notices: NoticeContact = group(NoticeContact, "Notices to the District", ask_if=_INCLUDED)
    provider_notices: ProviderNotices = group(ProviderNotices, "Notices to the Provider", ask_if=_INCLUDED)
    agreement_documents: Text | None = inp(
        "Documents forming the entire agreement",
        "The documents that together form the entire Agreement, in one line.", required=False,
        example="this Agreement, the Provider's proposal dated May 1, 2024, and the Implementation Success Plan",
        ask_if=_INCLUDED)
    termination_notice_days: PositiveCount | None = inp(
        "Termination notice (calendar days)",
        "For a contract paid from federal funds: the written notice either party gives to terminate the "
        "Agreement (the Florida sample contract's is 20 calendar days).", required=False, example=20,
        policy="hdt.termination_notice_days", ask_if=("payments.funding_source", ("federal",)))
