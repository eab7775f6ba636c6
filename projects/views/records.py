"""Pages to record projects, partners, activities, participants, contributions and budgets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clusters.models import Cluster
from clusters.permissions import CONFIGURE, has_capability
from matchmaking.models_introductions import AGREED_STATUSES, Introduction
from network.body_limits import FORM_OVERHEAD, request_body_limit
from network.models import Organisation
from projects import services
from projects.filters import ActivityFilter, ProjectFilter
from projects.forms import (
    ActivityForm,
    BudgetForm,
    ContributionForm,
    ParticipantForm,
    PartnerForm,
    ProjectForm,
)
from projects.models import (
    Activity,
    ActivityParticipant,
    Budget,
    Contribution,
    Project,
    ProjectPartner,
)
from projects.permissions import (
    can_edit_activity,
    can_edit_project,
    get_activity_for_user,
    get_budget_cluster_for_user,
    get_budget_for_user,
    get_project_for_user,
)
from projects.querysets import IN_KIND_VALUE

PAGE_SIZE = 25


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _render_list(request, template, context):
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


# --- Projects ----------------------------------------------------------------------------------
@login_required
@require_GET
def project_list(request):
    visible = Project.objects.visible_to(request.user)
    project_filter = ProjectFilter(request.GET or None, queryset=visible.for_list())
    project_filter.form.fields["cluster"].queryset = Cluster.objects.filter(
        pk__in=visible.values("lead_cluster_id")
    )
    page, query_string = _page(request, project_filter.qs.order_by("-start", "title", "pk"))
    return _render_list(
        request,
        "projects/project_list.html",
        {
            "filter": project_filter,
            "page": page,
            "query_string": query_string,
            "can_create": Cluster.objects.managed_by(request.user).exists(),
        },
    )


@login_required
def project_create(request):
    clusters = Cluster.objects.managed_by(request.user)
    if not clusters.exists():
        raise PermissionDenied
    introduction = None
    if request.GET.get("introduction") or request.POST.get("introduction"):
        introduction = get_object_or_404(
            Introduction.objects.visible_to(request.user)
            .filter(status__in=AGREED_STATUSES)
            .select_related("source", "target_organisation"),
            pk=request.GET.get("introduction") or request.POST.get("introduction"),
        )
    initial = {}
    if introduction:
        initial["title"] = _("%(company)s and %(partner)s") % {
            "company": introduction.source.name,
            "partner": introduction.target_organisation.name,
        }
        initial["description"] = introduction.message
    form = ProjectForm(request.POST or None, initial=initial, clusters=clusters)
    if request.method == "POST" and form.is_valid():
        project = form.instance
        project.origin_introduction = introduction
        try:
            services.project_save(
                project=project, focus_areas=form.cleaned_data["focus_areas"], user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The project was created."))
            return redirect(project)
    return render(
        request, "projects/project_form.html", {"form": form, "introduction": introduction}
    )


@login_required
def project_edit(request, pk):
    project = get_project_for_user(request, pk, edit=True)
    form = ProjectForm(
        request.POST or None, instance=project, clusters=Cluster.objects.managed_by(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.project_save(
                project=form.instance, focus_areas=form.cleaned_data["focus_areas"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The project was saved."))
            return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@login_required
@require_GET
def project_detail(request, pk):
    project = get_project_for_user(request, pk)
    can_edit = can_edit_project(request.user, project)
    partners = project.partners.select_related("organisation")
    contributions = project.contributions.select_related("organisation").annotate(
        in_kind=IN_KIND_VALUE
    )
    context = {
        "project": project,
        "partners": partners,
        "contributions": contributions,
        "activities": project.activities.all(),
        "can_edit": can_edit,
    }
    if can_edit:
        context["partner_form"] = PartnerForm()
        context["contribution_form"] = ContributionForm(
            organisations=Organisation.objects.filter(project_partnerships__project=project)
        )
    return render(request, "projects/project_detail.html", context)


@login_required
@require_POST
def partner_add(request, pk):
    project = get_project_for_user(request, pk, edit=True)
    form = PartnerForm(request.POST, instance=ProjectPartner(project=project))
    if form.is_valid():
        try:
            services.project_partner_save(partner=form.instance)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The partner was added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(project)


@login_required
@require_POST
def partner_remove(request, pk, partner_pk):
    project = get_project_for_user(request, pk, edit=True)
    partner = get_object_or_404(ProjectPartner, pk=partner_pk, project=project)
    try:
        services.project_partner_remove(partner=partner)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The partner was removed."))
    return redirect(project)


def _contribution_form_page(request, *, owner, organisations, contribution=None):
    instance = contribution or Contribution(**owner)
    form = ContributionForm(request.POST or None, instance=instance, organisations=organisations)
    target = instance.project or instance.activity
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_save(contribution=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contribution was saved."))
            return redirect(target)
    return render(
        request,
        "projects/contribution_form.html",
        {"form": form, "target": target, "contribution": contribution},
    )


@login_required
def project_contribution(request, pk, contribution_pk=None):
    project = get_project_for_user(request, pk, edit=True)
    contribution = (
        get_object_or_404(Contribution, pk=contribution_pk, project=project)
        if contribution_pk
        else None
    )
    return _contribution_form_page(
        request,
        owner={"project": project},
        organisations=Organisation.objects.filter(project_partnerships__project=project),
        contribution=contribution,
    )


@login_required
@require_POST
def contribution_delete(request, pk):
    contribution = get_object_or_404(
        Contribution.objects.managed_by(request.user).select_related("project", "activity"), pk=pk
    )
    target = contribution.project or contribution.activity
    contribution.delete()
    messages.success(request, _("The contribution was deleted."))
    return redirect(target)


# --- Activities --------------------------------------------------------------------------------
@login_required
@require_GET
def activity_list(request):
    visible = Activity.objects.visible_to(request.user)
    activity_filter = ActivityFilter(
        request.GET or None, queryset=visible.select_related("cluster").with_counts()
    )
    activity_filter.form.fields["cluster"].queryset = Cluster.objects.filter(
        pk__in=visible.values("cluster_id")
    )
    page, query_string = _page(request, activity_filter.qs.order_by("-date", "title", "pk"))
    return _render_list(
        request,
        "projects/activity_list.html",
        {
            "filter": activity_filter,
            "page": page,
            "query_string": query_string,
            "can_create": Cluster.objects.managed_by(request.user).exists(),
        },
    )


def _activity_form_page(request, activity=None):
    clusters = Cluster.objects.managed_by(request.user)
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        clusters=clusters,
        projects=Project.objects.managed_by(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(activity=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect(form.instance)
    return render(request, "projects/activity_form.html", {"form": form, "activity": activity})


@login_required
def activity_create(request):
    if not Cluster.objects.managed_by(request.user).exists():
        raise PermissionDenied
    return _activity_form_page(request)


@login_required
def activity_edit(request, pk):
    return _activity_form_page(request, get_activity_for_user(request, pk, edit=True))


@login_required
@require_GET
def activity_detail(request, pk):
    activity = get_activity_for_user(request, pk)
    can_edit = can_edit_activity(request.user, activity)
    context = {
        "activity": activity,
        "participants": activity.participants.select_related("organisation"),
        "contributions": activity.contributions.select_related("organisation").annotate(
            in_kind=IN_KIND_VALUE
        ),
        "can_edit": can_edit,
        "import_enabled": True,
    }
    if can_edit:
        context["participant_form"] = ParticipantForm()
    return render(request, "projects/activity_detail.html", context)


@login_required
@require_POST
def participant_add(request, pk):
    activity = get_activity_for_user(request, pk, edit=True)
    form = ParticipantForm(request.POST, instance=ActivityParticipant(activity=activity))
    if form.is_valid():
        try:
            services.activity_participant_save(participant=form.instance)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The participant was added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(activity)


@login_required
@require_POST
def participant_remove(request, pk, participant_pk):
    activity = get_activity_for_user(request, pk, edit=True)
    get_object_or_404(ActivityParticipant, pk=participant_pk, activity=activity).delete()
    messages.success(request, _("The participant was removed."))
    return redirect(activity)


@login_required
def activity_contribution(request, pk, contribution_pk=None):
    activity = get_activity_for_user(request, pk, edit=True)
    contribution = (
        get_object_or_404(Contribution, pk=contribution_pk, activity=activity)
        if contribution_pk
        else None
    )
    return _contribution_form_page(
        request,
        owner={"activity": activity},
        organisations=Organisation.objects.order_by("name"),
        contribution=contribution,
    )


# --- Budgets -----------------------------------------------------------------------------------
@login_required
@require_GET
def budget_list(request, slug):
    cluster = get_budget_cluster_for_user(request, slug)
    return render(
        request,
        "projects/budget_list.html",
        {
            "cluster": cluster,
            "budgets": Budget.objects.filter(cluster=cluster),
            "can_edit": has_capability(request.user, cluster, CONFIGURE),
        },
    )


@login_required
def budget_edit(request, slug, pk=None):
    if pk:
        budget = get_budget_for_user(request, slug, pk)
        cluster = budget.cluster
    else:
        cluster = get_budget_cluster_for_user(request, slug, edit=True)
        budget = Budget(cluster=cluster)
    form = BudgetForm(request.POST or None, instance=budget)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_save(budget=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The budget was saved."))
            return redirect("projects:budget_list", slug=cluster.slug)
    return render(
        request, "projects/budget_form.html", {"form": form, "cluster": cluster, "budget": budget}
    )


# --- Participants from a CSV file --------------------------------------------------------------
IMPORT_SALT = "projects.participant-import"
# A participant file has at most 2,000 short rows (projects.imports.MAX_ROWS).
PARTICIPANT_FILE_MAX_BYTES = 2 * 1024 * 1024


@request_body_limit(PARTICIPANT_FILE_MAX_BYTES + FORM_OVERHEAD)
@login_required
def participant_import(request, pk):
    """Upload -> preview with every row's errors -> confirm. The checked rows travel signed in
    the confirm form, so no state is kept between the two requests."""
    from django.core import signing

    from projects.forms import ParticipantImportForm
    from projects.imports import parse

    activity = get_activity_for_user(request, pk, edit=True)
    context = {"activity": activity}
    if request.method == "POST" and "payload" in request.POST:
        try:
            rows = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=3600)
        except signing.BadSignature:
            messages.error(request, _("The preview is too old; please upload the file again."))
            return redirect("projects:participant_import", pk=activity.pk)
        if rows.get("activity") != activity.pk:
            raise PermissionDenied
        written = services.activity_participants_import(activity=activity, rows=rows["rows"])
        messages.success(request, _("%(count)s participants were imported.") % {"count": written})
        return redirect(activity)
    form = ParticipantImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        rows, file_errors = parse(form.cleaned_data["file"].read())
        for error in file_errors:
            form.add_error("file", error)
        if not file_errors:
            context["rows"] = rows
            context["error_count"] = sum(1 for row in rows if row.errors)
            if rows and not context["error_count"]:
                context["payload"] = signing.dumps(
                    {"activity": activity.pk, "rows": [row.data for row in rows]},
                    salt=IMPORT_SALT,
                )
    context["form"] = form
    return render(request, "projects/participant_import.html", context)
