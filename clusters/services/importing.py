"""Importing member lists: upload -> preview (nothing written) -> commit (one transaction).

The file is parsed by the pure functions in clusters.imports. The `Planner` then compares
each row with the database and decides what importing it would do: a new member, an update
(with the fields that change), no change, or an error. The commit plans again against the
database as it is then and writes only new and changed rows, so importing the same file a
second time changes nothing. Organisations are matched by CVR or organisation number.
"""

import hashlib
import logging
import operator
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone, translation
from simple_history.utils import bulk_update_with_history

from clusters import imports, periods
from clusters.models import (
    Cluster,
    ImportBatch,
    ImportRow,
    ImportStatus,
    ImportValueMapping,
    MappedField,
    Membership,
    MembershipStatus,
    MembershipTier,
    RowOutcome,
)
from clusters.services import import_corrections
from clusters.services.bulk_rows import insert_rows, new_row_maker
from clusters.services.memberships import _transition, default_tier
from clusters.transitions import Action, TransitionError
from network.models import Affiliation, Municipality, Organisation, Person, ReviewStatus
from network.models.organisations import AffiliationRole, OrganisationKind
from network.money import currency_for_country
from network.slugs import slugify

logger = logging.getLogger(__name__)

CHUNK = 1000
# Files up to this size are read while the upload request waits; larger ones by a worker.
INLINE_MAX_BYTES = getattr(settings, "CLUSTERS_IMPORT_INLINE_MAX_BYTES", 200_000)
INLINE_MAX_ROWS = getattr(settings, "CLUSTERS_IMPORT_INLINE_MAX_ROWS", 1000)
MAX_UPLOAD_BYTES = getattr(settings, "CLUSTERS_IMPORT_MAX_BYTES", 20 * 1024 * 1024)

KIND_ALIASES = {
    "smv": "sme",
    "smb": "sme",
    "small and medium sized enterprise": "sme",
    "startup": "sme",
    "iværksætter": "sme",
    "stor virksomhed": "large_company",
    "storbedrift": "large_company",
    "large enterprise": "large_company",
    "kommune": "municipality",
    "sygehus": "hospital",
    "sykehus": "hospital",
    "helseforetak": "hospital",
    "universitet": "university",
    "gts": "gts_institute",
    "gts institut": "gts_institute",
    "professionshøjskole": "university_college",
    "høgskole": "university_college",
    "patientforening": "patient_organisation",
    "pasientorganisasjon": "patient_organisation",
    "fylkeskommune": "region",
}


def _progress_key(batch_id: int) -> str:
    return f"clusters:import:{batch_id}:committed"


def commit_progress(batch: ImportBatch) -> int | None:
    """Rows written so far by a running commit (kept in the shared cache, because the commit's
    own transaction is not visible to the page until it ends)."""
    return cache.get(_progress_key(batch.pk))


# --- Reference data ---------------------------------------------------------------------------
def build_reference(cluster: Cluster, today: date) -> imports.Reference:
    municipalities = {}
    ambiguous = set()
    for pk, country, code, name, others in Municipality.objects.values_list(
        "pk", "country", "code", "name", "alternative_names"
    ):
        # Any official spelling: 'Kautokeino', 'Guovdageaidnu' and '5612' are one municipality.
        for spelling in [name, *(others or [])]:
            key = (country, imports.normalise_name(spelling))
            if municipalities.get(key, pk) != pk:
                ambiguous.add(key)
            municipalities[key] = pk
        municipalities[(country, code.zfill(4))] = pk
    for key in ambiguous:  # a name two municipalities share says neither
        del municipalities[key]
    kinds = {imports.normalise_name(alias): kind for alias, kind in KIND_ALIASES.items()}
    for code, label in OrganisationKind.choices:
        kinds[imports.normalise_name(code)] = code
        kinds[imports.normalise_name(code.replace("_", " "))] = code
        for language in ("da", "nb", "en"):
            with translation.override(language):
                kinds[imports.normalise_name(str(label))] = code
    tier_rows = list(
        MembershipTier.objects.filter(cluster=cluster)
        .order_by("position", "name")
        .values_list("pk", "name")
    )
    tiers = {imports.normalise_name(name): pk for pk, name in tier_rows}
    # What staff said their own spellings mean, once for the cluster.
    mapped_municipalities = {}
    for field_name, value, target in ImportValueMapping.objects.filter(cluster=cluster).values_list(
        "field", "value", "target"
    ):
        if field_name == MappedField.KIND and target in OrganisationKind.values:
            kinds.setdefault(value, target)
        elif field_name == MappedField.TIER and target.isdigit():
            tiers.setdefault(value, int(target))
        elif field_name == MappedField.MUNICIPALITY and target.isdigit():
            mapped_municipalities[value] = int(target)
    if mapped_municipalities:
        countries = dict(
            Municipality.objects.filter(pk__in=mapped_municipalities.values()).values_list(
                "pk", "country"
            )
        )
        for value, pk in mapped_municipalities.items():
            if pk in countries:
                municipalities.setdefault((countries[pk], value), pk)
    return imports.Reference(
        country=cluster.country,
        municipalities=municipalities,
        kinds=kinds,
        tiers=tiers,
        tier_names=[name for _pk, name in tier_rows],
        today=today,
    )


