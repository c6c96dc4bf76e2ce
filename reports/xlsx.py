"""A constant-memory XLSX writer: the workbook is zipped as it is produced, one batch of rows at a time."""

import datetime
import re
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
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
_SHEET_TAIL = "</sheetData></worksheet>"


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


def xlsx_chunks(
    headers: list[str],
    writers: list,
    rows: Iterable[tuple],
    *,
    title: str,
    max_rows_per_sheet: int = EXCEL_MAX_ROWS,
) -> Iterator[bytes]:
    """Yield an XLSX workbook in pieces. `writers` turn each column's values into cells (text_cell,
    number_cell, date_cell); strings are inline, so no shared-strings table grows in memory.
    Past Excel's row limit a new sheet starts."""
    sink = _Sink()
    header_xml = "<row>" + "".join(f'<c t="inlineStr" s="2"><is><t>{xml_text(h)}</t></is></c>' for h in headers)
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{min(max(len(h) + 4, 12), 50)}" customWidth="1"/>'
        for i, h in enumerate(headers, start=1)
    )
    head = _SHEET_HEAD.format(cols=f"<cols>{widths}</cols>") + header_xml + "</row>"
    rows = iter(rows)
    sheets = 0
    with zipfile.ZipFile(cast(IO[bytes], sink), "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        more = True
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
                sheet.write(("".join(batch) + _SHEET_TAIL).encode())
            yield sink.drain()
        archive.writestr("xl/workbook.xml", _workbook(title, sheets))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(sheets))
    yield sink.drain()


def _workbook(title: str, sheets: int) -> str:
    name = xml_text(sheet_name(title))
    entries = "".join(
        f'<sheet name="{name if n == 1 else f"{name[:25]} ({n})"}" sheetId="{n}" r:id="rId{n}"/>'
        for n in range(1, sheets + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{entries}</sheets></workbook>"
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
