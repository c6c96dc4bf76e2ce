"""Each memory bomb of the security probe (4.6, 4.7, 4.8, 4.12, 4.13) read in a fresh process: a clear message,
under 200 MB peak and 10 s. The bombs are streamed into files here, so the test itself stays small."""

import datetime
import io
import json
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from imports.workbooks import WorkbookError, format_letters, read_first_sheet

# Runs read_table in a child process and prints what it said, its time and its peak RSS.
CHILD = """
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "x")
import django
django.setup()
from imports import workbooks
from imports.spreadsheets import ImportColumn, ImportFileError, read_table
if sys.argv[2] == "unchecked":  # no zip checks: the streaming parser alone must stop
    workbooks.MAX_PART_SIZE = workbooks.MAX_TOTAL_SIZE = workbooks.MAX_RATIO = 10**12
data = open(sys.argv[1], "rb").read()
columns = [ImportColumn(name, "") for name in ("city", "country", "joined", "source", "notes")]
started, cpu_started = time.perf_counter(), time.process_time()
try:
    table = read_table(data, columns)
    said = [str(p) for p in table.problems[:3] + table.problems[-1:]] + [f"{table.more_problems} more"]
except ImportFileError as error:
    said = [str(error)]
seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
# VmHWM is this process's own peak; ru_maxrss would carry the parent's over the exec.
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"said": said, "seconds": seconds, "cpu_seconds": cpu_seconds, "rss_mb": int(peak.split()[1]) / 1024}))
"""

HEADER = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>city</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>country</t></is></c></row>'
)


