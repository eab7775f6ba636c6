"""The text analyser search uses: the thesaurus as network admins keep it (network.concepts),
read once per process and again after SEARCH_THESAURUS_SECONDS, so an edit counts soon after."""

import time

from django.conf import settings

from network.text.analysis import Analyzer

_cached = {"analyzer": None, "at": 0.0}


def analyzer() -> Analyzer:
    seconds = getattr(settings, "SEARCH_THESAURUS_SECONDS", 300)
    if _cached["analyzer"] is None or time.monotonic() - _cached["at"] > seconds:
        from network.concepts import current_thesaurus

        _cached["analyzer"] = Analyzer(thesaurus=current_thesaurus())
        _cached["at"] = time.monotonic()
    return _cached["analyzer"]


def forget() -> None:
    """Read the thesaurus again on next use (tests that edit it)."""
    _cached["analyzer"] = None
