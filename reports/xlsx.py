"""A constant-memory XLSX writer: the workbook is zipped as it is produced, one batch of rows at a time."""

import datetime
import re
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import chain, islice
from typing import IO, cast

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_CELL_CHARS = 32_767
_EXCEL_EPOCH = datetime.date(1899, 12, 30).toordinal()
_BATCH_ROWS = 500
# Characters XML 1.0 forbids, the three it reserves, and CR (which a parser would read as LF).
_XML_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>"""

_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>"""

# Style 1: dates shown as 2024-12-03; style 2: the bold header row.
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""

_SHEET_HEAD = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<sheetViews><sheetView workbookViewId="0">\
<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>\
<sheetFormatPr defaultRowHeight="15"/>{cols}<sheetData>"""
_ABOUT_HEAD = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<cols><col min="1" max="1" width="18" customWidth="1"/><col min="2" max="2" width="80" customWidth="1"/></cols>\
<sheetData>"""
# Column widths in characters: from the header and the first batch of rows, within these bounds.
MIN_WIDTH, MAX_WIDTH = 8, 60


def xml_text(value: str) -> str:
    if len(value) > EXCEL_MAX_CELL_CHARS:
        value = value[:EXCEL_MAX_CELL_CHARS]
    if _XML_SPECIAL.search(value):
        value = _XML_SPECIAL.sub(lambda m: _XML_ENTITIES.get(m[0], ""), value)
    return value


def text_cell(value) -> str:
    if value is None or value == "":
        return "<c/>"
    return f'<c t="inlineStr"><is><t xml:space="preserve">{xml_text(value)}</t></is></c>'


def number_cell(value) -> str:
    if value is None:
        return "<c/>"
    if isinstance(value, Decimal) and not value.is_finite():
        return text_cell(str(value))
    return f"<c><v>{value}</v></c>"


def date_cell(value) -> str:
    if value is None:
        return "<c/>"
    return f'<c s="1"><v>{value.toordinal() - _EXCEL_EPOCH}</v></c>'


def sheet_name(title: str) -> str:
    return _SHEET_NAME_FORBIDDEN.sub(" ", title)[:31].strip() or "Sheet"


class _Sink:
    """A write-only stream for zipfile: it cannot seek, so zipfile writes data descriptors."""

    def __init__(self):
        self._parts = []

    def write(self, data):
        self._parts.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def drain(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def column_letter(n: int) -> str:
    """The spreadsheet name of the n-th column, counted from 1: 1 -> A, 27 -> AA."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 10
    return max(map(len, str(value).split("\n")))


def column_widths(headers: list[str], rows: list[tuple]) -> list[int]:
    """Widths that fit the header (bold, with its filter button) and the longest value of `rows`, bounded."""
    widths = [len(h) + 4 for h in headers]
    for row in rows:
        widths = [max(w, _width(v) + 2) for w, v in zip(widths, row, strict=False)]
    return [min(max(w, MIN_WIDTH), MAX_WIDTH) for w in widths]


def xlsx_chunks(
    headers: list[str],
    writers: list,
    rows: Iterable[tuple],
    *,
    title: str,
    about=None,
    max_rows_per_sheet: int = EXCEL_MAX_ROWS,
) -> Iterator[bytes]:
    """Yield an XLSX workbook in pieces. `writers` turn each column's values into cells (text_cell,
    number_cell, date_cell); strings are inline, so no shared-strings table grows in memory; text is written as
    it is (a text cell is never evaluated). Past Excel's row limit a new sheet starts. Each sheet freezes and
    filters its header row; column widths come from the header and the first batch of rows.
    `about`, if given, is called once every row is written and returns (label, value) pairs for a last sheet
    named "About" (the report's name, its filters, when it was made, the row count)."""
    sink = _Sink()
    header_xml = "<row>" + "".join(f'<c t="inlineStr" s="2"><is><t>{xml_text(h)}</t></is></c>' for h in headers)
    rows = iter(rows)
    first = list(islice(rows, _BATCH_ROWS))
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
        for i, w in enumerate(column_widths(headers, first), start=1)
    )
    head = _SHEET_HEAD.format(cols=f"<cols>{widths}</cols>") + header_xml + "</row>"
    rows = chain(first, rows)
    last_column = column_letter(max(1, len(headers)))
    sheets = 0
    with zipfile.ZipFile(cast(IO[bytes], sink), "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        more = True
        filtered = []  # the last row of each sheet's autofilter
        while more or sheets == 0:
            sheets += 1
            with archive.open(f"xl/worksheets/sheet{sheets}.xml", "w") as sheet:
                sheet.write(head.encode())
                room, batch = max_rows_per_sheet - 1, []
                for row in rows:
                    batch.append("<row>" + "".join([w(v) for w, v in zip(writers, row, strict=True)]) + "</row>")
                    room -= 1
                    if len(batch) >= _BATCH_ROWS or room == 0:
                        sheet.write("".join(batch).encode())
                        batch.clear()
                        yield sink.drain()
                        if room == 0:
                            break
                else:
                    more = False
                filtered.append(max_rows_per_sheet - room)
                tail = f'</sheetData><autoFilter ref="A1:{last_column}{filtered[-1]}"/></worksheet>'
                sheet.write(("".join(batch) + tail).encode())
            yield sink.drain()
        if about is not None:
            archive.writestr(f"xl/worksheets/sheet{sheets + 1}.xml", _about_sheet(about()))
        archive.writestr("xl/workbook.xml", _workbook(title, filtered, last_column, about is not None))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(sheets + (about is not None)))
    yield sink.drain()


def _about_sheet(pairs) -> str:
    rows = "".join(
        f'<row><c t="inlineStr" s="2"><is><t>{xml_text(str(label))}</t></is></c>{text_cell(str(value))}</row>'
        for label, value in pairs
    )
    return _ABOUT_HEAD + rows + "</sheetData></worksheet>"


def _workbook(title: str, filtered: list[int], last_column: str, about: bool) -> str:
    name = xml_text(sheet_name(title))
    entries = [
        f'<sheet name="{name if n == 1 else f"{name[:25]} ({n})"}" sheetId="{n}" r:id="rId{n}"/>'
        for n in range(1, len(filtered) + 1)
    ]
    if about:
        n = len(filtered) + 1
        entries.append(f'<sheet name="About" sheetId="{n}" r:id="rId{n}"/>')
    quoted = name.replace("'", "''")
    # Excel keeps each sheet's filter range under this hidden name; without it some versions drop the filter.
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"'{quoted if i == 0 else f'{quoted[:25]} ({i + 1})'}'!$A$1:${last_column}${last}</definedName>"
        for i, last in enumerate(filtered)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{''.join(entries)}</sheets><definedNames>{names}</definedNames></workbook>"
    )


def _workbook_rels(sheets: int) -> str:
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    entries = "".join(
        f'<Relationship Id="rId{n}" Type="{kind}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    styles = f'<Relationship Id="rId{sheets + 1}" Type="{kind}/styles" Target="styles.xml"/>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{entries}{styles}</Relationships>"
    )
