"""Cluster staff run their membership year: the member list with facets, bulk actions and
exports, each membership's detail and history, and the queue of applications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from clusters import exports, services
from clusters.filters import PAGE_SIZES, MemberFilter
from clusters.forms import (
    ApproveForm,
    BulkForm,
    ContactEmailsForm,
    ContactForm,
    MembershipForm,
    ReasonForm,
)
from clusters.history import history_entries
from clusters.models import Cluster, Membership, MembershipStatus
from clusters.permissions import (
    CANCEL,
    DECIDE,
    VIEW,
    can_take_action,
    capabilities,
    conflict_of_interest,
    get_cluster_for_user,
    get_membership_for_user,
    has_capability,
)
from clusters.services.memberships import CANCEL_UNDO_MINUTES
from clusters.transitions import TRANSITIONS, Action, ServiceError, allowed_actions
from network import optouts, page_cache, spreadsheets
from network.confirm import confirm_page, is_confirmed
from network.models import Affiliation, Organisation, RegisterExtract
from network.pagination import NarrowPages

SORTABLE = {
    "name": "name",
    "kind": "kind",
    "region": "region",
    "tier": "tier",
    "fee": "fee",
    "status": "status",
    "period_end": "period_end",
    "applied": "applied",
}


@login_required
@require_GET
def cluster_index(request):
    clusters = list(
        Cluster.objects.managed_by(request.user)
        .with_pending_count()
        .annotate(
            active_count=Count(
                "memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE)
            ),
        )
        .order_by("country", "name")
    )
    if not clusters:
        raise PermissionDenied
    if len(clusters) == 1:
        return redirect("clusters:member_list", slug=clusters[0].slug)
    return render(request, "clusters/cluster_index.html", {"clusters": clusters})


@login_required
@require_GET
def cluster_home(request, slug):
    get_cluster_for_user(request, slug)
    return redirect("clusters:member_list", slug=slug)


# What a row of the member list shows (exports read more): the organisations' descriptions and
# search vectors alone are wider than all of it.
MEMBER_LIST_COLUMNS = (
    "status",
    "annual_fee",
    "period_end",
    "organisation__name",
    "organisation__kind",
    "organisation__cvr",
    "organisation__orgnr",
    "organisation__municipality__name",
    "organisation__region__name",
    "tier__name",
    "tier__currency",
    "primary_contact__first_name",
    "primary_contact__last_name",
    "primary_contact__email",
)


def member_queryset(request, cluster):
    return Membership.objects.managed_by(request.user).filter(cluster=cluster).for_member_list()


def _member_filter(request, cluster) -> MemberFilter:
    return MemberFilter(request.GET, queryset=member_queryset(request, cluster), cluster=cluster)


# The member list's sortable columns, in table order, with their headings.
SORT_HEADERS = [
    ("name", gettext_lazy("Organisation")),
    ("kind", gettext_lazy("Kind")),
    ("region", gettext_lazy("Region")),
    ("tier", gettext_lazy("Tier")),
    ("fee", gettext_lazy("Annual fee")),
    ("status", gettext_lazy("Status")),
    ("period_end", gettext_lazy("Period ends")),
]


def _sort_headers(request) -> list[dict]:
    """Per sortable column: its heading, the URL that sorts by it (toggling direction) and
    aria-sort."""
    current = request.GET.get("ordering", "")
    headers = []
    for key, label in SORT_HEADERS:
        param = SORTABLE[key]
        query = request.GET.copy()
        query.pop("page", None)
        direction = None
        if current == param:
            direction = "ascending"
            query["ordering"] = f"-{param}"
        elif current == f"-{param}":
            direction = "descending"
            query["ordering"] = param
        else:
            query["ordering"] = param
        headers.append({"label": label, "url": "?" + query.urlencode(), "direction": direction})
    return headers


def _page_size(request) -> int:
    try:
        size = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


# The badge of each status, as clusters/_status.html shows it.
STATUS_BADGES = {
    MembershipStatus.ACTIVE: "badge badge-success",
    MembershipStatus.APPLIED: "badge badge-info",
    MembershipStatus.LAPSED: "badge badge-warning",
    MembershipStatus.REJECTED: "badge badge-error",
    MembershipStatus.CANCELLED: "badge badge-error",
}


def _choice_labels(model, field: str) -> dict:
    """A field's choice labels in the current language, once per page rather than per row
    (`get_FOO_display` rebuilds its lookup table at every call)."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def _prepare_rows(page, cluster) -> None:
    """What each row of the member list shows besides plain fields: the detail link, the
    checkbox's label, the kind and status in words, the status badge and whether renewal is
    due."""
    today = timezone.localdate()
    kinds = _choice_labels(Organisation, "kind")
    statuses = _choice_labels(Membership, "status")
    placeholder = 2147483647
    head, tail = reverse("clusters:membership_detail", args=[cluster.slug, placeholder]).split(
        str(placeholder), 1
    )
    for membership in page:
        membership.select_label = _("Select %(name)s") % {"name": membership.organisation.name}
        membership.renewal_is_due = membership.is_renewal_due(today)
        membership.detail_url = f"{head}{membership.pk}{tail}"
        kind = membership.organisation.kind
        membership.kind_label = kinds.get(kind, kind)
        membership.status_label = statuses.get(membership.status, membership.status)
        membership.badge_class = STATUS_BADGES.get(membership.status, "badge")


