"""The funding report page, each figure's rows, and the XLSX/CSV exports."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET, require_POST

from clusters.querysets import is_network_admin
from projects import exports, reports, services
from projects.forms import ReportForm
from projects.models import ReportExport
from projects.permissions import get_report_cluster, reporting_clusters, require_reporter

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _report_form(request):
    require_reporter(request)
    whole_network = is_network_admin(request.user)
    clusters = reporting_clusters(request.user)
    today = timezone.localdate()
    data = request.GET if "start" in request.GET else None
    initial = {"start": date(today.year, 1, 1), "end": today}
    if not whole_network:
        initial["cluster"] = clusters.first()
    return ReportForm(data, initial=initial, clusters=clusters, whole_network=whole_network)


def _scope_from(request):
    """The period and cluster of an export or drill-down, from the query string, checked."""
    form = _report_form(request)
    if not form.is_bound or not form.is_valid():
        raise Http404
    cluster = get_report_cluster(request, request.GET.get("cluster") or None)
    return form.cleaned_data["start"], form.cleaned_data["end"], cluster


@login_required
@require_GET
def report(request):
    form = _report_form(request)
    if request.GET.get("cluster"):
        get_report_cluster(request, request.GET["cluster"])  # another cluster's staff: 404
    context = {"form": form, "report_nav": True}
    if form.is_bound and form.is_valid():
        cluster = get_report_cluster(request, request.GET.get("cluster") or None)
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        context["report"] = reports.build_report(start=start, end=end, cluster=cluster)
        context["query"] = request.GET.urlencode()
        context["large"] = services.report_is_large(context["report"])
    return render(request, "projects/report.html", context)


@login_required
@require_GET
def report_figure(request, key):
    start, end, cluster = _scope_from(request)
    scope = reports.Scope(start=start, end=end, cluster=cluster)
    try:
        figure = reports.figure(key, scope, request.GET.get("currency") or None)
    except KeyError:
        raise Http404 from None
    group = request.GET.get("group") or None
    table = exports.RowTable(figure.rows_for(group), scope)
    page = Paginator(table.values, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    back = request.GET.copy()
    for name in ("page", "group"):
        back.pop(name, None)
    return render(
        request,
        "projects/report_figure.html",
        {
            "figure": figure,
            "group": next((g for g in figure.groups if g.value == group), None),
            "page": page,
            "rows": [table.row(values) for values in page],
            "header": table.header(),
            "query_string": query.urlencode(),
            "back_query": back.urlencode(),
            "scope": scope,
            "report_nav": True,
        },
    )


@login_required
@require_GET
def report_download(request, fmt):
    start, end, cluster = _scope_from(request)
    report = reports.build_report(start=start, end=end, cluster=cluster)
    if services.report_is_large(report):
        # Too big to write while the browser waits: the page offers the background export.
        return redirect(f"{redirect('projects:report').url}?{request.GET.urlencode()}")
    dialect = request.GET.get("dialect") or exports.STANDARD
    if dialect not in exports.CSV_DIALECTS:
        raise Http404
    name, content = services.report_render(
        start=start,
        end=end,
        cluster=cluster,
        fmt=fmt,
        language=translation.get_language(),
        report=report,
        user=request.user,
        dialect=dialect,
    )
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def report_export_create(request):
    require_reporter(request)
    whole_network = is_network_admin(request.user)
    form = ReportForm(
        request.POST, clusters=reporting_clusters(request.user), whole_network=whole_network
    )
    fmt = request.POST.get("format")
    # The Danish-Excel button sends its dialect in the form's action (?dialect=excel-da).
    dialect = request.POST.get("dialect") or request.GET.get("dialect") or exports.STANDARD
    if not form.is_valid() or fmt not in FORMATS or dialect not in exports.CSV_DIALECTS:
        raise Http404
    cluster = get_report_cluster(request, request.POST.get("cluster") or None)
    export = services.report_export_create(
        user=request.user,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        cluster=cluster,
        fmt=fmt,
        dialect=dialect,
        language=translation.get_language(),
    )
    return redirect(export)


def _own_export(request, pk) -> ReportExport:
    export = get_object_or_404(
        ReportExport.objects.filter(requested_by=request.user).select_related("cluster"), pk=pk
    )
    if not is_network_admin(request.user) and export.cluster is None:
        raise PermissionDenied
    return export


@login_required
@require_GET
def report_export_detail(request, pk):
    export = _own_export(request, pk)
    template = "projects/report_export.html"
    if request.htmx and not request.htmx.boosted:
        template += "#status"
    return render(
        request,
        template,
        {"export": export, "report_nav": True, "keep_days": services.report_keep_days()},
    )


@login_required
@require_GET
def report_export_file(request, pk):
    export = _own_export(request, pk)
    if export.status != "done" or not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type=FORMATS[export.format],
    )
