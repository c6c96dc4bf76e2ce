"""Reading the first worksheet of an uploaded XLSX workbook in bounded memory and time, whatever the file holds.

openpyxl builds a whole row before a column limit applies and keeps every shared string, so a 25 KB file of
millions of empty cells takes gigabytes. Here the zip is checked before any parsing, every XML part is streamed
through defusedxml (no entities, no DTD), elements are dropped as soon as they are read, and the counts that make
work (cells, elements, characters) are capped as they are read.
"""

import datetime
import functools
import io
import posixpath
import re
import zipfile

from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

# Excel's own limits: a worksheet has 16,384 columns and 1,048,576 rows, and a cell holds 32,767 characters.
SHEET_COLUMNS = 16_384
SHEET_ROWS = 1_048_576
CELL_CHARACTERS = 32_767
MAX_PART_SIZE = 32_000_000  # bytes of one uncompressed part; a 50,000-row sheet of 11 columns is about 25 MB
MAX_TOTAL_SIZE = 64_000_000
MAX_RATIO = 100  # uncompressed / compressed size of a part over 1 MB; spreadsheet programs' compress 10-20 times
MAX_DECLARED_CELLS = 10_000_000
MAX_CELLS = 600_000  # <c> elements in the whole sheet; 50,000 rows of 11 columns are 550,000
MAX_ELEMENTS = 1_500_000  # elements of any kind in one part: cells, their values, rows
MAX_STRINGS = 1_000_000
MAX_STRING_CHARACTERS = 10_000_000  # all shared strings together
MAX_CHILDREN = 10_000  # elements inside one cell or one shared string; real ones hold a few

UNREADABLE = gettext_lazy(
    "This file is not a readable XLSX workbook. Save it from your spreadsheet program as .xlsx or CSV."
)
_SHEET_UNREADABLE = gettext_lazy("The first worksheet of this workbook could not be read.")
_CUT = gettext_lazy("Delete what is not data, or save the sheet as CSV, and upload it again.")
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")


class WorkbookError(Exception):
    """The workbook cannot be read; the message is meant for the person who uploaded it."""


def read_first_sheet(data: bytes, *, max_rows: int, max_columns: int) -> tuple[list[list[tuple[str, bool]]], str]:
    """The first worksheet of the XLSX `data` as rows of (text, is_formula) cells, and its title.

    Row i of the list is spreadsheet row i + 1 (missing rows are empty lists); cells past `max_columns` are not
    kept, and reading stops after `max_rows` + 2 rows, so the caller can tell the sheet is too long.
    Dates come back as ISO dates ("2020-09-23"), or as months ("2020-09") when formatted without the day.
    Raises WorkbookError when the file is not a workbook, or holds more than the limits above.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:
        raise WorkbookError(UNREADABLE) from None
    with archive:
        _check_sizes(archive)
        try:
            workbook = _Workbook(archive)
        except WorkbookError:
            raise
        except Exception:
            raise WorkbookError(UNREADABLE) from None
        try:
            return workbook.rows(max_rows=max_rows, max_columns=max_columns), workbook.title
        except WorkbookError:
            raise
        except Exception:
            raise WorkbookError(_SHEET_UNREADABLE) from None


def _check_sizes(archive: zipfile.ZipFile) -> None:
    """Refuse from the zip directory alone, before anything is decompressed."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > MAX_PART_SIZE or total > MAX_TOTAL_SIZE:
            raise WorkbookError(
                _(
                    "This workbook unpacks to more than %(megabytes)s MB (%(part)s: %(bytes)s bytes); "
                    "it cannot be a list of this size. %(advice)s"
                )
                % {
                    "megabytes": MAX_PART_SIZE // 1_000_000,
                    "part": info.filename,
                    "bytes": f"{info.file_size:,}",
                    "advice": _CUT,
                }
            )
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise WorkbookError(
                _(
                    "This workbook unpacks to %(ratio)s times its size (%(part)s), which spreadsheet programs "
                    "do not write. %(advice)s"
                )
                % {"ratio": f"{info.file_size // max(info.compress_size, 1):,}", "part": info.filename, "advice": _CUT}
            )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _elements(archive: zipfile.ZipFile, name: str, keep: frozenset = frozenset()):
    """Yield (tag, element, ancestors) at the end of each element of part `name`, then drop the element.

    Elements inside a `keep` element (a cell, a shared string) stay until it ends, so it can be read whole;
    at most MAX_CHILDREN of them, and MAX_ELEMENTS in the part.
    """
    ancestors, inside, kept, seen = [], 0, 0, 0
    with archive.open(name) as stream:
        for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
            tag = _local(element.tag)
            if event == "start":
                ancestors.append(element)
                inside += tag in keep
                continue
            ancestors.pop()
            inside -= tag in keep
            seen += 1
            if seen > MAX_ELEMENTS:
                raise WorkbookError(
                    _("The part %(part)s holds more than %(count)s elements. %(advice)s")
                    % {"part": name, "count": f"{MAX_ELEMENTS:,}", "advice": _CUT}
                )
            yield tag, element, ancestors
            if inside:
                kept += 1
                if kept > MAX_CHILDREN:
                    raise WorkbookError(
                        _("A cell of this workbook holds more than %(count)s elements. %(advice)s")
                        % {"count": f"{MAX_CHILDREN:,}", "advice": _CUT}
                    )
            else:
                kept = 0
                if ancestors:
                    ancestors[-1].remove(element)


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part name) of `part`."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in archive.NameToInfo:
        return {}
    found = {}
    for tag, element, _ancestors in _elements(archive, rels_name):
        if tag == "Relationship" and element.get("TargetMode") != "External":
            target = element.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[element.get("Id", "")] = (element.get("Type", ""), path)
    return found