def _filtered(request, member_filter) -> bool:
    """Whether any filter (not the sort order) narrows the member list."""
    return any(
        request.GET.get(name) for name in member_filter.filters if name != "ordering"
    ) or any(len(request.GET.getlist(name)) > 1 for name in member_filter.filters)


def _managed_cluster(request, slug):
    """get_cluster_for_user(VIEW), its answer kept until the data changes: the member list is
    the page staff reload most."""
    cluster = page_cache.remember_access(
        request, "managed-cluster", slug, lookup=lambda: get_cluster_for_user(request, slug, VIEW)
    )
    # As get_cluster_for_user leaves it: the viewer's role, for the capability checks.
    request.user.__dict__.setdefault("_cluster_roles", {})[cluster.pk] = cluster.role_of_user
    return cluster


@login_required
@require_GET
def member_list(request, slug):
    cluster = _managed_cluster(request, slug)
    # The facets and the rows come rendered from the page cache until the data changes: the
    # status counts, the filter and the rows are read only for a part that is not kept.
    counts = SimpleLazyObject(
        lambda: dict(
            Membership.objects.filter(cluster=cluster)
            .order_by()
            .values_list("status")
            .annotate(n=Count("id"))
        )
    )

    def facets():
        member_filter = _member_filter(request, cluster)
        member_filter.form.fields["status"].choices = [
            (value, f"{label} ({counts.get(value, 0)})")
            for value, label in MembershipStatus.choices
        ]
        return member_filter

    member_filter = SimpleLazyObject(facets)

    def rows():
        rows = Membership.objects.for_member_list().only(*MEMBER_LIST_COLUMNS)
        paginator = Paginator(NarrowPages(member_filter.qs, rows=rows), _page_size(request))
        if not _filtered(request, member_filter):
            # Unfiltered, the list is every membership of the cluster: the status counts the
            # filter has read add up to its length, so the paginator need not count again.
            paginator.__dict__["count"] = sum(counts.values())
        page = paginator.get_page(request.GET.get("page"))
        _prepare_rows(page, cluster)
        return page

    page = page_cache.unless_kept(request, "member-results", cluster.pk, compute=rows)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("select", None)
    export_query = request.GET.copy()
    for name in ("page", "select", "per_page"):
        export_query.pop(name, None)
    can = capabilities(request.user, cluster)
    context = {
        "cluster": cluster,
        "filter": member_filter,
        "page": page,
        "query_string": query.urlencode(),
        "export_query": export_query.urlencode(),
        "sort_headers": SimpleLazyObject(lambda: _sort_headers(request)),
        "page_sizes": PAGE_SIZES,
        "page_size": _page_size(request),
        "select_page": request.GET.get("select") == "page",
        "bulk_form": SimpleLazyObject(BulkForm),
        "can": can,
        "can_decide": DECIDE in can,
        "status_counts": counts,
    }
    template = "clusters/member_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@login_required