def read_in_child(path, mode="checked") -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), mode], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def workbook(path, sheet_chunks, shared_strings=None):
    """Write a minimal XLSX at `path`, streaming the sheet XML from `sheet_chunks` (an iterable of str)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
        if shared_strings:
            with archive.open("xl/sharedStrings.xml", "w") as part:
                for chunk in shared_strings:
                    part.write(chunk.encode())
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(f'<worksheet xmlns="{main}"><sheetData>'.encode())
            for chunk in sheet_chunks:
                part.write(chunk.encode())
            part.write(b"</sheetData></worksheet>")
    return path


def wide_row(cells: int):
    yield HEADER + '<row r="2">'
    block = "<c/>" * 100_000
    for _ in range(cells // 100_000):
        yield block
    yield "</row>"


def huge_strings(count: int, length: int):
    yield '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    text = "x" * length
    for _ in range(count):
        yield f"<si><t>{text}</t></si>"
    yield "</sst>"


def assert_bounded(result, *words):
    assert result["rss_mb"] < 200, result
    # The reader's own work (CPU time) within 10 s: wall time also counts whatever else the machine runs.
    assert result["cpu_seconds"] < 10, result
    assert result["seconds"] < 60, result
    assert all(word in " ".join(result["said"]) for word in words), result


@pytest.mark.parametrize("cells", [6_100_000, 60_000_000])
def test_a_row_of_millions_of_empty_cells_is_refused_from_the_zip_directory(tmp_path, cells):
    path = workbook(tmp_path / "wide.xlsx", wide_row(cells))
    assert path.stat().st_size < 300_000
    assert_bounded(read_in_child(path), "unpacks to")


def test_a_row_of_millions_of_empty_cells_stops_the_parser_at_the_sheet_width(tmp_path):
    path = workbook(tmp_path / "wide.xlsx", wide_row(6_100_000))
    assert_bounded(read_in_child(path, "unchecked"), "Row 2 holds more than 16,384 cells")


def test_a_sheet_of_too_many_cells_stops_the_parser(tmp_path):
    rows = (f'<row r="{n}">' + "<c/>" * 10_000 + "</row>" for n in range(2, 72))
    path = workbook(tmp_path / "tall.xlsx", [HEADER, *rows])
    assert_bounded(read_in_child(path, "unchecked"), "more than 600,000 cells")


def test_a_cell_of_millions_of_elements_stops_the_parser(tmp_path):
    path = workbook(tmp_path / "deep.xlsx", [HEADER, '<row r="2"><c r="A2">', *["<x/>" * 100_000] * 30, "</c></row>"])
    assert_bounded(read_in_child(path, "unchecked"), "more than 10,000 elements")


def test_huge_shared_strings_are_refused_from_the_zip_directory(tmp_path):
    path = workbook(tmp_path / "strings.xlsx", [HEADER], huge_strings(40, 1_000_000))
    assert_bounded(read_in_child(path), "unpacks to")


def test_huge_shared_strings_stop_the_parser_at_the_cell_length(tmp_path):
    path = workbook(tmp_path / "strings.xlsx", [HEADER], huge_strings(1_500, 40_000))
    assert_bounded(read_in_child(path, "unchecked"), "a cell holds at most 32,767")


def test_a_million_empty_rows_stop_at_the_row_limit(tmp_path):
    rows = [HEADER, '<row r="2"><c r="A2" t="inlineStr"><is><t>Vinh</t></is></c></row>']
    rows += (f'<row r="{n}"/>' for n in range(3, 1_000_000))
    path = workbook(tmp_path / "empty-rows.xlsx", rows)
    result = read_in_child(path, "unchecked")
    assert_bounded(result)
    assert result["said"] == ["0 more"]  # the empty rows after the data are dropped


@pytest.mark.parametrize("cell", ["x", "ab"])
def test_a_csv_row_of_millions_of_cells_is_refused_before_it_is_built(tmp_path, cell):
    path = tmp_path / "wide.csv"
    with path.open("w") as out:
        out.write("city,country\nVinh,VN\n")
        out.write(f"{cell}," * (4_900_000 // (len(cell) + 1)) + "\n")
    assert_bounded(read_in_child(path), "Row 3 holds more than 10,000 cells; only the first 100 columns are read")


def test_a_csv_record_of_many_quoted_lines_is_refused_too(tmp_path):
    path = tmp_path / "wide.csv"
    with path.open("w") as out:
        out.write("city,country\n" + '"ab\n",' * 800_000 + "\n")
    assert_bounded(read_in_child(path), "Row 2 holds more than 10,000 cells")


@pytest.mark.parametrize("text", ["\n" * 1_000_000, ",,,,,\n" * 800_000])
def test_a_csv_of_empty_rows_is_refused_quickly(tmp_path, text):
    path = tmp_path / "empty.csv"
    path.write_text("city,country\n" + text)
    assert_bounded(read_in_child(path), "no data rows")


def test_read_first_sheet_reads_what_openpyxl_wrote(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["city", "joined", "flag", "count", "formula"])
    book.active.append(["Sa Đéc", datetime.date(2020, 9, 23), True, 3.0, "=1+1"])
    book.active.append([None, datetime.date(2021, 2, 1)])
    book.active["B3"].number_format = "mmm yyyy"
    book.active.title = "Cohort"
    book.save(tmp_path / "book.xlsx")
    rows, title = read_first_sheet((tmp_path / "book.xlsx").read_bytes(), max_rows=10, max_columns=4)
    assert title == "Cohort"
    assert rows[1] == [("Sa Đéc", False), ("2020-09-23", False), ("yes", False), ("3", False)]
    assert rows[2] == [("", False), ("2021-02", False)]


def test_read_first_sheet_refuses_entities():
    bomb = '<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData><row><c><v>&a;</v></c></row></sheetData></worksheet>'
    out = io.BytesIO()
    workbook(out, [])
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("xl/worksheets/sheet2.xml", bomb)
    data = out.getvalue().replace(b"worksheets/sheet1.xml", b"worksheets/sheet2.xml")
    with pytest.raises(WorkbookError):
        read_first_sheet(data, max_rows=10, max_columns=10)


@pytest.mark.parametrize(
    ("number_format", "letters"),
    [
        ("[$-de-DE]mmmm yyyy", "mmmmyyyy"),
        ("[$-407]mmmm yyyy", "mmmmyyyy"),
        ('"Tag "d.mm.yyyy', "dmmyyyy"),
        ('mmm "de" yyyy', "mmmyyyy"),
        ("[Red]dd/mm/yyyy;@", "ddmmyyyy"),
        ("yyyy\\-mm", "yyyymm"),
        ("yyyy", "yyyy"),
    ],
)
def test_format_letters_ignore_locale_tags_quoted_text_and_escapes(number_format, letters):
    assert format_letters(number_format) == letters


def _dated_sheet(value, number_format: str, *, epoch_1904: bool = False) -> bytes:
    book = openpyxl.Workbook()
    if epoch_1904:
        book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    book.active.append(["joined"])
    book.active.append([value])
    book.active["A2"].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("epoch_1904", [False, True])
@pytest.mark.parametrize(
    ("number_format", "shown"),
    [("yyyy-mm-dd", "2024-02-14"), ("[$-de-DE]mmmm yyyy", "2024-02"), ('mmmm "de" yyyy', "2024-02"), ("yyyy", "2024")],
)
def test_dates_read_in_both_date_systems_at_the_precision_the_format_shows(epoch_1904, number_format, shown):
    data = _dated_sheet(datetime.datetime(2024, 2, 14), number_format, epoch_1904=epoch_1904)
    rows, _ = read_first_sheet(data, max_rows=10, max_columns=5)
    assert rows[1] == [(shown, False)]


def test_a_year_typed_into_a_date_cell_reads_as_the_day_excel_stores():
    # Excel keeps "2024" typed into a date-formatted cell as day 2,024 of the 1900 system: 16 July 1905.
    book = openpyxl.Workbook()
    book.active.append(["joined"])
    book.active.append([2024])
    book.active["A2"].number_format = "d mmmm yyyy"
    out = io.BytesIO()
    book.save(out)
    rows, _ = read_first_sheet(out.getvalue(), max_rows=10, max_columns=5)
    assert rows[1] == [("1905-07-16", False)]