def _text(element) -> str:
    """The text of a shared or inline string: its plain text and runs, without phonetic hints."""
    parts = [child.text or "" for child in element if _local(child.tag) == "t"]
    for run in element:
        if _local(run.tag) == "r":
            parts += [child.text or "" for child in run if _local(child.tag) == "t"]
    return "".join(parts)


class _Workbook:
    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        package = _relationships(archive, "")
        main = next((path for kind, path in package.values() if kind.endswith("/officeDocument")), "xl/workbook.xml")
        date1904, sheet_id, self.title = False, None, ""
        for tag, element, _ancestors in _elements(archive, main):
            if tag == "workbookPr":
                date1904 = element.get("date1904", "").lower() in ("1", "true")
            elif tag == "sheet" and sheet_id is None:
                self.title = element.get("name", "")
                sheet_id = next((value for key, value in element.attrib.items() if _local(key) == "id"), None)
        parts = _relationships(archive, main)
        if sheet_id is None or sheet_id not in parts:
            raise WorkbookError(UNREADABLE)
        self.sheet = parts[sheet_id][1]
        by_kind = {kind.rpartition("/")[2]: path for kind, path in parts.values()}
        self.epoch = CALENDAR_MAC_1904 if date1904 else WINDOWS_EPOCH
        self.formats, self.dates, self.durations = self._styles(by_kind.get("styles"))
        self.strings = self._strings(by_kind.get("sharedStrings"))

    def _styles(self, name: str | None) -> tuple[list[str], set[int], set[int]]:
        """Each cell style's number format, and which styles show dates and durations."""
        formats: list[str] = []
        dates: set[int] = set()
        durations: set[int] = set()
        if not name or name not in self.archive.NameToInfo:
            return formats, dates, durations
        custom = {}
        for tag, element, ancestors in _elements(self.archive, name):
            if tag == "numFmt":
                custom[element.get("numFmtId")] = element.get("formatCode", "")
            elif tag == "xf" and ancestors and _local(ancestors[-1].tag) == "cellXfs":
                number = element.get("numFmtId", "0")
                code = custom[number] if number in custom else BUILTIN_FORMATS.get(int(number), "General")
                if is_date_format(code):
                    dates.add(len(formats))
                if is_timedelta_format(code):
                    durations.add(len(formats))
                formats.append(code)
        return formats, dates, durations

    def _strings(self, name: str | None) -> list[str]:
        strings: list[str] = []
        characters = 0
        if not name or name not in self.archive.NameToInfo:
            return strings
        for tag, element, _ancestors in _elements(self.archive, name, keep=frozenset({"si"})):
            if tag != "si":
                continue
            text = _text(element).replace("x005F_", "")
            characters += len(text)
            if len(text) > CELL_CHARACTERS:
                raise WorkbookError(
                    _("This workbook holds a text of %(length)s characters; a cell holds at most %(max)s. %(advice)s")
                    % {"length": f"{len(text):,}", "max": f"{CELL_CHARACTERS:,}", "advice": _CUT}
                )
            if characters > MAX_STRING_CHARACTERS or len(strings) >= MAX_STRINGS:
                raise WorkbookError(
                    _("This workbook holds more than %(characters)s characters of text or %(texts)s texts. %(advice)s")
                    % {"characters": f"{MAX_STRING_CHARACTERS:,}", "texts": f"{MAX_STRINGS:,}", "advice": _CUT}
                )
            strings.append(text)
        return strings

    def rows(self, *, max_rows: int, max_columns: int) -> list[list[tuple[str, bool]]]:
        """The first sheet's rows (at most max_rows + 2, blank rows kept), each cut at max_columns cells.

        Raises WorkbookError as soon as a row holds more cells than a worksheet can, the sheet more than
        MAX_CELLS, or the sheet declares an implausible size: the parser stops there, nothing is built first.
        """
        reader = _RowReader(self._cell, max_rows=max_rows, max_columns=max_columns)
        for tag, element, ancestors in _elements(self.archive, self.sheet, keep=frozenset({"c"})):
            if tag == "c":
                reader.cell(element, ancestors[-1] if ancestors else None)
            elif tag == "row" and reader.row_end(element):
                break
            elif tag == "dimension":
                _check_dimension(element.get("ref", ""))
        return reader.rows

    def _cell(self, element) -> tuple[str, bool]:
        kind, style = element.get("t", "n"), int(element.get("s") or 0)
        children = {_local(child.tag): child for child in element}
        if "f" in children:
            return "=" + (children["f"].text or ""), True
        if kind == "inlineStr":
            text = _text(children["is"]) if "is" in children else None
        else:
            text = children["v"].text if "v" in children else None
        if not text:
            return "", False
        number_format = self.formats[style] if style < len(self.formats) else "General"
        value: object = text  # what the cell holds, by its type: a number, date, duration, bool or text
        if kind == "n":
            value = float(text) if any(mark in text for mark in ".eE") else int(text)
            if style in self.dates:
                try:
                    value = from_excel(value, self.epoch, timedelta=style in self.durations)
                except (OverflowError, ValueError):
                    value = "#VALUE!"
        elif kind == "s":
            value = self.strings[int(text)]
        elif kind == "b":
            value = bool(int(text))
        elif kind == "d":
            value = from_ISO8601(text)
        return _display(value, number_format)


