"""Pages of test bookings. Each view fetches through permissions.py, validates a form, calls a
service and redirects, or renders; BookingError messages are shown as they are."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from matchmaking.bookings import calendar, services
from matchmaking.bookings.feeds import calendar_bytes
from matchmaking.bookings.forms import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_MAX_FILES,
    BookingRequestForm,
    CancelForm,
    DeclineForm,
    EvaluationForm,
    ProposeForm,
    SummaryForm,
)
from matchmaking.bookings.models import (
    Booking,
    BookingStatus,
    CalendarFeed,
    Evaluation,
    EvaluationAnswer,
    Side,
)
from matchmaking.bookings.permissions import (
    get_attachment_for_user,
    get_booking_for_user,
    get_own_organisation,
    get_site_for_user,
    sides_of,
)
from matchmaking.bookings.querysets import organisation_ids_of
from matchmaking.bookings.services import BookingError
from matchmaking.permissions import sme_organisations
from network.body_limits import FORM_OVERHEAD, request_body_limit
from network.models import Organisation


def _error(request, exc: BookingError, form=None):
    if form is not None:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    else:
        messages.error(request, str(exc.message))


@login_required
def booking_list(request):
    """The bookings of every organisation the user belongs to, as company and as site."""
    own = list(
        Organisation.objects.filter(affiliations__person__user=request.user)
        .distinct()
        .order_by("name")
    )
    bookings = Booking.objects.visible_to(request.user).select_related(
        "site", "site__owner", "organisation"
    )
    status = request.GET.get("status", "")
    if status in BookingStatus.values:
        bookings = bookings.filter(status=status)
    page = Paginator(bookings.order_by("-start", "-pk"), 50).get_page(request.GET.get("page"))
    feeds = {f.organisation_id: f for f in CalendarFeed.objects.filter(organisation__in=own)}
    return render(
        request,
        "bookings/booking_list.html",
        {
            "page": page,
            "organisations": [(o, feeds.get(o.pk)) for o in own],
            "status": status,
            "statuses": BookingStatus.choices,
            "query_string": f"status={status}" if status else "",
        },
    )


@login_required
def booking_request(request, site_pk):
    site = get_site_for_user(request, site_pk)
    organisations = sme_organisations(request.user).exclude(pk=site.owner_id)
    if not organisations.exists():
        raise PermissionDenied
    form = BookingRequestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: v for k, v in data.items() if k != "organisation"}
        try:
            booking = services.booking_request(
                site=site, organisation=data["organisation"], user=request.user, **fields
            )
        except BookingError as exc:
            _error(request, exc, form)
        else:
            messages.success(request, _("Your request was sent to the test site."))
            return redirect(booking)
    return render(request, "bookings/booking_request.html", {"form": form, "site": site})


@login_required
def booking_detail(request, pk):
    booking = get_booking_for_user(request, pk)
    sides = sides_of(request.user, booking)
    today = timezone.localdate()
    evaluations = list(
        Evaluation.objects.filter(booking=booking).prefetch_related(
            Prefetch("answers", queryset=EvaluationAnswer.objects.order_by("pk")), "attachments"
        )
    )
    return render(
        request,
        "bookings/booking_detail.html",
        {
            "booking": booking,
            "is_site": Side.SITE in sides,
            "is_company": Side.COMPANY in sides,
            # Its deadline has come, though the hourly run has not marked it expired yet.
            "lapsed": booking.deadline_passed(timezone.now()),
            "evaluations": evaluations,
            "evaluation_open": booking.has_ended(today),
            "may_cancel": booking.may_be_cancelled(today),
            "propose_form": ProposeForm(
                initial={"start": booking.start, "end": booking.end}, auto_id="propose_%s"
            ),
            "decline_form": DeclineForm(auto_id="decline_%s"),
            "cancel_form": CancelForm(auto_id="cancel_%s"),
            "summary_form": SummaryForm(initial={"summary": booking.summary}),
        },
    )


def _booking_action(service, done, *, form_class=None, side=None, rename=None):
    """A POST view for one service: the booking as the user may see it (404), the side the
    action is for (403), the form, then `service(booking=, user=, **form data)` (form fields
    named as its arguments, or as `rename` says); its BookingError or `done` as a message, and
    back to the booking."""

    @login_required
    @require_POST
    def view(request, pk):
        booking = get_booking_for_user(request, pk, side=side)
        data = {}
        if form_class is not None:
            form = form_class(request.POST)
            if not form.is_valid():
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
                return redirect(booking)
            data = {(rename or {}).get(k, k): v for k, v in form.cleaned_data.items()}
        try:
            service(booking=booking, user=request.user, **data)
        except BookingError as exc:
            _error(request, exc)
        else:
            messages.success(request, done)
        return redirect(booking)

    view.__name__ = view.__qualname__ = service.__name__
    return view


booking_accept = _booking_action(
    services.booking_accept,
    gettext_lazy("The booking is accepted and in the site's calendar."),
    side=Side.SITE,
)
booking_propose = _booking_action(
    services.booking_propose,
    gettext_lazy("The company was sent the dates you propose."),
    form_class=ProposeForm,
    side=Side.SITE,
)
booking_decline = _booking_action(
    services.booking_decline,
    gettext_lazy("The request is declined; the company was told why."),
    form_class=DeclineForm,
    side=Side.SITE,
    rename={"answer": "reason"},
)
booking_accept_proposal = _booking_action(
    services.booking_accept_proposal,
    gettext_lazy("You accepted the proposed dates; the test is booked."),
    side=Side.COMPANY,
)
booking_cancel = _booking_action(
    services.booking_cancel, gettext_lazy("The booking is cancelled."), form_class=CancelForm
)
summary_publish = _booking_action(
    services.summary_publish,
    gettext_lazy("The summary is published on your company's list of tests."),
    form_class=SummaryForm,
    side=Side.COMPANY,
)
summary_unpublish = _booking_action(
    services.summary_unpublish,
    gettext_lazy("The summary is no longer published."),
    side=Side.COMPANY,
)


# --- Evaluation -----------------------------------------------------------------------------------
@request_body_limit(ATTACHMENT_MAX_FILES * ATTACHMENT_MAX_BYTES + FORM_OVERHEAD)
@login_required
def evaluation_edit(request, pk, side):
    if side not in Side.values:
        raise Http404
    booking = get_booking_for_user(request, pk, side=side)
    if not services.evaluation_open(booking):
        messages.error(request, _("A test is evaluated once it has ended."))
        return redirect(booking)
    evaluation = (
        Evaluation.objects.filter(booking=booking, side=side)
        .prefetch_related("answers", "attachments")
        .first()
    )
    form = EvaluationForm(request.POST or None, request.FILES or None, evaluation=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_save(
                booking=booking,
                side=side,
                user=request.user,
                answers=form.answers(),
                files=form.cleaned_data["files"],
                submit="submit" in request.POST,
            )
        except BookingError as exc:
            _error(request, exc, form)
        else:
            messages.success(request, _("Your evaluation is saved."))
            return redirect(booking)
    return render(
        request,
        "bookings/evaluation_form.html",
        {
            "booking": booking,
            "form": form,
            "side": side,
            "side_label": Side(side).label,
            "evaluation": evaluation,
        },
    )


@login_required
def attachment_download(request, pk, attachment_pk):
    attachment = get_attachment_for_user(request, pk, attachment_pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    attachment = get_attachment_for_user(request, pk, attachment_pk)
    try:
        services.attachment_delete(attachment=attachment, user=request.user)
    except BookingError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The file was removed."))
    return redirect("bookings:evaluation", pk=pk, side=attachment.evaluation.side)


def organisation_tests(request, slug):
    """The tests a company has published summaries of: public as its profile is."""
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), slug=slug)
    bookings = (
        Booking.objects.filter(organisation=organisation, summary_published_at__isnull=False)
        .select_related("site", "site__owner")
        .order_by("-end")
    )
    return render(
        request,
        "bookings/organisation_tests.html",
        {"organisation": organisation, "bookings": bookings},
    )


# --- Calendar ------------------------------------------------------------------------------------
def site_calendar(request, site_pk):
    """A site's capacity, month by month (or a year at a time). Everyone who may see the site
    sees how full each day is; only the site's people see who books, a company its own."""
    site = get_site_for_user(request, site_pk)
    today = timezone.localdate()
    first = calendar.parse_month(request.GET.get("month"), today)
    year = request.GET.get("view") == "year"
    count = 12 if year else 1
    last = calendar.month_end(calendar.add_months(first, count - 1))
    grid_first, grid_last = first - timedelta(days=6), last + timedelta(days=6)
    bookings = list(
        Booking.objects.live()
        .filter(site=site)
        .overlapping(grid_first, grid_last)
        .select_related("organisation")
        .only("pk", "start", "end", "status", "organisation__name", "organisation_id")
    )
    own_ids = set(organisation_ids_of(request.user).values_list("organisation_id", flat=True))
    is_site = site.owner_id in own_ids
    listed = None if is_site else {b.pk for b in bookings if b.organisation_id in own_ids}
    months = [
        calendar.month_grid(
            calendar.add_months(first, n),
            capacity=site.capacity,
            bookings=bookings,
            listed=listed,
            opens=site.available_from,
            closes=site.available_until,
        )
        for n in range(count)
    ]
    feed = CalendarFeed.objects.filter(site=site).first() if is_site else None
    context = {
        "site": site,
        "months": months,
        "year": year,
        "first": first,
        "previous": calendar.add_months(first, -count).strftime("%Y-%m"),
        "next": calendar.add_months(first, count).strftime("%Y-%m"),
        "is_site": is_site,
        "feed": feed,
        "may_request": bool(own_ids) and not is_site,
    }
    template = "bookings/site_calendar.html"
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        template += "#calendar"
    return render(request, template, context)


