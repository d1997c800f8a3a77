"""The block markup of a rendered clause: parsed once per text, values filled in per contract."""

from __future__ import annotations

from obc_builder.document import Heading, Paragraph, Run, Table
from obc_builder.markup import parse_blocks
from obc_builder.templating import TOKEN_CLOSE, TOKEN_OPEN, Slot


def _token(number: int) -> str:
    return f"{TOKEN_OPEN}{number}{TOKEN_CLOSE}"


TEXT = (f"# SECTION A: Parties\n"
        f">1 a. The District, {_token(0)}, and **the Provider {_token(1)}** agree.\n"
        f"::table Rates {_token(2)}\n| Outcome | Price |\n| {_token(3)} | {_token(4)}<br>each |\n")


def _values(blocks: list[object]) -> list[Run]:
    found = []
    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            found += [run for run in block.content if run.kind != "text"]
        elif isinstance(block, Table):
            found += [run for run in block.title or () if run.kind != "text"]
            found += [run for row in block.rows for cell in row for line in cell for run in line if run.kind != "text"]
    return found


def test_the_same_text_with_other_values_gives_each_contract_its_own_values() -> None:
    first = [Slot("Springfield", "parties.district_name"), Slot("Tutors Inc", "parties.provider_name"),
             Slot("2025", None), Slot("Growth", "outcomes.0.name"), Slot("$540", "outcomes.0.price")]
    second = [Slot("Shelbyville", "parties.district_name"), Slot("[insert provider]", "parties.provider_name", True),
              Slot("", None), Slot("Proficiency", "outcomes.0.name"), Slot("$410", "outcomes.0.price")]
    one, two = parse_blocks(TEXT, first, "a01"), parse_blocks(TEXT, second, "a01")
    assert [run.text for run in _values(one)] == ["Springfield", "Tutors Inc", "2025", "Growth", "$540"]
    # An empty value prints nothing; an unfilled one prints as missing, in bold where the wording around it is.
    assert [(run.text, run.kind, run.bold) for run in _values(two)] == [
        ("Shelbyville", "value", False), ("[insert provider]", "missing", True), ("Proficiency", "value", False),
        ("$410", "value", False)]
    assert [run.text for run in _values(one)] == ["Springfield", "Tutors Inc", "2025", "Growth", "$540"]


def test_blocks_without_values_are_parsed_once_and_shared_blocks_with_values_are_not() -> None:
    slots = [Slot(str(n), None) for n in range(5)]
    one, two = parse_blocks(TEXT, slots, "a01"), parse_blocks(TEXT, slots, "a01")
    assert one == two
    assert one[0] is two[0]  # the heading: wording only
    assert one[1] is not two[1] and one[2] is not two[2]
    assert isinstance(one[1], Paragraph) and one[1].label == "a."
