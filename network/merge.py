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
from datetime import timedelta

from django.apps import apps
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from network import hooks
from network.duplicates import is_dismissed
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
    def is_tombstone(self) -> bool:
        """Organisation.merged_into: earlier merges' tombstones, not rows people count."""
        return self.model is Organisation

    @property
    def other_field(self) -> models.ForeignKey:
        """An M2M table's other side (the focus area of an organisation's focus area row)."""
        return next(
            f for f in self.model._meta.concrete_fields if f.is_relation and f != self.field
        )

    @property
    def label(self) -> str:
        """What the rows are, for people: 'memberships', or 'focus areas' for an M2M table."""
        if self.is_m2m_table:
            return str(self.other_field.related_model._meta.verbose_name_plural)
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
        if relation.is_history or relation.is_tombstone:
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
        if relation.is_history or relation.is_tombstone:
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
def organisation_merge(
    *, kept: Organisation, removed: Organisation, user, confirm_dismissed: bool = False
) -> OrganisationMerge:
    """Move everything of `removed` to `kept`, keep `removed` as a tombstone (hidden everywhere,
    for the undo), and record the merge with the id of every row moved.

    A pair staff dismissed as "not duplicates" merges only with `confirm_dismissed`: the second,
    explicit confirmation that the earlier judgement was wrong."""
    locked = {
        o.pk: o
        for o in Organisation.objects.select_for_update().filter(pk__in=[kept.pk, removed.pk])
    }
    if len(locked) != len({kept.pk, removed.pk}):
        raise MergeError(_("One of the organisations no longer exists."))
    kept, removed = locked[kept.pk], locked[removed.pk]
    check_mergeable(kept=kept, removed=removed)
    if not confirm_dismissed and is_dismissed(kept.pk, removed.pk):
        raise MergeError(
            _(
                "%(one)s and %(other)s were marked as not duplicates. Confirm that they are "
                "duplicates after all to merge them."
            )
            % {"one": removed.name, "other": kept.name}
        )

    moved: dict[str, int] = {}
    rows: dict[str, list] = {}
    shared: dict[str, list] = {}
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
            other = relation.other_field.attname
            dropped_others = list(collisions.values_list(other, flat=True))
            if dropped_others:
                collisions.delete()
                moved[f"{relation.key} already shared"] = len(dropped_others)
                shared[relation.key] = dropped_others
        elif collisions.exists():
            raise MergeError(
                _("Both organisations have %(what)s that cannot be combined automatically.")
                % {"what": relation.model._meta.verbose_name_plural}
            )
        manager = relation.model._base_manager
        pks = list(manager.filter(**{relation.field.name: removed}).values_list("pk", flat=True))
        if not pks:
            continue
        n = manager.filter(pk__in=pks).update(**{relation.field.name: kept})
        moved[relation.key] = moved.get(relation.key, 0) + n
        rows[relation.key] = pks

    dismissals = DuplicateDismissal.objects.filter(Q(first=removed) | Q(second=removed))
    dismissed = [a if b == removed.pk else b for a, b in dismissals.values_list("first", "second")]
    dismissals.delete()
    identifier_field = "cvr" if removed.cvr else "orgnr"
    removed_identifier = removed.registry_number
    removed_values = {f: getattr(removed, f) for f in FILLABLE_FIELDS}
    # The tombstone gives up its number (unique) and leaves every list; its slug stays taken,
    # so the old address keeps leading to the kept organisation.
    Organisation.with_tombstones.filter(pk=removed.pk).update(
        cvr="", orgnr="", merged_into=kept, merged_at=timezone.now()
    )

    filled = {}
    if removed_identifier and not kept.registry_number:
        setattr(kept, identifier_field, removed_identifier)
        filled[identifier_field] = removed_identifier
    for field, value in removed_values.items():
        if value not in (None, "") and getattr(kept, field) in (None, ""):
            setattr(kept, field, value)
            filled[field] = _json_value(kept, field)
    if filled:
        kept.save()
    record = OrganisationMerge.objects.create(
        kept=kept,
        kept_name=kept.name,
        removed_id=removed.pk,
        removed_name=removed.name,
        removed_identifier=removed_identifier,
        removed_slug=removed.slug,
        merged_by=user,
        moved=moved,
        undo_data={
            "kept": kept.pk,  # the record's own `kept` follows a later merge of the kept one
            "rows": rows,
            "shared": shared,
            "filled": filled,
            "dismissed": dismissed,
        },
    )
    hooks.profile_changed_on_commit("organisation", kept.pk)
    hooks.affiliations_moved_on_commit(people_moved)
    return record


def _json_value(organisation: Organisation, field: str):
    """The stored value of `field`, as JSON keeps it (a foreign key by its id)."""
    return getattr(organisation, organisation._meta.get_field(field).attname)


UNDO_DAYS = 30


