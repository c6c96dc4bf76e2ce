"""Reading uploaded CSV and XLSX files into checked rows, and writing the import templates."""

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.text import normalise_text
from imports.encodings import SAVE_AS_UTF8, EncodingError, decode
from imports.workbooks import WorkbookError, read_first_sheet

MAX_ROWS = 50_000
# Cells past this column are not read: a workbook can declare a million empty columns per row.
MAX_COLUMNS = 100
# Separators in one CSV record past which it is refused before the csv module builds it (a 4.8 MB line of
# "ab," holds 1.6 million cells: 200 MB as Python strings).
MAX_CSV_SEPARATORS = 10_000
# Problems kept for the preview, the command output and the record; past these only a count is kept.
MAX_PROBLEMS = 100
# Control characters (C0 but tab, line feed and carriage return; DEL; C1) and lone surrogates: invisible in
# most programs, and PostgreSQL refuses NUL in text. Tab and line breaks are kept only in multi-line columns.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAK = re.compile(r"[\t\n\r]")
# Share of control bytes in the first 8 KB past which a file is binary rather than text with a stray NUL.
_BINARY_SHARE = 20
# Rows above the column names (blank rows, a title) looked through for them.
HEADER_SEARCH_ROWS = 20
# Excel's hint on a CSV's first line ("sep=;"), which Excel itself hides.
_SEP_LINE = re.compile(r"^sep=(.)\r?(\n|\r|$)", re.IGNORECASE)

