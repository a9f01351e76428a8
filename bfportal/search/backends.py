"""Wagtail's database search backend, with double quotes in SQLite queries escaped.

The SQLite variant puts each search term inside an FTS5 string as it is, so a term with a
double quote in it ends that string early and the query fails with "unterminated string", a
500 for the visitor (wagtail/wagtail#13227). FTS5 reads a doubled quote as one quote inside a
string. PostgreSQL and the other databases get the backend unchanged.
"""

from functools import cache

from django.db import connection
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.query import Phrase, PlainText


def escaped(query):
    if isinstance(query, PlainText):
        return PlainText(query.query_string.replace('"', '""'), query.operator, query.boost)
    if isinstance(query, Phrase):
        return Phrase(query.query_string.replace('"', '""'))
    return query


class EscapedQuotes:
    """For a SQLite query compiler: each query, and each part of a combined one, escaped."""

    def build_search_query_content(self, query, config=None):
        return super().build_search_query_content(escaped(query), config)


@cache
def escaping(compiler_class: type) -> type:
    return type(f"Escaping{compiler_class.__name__}", (EscapedQuotes, compiler_class), {})


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks up in a backend's module)
    backend = database_backend(params)
    if connection.vendor != "sqlite":
        return backend
    # The SQLite module needs a model that exists only when the database is SQLite.
    from modelsearch.backends.database.sqlite import sqlite

    if not isinstance(backend, sqlite.SQLiteSearchBackend):  # SQLite without FTS5
        return backend
    backend.query_compiler_class = escaping(backend.query_compiler_class)
    backend.autocomplete_query_compiler_class = escaping(backend.autocomplete_query_compiler_class)
    return backend
