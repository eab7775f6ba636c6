"""Token authentication: `Authorization: Bearer <key>`.

The token model lives above `network` (it points at clusters), so it is found by name
(settings.API_TOKEN_MODEL). It must offer `objects.for_key(key)` and `is_active()`,
`has_scope(scope)` and `mark_used()`. The request's user stays anonymous: what a token may
read follows from the token's owner and scopes, never from the person who created it.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

KEYWORDS = ("bearer", "token")


def token_model():
    return apps.get_model(settings.API_TOKEN_MODEL)


class APITokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from error
        token = token_model().objects.for_key(key)
        if token is None or not token.is_active():
            raise exceptions.AuthenticationFailed(_("Invalid, revoked or expired token."))
        token.mark_used()
        return AnonymousUser(), token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) when no or a bad token is given.
        return 'Bearer realm="api"'


class APITokenScheme(OpenApiAuthenticationExtension):
    target_class = "network.api.authentication.APITokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _("An API token from the cluster's API token page, sent as a Bearer token.")
            ),
        }
