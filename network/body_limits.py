"""Request bodies refused by their declared size, before a byte of them is read.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not cover files: a 50 MB upload would be streamed to a
temporary file in full before a form's 20 MB check. This middleware, first in the chain (before
CSRF reads the form), answers 413 when Content-Length exceeds the limit of the URL's view: the
limit a view declares with @request_body_limit (uploads), else DATA_UPLOAD_MAX_MEMORY_SIZE.
gunicorn's --limit-request-* bound the request line and headers, and the proxy in front bounds
every body (README, Production)."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation

from network.middleware import chosen_language

MB = 1024 * 1024
# Room for the other form fields and the multipart boundaries around the file.
FORM_OVERHEAD = MB


def request_body_limit(max_bytes: int):
    """Declare the largest body a view accepts (use it as the outermost decorator)."""

    def decorate(view):
        view.max_request_bytes = max_bytes
        return view

    return decorate


def limit_for(path: str) -> int:
    try:
        view = resolve(path).func
    except Resolver404:
        view = None
    return getattr(view, "max_request_bytes", None) or settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def declared_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = declared_length(request)
        limit = limit_for(request.path_info) if length else 0
        if length is None or (length and length > limit):
            return too_large(request, limit)
        return self.get_response(request)


def too_large(request, limit: int) -> HttpResponse:
    """413 with a page that says what the limit is; the body stays unread (gunicorn's sync
    workers close the connection after each response, so it is never taken for a request)."""
    language = chosen_language(request)
    with translation.override(language):
        html = render_to_string(
            "413.html", {"limit_mb": max(1, round(limit / MB)), "LANGUAGE_CODE": language}
        )
    return HttpResponse(html, status=413)
