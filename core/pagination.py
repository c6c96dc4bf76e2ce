"""Cutting long lists into pages, with a clear 404 for a page that does not exist, and counts that stay cheap on
tables of millions of rows."""

import json
from typing import cast

from django.core.paginator import InvalidPage, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import ngettext

from core.cache import cached


class CachedCountPaginator(Paginator):
    """Counts once per `key` (the list and its filters) until the records change: counting a filtered list
    reads all of it, while a page of it reads a few rows."""

    def __init__(
        self, object_list, per_page, *, key: str, counted=None, known_count: int | None = None, scopes=None, **kwargs
    ):
        """`counted`: the same rows, perhaps with fewer joins, to count; `known_count`: their number where the
        caller knows it without counting (figures kept per record), which is then neither counted nor cached;
        `scopes`: the cache scopes the count depends on (default: every list's, core.cache.every_list())."""
        super().__init__(object_list, per_page, **kwargs)
        self.key = key
        self.counted = object_list if counted is None else counted
        self.known_count = known_count
        self.scopes = scopes

    @cached_property
    def count(self):
        if self.known_count is not None:
            return self.known_count
        return cached("count", lambda: Paginator(self.counted, self.per_page).count, self.key, scopes=self.scopes)


def paginate(request, queryset, per_page: int, *, count_key: str | None = None):
    """The page of `queryset` the query string asks for (?page=N); with `count_key`, its count is cached."""
    if count_key is None:
        paginator = Paginator(queryset, per_page)
    else:
        paginator = CachedCountPaginator(queryset, per_page, key=count_key)
    number = request.GET.get("page") or 1
    try:
        return paginator.page(number)
    except InvalidPage as error:
        pages = paginator.num_pages
        raise Http404(
            ngettext(
                "There is no page “%(number)s” of this list: it has %(pages)s page.",
                "There is no page “%(number)s” of this list: it has %(pages)s pages.",
                pages,
            )
            % {"number": str(number)[:20], "pages": pages}
        ) from error


class EstimatedCountPaginator(Paginator):
    """For admin changelists of large tables: an exact count up to EXACT_LIMIT rows; beyond that, on PostgreSQL,
    its statistics (the table's row estimate when nothing is filtered, the planner's otherwise), since an exact
    COUNT(*) reads every row. Page links past the real last page then show an empty page, no error."""

    exact_limit = 10_000

    @cached_property
    def count(self):
        # Admin changelists page querysets, never lists.
        queryset = cast(QuerySet, self.object_list)
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return super().count
        if not queryset.query.where:
            estimate = self._table_estimate(connection, queryset.model)
            if estimate > self.exact_limit:
                return estimate
        counted = queryset.order_by()[: self.exact_limit + 1].count()
        if counted <= self.exact_limit:
            return counted
        return max(self._planner_estimate(connection, queryset), counted)

    @staticmethod
    def _table_estimate(connection, model) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
            row = cursor.fetchone()
        return int(row[0]) if row else -1  # -1 also when the table was never analysed

    @staticmethod
    def _planner_estimate(connection, queryset) -> int:
        sql, params = queryset.order_by().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            (plan,) = cursor.fetchone()
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return int(plan[0]["Plan"]["Plan Rows"])
