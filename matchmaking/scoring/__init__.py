"""The matching engine: pure functions over arrays (numpy/scipy), no ORM, no Django.

    corpus.py      Documents -> arrays of both sides with a shared vocabulary
    text.py        tokenising, stop words, stemming, compound splitting, TF-IDF
    components.py  each component's value in [0, 1]; weights; the hard rules
    engine.py      chunked block scoring, top K per source and per target, incremental runs
    explain.py     values and reasons of the kept pairs

`code_version()` names this code in every MatchRun: the engine version plus a digest of these
files and of the language layer they use (network/text/, its shipped data included), so a
stored result can be traced to the code that produced it, and a change to either starts the
next full run from scratch (cached corpora are keyed by it too).
"""

import hashlib
from functools import cache
from pathlib import Path

ENGINE_VERSION = "2.0"  # 2: concepts and one stemmer for da, nb and en


@cache
def code_version() -> str:
    digest = hashlib.sha256()
    here = Path(__file__).parent
    language_layer = here.parents[1] / "network" / "text"
    paths = [*here.glob("*.py"), *language_layer.glob("*.py"), *language_layer.glob("data/*")]
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{ENGINE_VERSION}+{digest.hexdigest()[:10]}"
