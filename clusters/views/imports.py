"""Importing a member list: upload, watch it being read, review every row (correcting the ones
with errors, if staff like), then confirm."""

from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clusters import import_files, imports, services
from clusters.forms import ImportForm, ImportRowForm
from clusters.models import ImportBatch, ImportStatus, RowOutcome
from clusters.permissions import IMPORT, capabilities, get_cluster_for_user, get_import_for_user
from clusters.services import import_corrections
from clusters.services.import_corrections import columns_of
from clusters.services.import_mappings import choices_for, unknown_values
from clusters.services.importing import MAX_UPLOAD_BYTES, commit_progress, previous_import
from network import spreadsheets
from network.body_limits import FORM_OVERHEAD, request_body_limit
from network.confirm import confirm_page, is_confirmed

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
    """The columns the import understands, with one example row: CSV in the user's dialect,
    or XLSX. Uploaded unchanged, it imports."""
    get_cluster_for_user(request, slug, IMPORT)
    if request.GET.get("format") == import_files.XLSX:
        handle = import_files.write_xlsx(*_split(import_files.template_rows()), title=_("Members"))
        return _xlsx_response(handle, "members-template.xlsx")
    dialect = spreadsheets.dialect_from_request(request)
    response = HttpResponse(
        "".join(spreadsheets.csv_lines(import_files.template_rows(), dialect)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="members-template.csv"'
    return response


def _split(rows):
    rows = iter(rows)
    return next(rows), rows


def _xlsx_response(handle, filename):
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def import_detail(request, slug, pk):
    batch = get_import_for_user(request, slug, pk)
    show = request.GET.get("show", "")
    if show not in OUTCOME_FILTERS:
        show = ""  # every row, the ones with errors first
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
            _describe(batch, row)
        context["page"] = page
        context["query_string"] = f"show={show}" if show else ""
        context["previous"] = previous_import(batch)
        context["columns"] = [
            (name, imports.FIELD_LABELS[name])
            for name in imports.HEADER_ALIASES
            if any(name in row.raw for row in page)
        ]
        context.update(_summary(batch))
    template = "clusters/import_detail.html"
    if request.htmx and batch.is_running:
        template += "#progress"
    elif request.htmx:
        # Done: tell htmx to load the whole page, which now shows the preview.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, template, context)


def _describe(batch, row):
    """What the preview shows of a row: its messages and changes in words, and whether staff
    may correct it here."""
    row.message_list = [
        {"level": m.get("level", "error"), "text": imports.message_text(m)} for m in row.messages
    ]
    row.change_list = [
        {
            "field": imports.CHANGE_LABELS.get(c["field"], c["field"]),
            "old": c["old"],
            "new": c["new"],
        }
        for c in row.changes
    ]
    row.corrected = bool(row.data.get(import_corrections.CORRECTED))
    row.correctable = import_corrections.is_correctable(batch, row)
    return row


def _summary(batch):
    """The counts and the actions of a batch under review: values to map (when rows have
    errors)."""
    if batch.status == ImportStatus.PREVIEW and batch.error_count:
        unknown = unknown_values(batch)
        options = {field: choices_for(batch, field) for field in {u.field for u in unknown}}
        return {"unknown": [(value, options[value.field]) for value in unknown]}
    return {"unknown": []}


def _row_queryset(batch, show):
    if show in RowOutcome.values:
        return batch.rows.filter(outcome=show).order_by("line")
    errors_first = Case(
        When(outcome=RowOutcome.ERROR, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return batch.rows.order_by(errors_first, "line")


@login_required
@require_POST
def import_commit(request, slug, pk):
    batch = get_import_for_user(request, slug, pk)
    if batch.can_commit and batch.error_count and request.POST.get("skip_errors") != "1":
        messages.error(
            request,
            _(
                "Nothing was imported. Choose to import the rows without errors, or correct the "
                "file and upload it again."
            ),
        )
        return redirect(batch.get_absolute_url())
    if not batch.can_commit:
        if batch.status == ImportStatus.PREVIEW:
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
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=_("Discard this upload?"),
            question=_(
                "The file and every correction made in the preview are thrown away; nothing is "
                "imported."
            ),
            confirm_label=_("Discard this upload"),
            cancel_url=reverse("clusters:import_detail", args=[slug, batch.pk]),
        )
    if services.import_batch_discard(batch=batch):
        messages.success(request, _("The upload was discarded. Nothing was imported."))
    return redirect("clusters:import_upload", slug=batch.cluster.slug)


@login_required
@require_POST
def import_map_values(request, slug, pk):
    """Staff say once what each unknown kind, tier or municipality of the file means."""
    batch = get_import_for_user(request, slug, pk)
    choices = {
        (unknown.field, unknown.value): request.POST.get(unknown.key, "")
        for unknown in unknown_values(batch)
    }
    if services.import_batch_map_values(batch=batch, actor=request.user, choices=choices):
        messages.success(
            request, _("The file was read again with your choices, which the cluster remembers.")
        )
    else:
        messages.info(request, _("Choose what at least one of the values means."))
    return redirect(batch.get_absolute_url())


@login_required
@require_GET
def import_errors(request, slug, pk):
    """The rows with errors, in the upload's format, with the reasons in the last column: to
    correct and upload again."""
    batch = get_import_for_user(request, slug, pk)
    rows = batch.rows.filter(outcome=RowOutcome.ERROR).order_by("line")
    stem = f"import-{batch.pk}-errors"
    kind = _upload_format(batch)
    if kind == import_files.XLSX:
        handle = import_files.errors_xlsx(rows.iterator(chunk_size=1000), title=_("Errors"))
        return _xlsx_response(handle, f"{stem}.xlsx")
    response = StreamingHttpResponse(
        import_files.errors_csv(rows.iterator(chunk_size=1000), kind),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response


def _upload_format(batch) -> str:
    """'xlsx' or the CSV dialect of the uploaded file (by its header line's separator)."""
    if batch.original_name.lower().endswith(".xlsx"):
        return import_files.XLSX
    try:
        with batch.file.open("rb") as handle:
            return import_files.sniff_format(handle, batch.original_name)
    except (OSError, ValueError):  # discarded: the file is gone
        return spreadsheets.STANDARD


@login_required
@require_http_methods(["GET", "POST"])
def import_row_correct(request, slug, pk, row_pk):
    """Correct one row of a batch under review: its values in a form with the reasons, checked
    as the file's rows are. Without JavaScript a page of its own; with htmx the preview's row
    turns into the form and back, and the counts follow."""
    batch = get_import_for_user(request, slug, pk)
    row = get_object_or_404(batch.rows, pk=row_pk)
    back = f"{batch.get_absolute_url()}#row-{row.pk}"
    if not import_corrections.is_correctable(batch, row):
        messages.info(request, _("This row can no longer be corrected here."))
        return _client_redirect(request, back)
    inline = bool(request.htmx) and not request.htmx.boosted
    context = {
        "cluster": batch.cluster,
        "batch": batch,
        "row": row,
        "columns": [(name, imports.FIELD_LABELS[name]) for name in columns_of(row)],
        "inline": inline,
        "back": back,
    }
    if inline and request.GET.get("cancel"):
        _describe(batch, row)
        return render(request, "clusters/import_detail.html#row", context)
    if request.method == "POST":
        form = ImportRowForm(request.POST, row=row)
        reasons = []
        if form.is_valid():
            correction = services.import_row_correct(batch=batch, row=row, values=form.cleaned_data)
            if correction.saved:
                return _corrected(request, batch, row, context)
            if not correction.messages:  # no longer under review
                messages.info(request, _("This row can no longer be corrected here."))
                return _client_redirect(request, back)
            reasons = correction.messages
    else:
        # The row as it is, checked as it was: the values in the fields, the reasons by them.
        form = ImportRowForm(row.raw, row=row)
        form.is_valid()
        reasons = row.messages
    for message in reasons:
        if message.get("level") == "warning":
            continue
        name = import_corrections.message_field(message, row.raw)
        form.add_error(name if name in form.fields else None, imports.message_text(message))
    context["form"] = form
    template = "clusters/import_row.html"
    return render(request, template + "#editing" if inline else template, context)


def _corrected(request, batch, row, context):
    if not context["inline"]:
        messages.success(
            request,
            _("Row %(line)s was corrected and will be imported with the others.")
            % {"line": row.line},
        )
        return redirect(context["back"])
    row = _describe(batch, batch.rows.get(pk=row.pk))
    show = parse_qs(urlsplit(request.htmx.current_url or "").query).get("show", [""])[0]
    context.update(row=row, show=show if show in OUTCOME_FILTERS else "", **_summary(batch))
    return render(request, "clusters/_import_row_saved.html", context)


def _client_redirect(request, url):
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
