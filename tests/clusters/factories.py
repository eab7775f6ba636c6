"""Factories and helpers for the cluster tests (the shared ones live in tests/factories.py)."""

import io
from datetime import date, timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from clusters.models import ImportBatch
from network.identifiers import cvr_check_digit_fix, orgnr_check_digit_fix
from tests.factories import (
    AffiliationFactory,
    ClusterFactory,
    ClusterStaffFactory,
    MembershipFactory,
    MembershipTierFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)


def valid_cvr(n: int) -> str:
    """Valid CVR numbers distinct from those tests.factories hands out."""
    base = 7000000 + n * 3
    while True:
        cvr = cvr_check_digit_fix(str(base))
        if cvr:
            return cvr
        base += 1


def valid_orgnr(n: int) -> str:
    base = 91000000 + n * 3
    while True:
        orgnr = orgnr_check_digit_fix(str(base))
        if orgnr:
            return orgnr
        base += 1


def staff(cluster, role="manager", **user_fields):
    return ClusterStaffFactory(cluster=cluster, role=role, user=UserFactory(**user_fields)).user


def org_admin(organisation, **user_fields):
    """A login that is an admin of `organisation`."""
    user = UserFactory(**user_fields)
    person = PersonFactory(user=user, first_name=user.first_name, last_name=user.last_name)
    AffiliationFactory(person=person, organisation=organisation, role="admin")
    return user


def application(cluster, **fields):
    fields.setdefault("motivation", "Vi vil gerne teste med kommunerne.")
    return MembershipFactory(cluster=cluster, status="applied", **fields)


def active_membership(cluster, *, tier=None, start=None, **fields):
    start = start or date.today().replace(month=1, day=1)
    end = date(start.year + 1, start.month, start.day) - timedelta(days=1)
    return MembershipFactory(
        cluster=cluster,
        status="active",
        tier=tier,
        annual_fee=tier.annual_fee if tier else None,
        period_start=start,
        period_end=end,
        **fields,
    )


def csv_upload(rows, header=None, name="members.csv", delimiter=";"):
    header = header or [
        "CVR",
        "Navn",
        "Type",
        "Kommune",
        "Kontaktperson",
        "E-mail",
        "Telefon",
        "Niveau",
        "Startdato",
    ]
    lines = [delimiter.join(header)] + [delimiter.join(str(c) for c in row) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"), "text/csv")


def xlsx_upload(rows, header, name="members.xlsx"):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class ImportBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportBatch

    cluster = factory.SubFactory(ClusterFactory)
    file = factory.django.FileField(filename="members.csv", data=b"CVR;Navn\n")
    original_name = "members.csv"
    checksum = "0" * 64


__all__ = [
    "ClusterFactory",
    "ImportBatchFactory",
    "MembershipFactory",
    "MembershipTierFactory",
    "OrganisationFactory",
    "active_membership",
    "application",
    "csv_upload",
    "org_admin",
    "staff",
    "valid_cvr",
    "valid_orgnr",
    "xlsx_upload",
]
