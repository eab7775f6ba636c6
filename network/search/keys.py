"""Text -> search keys, the same for documents and queries, the same on both databases.

A key is a token of letters, digits and "_" that either database stores and matches as is:

    velfaerdsteknologi    a folded word (network.text.normalise.fold: æ/ae, ø/oe, å/aa, case)
    s_velferdsteknoloki   its stem (network.text.stemming: one stemmer for da, nb and en)
    c_welfare_technology  a thesaurus concept the word (or a run of words) is a term of
    p_hjem, p_plei        the stems of a compound's parts ("hjemmeplejen" -> hjemme + pleje)
    f_<slug>, r_<slug>    facet tokens: focus area, region (written by the sources)

Because stemming, compounds and concepts are worked out here, in Python, a word written
"sygehus", "sykehus" or "hospitals" gives the same concept key wherever it is stored, and the
databases only look keys up. Pure Python: no Django imports beyond the text layer.
"""

import re
from dataclasses import dataclass, field

from network.text.analysis import CONCEPT, Analyzer
from network.text.normalise import fold, words
from network.text.stemming import stem
from network.text.stopwords import ALL as STOP_WORDS

KEY_RE = re.compile(r"^[a-z0-9]+$")
STOP = frozenset(fold(word) for word in STOP_WORDS)
MAX_WORD = 60  # longer "words" are noise (a pasted hash, a URL)


def clean(token: str) -> str:
    """A token reduced to what both databases keep as one key: [a-z0-9_]."""
    return re.sub(r"[^a-z0-9_]+", "_", fold(token)).strip("_")


def facet_key(prefix: str, value: str) -> str:
    return f"{prefix}_{clean(value)}"


@dataclass
class Keys:
    """Keys in first-seen order, without repeats."""

    found: dict = field(default_factory=dict)

    def add(self, key: str) -> None:
        if key and key not in self.found:
            self.found[key] = None

    def text(self) -> str:
        """Stored with a space on each side of every key, so that ' key ' matches whole keys."""
        return f" {' '.join(self.found)} " if self.found else ""


def word_keys(word: str, analyzer: Analyzer) -> list[str]:
    """The keys of one written word: folded form, stem, concept, compound parts."""
    folded = fold(word)
    if not KEY_RE.match(folded) or len(folded) > MAX_WORD:
        return []
    keys = [folded]
    if folded.isdigit():
        return keys
    key = stem(folded)
    keys.append(f"s_{key}")
    concept = analyzer.thesaurus.lookup((key,))
    if concept:
        keys.append(f"c_{concept}")
    for part in dict.fromkeys(analyzer.split(folded)):
        if part in STOP:
            continue
        part_key = stem(part)
        keys.append(f"p_{part_key}")
        part_concept = analyzer.thesaurus.lookup((part_key,))
        if part_concept:
            keys.append(f"c_{part_concept}")
    return keys


def document_keys(text: str, analyzer: Analyzer) -> str:
    """The keys of a field of a document, as stored."""
    keys = Keys()
    for word in words(text):
        for key in word_keys(word, analyzer):
            keys.add(key)
    # Terms of several words ("heart failure", "type 2 diabetes") are concepts too.
    for feature, _word in analyzer.features(text, "da"):
        if feature.startswith(CONCEPT):
            keys.add(f"c_{clean(feature[1:])}")
    return keys.text()


def text_words(text: str) -> list[str]:
    """The folded words of a text that can be keys."""
    return [
        folded
        for folded in (fold(word) for word in words(text))
        if KEY_RE.match(folded) and len(folded) <= MAX_WORD
    ]
