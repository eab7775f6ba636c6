"""Every URL of the portal, asked by every kind of user, answers as the rules say.

One row per URL (some have several: a public and a private need). `expect` lists the status
code for each role, in ROLES order:

    anon    nobody signed in                        (302 = sent to sign in)
    member  member (not admin) of the organisation the row is about
    admin   admin of that organisation
    other   admin of an unrelated organisation
    xstaff  manager of another cluster
    staff   manager of the cluster the row is about (the organisation applied to / is in it)
    netadm  network admin

Mutating rows POST an empty or minimal form: 302 means it was accepted (and redirected), 200 a
form shown again with errors, 403/404 refused. `test_every_url_has_a_row` fails when a URL is
added to the portal without rows here. allauth's own pages and the Django admin are the
libraries' (their access rules are tested there); one row each checks they are mounted.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from clusters.models import ImportBatch, ImportRow
from clusters.services.api_tokens import api_token_create
from matchmaking.actions import match_veto
from matchmaking.bookings.models import CalendarFeed
from matchmaking.events.models import MeetingRequest, Registration
from matchmaking.introductions.services import introduction_request
from matchmaking.models_sharing import NeedShare
from network.joining.services import invitation_create, join_request_create
from network.merge import organisation_merge
from network.models import SavedSearch
from network.models.notifications import Notification
from network.notifications import unsubscribe_token
from network.optouts import address_token
from network.search.saved import unsubscribe_token as saved_unsubscribe_token
from projects.models import ReportExport
from tests.bookings.factories import BookingFactory
from tests.clusters.factories import active_membership, application
from tests.events.factories import EventFactory, slots_for, tables_for
from tests.factories import (
    AffiliationFactory,
    ClusterFactory,
    ClusterStaffFactory,
    KnowledgeOfferFactory,
    MembershipTierFactory,
    OrganisationFactory,
    PersonFactory,
    TestSiteFactory,
    UserFactory,
)
from tests.matchmaking.factories import MatchFactory, MatchRunFactory, NeedFactory
from tests.projects.factories import (
    ActivityFactory,
    BudgetFactory,
    ContributionFactory,
    ParticipantFactory,
    PartnerFactory,
    ProjectFactory,
)


def invitation_for_test_link(invitation):
    """A working link's token for `invitation`: the key is made anew (only its hash is kept)."""
    import secrets

    from django.core import signing

    from network.joining.services import INVITATION_SALT
    from network.models import Invitation

    key = secrets.token_urlsafe(32)
    Invitation.objects.filter(pk=invitation.pk).update(key_hash=Invitation.hash_key(key))
    return signing.dumps(key, salt=INVITATION_SALT, compress=True)


ROLES = ("anon", "member", "admin", "other", "xstaff", "staff", "netadm")
# api/: token-authenticated, not session; its own table is tests/api/test_urls.py (which fails
# when an API URL is added without a row there).
LIBRARY_PREFIXES = ("accounts/", "django-admin/", "api/")


def _people(organisation, tag):
    users = {}
    for role in ("member", "admin"):
        user = UserFactory(email=f"{role}.{tag}@matrix.example")
        person = PersonFactory(user=user, email=user.email)
        AffiliationFactory(person=person, organisation=organisation, role=role)
        users[role] = user
    return users


@dataclass
class World:
    users: dict
    objects: dict

    def user(self, role: str, org: str):
        if role == "anon":
            return None
        if role in ("member", "admin"):
            return self.users[org][role]
        return self.users[role]


