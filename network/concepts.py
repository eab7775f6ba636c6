"""The thesaurus network admins edit: reading it for matching, merging two concepts."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from network.models.concepts import Concept
from network.text.generic import DROPPED
from network.text.thesaurus import LANGUAGES, Thesaurus, load
from network.text.thesaurus import Concept as TextConcept


def current_thesaurus() -> Thesaurus:
    """The thesaurus as the rows say now (the shipped file when the table is empty).

    A merged concept's terms count for the concept it was merged into (followed to the end of
    a chain of merges)."""
    rows = list(Concept.objects.order_by("position", "slug"))
    if not rows:
        return load()
    by_pk = {row.pk: row for row in rows}

    def final(row):
        seen = set()
        while row.merged_into_id and row.merged_into_id in by_pk and row.pk not in seen:
            seen.add(row.pk)
            row = by_pk[row.merged_into_id]
        return row

    terms = {
        row.pk: {language: list(row.terms(language)) for language in LANGUAGES} for row in rows
    }
    abbreviations = {row.pk: row.abbreviations.split() for row in rows}
    for row in rows:
        target = final(row)
        if target.pk != row.pk:
            for language in LANGUAGES:
                terms[target.pk][language] += terms[row.pk][language]
            abbreviations[target.pk] += abbreviations[row.pk]
    concepts = [
        TextConcept(
            row.slug,
            {language: tuple(terms[row.pk][language]) for language in LANGUAGES},
            tuple(abbreviations[row.pk]),
        )
        for row in rows
        if final(row).pk == row.pk
    ]
    return Thesaurus.from_concepts(concepts, ignore=DROPPED)


@transaction.atomic
def concept_merge(*, concept: Concept, into: Concept) -> Concept:
    """Merge `concept` into `into`: its terms name `into` from the next run on."""
    if concept.pk == into.pk:
        raise ValidationError(_("A concept cannot be merged into itself."))
    concept.merged_into = into  # full_clean refuses a merge in a circle
    concept.full_clean()
    concept.save(update_fields=["merged_into", "updated_at"])
    return concept
