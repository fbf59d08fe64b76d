"""Many briefings at once: the library's catalog, its search index and the query language.

Above storage and analysis, below the app: nothing here draws (no Textual, no
Rich) or knows the command line. ``catalog.Library`` is the way in;
``query.parse_query`` reads what the user types; ``search_index`` keeps the
SQLite FTS5 index that lists and searches a library without parsing it.
"""
