"""The one renderer that streams any report (reports/base.py) as CSV or XLSX.

A QueryReport's columns are ORM expressions over one queryset, so on PostgreSQL its CSV is formatted by the
database itself (COPY ... TO STDOUT) and the few cells a spreadsheet could run as formulas are guarded here
(_CopyGuard), with the same bytes as the portable Python writer.
"""

import csv
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence

import re2
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
# How COPY turns each kind into the text the Python writer produces. Text goes out as stored: the formula guard
# runs in this process (_CopyGuard), as a CASE per text cell cost the database 1.2-1.3x a bare COPY's CPU
# (docs/reports-and-exports.md). NULLs become '' here so that COPY writes NULL only for text (see _COPY_NULL).
_SQL_TEXT = {
    TEXT: "{c}",
    INT: "COALESCE({c}::text, '')",
    DECIMAL: "COALESCE({c}::text, '')",
    DATE: "COALESCE(to_char({c}, 'YYYY-MM-DD'), '')",
    BOOL: "CASE WHEN {c} THEN 'yes' WHEN NOT {c} THEN 'no' ELSE '' END",
}
# COPY writes NULL as this unquoted marker and a text equal to it quoted, so empty text is written as an empty
# field, as Python's csv writer writes it (with the default NULL '', COPY would quote empty text as "").
_COPY_NULL = "\\N"


# Scanned by RE2 (google-re2), a linear-time automaton: about 400 MB/s on COPY's output against 90 MB/s for
# Python's re, which would cost more than the COPY itself (measured on 160 MB, 2026-12-01).
# A cell of COPY's CSV output that may need the Python writer's treatment, found by the delimiter or newline
# before it: one starting with = @ tab or CR, bare or quoted; a quoted one starting with + or -; an unquoted + or -
# cell holding anything but _PLAIN_NUMBER's characters before its end; one starting with the NULL marker, bare or
# quoted. No part may match a delimiter or newline after the cell's start: matches do not overlap, so that would
# hide the next cell (a row ending in NULL hid a formula starting the next row). A match inside a quoted value
# (a comma followed by =) rewrites its row for nothing.
_COPY_SUSPECT = re2.compile(rb'[,\n](?:"?[=@\t\r]|"[+-]|[+-][0-9 .()\-]*[^0-9 .()\-,\n]|"?\\N)')
# One field of a row COPY wrote: quoted (quotes doubled inside) or bare, then its delimiter or the row's end.
_COPY_FIELD = re.compile(r'"((?:[^"]|"")*)"|([^,\n]*)')


class _CopyGuard:
    """Gives COPY's CSV output the bytes the Python writer gives the same rows: a chunk passes as it is unless
    _COPY_SUSPECT finds a cell in it, and then only the rows holding one are read back (_copy_cells) and written
    again by the Python writer: text neutralised, NULL as an empty field. The guard costs this process about
    0.4 s of CPU per 1,000,000 rows (160 MB), while PostgreSQL, which a COPY waits for, sends the next rows."""

    def __init__(self, columns, lines: "_Lines", writer):
        self.text_columns = [i for i, c in enumerate(columns) if c.kind == TEXT]
        self.lines, self.writer = lines, writer
        self.width = len(columns)
        # With one column COPY writes empty text as an empty line, which the csv module quotes: rewrite every row.
        self.every_row = len(columns) < 2

    def chunk(self, buffer: bytearray, ends: list[int]) -> bytes:
        """The rows in `buffer` after its first byte (a newline), `ends[k + 1]` being where row k ends, as the
        Python writer would write them."""
        if self.every_row:
            rows: Iterable[int] = range(len(ends) - 1)
        else:
            found = _COPY_SUSPECT.search(buffer)
            if found is None:
                return bytes(memoryview(buffer)[1:])
            # A match starts on the delimiter or newline before its cell, so the cell is in the row of the next byte.
            found_all = _COPY_SUSPECT.finditer(buffer, found.start())
            rows = sorted({bisect_right(ends, m.start() + 1) - 1 for m in found_all})
        out, done = bytearray(), 1
        for k in rows:
            out += memoryview(buffer)[done : ends[k]]
            self.writer.writerow(self.cells(bytes(buffer[ends[k] : ends[k + 1]])))
            out += self.lines.take()
            done = ends[k + 1]
        out += memoryview(buffer)[done:]
        return bytes(out)

    def cells(self, row: bytes) -> list[str]:
        """One row of COPY's CSV output (ending in a newline) as the cells the Python writer is given. Raises
        ValueError if it holds other than one row of the report's columns."""
        cells = _copy_cells(row.decode())
        if len(cells) != self.width:
            raise ValueError(f"COPY sent a row of {len(cells)} cells for {self.width} columns.")
        for i in self.text_columns:
            cells[i] = neutralise(cells[i])
        return cells


def _copy_cells(line: str) -> list[str]:
    """The fields of one row of COPY's CSV output (`line` ends with its newline): quoted ones unquoted, the NULL
    marker as ''. Raises ValueError if `line` holds more than one row."""
    cells, pos = [], 0
    while True:
        field = _COPY_FIELD.match(line, pos)
        assert field is not None  # the pattern matches the empty string
        quoted, bare = field.groups()
        cells.append(quoted.replace('""', '"') if quoted is not None else ("" if bare == _COPY_NULL else bare))
        pos = field.end()
        if pos >= len(line) or line[pos] == "\n":
            if pos < len(line) - 1:  # PostgreSQL sends one row per CopyData message (its protocol's COPY TO)
                raise ValueError("COPY sent more than one row in a message.")
            return cells
        pos += 1  # the comma


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
        yield from (self._copy_csv(lines, writer) if self.use_copy else self._python_csv(lines, writer))

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
        copy = f"COPY (SELECT {texts} FROM ({sql}) AS report) TO STDOUT WITH (FORMAT csv, NULL '{_COPY_NULL}')"
        return copy, params

    def _copy_csv(self, lines: "_Lines", writer) -> Iterator[bytes]:
        import psycopg

        try:
            sql, params = self.copy_sql()
        except EmptyResultSet:  # a filter Django knows matches nothing (pk__in=[]) compiles to no SQL: no rows
            return
        # COPY takes no bound parameters, so they are merged in as literals, by psycopg's own quoting.
        connection.ensure_connection()
        statement = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
        # The rows of a chunk and where each ends, for _CopyGuard.chunk(); the chunk starts with a newline that is not
        # sent, so that a row's first cell is found after a newline as the others are after a comma.
        buffer, ends = bytearray(b"\n"), [1]
        guard = _CopyGuard(self.columns, lines, writer)
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for data in copy:  # one row per message
                buffer += data
                end = len(buffer)
                ends.append(end)
                if end >= CHUNK_BYTES:
                    self.rows += len(ends) - 1
                    yield guard.chunk(buffer, ends)
                    del buffer[1:], ends[1:]
        self.rows += len(ends) - 1
        yield guard.chunk(buffer, ends)
