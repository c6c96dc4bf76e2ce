"""Reports as tables: a report declares its columns, filters and rows once, and every surface reads it.

The on-screen page (reports/views.py), the CSV and XLSX exports (reports/export.py), the admin's export actions
(reports/admin.py) and the export_report command all take a Report. Domain apps declare theirs in their own
`reports.py`, which the reports app imports at start-up, as the admin imports `admin.py`.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db.models import Case, CharField, Expression, F, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.cache import SHARED, every_list
from core.text import ascii_slug
from core.translation import localized_ordering, localized_source, plain_values

TEXT, INT, DECIMAL, DATE, BOOL = "text", "int", "decimal", "date", "bool"
CHUNK_ROWS = 2000
# The permission that opens the reports (declared on the network's City model, where it always was).
VIEW_REPORTS = "network.view_reports"


@dataclass(frozen=True)
class ReportColumn:
    """One column of a report: its header, where its value comes from, how it is written, whether it is personal."""

    header: str
    source: str | Expression | None = None  # a field path or an expression; None when row() computes it
    kind: str = TEXT
    personal: bool = False  # contact data: exported only with the personal-data permission
    total: bool = False  # the column adds up: the page shows subtotals and a total (never the exports)


def choice_label(field: str, choices) -> Case:
    """In SQL: the label of a choice field's value ("city_leader" -> "City leader or mayor"), in the language
    active when the query is compiled: a CharField turns a lazy label into str then, not when the column is
    declared (at import, in English)."""
    whens = [When(**{field: value}, then=Value(label, output_field=CharField())) for value, label in choices]
    return Case(*whens, default=F(field), output_field=CharField())


def report_url(name: str, **filters) -> str:
    """The address of report `name` with these filters (empty ones left out): a drill-down link."""
    query = urlencode({key: value for key, value in filters.items() if value not in (None, "")})
    return reverse("reports:detail", args=[name]) + (f"?{query}" if query else "")


def yes_no(value) -> str:
    """A boolean cell as the exports write it. Not translated: the CSV written by PostgreSQL's COPY says the same
    "yes"/"no" (reports/export.py), and a file's values must not depend on who exported it."""
    return "" if value is None else ("yes" if value else "no")


def _in_words(field, value) -> str:
    if value in (None, ""):
        return gettext("all")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    choices = dict(getattr(field, "choices", None) or ()) if not hasattr(value, "pk") else {}
    return str(choices.get(value, value))


_REGISTRY: dict[str, type["Report"]] = {}


def register(report_class):
    _REGISTRY[report_class.name] = report_class
    return report_class


def get_report_class(name: str):
    return _REGISTRY.get(name)


def registered_reports() -> list[type["Report"]]:
    # str(): titles and groups are lazy translations, compared in the active language.
    return sorted(_REGISTRY.values(), key=lambda r: (r.group_order, str(r.group), str(r.title)))