def undo_refusal(merge: OrganisationMerge, *, now=None) -> str | None:
    """Why the merge cannot be undone (for the person asking), or None when it can."""
    now = now or timezone.now()
    if merge.undone_at:
        return _("This merge has already been undone.")
    if merge.merged_at < now - timedelta(days=UNDO_DAYS):
        return _("A merge can be undone for %(days)s days; this one is older.") % {
            "days": UNDO_DAYS
        }
    tombstone = Organisation.with_tombstones.filter(pk=merge.removed_id).first()
    if not merge.undo_data or tombstone is None or tombstone.merged_at is None:
        return _("%(removed)s was not kept when it was merged, so it cannot be restored.") % {
            "removed": merge.removed_name
        }
    kept = Organisation.with_tombstones.filter(pk=merge.undo_data["kept"]).first()
    if kept is None:
        return _("%(kept)s has been deleted since.") % {"kept": merge.kept_name}
    if kept.merged_at is not None:
        return _(
            "%(kept)s has since been merged into another organisation; undo that merge first."
        ) % {"kept": kept.name}
    combined = [key for key in merge.moved if key.split(" ", 1)[0] not in merge.undo_data["rows"]]
    combined = [key for key in combined if not key.endswith(" already shared")]
    if combined:
        return _(
            "The merge combined rows both organisations had, which cannot be separated again: "
            "%(rows)s."
        ) % {"rows": ", ".join(f"{_rule_label(key)} ({merge.moved[key]})" for key in combined)}
    missing = _rows_gone(merge)
    if missing:
        return _(
            "Some of what the merge moved has been deleted or moved on since, so it cannot be "
            "moved back: %(rows)s."
        ) % {"rows": ", ".join(f"{label} ({n})" for label, n in sorted(missing.items()))}
    return None


def _rule_label(key: str) -> str:
    """'clusters.Membership combined' -> 'memberships'."""
    try:
        model = apps.get_model(key.split(" ", 1)[0])
    except (LookupError, ValueError):
        return key
    return str(model._meta.verbose_name_plural)


def _relations_by_key() -> dict[str, Relation]:
    return {r.key: r for r in organisation_relations()}


def _rows_gone(merge: OrganisationMerge) -> dict[str, int]:
    """{what: rows} that the merge moved and that no longer point at the kept organisation."""
    relations = _relations_by_key()
    gone: dict[str, int] = {}
    for key, pks in merge.undo_data["rows"].items():
        relation = relations.get(key)
        if relation is None:
            gone[key] = len(pks)
            continue
        still = relation.model._base_manager.filter(
            pk__in=pks, **{relation.field.attname: merge.undo_data["kept"]}
        ).count()
        if still != len(pks):
            label = relation.label if not relation.is_history else relation.model._meta.label
            gone[str(label)] = gone.get(str(label), 0) + len(pks) - still
    return gone


@transaction.atomic
def organisation_merge_undo(*, merge: OrganisationMerge, user) -> Organisation:
    """Move every row the merge moved back to the removed organisation, in one transaction, and
    bring the removed organisation back. Refused (MergeError, with the reason) when anything
    could not be restored as it was."""
    merge = OrganisationMerge.objects.select_for_update().get(pk=merge.pk)
    locked = {
        o.pk: o
        for o in Organisation.with_tombstones.select_for_update().filter(
            pk__in=[merge.undo_data.get("kept", 0), merge.removed_id]
        )
    }
    refusal = undo_refusal(merge)
    if refusal:
        raise MergeError(refusal)
    kept, removed = locked[merge.undo_data["kept"]], locked[merge.removed_id]
    data = merge.undo_data
    relations = _relations_by_key()
    for key, pks in data["rows"].items():
        relation = relations[key]
        relation.model._base_manager.filter(pk__in=pks).update(**{relation.field.name: removed})
    for key, others in data["shared"].items():
        relation = relations[key]
        relation.model._base_manager.bulk_create(
            [
                relation.model(
                    **{relation.field.attname: removed.pk, relation.other_field.attname: o}
                )
                for o in others
            ]
        )
    changed = []
    for field, value in data["filled"].items():
        if _json_value(kept, field) == value:  # not changed since: it came from the removed one
            blank = None if kept._meta.get_field(field).null else ""
            setattr(kept, kept._meta.get_field(field).attname, blank)
            changed.append(field)
    if changed:
        kept.save()
    identifier_field = "orgnr" if removed.country == "NO" else "cvr"
    if (
        merge.removed_identifier
        and not Organisation.with_tombstones.filter(
            **{identifier_field: merge.removed_identifier}
        ).exists()
    ):
        setattr(removed, identifier_field, merge.removed_identifier)
    removed.merged_into, removed.merged_at = None, None
    removed.save()
    for other in data["dismissed"]:
        a, b = sorted([removed.pk, other])
        DuplicateDismissal.objects.get_or_create(first_id=a, second_id=b)
    merge.undone_at, merge.undone_by = timezone.now(), user
    merge.save(update_fields=["undone_at", "undone_by"])
    people = set(
        Affiliation.objects.filter(organisation=removed, person__user__isnull=False).values_list(
            "person__user_id", flat=True
        )
    )
    hooks.profile_changed_on_commit("organisation", kept.pk)
    hooks.profile_changed_on_commit("organisation", removed.pk)
    hooks.affiliations_moved_on_commit(people)
    return removed


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
