"""Who sees which needs and matches. Views use these, never ad-hoc filters."""

from datetime import timedelta

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from network.models import KnowledgeOffer, Organisation, TestSite


def is_network_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_network_admin or user.is_superuser))


def _organisations_of(user, *, role: str | None = None):
    # One filter() call: the role must be on the user's own affiliation, not on any
    # affiliation of the organisation (two calls would join the affiliations twice).
    conditions = {"affiliations__person__user": user}
    if role:
        conditions["affiliations__role"] = role
    return Organisation.objects.filter(**conditions).values("pk")


def _in_region(prefix: str, region) -> Q:
    """The thing at `prefix` (a need, its owner, an organisation) is in `region`: its
    municipality's region, or the region it gave when it has no municipality."""
    return Q(**{f"{prefix}municipality__region": region}) | Q(
        **{f"{prefix}municipality__isnull": True, f"{prefix}region": region}
    )


class NeedQuerySet(models.QuerySet):
    def published(self):
        """Posted (not a draft) and approved by a reviewer."""
        return self.exclude(status="draft").filter(is_published=True)

    def matchable(self):
        """Open, reviewed needs of owners whose profile is not stale."""
        return self.filter(status="open", is_published=True, owner__stale_since__isnull=True)

    def open(self):
        return self.filter(status="open")

    def listed(self):
        """Needs SMEs may find in their matches (public or for signed-in members)."""
        return self.exclude(visibility="private")

    def not_merged(self):
        """Needs that stand on their own. One merged into another stays as a closed row
        pointing at it (matchmaking.sharing.need_merge); lists show the need it became."""
        return self.filter(merged_into__isnull=True)

    def placed_in(self, *, user, region=None, municipality=None):
        """Needs with one of their places in `region` and/or `municipality`: their own place
        (their owner's when they have none, as matching places them) or the place of an
        organisation that joined them, where `user` may see that organisation (a joiner's
        place is public only if the joiner is). One correlated EXISTS, nothing read first."""
        from matchmaking.models_sharing import NeedShare

        joiners = NeedShare.objects.filter(
            need=OuterRef("pk"),
            organisation__in=Organisation.objects.visible_to(user).values("pk"),
        )
        queryset = self
        if region is not None:
            queryset = queryset.filter(
                ((Q(municipality__isnull=False) | Q(region__isnull=False)) & _in_region("", region))
                | (
                    Q(municipality__isnull=True, region__isnull=True)
                    & _in_region("owner__", region)
                )
                | Exists(joiners.filter(_in_region("organisation__", region)))
            )
        if municipality is not None:
            queryset = queryset.filter(
                Q(municipality=municipality)
                | Q(
                    municipality__isnull=True, region__isnull=True, owner__municipality=municipality
                )
                | Exists(joiners.filter(organisation__municipality=municipality))
            )
        return queryset

    def visible_to(self, user):
        """Published needs the user may see, plus every need of the user's own organisations."""
        if is_network_admin(user):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.published().filter(visibility="public")
        return self.visible_with(_organisations_of(user))

    def visible_with(self, own_ids):
        """`visible_to` for a signed-in user whose organisations (ids or a subquery) are known."""
        from matchmaking.models_sharing import NeedShare

        # An organisation that joined a need keeps seeing it, whatever its owner makes it later.
        shared = NeedShare.objects.filter(need=OuterRef("pk"), organisation__in=own_ids)
        return self.filter(
            (~Q(status="draft") & Q(is_published=True, visibility__in=["public", "network"]))
            | Q(owner__in=own_ids)
            | Q(Exists(shared))
        )

    def managed_by(self, user):
        """Needs the user may edit, close and publish: those of organisations they administer."""
        if is_network_admin(user):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(owner__in=_organisations_of(user, role="admin"))

    def search(self, text: str):
        """Free text through the network's one search (network.search): the same folding,
        stems, thesaurus, typos and ranking as the directory, ordered by relevance."""
        text = (text or "").strip()
        if not text:
            return self
        from network.search.engine import ranked

        return ranked(self, "need", text, tie_break="title")


