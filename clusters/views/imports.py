"""Importing a member list: upload, watch it being read, review every row, then confirm."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clusters import imports, services
from clusters.exports import csv_safe
from clusters.forms import ImportForm
from clusters.models import ImportBatch, ImportStatus, RowOutcome
from clusters.permissions import IMPORT, capabilities, get_cluster_for_user, get_import_for_user
from clusters.services.importing import MAX_UPLOAD_BYTES, commit_progress, previous_import
from network.body_limits import FORM_OVERHEAD, request_body_limit

OUTCOME_FILTERS = ["problems", *RowOutcome.values]


@request_body_limit(MAX_UPLOAD_BYTES + FORM_OVERHEAD)
@login_required
def import_upload(request, slug):
    cluster = get_cluster_for_user(request, slug, IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = services.import_batch_create(
            cluster=cluster, actor=request.user, uploaded_file=form.cleaned_data["file"]
        )
        return redirect(batch.get_absolute_url())
    batches = ImportBatch.objects.filter(cluster=cluster).select_related(
        "created_by", "committed_by"
    )[:20]
    return render(
        request,
        "clusters/import_upload.html",
        {
            "cluster": cluster,
            "form": form,
            "batches": batches,
            "can": capabilities(request.user, cluster),
        },
    )


@login_required
@require_GET
def import_template(request, slug):
    """An empty CSV with the columns the import understands."""
    get_cluster_for_user(request, slug, IMPORT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="members-template.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(imports.TEMPLATE_HEADERS)
    writer.writerow(
        [
            "29 40 36 78",
            "Eksempel ApS",
            "SMV",
            "Odense",
            "Jens Hansen",
            "jens@example.dk",
            "+45 12 34 56 78",
            "",
            "2025-01-01",
        ]
    )
    return response


@login_required
@require_GET
def import_detail(request, slug, pk):
    batch = get_import_for_user(request, slug, pk)
    show = request.GET.get("show", "")
    if show not in OUTCOME_FILTERS:
        show = "error" if batch.error_count else ""
    context = {
        "cluster": batch.cluster,
        "batch": batch,
        "show": show,
        "progress": commit_progress(batch) if batch.status == ImportStatus.COMMITTING else None,
        "can": capabilities(request.user, batch.cluster),
    }
    if batch.status in (ImportStatus.PREVIEW, ImportStatus.COMMITTED):
        page = Paginator(_row_queryset(batch, show), 100).get_page(request.GET.get("page"))
        for row in page:
            row.message_list = [
                {"level": m.get("level", "error"), "text": imports.message_text(m)}
                for m in row.messages
            ]
            row.change_list = [
                {
                    "field": imports.CHANGE_LABELS.get(c["field"], c["field"]),
                    "old": c["old"],
                    "new": c["new"],
                }
                for c in row.changes
            ]
        context["page"] = page
        context["query_string"] = f"show={show}" if show else ""
        context["previous"] = previous_import(batch)
        context["columns"] = [
            (name, imports.FIELD_LABELS[name])
            for name in imports.HEADER_ALIASES
            if any(name in row.raw for row in page)
        ]
    template = "clusters/import_detail.html"
    if request.htmx and batch.is_running:
        template += "#progress"
    elif request.htmx:
        # Done: tell htmx to load the whole page, which now shows the preview.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, template, context)


def _row_queryset(batch, show):
    rows = batch.rows.order_by("line")
    if show in RowOutcome.values:
        return rows.filter(outcome=show)
    return rows


@login_required
@require_POST
def import_commit(request, slug, pk):
    batch = get_import_for_user(request, slug, pk)
    if not batch.can_commit:
        if batch.error_count:
            messages.error(
                request,
                _("Nothing was imported: correct the rows with errors and upload the file again."),
            )
        elif batch.status == ImportStatus.PREVIEW:
            messages.info(request, _("Nothing to import: every row matches the member list."))
        return redirect(batch.get_absolute_url())
    services.import_batch_start_commit(batch=batch, actor=request.user)
    batch.refresh_from_db()
    if batch.status == ImportStatus.COMMITTED:
        messages.success(request, _("The member list was imported."))
    elif batch.status == ImportStatus.PREVIEW and batch.error:
        messages.error(request, batch.error)
    return redirect(batch.get_absolute_url())


@login_required
@require_POST
def import_discard(request, slug, pk):
    batch = get_import_for_user(request, slug, pk)
    if services.import_batch_discard(batch=batch):
        messages.success(request, _("The upload was discarded. Nothing was imported."))
    return redirect("clusters:import_upload", slug=batch.cluster.slug)


@login_required
@require_GET
def import_errors(request, slug, pk):
    """The rows with errors, with the reasons, to correct in the spreadsheet."""
    batch = get_import_for_user(request, slug, pk)
    fields = list(imports.HEADER_ALIASES)

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())

    def lines():
        yield "\ufeff" + writer.writerow(
            [_("Row"), *[str(imports.FIELD_LABELS[f]) for f in fields], _("Problems")]
        )
        rows = batch.rows.filter(outcome=RowOutcome.ERROR).order_by("line")
        for row in rows.iterator(chunk_size=1000):
            problems = " ".join(imports.message_text(m) for m in row.messages)
            yield writer.writerow(
                [row.line, *[csv_safe(row.raw.get(f, "")) for f in fields], problems]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-errors.csv"'
    return response
