"""Review before publication: organisation profiles, test sites, knowledge offers and needs.

The rules, in one place:
- A new item is a draft until its owners send it for review; it is shown to the public, the API
  and matching only once a reviewer approves it (`is_published`).
- An owner's edit of a published item does not change what the public sees: the edited values
  of the reviewed fields wait in `pending_changes` until approved. Fields that describe the
  moment rather than the content (a test site's free capacity, a need's deadline, whether the
  profile is listed at all) are `unreviewed_fields` and apply at once.
- Reviewers are the staff of the clusters the owning organisation belongs to or applies to
  (registered by clusters through network.hooks) and the network admins. Nobody reviews an
  organisation they work for, except network admins. A reviewer's own edits publish directly.
- Sending back needs a reason. Sending back a published item without pending changes takes it
  down (a complaint, an outdated profile); with pending changes only the changes go back.
- Owners are notified of every decision; reviewers of every item sent to them.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network import hooks, notifications
from network.models import (
    Affiliation,
    KnowledgeOffer,
    Organisation,
    ReviewAction,
    ReviewEvent,
    ReviewStatus,
    TestSite,
    User,
)
from network.models.organisations import AffiliationRole

MAX_REASON = 2000
TAG_FIELD = "tag_names"  # the forms' comma-separated tags, kept as a list of names

# kind -> model; matchmaking registers "need".
KINDS: dict[str, type[models.Model]] = {
    "organisation": Organisation,
    "test_site": TestSite,
    "knowledge_offer": KnowledgeOffer,
}
KIND_LABELS = {
    "organisation": gettext_lazy("Organisation profile"),
    "test_site": gettext_lazy("Test site"),
    "knowledge_offer": gettext_lazy("Knowledge offer"),
    "need": gettext_lazy("Need"),
}


# What a reviewer reads of a new item (and the tags).
DISPLAY_FIELDS = {
    "organisation": (
        "name", "kind", "country", "cvr", "orgnr", "description", "website", "email", "phone",
        "street", "postcode", "town", "municipality", "industry_code", "focus_areas",
        "readiness_level",
        "employees", "founded",
    ),
    "test_site": (
        "name", "site_type", "description", "capabilities", "municipality", "trl_min", "trl_max",
        "focus_areas", "language",
    ),
    "knowledge_offer": (
        "title", "method", "competence", "description", "trl_min", "trl_max", "focus_areas",
        "language",
    ),
}  # fmt: skip


def register_kind(kind: str, model: type[models.Model], display_fields: tuple) -> None:
    KINDS[kind] = model
    DISPLAY_FIELDS[kind] = display_fields


def kind_of(item) -> str:
    for kind, model in KINDS.items():
        if isinstance(item, model):
            return kind
    raise ValueError(f"{type(item).__name__} is not reviewed")


def owner_of(item) -> Organisation:
    return item if isinstance(item, Organisation) else item.owner


class ReviewError(Exception):
    """A transition that is not allowed now; the message is for the person who tried."""


# --- Who may ----------------------------------------------------------------------------------
def _is_network_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_network_admin or user.is_superuser))


def _works_for(user, organisation_id: int) -> bool:
    return Affiliation.objects.filter(person__user=user, organisation_id=organisation_id).exists()


def may_review(user, organisation: Organisation) -> bool:
    if _is_network_admin(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    return user.pk in hooks.reviewers_of(organisation.pk) and not _works_for(user, organisation.pk)


def may_manage(user, organisation: Organisation) -> bool:
    """The owners: admins of the organisation (and network admins)."""
    if _is_network_admin(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    return Affiliation.objects.filter(
        person__user=user, organisation=organisation, role=AffiliationRole.ADMIN
    ).exists()


# --- Changes of a published item -------------------------------------------------------------
def _json(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        items = [_json(v) for v in value]
        return sorted(items) if all(isinstance(v, int) for v in items) else items
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _live_value(item, name: str):
    if name == TAG_FIELD:
        return [tag.name for tag in item.tags.all()]
    field = item._meta.get_field(name)
    if field.many_to_many:
        return sorted(getattr(item, name).values_list("pk", flat=True))
    if field.is_relation:
        return getattr(item, field.attname)
    return _json(getattr(item, name))


def _same(name: str, old, new) -> bool:
    if name == TAG_FIELD:
        return {n.lower() for n in old or []} == {n.lower() for n in new or []}
    return old == new


def reviewed_fields(form) -> list[str]:
    unreviewed = set(getattr(form.instance, "unreviewed_fields", ()))
    return [name for name in form.fields if name not in unreviewed]


def proposed_changes(form, live) -> dict:
    """{field: JSON value} of the form's reviewed fields that differ from the live row."""
    changes = {}
    for name in reviewed_fields(form):
        if name not in form.cleaned_data:
            continue
        new = _json(form.cleaned_data[name])
        if not _same(name, _live_value(live, name), new):
            changes[name] = new
    return changes