# --- Planning ---------------------------------------------------------------------------------
@dataclass
class RowPlan:
    line: int
    raw: dict
    values: dict
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    organisation: Organisation | None = None
    membership: Membership | None = None
    membership_fields: dict = field(default_factory=dict)
    activate: str = ""  # the transition an applied/lapsed membership takes: approve / renew
    person: Person | None = None
    person_fields: dict = field(default_factory=dict)
    new_person: bool = False
    needs_affiliation: bool = False

    @property
    def outcome(self) -> str:
        if self.errors:
            return RowOutcome.ERROR
        if self.organisation is None or self.membership is None:
            return RowOutcome.NEW
        if self.changes:
            return RowOutcome.UPDATE
        return RowOutcome.UNCHANGED

    def change(self, name: str, old, new) -> None:
        self.changes.append({"field": name, "old": _text(old), "new": _text(new)})

    def message(self, level: list, code: str, **params) -> None:
        level.append({"code": code, "params": {k: _text(v) for k, v in params.items()}})


def _text(value) -> str:
    if type(value) is str:  # most values; the checks below cost more than the text
        return value
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Person):
        return value.full_name
    if isinstance(value, MembershipTier):
        return value.name
    return str(value)


def _addresses(person: Person) -> set[str]:
    """The email addresses a person is known by: their contact email and their login."""
    found = {person.email.lower()} if person.email else set()
    if person.user_id and person.user.email:
        found.add(person.user.email.lower())
    return found


def _period_text(start, end) -> str:
    if not start:
        return ""
    return f"{_text(start)} – {_text(end)}"


