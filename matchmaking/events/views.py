"""Event pages. Each view: fetch through matchmaking.events.permissions, validate a form, call
one service, redirect after POST or render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters.models import Cluster
from clusters.permissions import DECIDE, get_cluster_for_user
from matchmaking.events import forms, services
from matchmaking.events.filters import ParticipantFilter
from matchmaking.events.ical import agenda_calendar
from matchmaking.events.models import (
    Event,
    MeetingFeedback,
    MeetingRequest,
    RegistrationStatus,
    RequestStatus,
)
from matchmaking.events.permissions import (
    can_manage,
    get_event_for_user,
    get_participation,
    registrations_of,
)
from matchmaking.events.suggestions import suggested_partners
from network.models import FocusArea
from network.permissions import organisations_of

PAGE_SIZE = 20


def _page(request, rows) -> dict:
    """One page of `rows`, and the query string its links keep (the filters, not the page),
    for includes/pagination.html."""
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "query_string": query.urlencode()}


def _attempt(request, action, success: str) -> bool:
    """Call a service (`action`): its refusal becomes the page's error message, otherwise
    `success` is shown. True when it went through."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


# --- Public pages -----------------------------------------------------------------------------
def event_list(request):
    events = (
        Event.objects.visible_to(request.user)
        .select_related("cluster")
        .annotate(participants=Count("registrations", filter=Q(registrations__status="approved")))
        .order_by("-start_date", "pk")
    )
    managed = Cluster.objects.managed_by(request.user).order_by("name")
    template = "events/event_list.html"
    if request.htmx and not request.htmx.boosted:  # a page link: the list alone
        template += "#results"
    return render(request, template, {**_page(request, events), "clusters": managed})


def event_detail(request, pk):
    event = get_event_for_user(request, pk)
    own = list(registrations_of(request.user, event))
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "own": own,
            "approved": any(r.status == RegistrationStatus.APPROVED for r in own),
            "can_manage": can_manage(request.user, event),
            "open": event.registration_open(),
            "slots": event.slots.all(),
        },
    )