class _RowReader:
    """Collects cells into rows as the sheet's elements stream past; rows are numbered by their `r` attribute."""

    def __init__(self, read_cell, *, max_rows: int, max_columns: int):
        self.read_cell, self.max_rows, self.max_columns = read_cell, max_rows, max_columns
        self.rows: list[list[tuple[str, bool]]] = []
        self.cells = 0
        self.values: dict[int, tuple[str, bool]] = {}  # column number -> cell, of the row being read
        self.row_element, self.number, self.column, self.in_row = None, 0, 0, 0

    def _begin(self, element) -> int:
        given = element.get("r")
        return int(given) if given else self.number + 1

    def cell(self, element, parent) -> None:
        if parent is not self.row_element:
            self.row_element, self.number, self.values = parent, self._begin(parent), {}
            self.column, self.in_row = 0, 0
        self.in_row, self.cells = self.in_row + 1, self.cells + 1
        if self.in_row > SHEET_COLUMNS:
            raise WorkbookError(
                _("Row %(row)s holds more than %(count)s cells, more than a worksheet can. %(advice)s")
                % {"row": self.number, "count": f"{SHEET_COLUMNS:,}", "advice": _CUT}
            )
        if self.cells > MAX_CELLS:
            raise WorkbookError(
                _("The worksheet holds more than %(count)s cells. %(advice)s")
                % {"count": f"{MAX_CELLS:,}", "advice": _CUT}
            )
        reference = element.get("r")
        self.column = _column(reference) if reference else self.column + 1
        if self.column <= self.max_columns:
            self.values[self.column] = self.read_cell(element)

    def row_end(self, element) -> bool:
        """Close the row; True once enough rows are read to stop."""
        if element is not self.row_element:
            self.number, self.values = self._begin(element), {}
        if not 1 <= self.number <= SHEET_ROWS:
            raise WorkbookError(_SHEET_UNREADABLE)
        limit = self.max_rows + 2
        while len(self.rows) < min(self.number - 1, limit):
            self.rows.append([])
        if self.number > len(self.rows) and len(self.rows) < limit:
            self.rows.append([self.values.get(c, ("", False)) for c in range(1, max(self.values, default=0) + 1)])
        self.row_element, self.values = None, {}
        return len(self.rows) >= limit