class Planner:
    """Decides, row by row, what importing would do. Loads what it needs per chunk of rows in
    a fixed number of queries."""

    def __init__(self, cluster: Cluster, *, today: date):
        self.cluster = cluster
        self.today = today
        self.zone = timezone.get_current_timezone()  # read once: per row it is a context lookup
        self.tiers = {tier.pk: tier for tier in MembershipTier.objects.filter(cluster=cluster)}
        self.default_tier = default_tier(cluster)
        self.municipalities = {}

    def _load(self, rows: list[imports.ParsedRow]) -> None:
        cvrs = {r.values["cvr"] for r in rows if r.values.get("cvr")}
        orgnrs = {r.values["orgnr"] for r in rows if r.values.get("orgnr")}
        found = Organisation.objects.filter(cvr__any=cvrs) if cvrs else Organisation.objects.none()
        if orgnrs:
            found = found | Organisation.objects.filter(orgnr__any=orgnrs)
        # What planning and writing read of a known organisation; in no particular order.
        found = found.only("name", "cvr", "orgnr").order_by()
        self.organisations = {}
        for organisation in found:
            if organisation.cvr:
                self.organisations[("cvr", organisation.cvr)] = organisation
            if organisation.orgnr:
                self.organisations[("orgnr", organisation.orgnr)] = organisation
        org_ids = [o.pk for o in self.organisations.values()]
        # Each person once, however many organisations and rows name them.
        people: dict[int, Person] = {}
        self.people_of = {}
        for person in (
            Person.objects.filter(affiliations__organisation_id__any=org_ids)
            .annotate(affiliated_with=F("affiliations__organisation_id"))
            .select_related("user")
            .order_by()
        ):
            known = people.setdefault(person.pk, person)
            self.people_of.setdefault(person.affiliated_with, []).append(known)
        self.memberships = {}
        contacts_elsewhere = set()
        for membership in Membership.objects.filter(
            cluster=self.cluster, organisation_id__any=org_ids
        ).order_by():  # no join for the default order
            # The tier and the contact from the rows loaded already, not a join for each.
            if membership.tier_id in self.tiers:
                membership.tier = self.tiers[membership.tier_id]
            if membership.primary_contact_id in people:
                membership.primary_contact = people[membership.primary_contact_id]
            elif membership.primary_contact_id:
                contacts_elsewhere.add(membership.primary_contact_id)
            self.memberships[membership.organisation_id] = membership
        if contacts_elsewhere:  # a contact no longer in the organisation
            for person in Person.objects.filter(pk__any=contacts_elsewhere).select_related("user"):
                people.setdefault(person.pk, person)
            for membership in self.memberships.values():
                if membership.primary_contact_id in contacts_elsewhere:
                    membership.primary_contact = people[membership.primary_contact_id]
        self.people_by_email = {}
        emails = self._addresses_to_look_up(rows)
        if emails:
            # By contact address and by login, each through its own index on lower(email) (one
            # query with OR over the join would read every person).
            found = {}
            for lookup in ("email", "user__email"):
                for person in (
                    Person.objects.annotate(address=Lower(lookup))
                    .filter(address__any=emails)
                    .select_related("user")
                    .order_by()
                ):
                    found.setdefault(person.pk, people.setdefault(person.pk, person))
            for person in found.values():
                for address in _addresses(person) & emails:
                    self.people_by_email.setdefault(address, []).append(person)
        municipality_ids = {r.values["municipality"] for r in rows if r.values.get("municipality")}
        missing = municipality_ids - set(self.municipalities)
        if missing:
            self.municipalities.update(Municipality.objects.in_bulk(missing))

    def _addresses_to_look_up(self, rows: list[imports.ParsedRow]) -> set[str]:
        """Contact addresses not already those of someone in the row's organisation (who is
        the contact then, as _plan_contact decides)."""
        emails = set()
        for row in rows:
            email = row.values.get("contact_email")
            if not email:
                continue
            organisation = self.organisations.get(row.key)
            known = self.people_of.get(organisation.pk, []) if organisation else []
            if not any(email in _addresses(person) for person in known):
                emails.add(email)
        return emails

    def plan(self, rows: list[imports.ParsedRow]) -> list[RowPlan]:
        self._load(rows)
        return [self._plan_row(row) for row in rows]

    def _plan_row(self, row: imports.ParsedRow) -> RowPlan:
        plan = RowPlan(
            line=row.line,
            raw=row.raw,
            values=row.values,
            errors=list(row.errors),
            warnings=list(row.warnings),
        )
        if plan.errors:
            return plan
        values = row.values
        tier = self.tiers.get(values.get("tier")) if values.get("tier") else None
        start = date.fromisoformat(values["start_date"])
        period_start, period_end = periods.period_for(start)
        organisation = self.organisations.get(row.key)
        plan.organisation = organisation
        if organisation is None:
            plan.change("organisation", "", values["name"])
        else:
            if organisation.name.casefold() != values["name"].casefold():
                plan.message(plan.warnings, "name_mismatch", current=organisation.name)
            plan.membership = self.memberships.get(organisation.pk)

        membership = plan.membership
        if membership is None:
            tier = tier or self.default_tier
            # When the member applied: the file's date, else the start of its membership
            # (not the day of the import).
            applied = date.fromisoformat(values.get("applied") or values["start_date"])
            plan.membership_fields = {
                "tier": tier,
                "annual_fee": tier.annual_fee if tier else None,
                "period_start": period_start,
                "period_end": period_end,
                "applied_at": timezone.make_aware(datetime.combine(applied, time.min), self.zone),
            }
            plan.change("membership", "", _period_text(period_start, period_end))
            if tier:
                plan.change("tier", "", tier)
        elif membership.status in {
            MembershipStatus.REJECTED,
            MembershipStatus.WITHDRAWN,
            MembershipStatus.CANCELLED,
        }:
            plan.message(
                plan.errors, "membership_closed", status=membership.get_status_display().lower()
            )
            return plan
        else:
            self._plan_membership_update(plan, membership, tier, period_start, period_end)

        if period_end < self.today and (
            membership is None or "period_start" in plan.membership_fields or plan.activate
        ):
            plan.message(plan.warnings, "period_over", date=period_end)
        self._plan_contact(plan, organisation, membership)
        return plan

    def _plan_membership_update(self, plan, membership, tier, period_start, period_end):
        fields = plan.membership_fields
        if membership.status == MembershipStatus.APPLIED:
            plan.activate = Action.APPROVE
        newer = membership.period_start is None or period_start > membership.period_start
        if membership.status == MembershipStatus.LAPSED:
            if newer:
                plan.activate = Action.RENEW
            else:
                plan.message(plan.warnings, "older_period", date=membership.period_start)
        if plan.activate:
            plan.change("status", membership.get_status_display(), MembershipStatus.ACTIVE.label)
            tier = tier or membership.tier or self.default_tier
        if newer or (plan.activate and not membership.period_start):
            fields["period_start"], fields["period_end"] = period_start, period_end
            plan.change(
                "period",
                _period_text(membership.period_start, membership.period_end),
                _period_text(period_start, period_end),
            )
        elif membership.status == MembershipStatus.ACTIVE and period_start < (
            membership.period_start
        ):
            plan.message(plan.warnings, "older_period", date=membership.period_start)
        if tier is not None and tier.pk != membership.tier_id:
            fields["tier"] = tier
            fields["annual_fee"] = tier.annual_fee
            plan.change("tier", membership.tier, tier)
            if membership.annual_fee != tier.annual_fee:
                plan.change("annual_fee", membership.annual_fee, tier.annual_fee)

    def _plan_contact(self, plan, organisation, membership):
        values = plan.values
        name, email = values.get("contact_name", ""), values.get("contact_email", "")
        phone = values.get("contact_phone", "")
        if not name and not email:
            return
        known = self.people_of.get(organisation.pk, []) if organisation else []
        person = None
        if email:
            person = next((p for p in known if email in _addresses(p)), None)
            if person is None:
                same_email = self.people_by_email.get(email, [])
                if len(same_email) == 1:
                    person = same_email[0]
        elif name:
            person = next((p for p in known if p.full_name.casefold() == name.casefold()), None)
        if person is None:
            first, last = imports.split_name(name or email.split("@")[0])
            plan.new_person = True
            plan.person_fields = {
                "first_name": first[:100],
                "last_name": last[:100],
                "email": email,
                "phone": phone,
            }
            plan.needs_affiliation = True
            plan.change(
                "primary_contact", membership.primary_contact if membership else "", name or email
            )
            return
        plan.person = person
        plan.needs_affiliation = person not in known
        if person.user_id is None:
            if name and person.full_name != name:
                first, last = imports.split_name(name)
                plan.person_fields.update(first_name=first[:100], last_name=last[:100])
                plan.change("contact_name", person.full_name, name)
            if phone and person.phone != phone:
                plan.person_fields["phone"] = phone
                plan.change("contact_phone", person.phone, phone)
        elif (name and person.full_name != name) or (phone and person.phone != phone):
            plan.message(plan.warnings, "contact_kept", name=person.full_name)
        if membership is None or membership.primary_contact_id != person.pk:
            plan.change("primary_contact", membership.primary_contact if membership else "", person)


