"""One search across the network (organisations, needs, test sites, knowledge offers and, for
those who may see them, projects), the same on SQLite and PostgreSQL.

    keys.py       text -> keys through network/text (folding, stems, concepts, compounds)
    query.py      a query -> groups of keys (synonyms, cross-language, typos, prefix)
    backends.py   the one place that differs: FTS5 / tsvector match syntax, trigram lookups
    ranking.py    relevance, one SQL expression for both databases
    sources.py    what each kind contributes and who may see it (its own visible_to)
    index.py      keeping the index current (sync by updated_at; hooks; rebuild)
    engine.py     a search: counts per kind, a page of hits with snippets
    snippets.py   highlighted snippets
    views.py      the search page (/search/) and its htmx fragment
"""
