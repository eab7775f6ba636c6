"""What every figure is built of: the scope (period and cluster), a figure with its rows and
groups, and the units a number comes in."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from clusters.models import Cluster
from network.money import currency_for_country, sort_currencies

COUNT, HOURS, MONEY, PERCENT = "count", "hours", "money", "percent"


@dataclass
class Group:
    value: str
    label: str
    number: object


@dataclass
class Figure:
    key: str
    section: str
    label: str
    definition: str
    number: object
    rows: QuerySet
    unit: str = COUNT
    group_field: str | None = None
    groups: list[Group] = field(default_factory=list)
    # Money figures come once per currency; their rows are that currency's only.
    currency: str | None = None
    # What the number adds up over its rows (None: it counts them), and where a row's region is:
    # used for the workbook's breakdown by region.
    measure: object = None
    region_field: str | None = None

    @property
    def id(self) -> str:
        return f"{self.key}.{self.currency}" if self.currency else self.key

    def rows_for(self, group: str | None = None) -> QuerySet:
        if group is None or not self.group_field:
            return self.rows
        return self.rows.filter(**{self.group_field: group})


@dataclass(frozen=True)
class Scope:
    start: date
    end: date
    cluster: Cluster | None = None
    # The currencies the scope reports in, once read (build_report reads them once for all).
    currencies: tuple[str, ...] | None = field(default=None, compare=False)

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_before(self) -> datetime:
        """The first moment after the period (its last day is included)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def day_before(self) -> date:
        return self.start - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def scope_currencies(scope: Scope) -> list[str]:
    """The currencies a scope reports in: its cluster's, or those of every cluster's country."""
    if scope.currencies is not None:
        return list(scope.currencies)
    if scope.cluster is not None:
        return [currency_for_country(scope.cluster.country)]
    countries = Cluster.objects.order_by().values_list("country", flat=True).distinct()
    return sort_currencies(currency_for_country(c) for c in countries)


def groups_from(counts: dict, choices) -> list[Group]:
    return [Group(value, str(label), counts[value]) for value, label in choices if value in counts]


def grouped(rows, field: str, choices, total=None) -> dict:
    """A figure's number and its groups: `rows` counted (or `total` summed) by `field`, in one
    query; the number is the sum of the groups, so the two always agree."""
    counts = dict(rows.order_by().values_list(field).annotate(n=total or Count("pk")))
    groups = groups_from(counts, choices)
    return {"number": sum(counts.values()), "group_field": field, "groups": groups}
