"""Network admins and cluster staff must enrol a TOTP authenticator before they can work.

Their accounts reach other organisations' memberships, contacts and reports, so a stolen
password alone must not be enough. Until such a user has TOTP, every page except signing in
and out, the MFA set-up itself and the person's own privacy rights answers with a redirect to
the TOTP set-up page. Once enrolled, allauth asks for the code at every sign-in.

It lives in `clusters` because "is cluster staff" is a clusters fact; `network` may not import it.

Whether the user is cluster staff and has TOTP is read once and then kept in the cache (shared
Redis in production) for STAFF_MFA_FLAGS_CACHE_SECONDS, rather than queried at every request.
Saving or deleting a ClusterStaff or an Authenticator forgets the user's entry at once and again
when the transaction commits (connect_signals), so a role granted to someone without TOTP takes
effect at their next request. The user's own flags (network admin, staff, superuser) are read
from request.user, which is loaded fresh at every request.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from clusters.models import ClusterStaff
from network.models import Affiliation, Person
from network.models.organisations import OrganisationKind

# Paths a not-yet-enrolled staff user may still open: allauth (sign-in/out, MFA set-up, email),
# the language switch, the privacy pages and their own data rights, health checks, assets.
ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/privacy/", "/account/", "/healthz", "/static/")


def _flags_key(user_pk) -> str:
    return f"mfa-flags:{user_pk}"


def _read_flags(user_pk) -> dict | None:
    """{"staff": is cluster staff, "totp": has a TOTP authenticator, "sme": works for an SME
    (for the menu's "My matches")}, or None (no such user)."""
    return (
        get_user_model()
        .objects.filter(pk=user_pk)
        .annotate(
            staff=Exists(ClusterStaff.objects.filter(user=OuterRef("pk"))),
            totp=Exists(
                Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
            ),
            sme=Exists(
                Affiliation.objects.filter(
                    person__user=OuterRef("pk"), organisation__kind=OrganisationKind.SME
                )
            ),
        )
        .values("staff", "totp", "sme")
        .first()
    )


def staff_mfa_flags(user_pk) -> dict | None:
    """The user's staff and TOTP flags, from the cache when there (see the module docstring)."""
    seconds = getattr(settings, "STAFF_MFA_FLAGS_CACHE_SECONDS", 0)
    if not seconds:
        return _read_flags(user_pk)
    key = _flags_key(user_pk)
    flags = cache.get(key)
    if flags is None:
        flags = _read_flags(user_pk)
        if flags is not None:
            cache.set(key, flags, seconds)
    return flags


def forget_mfa_flags(user_pk) -> None:
    """Drop the cached flags now and once more when the transaction commits, so that a request
    which read the old rows just before the commit cannot leave them cached."""
    key = _flags_key(user_pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def forget_flags_of(user_ids) -> None:
    """For network.hooks.affiliations_moved: a merge moved these users' affiliations."""
    for user_pk in user_ids:
        forget_mfa_flags(user_pk)


def _roles_or_authenticators_changed(sender, instance, **kwargs):
    if instance.user_id is not None:
        forget_mfa_flags(instance.user_id)


def _affiliation_changed(sender, instance, **kwargs):
    user_id = Person.objects.filter(pk=instance.person_id).values_list("user_id", flat=True).first()
    if user_id is not None:
        forget_mfa_flags(user_id)


def _user_changed(sender, instance, **kwargs):
    # A new user may reuse a deleted one's id (SQLite); their flags must not be inherited.
    if instance.pk is not None:
        forget_mfa_flags(instance.pk)


def connect_signals() -> None:
    """Called by ClustersConfig.ready, so that every process (web, worker, shell) clears the
    cached flags when it changes roles or authenticators."""
    for signal in (post_save, post_delete):
        for model in (ClusterStaff, Authenticator):
            signal.connect(
                _roles_or_authenticators_changed, sender=model, dispatch_uid=f"mfa-flags-{model}"
            )
        signal.connect(_user_changed, sender=get_user_model(), dispatch_uid="mfa-flags-user")
        signal.connect(_affiliation_changed, sender=Affiliation, dispatch_uid="mfa-flags-aff")


def mfa_required(user) -> bool:
    """True when this user's role demands TOTP and they have not enrolled one yet."""
    if not user.is_authenticated:
        return False
    role = user.is_network_admin or user.is_superuser or user.is_staff
    flags = staff_mfa_flags(user.pk)
    # The menu asks whether the user staffs a cluster and works for an SME; it has just been
    # answered (clusters.context_processors, matchmaking.permissions.is_sme_user).
    user.__dict__["_staff_flags"] = flags
    if flags is None or flags["totp"]:
        return False
    return bool(role or flags["staff"])


class StaffMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.STAFF_MFA_REQUIRED
            and not request.path_info.startswith(ALLOWED_PREFIXES)
            and mfa_required(request.user)
        ):
            return self._to_enrolment(request)
        return self.get_response(request)

    @staticmethod
    def _to_enrolment(request):
        target = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        messages.warning(
            request,
            _(
                "Your role gives access to other organisations' data. Set up an authenticator "
                "app (two-factor sign-in) before you continue."
            ),
        )
        return redirect(target)
