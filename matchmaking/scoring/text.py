"""Text similarity: TF-IDF over concepts and stems of Danish, Norwegian and English text.

Pure Python, numpy and scipy; nothing here knows about Django. The language work is the shared
layer's (network.text): every text, whatever its language, is folded, stemmed with one
stemmer for the three languages, split into compound parts and mapped onto the concept
thesaurus, so "KOL", "KOLS" and "COPD" are one feature and a Danish need meets an English or
Norwegian profile. Stop words and the domain's generic words are dropped.

* Features of a text: concepts ("@copd") and, for words the thesaurus does not know, stems.
  A concept counts `CONCEPT_WEIGHT` times a stem: two texts naming the same concept share
  more than two that happen to share a word.
* Terms used by more than `generic.MAX_SHARE` of a large corpus's documents are dropped as
  generic there, even before a person adds them to the reviewed list.
* Weights: sublinear term frequency (1 + ln tf) times smoothed IDF, rows L2-normalised; the
  cosine of two rows is their dot product.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from network.text import generic
from network.text.analysis import COMPOUNDING, MIN_HEAD, Analyzer, is_concept
from network.text.normalise import fold, words

CONCEPT_WEIGHT = 1.5
GENERIC_FROM = 100  # documents: below this a corpus is too small to call a term generic


@dataclass
class TextModel:
    """A fitted vocabulary: term -> column, IDF per column and a readable word per column."""

    analyzer: Analyzer
    vocabulary: dict
    idf: np.ndarray
    surfaces: list

    @classmethod
    def fit(
        cls, documents: Sequence[tuple[str, str]], thesaurus=None
    ) -> tuple["TextModel", sparse.csr_matrix]:
        """Fit on (text, language) documents; return the model and their weighted matrix."""
        written = [words(text) for text, _language in documents]
        distinct = set()
        for (_text, language), text_words in zip(documents, written, strict=True):
            if language in COMPOUNDING:
                distinct.update(text_words)
        lexicon = frozenset(
            fold(word) for word in distinct if len(word) >= MIN_HEAD and word.isalpha()
        )
        analyzer = Analyzer(lexicon=lexicon, thesaurus=thesaurus)
        per_doc = [
            analyzer.features_of_words(text_words, language)
            for (_text, language), text_words in zip(documents, written, strict=True)
        ]
        document_frequency = Counter()
        surface_counts: dict[str, Counter] = defaultdict(Counter)
        for pairs in per_doc:
            document_frequency.update({term for term, _surface in pairs})
            for term, surface in pairs:
                surface_counts[term][surface] += 1
        n = len(documents)
        if n >= GENERIC_FROM:
            limit = generic.MAX_SHARE * n
            document_frequency = Counter(
                {term: df for term, df in document_frequency.items() if df <= limit}
            )
        terms = sorted(document_frequency)
        vocabulary = {term: index for index, term in enumerate(terms)}
        idf = np.array(
            [math.log((1 + n) / (1 + document_frequency[term])) + 1.0 for term in terms],
            dtype=np.float32,
        )
        idf *= np.array([CONCEPT_WEIGHT if is_concept(t) else 1.0 for t in terms], np.float32)
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
                [term for term, _s in self.analyzer.features(text, language)]
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
