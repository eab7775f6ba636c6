"""Celery tasks: thin wrappers that take ids, reload, call one service."""

from celery import shared_task


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=29 * 60)
def run_report_export(export_id: str) -> None:
    from projects.services import report_export_run

    report_export_run(export_id=export_id)


@shared_task(time_limit=10 * 60, soft_time_limit=9 * 60)
def purge_report_exports() -> int:
    from projects.services import report_exports_purge

    return report_exports_purge()