@pytest.fixture
def world(db):
    right, other_cluster = ClusterFactory(slug="right"), ClusterFactory(slug="other")
    sme = OrganisationFactory(kind="sme", slug="sme")
    municipality = OrganisationFactory(kind="municipality", slug="kommune", cvr="")
    university = OrganisationFactory(kind="university", slug="uni")
    stranger = OrganisationFactory(kind="sme", slug="stranger")
    tier = MembershipTierFactory(cluster=right)
    applied = application(right, organisation=sme)
    active_membership(right, organisation=municipality)
    active_membership(other_cluster, organisation=stranger)
    need = NeedFactory(owner=municipality)
    private_need = NeedFactory(owner=municipality, visibility="private")
    test_site = TestSiteFactory(owner=municipality)
    pending_site = TestSiteFactory(owner=municipality, is_published=False, review_status="pending")
    offer = KnowledgeOfferFactory(owner=university)
    # Deleted by their owners a moment ago: restorable (the message's "Fortryd" button).
    deleted_site = TestSiteFactory(owner=municipality, deleted_at=timezone.now())
    deleted_offer = KnowledgeOfferFactory(owner=university, deleted_at=timezone.now())
    match = MatchFactory(source=sme, need=need)
    run = MatchRunFactory()
    # A region that said "we have this need too" (matchmaking.sharing).
    region = OrganisationFactory(kind="region", slug="region", cvr="")
    NeedShare.objects.create(need=need, organisation=region, citizens=100)
    users = {
        "sme": _people(sme, "sme"),
        "kommune": _people(municipality, "kommune"),
        "region": _people(region, "region"),
        "uni": _people(university, "uni"),
        "other": _people(stranger, "other")["admin"],
        "xstaff": ClusterStaffFactory(cluster=other_cluster).user,
        "staff": ClusterStaffFactory(cluster=right).user,
        "netadm": UserFactory(is_network_admin=True),
    }
    introduction = introduction_request(
        match=match, user=users["sme"]["admin"], message="Vi vil gerne vise jer vores sensor."
    )
    veto = match_veto(match=match, user=users["sme"]["admin"], side="company", reason="Ikke os")
    note = Notification.objects.create(
        user=users["sme"]["member"], kind="test", title="Hej", body="Besked", url="/"
    )
    project = ProjectFactory(lead_cluster=right)
    PartnerFactory(project=project, organisation=sme)
    project_contribution = ContributionFactory(project=project, organisation=sme)
    activity = ActivityFactory(cluster=right)
    participant = ParticipantFactory(activity=activity, organisation=sme)
    activity_contribution = ContributionFactory(project=None, activity=activity, organisation=sme)
    budget = BudgetFactory(cluster=right)
    batch = ImportBatch.objects.create(
        cluster=right, original_name="m.csv", checksum="x", created_by=users["staff"]
    )
    reviewed = ImportBatch.objects.create(
        cluster=right, original_name="r.csv", checksum="y", status="preview", counts={"error": 1}
    )
    import_row = ImportRow.objects.create(
        batch=reviewed, line=2, raw={"registry_number": "1", "name": "X"}, outcome="error"
    )
    export = ReportExport.objects.create(
        requested_by=users["staff"], start="2025-01-01", end="2025-12-31", cluster=right,
        format="csv",
    )  # fmt: skip
    api_token, _key = api_token_create(
        name="CRM", scopes=["directory:read"], cluster=right, created_by=users["staff"]
    )
    merged_away = OrganisationFactory(kind="sme", slug="merged-away")
    application(right, organisation=merged_away)
    merge = organisation_merge(
        kept=OrganisationFactory(kind="sme", slug="merged-kept", cvr=""),
        removed=merged_away,
        user=users["staff"],
    )
    saved_search = SavedSearch.objects.create(user=users["sme"]["member"], query="velfærd")
    joiner = UserFactory(email="joiner@matrix.example")
    PersonFactory(user=joiner, email=joiner.email)
    join_request = join_request_create(user=joiner, organisation=sme, message="Hej")
    invitation = invitation_create(
        organisation=sme, email="invited@matrix.example", role="member", actor=users["sme"]["admin"]
    )
    invitation_token = invitation_for_test_link(invitation)
    contact = AffiliationFactory(
        organisation=sme, person=PersonFactory(user=None, email="kontakt@matrix.example")
    )
    # A test period the company asked for at the municipality's site, and one that has ended.
    booking = BookingFactory(site=test_site, organisation=sme)
    ended_booking = BookingFactory(
        site=test_site,
        organisation=sme,
        status="accepted",
        start=timezone.localdate() - timedelta(days=20),
        end=timezone.localdate() - timedelta(days=2),
    )
    site_feed = CalendarFeed.objects.create(site=test_site)
    event = EventFactory(cluster=right)
    event_slot = slots_for(event, 1)[0]
    event_table = tables_for(event, 1)[0]
    sme_at_event = Registration.objects.create(
        event=event, organisation=sme, user=users["sme"]["admin"], offer="x", looking_for="y",
        status="approved",
    )  # fmt: skip
    kommune_at_event = Registration.objects.create(
        event=event, organisation=municipality, user=users["kommune"]["admin"], offer="x",
        looking_for="y", status="approved",
    )  # fmt: skip
    event_meeting = MeetingRequest.objects.create(
        event=event, requester=sme_at_event, recipient=kommune_at_event, status="accepted",
        slot=event_slot, table=event_table,
    )  # fmt: skip
    objects = {
        "event": event.pk,
        "event_slot": event_slot.pk,
        "event_registration": kommune_at_event.pk,
        "event_meeting": event_meeting.pk,
        "join_request": join_request.pk,
        "invitation": invitation.pk,
        "invitation_token": invitation_token,
        "member_affiliation": sme.affiliations.get(person__user=users["sme"]["member"]).pk,
        "contact_affiliation": contact.pk,
        "merge": merge.pk,
        "api_token": api_token.pk,
        "right": right.slug,
        "applied": applied.pk,
        "tier": tier.pk,
        "batch": batch.pk,
        "reviewed": reviewed.pk,
        "import_row": import_row.pk,
        "need": need.pk,
        "private_need": private_need.pk,
        "test_site": test_site.pk,
        "pending_site": pending_site.pk,
        "site_kind": "test_site",
        "offer": offer.pk,
        "deleted_site": deleted_site.pk,
        "deleted_offer": deleted_offer.pk,
        "match": match.pk,
        "run": run.pk,
        "introduction": introduction.pk,
        "veto": veto.pk,
        "project": project.pk,
        "partner": project.partners.get().pk,
        "project_contribution": project_contribution.pk,
        "activity": activity.pk,
        "participant": participant.pk,
        "activity_contribution": activity_contribution.pk,
        "budget": budget.pk,
        "export": export.pk,
        "notification": note.pk,
        "token": unsubscribe_token(users["sme"]["member"]),
        "address_token": address_token("kontakt@sme.example"),
        "saved_search": saved_search.pk,
        "saved_search_token": saved_unsubscribe_token(saved_search),
        "sme_id": sme.pk,
        "kommune_id": municipality.pk,
        "region_id": region.pk,
        "booking": booking.pk,
        "ended_booking": ended_booking.pk,
        "site_feed": site_feed.token,
    }
    return World(users, objects)


