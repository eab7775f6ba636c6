"""Scopes: each API view names the scope a token needs (`required_scope`)."""

from rest_framework.permissions import BasePermission

DIRECTORY_READ = "directory:read"
MEMBERS_READ = "members:read"
STATS_READ = "stats:read"


class HasTokenScope(BasePermission):
    """No token: 401 (DRF turns a refusal without authentication into 401); a token without
    the view's scope: 403."""

    def has_permission(self, request, view):
        token = request.auth
        if token is None:
            return False
        scope = getattr(view, "required_scope", None)
        return scope is not None and token.has_scope(scope)
