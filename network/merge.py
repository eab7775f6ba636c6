"""Merging a duplicate organisation into the one that is kept.

Every row that points at the removed organisation is found generically, from
`Organisation._meta` (hidden relations included, so django-simple-history's rows and the M2M
tables of focus areas and tags come too): a foreign key added tomorrow moves without anyone
remembering it here. Where both organisations have a row that a unique constraint allows only
once, the app that owns the model registers a rule in `network.hooks.merge_rules` (network must
not import the apps above it); the M2M tables are unions; any other collision refuses the merge
rather than losing a row.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from network import hooks
from network.models import Affiliation, DuplicateDismissal, Organisation, OrganisationMerge


class MergeError(Exception):
    """The two organisations cannot be merged; the message says why, for the person asking."""


# Filled from the removed organisation when the kept one has nothing there.
FILLABLE_FIELDS = (
    "description",
    "website",
    "email",
    "phone",
    "street",
    "postcode",
    "town",
    "municipality",
    "readiness_level",
    "employees",
    "founded",
)
# network's own bookkeeping about duplicates: handled by the merge itself, never moved.
BOOKKEEPING = {DuplicateDismissal}


@dataclass(frozen=True)
class Relation:
    model: type[models.Model]
    field: models.ForeignKey

    @property
    def key(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"

    @property
    def is_m2m_table(self) -> bool:
        return bool(self.model._meta.auto_created)

    @property
    def is_history(self) -> bool:
        return any(f.name == "history_id" for f in self.model._meta.concrete_fields)

    @property
    def label(self) -> str:
        """What the rows are, for people: 'memberships', or 'focus areas' for an M2M table."""
        if self.is_m2m_table:
            other = next(
                f for f in self.model._meta.concrete_fields if f.is_relation and f != self.field
            )
            return str(other.related_model._meta.verbose_name_plural)
        return str(self.model._meta.verbose_name_plural)


def organisation_relations() -> list[Relation]:
    """Every foreign key, anywhere, that points at Organisation (history and M2M tables too)."""
    out = []
    for rel in Organisation._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and rel.is_relation):
            continue
        if rel.many_to_many:  # Person.organisations: its through model (Affiliation) is listed
            continue
        if rel.related_model in BOOKKEEPING:
            continue
        out.append(Relation(model=rel.related_model, field=rel.field))
    return sorted(out, key=lambda r: r.key)


def _unique_sets(relation: Relation):
    """(other fields, condition) for every uniqueness rule of the model that includes the FK."""
    meta = relation.model._meta
    name = relation.field.name
    sets = [(tuple(fields), None) for fields in meta.unique_together]
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            sets.append((tuple(constraint.fields), constraint.condition))
    if relation.field.unique:
        sets.append(((name,), None))
    for fields, condition in sets:
        resolved = [meta.get_field(f).name for f in fields]
        if name in resolved:
            yield [f for f in resolved if f != name], condition


def colliding_rows(relation: Relation, *, kept, removed) -> models.QuerySet:
    """The removed organisation's rows whose move would break a unique rule of the model."""
    manager = relation.model._base_manager
    name = relation.field.name
    clashes = Q(pk__in=[])
    for others, condition in _unique_sets(relation):
        twins = manager.filter(**{name: kept}, **{f: OuterRef(f) for f in others})
        mine = Q(Exists(twins.filter(condition) if condition is not None else twins))
        if condition is not None:
            mine &= condition
        clashes |= mine
    return manager.filter(**{name: removed}).filter(clashes)


def related_counts(organisation_ids) -> dict[int, Counter]:
    """{organisation id: Counter(model verbose name plural: rows)}, one query per relation."""
    counts: dict[int, Counter] = {pk: Counter() for pk in organisation_ids}
    for relation in organisation_relations():
        if relation.is_history:
            continue
        label = relation.label
        name = relation.field.attname
        rows = (
            relation.model._base_manager.filter(**{f"{name}__in": organisation_ids})
            .order_by()
            .values_list(name)
            .annotate(n=models.Count("pk"))
        )
        for pk, n in rows:
            counts[pk][label] += n
    return counts


def merge_plan(*, kept: Organisation, removed: Organisation) -> list[tuple[str, int, int]]:
    """What would move, for the confirm page: [(what, rows, rows the kept organisation also
    has, which are combined rather than moved)]. Two queries per kind of related row."""
    check_mergeable(kept=kept, removed=removed)
    lines: dict[str, list[int]] = {}
    for relation in organisation_relations():
        if relation.is_history:
            continue
        rows = relation.model._base_manager.filter(**{relation.field.name: removed}).count()
        if not rows:
            continue
        shared = colliding_rows(relation, kept=kept, removed=removed).count()
        line = lines.setdefault(relation.label, [0, 0])
        line[0] += rows
        line[1] += shared
    return sorted((label, rows, shared) for label, (rows, shared) in lines.items())


