"""Unknown values in an import, mapped once by staff and remembered for the cluster.

A file that calls the tiers 'Basis' and 'Premium', or the kind 'Virksomhed', fails on every row
until staff say what those spellings mean. The preview offers one choice per distinct unknown
value; `import_batch_map_values` stores the answers (ImportValueMapping) and reads the file
again, so this and every later file with the same spellings imports.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import translation

from clusters import imports
from clusters.models import (
    ImportBatch,
    ImportStatus,
    ImportValueMapping,
    MappedField,
    MembershipTier,
    RowOutcome,
)
from network.models import Municipality
from network.models.organisations import OrganisationKind

UNKNOWN_CODES = {
    "unknown_kind": MappedField.KIND,
    "unknown_tier": MappedField.TIER,
    "unknown_municipality": MappedField.MUNICIPALITY,
}
MAX_CHOICES = 50  # distinct unknown values offered at once


@dataclass
class UnknownValue:
    field: str
    value: str  # as in the file
    rows: int

    @property
    def key(self) -> str:
        return f"map-{self.field}-{imports.normalise_name(self.value)}"


def unknown_values(batch: ImportBatch) -> list[UnknownValue]:
    """The distinct unknown kinds, tiers and municipalities of the batch's rows with errors,
    the most frequent first."""
    counts: Counter = Counter()
    spelling = {}
    messages = batch.rows.filter(outcome=RowOutcome.ERROR).values_list("messages", flat=True)
    for row_messages in messages.iterator(chunk_size=2000):
        for message in row_messages:
            field = UNKNOWN_CODES.get(message.get("code"))
            if field is None:
                continue
            value = str(message.get("params", {}).get("value", ""))
            key = (field, imports.normalise_name(value))
            counts[key] += 1
            spelling.setdefault(key, value)
    return [
        UnknownValue(field=field, value=spelling[(field, normal)], rows=n)
        for (field, normal), n in counts.most_common(MAX_CHOICES)
    ]


def choices_for(batch: ImportBatch, field: str) -> list[tuple[str, str]]:
    """(target, label) the cluster offers for a column: its tiers, the kinds, the
    municipalities of its country."""
    if field == MappedField.TIER:
        return [
            (str(pk), name)
            for pk, name in MembershipTier.objects.filter(cluster=batch.cluster)
            .order_by("position", "name")
            .values_list("pk", "name")
        ]
    if field == MappedField.KIND:
        return [(code, str(label)) for code, label in OrganisationKind.choices]
    return [
        (str(pk), f"{name} ({code})")
        for pk, name, code in Municipality.objects.filter(country=batch.cluster.country)
        .order_by("name")
        .values_list("pk", "name", "code")
    ]


@transaction.atomic
def import_batch_map_values(*, batch: ImportBatch, actor, choices: dict[tuple[str, str], str]):
    """Remember what each spelling means for the cluster and read the file again.

    `choices`: {(field, value as in the file): target}; targets not offered are ignored."""
    from clusters.services.importing import import_batch_reread

    if batch.status != ImportStatus.PREVIEW:
        return 0
    saved = 0
    offered = {}
    for (field, value), target in choices.items():
        if field not in MappedField.values or not target:
            continue
        if field not in offered:
            with translation.override(None):
                offered[field] = {key for key, _label in choices_for(batch, field)}
        normal = imports.normalise_name(value)
        if target not in offered[field] or not normal:
            continue
        ImportValueMapping.objects.update_or_create(
            cluster=batch.cluster,
            field=field,
            value=normal[:200],
            defaults={"target": target, "created_by": actor},
        )
        saved += 1
    if saved:
        import_batch_reread(batch=batch)
    return saved
