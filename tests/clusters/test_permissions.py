"""Who may open which cluster page and take which action.

Staff of another cluster are outsiders: every page and action of this cluster answers 404 and
changes nothing. Coordinators get 403 where managers alone may act. An organisation admin never
decides on their own organisation's application.
"""

import pytest
from django.urls import reverse

from clusters.models import ImportBatch, Membership, MembershipTier
from tests.clusters.factories import (
    ImportBatchFactory,
    MembershipTierFactory,
    active_membership,
    application,
    org_admin,
    staff,
)
from tests.factories import ClusterStaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cluster, basic):
    member = active_membership(cluster, tier=basic)
    applicant = application(cluster)
    batch = ImportBatchFactory(cluster=cluster, status="preview", counts={"new": 1})
    return {"member": member, "applicant": applicant, "batch": batch, "tier": basic}


def _urls(cluster, world):
    slug = cluster.slug
    member, applicant, batch = world["member"], world["applicant"], world["batch"]
    return {
        "cluster_home": ("get", reverse("clusters:cluster_home", args=[slug]), "view"),
        "list": ("get", reverse("clusters:member_list", args=[slug]), "view"),
        "export_csv": ("get", reverse("clusters:member_export_csv", args=[slug]), "view"),
        "export_xlsx": ("get", reverse("clusters:member_export_xlsx", args=[slug]), "view"),
        "detail": (
            "get",
            reverse("clusters:membership_detail", args=[slug, member.pk]),
            "view",
        ),
        "queue": ("get", reverse("clusters:application_queue", args=[slug]), "view"),
        "edit": ("get", reverse("clusters:membership_edit", args=[slug, member.pk]), "decide"),
        "edit_post": (
            "post",
            reverse("clusters:membership_edit", args=[slug, member.pk]),
            "decide",
        ),
        "contact_add": (
            "post",
            reverse("clusters:membership_contact_add", args=[slug, member.pk]),
            "decide",
        ),
        "bulk": ("post", reverse("clusters:bulk_action", args=[slug]), "decide"),
        "approve": (
            "post",
            reverse("clusters:membership_action", args=[slug, applicant.pk, "approve"]),
            "decide",
        ),
        "reject": (
            "post",
            reverse("clusters:membership_action", args=[slug, applicant.pk, "reject"]),
            "decide",
        ),
        "renew": (
            "post",
            reverse("clusters:membership_action", args=[slug, member.pk, "renew"]),
            "decide",
        ),
        "lapse": (
            "post",
            reverse("clusters:membership_action", args=[slug, member.pk, "lapse"]),
            "decide",
        ),
        "cancel": (
            "post",
            reverse("clusters:membership_action", args=[slug, member.pk, "cancel"]),
            "cancel",
        ),
        "undo_cancel": (
            "post",
            reverse("clusters:membership_cancel_undo", args=[slug, member.pk]),
            "cancel",
        ),
        "contact_emails": (
            "post",
            reverse("clusters:membership_contact_emails", args=[slug, member.pk]),
            "decide",
        ),
        "import": ("get", reverse("clusters:import_upload", args=[slug]), "import"),
        "import_post": ("post", reverse("clusters:import_upload", args=[slug]), "import"),
        "import_template": ("get", reverse("clusters:import_template", args=[slug]), "import"),
        "import_detail": (
            "get",
            reverse("clusters:import_detail", args=[slug, batch.pk]),
            "import",
        ),
        "import_errors": (
            "get",
            reverse("clusters:import_errors", args=[slug, batch.pk]),
            "import",
        ),
        "import_commit": (
            "post",
            reverse("clusters:import_commit", args=[slug, batch.pk]),
            "import",
        ),
        "import_discard": (
            "post",
            reverse("clusters:import_discard", args=[slug, batch.pk]),
            "import",
        ),
        "settings": ("get", reverse("clusters:settings", args=[slug]), "configure"),
        "settings_post": ("post", reverse("clusters:settings", args=[slug]), "configure"),
        "tier_create": ("get", reverse("clusters:tier_create", args=[slug]), "configure"),
        "tier_edit": (
            "get",
            reverse("clusters:tier_edit", args=[slug, world["tier"].pk]),
            "configure",
        ),
        "tier_delete": (
            "post",
            reverse("clusters:tier_delete", args=[slug, world["tier"].pk]),
            "configure",
        ),
    }


