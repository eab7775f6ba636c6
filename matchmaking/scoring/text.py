"""Text similarity: TF-IDF over stemmed Danish, Norwegian and English text.

Pure Python, numpy and scipy; nothing here knows about Django.

* Tokens are runs of letters, lower-cased; stop words of all three languages are dropped
  (profiles often mix languages).
* Each document is stemmed with the Snowball stemmer of its own language, so "sensorer" (da),
  "sensorer" (nb) and "sensors" (en) all become "sensor" and meet in one vocabulary.
* Danish and Norwegian write compounds as one word ("faldsensorer", "kolspasienter"). A word is
  split where both halves are words the corpus (or a small built-in lexicon) knows on their
  own, allowing the linking -s-/-e- ("sundhedsdata" = "sundhed" + "data"). The compound and its
  parts all become terms, so "faldsensorer" meets "sensorer der opdager fald".
* Weights: sublinear term frequency (1 + ln tf) times smoothed IDF, rows L2-normalised; the
  cosine of two rows is their dot product.
"""

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import snowballstemmer
from scipy import sparse

from matchmaking.scoring.stopwords import ALL as STOP_WORDS

TOKEN_RE = re.compile(r"[^\W\d_]{2,}")
LANGUAGES = {"da": "danish", "nb": "norwegian", "en": "english"}
COMPOUNDING = {"da", "nb"}
MIN_COMPOUND = 7
MIN_HEAD = 3
MIN_TAIL = 4
LINKING = ("s", "e")

