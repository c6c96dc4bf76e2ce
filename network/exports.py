"""Reports as tables, and the one renderer that streams any report as CSV or XLSX.

A report declares its columns once; the on-screen page, the exports, the admin actions and the
export_report command all read them. A QueryReport's columns are ORM expressions over one queryset,
so on PostgreSQL its CSV is formatted by the database itself (COPY ... TO STDOUT), with the same
bytes as the portable Python writer.
"""

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django import forms
from django.db import connection
from django.db.models import Case, CharField, Expression, F, Value, When
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from network.xlsx import date_cell, number_cell, text_cell, xlsx_chunks

TEXT, INT, DECIMAL, DATE, BOOL = "text", "int", "decimal", "date", "bool"
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff".encode()
CHUNK_ROWS = 2000
CHUNK_BYTES = 256 * 1024

VIEW_REPORTS = "network.view_reports"


@dataclass(frozen=True)
class Column:
    header: str
    source: str | Expression | None = None  # a field path or an expression; None when row() computes it
    kind: str = TEXT
    personal: bool = False  # contact data: exported only with the personal-data permission


def neutralise(text: str) -> str:
    """Prefix a quote to text a spreadsheet would otherwise run as a formula."""
    return "'" + text if text and text[0] in FORMULA_TRIGGERS else text


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
    """One table: a name (URL and command), a title, columns, filters, and rows."""

    name = ""
    title = ""
    description = ""
    group = "Lists"
    group_order = 9
    columns: list[Column] = []
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

    def get_columns(self) -> list[Column]:
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
        """A chart (network.charts) for the page, or None."""
        return None

    def filename(self, fmt: str) -> str:
        return f"{self.name}-{timezone.localdate():%Y-%m-%d}.{fmt}"


class QueryReport(Report):
    """A report whose columns are all expressions over get_queryset(): one query, streamed."""

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


class _Lines:
    """The csv module quotes a field with a CR only when CR is in its line terminator, as COPY always
    does; so rows are written with CRLF and trimmed here to COPY's LF."""

    def __init__(self):
        self.parts = []

    def write(self, line):
        self.parts.append(line[:-2])
        self.parts.append("\n")

    def take(self) -> bytes:
        data = "".join(self.parts).encode()
        self.parts.clear()
        return data


_CSV_CONVERTERS = {TEXT: lambda v: neutralise(v) if v else v, BOOL: yes_no}
_XLSX_WRITERS = {
    TEXT: lambda v: text_cell(neutralise(v)) if v else "<c/>",
    INT: number_cell,
    DECIMAL: number_cell,
    DATE: date_cell,
    BOOL: lambda v: text_cell(yes_no(v)),
}
# How COPY turns each kind into the same text the Python writer produces.
_SQL_TEXT = {
    # ascii() reads the code of the first character without copying it: = + - @ tab CR.
    TEXT: "CASE WHEN ascii({c}) IN (61, 43, 45, 64, 9, 13) THEN '''' || {c} ELSE NULLIF({c}::text, '') END",
    INT: "{c}::text",
    DECIMAL: "{c}::text",
    DATE: "to_char({c}, 'YYYY-MM-DD')",
    BOOL: "CASE WHEN {c} THEN 'yes' WHEN NOT {c} THEN 'no' END",
}


class Export:
    """A report rendered as CSV or XLSX bytes, lazily; `rows` counts the rows written so far."""

    def __init__(self, report: Report, fmt: str, *, use_copy: bool | None = None):
        if fmt not in FORMATS:
            raise ValueError(f"Unknown format '{fmt}': use csv or xlsx.")
        if use_copy is None:
            use_copy = isinstance(report, QueryReport) and connection.vendor == "postgresql"
        self.report, self.format, self.use_copy = report, fmt, use_copy
        self.columns = report.get_columns()
        self.rows = 0

    @property
    def content_type(self) -> str:
        return FORMATS[self.format]

    def __iter__(self) -> Iterator[bytes]:
        if self.format == "xlsx":
            writers = [_XLSX_WRITERS[c.kind] for c in self.columns]
            return xlsx_chunks(self.headers(), writers, self._counted(self.report.rows()), title=self.report.title)
        return self._csv()

    def headers(self) -> list[str]:
        """The header row, guarded like any cell: a header can be a value staff typed (a conference's short name)."""
        return [neutralise(c.header) for c in self.columns]

    def response(self) -> StreamingHttpResponse:
        response = StreamingHttpResponse(iter(self), content_type=self.content_type)
        response["Content-Disposition"] = (
            content_disposition_header(True, self.report.filename(self.format)) or "attachment"
        )
        response["Cache-Control"] = "no-store"
        response["X-Accel-Buffering"] = "no"  # let nginx pass the stream through
        return response

    def _counted(self, rows):
        for row in rows:
            self.rows += 1
            yield row

    def _csv(self) -> Iterator[bytes]:
        lines = _Lines()
        writer = csv.writer(lines, lineterminator="\r\n")
        writer.writerow(self.headers())
        yield BOM + lines.take()
        yield from (self._copy_csv() if self.use_copy else self._python_csv(lines, writer))

    def _python_csv(self, lines, writer) -> Iterator[bytes]:
        converters = [(i, _CSV_CONVERTERS[c.kind]) for i, c in enumerate(self.columns) if c.kind in _CSV_CONVERTERS]
        batch: list[Sequence] = []
        for row in self.report.rows():
            if converters:
                cells = list(row)
                for i, convert in converters:
                    cells[i] = convert(cells[i])
                batch.append(cells)
            else:
                batch.append(row)
            if len(batch) == CHUNK_ROWS:
                writer.writerows(batch)
                self.rows += len(batch)
                batch.clear()
                yield lines.take()
        writer.writerows(batch)
        self.rows += len(batch)
        yield lines.take()

    def copy_sql(self) -> tuple[str, tuple]:
        """The COPY statement and its parameters; only a QueryReport has one query to copy (TypeError otherwise)."""
        if not isinstance(self.report, QueryReport):
            raise TypeError(f"{type(self.report).__name__} is not a QueryReport: export it without COPY.")
        sql, params = self.report.select().query.sql_with_params()
        texts = ", ".join(_SQL_TEXT[c.kind].format(c=f'"c{i}"') for i, c in enumerate(self.columns))
        # PostgreSQL keeps the inner ORDER BY when the outer query only reformats the columns.
        return f"COPY (SELECT {texts} FROM ({sql}) AS report) TO STDOUT WITH (FORMAT csv)", params

    def _copy_csv(self) -> Iterator[bytes]:
        import psycopg

        sql, params = self.copy_sql()
        # COPY takes no bound parameters, so they are merged in as literals, by psycopg's own quoting.
        connection.ensure_connection()
        statement = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
        buffer = bytearray()
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for data in copy:  # one row per message
                buffer += data
                self.rows += 1
                if len(buffer) >= CHUNK_BYTES:
                    yield bytes(buffer)
                    buffer.clear()
        yield bytes(buffer)