def form_initial(item) -> dict:
    """Initial form values for an owner editing an item with changes awaiting review."""
    initial = {}
    for name, value in (item.pending_changes or {}).items():
        initial[name] = ", ".join(value) if name == TAG_FIELD else value
    return initial


@dataclass(frozen=True)
class ChangeRow:
    label: str
    current: str
    proposed: str


def _display(item, name: str, value) -> str:
    if name == TAG_FIELD:
        return ", ".join(value or [])
    field = item._meta.get_field(name)
    if field.many_to_many:
        names = field.related_model.objects.filter(pk__in=value or []).order_by("pk")
        return ", ".join(str(obj) for obj in names)
    if field.is_relation:
        obj = field.related_model.objects.filter(pk=value).first() if value else None
        return str(obj) if obj else "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value)) if value not in (None, "") else "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return "—" if value in (None, "") else str(value)


def _label(item, name: str) -> str:
    label = _("Tags") if name == TAG_FIELD else str(item._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def content_rows(item) -> list[tuple[str, str]]:
    """(label, value) of what the public would see of the item, for a reviewer."""
    names = (*DISPLAY_FIELDS[kind_of(item)], TAG_FIELD)
    return [(_label(item, name), _display(item, name, _live_value(item, name))) for name in names]


def change_rows(item) -> list[ChangeRow]:
    """What a reviewer compares: each pending field, as shown now and as proposed."""
    rows = []
    for name, value in (item.pending_changes or {}).items():
        rows.append(
            ChangeRow(
                label=_label(item, name),
                current=_display(item, name, _live_value(item, name)),
                proposed=_display(item, name, value),
            )
        )
    return rows


def _apply_changes(item, changes: dict) -> None:
    from network.forms import get_or_create_tags

    later = {}
    for name, value in changes.items():
        if name == TAG_FIELD:
            later["tags"] = get_or_create_tags(value)
            continue
        field = item._meta.get_field(name)
        if field.many_to_many:
            later[name] = list(field.related_model.objects.filter(pk__in=value or []))
        elif field.is_relation:
            setattr(item, field.attname, value)
        else:
            setattr(item, name, field.to_python(value))
    item.full_clean()
    item.save()
    for name, values in later.items():
        getattr(item, name).set(values)


# --- Saving an owner's form -------------------------------------------------------------------
class Outcome(models.TextChoices):
    PUBLISHED = "published"  # a reviewer's save: live at once
    SENT_FOR_REVIEW = "sent_for_review"  # a new item, shown once approved
    CHANGES_FOR_REVIEW = "changes_for_review"  # a published item; its edit waits
    SAVED = "saved"  # only unreviewed fields changed, or a draft kept as a draft


def outcome_message(outcome: str) -> str:
    return {
        Outcome.PUBLISHED: _("Saved and published."),
        Outcome.SENT_FOR_REVIEW: _(
            "Saved and sent for review. It is shown once the network's staff have approved it."
        ),
        Outcome.CHANGES_FOR_REVIEW: _(
            "Your changes were sent for review. Until they are approved, everyone else sees "
            "the version shown before."
        ),
        Outcome.SAVED: _("Saved."),
    }[outcome]


@transaction.atomic
def save_reviewed(form, *, actor, save, submit: bool = True) -> str:
    """Save an owner's valid ModelForm under the review rules.

    `save(item, focus_areas, tags)` is the item's own service (validation, m2m, hooks).
    `submit` is False only for "save as draft" of an item not yet published.
    """
    from network.forms import get_or_create_tags

    item = form.instance
    owner = owner_of(item)
    reviewer = may_review(actor, owner)
    now = timezone.now()

    if item.pk and item.is_published and not reviewer:
        live = type(item).objects.select_for_update().get(pk=item.pk)
        changes = proposed_changes(form, live)
        for name in form.fields:
            if name in getattr(item, "unreviewed_fields", ()):
                field = item._meta.get_field(name)
                setattr(live, field.attname, getattr(item, field.attname))
        if changes:
            live.pending_changes = changes
            live.review_status = ReviewStatus.PENDING
            live.review_reason = ""
            live.submitted_at = now
        save(live, live.focus_areas.all(), list(live.tags.all()))
        form.instance = live
        if not changes:
            return Outcome.SAVED
        _record(live, ReviewAction.SUBMITTED, actor, changed_fields=sorted(changes))
        _notify_reviewers(live)
        return Outcome.CHANGES_FOR_REVIEW

    if submit and not item.is_published:
        _refuse_unpublishable(item)
    focus_areas = form.cleaned_data.get("focus_areas", [])
    tags = get_or_create_tags(form.cleaned_data.get(TAG_FIELD, []))
    if reviewer:
        newly = not item.is_published
        if newly and not submit:
            item.review_status = ReviewStatus.DRAFT
            save(item, focus_areas, tags)
            return Outcome.SAVED
        item.is_published = True
        if not item.pending_changes:
            item.review_status = ReviewStatus.PUBLISHED
            item.review_reason = ""
        item.reviewed_at, item.reviewed_by = now, actor
        save(item, focus_areas, tags)
        if newly:
            _record(item, ReviewAction.PUBLISHED_DIRECTLY, actor)
        return Outcome.PUBLISHED

    item.review_status = ReviewStatus.PENDING if submit else ReviewStatus.DRAFT
    if submit:
        item.submitted_at = now
        item.review_reason = ""
    save(item, focus_areas, tags)
    if not submit:
        return Outcome.SAVED
    _record(item, ReviewAction.SUBMITTED, actor)
    _notify_reviewers(item)
    return Outcome.SENT_FOR_REVIEW


# --- Transitions ------------------------------------------------------------------------------
def publish_problem(item) -> str | None:
    """Why `item` may not go out (be published or sent for review) as it is, e.g. a need whose
    deadline has passed; kinds say so with a `publish_problem()` method."""
    check = getattr(item, "publish_problem", None)
    return check() if check else None


def _refuse_unpublishable(item) -> None:
    problem = publish_problem(item)
    if problem:
        raise ReviewError(problem)


def _locked(item):
    return type(item).objects.select_for_update().select_related(*_owner_path(item)).get(pk=item.pk)


def _owner_path(item) -> tuple:
    return () if isinstance(item, Organisation) else ("owner",)


def _changed(item) -> None:
    kind = kind_of(item)
    hooks.profile_changed_on_commit(kind, item.pk)
    from network.tasks import schedule_figures_refresh

    schedule_figures_refresh()


@transaction.atomic
def submit(item, *, actor):
    """Owners send a draft, or an item sent back, for review (again)."""
    item = _locked(item)
    if not may_manage(actor, owner_of(item)):
        raise ReviewError(_("Only the organisation's admins can send it for review."))
    if item.review_status not in (ReviewStatus.DRAFT, ReviewStatus.SENT_BACK):
        raise ReviewError(_("It is not a draft or sent back; nothing was changed."))
    if not item.is_published:
        _refuse_unpublishable(item)
    item.review_status = ReviewStatus.PENDING
    item.submitted_at = timezone.now()
    item.save(update_fields=["review_status", "submitted_at", "updated_at"])
    _record(item, ReviewAction.SUBMITTED, actor, changed_fields=sorted(item.pending_changes or []))
    _notify_reviewers(item)
    return item


@transaction.atomic
def submit_or_publish(item, *, actor) -> str:
    """An owner's "publish" of an item not yet shown: reviewers publish at once, others submit."""
    if item.is_published or item.review_status == ReviewStatus.PENDING:
        return Outcome.SAVED
    _refuse_unpublishable(item)
    if not may_review(actor, owner_of(item)):
        submit(item, actor=actor)
        return Outcome.SENT_FOR_REVIEW
    item = _locked(item)
    item.is_published = True
    item.review_status = ReviewStatus.PUBLISHED
    item.review_reason = ""
    item.reviewed_at, item.reviewed_by = timezone.now(), actor
    item.save()
    _record(item, ReviewAction.PUBLISHED_DIRECTLY, actor)
    _changed(item)
    return Outcome.PUBLISHED


@transaction.atomic
def approve(item, *, actor):
    item = _locked(item)
    if not may_review(actor, owner_of(item)):
        raise ReviewError(_("You do not review this organisation's items."))
    if item.review_status != ReviewStatus.PENDING:
        raise ReviewError(_("It is not waiting for review; nothing was changed."))
    if not item.is_published:
        _refuse_unpublishable(item)
    changes = item.pending_changes or {}
    item.is_published = True
    item.review_status = ReviewStatus.PUBLISHED
    item.review_reason = ""
    item.pending_changes = None
    item.reviewed_at, item.reviewed_by = timezone.now(), actor
    if getattr(item, "status", None) == "open" and hasattr(item, "published_at"):
        item.published_at = item.published_at or item.reviewed_at
    _apply_changes(item, changes)
    _record(item, ReviewAction.APPROVED, actor, changed_fields=sorted(changes))
    _notify_owners(item, "approved")
    _changed(item)
    return item


@transaction.atomic
def send_back(item, *, actor, reason: str):
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("Write the reason, so the owners know what to change."))
    if len(reason) > MAX_REASON:
        raise ReviewError(_("Keep the reason under %(max)d characters.") % {"max": MAX_REASON})
    item = _locked(item)
    if not may_review(actor, owner_of(item)):
        raise ReviewError(_("You do not review this organisation's items."))
    if item.review_status not in (ReviewStatus.PENDING, ReviewStatus.PUBLISHED):
        raise ReviewError(_("It is neither waiting for review nor published; nothing was changed."))
    taken_down = item.review_status == ReviewStatus.PUBLISHED or not item.pending_changes
    if taken_down:
        item.is_published = False
    item.review_status = ReviewStatus.SENT_BACK
    item.review_reason = reason
    item.reviewed_at, item.reviewed_by = timezone.now(), actor
    item.save()
    _record(item, ReviewAction.SENT_BACK, actor, reason=reason)
    _notify_owners(item, "sent_back")
    if taken_down:
        _changed(item)
    return item