POST_DATA = {
    "bulk": lambda w: {"action": "lapse", "selected": [w["member"].pk], "confirm": "1"},
    "approve": lambda w: {"tier": w["tier"].pk, "period_start": "2025-01-01"},
    "reject": lambda w: {"reject-reason": "Nej"},
    "lapse": lambda w: {"lapse-reason": ""},
    "cancel": lambda w: {"cancel-reason": "Stop", "confirm": "yes"},
    "contact_emails": lambda w: {"action": "stop", "note": "Asked by phone"},
    "edit_post": lambda w: {"period_start": "2020-01-01", "period_end": "2020-12-31"},
    "contact_add": lambda w: {"first_name": "Mallory"},
    "settings_post": lambda w: {"description": "Hacked", "grace_days": 1},
}
PAGE_NAMES = [
    "cluster_home", "list", "export_csv", "export_xlsx", "detail", "queue", "edit",
    "edit_post", "contact_add", "bulk", "approve", "reject", "renew", "lapse", "cancel",
    "undo_cancel", "contact_emails",
    "import", "import_post", "import_template", "import_detail", "import_errors",
    "import_commit", "import_discard", "settings", "settings_post", "tier_create", "tier_edit",
    "tier_delete",
]  # fmt: skip


def _request(client, world, cluster, name):
    method, url, _capability = _urls(cluster, world)[name]
    data = POST_DATA.get(name, lambda w: {})(world)
    return getattr(client, method)(url, data)


def _snapshot(cluster):
    return (
        sorted(
            Membership.objects.filter(cluster=cluster).values_list(
                "pk", "status", "period_start", "period_end", "primary_contact_id"
            )
        ),
        sorted(ImportBatch.objects.values_list("pk", "status")),
        sorted(MembershipTier.objects.values_list("pk", "name")),
        cluster.__class__.objects.get(pk=cluster.pk).description,
    )


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_staff_of_another_cluster_get_404_and_change_nothing(
    client, cluster, world, other_manager, name
):
    client.force_login(other_manager)
    before = _snapshot(cluster)
    response = _request(client, world, cluster, name)
    assert response.status_code == 404
    assert _snapshot(cluster) == before


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_an_organisation_admin_without_a_staff_role_gets_404(client, cluster, world, name):
    user = org_admin(world["applicant"].organisation)
    client.force_login(user)
    before = _snapshot(cluster)
    assert _request(client, world, cluster, name).status_code == 404
    assert _snapshot(cluster) == before


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_anonymous_visitors_are_sent_to_sign_in(client, cluster, world, name):
    response = _request(client, world, cluster, name)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_coordinators_get_403_where_only_managers_may_act(
    client, cluster, world, coordinator, name
):
    capability = _urls(cluster, world)[name][2]
    client.force_login(coordinator)
    before = _snapshot(cluster)
    response = _request(client, world, cluster, name)
    if capability in {"import", "configure", "cancel"}:
        assert response.status_code == 403
        assert _snapshot(cluster) == before
    else:
        assert response.status_code in {200, 302}


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_managers_and_network_admins_may_do_everything(
    client, cluster, world, manager, network_admin, name
):
    for user in (manager, network_admin):
        client.force_login(user)
        assert _request(client, world, cluster, name).status_code in {200, 302}


