"""Highlighted snippets: the part of an item's text where the query's words are, each found
word marked (<mark>), everything else escaped. A word counts as found when one of its keys is
one the query looked up (so "sygehuset" is marked for the query "hospital")."""

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from network.search.analyzer import analyzer
from network.search.keys import word_keys
from network.search.query import Plan, leaves
from network.text.normalise import fold

WINDOW = 28  # words in a snippet
BEFORE = 6  # words shown before the first found word
TOKEN_RE = re.compile(r"([^\W_]+)")


@lru_cache(maxsize=50_000)
def _keys(word: str) -> frozenset:
    return frozenset(word_keys(word, analyzer()))


def _looked_up(plan: Plan) -> tuple[frozenset, tuple]:
    exact, prefixes = set(), []
    for group in plan.groups:
        for term in leaves(group):
            if term.prefix:
                prefixes.append(term.key)
            else:
                exact.add(term.key)
    return frozenset(exact), tuple(prefixes)


def _found(word: str, exact: frozenset, prefixes: tuple) -> bool:
    if prefixes and fold(word).startswith(prefixes):
        return True
    return bool(_keys(word.lower()) & exact)


def highlight(text: str, plan: Plan) -> str:
    exact, prefixes = _looked_up(plan)
    parts = TOKEN_RE.split(text or "")
    out = []
    for position, part in enumerate(parts):
        if position % 2 and _found(part, exact, prefixes):
            out.append(f"<mark>{escape(part)}</mark>")
        else:
            out.append(escape(part))
    return mark_safe("".join(out))  # noqa: S308  (every part escaped above)


def snippet(text: str, plan: Plan) -> str:
    """About WINDOW words of `text` around the first found word, found words marked."""
    words = (text or "").split()
    if not words:
        return ""
    exact, prefixes = _looked_up(plan)
    first = 0
    for position, written in enumerate(words):
        if any(
            _found(token, exact, prefixes) for token in TOKEN_RE.findall(written) if token.strip()
        ):
            first = position
            break
    start = max(0, first - BEFORE)
    part = " ".join(words[start : start + WINDOW])
    prefix = "… " if start else ""
    suffix = " …" if start + WINDOW < len(words) else ""
    return mark_safe(f"{prefix}{highlight(part, plan)}{suffix}")  # noqa: S308
