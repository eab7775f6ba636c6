"""Paginating long lists whose total is the costliest query of the page.

A list of thousands of rows counts all of them for "N found" and the page links on every
request, with every filter. The total of the same list (same filters, same viewer) is kept in
the cache, shared by every web worker: with the page cache on (network/page_cache.py) until the
next write anywhere, so it is always right; without it for a minute.
"""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from network import page_cache

COUNT_SECONDS = 60


def list_cache_key(name: str, request, *scope) -> str:
    """A key for one list as one viewer sees it: the list's name, what decides which rows the
    viewer may see (`scope`), and the query string without the page number."""
    query = request.GET.copy()
    query.pop("page", None)
    parts = [str(part) for part in scope]
    if page_cache.usable():
        parts.append(page_cache.data_version(request))
    parts.extend(f"{key}={value}" for key, value in sorted(query.lists()))
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f"{name}:{digest}"


def viewer_scope(user) -> str:
    """Who the rows are counted for: anonymous visitors all share one total."""
    if user is None or not user.is_authenticated:
        return "anonymous"
    return f"user:{user.pk}"


class CachedCountPaginator(Paginator):
    """A Paginator whose total is read from the cache when the same list was counted in the
    last `timeout` seconds."""

    def __init__(self, object_list, per_page, *, cache_key: str, timeout=COUNT_SECONDS, **kw):
        super().__init__(object_list, per_page, **kw)
        self.cache_key = f"count:{cache_key}"
        self.timeout = timeout

    @cached_property
    def count(self):
        total = cache.get(self.cache_key)
        if total is None:
            total = Paginator.count.func(self)
            cache.set(self.cache_key, total, self.timeout)
        return total


class NarrowPages:
    """A queryset's pages for a Paginator, found by a narrow query and read in full only for
    the page shown.

    A list sorted by a column of a joined table (members by their organisation's name) has to
    join and sort every row to find one page; when the joined rows are wide, reading them all
    is most of the page's time. Here the page's keys are chosen by a subquery that reads only
    the keys and the sort columns (an index can answer it) with every filter and permission
    of `queryset`, and `rows` (what a row shows: select_related, only, prefetch_related) reads
    just those rows, in the same order: still one query per page.
    """

    def __init__(self, queryset, *, rows):
        self.queryset = queryset
        self.rows = rows
        self.ordered = queryset.ordered

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            raise TypeError("NarrowPages is read a page (a slice) at a time")
        keys = self.queryset.select_related(None).prefetch_related(None).values("pk")[key]
        return self.rows.filter(pk__in=keys).order_by(*self.queryset.query.order_by)