def test_a_membership_of_another_cluster_is_not_found_through_this_cluster(
    client, cluster, other_cluster, manager
):
    foreign = application(other_cluster)
    client.force_login(manager)
    detail = reverse("clusters:membership_detail", args=[cluster.slug, foreign.pk])
    approve = reverse("clusters:membership_action", args=[cluster.slug, foreign.pk, "approve"])
    assert client.get(detail).status_code == 404
    assert client.post(approve, {"period_start": "2025-01-01"}).status_code == 404
    own_url = reverse("clusters:membership_detail", args=[other_cluster.slug, foreign.pk])
    assert client.get(own_url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "applied"


def test_bulk_ignores_memberships_of_other_clusters(client, cluster, other_cluster, manager):
    foreign = active_membership(other_cluster)
    client.force_login(manager)
    client.post(
        reverse("clusters:bulk_action", args=[cluster.slug]),
        {"action": "lapse", "selected": [foreign.pk], "confirm": "1"},
    )
    foreign.refresh_from_db()
    assert foreign.status == "active"


def test_an_import_of_another_cluster_is_not_found(client, cluster, other_cluster, manager):
    batch = ImportBatchFactory(cluster=other_cluster, status="preview", counts={"new": 1})
    client.force_login(manager)
    for name in ("import_detail", "import_errors"):
        url = reverse(f"clusters:{name}", args=[cluster.slug, batch.pk])
        assert client.get(url).status_code == 404
    url = reverse("clusters:import_commit", args=[cluster.slug, batch.pk])
    assert client.post(url).status_code == 404


def test_a_tier_of_another_cluster_is_not_found(client, cluster, other_cluster, manager):
    tier = MembershipTierFactory(cluster=other_cluster)
    client.force_login(manager)
    assert (
        client.get(reverse("clusters:tier_edit", args=[cluster.slug, tier.pk])).status_code == 404
    )
    response = client.post(reverse("clusters:tier_delete", args=[cluster.slug, tier.pk]))
    assert response.status_code == 404
    assert MembershipTier.objects.filter(pk=tier.pk).exists()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("list", "post"),
        ("detail", "post"),
        ("export_csv", "post"),
        ("queue", "post"),
        ("bulk", "get"),
        ("approve", "get"),
        ("import_commit", "get"),
        ("import_discard", "get"),
        ("tier_delete", "get"),
        ("contact_add", "get"),
    ],
)
def test_wrong_method_is_refused(client, cluster, world, manager, name, method):
    client.force_login(manager)
    url = _urls(cluster, world)[name][1]
    assert getattr(client, method)(url).status_code == 405


def test_unknown_action_is_refused(client, cluster, world, manager):
    client.force_login(manager)
    url = reverse(
        "clusters:membership_action", args=[cluster.slug, world["applicant"].pk, "withdraw"]
    )
    assert client.post(url).status_code == 403
    url = reverse(
        "clusters:membership_action", args=[cluster.slug, world["applicant"].pk, "delete"]
    )
    assert client.post(url).status_code == 403
    world["applicant"].refresh_from_db()
    assert world["applicant"].status == "applied"


class TestOwnApplication:
    """An organisation admin cannot approve their own application."""

    def test_as_organisation_admin_only(self, client, cluster, basic):
        applicant = application(cluster)
        client.force_login(org_admin(applicant.organisation))
        url = reverse("clusters:membership_action", args=[cluster.slug, applicant.pk, "approve"])
        assert client.post(url, {"tier": basic.pk, "period_start": "2025-01-01"}).status_code == 404
        applicant.refresh_from_db()
        assert applicant.status == "applied"

    def test_as_staff_who_is_also_admin_of_the_applicant(self, client, cluster, basic):
        applicant = application(cluster)
        user = org_admin(applicant.organisation)
        staff_role = staff(cluster)  # an unrelated colleague
        ClusterStaffFactory(user=user, cluster=cluster, role="manager")
        client.force_login(user)
        url = reverse("clusters:membership_action", args=[cluster.slug, applicant.pk, "approve"])
        assert client.post(url, {"tier": basic.pk, "period_start": "2025-01-01"}).status_code == 403
        for action, data in (("reject", {"reject-reason": "x"}), ("renew", {})):
            url = reverse("clusters:membership_action", args=[cluster.slug, applicant.pk, action])
            assert client.post(url, data).status_code == 403
        applicant.refresh_from_db()
        assert applicant.status == "applied"
        detail = client.get(
            reverse("clusters:membership_detail", args=[cluster.slug, applicant.pk])
        )
        assert b"another staff member must decide" in detail.content
        # Bulk approval skips it and says why.
        response = client.post(
            reverse("clusters:bulk_action", args=[cluster.slug]),
            {"action": "approve", "selected": [applicant.pk], "confirm": "1"},
        )
        assert b"someone else must decide" in response.content
        applicant.refresh_from_db()
        assert applicant.status == "applied"
        # The colleague may.
        client.force_login(staff_role)
        url = reverse("clusters:membership_action", args=[cluster.slug, applicant.pk, "approve"])
        client.post(url, {"tier": basic.pk, "period_start": "2025-01-01"})
        applicant.refresh_from_db()
        assert applicant.status == "active"

    def test_the_service_refuses_too(self, cluster, basic):
        from clusters import services
        from clusters.transitions import TransitionError

        applicant = application(cluster)
        user = org_admin(applicant.organisation)
        with pytest.raises(TransitionError) as error:
            services.membership_approve(membership=applicant, actor=user)
        assert error.value.code == "conflict_of_interest"


def test_a_plain_user_sees_no_cluster_index(client):
    client.force_login(UserFactory())
    assert client.get(reverse("clusters:index")).status_code == 403
