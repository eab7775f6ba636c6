"""Every write in the projects app. Keyword-only, validated with full_clean(), atomic."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matchmaking.models_introductions import AGREED_STATUSES, Introduction
from projects.models import (
    Activity,
    ActivityParticipant,
    Budget,
    Contribution,
    PartnerRole,
    Project,
    ProjectPartner,
)


@transaction.atomic
def project_save(*, project: Project, focus_areas=None, user=None) -> Project:
    """Create or update a project. A new project started from an introduction both sides
    agreed to gets the two organisations as partners and moves the match along."""
    is_new = project.pk is None
    if project.origin_introduction_id and is_new:
        introduction = Introduction.objects.get(pk=project.origin_introduction_id)
        if introduction.status not in AGREED_STATUSES:
            raise ValidationError(
                _("Only an introduction both sides accepted can start a project.")
            )
    if is_new and user is not None and user.is_authenticated:
        project.created_by = user
    project.full_clean()
    project.save()
    if focus_areas is not None:
        project.focus_areas.set(focus_areas)
    if is_new and project.origin_introduction_id:
        from matchmaking.introductions.services import introduction_project_started

        introduction = project.origin_introduction
        for organisation_id, role in (
            (introduction.source_id, PartnerRole.LEAD),
            (introduction.target_organisation_id, PartnerRole.PARTNER),
        ):
            ProjectPartner.objects.get_or_create(
                project=project, organisation_id=organisation_id, defaults={"role": role}
            )
        introduction_project_started(introduction=introduction)
    return project


@transaction.atomic
def project_partner_save(*, partner: ProjectPartner) -> ProjectPartner:
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def project_partner_remove(*, partner: ProjectPartner) -> None:
    if Contribution.objects.filter(
        project_id=partner.project_id, organisation_id=partner.organisation_id
    ).exists():
        raise ValidationError(_("This partner has recorded contributions; remove those first."))
    partner.delete()


@transaction.atomic
def activity_save(*, activity: Activity) -> Activity:
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def activity_participant_save(*, participant: ActivityParticipant) -> ActivityParticipant:
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def activity_participants_import(*, activity: Activity, rows) -> int:
    """Add or update participants from checked import rows (organisation or kind, people).

    Re-importing the same file changes nothing: an organisation already listed gets the new
    head count, a head count of a kind replaces the previous one of that kind."""
    written = 0
    for row in rows:
        if row.get("organisation_id"):
            participant, _created = ActivityParticipant.objects.get_or_create(
                activity=activity,
                organisation_id=row["organisation_id"],
                defaults={"kind": row["kind"], "people": row["people"]},
            )
        else:
            participant = ActivityParticipant.objects.filter(
                activity=activity, organisation__isnull=True, kind=row["kind"]
            ).first() or ActivityParticipant(activity=activity, kind=row["kind"])
        participant.people = row["people"]
        participant.full_clean()
        participant.save()
        written += 1
    return written


@transaction.atomic
def contribution_save(*, contribution: Contribution) -> Contribution:
    contribution.full_clean()
    contribution.save()
    return contribution


@transaction.atomic
def budget_save(*, budget: Budget) -> Budget:
    budget.full_clean()
    budget.save()
    return budget


# --- Funding report exports --------------------------------------------------------------------
# Periods longer than this are written by a worker, with progress; shorter ones at once.
SYNC_REPORT_DAYS = 400
# ... and so are reports whose sources sheet would list more rows than this (the XLSX writes
# roughly a thousand rows a second, benchmarks/funding_report.py).
SYNC_REPORT_ROWS = 5000


def report_is_large(report) -> bool:
    """Too big to write while the browser waits: a long period or many rows behind the figures
    (estimated from the counting figures, which the report has computed already)."""
    from projects.reports import COUNT

    scope = report.scope
    rows = sum(f.number or 0 for f in report.figures.values() if f.unit == COUNT)
    return (scope.end - scope.start).days + 1 > SYNC_REPORT_DAYS or rows > SYNC_REPORT_ROWS


def report_keep_days() -> int:
    from django.conf import settings

    return int(getattr(settings, "FUNDING_REPORT_KEEP_DAYS", 7))


def report_render(
    *,
    start,
    end,
    cluster,
    fmt: str,
    language: str,
    progress=None,
    report=None,
    user=None,
    dialect: str = "standard",
):
    """(file name, bytes) of the funding report in `fmt` ("xlsx" or "csv"; CSV in `dialect`
    "standard" or "excel-da")."""
    from projects import exports
    from projects.reports import build_report

    report = report or build_report(start=start, end=end, cluster=cluster)
    if fmt == "csv":
        content = exports.report_csv(report, language=language, dialect=dialect).encode("utf-8")
        return exports.filename(report, fmt, dialect), content
    content = exports.report_xlsx(report, language=language, user=user, progress=progress)
    return exports.filename(report, fmt), content


@transaction.atomic
def report_export_create(
    *, user, start, end, cluster, fmt: str, language: str, dialect: str = "standard"
):
    """Queue an export, or join the same user's identical export while it is still being
    written (a second click, a reload, a second tab)."""
    from projects.models import ExportStatus, ReportExport
    from projects.tasks import run_report_export

    if fmt != "csv":
        dialect = "standard"
    running = (
        ReportExport.objects.select_for_update()
        .filter(
            requested_by=user,
            start=start,
            end=end,
            cluster=cluster,
            format=fmt,
            dialect=dialect,
            language=language,
            status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING),
        )
        .first()
    )
    if running is not None:
        return running
    export = ReportExport(
        requested_by=user,
        start=start,
        end=end,
        cluster=cluster,
        format=fmt,
        dialect=dialect,
        language=language,
    )
    export.full_clean()
    export.save()
    export_id = str(export.pk)
    transaction.on_commit(lambda: run_report_export.delay(export_id))
    return export


def report_export_run(*, export_id) -> None:
    """Write one queued export. Claimed with a conditional update, so a second delivery of the
    task does nothing; a failure is recorded on the export for its page to show."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from projects.models import ExportStatus, ReportExport

    claimed = ReportExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, progress=1
    )
    if not claimed:
        return
    export = ReportExport.objects.select_related("cluster", "requested_by").get(pk=export_id)

    def progress(done, total):
        ReportExport.objects.filter(pk=export_id).update(
            progress=max(1, min(99, round(99 * done / total)))
        )

    try:
        name, content = report_render(
            start=export.start,
            end=export.end,
            cluster=export.cluster,
            fmt=export.format,
            language=export.language,
            progress=progress,
            user=export.requested_by,
            dialect=export.dialect,
        )
        export.file.save(name, ContentFile(content), save=False)
    except Exception as error:
        ReportExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    ReportExport.objects.filter(pk=export_id).update(
        status=ExportStatus.DONE,
        progress=100,
        file=export.file.name,
        filename=name,
        finished_at=timezone.now(),
    )
    export.filename = name
    report_export_notify(export=export)


def report_export_notify(*, export) -> None:
    """Email the person who asked that their report is ready, with the link to it."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    from network import notifications

    if not export.requested_by.email:
        return
    with translation.override(export.language):
        text = render_to_string(
            "emails/projects/report_ready.txt",
            {
                "export": export,
                "url": notifications.site_url(export.get_absolute_url()),
                "keep_days": report_keep_days(),
            },
        ).strip()
    subject, _newline, body = text.partition("\n")
    send_mail(
        " ".join(subject.split())[:250],
        body.strip(),
        None,
        [export.requested_by.email],
        fail_silently=True,
    )


def report_exports_purge(*, now=None) -> int:
    """Delete exports (and their files) older than the keeping time."""
    from datetime import timedelta

    from django.utils import timezone

    from projects.models import ReportExport

    cutoff = (now or timezone.now()) - timedelta(days=report_keep_days())
    deleted = 0
    for export in ReportExport.objects.filter(created_at__lt=cutoff):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        deleted += 1
    return deleted