# Signatures of files people upload by mistake, so the message can say what the file looks like.
_SIGNATURES = [
    (b"%PDF", gettext_lazy("a PDF document")),
    (b"\x89PNG", gettext_lazy("a PNG image")),
    (b"\xff\xd8\xff", gettext_lazy("a JPEG image")),
    (b"GIF8", gettext_lazy("a GIF image")),
    (b"\xd0\xcf\x11\xe0", gettext_lazy("an old Excel (.xls) or Word (.doc) file; save it as .xlsx or CSV")),
    (b"{\\rtf", gettext_lazy("an RTF document")),
]
_ZIP = b"PK\x03\x04"
# A cell is a formula when it starts with "=" or "@", or with "+" or "-" followed by something that is not
# a number or a phone number ("+84 24 ...", "-3"): these are what spreadsheet programs execute.
_FORMULA = re.compile(r"^(=|@|[+-](?![\d\s(.]|$))")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is meant for the person who uploaded it."""


@dataclass(frozen=True)
class ImportColumn:
    name: str
    help: str
    required: bool = False
    max_length: int | None = None
    example: str = ""
    multiline: bool = False  # free text where tabs and line breaks are kept


@dataclass(frozen=True)
class Problem:
    """Something wrong in one cell: row as a spreadsheet numbers it (the header is row 1), column, reason."""

    row: int
    column: str
    message: str

    def __str__(self):
        return _("Row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Table:
    """The data rows of a file, each keyed by template column, numbered as a spreadsheet shows them."""

    rows: list[tuple[int, dict[str, str]]]
    problems: list[Problem] = field(default_factory=list)  # the first MAX_PROBLEMS, in row order
    description: str = ""
    more_problems: int = 0  # found past the first MAX_PROBLEMS, counted only
    encoding: str = ""  # the text encoding a CSV was read in ("UTF-8", "Mac Roman (Excel for Mac)"); "" for XLSX
    warnings: list[str] = field(default_factory=list)  # what the person should check before applying
    header_row: int = 1  # the spreadsheet row the column names were read from

    def add_problems(self, problems: list[Problem]) -> None:
        room = max(MAX_PROBLEMS - len(self.problems), 0)
        self.problems += problems[:room]
        self.more_problems += len(problems[room:])


def max_file_size() -> int:
    return settings.IMPORT_MAX_FILE_SIZE


def human_size(size: int) -> str:
    return filesizeformat(size).replace("\xa0", " ")


def read_table(data: bytes, columns: list[ImportColumn]) -> Table:
    """Check and read `data` (CSV or XLSX, recognised by content, not by name) against `columns`."""
    if len(data) > max_file_size():
        raise ImportFileError(
            _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
            % {"size": human_size(len(data)), "limit": human_size(max_file_size())}
        )
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise ImportFileError(
                _("This file is not a CSV or XLSX spreadsheet: it looks like %(kind)s.") % {"kind": kind}
            )
    if data.startswith(_ZIP):
        raw_rows, description = _xlsx_rows(data)
        return _to_table(raw_rows, columns, description)
    decoded = _decode(data)
    raw_rows, overflow = _csv_rows(decoded.text)
    table = _to_table(raw_rows, columns, _("CSV, read as %(encoding)s") % {"encoding": decoded.encoding}, overflow)
    table.encoding = decoded.encoding
    if decoded.weak:
        table.description += " " + _("(a guess: the file does not say its encoding)")
        table.warnings.append(
            _(
                "The file does not say which encoding its text is in; it was read as %(encoding)s. "
                "Check the names below. %(advice)s"
            )
            % {"encoding": decoded.encoding, "advice": SAVE_AS_UTF8}
        )
    return table


def _decode(data: bytes):
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        sample = data[:8192]
        if len(re.findall(rb"[\x00-\x08\x0e-\x1f]", sample)) * _BINARY_SHARE > len(sample):
            raise ImportFileError(_("This file is not a CSV or XLSX spreadsheet: it contains binary data."))
    try:
        return decode(data)
    except EncodingError as error:
        raise ImportFileError(str(error)) from None


def _csv_rows(text: str):
    """The records of CSV `text` as (text, is_formula) cells, and {row number: filled cells cut off}."""
    text = text.lstrip("\ufeff")
    delimiter = None
    if sep := _SEP_LINE.match(text):
        # Excel's "sep=;" line names the separator and is hidden: rows are numbered as Excel shows them.
        delimiter, text = sep.group(1), text[sep.end() :]
    first_line = text.split("\n", 1)[0]
    # Excel writes ";" where the decimal separator is a comma; a header with more ";" than "," is such a file.
    delimiter = delimiter or max([",", ";", "\t"], key=first_line.count)
    separators = [0]  # in the lines read since the last record ended

    def lines():
        for line in io.StringIO(text, newline=""):
            separators[0] += line.count(delimiter)
            if separators[0] > MAX_CSV_SEPARATORS:
                raise ImportFileError(
                    _(
                        "Row %(row)s holds more than %(cells)s cells; only the first %(columns)s columns are read. "
                        "Delete what is past them and upload the file again."
                    )
                    % {"row": len(rows) + 1, "cells": f"{MAX_CSV_SEPARATORS:,}", "columns": MAX_COLUMNS}
                )
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    rows: list[list[tuple[str, bool]]] = []
    overflow: dict[int, int] = {}  # row number -> filled cells past MAX_COLUMNS
    try:
        for record in reader:
            separators[0] = 0
            # Only the first MAX_COLUMNS cells are kept; the filled ones past them are counted for one problem.
            if len(record) > MAX_COLUMNS:
                if extra := sum(1 for value in record[MAX_COLUMNS:] if value.strip()):
                    overflow[len(rows) + 1] = extra
                del record[MAX_COLUMNS:]
            rows.append([(value, False) for value in record])
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as error:
        raise ImportFileError(
            _("Row %(row)s could not be read as CSV (%(error)s).") % {"row": len(rows) + 1, "error": error}
        ) from None
    return rows, overflow


def _xlsx_rows(data: bytes):
    try:
        rows, title = read_first_sheet(data, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
    except WorkbookError as error:
        raise ImportFileError(str(error)) from None
    return rows, _("XLSX, worksheet '%(title)s'") % {"title": title}


def normalise_header(text: str) -> str:
    """A column name as matched: normalised text ("country\u200b" is "country"), lower case, words joined by "_"."""
    return "_".join(normalise_text(text).lower().replace("-", " ").split())


def control_problem(value: str, *, multiline: bool = False) -> str:
    """Why `value` cannot be kept ("contains a control character (U+0000) at character 9 ..."), or ""."""
    if found := _CONTROL.search(value):
        return _(
            "contains a control character (%(code)s) at character %(position)s; "
            "delete it (most programs do not show it)"
        ) % {"code": f"U+{ord(found.group()):04X}", "position": found.start() + 1}
    if not multiline and (found := _LINE_BREAK.search(value)):
        where = {"code": f"U+{ord(found.group()):04X}", "position": found.start() + 1}
        if found.group() == "\t":
            return _("contains a tab (%(code)s) at character %(position)s; this column takes one line") % where
        return _("contains a line break (%(code)s) at character %(position)s; this column takes one line") % where
    return ""


def _visible(value: str) -> str:
    return _CONTROL.sub("\ufffd", value)


def _blank(cells) -> bool:
    return not any(value.strip() for value, _formula in cells)


def _to_table(raw_rows, columns: list[ImportColumn], description: str, overflow: dict[int, int] | None = None) -> Table:
    """The data rows of `raw_rows` ((text, is_formula) cells) under their header; raises ImportFileError for a file
    that cannot be read at all (empty, too long, a bad header), and keeps every cell it refuses as a Problem."""
    while raw_rows and _blank(raw_rows[-1]):
        raw_rows.pop()
    if not raw_rows:
        raise ImportFileError(_("The file is empty: it holds no column names and no rows."))
    if len(raw_rows) > MAX_ROWS + 1:
        raise ImportFileError(
            _("The file has more than %(rows)s rows. Split it into smaller files.") % {"rows": f"{MAX_ROWS:,}"}
        )
    header_row = _find_header(raw_rows, columns)
    header = _read_header(raw_rows[header_row - 1], columns, header_row)
    if header_row > 1:
        description += "; " + _("column names read from row %(row)s") % {"row": header_row}
    multiline = {column.name for column in columns if column.multiline}
    overflow = overflow or {}
    table = Table(rows=[], description=description, header_row=header_row)
    data_rows = 0
    for number, record in enumerate(raw_rows[header_row:], start=header_row + 1):
        values, problems = _read_row(number, record, header, header_row, multiline)
        if number in overflow:
            message = _("%(cells)s more filled cells past column %(columns)s; only %(columns)s are read") % {
                "cells": f"{overflow[number]:,}",
                "columns": MAX_COLUMNS,
            }
            problems.append(Problem(number, _column_number(MAX_COLUMNS + 1), message))
        values = {column.name: values.get(column.name, "") for column in columns}
        data_rows += bool(problems or any(values.values()))
        # A row with an unreadable cell is reported here and not planned: its other cells may be misread too.
        if problems:
            table.add_problems(problems)
        elif any(values.values()):
            table.rows.append((number, values))
    if not data_rows:
        raise ImportFileError(
            _("The file has column names (row %(row)s) but no data rows below them.") % {"row": header_row}
        )
    return table


def _find_header(raw_rows, columns: list[ImportColumn]) -> int:
    """The spreadsheet row holding the column names: the first of the top rows naming every required column,
    else the first naming any known column, else the first row that is not blank (whose names are then wrong)."""
    known = {column.name for column in columns}
    required = {column.name for column in columns if column.required}
    first_filled, first_known = None, None
    for index, cells in enumerate(raw_rows[:HEADER_SEARCH_ROWS]):
        if _blank(cells):
            continue
        first_filled = first_filled or index + 1
        names = {normalise_header(value) for value, _formula in cells}
        if required <= names:
            return index + 1
        if first_known is None and names & known:
            first_known = index + 1
    return first_known or first_filled or 1


def _read_header(cells, columns: list[ImportColumn], header_row: int = 1) -> list[str]:
    for position, (value, _formula) in enumerate(cells):
        if _CONTROL.search(value):
            raise ImportFileError(
                _(
                    "Row %(row)s, column %(column)s ('%(value)s'): %(problem)s. "
                    "Fix the column names and upload the file again."
                )
                % {
                    "row": header_row,
                    "column": position + 1,
                    "value": _clip(_visible(value.strip())),
                    "problem": control_problem(value),
                }
            )
    header = [normalise_header(value) for value, _formula in cells]
    _check_header(header, [normalise_text(value) for value, _formula in cells], columns, header_row)
    return header


def _read_row(number: int, record, header: list[str], header_row: int, multiline: set[str]):
    """({column name: value}, [Problem]) for one data row; a refused cell leaves its column empty.

    Every value is normalised text (NFC, no format characters, plain single spaces): an invisible character
    pasted with a name would otherwise make a second city."""
    values: dict[str, str] = {}
    problems = []
    for position, (raw, is_formula) in enumerate(record):
        name = header[position] if position < len(header) else ""
        value = _normalise_cell(raw, multiline=name in multiline)
        if not value and not _CONTROL.search(raw):
            continue
        if reason := control_problem(raw, multiline=True) or control_problem(value, multiline=name in multiline):
            problems.append(Problem(number, name or _column_number(position + 1), reason))
        elif not name:
            message = _("'%(value)s' is in a column without a name in row %(row)s") % {
                "value": _clip(value),
                "row": header_row,
            }
            problems.append(Problem(number, _column_number(position + 1), message))
        elif is_formula or _FORMULA.match(value):
            message = _("'%(value)s' is a formula; type the value itself (formulas are refused)") % {
                "value": _clip(value)
            }
            problems.append(Problem(number, name, message))
        else:
            values[name] = value
    return values, problems


def _normalise_cell(raw: str, *, multiline: bool) -> str:
    """normalise_text(raw), with a shortcut for the plain ASCII most cells are (a third of a large preview's time)."""
    if raw.isascii() and raw.isprintable() and "  " not in raw:
        return raw.strip()
    return normalise_text(raw, multiline=multiline)


def _column_number(position: int) -> str:
    """A column without a name, by its position: "column 3"."""
    return _("column %(number)s") % {"number": position}


def _clip(value: str, length: int = 60) -> str:
    return value if len(value) <= length else value[: length - 1] + "…"


def _check_header(header: list[str], raw_header: list[str], columns: list[ImportColumn], header_row: int = 1) -> None:
    expected = {column.name for column in columns}
    problems = []
    seen = set()
    for name, raw in zip(header, raw_header, strict=True):
        if not name:
            continue
        if name in seen:
            problems.append(_("column '%(name)s' appears twice") % {"name": raw.strip()})
        seen.add(name)
    missing = [column.name for column in columns if column.required and column.name not in seen]
    unknown = [raw.strip() for name, raw in zip(header, raw_header, strict=True) if name and name not in expected]
    if missing:
        listed = ", ".join(f"'{m}'" for m in missing)
        problems.append(
            ngettext("missing column %(names)s", "missing columns %(names)s", len(missing)) % {"names": listed}
        )
    if unknown:
        listed = ", ".join(f"'{u}'" for u in unknown)
        problems.append(
            ngettext("unknown column %(names)s", "unknown columns %(names)s", len(unknown)) % {"names": listed}
        )
    if problems:
        names = ", ".join(column.name for column in columns)
        raise ImportFileError(
            _(
                "The columns do not match the template: %(problems)s. Row %(row)s must name these columns "
                "(any order; required ones marked in the template): %(names)s."
            )
            % {"problems": "; ".join(problems), "row": header_row, "names": names}
        )


def template_csv(columns: list[ImportColumn]) -> bytes:
    """The template as CSV: UTF-8 with a BOM so that Excel opens names with diacritics correctly."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([column.name for column in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(columns: list[ImportColumn]) -> bytes:
    """The template as XLSX: the header row, and a second sheet explaining each column."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Import")[:31]
    sheet.append([column.name for column in columns])
    for cell in sheet[1]:
        cell.font = openpyxl.styles.Font(bold=True)
    help_sheet = workbook.create_sheet(_("Columns")[:31])
    help_sheet.append([_("column"), _("required"), _("meaning"), _("example")])
    for column in columns:
        required = _("yes") if column.required else _("no")
        help_sheet.append([column.name, required, str(column.help), str(column.example)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