@require_GET
def member_export(request, slug, fmt):
    cluster = get_cluster_for_user(request, slug, VIEW)
    member_filter = _member_filter(request, cluster)
    queryset = member_filter.qs
    language = translation.get_language() or "da"
    stamp = timezone.localdate().isoformat()
    filename = f"{cluster.slug}-members-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_chunks(
                queryset, language=language, dialect=spreadsheets.dialect_from_request(request)
            ),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        handle = exports.xlsx_file(
            queryset,
            language=language,
            title=cluster.name,
            filters=member_filter.active_filters(),
        )
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Bulk actions -----------------------------------------------------------------------------
@login_required
@require_POST
def bulk_action(request, slug):
    """First POST: the confirm page with what would change. With `confirm`: apply it."""
    cluster = get_cluster_for_user(request, slug, DECIDE)
    form = BulkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back_to_list(request, cluster))
    action = form.cleaned_data["action"]
    memberships = list(
        member_queryset(request, cluster)
        .filter(pk__in=form.cleaned_data["selected"])
        .order_by("organisation__name", "pk")
    )
    for membership in memberships:
        membership.cluster = cluster
    context = {
        "cluster": cluster,
        "action": action,
        "action_label": TRANSITIONS[Action(action)].label,
        "back": _back_to_list(request, cluster),
        "can": capabilities(request.user, cluster),
    }
    if request.POST.get("confirm") != "1":
        items = services.memberships_bulk_plan(
            memberships=memberships, action=action, actor=request.user
        )
        context["items"] = items
        context["will_change"] = sum(1 for item in items if item.ok)
        return render(request, "clusters/bulk_confirm.html", context)
    results = services.memberships_bulk_apply(
        memberships=memberships, action=action, actor=request.user
    )
    context["results"] = results
    context["done"] = sum(1 for item in results if item.ok)
    context["skipped"] = [item for item in results if not item.ok]
    return render(request, "clusters/bulk_done.html", context)


def _back_to_list(request, cluster) -> str:
    from network.redirects import next_path

    list_url = reverse("clusters:member_list", args=[cluster.slug])
    back = next_path(request, default=list_url, field="back")
    return back if back.startswith(list_url) else list_url


# --- One membership ---------------------------------------------------------------------------
def _detail_context(request, membership, **forms):
    user = request.user
    cluster = membership.cluster
    actions = []
    for action in allowed_actions(membership.status):
        if action in (Action.WITHDRAW, Action.REAPPLY):
            continue
        actions.append(
            {
                "name": action.value,
                "label": TRANSITIONS[action].label,
                "allowed": can_take_action(user, membership, action),
                "conflict": conflict_of_interest(user, membership, action),
                "form": forms.get(action.value),
            }
        )
    approve_form = forms.get("approve") or ApproveForm(membership=membership)
    reason_forms = {
        name: forms.get(name) or ReasonForm(prefix=name, required=name != "lapse")
        for name in ("reject", "lapse", "cancel")
    }
    history = history_entries(membership)
    contact = membership.primary_contact
    contact_email = contact.email if contact is not None else ""
    return {
        "cluster": cluster,
        "membership": membership,
        "organisation": membership.organisation,
        "contact_opt_out": optouts.opt_out_of(contact_email) if contact_email else None,
        "contact_opt_out_events": list(optouts.events_for(contact_email)[:20])
        if contact_email
        else [],
        "contact_emails_form": forms.get("contact_emails") or ContactEmailsForm(),
        "actions": actions,
        "approve_form": approve_form,
        "reason_forms": reason_forms,
        "history": history,
        "cancel_undo_minutes": CANCEL_UNDO_MINUTES,
        "cancel_undo_until": services.cancel_undo_until(membership)
        if has_capability(user, cluster, CANCEL)
        else None,
        "can": capabilities(user, cluster),
        "renewal_is_due": membership.is_renewal_due(),
        "register_extract": RegisterExtract.objects.filter(
            organisation_id=membership.organisation_id
        ).first(),
        "people": Affiliation.objects.filter(organisation_id=membership.organisation_id)
        .select_related("person")
        .order_by("person__first_name", "person__last_name"),
    }


