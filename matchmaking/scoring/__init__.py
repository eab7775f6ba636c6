"""The matching engine: pure functions over arrays (numpy/scipy), no ORM, no Django.

    corpus.py      Documents -> arrays of both sides with a shared vocabulary
    text.py        tokenising, stop words, stemming, compound splitting, TF-IDF
    components.py  each component's value in [0, 1]; weights; the hard rules
    engine.py      chunked block scoring, top K per source and per target, incremental runs
    explain.py     values and reasons of the kept pairs

`code_version()` names this code in every MatchRun: the engine version plus a digest of these
files, so a stored result can be traced to the code that produced it.
"""

import hashlib
from functools import cache
from pathlib import Path

ENGINE_VERSION = "1.0"


@cache
def code_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{ENGINE_VERSION}+{digest.hexdigest()[:10]}"
