"""Reports as tables: a report declares its columns, filters and rows once, and every surface reads it.

The on-screen page (reports/views.py), the CSV and XLSX exports (reports/export.py), the admin's export actions
(reports/admin.py) and the export_report command all take a Report. Domain apps declare theirs in their own
`reports.py`, which the reports app imports at start-up, as the admin imports `admin.py`.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db.models import Case, CharField, Expression, F, Value, When
from django.utils import timezone

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


def choice_label(field: str, choices) -> Case:
    """In SQL: the label of a choice field's value ("city_leader" -> "City leader or mayor")."""
    whens = [When(**{field: value}, then=Value(label)) for value, label in choices]
    return Case(*whens, default=F(field), output_field=CharField())


def yes_no(value) -> str:
    return "" if value is None else ("yes" if value else "no")


_REGISTRY: dict[str, type["Report"]] = {}


def register(report_class):
    _REGISTRY[report_class.name] = report_class
    return report_class


def get_report_class(name: str):
    return _REGISTRY.get(name)


def registered_reports() -> list[type["Report"]]:
    return sorted(_REGISTRY.values(), key=lambda r: (r.group_order, r.group, r.title))


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
    group = "Lists"
    group_order = 9
    columns: list[ReportColumn] = []
    filter_form = forms.Form
    template_name = "reports/report.html"
    personal_data_permission = None
    screen_rows = 500
    # A wide report (a column per conference) shows fewer rows on its page, which stays quick to draw.
    screen_cells = 5000

    def __init__(self, data=None, *, include_personal_data=False, selection=None):
        self.form = self.filter_form(data=data if data is not None else {})
        self.include_personal_data = include_personal_data
        self.selection = selection  # a queryset of chosen rows (admin actions)

    def is_valid(self) -> bool:
        return self.form.is_valid()

    @property
    def filters(self) -> dict:
        if not self.form.is_valid():
            raise ValueError(f"Invalid filters for {self.name}: {self.error_text()}")
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
        return [c.header for c in self.get_columns()]

    def rows_on_screen(self) -> int:
        return min(self.screen_rows, max(10, self.screen_cells // max(1, len(self.get_columns()))))

    def get_queryset(self):
        raise NotImplementedError

    def row(self, obj) -> tuple:
        raise NotImplementedError

    def rows(self) -> Iterator[tuple]:
        for obj in self.get_queryset().iterator(chunk_size=CHUNK_ROWS):
            yield self.row(obj)

    def chart(self, rows: list[tuple]):
        """A chart (core.charts) for the page, or None."""
        return None

    def filename(self, fmt: str) -> str:
        return f"{self.name}-{timezone.localdate():%Y-%m-%d}.{fmt}"


class QueryReport(Report):
    """A report whose columns are all expressions over get_queryset(): one query, streamed.

    Each ReportColumn's `source` is a field path or an ORM expression over get_queryset(); row() and rows() are
    not implemented. On PostgreSQL its CSV export is formatted by COPY ... TO STDOUT from select().
    """

    screen_rows = 100

    def _selected(self, qs):
        return qs if self.selection is None else qs.filter(pk__in=self.selection.order_by().values("pk"))

    def counted(self):
        """The rows of select() without the columns: counting them needs none of the joins the columns do."""
        return self._selected(self.get_queryset())

    def select(self):
        qs = self._selected(self.get_queryset())
        exprs = [F(c.source) if isinstance(c.source, str) else c.source for c in self.get_columns()]
        return qs.values(**{f"c{i}": expr for i, expr in enumerate(exprs)})

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