# --- Upload and preview -----------------------------------------------------------------------
def _checksum(uploaded_file) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


@transaction.atomic
def import_batch_create(*, cluster: Cluster, actor, uploaded_file) -> ImportBatch:
    """Store the uploaded file and queue reading it. Nothing about members is written."""
    from clusters.tasks import import_preview

    batch = ImportBatch(
        cluster=cluster,
        file=uploaded_file,
        original_name=(uploaded_file.name or "members")[-255:],
        checksum=_checksum(uploaded_file),
        created_by=actor,
    )
    batch.full_clean(exclude=["file"])
    batch.save()
    if uploaded_file.size <= INLINE_MAX_BYTES:
        import_batch_preview(batch_id=batch.pk, inline_max_rows=INLINE_MAX_ROWS)
        batch.refresh_from_db()
    if batch.status == ImportStatus.UPLOADED:
        batch_id = batch.pk
        transaction.on_commit(lambda: import_preview.delay(batch_id))
    return batch


def import_batch_reread(*, batch: ImportBatch) -> None:
    """Read a batch under review again (after staff mapped unknown values): while the request
    waits for a small file, by a worker for a large one."""
    from clusters.tasks import import_preview

    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.UPLOADED, error=""
    )
    if not claimed:
        return
    if batch.file.size <= INLINE_MAX_BYTES:
        import_batch_preview(batch_id=batch.pk, inline_max_rows=INLINE_MAX_ROWS)
    batch.refresh_from_db()
    if batch.status == ImportStatus.UPLOADED:
        batch_id = batch.pk
        transaction.on_commit(lambda: import_preview.delay(batch_id))


