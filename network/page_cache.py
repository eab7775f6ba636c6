"""Rendered parts of pages kept in the cache until the data under them changes.

The expensive part of a list page (its rows, cards and facets) is the same for one viewer until
something is written to the database. Every write is noticed where all writes pass, the database
connection (an execute wrapper), so no model, bulk update or raw statement can forget to say so:
a write to any table but those listed in WRITES_THAT_CHANGE_NO_PAGE moves the data version on,
and a fragment is kept under the version it was rendered at. A rolled-back write moves nothing.

Race-free because the version moves after the commit: a page rendered from a snapshot taken
before the commit is stored under the old version, which nobody asks for any more. In tests,
whose transactions never commit, every write moves the version at once as well
(PAGE_CACHE_BUMP_AT_ONCE).

The cache must be shared by every process that writes (Redis): with the embedded in-process
cache a management command's writes would not reach the web server's fragments, so there
PAGE_CACHE is off unless switched on.

Forms inside a fragment carry the viewer's own CSRF token: fragments are rendered with a
placeholder that is replaced on the way out.
"""

import hashlib
import re
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.signals import request_started
from django.db.backends.signals import connection_created
from django.http import Http404
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

VERSION_KEY = "page-cache:data-version"
FRAGMENT_SECONDS = 600
CSRF_PLACEHOLDER = "portal-csrf-placeholder-7f3a"
# Tables no cached fragment shows: writing them on every request or login must not empty it.
WRITES_THAT_CHANGE_NO_PAGE = frozenset({"django_session"})

_local = threading.local()  # writes by this thread, so a request that wrote reads the version anew

_WRITE = re.compile(
    r"""^\s*(?:insert\s+into|update|delete\s+from|merge\s+into|truncate(?:\s+table)?|copy)\s+
    "?(\w+)"?""",
    re.IGNORECASE | re.VERBOSE,
)
_OTHER_CHANGE = re.compile(r"^\s*(?:with|alter|create|drop)\b", re.IGNORECASE)
_WRITE_IN_WITH = re.compile(r"\b(?:insert|update|delete)\b", re.IGNORECASE)


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE", False)


def written_table(sql: str) -> str | None:
    """The table a statement writes to; "*" when it changes something unnamed; None for reads."""
    match = _WRITE.match(sql)
    if match:
        return match.group(1).lower()
    if _OTHER_CHANGE.match(sql):
        head = sql.lstrip()[:4].lower()
        if head != "with" or _WRITE_IN_WITH.search(sql):
            return "*"
    return None


def data_version(request=None) -> str:
    """The current data version; a missing one (evicted, first start) gets a value never used
    before, so no fragment from an earlier era can match it. Read once per request, unless
    the request has written since."""
    writes = getattr(_local, "writes", 0)
    memo = getattr(request, "_page_cache_version", None)
    if memo is not None and memo[0] == writes:
        return memo[1]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    version = str(version)
    if request is not None:
        request._page_cache_version = (writes, version)
    return version


def bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there: any new value invalidates, as data_version() would
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)


def _committed() -> None:
    _local.uncommitted = False
    bump()


def usable() -> bool:
    """Whether this thread may read and keep fragments now: not with writes of its own that
    are not committed yet."""
    return enabled() and not getattr(_local, "uncommitted", False)


def _request_started(**kwargs) -> None:
    _local.uncommitted = False  # a rolled-back transaction of the last request ran no hook


def note_write(connection, table: str) -> None:
    if table in WRITES_THAT_CHANGE_NO_PAGE or not enabled():
        return
    _local.writes = getattr(_local, "writes", 0) + 1
    if getattr(settings, "PAGE_CACHE_BUMP_AT_ONCE", False) or not connection.in_atomic_block:
        bump()
        return
    # Until the commit this thread sees data no version names yet: it renders uncached.
    _local.uncommitted = True
    # One hook per transaction, however many writes and savepoints: a loop of a thousand saves,
    # each in its own savepoint, moves the version once at commit. A hook in run_on_commit runs
    # at the commit unless a savepoint open when it was registered is rolled back, and such a
    # savepoint is still open now, so this write goes with it. A hook registered inside a
    # savepoint that was rolled back is gone from run_on_commit, so it is registered again.
    if not any(entry[1] is _committed for entry in connection.run_on_commit):
        connection.on_commit(_committed)


