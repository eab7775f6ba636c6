"""Network admins and cluster staff must enrol a TOTP authenticator before they can work.

Their accounts reach other organisations' memberships, contacts and reports, so a stolen
password alone must not be enough. Until such a user has TOTP, every page except signing in
and out, the MFA set-up itself and the person's own privacy rights answers with a redirect to
the TOTP set-up page. Once enrolled, allauth asks for the code at every sign-in.

It lives in `clusters` because "is cluster staff" is a clusters fact; `network` may not import it.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from clusters.models import ClusterStaff

# Paths a not-yet-enrolled staff user may still open: allauth (sign-in/out, MFA set-up, email),
# the language switch, the privacy pages and their own data rights, health checks, assets.
ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/privacy/", "/account/", "/healthz", "/static/")


def mfa_required(user) -> bool:
    """True when this user's role demands TOTP and they have not enrolled one yet."""
    if not user.is_authenticated:
        return False
    flags = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            staff=Exists(ClusterStaff.objects.filter(user=OuterRef("pk"))),
            totp=Exists(
                Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
            ),
        )
        .values("staff", "totp")
        .first()
    )
    if flags is None or flags["totp"]:
        return False
    return bool(user.is_network_admin or user.is_superuser or user.is_staff or flags["staff"])


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