@transaction.atomic
def discard_changes(item, *, actor):
    """Owners withdraw their pending or sent-back changes; the published version stays."""
    item = _locked(item)
    if not may_manage(actor, owner_of(item)):
        raise ReviewError(_("Only the organisation's admins can discard the changes."))
    if not (item.is_published and item.pending_changes):
        raise ReviewError(_("There are no changes waiting; nothing was changed."))
    item.pending_changes = None
    item.review_status = ReviewStatus.PUBLISHED
    item.review_reason = ""
    item.save(update_fields=["pending_changes", "review_status", "review_reason", "updated_at"])
    _record(item, ReviewAction.DISCARDED, actor)
    return item


# --- Record and notify ------------------------------------------------------------------------
def _record(item, action: str, actor, *, reason: str = "", changed_fields=()) -> None:
    from django.contrib.contenttypes.models import ContentType

    ReviewEvent.objects.create(
        content_type=ContentType.objects.get_for_model(type(item)),
        object_id=item.pk,
        organisation_id=owner_of(item).pk,
        action=action,
        actor=actor if actor and actor.is_authenticated else None,
        reason=reason,
        changed_fields=list(changed_fields),
    )


def history(item):
    from django.contrib.contenttypes.models import ContentType

    return ReviewEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(item)), object_id=item.pk
    ).select_related("actor")


