"""A person's query -> a tree of keys to look up: pure Python, the same for both databases.

Every word of the query is a group that must match (all groups must, unless nothing does: then
any may, see network.search.engine). A group is any of its word's keys (network.search.keys):
the word itself, its stem, its thesaurus concept (sykehus -> c_hospital: "hospital" and
"sygehus" are found), its compound's parts together ("hjemmepleje" -> hjemme and pleje, also
when written apart), words of the index one or two edits away when the word itself is unknown
(one edit for words of 5+ letters, two for 9+), and, for the word being typed, the words it
begins. A run of words that is a term of the thesaurus ("heart failure") may also be matched by
the concept alone ("hjertesvigt").

Hostile input is harmless by construction: only keys of [a-z0-9_] leave this module, each
quoted where the database's syntax needs it; the query is cut to MAX_CHARS and MAX_WORDS.
"""

from dataclasses import dataclass, field

from network.search.keys import STOP, clean, text_words
from network.text.analysis import CONCEPT, Analyzer
from network.text.normalise import fold
from network.text.stemming import stem

MAX_CHARS = 200
MAX_WORDS = 10
MIN_PREFIX = 2
MAX_CORRECTIONS = 3

# How well each kind of key says "this is what was asked for" (ranking multiplies these by the
# field the key was found in: network.search.ranking).
WORD, STEM, CONCEPT_WEIGHT, PHRASE, PARTS, TYPO, PREFIX = 1.0, 0.85, 0.7, 0.9, 0.5, 0.55, 0.6


@dataclass(frozen=True)
class Term:
    key: str
    weight: float
    prefix: bool = False


@dataclass(frozen=True)
class Any:
    children: tuple


@dataclass(frozen=True)
class All:
    children: tuple


@dataclass
class Plan:
    """What a query asks for: its groups (each must match), and what ranking needs."""

    groups: list = field(default_factory=list)
    folded: str = ""  # the whole query folded, for the exact-title bonus
    words: list = field(default_factory=list)  # the query's folded words, for highlighting
    corrections: dict = field(default_factory=dict)  # unknown word -> index words near it

    @property
    def empty(self) -> bool:
        return not self.groups


def allowed_edits(word: str) -> int:
    """How many letters a person may have got wrong: one in 5+ letters, two in 9+."""
    if len(word) >= 9:
        return 2
    if len(word) >= 5:
        return 1
    return 0


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with transpositions, stopping once it passes `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (
                previous2 is not None
                and i > 1
                and j > 1
                and char_a == b[j - 2]
                and a[i - 2] == char_b
            ):
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def query_words(text: str) -> list[str]:
    """The folded words of a query that can be looked up, stop words left out unless the query
    is nothing else ("to be or not to be" still finds the play)."""
    found = text_words((text or "")[:MAX_CHARS].replace("\x00", " "))
    found = list(dict.fromkeys(found))[:MAX_WORDS]
    meaningful = [word for word in found if word not in STOP]
    return meaningful or found


def is_typing(text: str) -> bool:
    """The last word is still being typed (no space or punctuation after it)."""
    text = (text or "")[:MAX_CHARS]
    return bool(text) and text[-1].isalnum()


def corrections_for(word: str, candidates) -> list[str]:
    """Index words within the allowed edits of `word`, nearest first."""
    limit = allowed_edits(word)
    if not limit:
        return []
    scored = []
    for candidate in candidates:
        if candidate == word:
            continue
        distance = edit_distance(word, candidate, limit)
        if distance <= limit:
            scored.append((distance, candidate))
    return [candidate for _distance, candidate in sorted(scored)[:MAX_CORRECTIONS]]


def word_group(word: str, analyzer: Analyzer, *, corrections=(), prefix=False, known=True) -> Any:
    terms: list = [Term(word, WORD)]
    if word.isdigit():
        return Any(tuple(terms))
    key = stem(word)
    terms.append(Term(f"s_{key}", STEM))
    concept = analyzer.thesaurus.lookup((key,))
    if concept:
        terms.append(Term(f"c_{concept}", CONCEPT_WEIGHT))
    # A compound the index does not hold as such is looked for by its parts ("hjemmepleje"
    # in "pleje i hjemmet"); one it holds is found as written ("Faldsensor" is a name).
    parts = [part for part in dict.fromkeys(analyzer.split(word)) if part not in STOP]
    if len(parts) > 1 and not known:
        terms.append(
            All(
                tuple(
                    Any((Term(f"s_{stem(part)}", PARTS), Term(f"p_{stem(part)}", PARTS)))
                    for part in parts
                )
            )
        )
    for correction in corrections:
        terms.append(Term(correction, TYPO))
        terms.append(Term(f"s_{stem(correction)}", TYPO))
        corrected_concept = analyzer.thesaurus.lookup((stem(correction),))
        if corrected_concept:
            terms.append(Term(f"c_{corrected_concept}", TYPO))
    if prefix and len(word) >= MIN_PREFIX:
        terms.append(Term(word, PREFIX, prefix=True))
    return Any(tuple(dict.fromkeys(terms)))


def plan(
    text: str,
    analyzer: Analyzer,
    *,
    corrections: dict | None = None,
    typing: bool = False,
    known: frozenset | None = None,
) -> Plan:
    """The groups for a query; `corrections` maps unknown words to index words near them;
    `known`: the query's words the index holds (None: treat every word as unknown)."""
    corrections = corrections or {}
    found = query_words(text)
    if not found:
        return Plan()
    groups = [
        word_group(
            word,
            analyzer,
            corrections=corrections.get(word, ()),
            prefix=typing and position == len(found) - 1,
            known=known is not None and word in known,
        )
        for position, word in enumerate(found)
    ]
    groups = _with_phrases(found, groups, analyzer)
    return Plan(
        groups=groups,
        folded=" ".join(found),
        words=found,
        corrections={word: list(near) for word, near in corrections.items() if near},
    )


def _with_phrases(found: list[str], groups: list, analyzer: Analyzer) -> list:
    """A run of query words that is a thesaurus term may also match as that concept."""
    if len(found) < 2:
        return groups
    result, position = [], 0
    while position < len(found):
        merged = False
        longest = min(analyzer.thesaurus.max_words, len(found) - position)
        for size in range(longest, 1, -1):
            run = tuple(stem(word) for word in found[position : position + size])
            concept = analyzer.thesaurus.lookup(run)
            if concept:
                inner = All(tuple(groups[position : position + size]))
                result.append(Any((Term(f"c_{clean(concept)}", PHRASE), inner)))
                position += size
                merged = True
                break
        if not merged:
            result.append(groups[position])
            position += 1
    return result


def leaves(node) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    found = []
    for child in node.children:
        found.extend(leaves(child))
    return found


def unknown_words(words_: list[str], known: set) -> list[str]:
    """Query words the index does not hold and that are long enough to be misspelt."""
    return [word for word in words_ if word not in known and allowed_edits(word)]


def concept_key(feature: str) -> str:
    return f"c_{clean(feature[len(CONCEPT) :])}"


def folded_query(text: str) -> str:
    return fold((text or "")[:MAX_CHARS])
