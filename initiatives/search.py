"""Full-text search over the catalogue: PostgreSQL's Dutch configuration on a generated
`search_vector` column with a GIN index (migration 0002), and a plain word-by-word match on
other databases (SQLite in the demo). Both paths are tested (tests/initiatives)."""

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

# Keep in step with migration 0002's generated column.
VECTOR_SQL = "search_vector"
SEARCH_FIELDS = ("name", "organisation", "description_nl", "description_en")
MAX_WORDS = 8


def _words(text: str) -> list[str]:
    return [word for word in text.split() if word][:MAX_WORDS]


def full_text(queryset: QuerySet, text: str, *, vendor: str | None = None) -> QuerySet:
    """Rows matching every word of `text` (the list keeps its own order: cursor pages)."""
    if not _words(text):
        return queryset
    vendor = vendor or connection.vendor
    if vendor == "postgresql":
        return _postgres(queryset, text)
    return plain(queryset, text)


def _postgres(queryset: QuerySet, text: str) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchVectorField

    query = SearchQuery(" ".join(_words(text)), config="dutch", search_type="plain")
    # The generated column is not a model field; its name is a constant, no input reaches it.
    vector = RawSQL(VECTOR_SQL, [], output_field=SearchVectorField())  # noqa: S611
    return queryset.annotate(search_vector=vector).filter(search_vector=query)


def plain(queryset: QuerySet, text: str) -> QuerySet:
    """Every word in one of the searchable fields, case-insensitive; no stemming."""
    for word in _words(text):
        match = Q()
        for name in SEARCH_FIELDS:
            match |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(match)
    return queryset