@login_required
@require_GET
def membership_detail(request, slug, pk):
    membership = get_membership_for_user(request, slug, pk, VIEW)
    return render(request, "clusters/membership_detail.html", _detail_context(request, membership))


@login_required
@require_POST
def membership_contact_emails(request, slug, pk):
    """Stop or resume every email to the primary contact's address, at the person's request
    (by phone or letter); logged with who, when and the note (network.optouts)."""
    from network.models.notifications import EmailOptOutVia

    membership = get_membership_for_user(request, slug, pk, DECIDE)
    contact = membership.primary_contact
    if contact is None or not contact.email:
        messages.error(request, _("The membership has no contact with an email address."))
        return redirect(membership.get_absolute_url())
    form = ContactEmailsForm(request.POST)
    if not form.is_valid():
        return _detail_with_errors(request, membership, contact_emails=form)
    change = optouts.opt_out if form.cleaned_data["action"] == "stop" else optouts.resume
    changed = change(
        address=contact.email,
        via=EmailOptOutVia.STAFF,
        actor=request.user,
        note=form.cleaned_data["note"],
    )
    names = {"email": contact.email}
    if not changed:
        messages.info(request, _("Nothing changed: %(email)s was like that already.") % names)
    elif form.cleaned_data["action"] == "stop":
        messages.success(request, _("The portal sends no more emails to %(email)s.") % names)
    else:
        messages.success(request, _("The portal emails %(email)s again.") % names)
    return redirect(membership.get_absolute_url())


@login_required
@require_POST
def membership_action(request, slug, pk, action):
    try:
        action = Action(action)
    except ValueError:
        raise PermissionDenied from None
    membership = get_membership_for_user(request, slug, pk, VIEW)
    if action not in (Action.APPROVE, Action.REJECT, Action.RENEW, Action.LAPSE, Action.CANCEL):
        raise PermissionDenied
    from clusters.permissions import ACTION_CAPABILITY

    if not has_capability(request.user, membership.cluster, ACTION_CAPABILITY[action]):
        raise PermissionDenied
    if conflict_of_interest(request.user, membership, action):
        raise PermissionDenied(
            _("You belong to this organisation, so someone else must decide on its membership.")
        )
    options, reason = {}, ""
    if action == Action.APPROVE:
        form = ApproveForm(request.POST, membership=membership)
        if not form.is_valid():
            return _detail_with_errors(request, membership, approve=form)
        options = {
            "tier": form.cleaned_data["tier"],
            "period_start": form.cleaned_data["period_start"],
        }
    elif action in (Action.REJECT, Action.LAPSE, Action.CANCEL):
        form = ReasonForm(request.POST, prefix=action.value, required=action != Action.LAPSE)
        if not form.is_valid():
            return _detail_with_errors(request, membership, **{action.value: form})
        reason = form.cleaned_data["reason"]
        if action == Action.CANCEL and not is_confirmed(request):
            return _confirm_cancel(request, membership, reason)
    try:
        services.membership_take_action(
            membership=membership, action=action, actor=request.user, reason=reason, **options
        )
    except ServiceError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _done_message(action, membership))
    return redirect(membership.get_absolute_url())


