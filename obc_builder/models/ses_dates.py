"""The dates Florida law sets for an SES contract (s. 1008.331, F.S.) and the end of its school year: what the
rules check the contract's dates against, and what the wizard proposes for them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .ses_choices import school_year_start

START_BY_MONTH, START_BY_DAY = 10, 15
"""s. 1008.331(2)(a), (d): students receive services no later than October 15 of each school year."""
LATE_EXECUTION_DAYS = 20
"""s. 1008.331(2)(e): a contract signed less than 20 days before October 15 gives the provider 20 days."""
def october_15(contract: Any) -> date | None:
    """October 15 of the contract's school year."""
    year = contract.term.school_year
    return date(school_year_start(year), START_BY_MONTH, START_BY_DAY) if year else None


def is_late_execution(contract: Any) -> bool:
    """Whether the contract is signed less than 20 days before October 15 (s. 1008.331(2)(e))."""
    deadline, signed = october_15(contract), contract.term.contract_date
    return bool(deadline and signed and (deadline - signed).days < LATE_EXECUTION_DAYS)


def statutory_start(contract: Any) -> date | None:
    """The day the provider must be able to serve students by: October 15, or 20 days after a late signing."""
    deadline, signed = october_15(contract), contract.term.contract_date
    if deadline is None or signed is None:
        return None
    return signed + timedelta(days=LATE_EXECUTION_DAYS) if is_late_execution(contract) else deadline


def school_year_end(contract: Any, end_month: int) -> date | None:
    """The last day of ``end_month`` at the end of the contract's school year (June 30 by the guidance)."""
    year = contract.term.school_year
    if not year:
        return None
    following = date(school_year_start(year) + 1, end_month, 28)
    return (following.replace(day=1, month=end_month % 12 + 1, year=following.year + end_month // 12)
            - timedelta(days=1))