def previous_import(batch: ImportBatch) -> ImportBatch | None:
    """An earlier import of the very same file into the same cluster, if any."""
    return (
        ImportBatch.objects.filter(
            cluster_id=batch.cluster_id,
            checksum=batch.checksum,
            status=ImportStatus.COMMITTED,
        )
        .exclude(pk=batch.pk)
        .order_by("-committed_at")
        .first()
    )


def _parsed_from_rows(rows) -> list[imports.ParsedRow]:
    return [imports.ParsedRow(line=r.line, raw=r.raw, values=r.data) for r in rows]


def import_batch_preview(*, batch_id: int, inline_max_rows: int | None = None) -> None:
    """Read the file into ImportRows with their planned outcome. Runs in a worker for large
    files, updating `processed_rows` as it goes; safe to run again after a crash."""
    claimed = ImportBatch.objects.filter(
        pk=batch_id, status__in=[ImportStatus.UPLOADED, ImportStatus.PARSING]
    ).update(status=ImportStatus.PARSING, processed_rows=0, error="")
    if not claimed:
        return
    batch = ImportBatch.objects.select_related("cluster").get(pk=batch_id)
    # Rows staff corrected in the preview keep their values when the file is read again.
    corrections = import_corrections.corrections_of(batch)
    today = timezone.localdate()
    try:
        with batch.file.open("rb") as handle:
            header, body = imports.read_table(handle, batch.original_name)
            mapping = imports.map_headers(header)
            reference = build_reference(batch.cluster, today)
            body = import_corrections.with_corrections(body, mapping, corrections)
            parsed = list(imports.parse_rows(body, mapping, reference))
    except imports.FileError as error:
        _fail(batch, error.message)
        return
    except Exception:
        logger.exception("Reading import %s failed", batch_id)
        _fail(batch, _lazy_unreadable())
        return
    for row in parsed:
        if row.line in corrections:
            row.values[import_corrections.CORRECTED] = True
    if inline_max_rows is not None and len(parsed) > inline_max_rows:
        # Too many rows to plan while the upload waits: leave it to a worker.
        ImportBatch.objects.filter(pk=batch_id).update(status=ImportStatus.UPLOADED)
        return
    batch.rows.all().delete()
    ImportBatch.objects.filter(pk=batch_id).update(total_rows=len(parsed))
    planner = Planner(batch.cluster, today=today)
    counts = dict.fromkeys(RowOutcome.values, 0)
    warnings = 0
    for start in range(0, len(parsed), CHUNK):
        plans = planner.plan(parsed[start : start + CHUNK])
        insert_rows(
            ImportRow,
            [
                SimpleNamespace(
                    batch_id=batch.pk,
                    line=plan.line,
                    raw=plan.raw,
                    data=plan.values,
                    outcome=plan.outcome,
                    messages=import_corrections.stored_messages(plan),
                    changes=plan.changes,
                )
                for plan in plans
            ],
            batch_size=CHUNK,
        )
        for plan in plans:
            counts[plan.outcome] += 1
            warnings += bool(plan.warnings)
        ImportBatch.objects.filter(pk=batch_id).update(processed_rows=start + len(plans))
    counts["warning"] = warnings
    ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.PARSING).update(
        status=ImportStatus.PREVIEW, counts=counts, processed_rows=len(parsed)
    )


