"""Introduction pages: ask from a match, answer, follow up, report the meeting, rate matches.

Each view fetches through a permission helper (outsiders 404, a role that may not act 403),
validates a form, calls one service and redirects.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clusters.models import Cluster
from clusters.permissions import get_cluster_for_user
from matchmaking import actions, sharing
from matchmaking.introductions import services
from matchmaking.introductions.contacts import contacts_visible_to
from matchmaking.introductions.forms import (
    DeclineForm,
    MatchFeedbackForm,
    MeetingForm,
    RequestForm,
    StatusFilterForm,
)
from matchmaking.introductions.permissions import (
    belongs_to,
    can_nudge,
    can_report_meeting,
    can_respond,
    get_introduction_for_user,
    get_match_for_request,
    involved_organisations,
    is_network_admin,
)
from matchmaking.introductions.transitions import IntroductionError
from matchmaking.models import Match
from matchmaking.models_introductions import (
    OPEN_STATUSES,
    FeedbackKind,
    Introduction,
    IntroductionStatus,
)
from network.redirects import next_path

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def introduction_request(request, match_pk: int):
    match = get_match_for_request(request, match_pk)
    existing = Introduction.objects.filter(match=match, status__in=OPEN_STATUSES).only("pk").first()
    if existing and request.method == "GET":
        messages.info(request, _("An introduction for this match has already been requested."))
        return redirect(existing)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            introduction = services.introduction_request(
                match=match,
                user=request.user,
                message=form.cleaned_data["message"],
                include_joined=form.cleaned_data["include_joined"],
            )
        except IntroductionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Your request was sent to %(organisation)s.")
                % {"organisation": introduction.target_organisation.name},
            )
            return redirect(introduction)
    return render(
        request,
        "matchmaking/introductions/request.html",
        {
            "match": match,
            "form": form,
            "target_name": services.target_name(match),
            "owner": services.target_owner(match),
            "on_behalf": not belongs_to(request.user, match.source_id),
            "joined": sharing.joined_with(match),
        },
    )


def _status_filter(request):
    form = StatusFilterForm(request.GET or None, choices=IntroductionStatus.choices)
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    return form, status


@login_required
@require_GET
def introduction_list(request):
    """Requests to the user's organisations (to answer) and of them (to follow)."""
    form, status = _status_filter(request)
    base = Introduction.objects.with_related()
    if status:
        base = base.filter(status=status)
    waiting_first = Case(
        When(status=IntroductionStatus.REQUESTED, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    incoming = base.incoming_for(request.user).order_by(waiting_first, "-requested_at")
    outgoing = base.outgoing_for(request.user)
    incoming_page = Paginator(incoming, PAGE_SIZE).get_page(request.GET.get("in"))
    outgoing_page = Paginator(outgoing, PAGE_SIZE).get_page(request.GET.get("out"))
    return render(
        request,
        "matchmaking/introductions/list.html",
        {
            "form": form,
            "incoming": incoming_page,
            "outgoing": outgoing_page,
            "staffed_clusters": Cluster.objects.managed_by(request.user).order_by("name"),
            "now": timezone.now(),
        },
    )


def _history(introduction):
    records = introduction.history.order_by("history_date").values_list("history_date", "status")
    seen, timeline = None, []
    labels = dict(IntroductionStatus.choices)
    for date, status in records:
        if status != seen:
            timeline.append({"date": date, "status": status, "label": labels.get(status)})
            seen = status
    return timeline


def _other_party(user, introduction):
    """The organisation on the other side from the user's (None for staff and admins, who
    are on neither side: they see both)."""
    if belongs_to(user, introduction.source_id):
        return introduction.target_organisation
    if belongs_to(user, introduction.target_organisation_id):
        return introduction.source
    return None


def _detail_context(request, introduction, **forms):
    """What the introduction page shows: the request and its answer, the other party's profile
    (linked) and why the two were matched, and contact people once both have said yes."""
    user = request.user
    waiting = introduction.status == IntroductionStatus.REQUESTED
    accepted = introduction.status == IntroductionStatus.ACCEPTED
    other = _other_party(user, introduction)
    return {
        "introduction": introduction,
        "target_name": services.target_name(introduction.match),
        "target_url": _target_url(introduction.match),
        "other": other,
        "parties": [other]
        if other is not None
        else [introduction.source, introduction.target_organisation],
        "contacts": contacts_visible_to(user=user, introduction=introduction),
        "sides": [
            ("company", introduction.source),
            ("partner", introduction.target_organisation),
        ],
        "may_respond": waiting and can_respond(user, introduction),
        "may_report": accepted and can_report_meeting(user, introduction),
        "may_nudge": introduction.status in ("requested", "accepted")
        and can_nudge(user, introduction),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "meeting_form": forms.get("meeting_form") or MeetingForm(),
        "timeline": _history(introduction),
        "now": timezone.now(),
    }


def _target_url(match) -> str:
    """The page of the match's target: the need, or the owner's profile at the site or offer."""
    if match.target_type == "need" and match.need is not None:
        return match.need.get_absolute_url()
    target = match.test_site if match.target_type == "test_site" else match.knowledge_offer
    if target is None:
        return ""
    anchor = "site" if match.target_type == "test_site" else "offer"
    return reverse("organisation_detail", args=[target.owner.slug]) + f"#{anchor}-{target.pk}"


@login_required
@require_GET
def introduction_detail(request, pk: int):
    introduction = get_introduction_for_user(request, pk)
    return render(
        request,
        "matchmaking/introductions/detail.html",
        _detail_context(request, introduction),
    )


def _refused(request, introduction, error: IntroductionError):
    messages.error(request, error.message)
    return redirect(introduction)


@login_required
@require_POST
def introduction_accept(request, pk: int):
    introduction = get_introduction_for_user(request, pk, action="respond")
    try:
        services.introduction_accept(introduction=introduction, user=request.user)
    except IntroductionError as error:
        return _refused(request, introduction, error)
    messages.success(request, _("You accepted. You can now see each other's contact people below."))
    return redirect(introduction)


@login_required
@require_POST
def introduction_decline(request, pk: int):
    introduction = get_introduction_for_user(request, pk, action="respond")
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.introduction_decline(
                introduction=introduction, user=request.user, reason=form.cleaned_data["reason"]
            )
        except IntroductionError as error:
            return _refused(request, introduction, error)
        messages.success(
            request,
            _("You declined; %(organisation)s has been told why.")
            % {"organisation": introduction.asking_organisation.name},
        )
        return redirect(introduction)
    context = _detail_context(request, introduction, decline_form=form)
    return render(request, "matchmaking/introductions/detail.html", context)


@login_required
@require_POST
def introduction_met(request, pk: int):
    introduction = get_introduction_for_user(request, pk, action="meet")
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            services.introduction_mark_met(
                introduction=introduction,
                user=request.user,
                outcome=form.cleaned_data["outcome"],
                comment=form.cleaned_data["comment"],
            )
        except IntroductionError as error:
            return _refused(request, introduction, error)
        messages.success(request, _("Thank you. We use this to suggest better matches."))
        return redirect(introduction)
    context = _detail_context(request, introduction, meeting_form=form)
    return render(request, "matchmaking/introductions/detail.html", context)


@login_required
@require_POST
def introduction_nudge(request, pk: int):
    introduction = get_introduction_for_user(request, pk, action="nudge")
    try:
        count = services.introduction_nudge(introduction=introduction, user=request.user)
    except IntroductionError as error:
        return _refused(request, introduction, error)
    messages.success(request, _("Follow-up sent to %(count)d people.") % {"count": count})
    return redirect(next_path(request, default=introduction.get_absolute_url()))


@login_required
@require_POST
def match_feedback(request, match_pk: int):
    """Rate a match for the user's side of it: the company, or the target's owner."""
    matches = Match.objects.live().with_related()
    if not is_network_admin(request.user):
        organisations = involved_organisations(request.user)
        matches = matches.filter(
            Q(source__in=organisations)
            | Q(need__owner__in=organisations)
            | Q(test_site__owner__in=organisations)
            | Q(knowledge_offer__owner__in=organisations)
        )
    match = matches.filter(pk=match_pk).first()
    if match is None:
        from django.http import Http404

        raise Http404
    owner = services.target_owner(match)
    if belongs_to(request.user, match.source_id):
        organisation_id = match.source_id
    elif owner is not None and belongs_to(request.user, owner.pk):
        organisation_id = owner.pk
    else:
        raise PermissionDenied  # staff and admins follow, the parties rate
    back = next_path(request, default=reverse("matchmaking:my_matches"))
    form = MatchFeedbackForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["kind"] == FeedbackKind.NOT_RELEVANT:
                # A veto: hidden from this side's lists until undone (matchmaking.actions).
                actions.match_veto(
                    match=match,
                    user=request.user,
                    side=actions.COMPANY if organisation_id == match.source_id else actions.TARGET,
                    reason_code=form.cleaned_data["reason_code"],
                    reason=form.cleaned_data["reason"],
                )
            else:
                services.match_feedback_record(
                    match=match,
                    user=request.user,
                    organisation_id=organisation_id,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                )
        except IntroductionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you. Your matches will be updated with this."))
        return redirect(back)
    return render(
        request,
        "matchmaking/introductions/match_feedback.html",
        {"match": match, "form": form, "next": back},
    )


@login_required
@require_GET
def cluster_introductions(request, slug: str):
    """Staff: introductions involving the cluster's members, by status, with their age."""
    cluster = get_cluster_for_user(request, slug)
    form, status = _status_filter(request)
    involving = Introduction.objects.involving_members_of(cluster)
    counts = dict(involving.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    rows = involving.with_related().order_by("requested_at", "pk")
    if status:
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matchmaking/introductions/cluster.html",
        {
            "cluster": cluster,
            "form": form,
            "status": status,
            "page": page,
            "introductions": page.object_list,
            "counts": [
                (value, label, counts.get(value, 0)) for value, label in IntroductionStatus.choices
            ],
            "total": sum(counts.values()),
            "now": timezone.now(),
            "query_string": f"status={status}" if status else "",
        },
    )
