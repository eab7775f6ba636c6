"""The concept thesaurus: health and welfare technology concepts with their terms in Danish,
Norwegian bokmål and English, and abbreviations.

The data ships with the repository (network/text/data/thesaurus.tsv, one concept a line:
id, Danish terms, Norwegian terms, English terms, abbreviations; terms separated by "|", the
first term of a language is the label shown in that language). A text mentions a concept when
one of its words, a part of one of its compounds or a run of its words stems to one of the
concept's terms (network.text.stemming), whatever the language: "fald", "fall", "falls" and
"faldet" all mention `fall`. The file was written for this portal from the health vocabulary
in common use in the three countries; no open vocabulary was copied (SNOMED CT and ICPC need
licences, MeSH's Scandinavian translations are clinical rather than welfare technology). The
sections added later name their sources by part in the file's header: MeSH headings for the
English names of conditions, the classes of ISO 9999 for assistive products, the standards'
and EU regulations' own names (migration 0018 adds them to a database migrated before).

The file seeds the database (network migration 0015, model network.models.Concept), where
network admins edit it; matching reads the rows (network.concepts.current_thesaurus). This
module only parses and indexes, without Django.
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from network.text.generic import DROPPED
from network.text.normalise import fold, words
from network.text.stemming import stem

DATA = Path(__file__).parent / "data" / "thesaurus.tsv"
LANGUAGES = ("da", "nb", "en")


@dataclass(frozen=True)
class Concept:
    id: str
    terms: dict  # language -> tuple of terms (the first is the label)
    abbreviations: tuple = ()

    def label(self, language: str) -> str:
        for candidate in (language, "en", "da", "nb"):
            if self.terms.get(candidate):
                return self.terms[candidate][0]
        return self.abbreviations[0] if self.abbreviations else self.id

    def all_terms(self):
        for terms in self.terms.values():
            yield from terms
        yield from self.abbreviations


@dataclass
class Thesaurus:
    concepts: dict = field(default_factory=dict)  # id -> Concept
    index: dict = field(default_factory=dict)  # tuple of stems -> concept id
    words: frozenset = frozenset()  # folded single words of every term (a compound lexicon)
    max_words: int = 1  # the longest term, in words
    phrase_starts: frozenset = frozenset()  # first stems of the terms of several words

    @classmethod
    def from_concepts(cls, concepts, ignore: frozenset = frozenset()) -> "Thesaurus":
        """`ignore`: stems that are no term on their own (the domain's generic words: a
        concept's "plejere" must not make every "pleje" a mention of care workers)."""
        thesaurus = cls()
        lexicon = set()
        for concept in concepts:
            thesaurus.concepts[concept.id] = concept
            for term in concept.all_terms():
                key = term_key(term)
                if not key or (len(key) == 1 and key[0] in ignore):
                    continue
                thesaurus.max_words = max(thesaurus.max_words, len(key))
                # A term two concepts share stays with the first (the file's order decides).
                thesaurus.index.setdefault(key, concept.id)
                if len(key) == 1:
                    lexicon.update(fold(word) for word in words(term))
        thesaurus.words = frozenset(lexicon)
        thesaurus.phrase_starts = frozenset(key[0] for key in thesaurus.index if len(key) > 1)
        return thesaurus

    def lookup(self, stems: tuple) -> str | None:
        return self.index.get(stems)

    def label(self, concept_id: str, language: str) -> str:
        concept = self.concepts.get(concept_id)
        return concept.label(language) if concept else concept_id

    def labels(self, concept_id: str) -> dict:
        return {language: self.label(concept_id, language) for language in LANGUAGES}


def term_key(term: str) -> tuple:
    return tuple(stem(fold(word)) for word in words(term))


def parse(text: str) -> list[Concept]:
    concepts = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 4:
            raise ValueError(f"thesaurus line {number}: expected id, da, nb, en[, abbreviations]")
        concept_id = cells[0].strip()
        terms = {
            language: tuple(t.strip() for t in cell.split("|") if t.strip())
            for language, cell in zip(LANGUAGES, cells[1:4], strict=True)
        }
        abbreviations = tuple(t.strip() for t in (cells[4] if len(cells) > 4 else "").split("|"))
        concepts.append(Concept(concept_id, terms, tuple(a for a in abbreviations if a)))
    ids = [concept.id for concept in concepts]
    if len(ids) != len(set(ids)):
        raise ValueError("thesaurus: concept ids must be unique")
    return concepts


@cache
def load() -> Thesaurus:
    """The shipped thesaurus (read once per process)."""
    return Thesaurus.from_concepts(parse(DATA.read_text(encoding="utf-8")), ignore=DROPPED)
