"""HDT: what a person confirms by hand, because no rule can read it from the inputs.

The Standards of Excellence lines quote the Center for OBC's published text where it was seen
(obc.southerneducation.org/standards-of-excellence: Standard 1 and indicator 1.1 for High-Dosage Tutoring;
indicators 1.2–1.4 as published for the edtech version, whose Standard 1 is the same). The standards and
indicators of the other four domains could not be confirmed from a public copy; their line says so rather
than citing numbers. Registered by :mod:`.hdt`, which imports this module.
"""

from __future__ import annotations

from typing import Any

from .engine import check_by_hand

_SOE = "Center for OBC Standards of Excellence (High-Dosage Tutoring)"
_S1 = f"{_SOE}, Standard 1 (Target Student Population)"


def _hand(id: str, source: str, text: str, applies: Any = None) -> None:
    check_by_hand(id, family="hdt", source=source, text=text, applies=applies)


_hand("HDT-HAND-1.1", f"{_S1}, indicator 1.1 (Target Population)",
      "The population statement and selection criteria specify \"a group of like-performing students who need "
      "additional support in the focus area based on grade level, subject area, historical performance, and any "
      "other relevant identifiers\".")
_hand("HDT-HAND-1.2", f"{_S1}, indicator 1.2 (Historical Performance Data; wording as published for the edtech "
      "version)",
      "The historical baseline data use the same assessment as the payment outcomes \"or a proxy assessment tool\", "
      "and describe the targeted student group rather than the whole grade.")
_hand("HDT-HAND-1.3", f"{_S1}, indicator 1.3 (Student Identification Criteria; wording as published for the "
      "edtech version)",
      "The selection criteria identify \"assessment, metric(s) / criteria, and performance thresholds\" that pick "
      "out like-performing students, and the District will apply them as written.")
_hand("HDT-HAND-1.4", f"{_S1}, indicator 1.4 (Population Size Estimate; wording as published for the edtech "
      "version)",
      "The number of students is an estimate \"from the like-performing population\", not a target enrollment.")
_hand("HDT-HAND-D2", f"{_SOE}, domain Clearly Defined Outcomes and Metrics (its standards and indicators could "
      "not be confirmed from a public copy)",
      "Each payment outcome was \"determined by the district\", with \"associated measures and achievement goals "
      "specific to the target population\" (the domain's published description).")
_hand("HDT-HAND-D3", f"{_SOE}, domains Contingent Outcomes Payments, Mutual Accountability and Continuous "
      "Improvement (their standards and indicators could not be confirmed from a public copy)",
      "Sections F, I and J have been read against the Center for OBC's published Standards of Excellence for "
      "these three domains.")
_hand("HDT-HAND-TIER", "Center for OBC HDT template, Section F.3 (price per outcome)",
      "The tiers of each tiered outcome are written as mutually exclusive levels (a student reaches exactly one), "
      "so that the rate card's price per outcome pays the highest tier reached and never the sum.",
      applies=lambda c: any(o.tiers for o in c.outcomes))
_hand("HDT-HAND-FED", "2 CFR 200.327 and Appendix II to Part 200",
      "A contract paid from federal funds also carries the provisions obc-builder has no public model wording "
      "for: Appendix II (G) Clean Air Act and Federal Water Pollution Control Act (over $150,000), (H) debarment "
      "and suspension, (I) the Byrd Anti-Lobbying Amendment certification (over $100,000), and the prohibition "
      "in 2 CFR 200.216; add them in the District's own approved words before signature.",
      applies=lambda c: c.payments.funding_source == "federal")
_hand("HDT-HAND-PR", "s. 119.0701, F.S. (contracts with a contractor acting on behalf of a public agency)",
      "The general provisions follow Florida law, which requires a public records clause in this kind of "
      "contract; obc-builder has no copy of its statutory words, so add the District's own clause before "
      "signature.",
      applies=lambda c: bool(c.provisions.include) and c.provisions.governing_state == "Florida")