def _display(value, number_format: str) -> tuple[str, bool]:
    if isinstance(value, str) and value.startswith("="):
        return value, True
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, datetime.datetime | datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
        shown = format_letters(number_format)
        # A date cell formatted without the day ("mmm yyyy") was typed as a month, one with the year alone as a year.
        if "d" not in shown:
            return (day.strftime("%Y-%m") if "m" in shown else f"{day.year:04d}"), False
        return day.isoformat(), False
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), False
    return str(value), False


_FORMAT_NOISE = re.compile(r'\[[^\]]*\]|"[^"]*"|\\.|[_*].')


@functools.lru_cache(maxsize=256)
def format_letters(number_format: str) -> str:
    """The date letters an Excel number format shows, lower case: "mmmm yyyy" for "[$-de-DE]mmmm yyyy".

    Locale and colour tags in brackets, quoted text ("Tag "d), escaped characters and padding are not shown,
    so their letters ("d" of "de-DE") say nothing about the date; only the first section (positive numbers) counts.
    """
    body = _FORMAT_NOISE.sub("", number_format.split(";", 1)[0])
    return "".join(char for char in body.lower() if char in "ymdhs")


@functools.lru_cache(maxsize=1024)
def _column(reference: str) -> int:
    match = _REF.fullmatch(reference)
    if not match:
        raise ValueError(reference)
    column = column_index_from_string(match.group(1).upper())
    if column > SHEET_COLUMNS:
        raise ValueError(reference)
    return column


def _check_dimension(ref: str) -> None:
    """The size the sheet declares: nothing is allocated from it here, but an absurd one marks a crafted file."""
    ends = ref.split(":")
    if len(ends) != 2:
        return
    first, last = _REF.fullmatch(ends[0]), _REF.fullmatch(ends[1])
    if first is None or last is None:
        return
    first_col, first_row = first.group(1).upper(), int(first.group(2))
    last_col, last_row = last.group(1).upper(), int(last.group(2))
    columns = column_index_from_string(last_col) - column_index_from_string(first_col) + 1
    declared = max(columns, 1) * max(last_row - first_row + 1, 1)
    if declared > MAX_DECLARED_CELLS:
        raise WorkbookError(
            _("The worksheet declares %(count)s cells (%(range)s); at most %(max)s are read. %(advice)s")
            % {"count": f"{declared:,}", "range": ref, "max": f"{MAX_DECLARED_CELLS:,}", "advice": _CUT}
        )
