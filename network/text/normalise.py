"""Normalisation: one spelling for the ways people type Danish, Norwegian and English words.

`fold` is what a user would accept as "the same letters": lower case, æ/ae, ø/oe, å/aa (and
ä, ö, ü, accents) written the same way, so "Træning", "traening" and "TRÆNING" are one word.
`tokens` cuts a text into folded words of letters. Nothing here knows a language: every text
is folded alike, because profiles mix languages.
"""

import re
import unicodedata

LETTERS = {"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
_TRANSLATE = str.maketrans(LETTERS)
WORD_RE = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case, the Scandinavian letters spelt out, other accents dropped."""
    text = text.lower().translate(_TRANSLATE)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The words of a text as written (lower case): runs of letters and digits; dashes and
    punctuation split ("type 2-diabetes" -> type, 2, diabetes)."""
    return WORD_RE.findall(text.lower())


def tokens(text: str) -> list[str]:
    """The folded words of a text."""
    return [fold(word) for word in words(text)]