# Words every health-tech corpus needs to split its compounds, even a small one.
BUILTIN_LEXICON = frozenset(
    [
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


def tokenise(text: str) -> list[str]:
    return [token for token in TOKEN_RE.findall(text.lower()) if token not in STOP_WORDS]


@dataclass
class Analyzer:
    """Turns text into (term, surface word) pairs. Caches per language, so each distinct word
    is stemmed and split once."""

    lexicon: frozenset = frozenset()
    _stemmers: dict = field(default_factory=dict, repr=False)
    _cache: dict = field(default_factory=dict, repr=False)
    _stems: dict = field(default_factory=dict, repr=False)
    _lexicon_stems: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self.lexicon = frozenset(word for word in self.lexicon if word not in STOP_WORDS)
        self.lexicon |= BUILTIN_LEXICON

    def __getstate__(self):  # stemmers are not picklable and are rebuilt on demand
        return {**self.__dict__, "_stemmers": {}}

    def stem(self, word: str, language: str) -> str:
        stems = self._stems.setdefault(language, {})
        stem = stems.get(word)
        if stem is None:
            stemmer = self._stemmers.get(language)
            if stemmer is None:
                stemmer = snowballstemmer.stemmer(LANGUAGES.get(language, "english"))
                self._stemmers[language] = stemmer
            stem = stems[word] = stemmer.stemWord(word)
        return stem

    def _known(self, word: str, language: str, *, inflected: bool = False) -> bool:
        """A word of the lexicon; with `inflected`, also another form of one (same stem)."""
        if word in self.lexicon:
            return True
        if not inflected:
            return False
        stems = self._lexicon_stems.get(language)
        if stems is None:
            stems = self._lexicon_stems[language] = {
                self.stem(known, language) for known in self.lexicon
            }
        return self.stem(word, language) in stems

    def split(self, word: str, language: str, depth: int = 2) -> list[str]:
        """The parts of a compound, leftmost split first; [] when the word is not one."""
        if language not in COMPOUNDING or len(word) < MIN_COMPOUND or depth == 0:
            return []
        for cut in range(MIN_HEAD, len(word) - MIN_TAIL + 1):
            head, tail = word[:cut], word[cut:]
            if not self._known(tail, language, inflected=True):
                continue
            if self._known(head, language):
                heads = [head]
            elif head[-1] in LINKING and len(head) > MIN_HEAD and self._known(head[:-1], language):
                heads = [head[:-1]]
            else:
                continue
            return (
                (self.split(heads[0], language, depth - 1) or heads)
                + [tail]
                + self.split(tail, language, depth - 1)
            )
        return []

    def word_terms(self, word: str, language: str) -> tuple:
        cache = self._cache.setdefault(language, {})
        terms = cache.get(word)
        if terms is None:
            terms = [(self.stem(word, language), word)]
            for part in dict.fromkeys(self.split(word, language)):
                if part != word:
                    terms.append((self.stem(part, language), part))
            terms = cache[word] = tuple(terms)
        return terms

    def terms(self, text: str, language: str) -> list[tuple[str, str]]:
        return self.terms_of_tokens(tokenise(text), language)

    def terms_of_tokens(self, tokens: Iterable[str], language: str) -> list[tuple[str, str]]:
        out = []
        for token in tokens:
            out.extend(self.word_terms(token, language))
        return out


@dataclass
class TextModel:
    """A fitted vocabulary: term -> column, IDF per column and a readable word per column."""

    analyzer: Analyzer
    vocabulary: dict
    idf: np.ndarray
    surfaces: list

    @classmethod
    def fit(cls, documents: Sequence[tuple[str, str]]) -> tuple["TextModel", sparse.csr_matrix]:
        """Fit on (text, language) documents; return the model and their weighted matrix."""
        tokens = [tokenise(text) for text, _language in documents]
        lexicon = Counter()
        for (_text, language), words in zip(documents, tokens, strict=True):
            if language in COMPOUNDING:
                lexicon.update(word for word in words if len(word) >= MIN_HEAD)
        analyzer = Analyzer(lexicon=frozenset(lexicon))
        per_doc = [
            analyzer.terms_of_tokens(words, language)
            for (_text, language), words in zip(documents, tokens, strict=True)
        ]
        document_frequency = Counter()
        surface_counts: dict[str, Counter] = defaultdict(Counter)
        for pairs in per_doc:
            document_frequency.update({term for term, _surface in pairs})
            for term, surface in pairs:
                surface_counts[term][surface] += 1
        terms = sorted(document_frequency)
        vocabulary = {term: index for index, term in enumerate(terms)}
        n = len(documents)
        idf = np.array(
            [math.log((1 + n) / (1 + document_frequency[term])) + 1.0 for term in terms],
            dtype=np.float32,
        )
        surfaces = [
            min(surface_counts[term].items(), key=lambda item: (-item[1], item[0]))[0]
            for term in terms
        ]
        model = cls(analyzer=analyzer, vocabulary=vocabulary, idf=idf, surfaces=surfaces)
        return model, model._matrix([[term for term, _s in pairs] for pairs in per_doc])

    def transform(self, documents: Sequence[tuple[str, str]]) -> sparse.csr_matrix:
        """Weigh new documents with the fitted vocabulary; unknown words are left out."""
        return self._matrix(
            [
                [term for term, _s in self.analyzer.terms(text, language)]
                for text, language in documents
            ]
        )

    def _matrix(self, term_lists: list[list[str]]) -> sparse.csr_matrix:
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        vocabulary = self.vocabulary
        for term_list in term_lists:
            counts = Counter(vocabulary[t] for t in term_list if t in vocabulary)
            for column in sorted(counts):
                indices.append(column)
                data.append(1.0 + math.log(counts[column]))
            indptr.append(len(indices))
        matrix = sparse.csr_matrix(
            (
                np.asarray(data, dtype=np.float32),
                np.asarray(indices, dtype=np.int32),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(len(term_lists), len(self.vocabulary)),
        )
        if matrix.nnz:
            matrix.data *= self.idf[matrix.indices]
        return normalise_rows(matrix)


def normalise_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Scale every non-empty row to unit length, so dot products are cosines."""
    matrix = matrix.tocsr().astype(np.float32)
    squares = matrix.multiply(matrix).sum(axis=1).A1
    norms = np.sqrt(squares, dtype=np.float64)
    norms[norms == 0] = 1.0
    scale = np.repeat((1.0 / norms).astype(np.float32), np.diff(matrix.indptr))
    matrix.data *= scale
    return matrix
