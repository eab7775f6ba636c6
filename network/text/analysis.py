"""Text -> matching features, the same way for Danish, Norwegian and English.

A feature is a concept of the thesaurus ("@fall") or, for a word the thesaurus does not know,
its stem. For every word of a text, in order:

* words that are stop words or generic in this domain (network.text.generic) are dropped;
* runs of words that are a thesaurus term become that concept ("hand hygiene",
  "sleep apnoea", "heart failure");
* a word that is a term becomes its concept ("KOLS", "hjertesvigt", "sykehus");
* a Danish or Norwegian compound is split against the lexicon (the thesaurus's words, a few
  built-in ones and the words of the corpus), allowing the linking -s-/-e-: the word's stem
  stays a feature and each part adds its own concept or stem ("kolspasienter" -> @copd).
  A compound that is a term as a whole is that concept plus its parts' concepts only
  ("faldsensorer" -> @fall_detection, @fall, @sensor), so "hjertesvigt" (heart failure)
  does not also count as "svigt" next to "nyresvigt"; a run of words that is a term adds its
  words' concepts the same way ("heart failure" -> @heart_failure, @heart).

Each feature is returned with the word it came from, for explanations.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain

from network.text.generic import DROPPED, GENERIC_CONCEPTS
from network.text.normalise import fold, words
from network.text.stemming import SUFFIXES, stem
from network.text.stopwords import ALL
from network.text.thesaurus import Thesaurus, load

STOP_WORDS = frozenset(ALL) | frozenset(fold(word) for word in ALL)  # as written and folded
CONCEPT = "@"  # features that are concepts start with this
COMPOUNDING = {"da", "nb"}
MIN_COMPOUND = 7
MIN_HEAD = 3
MIN_TAIL = 4
LINKING = ("s", "e")
ENDINGS = frozenset(SUFFIXES)  # "målinger|ne" is no compound of "måling" and "erne"

# Words every health-tech corpus needs to split its compounds, even a small one (folded).
BUILTIN_LEXICON = frozenset(
    fold(word)
    for word in [
        "alarm",
        "app",
        "borger",
        "bolig",
        "center",
        "centre",
        "data",
        "demens",
        "diabetes",
        "digital",
        "ensomhed",
        "fald",
        "fall",
        "forløb",
        "hjem",
        "hjemme",
        "helse",
        "hjerte",
        "hospital",
        "kræft",
        "kreft",
        "lunge",
        "medicin",
        "medisin",
        "mål",
        "nat",
        "natt",
        "natte",
        "patient",
        "pasient",
        "pleje",
        "pleie",
        "robot",
        "senter",
        "sensor",
        "sensorer",
        "sundhed",
        "sygehus",
        "sykehus",
        "syge",
        "syke",
        "tele",
        "video",
        "træning",
        "trening",
        "tilsyn",
        "omsorg",
        "behandling",
        "oppfølging",
        "opfølgning",
    ]
)


def is_concept(feature: str) -> bool:
    return feature.startswith(CONCEPT)


@dataclass
class Analyzer:
    """Turns text into (feature, word) pairs; caches per word, so each is analysed once."""

    lexicon: frozenset = frozenset()  # extra folded words to split compounds against
    thesaurus: Thesaurus | None = None
    _cache: dict = field(default_factory=dict, repr=False)
    _lexicon_stems: frozenset | None = field(default=None, repr=False)
    _words: dict = field(default_factory=lambda: {True: {}, False: {}}, repr=False)

    def __post_init__(self):
        if self.thesaurus is None:
            self.thesaurus = load()
        lexicon = {word for word in self.lexicon if word not in STOP_WORDS}
        self.lexicon = frozenset(lexicon | BUILTIN_LEXICON | self.thesaurus.words)

    # -- compounds -------------------------------------------------------------------------
    def _known(self, word: str, *, inflected: bool = False) -> bool:
        """A word of the lexicon; with `inflected`, also another form of one (same stem)."""
        if word in self.lexicon:
            return True
        if not inflected:
            return False
        if self._lexicon_stems is None:
            self._lexicon_stems = frozenset(stem(known) for known in self.lexicon)
        return stem(word) in self._lexicon_stems

    def split(self, word: str, depth: int = 2) -> list[str]:
        """The parts of a folded compound, leftmost split first; [] when it is not one."""
        if len(word) < MIN_COMPOUND or depth == 0:
            return []
        for cut in range(MIN_HEAD, len(word) - MIN_TAIL + 1):
            head, tail = word[:cut], word[cut:]
            if tail in ENDINGS or not self._known(tail, inflected=True):
                continue
            if self._known(head):
                heads = [head]
            elif head[-1] in LINKING and len(head) > MIN_HEAD and self._known(head[:-1]):
                heads = [head[:-1]]
            else:
                continue
            return (self.split(heads[0], depth - 1) or heads) + [tail] + self.split(tail, depth - 1)
        return []

    # -- features --------------------------------------------------------------------------
    def word_features(self, written: str, language: str) -> tuple:
        key = (written, language in COMPOUNDING)
        features = self._cache.get(key)
        if features is None:
            features = self._cache[key] = tuple(self._word_features(written, key[1]))
        return features

    def _word_features(self, written: str, compounding: bool):
        folded = fold(written)
        if folded in STOP_WORDS or not folded.isalpha():
            return  # numbers only count inside a term ("type 2 diabetes", "covid-19")
        key = stem(folded)
        concept = self.thesaurus.lookup((key,))
        if concept:
            if concept not in GENERIC_CONCEPTS:
                yield CONCEPT + concept, written
        elif key not in DROPPED:
            yield key, written
        if not compounding:
            return
        for part in dict.fromkeys(self.split(folded)):
            if part == folded or part in STOP_WORDS:
                continue
            part_key = stem(part)
            part_concept = self.thesaurus.lookup((part_key,))
            if part_concept:
                if part_concept not in GENERIC_CONCEPTS and part_concept != concept:
                    yield CONCEPT + part_concept, part
            elif part_key not in DROPPED and not concept:
                # A compound that is a concept keeps only its parts' concepts: "nyresvikt"
                # and "hjertesvikt" share no "svikt".
                yield part_key, part

    def features(self, text: str, language: str) -> list[tuple[str, str]]:
        return self.features_of_words(words(text), language)

    def features_of_words(self, written: Iterable[str], language: str) -> list[tuple[str, str]]:
        written = list(written)
        known = self._words[language in COMPOUNDING]
        infos = [known.get(word) or self._word_info(word, language) for word in written]
        per_word = [info[1] for info in infos]
        starts = [position for position, info in enumerate(infos) if info[2]]
        lookup, longest = self.thesaurus.lookup, self.thesaurus.max_words
        free = 0  # words before this one are part of a term already
        for position in starts:
            if position < free:
                continue
            for size in range(min(longest, len(infos) - position), 1, -1):
                concept = lookup(tuple(info[0] for info in infos[position : position + size]))
                if concept:
                    break
            else:
                continue
            found = CONCEPT + concept
            phrase = []
            if concept not in GENERIC_CONCEPTS:
                phrase.append((found, " ".join(written[position : position + size])))
            # The words' own concepts too: "heart failure" is also about the heart.
            for features in per_word[position : position + size]:
                phrase.extend(f for f in features if is_concept(f[0]) and f[0] != found)
            per_word[position] = phrase
            for following in range(position + 1, position + size):
                per_word[following] = ()
            free = position + size
        return list(chain.from_iterable(per_word))

    def _word_info(self, word: str, language: str) -> tuple:
        """(stem, features, whether a term of several words starts with it), kept per word."""
        key = stem(fold(word))
        info = (key, self.word_features(word, language), key in self.thesaurus.phrase_starts)
        self._words[language in COMPOUNDING][word] = info
        return info