@dataclass(frozen=True)
class Row:
    name: str
    expect: str  # codes in ROLES order
    org: str = "sme"  # whose member/admin the "member" and "admin" roles are
    args: tuple = ()  # keys of World.objects, or literals
    method: str = "get"
    data: dict | None = None
    label: str = ""

    @property
    def id(self):
        return f"{self.name}{'-' + self.label if self.label else ''}"

    def codes(self):
        return dict(zip(ROLES, (int(code) for code in self.expect.split()), strict=True))


PUBLIC = "200 200 200 200 200 200 200"
REPORT = {"start": "2025-01-01", "end": "2025-12-31", "cluster": "right"}
SIGNED_IN = "302 200 200 200 200 200 200"
CLUSTER_STAFF = "302 404 404 404 404 200 200"

ROWS = [
    # --- network: public pages, own account, my organisation -------------------------------
    Row("home", PUBLIC),
    Row("healthz", PUBLIC),
    Row("robots_txt", PUBLIC),
    Row("favicon", "301 301 301 301 301 301 301"),
    Row("set_language", "302 302 302 302 302 302 302", method="post", data={"language": "en"}),
    Row("privacy_policy", PUBLIC),
    Row("privacy_settings", SIGNED_IN),
    Row("personal_data_download", SIGNED_IN),
    Row("account_delete", SIGNED_IN),
    Row("directory", PUBLIC),
    Row("organisation_detail", PUBLIC, args=("sme",)),
    Row("my_organisations", SIGNED_IN),
    Row("organisation_edit", "302 403 200 403 403 403 200", args=("sme",)),
    Row("organisation_confirm", "302 403 302 403 403 403 302", args=("sme",), method="post"),
    Row("test_site_create", "302 403 200 403 403 403 200", org="kommune", args=("kommune",)),
    Row(
        "test_site_edit",
        "302 403 200 403 403 403 200",
        org="kommune",
        args=("kommune", "test_site"),
    ),
    Row(
        "test_site_delete",
        "302 403 302 403 403 403 302",
        org="kommune",
        args=("kommune", "test_site"),
        method="post",
        data={"confirm": "yes"},
    ),
    Row(
        "test_site_restore",
        "302 403 302 403 403 403 302",
        org="kommune",
        args=("kommune", "deleted_site"),
        method="post",
    ),
    Row("offer_create", "302 403 200 403 403 403 200", org="uni", args=("uni",)),
    Row("offer_edit", "302 403 200 403 403 403 200", org="uni", args=("uni", "offer")),
    Row(
        "offer_delete",
        "302 403 302 403 403 403 302",
        org="uni",
        args=("uni", "offer"),
        method="post",
        data={"confirm": "yes"},
    ),
    Row(
        "offer_restore",
        "302 403 302 403 403 403 302",
        org="uni",
        args=("uni", "deleted_offer"),
        method="post",
    ),
    # An owner sends for review or discards changes (an empty POST: redirected with a message).
    Row(
        "review_action",
        "302 403 302 404 404 404 302",
        org="kommune",
        args=("site_kind", "pending_site"),
        method="post",
    ),
    # --- network: joining (sme has admins, so they, not the staff, answer its join requests)
    Row("joining:start", SIGNED_IN),
    Row("joining:register", SIGNED_IN),
    Row("joining:search", SIGNED_IN),
    Row("joining:municipality", SIGNED_IN),
    Row("joining:ask", SIGNED_IN, args=("sme",)),
    Row("joining:ask", "302 302 302 302 302 302 302", args=("sme",), method="post", label="post"),
    Row("joining:withdraw", "302 404 404 404 404 404 404", args=("join_request",), method="post"),
    Row("joining:invitation", PUBLIC, args=("invitation_token",)),
    Row(
        "joining:invitation",
        "200 302 302 302 302 302 302",
        args=("invitation_token",),
        method="post",
        label="post",
    ),
    Row("joining:people", "302 403 200 403 403 403 200", args=("sme",)),
    Row(
        "joining:people",
        "302 403 200 403 403 403 200",
        args=("sme",),
        method="post",
        label="post",
    ),
    Row(
        "joining:person_action",
        "302 403 302 403 403 403 302",
        args=("sme", "member_affiliation", "role"),
        method="post",
        data={"role": "member"},
    ),
    Row(
        "joining:invitation_revoke",
        "302 403 302 403 403 403 302",
        args=("sme", "invitation"),
        method="post",
    ),
    Row(
        "joining:contact_invite",
        "302 403 302 403 403 302 302",
        args=("sme", "contact_affiliation"),
        method="post",
    ),
    Row("joining:requests", "302 403 200 403 403 403 200", args=("sme",)),
    Row(
        "joining:answer",
        "302 403 302 403 403 403 302",
        args=("sme", "join_request", "decline"),
        method="post",
    ),
    # --- clusters: the organisation's side --------------------------------------------------
    Row("clusters:index", "302 403 403 403 302 302 200"),
    Row("clusters:apply", SIGNED_IN),
    Row("clusters:my_applications", SIGNED_IN),
    Row(
        "clusters:application_withdraw",
        "302 403 302 404 404 404 302",
        args=("applied",),
        method="post",
    ),
    # --- clusters: duplicate organisations (sme and kommune both in the right cluster) -------
    Row("clusters:duplicate_list", "302 403 403 403 200 200 200"),
    Row("clusters:duplicate_merge", "302 404 404 404 404 200 200", args=("kommune_id", "sme_id")),
    Row(
        "clusters:duplicate_merge",
        "302 404 404 404 404 302 302",
        args=("kommune_id", "sme_id"),
        method="post",
        label="post",
    ),
    Row("clusters:merge_undo", "302 404 404 404 404 302 302", args=("merge",), method="post"),
    Row(
        "clusters:duplicate_dismiss",
        "302 404 404 404 404 302 302",
        args=("sme_id", "kommune_id"),
        method="post",
    ),
    # --- clusters: staff pages of the right cluster -----------------------------------------
    Row("clusters:cluster_home", "302 404 404 404 404 302 302", args=("right",)),
    Row("clusters:member_list", CLUSTER_STAFF, args=("right",)),
    Row("clusters:member_export_csv", CLUSTER_STAFF, args=("right",)),
    Row("clusters:member_export_xlsx", CLUSTER_STAFF, args=("right",)),
    Row("clusters:bulk_action", "302 404 404 404 404 302 302", args=("right",), method="post"),
    Row("clusters:membership_detail", CLUSTER_STAFF, args=("right", "applied")),
    Row("clusters:membership_edit", CLUSTER_STAFF, args=("right", "applied")),
    Row(
        "clusters:membership_contact_add",
        "302 404 404 404 404 400 400",
        args=("right", "applied"),
        method="post",
    ),
    Row(
        "clusters:membership_action",
        "302 404 404 404 404 400 400",
        args=("right", "applied", "reject"),
        method="post",
    ),
    Row(
        "clusters:membership_cancel_undo",  # not cancelled: refused with a message
        "302 404 404 404 404 302 302",
        args=("right", "applied"),
        method="post",
    ),
    Row(
        "clusters:membership_contact_emails",
        "302 404 404 404 404 302 302",
        args=("right", "applied"),
        method="post",
        data={"action": "stop", "note": "Bad om det i telefonen"},
    ),
    Row("clusters:application_queue", CLUSTER_STAFF, args=("right",)),
    # --- clusters: review before publication (kommune is a member of the right cluster) -----
    Row("clusters:review_queue", CLUSTER_STAFF, args=("right",)),
    Row("clusters:review_queue_all", "302 403 403 403 403 403 200"),
    Row("clusters:review_detail", CLUSTER_STAFF, org="kommune", args=("site_kind", "pending_site")),
    Row(
        "clusters:review_detail",
        CLUSTER_STAFF,  # an empty decision: the page again, with the error
        org="kommune",
        args=("site_kind", "pending_site"),
        method="post",
        label="post",
    ),
    Row("clusters:import_upload", CLUSTER_STAFF, args=("right",)),
    Row("clusters:import_template", CLUSTER_STAFF, args=("right",)),
    Row("clusters:import_detail", CLUSTER_STAFF, args=("right", "batch")),
    Row(
        "clusters:import_commit",
        "302 404 404 404 404 302 302",
        args=("right", "batch"),
        method="post",
    ),
    Row(
        "clusters:import_discard",
        "302 404 404 404 404 302 302",
        args=("right", "batch"),
        method="post",
        data={"confirm": "yes"},
    ),
    Row(
        "clusters:import_map_values",
        "302 404 404 404 404 302 302",
        args=("right", "batch"),
        method="post",
    ),
    Row("clusters:import_errors", CLUSTER_STAFF, args=("right", "batch")),
    Row("clusters:import_row_correct", CLUSTER_STAFF, args=("right", "reviewed", "import_row")),
    Row(
        "clusters:import_row_correct",
        CLUSTER_STAFF,  # still an error: the form again, with the reasons
        args=("right", "reviewed", "import_row"),
        method="post",
        label="post",
        data={"registry_number": "2", "name": "X"},
    ),
    Row("clusters:settings", CLUSTER_STAFF, args=("right",)),
    Row("clusters:tier_create", CLUSTER_STAFF, args=("right",)),
    Row("clusters:tier_edit", CLUSTER_STAFF, args=("right", "tier")),
    Row(
        "clusters:tier_delete",
        "302 404 404 404 404 302 302",
        args=("right", "tier"),
        method="post",
        data={"confirm": "yes"},
    ),
    Row("clusters:api_tokens", CLUSTER_STAFF, args=("right",)),
    Row(
        "clusters:api_token_revoke",
        "302 404 404 404 404 302 302",
        args=("right", "api_token"),
        method="post",
        data={"confirm": "yes"},
    ),
    # --- matchmaking ---------------------------------------------------------------------
    Row("matchmaking:my_matches", SIGNED_IN),
    Row("matchmaking:need_list", PUBLIC),
    Row("matchmaking:need_create", "302 403 200 403 403 403 200", org="kommune"),
    Row("matchmaking:need_detail", PUBLIC, org="kommune", args=("need",)),
    Row(
        "matchmaking:need_detail",
        "302 200 200 404 404 404 200",
        org="kommune",
        args=("private_need",),
        label="private",
    ),
    Row("matchmaking:need_edit", "302 403 200 404 404 404 200", org="kommune", args=("need",)),
    # Shared needs: join for one's own municipality, region or hospital; leave (the region
    # joined `need`); merge two needs (network staff).
    Row("matchmaking:need_join", "302 403 403 403 403 403 200", org="kommune", args=("need",)),
    Row(
        "matchmaking:need_join",
        "302 403 200 403 403 403 200",
        org="region",
        args=("need",),
        label="joiner",
    ),
    Row(
        "matchmaking:need_join",
        "302 403 200 403 403 403 200",
        org="region",
        args=("need",),
        method="post",
        label="post",
    ),
    # The organisations a network admin may join a need for, searched as they type.
    Row(
        "matchmaking:need_join_organisations",
        "302 403 403 403 403 403 200",
        org="region",
        args=("need",),
        data={"q": "re"},
    ),
    Row(
        "matchmaking:need_join_organisations",
        "302 403 403 404 404 404 200",
        org="kommune",
        args=("private_need",),
        data={"q": "re"},
        label="private",
    ),
    Row(
        "matchmaking:need_leave",
        "302 403 302 404 404 404 302",
        org="region",
        args=("need",),
        method="post",
    ),
    # Changing the region's part of `need` (GET and POST alike): its admins; the owner's
    # people are outsiders to it.
    Row(
        "matchmaking:need_share_edit",
        "302 403 200 404 404 404 200",
        org="region",
        args=("need", "region_id"),
    ),
    Row(
        "matchmaking:need_share_edit",
        "302 404 404 404 404 404 200",
        org="kommune",
        args=("need", "region_id"),
        label="owner",
    ),
    Row("matchmaking:need_merge", "302 403 403 403 403 403 200", org="kommune", args=("need",)),
    Row(
        "matchmaking:need_merge",
        "302 403 403 404 404 404 200",
        org="kommune",
        args=("private_need",),
        method="post",
        data={"other": "0"},
        label="private",
    ),
    Row(
        "matchmaking:need_set_status",
        "302 403 302 404 404 404 302",
        org="kommune",
        args=("need",),
        method="post",
        data={"status": "closed"},
    ),
    Row(
        "matchmaking:need_delete",
        "302 403 302 404 404 404 302",
        org="kommune",
        args=("need",),
        method="post",
    ),
    Row(
        "matchmaking:need_matches",
        "302 200 200 404 404 404 200",
        org="kommune",
        args=("need",),
    ),
    Row(
        "matchmaking:test_site_matches",
        "302 200 200 404 404 404 200",
        org="kommune",
        args=("test_site",),
    ),
    Row(
        "matchmaking:offer_matches",
        "302 200 200 404 404 404 200",
        org="uni",
        args=("offer",),
    ),
    # --- acting on matches (the company's side and the need owner's side) ----------------
    Row("matchmaking:my_vetoed", "302 200 200 200 302 302 302"),
    Row("matchmaking:veto_undo", "302 302 302 404 404 404 404", args=("veto",), method="post"),
    Row(
        "matchmaking:match_not_relevant",
        "302 200 200 404 404 404 403",
        args=("match", "company"),
    ),
    Row(
        "matchmaking:match_not_relevant",
        "302 200 200 404 404 404 403",
        org="kommune",
        args=("match", "target"),
        label="target-side",
    ),
    Row(
        "matchmaking:match_shortlist",
        "302 302 302 404 404 404 403",
        org="kommune",
        args=("match", "target"),
        method="post",
    ),
    Row(
        "matchmaking:introduction_invite",
        "302 302 302 404 404 404 403",
        org="kommune",
        args=("match",),
    ),
    Row("matchmaking:need_vetoed", "302 200 200 404 404 404 200", org="kommune", args=("need",)),
    Row(
        "matchmaking:test_site_vetoed",
        "302 200 200 404 404 404 200",
        org="kommune",
        args=("test_site",),
    ),
    Row("matchmaking:offer_vetoed", "302 200 200 404 404 404 200", org="uni", args=("offer",)),
    Row("matchmaking:run_list", "302 403 403 403 403 403 200"),
    Row("matchmaking:criteria_save", "302 403 403 403 403 403 200", method="post"),
    Row("matchmaking:run_start", "302 403 403 403 403 403 302", method="post"),
    Row("matchmaking:run_detail", "302 403 403 403 403 403 200", args=("run",)),
    # --- introductions (the company asked; the municipality owns the need) ------------------
    Row("matchmaking:introduction_list", SIGNED_IN),
    Row("matchmaking:introduction_request", "302 302 302 404 404 403 302", args=("match",)),
    Row(
        "matchmaking:match_feedback", "302 200 200 404 404 403 403", args=("match",), method="post"
    ),
    Row("matchmaking:cluster_introductions", CLUSTER_STAFF, args=("right",)),
    Row("matchmaking:introduction_detail", "302 200 200 404 404 200 200", args=("introduction",)),
    Row(
        "matchmaking:introduction_detail",
        "302 200 200 404 404 200 200",
        org="kommune",
        args=("introduction",),
        label="other-side",
    ),
    Row(
        "matchmaking:introduction_accept",
        "302 302 302 404 404 403 403",
        org="kommune",
        args=("introduction",),
        method="post",
    ),
    Row(
        "matchmaking:introduction_decline",
        "302 200 200 404 404 403 403",
        org="kommune",
        args=("introduction",),
        method="post",
    ),
    Row(
        "matchmaking:introduction_met",
        "302 302 302 404 404 403 403",
        args=("introduction",),
        method="post",
    ),
    Row(
        "matchmaking:introduction_nudge",
        "302 403 403 404 404 302 302",
        args=("introduction",),
        method="post",
    ),
    # --- notifications (the company member's own) ---------------------------------------
    Row("notification_inbox", SIGNED_IN),
    Row("notifications_mark_read", "302 302 302 302 302 302 302", method="post"),
    Row("notification_open", "302 302 404 404 404 404 404", args=("notification",), method="post"),
    Row("notification_preferences", SIGNED_IN),
    Row("unsubscribe", PUBLIC, args=("token",)),
    Row("email_opt_out", PUBLIC, args=("address_token",)),
    # --- search (everyone; saved searches are the company member's own) -------------------
    Row("search", PUBLIC),
    Row("saved_searches", SIGNED_IN),
    Row(
        "saved_search_delete",
        "302 302 404 404 404 404 404",
        args=("saved_search",),
        method="post",
    ),
    Row("saved_search_unsubscribe", PUBLIC, args=("saved_search_token",)),
    # --- test bookings (the company asks the municipality's site; only the two sides see it) ---
    Row("bookings:list", SIGNED_IN),
    Row("bookings:detail", "302 200 200 404 404 404 404", args=("booking",)),
    Row(
        "bookings:detail",
        "302 200 200 404 404 404 404",
        org="kommune",
        args=("booking",),
        label="site",
    ),
    Row("bookings:accept", "302 403 403 404 404 404 404", args=("booking",), method="post"),
    Row(
        "bookings:accept",
        "302 302 302 404 404 404 404",
        org="kommune",
        args=("booking",),
        method="post",
        label="site",
    ),
    Row("bookings:propose", "302 403 403 404 404 404 404", args=("booking",), method="post"),
    Row(
        "bookings:propose",
        "302 302 302 404 404 404 404",
        org="kommune",
        args=("booking",),
        method="post",
        label="site",
    ),
    Row("bookings:decline", "302 403 403 404 404 404 404", args=("booking",), method="post"),
    Row(
        "bookings:decline",
        "302 302 302 404 404 404 404",
        org="kommune",
        args=("booking",),
        method="post",
        label="site",
    ),
    Row(
        "bookings:accept_proposal", "302 302 302 404 404 404 404", args=("booking",), method="post"
    ),
    Row(
        "bookings:accept_proposal",
        "302 403 403 404 404 404 404",
        org="kommune",
        args=("booking",),
        method="post",
        label="site",
    ),
    Row("bookings:cancel", "302 302 302 404 404 404 404", args=("booking",), method="post"),
    Row("bookings:evaluation", "302 200 200 404 404 404 404", args=("ended_booking", "company")),
    Row(
        "bookings:evaluation",
        "302 403 403 404 404 404 404",
        args=("ended_booking", "site"),
        label="other-side",
    ),
    Row("bookings:attachment", "302 404 404 404 404 404 404", args=("ended_booking", 999999)),
    Row(
        "bookings:attachment_delete",
        "302 404 404 404 404 404 404",
        args=("ended_booking", 999999),
        method="post",
    ),
    Row(
        "bookings:summary_publish",
        "302 302 302 404 404 404 404",
        args=("ended_booking",),
        method="post",
    ),
    Row(
        "bookings:summary_publish",
        "302 403 403 404 404 404 404",
        org="kommune",
        args=("ended_booking",),
        method="post",
        label="site",
    ),
    Row(
        "bookings:summary_unpublish",
        "302 302 302 404 404 404 404",
        args=("ended_booking",),
        method="post",
    ),
    Row("bookings:request", "302 200 200 200 403 403 403", args=("test_site",)),
    Row("bookings:request", "302 404 404 404 404 404 403", args=("pending_site",), label="pending"),
    Row("bookings:site_calendar", PUBLIC, args=("test_site",)),
    Row(
        "bookings:site_feed_regenerate",
        "302 403 302 403 403 403 403",
        org="kommune",
        args=("test_site",),
        method="post",
    ),
    Row("bookings:organisation_tests", PUBLIC, args=("sme",)),
    Row(
        "bookings:organisation_feed_regenerate",
        "302 403 302 404 404 404 404",
        args=("sme",),
        method="post",
    ),
    Row("bookings:feed", PUBLIC, args=("site_feed",)),
    Row("bookings:feed", "404 404 404 404 404 404 404", args=("not-a-token",), label="bad"),
    # --- projects (led by the right cluster; the company is a partner and a participant) ------
    Row("projects:project_list", SIGNED_IN),
    Row("projects:project_create", "302 403 403 403 200 200 200"),
    Row("projects:project_detail", "302 200 200 404 404 200 200", args=("project",)),
    Row("projects:project_edit", "302 403 403 404 404 200 200", args=("project",)),
    Row("projects:partner_add", "302 403 403 404 404 302 302", args=("project",), method="post"),
    Row(
        "projects:partner_remove",
        "302 403 403 404 404 302 302",
        args=("project", "partner"),
        method="post",
    ),
    Row("projects:project_contribution", "302 403 403 404 404 200 200", args=("project",)),
    Row(
        "projects:project_contribution_edit",
        "302 403 403 404 404 200 200",
        args=("project", "project_contribution"),
    ),
    Row(
        "projects:contribution_delete",
        "302 404 404 404 404 302 302",
        args=("project_contribution",),
        method="post",
    ),
    Row("projects:activity_list", SIGNED_IN),
    Row("projects:activity_create", "302 403 403 403 200 200 200"),
    Row("projects:activity_detail", "302 200 200 404 404 200 200", args=("activity",)),
    Row("projects:activity_edit", "302 403 403 404 404 200 200", args=("activity",)),
    Row(
        "projects:participant_add", "302 403 403 404 404 302 302", args=("activity",), method="post"
    ),
    Row("projects:participant_import", "302 403 403 404 404 200 200", args=("activity",)),
    Row(
        "projects:participant_remove",
        "302 403 403 404 404 302 302",
        args=("activity", "participant"),
        method="post",
    ),
    Row("projects:activity_contribution", "302 403 403 404 404 200 200", args=("activity",)),
    Row(
        "projects:activity_contribution_edit",
        "302 403 403 404 404 200 200",
        args=("activity", "activity_contribution"),
    ),
    Row("projects:budget_list", CLUSTER_STAFF, args=("right",)),
    Row("projects:budget_create", CLUSTER_STAFF, args=("right",)),
    Row("projects:budget_edit", CLUSTER_STAFF, args=("right", "budget")),
    Row("projects:dashboard", "302 403 403 403 200 200 200"),
    Row("projects:report", "302 403 403 403 404 200 200", data=REPORT),
    Row("projects:report_figure", "302 403 403 403 404 200 200", args=("partners",), data=REPORT),
    Row("projects:report_xlsx", "302 403 403 403 404 200 200", data=REPORT),
    Row("projects:report_csv", "302 403 403 403 404 200 200", data=REPORT),
    Row(
        "projects:report_export_create",
        "302 403 403 403 404 302 302",
        method="post",
        data={**REPORT, "format": "csv"},
    ),
    Row("projects:report_export_detail", "302 404 404 404 404 200 404", args=("export",)),
    Row("projects:report_export_file", "302 404 404 404 404 404 404", args=("export",)),
    # --- matchmaking events (sme and kommune take part; staff manage, others see the page)
    Row("events:list", PUBLIC),
    Row("events:detail", PUBLIC, args=("event",)),
    Row("events:create", CLUSTER_STAFF, args=("right",)),
    Row("events:edit", "302 403 403 403 403 200 200", args=("event",)),
    Row("events:manage", "302 403 403 403 403 200 200", args=("event",)),
    Row("events:slot_add", "302 403 403 403 403 302 302", args=("event",), method="post"),
    Row("events:slots_generate", "302 403 403 403 403 302 302", args=("event",), method="post"),
    Row(
        "events:slot_delete",
        "302 403 403 403 403 302 302",
        args=("event", "event_slot"),
        method="post",
    ),
    Row("events:tables_set", "302 403 403 403 403 302 302", args=("event",), method="post"),
    Row("events:invitation_add", "302 403 403 403 403 302 302", args=("event",), method="post"),
    Row(
        "events:registration_decide",
        "302 403 403 403 403 302 302",
        args=("event", "event_registration"),
        method="post",
    ),
    Row("events:schedule", "302 403 403 403 403 200 200", args=("event",)),
    Row("events:schedule_run", "302 403 403 403 403 302 302", args=("event",), method="post"),
    Row(
        "events:meeting_move",
        "302 403 403 403 403 302 302",
        args=("event", "event_meeting"),
        method="post",
    ),
    Row(
        "events:meeting_move",
        "302 403 403 403 403 200 200",
        args=("event", "event_meeting"),
        label="get",
    ),
    Row("events:register", SIGNED_IN, args=("event",)),
    Row("events:marketplace", "302 200 200 403 403 403 403", args=("event",)),
    Row("events:request_create", "302 302 302 403 403 403 403", args=("event",), method="post"),
    Row(
        "events:request_answer",
        "302 302 302 403 403 403 403",
        args=("event", "event_meeting"),
        method="post",
    ),
    Row("events:availability", "302 200 200 403 403 403 403", args=("event",)),
    Row("events:agenda", "302 200 200 403 403 403 403", args=("event",)),
    Row("events:agenda_print", "302 200 200 403 403 403 403", args=("event",)),
    Row("events:agenda_ics", "302 200 200 403 403 403 403", args=("event",)),
    Row(
        "events:feedback",
        "302 302 302 403 403 403 403",
        args=("event", "event_meeting"),
        method="post",
    ),
    # --- libraries mounted ---------------------------------------------------------------
    Row("account_login", "200 302 302 302 302 302 302"),
    Row("admin:index", "302 302 302 302 302 302 302"),
]


