"""Network admins: the score's weights, full runs, their history and live progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matchmaking import services
from matchmaking.forms import MatchCriteriaForm
from matchmaking.models import MatchCriteria, MatchRun
from matchmaking.permissions import require_network_admin
from matchmaking.scoring import components as scoring
from matchmaking.templatetags.matchmaking_tags import component_labels

# htmx stops polling when a response has this status (and still swaps it in).
STOP_POLLING = 286


def scoring_rules() -> dict:
    """The hard filters and penalties of matchmaking.scoring.components, for the page."""
    opens = dict(scoring.OPENS_WITHIN)
    (soon_days, soon), (later_days, later) = sorted(opens.items())
    return {
        "one_out": round(float(scoring.READINESS_VALUES[1]), 2),
        "two_out": round(float(scoring.READINESS_VALUES[2]), 2),
        "filter_out": scoring.READINESS_FILTER,
        "unknown": scoring.READINESS_UNKNOWN,
        "urgent_days": scoring.URGENT_DAYS,
        "fully_booked": scoring.FULLY_BOOKED,
        "opens_soon_days": soon_days,
        "opens_soon": soon,
        "opens_later_days": later_days,
        "opens_later": later,
        "opens_latest": scoring.OPENS_LATER,
        "closing_days": scoring.CLOSING_SOON_DAYS,
        "closing": scoring.CLOSING_SOON,
    }


def _runs_page(request, form):
    runs = MatchRun.objects.select_related("requested_by").order_by("-created_at", "-pk")
    page = Paginator(runs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "matchmaking/run_list.html",
        {
            "form": form,
            "page": page,
            "query_string": "",
            "active_full": MatchRun.objects.full().active().first(),
            "labels": component_labels(),
            "rules": scoring_rules(),
        },
    )


@login_required
@require_GET
def run_list(request):
    require_network_admin(request.user)
    return _runs_page(request, MatchCriteriaForm(instance=MatchCriteria.current()))


@login_required
@require_POST
def criteria_save(request):
    require_network_admin(request.user)
    form = MatchCriteriaForm(request.POST, instance=MatchCriteria.current())
    if not form.is_valid():
        return _runs_page(request, form)
    services.match_criteria_save(criteria=form.instance, user=request.user)
    messages.success(request, _("The weights were saved. The next run uses them."))
    return redirect("matchmaking:run_list")


@login_required
@require_POST
def run_start(request):
    require_network_admin(request.user)
    already = MatchRun.objects.full().active().first()
    run = services.match_run_request(user=request.user)
    if already is not None and already.pk == run.pk:
        messages.info(request, _("A full run is already under way; here is its progress."))
    else:
        messages.success(request, _("A full run was started."))
    return redirect(run)


@login_required
@require_GET
def run_detail(request, pk):
    require_network_admin(request.user)
    run = get_object_or_404(MatchRun.objects.select_related("requested_by"), pk=pk)
    context = {"run": run, "labels": component_labels()}
    if request.htmx:
        return render(
            request,
            "matchmaking/run_detail.html#progress",
            context,
            status=200 if run.is_active else STOP_POLLING,
        )
    return render(request, "matchmaking/run_detail.html", context)
