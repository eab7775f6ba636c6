"""The language layer shared by matching and search: Danish, Norwegian bokmål and English.

    normalise.py   case and the Scandinavian letters (æ/ae, ø/oe, å/aa) folded; words of a text
    stemming.py    one stemmer for the three languages (cognates and loanwords meet)
    stopwords.py   function words of the three languages
    generic.py     the domain's generic vocabulary (learned from document frequency, reviewed)
    thesaurus.py   health and welfare technology concepts with terms in da, nb and en
    analysis.py    text -> features (concepts and stems), compounds split against a lexicon

Pure Python: no Django, no database, so matching's scoring engine can use it.
"""