def check_mergeable(*, kept: Organisation, removed: Organisation) -> None:
    if kept.pk == removed.pk:
        raise MergeError(_("An organisation cannot be merged into itself."))
    if kept.country != removed.country:
        raise MergeError(
            _(
                "%(removed)s (%(removed_country)s) and %(kept)s (%(kept_country)s) are in "
                "different countries and cannot be merged."
            )
            % {
                "removed": removed.name,
                "removed_country": removed.get_country_display(),
                "kept": kept.name,
                "kept_country": kept.get_country_display(),
            }
        )


def _affiliation_rule(*, kept, removed) -> dict[str, int]:
    """A person in both: one affiliation, admin if either was, primary contact if either was."""
    combined = 0
    for twin in Affiliation.objects.filter(
        organisation=removed, person__affiliations__organisation=kept
    ):
        mine = Affiliation.objects.get(organisation=kept, person_id=twin.person_id)
        if twin.role == "admin":
            mine.role = "admin"
        mine.is_primary_contact = mine.is_primary_contact or twin.is_primary_contact
        mine.save(update_fields=["role", "is_primary_contact"])
        twin.delete()
        combined += 1
    return {"network.Affiliation combined": combined} if combined else {}


NETWORK_RULES = {"network.Affiliation": _affiliation_rule}


@transaction.atomic
def organisation_merge(*, kept: Organisation, removed: Organisation, user) -> OrganisationMerge:
    """Move everything of `removed` to `kept`, delete `removed`, and record the merge."""
    locked = {
        o.pk: o
        for o in Organisation.objects.select_for_update().filter(pk__in=[kept.pk, removed.pk])
    }
    if len(locked) != len({kept.pk, removed.pk}):
        raise MergeError(_("One of the organisations no longer exists."))
    kept, removed = locked[kept.pk], locked[removed.pk]
    check_mergeable(kept=kept, removed=removed)

    moved: dict[str, int] = {}
    people_moved = set(
        Affiliation.objects.filter(organisation=removed, person__user__isnull=False).values_list(
            "person__user_id", flat=True
        )
    )
    relations = organisation_relations()
    rules = {**NETWORK_RULES, **hooks.merge_rules}
    for label in sorted({r.model._meta.label for r in relations} & set(rules)):
        moved.update(rules[label](kept=kept, removed=removed))

    for relation in relations:
        collisions = colliding_rows(relation, kept=kept, removed=removed)
        if relation.is_m2m_table:
            dropped = collisions.delete()[0]
            if dropped:
                moved[f"{relation.key} already shared"] = dropped
        elif collisions.exists():
            raise MergeError(
                _("Both organisations have %(what)s that cannot be combined automatically.")
                % {"what": relation.model._meta.verbose_name_plural}
            )
        n = relation.model._base_manager.filter(**{relation.field.name: removed}).update(
            **{relation.field.name: kept}
        )
        if n:
            moved[relation.key] = moved.get(relation.key, 0) + n

    DuplicateDismissal.objects.filter(Q(first=removed) | Q(second=removed)).delete()
    identifier_field = "cvr" if removed.cvr else "orgnr"
    removed_identifier = removed.registry_number
    record = OrganisationMerge(
        kept=kept,
        kept_name=kept.name,
        removed_id=removed.pk,
        removed_name=removed.name,
        removed_identifier=removed_identifier,
        removed_slug=removed.slug,
        merged_by=user,
        moved=moved,
    )
    removed_values = {f: getattr(removed, f) for f in FILLABLE_FIELDS}
    removed.delete()

    changed = []
    if removed_identifier and not kept.registry_number:
        setattr(kept, identifier_field, removed_identifier)
        changed.append(identifier_field)
    for field, value in removed_values.items():
        if value not in (None, "") and getattr(kept, field) in (None, ""):
            setattr(kept, field, value)
            changed.append(field)
    if changed:
        kept.save()
    record.save()
    hooks.profile_changed_on_commit("organisation", kept.pk)
    hooks.affiliations_moved_on_commit(people_moved)
    return record


def repoint(model: type[models.Model], *, from_pk, to_pk) -> int:
    """Point every row that refers to model row `from_pk` at `to_pk` instead (hidden relations,
    e.g. history, included). For the apps' rules when they fold one row into another."""
    n = 0
    for rel in model._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and rel.is_relation and not rel.many_to_many:
            n += rel.related_model._base_manager.filter(**{rel.field.name: from_pk}).update(
                **{rel.field.name: to_pk}
            )
    return n