def _lazy_unreadable():
    from django.utils.translation import gettext_lazy

    return gettext_lazy("The file could not be read. Save it as .xlsx or .csv and try again.")


def _fail(batch: ImportBatch, message) -> None:
    batch.rows.all().delete()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.FAILED, error=str(message))


# --- Commit -----------------------------------------------------------------------------------
class ImportChangedError(Exception):
    """The database changed since the preview so that some rows no longer import."""


def import_batch_start_commit(*, batch: ImportBatch, actor) -> bool:
    """Claim the batch for committing (once, even if staff click twice) and queue the work."""
    from clusters.tasks import import_commit

    if not batch.can_commit:
        return False
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.COMMITTING, processed_rows=0
    )
    if not claimed:
        return False
    batch.status = ImportStatus.COMMITTING
    cache.set(_progress_key(batch.pk), 0, timeout=3600)
    if batch.total_rows <= INLINE_MAX_ROWS:
        import_batch_commit(batch_id=batch.pk, user_id=actor.pk)
    else:
        batch_id, user_id = batch.pk, actor.pk
        transaction.on_commit(lambda: import_commit.delay(batch_id, user_id))
    return True


def import_batch_discard(*, batch: ImportBatch) -> bool:
    discarded = ImportBatch.objects.filter(
        pk=batch.pk, status__in=[ImportStatus.PREVIEW, ImportStatus.FAILED]
    ).update(status=ImportStatus.DISCARDED)
    if discarded:
        batch.rows.all().delete()
        batch.file.delete(save=False)
    return bool(discarded)


def import_batch_commit(*, batch_id: int, user_id: int | None) -> None:
    """Write every new and changed row in one transaction, or nothing."""
    from network.models import User

    batch = ImportBatch.objects.select_related("cluster").filter(pk=batch_id).first()
    if batch is None or batch.status != ImportStatus.COMMITTING:
        return
    actor = User.objects.filter(pk=user_id).first() if user_id else None
    # Rows with errors stay out: staff chose to import the others and get those back as a file.
    rows = [
        imports.ParsedRow(line=line, raw={}, values=data)
        for line, data in batch.rows.exclude(outcome=RowOutcome.ERROR)
        .order_by("line")
        .values_list("line", "data")
    ]
    try:
        with transaction.atomic():
            counts = _write(batch, rows, actor)
            batch.status = ImportStatus.COMMITTED
            batch.counts = {**batch.counts, **counts}
            batch.processed_rows = len(rows)
            batch.committed_by = actor
            batch.committed_at = timezone.now()
            batch.save(
                update_fields=[
                    "status",
                    "counts",
                    "processed_rows",
                    "committed_by",
                    "committed_at",
                ]
            )
    except ImportChangedError:
        _replan(batch)
    except TransitionError as error:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.PREVIEW, error=str(error.message)
        )
    except Exception:
        logger.exception("Import %s failed", batch_id)
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED,
            error=str(_lazy_commit_failed()),
        )
    finally:
        cache.delete(_progress_key(batch_id))


def _lazy_commit_failed():
    from django.utils.translation import gettext_lazy

    return gettext_lazy("The import failed and nothing was written. Try again later.")


