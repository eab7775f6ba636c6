"""Where to go back to after a form: one rule for every `next` (and `back`) the portal reads.

A value is used only when it is a path on this site ("/matches/?page=2"). Anything else (a URL
of another site, "//evil.example", a bare word such as "abc" that `redirect()` would try to
reverse as a URL name) falls back to the page the view names. Callers pass the result to
`redirect()`, which then never raises on what a visitor typed.
"""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_path(value: str | None, *, default: str, request=None) -> str:
    """`value` when it is a path on this site, else `default` (itself a path)."""
    value = (value or "").strip()
    if not value.startswith("/") or value.startswith(("//", "/\\")):
        return default
    hosts = {request.get_host()} if request is not None else None
    secure = request.is_secure() if request is not None else False
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=hosts, require_https=secure):
        return default
    return value


def next_path(request, *, default: str, field: str = "next") -> str:
    """The `field` of the POST (or, for a GET, the query string) when it is a safe path."""
    source = request.POST if request.method == "POST" else request.GET
    return safe_path(source.get(field), default=default, request=request)
