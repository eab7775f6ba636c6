"""Correcting one row of an import in the preview, instead of editing the file and uploading it
again.

Staff type the row's values anew; the row is checked exactly as a row of the file is (the same
`parse_row` and the same `Planner`), against the other rows of the upload for duplicates, and
saved only when it imports. The batch's counts follow. The corrected values are the row's from
then on: the commit imports them, and reading the file again (after mapping unknown values)
keeps them.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from clusters import imports
from clusters.models import ImportBatch, ImportRow, ImportStatus, RowOutcome

# Set in a row's data when staff corrected it in the preview.
CORRECTED = "corrected"

# The column a message is about, when its code says so.
CODE_FIELDS = {
    "bad_cvr": "registry_number",
    "bad_orgnr": "registry_number",
    "bad_registry_number": "registry_number",
    "duplicate": "registry_number",
    "unknown_municipality": "municipality",
    "unknown_kind": "kind",
    "unknown_tier": "tier",
    "bad_email": "contact_email",
}


def message_field(message: dict, raw: dict) -> str | None:
    """The column of the row a stored message is about, or None for the row as a whole."""
    params = message.get("params") or {}
    if params.get("field") in raw:
        return params["field"]
    name = CODE_FIELDS.get(message.get("code", ""))
    if name in raw:
        return name
    if message.get("code") in ("bad_date", "implausible_date"):
        value = str(params.get("value", ""))
        for name in imports.DATE_FIELDS:
            if " ".join(str(raw.get(name, "")).split()) == value:
                return name
    return None


def is_correctable(batch: ImportBatch, row: ImportRow) -> bool:
    """Rows with errors, and rows staff corrected already, while the batch is under review."""
    return batch.status == ImportStatus.PREVIEW and (
        row.outcome == RowOutcome.ERROR or bool(row.data.get(CORRECTED))
    )


def stored_messages(plan) -> list[dict]:
    return [{**m, "level": "error"} for m in plan.errors] + [
        {**m, "level": "warning"} for m in plan.warnings
    ]


@dataclass
class Correction:
    saved: bool
    messages: list[dict] = field(default_factory=list)  # as stored on a row: code, params, level
    raw: dict = field(default_factory=dict)


def columns_of(row: ImportRow) -> list[str]:
    """The columns the upload had (every row of a batch has the same), in the import's order."""
    return [name for name in imports.HEADER_ALIASES if name in row.raw]


def import_row_correct(*, batch: ImportBatch, row: ImportRow, values: dict) -> Correction:
    """Check the typed values of one row as the import would; save them when the row imports.

    `values`: {column: text} for the row's columns. A row that still has errors is not saved:
    the returned messages say why, and the typed values are handed back."""
    from clusters.services.importing import Planner, build_reference

    names = columns_of(row)
    cells = [str(values.get(name, "") or "") for name in names]
    mapping = {name: index for index, name in enumerate(names)}
    with transaction.atomic():
        # One correction at a time per batch: the counts are read and written back.
        locked = ImportBatch.objects.select_for_update().select_related("cluster").get(pk=batch.pk)
        row = ImportRow.objects.select_for_update().get(pk=row.pk, batch=locked)
        if not is_correctable(locked, row):
            return Correction(saved=False)
        today = timezone.localdate()
        parsed = imports.parse_row(row.line, cells, mapping, build_reference(locked.cluster, today))
        if parsed.key is not None and not parsed.errors:
            kind, number = parsed.key
            other = (
                locked.rows.exclude(pk=row.pk)
                .exclude(outcome=RowOutcome.ERROR)
                .filter(**{f"data__{kind}": number})
                .order_by("line")
                .values_list("line", flat=True)
                .first()
            )
            if other is not None:
                parsed.error("duplicate", line=other)
        plan = Planner(locked.cluster, today=today).plan([parsed])[0]
        messages = stored_messages(plan)
        if plan.errors:
            return Correction(saved=False, messages=messages, raw=parsed.raw)
        counts = dict(locked.counts)
        counts[row.outcome] = max(0, int(counts.get(row.outcome, 0)) - 1)
        counts[plan.outcome] = int(counts.get(plan.outcome, 0)) + 1
        had_warning = any(m.get("level") == "warning" for m in row.messages)
        counts["warning"] = max(
            0, int(counts.get("warning", 0)) - had_warning + bool(plan.warnings)
        )
        row.raw = parsed.raw
        row.data = {**plan.values, CORRECTED: True}
        row.outcome = plan.outcome
        row.messages = messages
        row.changes = plan.changes
        row.save(update_fields=["raw", "data", "outcome", "messages", "changes"])
        locked.counts = counts
        locked.save(update_fields=["counts"])
    batch.counts = counts
    return Correction(saved=True, messages=messages, raw=row.raw)


def corrections_of(batch: ImportBatch) -> dict[int, dict]:
    """{line: values} of the rows staff corrected, to keep when the file is read again."""
    return dict(batch.rows.filter(**{f"data__{CORRECTED}": True}).values_list("line", "raw"))


def with_corrections(rows, mapping: dict[str, int], corrections: dict[int, dict], *, first_line=2):
    """The file's rows, with the corrected ones as staff typed them."""
    if not corrections:
        yield from rows
        return
    width = max(mapping.values()) + 1
    for offset, cells in enumerate(rows):
        raw = corrections.get(first_line + offset)
        if raw is not None:
            cells = list(cells) + [""] * max(0, width - len(cells))
            for name, index in mapping.items():
                cells[index] = raw.get(name, "")
        yield cells