def _replan(batch: ImportBatch) -> None:
    """Record what the rows would do now, and send the batch back to review."""
    from django.utils.translation import gettext_lazy

    planner = Planner(batch.cluster, today=timezone.localdate())
    rows = list(batch.rows.exclude(outcome=RowOutcome.ERROR).order_by("line"))
    counts = dict.fromkeys(RowOutcome.values, 0)
    counts[RowOutcome.ERROR] = batch.error_count
    warnings = 0
    with transaction.atomic():
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            for row, plan in zip(chunk, planner.plan(_parsed_from_rows(chunk)), strict=True):
                row.outcome = plan.outcome
                row.messages = [{**m, "level": "error"} for m in plan.errors] + [
                    {**m, "level": "warning"} for m in plan.warnings
                ]
                row.changes = plan.changes
                counts[plan.outcome] += 1
                warnings += bool(plan.warnings)
            ImportRow.objects.bulk_update(chunk, ["outcome", "messages", "changes"])
        counts["warning"] = warnings
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.PREVIEW,
            counts=counts,
            error=str(
                gettext_lazy(
                    "The member data changed since the preview. Review the rows again before "
                    "importing."
                )
            ),
        )


def _unique_slugs(names: list[str]) -> list[str]:
    """Slugs for new organisations, unique among those in the directory and each other."""
    bases = [slugify(name)[:200] or "org" for name in names]
    counts = Counter(bases)
    distinct = list(counts)
    taken = set()
    for start in range(0, len(distinct), CHUNK):
        chunk = distinct[start : start + CHUNK]
        taken |= set(
            Organisation.with_tombstones.filter(slug__any=chunk).values_list("slug", flat=True)
        )
    for prefix in [b for b in distinct if b in taken or counts[b] > 1]:
        taken |= set(
            Organisation.with_tombstones.filter(slug__startswith=f"{prefix}-").values_list(
                "slug", flat=True
            )
        )
    slugs = []
    for base in bases:
        slug, counter = base, 2
        while slug in taken:
            slug = f"{base}-{counter}"
            counter += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _write(batch: ImportBatch, rows: list[imports.ParsedRow], actor) -> dict:
    cluster = batch.cluster
    planner = Planner(cluster, today=timezone.localdate())
    reason = f"import: {batch.original_name}"[:100]
    written = {"new": 0, "update": 0, "unchanged": 0}
    for start in range(0, len(rows), CHUNK):
        plans = planner.plan(rows[start : start + CHUNK])
        if any(plan.errors for plan in plans):
            raise ImportChangedError
        _write_chunk(cluster, plans, actor, reason, planner.municipalities)
        for plan in plans:
            written[plan.outcome] += 1
        cache.set(_progress_key(batch.pk), start + len(plans), timeout=3600)
    if written["new"]:
        from network.tasks import schedule_figures_refresh

        schedule_figures_refresh()
    return {f"written_{key}": value for key, value in written.items()}


# Rows written without model instances (NewRow): the commit writes only what the preview checked,
# row by row, against the same rules (clusters.imports.parse_row: lengths, e-mail, CVR and
# organisation numbers and their country, dates), and what the planner took from the cluster's
# own rows (municipality of the row's country, tier, period); the database's constraints hold
# the rest. A row corrected in the preview is read and checked again before it can be imported.
new_organisation = new_row_maker(Organisation)
new_person = new_row_maker(Person)
new_affiliation = new_row_maker(Affiliation)
new_membership = new_row_maker(Membership)


