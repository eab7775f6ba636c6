"""Per-token rate limits: the token's own `rate_limit`, else settings.API_RATE_LIMIT."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api_token"

    def __init__(self):
        # The rate depends on the token, so it is read per request (allow_request).
        pass

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def allow_request(self, request, view):
        token = request.auth
        if token is None:
            return True  # refused by the permission check anyway
        self.rate = getattr(token, "rate_limit", "") or self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