def _track_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    table = written_table(sql) if isinstance(sql, str) else "*"
    if table is not None:
        note_write(context["connection"], table)
    return result


def install(sender=None, connection=None, **kwargs) -> None:
    if not enabled():  # nothing to invalidate: no wrapper on every statement either
        return
    if _track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_track_writes)


def connect_signals() -> None:
    connection_created.connect(install, dispatch_uid="page-cache-track-writes")
    request_started.connect(_request_started, dispatch_uid="page-cache-request-started")
    # A connection opened before the app registry was ready (migrations, checks) is covered too.
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        install(connection=connection)


def viewer_key(request) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    return f"user:{user.pk}"


def fragment_key(request, name: str, *parts, ignore: tuple = ()) -> str:
    """One fragment as one viewer sees it now: the data version, the language, today's date
    (pages say "expires in 3 days"), the path and its query (but for the parameters the fragment
    does not show, `ignore`), and what the caller adds."""
    query = sorted((k, v) for k, values in request.GET.lists() if k not in ignore for v in values)
    pieces = [
        name,
        data_version(request),
        translation.get_language() or "",
        timezone.localdate().isoformat(),
        viewer_key(request),
        request.path,
        "&".join(f"{k}={v}" for k, v in query),
        *(str(part) for part in parts),
    ]
    digest = hashlib.sha256("\n".join(pieces).encode()).hexdigest()[:40]
    return f"page-cache:{name}:{digest}"


def personalise(html: str, request) -> str:
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return html


def get(key: str, request) -> str | None:
    """The fragment kept under `key`; when the view asked has() first, its answer (hit or
    miss), without asking the cache again."""
    looked_up = getattr(request, "_page_cache_looked_up", {})
    if key in looked_up:
        return looked_up[key]
    return cache.get(key)


_MISSING = object()


def remember(request, name: str, *parts, compute):
    """compute() (a picklable value read from the data), kept for this viewer until the data
    changes: what a page asks the database on every visit (a permission lookup, the state of
    the match runs) when nothing has changed since."""
    if not usable():
        return compute()
    raw = "\n".join([name, data_version(request), viewer_key(request), *map(str, parts)])
    key = f"page-cache:value:{name}:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, FRAGMENT_SECONDS)
    return value


def remember_access(request, name: str, *parts, lookup):
    """lookup() (a permission helper: the object, or Http404 / PermissionDenied), its answer
    for this viewer kept until the data changes, a refusal as well as the object."""

    def outcome():
        try:
            return lookup(), None
        except Http404:
            return None, Http404
        except PermissionDenied:
            return None, PermissionDenied

    found, refusal = remember(request, f"access:{name}", *parts, compute=outcome)
    if refusal is not None:
        raise refusal
    return found


def unless_kept(request, name: str, *parts, compute, ignore: tuple = ()):
    """compute() now, or, when the fragment comes from the cache, only if something asks for
    its result after all (a test reading the response's context)."""
    if has(request, name, *parts, ignore=ignore):
        return SimpleLazyObject(compute)
    return compute()


def has(request, name: str, *parts, ignore: tuple = ()) -> bool:
    """Whether the fragment {% pagecache name parts %} will come from the cache: a view asks
    first and skips reading what only the fragment shows. The answer, hit or miss, is kept for
    the tag."""
    if not usable():
        return False
    key = fragment_key(request, name, *parts, ignore=ignore)
    html = cache.get(key)
    if not hasattr(request, "_page_cache_looked_up"):
        request._page_cache_looked_up = {}
    request._page_cache_looked_up[key] = html
    return html is not None


def put(key: str, html: str) -> None:
    cache.set(key, html, FRAGMENT_SECONDS)