def _write_chunk(
    cluster: Cluster, plans: list[RowPlan], actor, reason: str, municipalities: dict
) -> None:
    now = timezone.now()
    # 1. Organisations that are not in the directory yet.
    new_orgs = [p for p in plans if p.organisation is None]
    if new_orgs:
        slugs = _unique_slugs([p.values["name"] for p in new_orgs])
        organisations = []
        for plan, slug in zip(new_orgs, slugs, strict=True):
            municipality = municipalities.get(plan.values.get("municipality"))
            organisation = new_organisation(
                name=plan.values["name"],
                slug=slug,
                kind=plan.values["kind"],
                country=plan.values["country"],
                cvr=plan.values.get("cvr", ""),
                orgnr=plan.values.get("orgnr", ""),
                municipality_id=municipality.pk if municipality else None,
                region_id=municipality.region_id if municipality else None,
                # Staff vouch for what they import: it is published without a second review.
                is_published=True,
                review_status=ReviewStatus.PUBLISHED,
            )
            organisations.append(organisation)
            plan.organisation = organisation
        insert_rows(Organisation, organisations, batch_size=CHUNK, return_keys=True)

    # 2. Contact people, and their place in the organisation.
    people_by_email = {}
    new_people = []
    for plan in plans:
        if not plan.new_person:
            continue
        email = plan.person_fields.get("email", "")
        if email and email in people_by_email:
            plan.person = people_by_email[email]
            continue
        person = new_person(**plan.person_fields)
        new_people.append(person)
        plan.person = person
        if email:
            people_by_email[email] = person
    if new_people:
        insert_rows(Person, new_people, batch_size=CHUNK, return_keys=True)
    changed_people = [
        p for p in plans if p.person is not None and not p.new_person and (p.person_fields)
    ]
    for plan in changed_people:
        for name, value in plan.person_fields.items():
            setattr(plan.person, name, value)
    if changed_people:
        Person.objects.bulk_update(
            [p.person for p in changed_people], ["first_name", "last_name", "phone"]
        )
    affiliations = [
        new_affiliation(
            person_id=plan.person.pk,
            organisation_id=plan.organisation.pk,
            role=AffiliationRole.MEMBER,
            is_primary_contact=True,
        )
        for plan in plans
        if plan.person is not None and plan.needs_affiliation
    ]
    if affiliations:
        insert_rows(Affiliation, affiliations, batch_size=CHUNK, ignore_conflicts=True)

    # 3. Memberships: new ones, changed ones, and those that become active.
    created, updated = [], []
    cluster_currency = currency_for_country(cluster.country)
    for plan in plans:
        if plan.membership is None:
            fields = dict(plan.membership_fields)
            tier = fields.pop("tier")
            created.append(
                new_membership(
                    organisation_id=plan.organisation.pk,
                    cluster_id=cluster.pk,
                    status=MembershipStatus.ACTIVE,
                    primary_contact_id=plan.person.pk if plan.person else None,
                    status_changed_at=now,
                    tier_id=tier.pk if tier else None,
                    # As Membership.save() sets it: the tier's currency, else the country's.
                    currency=tier.currency if tier else cluster_currency,
                    **fields,
                )
            )
        elif plan.activate:
            _transition(
                membership=plan.membership,
                action=Action(plan.activate),
                actor=actor,
                change_reason=reason,
                # The person may be a NewRow: set by key.
                primary_contact_id=plan.person.pk
                if plan.person
                else plan.membership.primary_contact_id,
                **plan.membership_fields,
            )
        elif plan.changes:
            membership = plan.membership
            for name, value in plan.membership_fields.items():
                setattr(membership, name, value)
            if plan.person is not None:
                membership.primary_contact_id = plan.person.pk
            membership.updated_at = now
            updated.append(membership)
    if created:
        _create_memberships(created, actor=actor, reason=reason, now=now)
    if updated:
        bulk_update_with_history(
            updated,
            Membership,
            ["tier", "annual_fee", "period_start", "period_end", "primary_contact", "updated_at"],
            batch_size=CHUNK,
            default_user=actor,
            default_change_reason=reason,
        )


def _create_memberships(created: list, *, actor, reason: str, now) -> None:
    """Insert the new memberships (NewRows) and the first entry of each one's history (as
    simple_history's bulk_create_with_history writes it)."""
    insert_rows(Membership, created, batch_size=CHUNK, return_keys=True)
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = Membership.history.model
    tracked = [field.attname for field in history.tracked_fields]
    read = operator.attrgetter(*tracked)
    # The import's user, else whom simple_history would name (the request's user, if any).
    user_id = getattr(actor or history.get_default_history_user(created[0]), "pk", None)
    insert_rows(
        history,
        [
            SimpleNamespace(
                history_date=now,
                history_user_id=user_id,
                history_change_reason=reason,
                history_type="+",
                **dict(zip(tracked, read(membership), strict=True)),
            )
            for membership in created
        ],
        batch_size=CHUNK,
    )