def _confirm_cancel(request, membership, reason):
    """Without JavaScript (or a post without confirm=yes) cancelling asks on a page first."""
    name = membership.organisation.name
    return confirm_page(
        request,
        title=_("Cancel the membership of %(name)s?") % {"name": name},
        question=_(
            "The membership ends now. The organisation is emailed this reason in %(minutes)d "
            "minutes, and until then you can undo the cancellation: %(reason)s"
        )
        % {"minutes": CANCEL_UNDO_MINUTES, "reason": reason},
        confirm_label=_("Yes, cancel the membership"),
        cancel_url=membership.get_absolute_url(),
        fields={"cancel-reason": reason},
    )


@login_required
@require_POST
def membership_cancel_undo(request, slug, pk):
    """Undo a cancellation made in the last few minutes (the "Fortryd" button)."""
    membership = get_membership_for_user(request, slug, pk, CANCEL)
    try:
        services.membership_cancel_undo(membership=membership, actor=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The cancellation was undone: %(name)s is %(status)s again.")
            % {"name": membership.organisation.name, "status": membership.get_status_display()},
        )
    return redirect(membership.get_absolute_url())


def _done_message(action, membership) -> str:
    name = membership.organisation.name
    return {
        Action.APPROVE: _("%(name)s is now a member.") % {"name": name},
        Action.REJECT: _("The application from %(name)s was rejected.") % {"name": name},
        Action.RENEW: _("The membership of %(name)s was renewed.") % {"name": name},
        Action.LAPSE: _("The membership of %(name)s was marked lapsed.") % {"name": name},
        Action.CANCEL: _(
            "The membership of %(name)s was cancelled. You can undo it here for %(minutes)d "
            "minutes; the organisation is emailed only after that."
        )
        % {"name": name, "minutes": CANCEL_UNDO_MINUTES},
    }[action]


def _detail_with_errors(request, membership, **forms):
    return render(
        request,
        "clusters/membership_detail.html",
        _detail_context(request, membership, **forms),
        status=400,
    )


@login_required
def membership_edit(request, slug, pk):
    membership = get_membership_for_user(request, slug, pk, DECIDE)
    form = MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=membership,
                actor=request.user,
                tier=form.cleaned_data["tier"],
                annual_fee=form.cleaned_data["annual_fee"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                primary_contact=form.cleaned_data["primary_contact"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The membership was saved."))
            return redirect(membership.get_absolute_url())
    return render(
        request,
        "clusters/membership_form.html",
        {
            "cluster": membership.cluster,
            "membership": membership,
            "form": form,
            "contact_form": ContactForm(),
            "can": capabilities(request.user, membership.cluster),
        },
    )


@login_required
@require_POST
def membership_contact_add(request, slug, pk):
    membership = get_membership_for_user(request, slug, pk, DECIDE)
    form = ContactForm(request.POST)
    if form.is_valid():
        services.membership_contact_add(
            membership=membership, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("The contact was added and made the primary contact."))
        return redirect(membership.get_absolute_url())
    return render(
        request,
        "clusters/membership_form.html",
        {
            "cluster": membership.cluster,
            "membership": membership,
            "form": MembershipForm(instance=membership),
            "contact_form": form,
            "can": capabilities(request.user, membership.cluster),
        },
        status=400,
    )


# --- Applications queue -----------------------------------------------------------------------
@login_required
@require_GET
def application_queue(request, slug):
    cluster = get_cluster_for_user(request, slug, VIEW)
    applications = member_queryset(request, cluster).pending().order_by("applied_at", "pk")
    paginator = Paginator(applications, 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "clusters/application_queue.html",
        {
            "cluster": cluster,
            "page": page,
            "query_string": "",
            "bulk_form": BulkForm(initial={"action": Action.APPROVE.value}),
            "can": capabilities(request.user, cluster),
        },
    )