def _url_names():
    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            elif isinstance(pattern, URLPattern) and not (prefix + str(pattern.pattern)).startswith(
                LIBRARY_PREFIXES
            ):
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))


def test_every_url_has_a_row():
    covered = {row.name for row in ROWS}
    missing = sorted(_url_names() - covered)
    assert not missing, f"URLs without rows in the permission matrix: {missing}"
    assert all(name for name in _url_names()), "every URL needs a name to be checked"


def _resolve_args(row, world):
    values = []
    for arg in row.args:
        value = world.objects.get(arg, arg)
        values.append(value)
    return values


@pytest.mark.parametrize(
    ("row", "role"),
    [pytest.param(row, role, id=f"{row.id}-{role}") for row in ROWS for role in ROLES],
)
def test_permission_matrix(client, world, row, role):
    user = world.user(role, row.org)
    if user is not None:
        client.force_login(user)
    url = reverse(row.name, args=_resolve_args(row, world))
    response = getattr(client, row.method)(url, row.data or {})
    expected = row.codes()[role]
    assert response.status_code == expected, (
        f"{row.method.upper()} {url} as {role}: {response.status_code}, expected {expected}"
        + (f" -> {response.get('Location')}" if response.status_code == 302 else "")
    )
    if expected == 302 and role == "anon" and row.name not in ("set_language", "admin:index"):
        assert response["Location"].startswith(reverse("account_login"))
