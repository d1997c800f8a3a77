"""The registry of families: discovered from the clause folders, in each ``_family.yaml``'s ``order``."""

from __future__ import annotations

import pytest
import yaml

from obc_builder.bundled import data_dir
from obc_builder.families import FAMILY_NAMES, family_order


def test_the_families_are_listed_in_the_order_their_files_give_as_yaml_reads_it() -> None:
    files = {path.parent.name: path for path in data_dir("clauses").glob("*/_family.yaml")}
    orders = {name: yaml.safe_load(path.read_text(encoding="utf-8")).get("order", 99) for name, path in files.items()}
    assert list(FAMILY_NAMES) == sorted(files, key=lambda name: (orders[name], name))
    assert all(family_order(path.read_text(encoding="utf-8")) == orders[name] for name, path in files.items())


@pytest.mark.parametrize("text, order", [
    ("# a family\norder: 2\ntitle: T\n", 2),
    ("order: 3  # after the others\n", 3),
    ("order: '4'\n", 4),
    ('order: "5"\n', 5),
    ("{order: 6, title: T}\n", 6),
    ("order: 1\norder: 7\n", 7),
    ("title: T\nlabels: {border: x}\norder: 8\n", 8),
    ("title: T\n", 99),
    ("", 99),
], ids=["a plain line", "a comment after it", "single quotes", "double quotes", "a flow mapping",
        "written twice: yaml keeps the last", "another key mentions it", "none", "an empty file"])
def test_a_familys_order_is_what_yaml_reads(text: str, order: int) -> None:
    assert family_order(text) == order
