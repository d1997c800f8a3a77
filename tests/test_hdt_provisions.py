"""HDT: the term, delivery-dependent obligations, the general provisions (Section L) and the federal rider (M).

Each test assembles a contract from the fast-math sample changed in the test, and checks what the contract says
or leaves out. The last tests check that every fixed word of the clauses added here comes from a stored source.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from obc_builder.assemble import assemble
from obc_builder.document import Document, Heading, Paragraph, Run, plain
from obc_builder.errors import InvalidInput
from obc_builder.library import as_corrected, load_library
from obc_builder.loading import contract_from_data

from .conftest import SOURCES, sample_data

PROVISIONS: dict[str, Any] = {
    "include": True,
    "governing_state": "Florida",
    "venue_county": "Leon",
    "insurance": {"general_liability": "1000000", "workers_compensation": "500000", "errors_omissions": "2000000"},
    "district_notices": {"name": "Maria Lopez", "title": "Director of Procurement",
                         "address": "1200 Education Way, Sunshine City, FL 32301"},
    "provider_notices": {"name": "Dana Reyes", "title": "General Counsel",
                         "address": "500 Main Street, Suite 300, Austin, TX 78701"},
    "agreement_documents": "this Agreement and the Provider's proposal dated May 1, 2024",
    "termination_notice_days": 20,
}


def _data(delivery: str | None = "virtual", provisions: dict[str, Any] | None = None,
          funding: str | None = None, budget: str | None = None) -> dict[str, Any]:
    data = sample_data("hdt_fast_math")
    if delivery is None:
        data["program"].pop("delivery", None)
    else:
        data["program"]["delivery"] = delivery
    if provisions is not None:
        data["provisions"] = provisions
    if funding is not None:
        data["payments"]["funding_source"] = funding
    if budget is not None:
        data["payments"]["maximum_budget"] = budget
    return data


def _document(data: dict[str, Any], draft: bool = False) -> Document:
    return assemble(contract_from_data(data, "case.json"), draft=draft)


def _texts(document: Document, clause: str | None = None) -> list[str]:
    return [plain(block.content) for block in document.blocks
            if isinstance(block, (Heading, Paragraph)) and (clause is None or block.clause == clause)]


def _wording(document: Document) -> str:
    """The clause wording only (no input values): what the clause files themselves say."""
    return "\n".join(run.text for block in document.blocks if isinstance(block, (Heading, Paragraph))
                     for run in block.content if run.kind == "text")


def _ids(document: Document) -> list[str]:
    return [clause.id for clause in document.clauses]


# --- 1. Term -------------------------------------------------------------------------------------------------

def test_the_term_runs_to_the_contract_end_date() -> None:
    data = _data()
    data["dates"]["contract_end"] = "2025-08-29"
    document = _document(data)
    assert _texts(document, "k03_term") == ["TERM", "This Agreement shall remain in force until August 29, 2025."]
    ids = _ids(document)
    assert ids.index("k02_termination_for_cause") < ids.index("k03_term")
    term = next(block for block in document.blocks if isinstance(block, Paragraph) and block.clause == "k03_term")
    assert [run.path for run in term.content if run.kind == "value"] == ["dates.contract_end"]


def test_an_unfilled_contract_end_is_a_placeholder_in_a_draft() -> None:
    data = _data()
    del data["dates"]["contract_end"]
    document = _document(data, draft=True)
    assert "This Agreement shall remain in force until [insert Contract end date]." in _texts(document, "k03_term")
    assert "dates.contract_end" in {run.path for run in document.missing()}


# --- 2. Delivery ---------------------------------------------------------------------------------------------

PLATFORM_SENTENCES = [
    "a. The District is accountable to maintain the technology platform and services to successfully support "
    "students.",
    "i. The District is required to ensure students can access the platform, meeting hardware, software and "
    "bandwidth requirements stated by the Provider.",
    "ii. The District is required to facilitate students' access to the technology platform and services",
    "i. The Provider will support that the platform is available and operational for users without significant "
    "downtime, ensuring reliable access to educational resources.",
    "ii. Secure user authentication mechanisms are in place to verify the identity of users and prevent "
    "unauthorized access (single sign-on).",
    "iii. The platform is interoperable with student information system and learning management system.",
    "iv. The platform is capable of handling anticipated users and content without significant performance "
    "degradation.",
    "v. The platform has security measures including data encryption, user access controls, and protection against "
    "common cyber threats to safeguard user data and privacy.",
    "vi. Technical support is available within 24 hours to address any platform related issues or concerns.",
    "vii. Provide phone, email, and Zoom support year round",
    "Pricing is inclusive of technology platform access, services, professional development",
    "Any student who is included in the final roster for accessing the technology platform and tools who meets the "
    "contingent outcomes will count for the purposes of calculating Contingent Payments.",
]
IN_PERSON_SENTENCES = [
    "a. If tracking data shows consistent implementation challenges across multiple schools, both parties will "
    "convene a special implementation review session within 15 days",
    "b. The Provider is accountable for ensuring student data security and privacy.",
    "Pricing is inclusive of services, professional development, and any necessary changes or innovations needed "
    "to meet student outcomes.",
    "Any student who is included in the final roster who meets the contingent outcomes will count for the purposes "
    "of calculating Contingent Payments.",
]


@pytest.mark.parametrize("delivery", ["virtual", "hybrid", None], ids=["virtual", "hybrid", "unfilled"])
def test_platform_obligations_appear_for_virtual_hybrid_and_unfilled_delivery(delivery: str | None) -> None:
    document = _document(_data(delivery), draft=delivery is None)
    text = "\n".join(_texts(document))
    assert [s for s in PLATFORM_SENTENCES if s not in text] == []
    assert "iii. If tracking data shows consistent implementation challenges across multiple schools" in text
    assert IN_PERSON_SENTENCES[0] not in text


def test_in_person_delivery_drops_every_platform_obligation_and_keeps_the_rest() -> None:
    document = _document(_data("in_person"))
    text = "\n".join(_texts(document))
    assert [s for s in PLATFORM_SENTENCES if s in text] == []
    assert [s for s in IN_PERSON_SENTENCES if s not in text] == []
    wording = _wording(document)
    assert "platform" not in wording.lower() and "Zoom" not in wording
    # every non-platform item of Section I is still there
    for kept in ("The District is accountable for reinforcing student attendance", "The Provider is accountable "
                 "for maintaining the tutor consistency", "office hours to support implementation"):
        assert kept in text


_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
_SEQUENCES = {1: "abcdefghij", 2: _ROMAN, 3: [str(n) for n in range(1, 11)]}


def _label_groups(document: Document, clause: str) -> list[tuple[str, list[str]]]:
    """Each run of sibling items' labels, named by the parent's label path (``"c"``, ``"d/ii"``)."""
    groups: dict[str, list[str]] = {}
    parents: dict[int, str] = {}
    for block in document.blocks:
        if not (isinstance(block, Paragraph) and block.clause == clause and block.style == "item"):
            continue
        label = plain(block.content).split(" ", 1)[0].rstrip(".")
        parent = "/".join(parents[level] for level in range(1, block.level) if level in parents)
        groups.setdefault(f"{block.level}:{parent}", []).append(label)
        parents[block.level] = label
        for deeper in [level for level in parents if level > block.level]:
            del parents[deeper]
    return list(groups.items())


@pytest.mark.parametrize("delivery", ["virtual", "in_person", "hybrid"])
def test_list_labels_run_without_gaps(delivery: str) -> None:
    document = _document(_data(delivery, PROVISIONS))
    for clause in ("i02_district_responsibilities", "i03_provider_responsibilities"):
        groups = _label_groups(document, clause)
        assert groups[0] == ("1:", list("abcdef") if clause.startswith("i02") else list("abcd"))
        for key, labels in groups:
            level = int(key.split(":")[0])
            assert labels == list(_SEQUENCES[level][: len(labels)]), (delivery, clause, key, labels)
    if delivery != "virtual":
        onsite = [t for t in _texts(document, "i04_onsite_services") if re.match(r"^[a-z]\. [A-Z/ -]+$", t)]
        assert [t[0] for t in onsite] == list("abcdef")


def test_in_person_and_virtual_differ_in_exactly_the_platform_items() -> None:
    virtual = _label_groups(_document(_data("virtual")), "i03_provider_responsibilities")
    in_person = _label_groups(_document(_data("in_person")), "i03_provider_responsibilities")
    assert ("2:b", _ROMAN[:7]) in virtual and all(key != "2:b" for key, _ in in_person)


@pytest.mark.parametrize(("delivery", "onsite"), [("virtual", False), ("in_person", True), ("hybrid", True),
                                                   (None, False)])
def test_on_site_obligations_follow_delivery(delivery: str | None, onsite: bool) -> None:
    document = _document(_data(delivery), draft=delivery is None)
    assert ("i04_onsite_services" in _ids(document)) is onsite
    if onsite:
        ids = _ids(document)
        assert ids.index("i03_provider_responsibilities") < ids.index("i04_onsite_services") < ids.index(
            "j01_continuous_improvement")
        assert "3. ON-SITE SERVICES" in _texts(document)


FLORIDA_SENTENCES = [
    "Provider agrees that as a condition of entering into this contract, pursuant to § 1012.32 and § 1012.465, "
    "Florida Statutes, any person entering school grounds or having direct contact with students on behalf of "
    "Provider must meet Level 2 screening requirements as described in § 1012.32, Florida Statutes.",
    "Provider assures District that all staff members, including volunteers, are familiar with and agree to adhere "
    "to child abuse and/or missing children reporting obligations and procedures under Florida law, including but "
    "not limited to, Florida Statutes 39.201.",
    "Provider agrees that all staff members will abide by such laws in a timely manner.",
]
ALWAYS_ON_SITE = [
    "Screening will be at Provider’s or employee’s expense and must be completed and credentials issued by the "
    "District prior to the screened individual having access to students or to the school grounds.",
    "All Provider employees must wear District ID badges",
    "shall be responsible for the control and safety of all students",
    "Provider must train all tutoring personnel in appropriate procedures for handling and reporting accidents",
    "Provider agrees to provide annual training to all its employees regarding mandated reporting of child abuse "
    "and missing children.",
    "Provider shall submit immediately by facsimile and mail, within twenty-four (24) hours, an accident or incident "
    "report to appropriate authorities with a copy to the District",
]


@pytest.mark.parametrize(("state", "florida"), [("Florida", True), ("fl", True), ("Texas", False), (None, False)])
def test_florida_statutes_are_cited_only_under_florida_law(state: str | None, florida: bool) -> None:
    provisions = {"governing_state": state} if state else {}
    text = " ".join(_texts(_document(_data("in_person", provisions)), "i04_onsite_services"))
    assert [s for s in ALWAYS_ON_SITE if s not in text] == []
    assert [s in text for s in FLORIDA_SENTENCES] == [florida] * len(FLORIDA_SENTENCES)
    assert ("Florida" in text) is florida and ("1012.32" in text) is florida and ("39.201" in text) is florida


# --- 3. General provisions -----------------------------------------------------------------------------------

SECTION_L = ["l01_governing_law", "l02_independent_contractor", "l03_indemnification", "l04_insurance",
             "l05_notices", "l06_severability", "l07_entire_agreement"]


@pytest.mark.parametrize("switch", [False, None])
def test_general_provisions_are_left_out_unless_switched_on(switch: bool | None) -> None:
    provisions = {} if switch is None else {"include": switch, "governing_state": "Florida"}
    document = _document(_data(provisions=provisions))
    assert [i for i in _ids(document) if i.startswith("l")] == []
    assert "SECTION L: General Provisions" not in _texts(document)


def test_general_provisions_switched_on_fill_section_l() -> None:
    document = _document(_data(provisions=PROVISIONS))
    ids = _ids(document)
    assert [i for i in ids if i.startswith("l")] == SECTION_L
    assert ids.index("k03_term") < ids.index("l01_governing_law")
    texts = _texts(document)
    assert texts[texts.index("SECTION L: General Provisions") + 1] == "GOVERNING LAW"
    assert ("The terms and conditions of this Agreement shall be governed by the Laws of the State of Florida with "
            "venue in Leon County, Florida.") in texts
    assert "All insurance policies shall be insured with insurers qualified to do business in Florida." in texts
    assert ("Provider will obtain and maintain insurance. At the time of executing this Agreement, Provider shall "
            "furnish a certificate of insurance naming Sunshine County Public Schools as a certificate holder and "
            "additional insured.") in texts
    notices = " ".join(_texts(document, "l05_notices"))
    assert ("All correspondence to the District must be delivered to Maria Lopez, Director of Procurement, 1200 "
            "Education Way, Sunshine City, FL 32301.") in notices
    assert ("All correspondence to Provider will be provided to Dana Reyes, General Counsel, 500 Main Street, Suite "
            "300, Austin, TX 78701 unless District is otherwise notified in writing.") in notices
    assert "this Agreement and the Provider's proposal dated May 1, 2024" in _texts(document, "l07_entire_agreement")
    assert "It is understood and agreed that such indemnity shall survive the termination of this Contract." in \
        " ".join(_texts(document, "l03_indemnification"))


def test_the_governing_state_is_a_state_named_in_full() -> None:
    provisions = {**PROVISIONS, "governing_state": "tx", "venue_county": "Travis"}
    texts = _texts(_document(_data(provisions=provisions)))
    assert ("The terms and conditions of this Agreement shall be governed by the Laws of the State of Texas with "
            "venue in Travis County, Texas.") in texts
    with pytest.raises(InvalidInput) as caught:
        contract_from_data(_data(provisions={"governing_state": "Ontario"}), "bad.json")
    assert "not one of the fifty states" in str(caught.value)


# The requirements follow the endorsements (A., B.) under the one heading, so they are lettered from C. (errata:).
@pytest.mark.parametrize(("auto", "letters"), [(None, ["C", "D", "E"]), ("1000000", ["C", "D", "E", "F"])])
def test_insurance_limits_and_auto_liability_only_when_given(auto: str | None, letters: list[str]) -> None:
    provisions = {**PROVISIONS, "insurance": {**PROVISIONS["insurance"], "auto_liability": auto}}
    texts = _texts(_document(_data(provisions=provisions)), "l04_insurance")
    requirements = texts[texts.index("Provider insurance requirements:") + 1:]
    assert [t.split(".", 1)[0] for t in requirements if not t.startswith("Limits:")] == letters
    limits = [t for t in requirements if t.startswith("Limits:")]
    expected = ["$1,000,000", "$500,000"] + (["$1,000,000"] if auto else []) + ["$2,000,000"]
    assert limits == [f"Limits: {amount}" for amount in expected]
    assert any(t.startswith(f"{letters[-1]}. Error and Omissions") for t in requirements)
    assert any("Auto Liability" in t for t in requirements) is bool(auto)


def test_unfilled_general_provisions_are_placeholders_a_final_contract_refuses() -> None:
    document = _document(_data(provisions={"include": True}), draft=True)
    missing = {run.path for run in document.missing()}
    assert {"provisions.governing_state", "provisions.venue_county", "provisions.insurance.general_liability",
            "provisions.insurance.workers_compensation", "provisions.insurance.errors_omissions",
            "provisions.district_notices.name", "provisions.provider_notices.address",
            "provisions.agreement_documents"} <= missing
    assert "provisions.insurance.auto_liability" not in missing
    off = _document(_data(provisions={"include": False}))
    assert not [run for run in off.missing() if (run.path or "").startswith("provisions.")]


def test_no_public_records_clause_is_written_without_its_statutory_words() -> None:
    text = "\n".join(_texts(_document(_data("in_person", PROVISIONS, "federal"))))
    assert "119.0701" not in text and "PUBLIC RECORDS" not in text.upper()


# --- 4. Federal-funds rider ----------------------------------------------------------------------------------

SECTION_M = ["m01_domestic_preferences", "m02_recovered_materials", "m03_termination", "m04_right_to_withhold"]


@pytest.mark.parametrize(
    ("funding", "budget", "expected"),
    [
        ("federal", "1700000", SECTION_M),
        ("federal", "250000.01", SECTION_M),
        ("federal", "250000", SECTION_M[:3]),
        ("federal", "10000.01", SECTION_M[:3]),
        ("federal", "10000", SECTION_M[:2]),
        ("state_or_local", "1700000", []),
        (None, "1700000", []),
    ],
    ids=["large", "just-over-SAT", "at-SAT", "just-over-10k", "at-10k", "state-funds", "unfilled-funding"],
)
def test_federal_rider_follows_funding_and_the_thresholds(funding: str | None, budget: str,
                                                          expected: list[str]) -> None:
    document = _document(_data(provisions=PROVISIONS, funding=funding, budget=budget), draft=True)
    assert [i for i in _ids(document) if i.startswith("m")] == expected
    heading = "SECTION M: Contract Provisions for Non-Federal Entity Contracts Under Federal Awards"
    assert (heading in _texts(document)) is bool(expected)


def test_federal_rider_wording() -> None:
    document = _document(_data(provisions=PROVISIONS, funding="federal"))
    texts = _texts(document)
    assert ("To terminate this Contract, either party shall give twenty (20) calendar days written notice as "
            "provided herein prior to the date of the termination.") in texts
    assert ("District may withhold payment to Provider, with a written notice of such withholding, when in the "
            "opinion of District, Provider is not in compliance with this contract.") in texts
    assert ("In the performance of this contract, the Provider shall make maximum use of products containing "
            "recovered materials that are EPA-designated items unless the product cannot be acquired–") in texts
    assert any(t.startswith("(a) The recipient or subrecipient should, to the greatest extent practicable")
               for t in texts)
    assert _ids(document)[-len(SECTION_M):] == SECTION_M


def test_a_federal_draft_with_no_budget_shows_every_threshold_clause() -> None:
    data = _data(provisions=PROVISIONS, funding="federal")
    del data["payments"]["maximum_budget"]
    assert [i for i in _ids(_document(data, draft=True)) if i.startswith("m")] == SECTION_M


# --- Fidelity: every fixed word of the new clauses comes from a stored source --------------------------------

def _joined(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _appendix_i() -> str:
    """Appendix I of seed 002 on one line, "PROVIDER"/"DISTRICT" written as the HDT contract names the parties."""
    lines = (SOURCES / "002_fdoe_ses_provider_contracts.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("THE SCHOOL BOARD OF ____"))
    kept = [line.strip() for line in lines[start:] if not re.fullmatch(r"\d{2}|•", line.strip())]
    text = re.sub(r"\s+,", ",", re.sub(r"(?<=[a-z])- (?=[a-z])", "-", " ".join(kept)))
    for upper, name in (("PROVIDER’S", "Provider’s"), ("DISTRICT’S", "District’s"), ("PROVIDER", "Provider"),
                        ("DISTRICT", "District")):
        text = text.replace(upper, name)
    return _joined(text)


def _corpus() -> str:
    """The stored sources, with the errors the clauses correct and record (``errata:``) corrected."""
    far = (SOURCES / "012_far_52_223_17_recovered_materials_excerpt.txt").read_text(encoding="utf-8")
    parts = [_appendix_i(), _joined(far.replace("the Contractor", "the Provider"))]
    for name in ("010_ecfr_2cfr200_appendix_ii_excerpt.txt", "011_ecfr_2cfr200_322_domestic_preferences.txt"):
        parts.append(_joined((SOURCES / name).read_text(encoding="utf-8")))
    return as_corrected("\n".join(parts), load_library("hdt"))


# Wording adapted in a way the clause file explains, with the source words it was adapted from.
ADAPTED = {
    "This Agreement shall remain in force until": ["This contract shall become effective upon full execution of "
                                                   "the contract by both parties and shall remain in force until"],
    "The following documentation constitutes the entire Agreement between District and Provider:": [
        "The following School Board of", "documentation constitutes the entire Agreement between District and "
        "Provider:"],
}
EDITORIAL_HEADINGS = {"General Provisions", "ON-SITE SERVICES"}
_LABEL = re.compile(r"^(?:\(?[0-9a-zA-Z]{1,4}[.)])\s+")


def _fragments(content: tuple[Run, ...]) -> list[str]:
    """The stretches of clause wording between input values, labels and edge punctuation removed."""
    pieces, current = [], ""
    for run in content:
        if run.kind == "text":
            current += run.text
        else:
            pieces.append(current)
            current = ""
    pieces.append(current)
    out = []
    for index, piece in enumerate(pieces):
        piece = _joined(piece)
        if index == 0:
            piece = _LABEL.sub("", piece)
        piece = piece.strip(" ,.()")
        if len(re.findall(r"[A-Za-z]", piece)) >= 2:
            out.append(piece)
    return out


NEW_CLAUSES = {"k03_term", "i04_onsite_services", *SECTION_L, *SECTION_M}


@pytest.mark.parametrize("state", ["Florida", "Texas"])
def test_every_fixed_word_of_the_new_clauses_is_in_a_stored_source(state: str) -> None:
    corpus = _corpus()
    provisions = {**PROVISIONS, "governing_state": state,
                  "insurance": {**PROVISIONS["insurance"], "auto_liability": "1000000"}}
    document = _document(_data("in_person", provisions, "federal"))
    assert NEW_CLAUSES <= set(_ids(document))
    unsourced = []
    for block in document.blocks:
        if not (isinstance(block, (Heading, Paragraph)) and block.clause in NEW_CLAUSES):
            continue
        if isinstance(block, Heading):
            heading = re.sub(r"^SECTION [A-Z]: |\s*\([^)]*\)$", "", _LABEL.sub("", plain(block.content)))
            if heading not in EDITORIAL_HEADINGS and heading.lower() not in corpus.lower():
                unsourced.append(heading)
            continue
        for fragment in _fragments(block.content):
            if fragment in ADAPTED:
                unsourced += [source for source in ADAPTED[fragment] if source not in corpus]
            elif fragment not in corpus:
                unsourced.append(fragment)
    assert unsourced == []


def test_the_fidelity_check_catches_an_invented_sentence() -> None:
    corpus = _corpus()
    assert "Provider shall carry insurance acceptable to the District." not in corpus
    assert "The District reserves the right to examine billing records before and after payment." in corpus