# --- Staff ------------------------------------------------------------------------------------
@login_required
def event_create(request, slug):
    cluster = get_cluster_for_user(request, slug, DECIDE)
    form = forms.EventForm(request.POST or None, instance=Event(cluster=cluster))
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_save(event=form.instance, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event was created. Now add its slots and tables."))
            return redirect("events:manage", event.pk)
    return render(request, "events/event_form.html", {"form": form, "cluster": cluster})


@login_required
def event_edit(request, pk):
    event = get_event_for_user(request, pk, manage=True)
    form = forms.EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_save(event=form.instance, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("events:manage", event.pk)
    return render(
        request, "events/event_form.html", {"form": form, "cluster": event.cluster, "event": event}
    )


@login_required
def event_manage(request, pk):
    event = get_event_for_user(request, pk, manage=True)
    registrations = event.registrations.select_related("organisation", "user").with_request_counts()
    return render(
        request,
        "events/event_manage.html",
        {
            "event": event,
            "slots": event.slots.all(),
            "tables": event.tables.all(),
            "registrations": registrations,
            "invitations": event.invitations.select_related("organisation"),
            "slot_form": forms.SlotForm(initial={"day": event.start_date}),
            "generate_form": forms.SlotsGenerateForm(initial={"day": event.start_date}),
            "tables_form": forms.TablesForm(),
            "invitation_form": forms.InvitationForm(),
            "figures": services.event_figures(Event.objects.filter(pk=event.pk)),
        },
    )


def _staff_post(request, pk, form_class, action, success):
    event = get_event_for_user(request, pk, manage=True)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(f"{e}" for errors in form.errors.values() for e in errors))
        return redirect("events:manage", event.pk)
    _attempt(request, lambda: action(event, form), success)
    return redirect("events:manage", event.pk)


@login_required
@require_POST
def slot_add(request, pk):
    def add(event, form):
        starts_at, ends_at = form.times()
        services.slot_add(event=event, starts_at=starts_at, ends_at=ends_at)

    return _staff_post(request, pk, forms.SlotForm, add, _("The slot was added."))


@login_required
@require_POST
def slots_generate(request, pk):
    def generate(event, form):
        services.slots_generate(event=event, **form.series())

    return _staff_post(request, pk, forms.SlotsGenerateForm, generate, _("The slots were added."))


@login_required
@require_POST
def slot_delete(request, pk, slot_pk):
    event = get_event_for_user(request, pk, manage=True)
    slot = get_object_or_404(event.slots, pk=slot_pk)
    _attempt(request, lambda: services.slot_delete(slot=slot), _("The slot was removed."))
    return redirect("events:manage", event.pk)


@login_required
@require_POST
def tables_set(request, pk):
    def set_tables(event, form):
        services.tables_set(
            event=event, count=form.cleaned_data["count"], online=form.cleaned_data["online"]
        )

    return _staff_post(request, pk, forms.TablesForm, set_tables, _("The tables were saved."))


@login_required
@require_POST
def invitation_add(request, pk):
    def invite(event, form):
        services.invitation_add(event=event, organisation=form.cleaned_data["organisation"])

    return _staff_post(request, pk, forms.InvitationForm, invite, _("The organisation is invited."))


@login_required
@require_POST
def registration_decide(request, pk, registration_pk):
    event = get_event_for_user(request, pk, manage=True)
    registration = get_object_or_404(event.registrations, pk=registration_pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose approve or reject."))
        return redirect("events:manage", event.pk)
    _attempt(
        request,
        lambda: services.registration_decide(
            registration=registration, approve=decision == "approve"
        ),
        _("The registration was decided."),
    )
    return redirect("events:manage", event.pk)


@login_required
def event_schedule(request, pk):
    event = get_event_for_user(request, pk, manage=True)
    slots = list(event.slots.all())
    tables = list(event.tables.all())
    meetings = list(
        MeetingRequest.objects.filter(event=event, status=RequestStatus.ACCEPTED).select_related(
            "requester__organisation", "recipient__organisation", "slot", "table"
        )
    )
    grid = {(m.slot_id, m.table_id): m for m in meetings if m.slot_id}
    rows = [(slot, [(table, grid.get((slot.pk, table.pk))) for table in tables]) for slot in slots]
    return render(
        request,
        "events/event_schedule.html",
        {
            "event": event,
            "rows": rows,
            "tables": tables,
            "slots": slots,
            "unplaced": [m for m in meetings if not m.slot_id],
            "problems": services.schedule_problems(event),
        },
    )


@login_required
@require_POST
def schedule_run(request, pk):
    event = get_event_for_user(request, pk, manage=True)
    from matchmaking.events.tasks import schedule_event

    schedule_event.delay_on_commit(event.pk)
    messages.success(request, _("The schedule is being made; this page shows it when it is ready."))
    return redirect("events:schedule", event.pk)


@login_required
def meeting_move(request, pk, meeting_pk):
    """GET: where the meeting could go (free places marked); POST: put it there."""
    event = get_event_for_user(request, pk, manage=True)
    meeting = get_object_or_404(
        MeetingRequest.objects.filter(event=event).select_related(
            "requester__organisation", "recipient__organisation", "slot", "table"
        ),
        pk=meeting_pk,
    )
    if request.method != "POST":
        unsuitable = set.union(*services.slots_not_suiting(meeting))
        slots = [(slot, slot.pk not in unsuitable) for slot in event.slots.all()]
        return render(
            request,
            "events/meeting_move.html",
            {"event": event, "meeting": meeting, "slots": slots, "tables": event.tables.all()},
        )
    _attempt(
        request,
        lambda: services.meeting_move(
            meeting=meeting,
            slot_id=request.POST.get("slot", ""),
            table_id=request.POST.get("table", ""),
        ),
        _("The meeting was moved."),
    )
    return redirect("events:schedule", event.pk)


# --- Participants -----------------------------------------------------------------------------
@login_required
def register(request, pk):
    event = get_event_for_user(request, pk)
    organisations = (
        organisations_of(request.user).exclude(event_registrations__event=event).order_by("name")
    )
    form = forms.RegistrationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                event=event,
                organisation=form.cleaned_data["organisation"],
                user=request.user,
                offer=form.cleaned_data["offer"],
                looking_for=form.cleaned_data["looking_for"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if registration.status == RegistrationStatus.APPROVED:
                messages.success(request, _("You are registered."))
            else:
                messages.success(request, _("You are registered; the organisers will approve it."))
            return redirect("events:detail", event.pk)
    return render(
        request,
        "events/register.html",
        {"event": event, "form": form, "open": event.registration_open()},
    )


@login_required
def marketplace(request, pk):
    event, registration = get_participation(request, pk)
    participants = (
        event.registrations.approved()
        .exclude(pk=registration.pk)
        .select_related("organisation", "organisation__region")
        .prefetch_related(
            Prefetch(
                "organisation__focus_areas", queryset=FocusArea.objects.order_by("position", "pk")
            )
        )
    )
    filterset = ParticipantFilter(request.GET or None, queryset=participants)
    asked = set()
    for a, b in MeetingRequest.objects.filter(
        Q(requester=registration) | Q(recipient=registration)
    ).values_list("requester_id", "recipient_id"):
        asked.update((a, b))
    partial = request.htmx and not request.htmx.boosted
    suggestions = [] if partial else suggested_partners(registration, list(participants))
    return render(
        request,
        "events/marketplace.html#results" if partial else "events/marketplace.html",
        {
            "event": event,
            "registration": registration,
            "filter": filterset,
            **_page(request, filterset.qs),
            "asked": asked,
            "suggestions": suggestions,
            "request_form": forms.RequestForm(),
        },
    )


@login_required
@require_POST
def request_create(request, pk):
    event, registration = get_participation(request, pk)
    form = forms.RequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a participant to meet."))
        return redirect("events:marketplace", event.pk)
    sent = _attempt(
        request,
        lambda: services.meeting_request_create(
            requester=registration,
            recipient_id=form.cleaned_data["recipient"],
            message=form.cleaned_data["message"],
        ),
        _("Your request was sent."),
    )
    return redirect("events:agenda" if sent else "events:marketplace", event.pk)


def _own_meeting(event, registration, meeting_pk):
    return get_object_or_404(
        MeetingRequest.objects.filter(event=event).filter(
            Q(requester=registration) | Q(recipient=registration)
        ),
        pk=meeting_pk,
    )


@login_required
@require_POST
def request_answer(request, pk, meeting_pk):
    event, registration = get_participation(request, pk)
    meeting = _own_meeting(event, registration, meeting_pk)
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
        return redirect("events:agenda", event.pk)
    _attempt(
        request,
        lambda: services.meeting_request_answer(
            meeting=meeting,
            registration=registration,
            accept=form.cleaned_data["answer"] == "accept",
            reason=form.cleaned_data["reason"],
        ),
        _("Your answer was saved."),
    )
    return redirect("events:agenda", event.pk)


@login_required
def availability(request, pk):
    event, registration = get_participation(request, pk)
    slots = list(event.slots.all())
    initial = {
        "unavailable": [str(s) for s in registration.unavailable_slots.values_list("pk", flat=True)]
    }
    form = forms.AvailabilityForm(request.POST or None, slots=slots, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.availability_set(
                registration=registration, unavailable_slot_ids=form.cleaned_data["unavailable"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your availability was saved."))
            return redirect("events:agenda", event.pk)
    return render(request, "events/availability.html", {"event": event, "form": form})


def _agenda_context(event, registration):
    meetings = services.agenda_of(registration)
    requests = (
        MeetingRequest.objects.filter(Q(requester=registration) | Q(recipient=registration))
        .exclude(status=RequestStatus.ACCEPTED)
        .select_related("requester__organisation", "recipient__organisation")
        .order_by("-created_at", "pk")
    )
    feedback = {
        f.meeting_id: f
        for f in MeetingFeedback.objects.filter(registration=registration, meeting__in=meetings)
    }
    for meeting in meetings:
        meeting.partner = meeting.other_side(registration.pk)
        meeting.my_feedback = feedback.get(meeting.pk)
    for item in requests:
        item.partner = item.other_side(registration.pk)
        item.incoming = item.recipient_id == registration.pk
    return {
        "event": event,
        "registration": registration,
        "meetings": meetings,
        "requests": requests,
        "feedback_open": event.feedback_open(),
        "answer_form": forms.AnswerForm(),
        "feedback_form": forms.FeedbackForm(),
    }


@login_required
def agenda(request, pk):
    event, registration = get_participation(request, pk)
    return render(request, "events/agenda.html", _agenda_context(event, registration))


@login_required
def agenda_print(request, pk):
    event, registration = get_participation(request, pk)
    return render(request, "events/agenda_print.html", _agenda_context(event, registration))


@login_required
def agenda_ics(request, pk):
    event, registration = get_participation(request, pk)
    body = agenda_calendar(
        event,
        registration,
        services.agenda_of(registration),
        agenda_path=reverse("events:agenda", args=[event.pk]),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-agenda.ics"'
    return response


@login_required
@require_POST
def feedback_give(request, pk, meeting_pk):
    event, registration = get_participation(request, pk)
    meeting = _own_meeting(event, registration, meeting_pk)
    form = forms.FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether the meeting took place."))
        return redirect("events:agenda", event.pk)
    _attempt(
        request,
        lambda: services.meeting_feedback_give(
            meeting=meeting, registration=registration, user=request.user, **form.cleaned_data
        ),
        _("Thank you for your feedback."),
    )
    return redirect("events:agenda", event.pk)