def title_of(item) -> str:
    return getattr(item, "title", None) or item.name


def review_url(item) -> str:
    from django.urls import reverse

    return reverse("clusters:review_detail", kwargs={"kind": kind_of(item), "pk": item.pk})


def owner_url(item) -> str:
    from django.urls import reverse

    if isinstance(item, Organisation):
        return reverse("organisation_edit", kwargs={"slug": item.slug})
    if isinstance(item, TestSite):
        return reverse("test_site_edit", kwargs={"slug": item.owner.slug, "pk": item.pk})
    if isinstance(item, KnowledgeOffer):
        return reverse("offer_edit", kwargs={"slug": item.owner.slug, "pk": item.pk})
    return item.get_absolute_url()


def _context(item) -> dict:
    return {
        "item_title": title_of(item),
        "kind_label": KIND_LABELS[kind_of(item)],
        "organisation": owner_of(item),
        "reason": item.review_reason,
        "is_published": item.is_published,
    }


def _notify_owners(item, decision: str) -> None:
    owner = owner_of(item)
    url = owner_url(item)
    users = User.objects.filter(
        is_active=True,
        person__affiliations__organisation=owner,
        person__affiliations__role=AffiliationRole.ADMIN,
    ).distinct()
    for user in users:
        notifications.notification_send(
            user=user,
            kind=f"review_{decision}",
            template=f"emails/network/review_{decision}.txt",
            context={**_context(item), "recipient": user, "url": notifications.site_url(url)},
            url=url,
        )


def _notify_reviewers(item) -> None:
    ids = hooks.reviewers_of(owner_of(item).pk)
    if not ids:
        ids = set(User.objects.filter(is_network_admin=True).values_list("pk", flat=True))
    url = review_url(item)
    for user in User.objects.filter(pk__in=ids, is_active=True):
        notifications.notification_send(
            user=user,
            kind="review_requested",
            template="emails/network/review_requested.txt",
            context={**_context(item), "recipient": user, "url": notifications.site_url(url)},
            url=url,
        )
