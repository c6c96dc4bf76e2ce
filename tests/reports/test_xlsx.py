import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl

from reports.xlsx import (
    column_letter,
    column_widths,
    date_cell,
    number_cell,
    sheet_name,
    text_cell,
    xlsx_chunks,
    xml_text,
)

WRITERS = [text_cell, number_cell, date_cell]


def workbook(rows, **kwargs):
    data = b"".join(xlsx_chunks(["Name", "Count", "Day"], WRITERS, rows, title="Test: a/b", **kwargs))
    return data, openpyxl.load_workbook(io.BytesIO(data))


def test_cells_are_typed():
    _, book = workbook([("Sa Đéc", 3, datetime.date(2024, 12, 3)), ("x & <y>", Decimal("-10.5"), None)])
    rows = list(book.active.iter_rows(values_only=True))
    assert rows == [
        ("Name", "Count", "Day"),
        ("Sa Đéc", 3, datetime.datetime(2024, 12, 3)),
        ("x & <y>", -10.5, None),
    ]
    assert book.active["C2"].number_format == "yyyy\\-mm\\-dd"


def test_empty_cells_keep_their_columns():
    _, book = workbook([(None, None, datetime.date(2020, 1, 1)), ("", 0, None)])
    assert list(book.active.iter_rows(min_row=2, values_only=True)) == [
        (None, None, datetime.datetime(2020, 1, 1)),
        (None, 0, None),
    ]


def test_xml_text_escapes_and_drops_forbidden_characters():
    assert xml_text("a&b<c>\x00\x0bd\tok") == "a&amp;b&lt;c&gt;d\tok"
    assert len(xml_text("x" * 40_000)) == 32_767


def test_sheet_name_is_legal():
    assert sheet_name("Members by region and country: 2024/12") == "Members by region and country"
    assert sheet_name("[]") == "Sheet"


def test_rows_past_the_sheet_limit_go_to_another_sheet():
    data, book = workbook(((f"row {n}", n, None) for n in range(5)), max_rows_per_sheet=3)
    assert [len(list(sheet.iter_rows())) for sheet in book.worksheets] == [3, 3, 2]
    assert [row[0].value for row in book.worksheets[2].iter_rows(min_row=2)] == ["row 4"]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names[0] == "[Content_Types].xml"


def test_workbook_is_written_in_many_pieces():
    chunks = list(xlsx_chunks(["n"], [number_cell], ((n,) for n in range(5000)), title="t"))
    assert len(chunks) > 5
    assert openpyxl.load_workbook(io.BytesIO(b"".join(chunks))).active.max_row == 5001


def test_column_letters():
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


def test_column_widths_fit_header_and_values_within_bounds():
    rows = [
        ("United Kingdom of Great Britain and Northern Ireland", 3, datetime.date(2024, 1, 1)),
        ("x" * 500, 1, None),
    ]
    assert column_widths(["Country", "N", "Day"], rows) == [60, 8, 12]
    assert column_widths(["Country", "N", "Day"], rows[:1]) == [54, 8, 12]


def test_every_sheet_filters_its_header_and_the_about_sheet_comes_last():
    data = b"".join(
        xlsx_chunks(
            ["Name", "Count", "Day"],
            WRITERS,
            ((f"row {n}", n, None) for n in range(5)),
            title="It's a test",
            about=lambda: [("Rows", "5")],
            max_rows_per_sheet=3,
        )
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["It's a test", "It's a test (2)", "It's a test (3)", "About"]
    assert [sheet.auto_filter.ref for sheet in book.worksheets[:3]] == ["A1:C3", "A1:C3", "A1:C2"]
    assert list(book["About"].iter_rows(values_only=True)) == [("Rows", "5")]


def test_text_is_written_as_it_is():
    _, book = workbook([("=1+2", None, None), ("+84 24 3826 1234", None, None)])
    assert [cell.value for cell in book.active["A"][1:]] == ["=1+2", "+84 24 3826 1234"]
    assert {cell.data_type for cell in book.active["A"][1:]} == {"s"}
