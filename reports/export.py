"""The one renderer that streams any report (reports/base.py) as CSV or XLSX.

A QueryReport's columns are ORM expressions over one queryset, so on PostgreSQL its CSV is formatted by the
database itself (COPY ... TO STDOUT), with the same bytes as the portable Python writer.
"""

import csv
import re
from collections.abc import Iterator, Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from reports.base import BOOL, CHUNK_ROWS, DATE, DECIMAL, INT, TEXT, QueryReport, Report, yes_no
from reports.xlsx import date_cell, number_cell, text_cell, xlsx_chunks

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff".encode()
CHUNK_BYTES = 256 * 1024


# A sign followed only by digits, spaces and . , ( ) - names no function, cell or program: "+84 24 3826 1234",
# "-12.5", "+1 (555) 010-0199" cannot run as formulas, so they keep their value.
_PLAIN_NUMBER = re.compile(r"[+-][0-9 .,()-]*")


def neutralise(text: str) -> str:
    """Prefix a quote to text a spreadsheet would otherwise run as a formula (for CSV: an XLSX text cell is
    never evaluated). Text starting with = @ tab or CR is always guarded; text starting with + or - only when
    something other than digits, spaces and . , ( ) - follows, so phone numbers and negative numbers stay as
    typed."""
    if not text or text[0] not in FORMULA_TRIGGERS:
        return text
    if text[0] in "+-" and _PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text


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
    TEXT: text_cell,
    INT: number_cell,
    DECIMAL: number_cell,
    DATE: date_cell,
    BOOL: lambda v: text_cell(yes_no(v)),
}
# How COPY turns each kind into the same text the Python writer produces.
_GUARDED = "'''' || {c}"
# A + or - cell that stays as typed: the whole value as _PLAIN_NUMBER (PostgreSQL's regular expressions anchor $ at
# the end of the text, as fullmatch does).
_PLAIN_IN_SQL = "{c} ~ '^" + _PLAIN_NUMBER.pattern + "$'"
_SQL_TEXT = {
    # ascii() reads the code of the first character without copying it. Most text starts with a letter (code
    # above 64, past every trigger), so that test comes first and settles most cells with one call; the others
    # are told apart by a simple CASE over that code, computed once: empty text (code 0) is written as NULL is
    # (as the Python writer writes ''); = @ tab CR are always guarded; + or - only when something other than
    # digits, spaces and . , ( ) - follows, the rule of neutralise(), by a regular expression (PostgreSQL keeps it
    # compiled; it costs less than ltrim() with a set of characters, which decodes both strings). The guard costs
    # about 1.2x the CPU of a bare COPY of the same rows (benchmark_exports); NULLIF alone already costs 1.07x.
    TEXT: "CASE WHEN ascii({c}) > 64 THEN {c} ELSE CASE ascii({c}) WHEN 0 THEN NULL "
    f"WHEN 61 THEN {_GUARDED} WHEN 64 THEN {_GUARDED} WHEN 9 THEN {_GUARDED} WHEN 13 THEN {_GUARDED} "
    f"WHEN 43 THEN CASE WHEN {_PLAIN_IN_SQL} THEN {{c}} ELSE {_GUARDED} END "
    f"WHEN 45 THEN CASE WHEN {_PLAIN_IN_SQL} THEN {{c}} ELSE {_GUARDED} END "
    "ELSE {c} END END",
    INT: "{c}::text",
    DECIMAL: "{c}::text",
    DATE: "to_char({c}, 'YYYY-MM-DD')",
    BOOL: "CASE WHEN {c} THEN 'yes' WHEN NOT {c} THEN 'no' END",
}


def _reset_parallel(cursor, setting: str) -> None:
    """Give the connection its setting back, unless its transaction failed (whose end undoes the change)."""
    import psycopg

    if cursor.connection.info.transaction_status != psycopg.pq.TransactionStatus.INERROR:
        cursor.execute("SELECT set_config('max_parallel_workers_per_gather', %s, false)", [setting])


class Export:
    """A report rendered as CSV or XLSX bytes, lazily; `rows` counts the rows written so far."""

    def __init__(self, report: Report, fmt: str, *, use_copy: bool | None = None, made_by: str = "", source=""):
        """`made_by` (a user's name, a command) and `source` (the page's address) go on the XLSX About sheet."""
        if fmt not in FORMATS:
            raise ValueError(f"Unknown format '{fmt}': use csv or xlsx.")
        if use_copy is None:
            use_copy = isinstance(report, QueryReport) and connection.vendor == "postgresql"
        self.report, self.format, self.use_copy = report, fmt, use_copy
        self.columns = report.get_columns()
        self.rows = 0
        self.made_by, self.source = made_by, source
        self.made_at = timezone.localtime()

    def about(self) -> list[tuple[str, str]]:
        """What the file holds, in words: the XLSX About sheet (call it once the rows are written)."""
        source = _("Learning Cities Registry, report '%(name)s'") % {"name": self.report.name}
        return [
            (_("Report"), str(self.report.title)),
            (_("Description"), str(self.report.description)),
            *((_("Filter: %(label)s") % {"label": label}, value) for label, value in self.report.filter_summary()),
            (_("Made"), f"{self.made_at:%Y-%m-%d %H:%M %Z}"),
            (_("Made by"), self.made_by or _("unknown")),
            (_("Rows"), str(self.rows)),
            (_("Source"), f"{source}, {self.source}" if self.source else source),
        ]

    @property
    def content_type(self) -> str:
        return FORMATS[self.format]

    def __iter__(self) -> Iterator[bytes]:
        if self.format == "xlsx":
            writers = [_XLSX_WRITERS[c.kind] for c in self.columns]
            headers = [str(c.header) for c in self.columns]  # an XLSX text cell is never a formula: no guard needed
            rows = self._counted(self.report.rows())
            return xlsx_chunks(headers, writers, rows, title=str(self.report.title), about=self.about)
        return self._csv()

    def headers(self) -> list[str]:
        """The CSV header row, guarded like any cell: a header can be a value staff typed (a conference's short
        name)."""
        return [neutralise(str(c.header)) for c in self.columns]

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

        try:
            sql, params = self.copy_sql()
        except EmptyResultSet:  # a filter Django knows matches nothing (pk__in=[]) compiles to no SQL: no rows
            return
        # COPY takes no bound parameters, so they are merged in as literals, by psycopg's own quoting.
        connection.ensure_connection()
        statement = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
        buffer = bytearray()
        with connection.cursor() as cursor:
            # The guard's CASE per column makes the planner think the query dear enough for parallel workers, and
            # they sort and merge the rows again for its ORDER BY: at 1,000,000 rows the guarded COPY took 7 s in
            # parallel, 4.5 s in one process, a bare COPY 3.6 s (docs/reports-and-exports.md).
            cursor.execute(
                "SELECT current_setting('max_parallel_workers_per_gather'), "
                "set_config('max_parallel_workers_per_gather', '0', false)"
            )
            setting = cursor.fetchone()[0]
            try:
                with cursor.copy(statement) as copy:
                    for data in copy:  # one row per message
                        buffer += data
                        self.rows += 1
                        if len(buffer) >= CHUNK_BYTES:
                            yield bytes(buffer)
                            buffer.clear()
            finally:
                _reset_parallel(cursor, setting)
        yield bytes(buffer)