class MatchQuerySet(models.QuerySet):
    def live(self):
        """Matches whose target still exists (a test site or offer its owners deleted, which
        they may still restore, does not: the default managers leave it out)."""
        return self.filter(
            Q(need__isnull=False)
            | Exists(TestSite.objects.filter(pk=OuterRef("test_site_id")))
            | Exists(KnowledgeOffer.objects.filter(pk=OuterRef("knowledge_offer_id")))
        )

    def visible_to(self, user):
        """Matches whose company and target the user may both see."""
        if is_network_admin(user):
            return self.live()
        from matchmaking.models import Need

        # Correlated EXISTS, not IN (every visible target): a list shows one company's matches
        # or one target's, and checking those few rows is far cheaper than listing thousands
        # of visible test sites and offers on every page.
        def visible(queryset, field):
            return Exists(queryset.filter(pk=OuterRef(field)))

        if user is None or not user.is_authenticated:
            return self.filter(
                visible(Need.objects.visible_to(user), "need_id")
                | visible(TestSite.objects.visible_to(user), "test_site_id")
                | visible(KnowledgeOffer.objects.visible_to(user), "knowledge_offer_id"),
                visible(Organisation.objects.visible_to(user), "source_id"),
            )
        # The user's organisations are read once, so that each row's checks are a few column
        # comparisons: with the joins to people and affiliations inside all four checks,
        # PostgreSQL took longer to plan a page of matches than to read it.
        own = [row["pk"] for row in _organisations_of(user)]
        return self.filter(
            visible(Need.objects.visible_with(own), "need_id")
            | visible(TestSite.objects.visible_with(own), "test_site_id")
            | visible(KnowledgeOffer.objects.visible_with(own), "knowledge_offer_id"),
            visible(Organisation.objects.visible_with(own), "source_id"),
        )

    def for_target(self, target):
        from matchmaking.services import target_key

        target_type, target_id = target_key(target)
        return self.filter(target_type=target_type, target_id=target_id)

    def with_related(self):
        """Everything a match card shows, in a constant number of queries."""
        return self.select_related(
            "source__municipality",
            "source__region",
            "need__owner",
            "need__municipality",
            "need__region",
            "test_site__owner__region",
            "test_site__municipality__region",
            "knowledge_offer__owner__region",
            "run",
        )

    def for_cards(self, *, source=True):
        """Everything a list of match cards shows, in a constant number of small queries: the
        company (unless `source` is False: a company's own list does not show it) and the run
        joined, each kind of target read by its own query for the page's rows, with only the
        columns a card shows (organisation rows are wide). (One query joining all three kinds
        of target and their owners and places is sixteen tables, which PostgreSQL spends longer
        planning than running.)"""
        from matchmaking.models import Need

        owner = ("owner", "owner__name", "owner__slug")
        related = ("source__municipality", "source__region", "run") if source else ("run",)
        return self.select_related(*related).prefetch_related(
            models.Prefetch(
                "need",
                Need.objects.select_related("owner", "municipality", "region").only(
                    "title", *owner, "municipality", "municipality__name", "region", "region__name"
                ),
            ),
            models.Prefetch(
                "test_site",
                TestSite.objects.select_related("owner", "municipality").only(
                    "name", *owner, "municipality", "municipality__name"
                ),
            ),
            models.Prefetch(
                "knowledge_offer",
                KnowledgeOffer.objects.select_related("owner__region").only(
                    "title", *owner, "owner__region", "owner__region__name"
                ),
            ),
        )


class MatchRunQuerySet(models.QuerySet):
    STALE_AFTER = timedelta(minutes=5)

    def active(self):
        return self.filter(status__in=["queued", "running"])

    def stalled(self, now=None):
        """Running, but no sign of life for a while: the worker died (it is safe to re-run)."""
        now = now or timezone.now()
        return self.filter(status="running", heartbeat_at__lt=now - self.STALE_AFTER)

    def full(self):
        return self.filter(kind="full")
