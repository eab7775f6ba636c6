"""The report's arithmetic on exact values (no ORM): spreading an amount over days, rounding
once, shares."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")


def prorate_exact(amount, *, start: date, end: date, within_start: date, within_end: date):
    """The part of `amount`, spread evenly over start..end, in within_start..within_end, not
    rounded (sum the parts first, then round once)."""
    overlap = (min(end, within_end) - max(start, within_start)).days + 1
    if overlap <= 0:
        return ZERO
    total = (end - start).days + 1
    return Decimal(amount) * overlap / total


def prorate(amount: Decimal, *, start: date, end: date, within_start: date, within_end: date):
    """prorate_exact() rounded to cents (for one row shown on its own)."""
    return round_money(
        prorate_exact(
            amount, start=start, end=end, within_start=within_start, within_end=within_end
        )
    )


def round_money(amount) -> Decimal:
    return Decimal(amount).quantize(CENT, ROUND_HALF_UP)


def share(part, whole) -> Decimal | None:
    """`part` as a percentage of `whole`, from the exact values, rounded once to two decimals;
    None when there is nothing to compare to."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)