class Report:
    """One table: a name (URL and command), a title, columns, filters, and rows. Subclass it, then `@register`.

    Declare:
        name: the slug in /reports/<name>/ and `export_report <name>`; unique across apps.
        title, description, group, group_order: how the report index lists it.
        columns: ReportColumns; those with `personal=True` are dropped unless `include_personal_data`.
        filter_form: a Form class; its cleaned_data is `self.filters`. Invalid data never reaches get_queryset():
            the page shows the form's errors, the export and the command refuse with `error_text()`.

    Implement either get_queryset() and row(), or rows():
        get_queryset(): a QuerySet with everything row() reads joined or annotated up front. It may assume
            `self.filters` is valid; it must not run queries per row later. Raise nothing for an empty result.
        row(obj): a tuple of plain values (str, int, Decimal, date, bool or None), one per get_columns()
            entry, in that order. No queries.
        rows(): an iterator of such tuples, for reports that are not one row per object (matrices, totals);
            stream them (iterator(chunk_size=...)): exports of a million rows must stay in flat memory.
    A report reads no request: who may see personal data is decided by the caller (`include_personal_data`), who
    may see the report at all by VIEW_REPORTS (and `personal_data_permission` for the personal columns).
    """

    name = ""
    title = ""
    description = ""
    group = _("Lists")
    group_order = 9
    columns: list[ReportColumn] = []
    filter_form = forms.Form
    template_name = "reports/report.html"
    personal_data_permission = None
    # Drill-down on the page: values selected besides the columns (a QueryReport's field paths or expressions;
    # a row() report returns them from link_values()), read by links() and admin_links().
    link_sources: list = []
    # Subtotals when this column's value changes (e.g. 0: one per region), for columns with `total=True`.
    subtotal_by: int | None = None
    screen_rows = 500
    # The list scopes (core.cache.list_scope) its rows read, for its cached pages; None: every one. A report of
    # cities and their records names (LISTS,): a delegate's edit (the "participation" scope) then leaves it cached.
    lists: tuple[str, ...] | None = None
    # A wide report (a column per conference) shows fewer rows on its page, which stays quick to draw.
    screen_cells = 5000

    @classmethod
    def cache_scopes(cls) -> tuple[str, ...]:
        """The scopes (core.cache) its cached pages, counts and tables depend on."""
        return (SHARED, *cls.lists) if cls.lists else every_list()

    def __init__(self, data=None, *, include_personal_data=False, selection=None):
        self.form = self.filter_form(data=data if data is not None else {})
        self.include_personal_data = include_personal_data
        self.selection = selection  # a queryset of chosen rows (admin actions)

    def is_valid(self) -> bool:
        return self.form.is_valid()

    @property
    def filters(self) -> dict:
        if not self.form.is_valid():
            raise ValueError(f"Invalid filters for {self.name}: {self.error_text()}")  # a programming error: English
        return self.form.cleaned_data

    def error_text(self) -> str:
        return "; ".join(
            f"{name}: {' '.join(map(str, errors))}" if name != "__all__" else " ".join(map(str, errors))
            for name, errors in self.form.errors.items()
        )

    def get_columns(self) -> list[ReportColumn]:
        return [c for c in self.columns if self.include_personal_data or not c.personal]

    @property
    def headers(self) -> list[str]:
        """The column headers in the active language, as plain str (a header is declared as a lazy translation)."""
        return [str(c.header) for c in self.get_columns()]

    def rows_on_screen(self) -> int:
        return min(self.screen_rows, max(10, self.screen_cells // max(1, len(self.get_columns()))))

    def get_queryset(self):
        raise NotImplementedError

    def row(self, obj) -> tuple:
        raise NotImplementedError

    def rows(self) -> Iterator[tuple]:
        for obj in self.get_queryset().iterator(chunk_size=CHUNK_ROWS):
            yield self.row(obj)

    def link_values(self, obj) -> tuple:
        """For a get_queryset()/row() report: the values links() reads, one per link_sources entry."""
        return ()

    def rows_with_links(self, limit: int) -> list[tuple[tuple, tuple]]:
        """Up to `limit` rows for the page, each with its link values: [(row, link values)]."""
        if not self.link_sources:
            return [(row, ()) for row in islice(self.rows(), limit)]
        objects = self.get_queryset()[:limit]
        return [(self.row(obj), self.link_values(obj)) for obj in objects]

    def links(self, row: tuple, extra: tuple) -> dict[int, str]:
        """Column index -> the address a cell opens: the record's public page, or the report one level down."""
        return {}

    def admin_links(self, row: tuple, extra: tuple) -> dict[int, str]:
        """Column index -> the record's admin page, shown to staff beside the cell."""
        return {}

    # The header of a last column of follow-up actions, shown to staff on the page (never exported); "" for none.
    action_header = ""

    def row_actions(self, row: tuple, extra: tuple) -> list[tuple[str, str]]:
        """(label, address) of what staff can do about the row: "Record report", "Send reminder"."""
        return []

    def chart(self, rows: list[tuple]):
        """A chart (core.charts) for the page, or None."""
        return None

    def filter_summary(self) -> list[tuple[str, str]]:
        """Every filter in words, in the form's order: [("Region", "Asia and the Pacific"), ("Country", "all")]."""
        summary = []
        for name, field in self.form.fields.items():
            value = self.filters.get(name)
            label = field.label or name.replace("_", " ").capitalize()
            summary.append((str(label), _in_words(field, value)))
        return summary

    def filename(self, fmt: str) -> str:
        """`<name>_<filter values>_<date>.<fmt>`: the values of the filters set (slugs), then the report's date
        (its date filter, else today), e.g. members-by-country_asia-pacific_2024-12-31.xlsx."""
        parts, day = [self.name], timezone.localdate()
        for name in self.form.fields:
            value = self.filters.get(name)
            if isinstance(value, datetime.date):
                day = value
            elif value not in (None, ""):
                parts.append(ascii_slug(getattr(value, "slug", None) or str(value))[:40])
        return "_".join([*filter(None, parts), f"{day:%Y-%m-%d}"]) + f".{fmt}"


class QueryReport(Report):
    """A report whose columns are all expressions over get_queryset(): one query, streamed.

    Each ReportColumn's `source` is a field path or an ORM expression over get_queryset(); row() and rows() are
    not implemented. A path to a translated field ("country__name") reads the active language's column with
    English as the fallback (core.translation.localized), and get_queryset()'s ordering by one follows the
    language's collation: reports need not know which fields are translated.
    On PostgreSQL its CSV export is formatted by COPY ... TO STDOUT from select().
    """

    screen_rows = 100

    def _selected(self, qs):
        return qs if self.selection is None else qs.filter(pk__in=self.selection.order_by().values("pk"))

    def counted(self):
        """The rows of select() without the columns: counting them needs none of the joins the columns do."""
        return self._selected(self.get_queryset())

    def select(self, *, with_links: bool = False):
        """The rows as values c0, c1...; `with_links` adds the link_sources as l0, l1... (for the page)."""
        qs = self._selected(self.get_queryset())
        exprs = {f"c{i}": c.source for i, c in enumerate(self.get_columns())}
        if with_links:
            exprs.update({f"l{i}": source for i, source in enumerate(self.link_sources)})
        # Translated fields (country and region names, titles) in the reader's language, sorted the way it sorts.
        qs = qs.order_by(*localized_ordering(qs.model, qs.query.order_by)) if qs.query.order_by else qs
        return plain_values(qs, **{alias: localized_source(qs.model, e) for alias, e in exprs.items()})

    def rows(self) -> Iterator[tuple]:
        aliases = [f"c{i}" for i in range(len(self.get_columns()))]
        return self.select().values_list(*aliases).iterator(chunk_size=CHUNK_ROWS)


def licence_slug() -> str:
    """The open-data licence as a file-name part: "CC BY 4.0" -> "cc-by-4.0"."""
    return re.sub(r"[^a-z0-9.]+", "-", settings.OPEN_DATA_LICENCE.lower()).strip("-.") or "licence"


class OpenData:
    """Mixin for a report published on the public Open data page: no personal column, ever, and a file
    name that says the day the data describe and the licence (`gnlc-members-2024-12-03-cc-by-4.0.csv`)."""

    include_personal_data = False

    def data_date(self):
        """The day the rows describe: today unless the report's filters choose one."""
        return timezone.localdate()

    def get_columns(self) -> list[ReportColumn]:
        return [c for c in self.columns if not c.personal]  # type: ignore[attr-defined]

    def filename(self, fmt: str) -> str:
        return f"gnlc-{self.name}-{self.data_date():%Y-%m-%d}-{licence_slug()}.{fmt}"  # type: ignore[attr-defined]