# --- Feeds ----------------------------------------------------------------------------------------
FEED_DAYS_BACK = 365


def feed(request, token):
    """A calendar at its private address: whoever has the address reads it, nobody else."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("site", "organisation"), token=token
    )
    since = timezone.localdate() - timedelta(days=FEED_DAYS_BACK)
    bookings = Booking.objects.live().filter(end__gte=since)
    if feed.site_id:
        bookings, name = bookings.filter(site_id=feed.site_id), feed.site.name
    else:
        bookings, name = bookings.involving([feed.organisation_id]), feed.organisation.name
    body = calendar_bytes(name, bookings.select_related("site", "organisation").order_by("start"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def site_feed_regenerate(request, site_pk):
    site = get_site_for_user(request, site_pk, own=True)
    try:
        services.feed_token_regenerate(user=request.user, site=site)
    except BookingError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    messages.success(request, _("The calendar has a new address; the old one no longer works."))
    return redirect("bookings:site_calendar", site_pk=site.pk)


@login_required
@require_POST
def organisation_feed_regenerate(request, slug):
    organisation = get_own_organisation(request, slug)
    try:
        services.feed_token_regenerate(user=request.user, organisation=organisation)
    except BookingError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    messages.success(request, _("The calendar has a new address; the old one no longer works."))
    return redirect("bookings:list")
