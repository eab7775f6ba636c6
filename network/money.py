"""Money: an amount always travels with its currency, and nothing adds two currencies.

Pure values, no ORM: `Money` for one amount, `Amounts` for totals kept per currency side by
side (a network report over Danish and Norwegian clusters has a DKK and a NOK total, never one
sum). Models store the currency beside each amount (`Currency` choices); a new row takes the
currency of its cluster's or organisation's country (`currency_for_country`).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Currency(models.TextChoices):
    DKK = "DKK", _("Danish kroner (DKK)")
    NOK = "NOK", _("Norwegian kroner (NOK)")
    EUR = "EUR", _("Euro (EUR)")


CURRENCY_OF_COUNTRY = {"DK": Currency.DKK, "NO": Currency.NOK}
# The order currencies are shown in, side by side.
CURRENCY_ORDER = [value for value, _label in Currency.choices]


class CurrencyMismatchError(TypeError):
    """Two amounts in different currencies were to be combined."""


def currency_for_country(country: str) -> str:
    """The currency amounts of a cluster or organisation in `country` are kept in."""
    return str(CURRENCY_OF_COUNTRY.get(country, Currency.DKK))


@dataclass(frozen=True, order=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self):
        if self.currency not in CURRENCY_ORDER:
            raise ValueError(f"Unknown currency {self.currency!r}")
        object.__setattr__(self, "amount", Decimal(self.amount))

    def __add__(self, other):
        if other == 0:  # sum() starts with 0
            return self
        if not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise CurrencyMismatchError(f"{self.currency} + {other.currency}")
        return Money(self.amount + other.amount, self.currency)

    __radd__ = __add__

    def __str__(self):
        return f"{self.amount:,.2f} {self.currency}"


def sort_currencies(currencies) -> list[str]:
    return sorted(set(currencies), key=lambda c: (CURRENCY_ORDER.index(c), c))


class Amounts(dict):
    """Totals per currency ({"DKK": Decimal, "NOK": Decimal}); adding keeps currencies apart."""

    def add(self, currency: str, amount) -> None:
        self[currency] = self.get(currency, Decimal(0)) + Decimal(amount or 0)

    def money(self) -> list[Money]:
        return [Money(self[c], c) for c in sort_currencies(self)]

    def __str__(self):
        return "; ".join(str(m) for m in self.money())
