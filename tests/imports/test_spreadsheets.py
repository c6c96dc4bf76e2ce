import datetime
import io

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imports.spreadsheets import (
    ImportColumn,
    ImportFileError,
    normalise_header,
    read_table,
    template_csv,
    template_xlsx,
)

COLUMNS = [
    ImportColumn("city", "", required=True),
    ImportColumn("country", "", required=True),
    ImportColumn("joined", ""),
]


def xlsx(rows, number_formats=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for (row, column), number_format in (number_formats or {}).items():
        sheet.cell(row, column).number_format = number_format
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_read_table_numbers_rows_as_a_spreadsheet_does():
    table = read_table(b"city,country\nVinh,VN\n\nSa Dec,VN\n", COLUMNS)
    assert table.rows == [
        (2, {"city": "Vinh", "country": "VN", "joined": ""}),
        (4, {"city": "Sa Dec", "country": "VN", "joined": ""}),
    ]


def test_read_table_matches_headers_ignoring_case_spaces_and_order():
    table = read_table(b" Country ,CITY\r\nVN,Vinh\r\n", COLUMNS)
    assert table.rows == [(2, {"city": "Vinh", "country": "VN", "joined": ""})]


def test_normalise_header_turns_spaces_and_dashes_into_underscores():
    assert normalise_header(" Local-Name ") == normalise_header("local name") == "local_name"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("city,country\nSa Đéc,Viet Nam\n".encode(), "UTF-8"),
        ("city,country\nSa Đéc,Viet Nam\n".encode("utf-8-sig"), "UTF-8 with BOM"),
        ("city,country\nLiège,Belgique\n".encode("cp1252"), "Windows-1252 (Western European)"),
        ("city,country\nLiège,Belgique\n".encode("utf-16"), "UTF-16 with BOM"),
        ("city,country\nLiège,Belgique\n".encode("utf-32"), "UTF-32 with BOM"),
    ],
)
def test_read_table_reads_the_encodings_spreadsheet_programs_write(data, encoding):
    table = read_table(data, COLUMNS)
    assert table.description.startswith(f"CSV, read as {encoding}")
    assert table.encoding == encoding
    assert table.rows[0][1]["city"] in {"Sa Đéc", "Liège"}


def test_read_table_warns_when_a_byte_fits_no_code_page_well():
    # 0x81 is not UTF-8 on its own, undefined in Windows-1252, and no plausible letter after "City" elsewhere.
    table = read_table(b"city,country\nCity\x81,VN\n", COLUMNS)
    assert table.description.endswith("(a guess: the file does not say its encoding)")
    assert f"it was read as {table.encoding}" in table.warnings[0]
    assert "save the file in your spreadsheet program as 'CSV UTF-8" in table.warnings[0]


def test_read_table_reads_semicolon_separated_files_from_excel():
    assert read_table(b"city;country\nVinh;VN\n", COLUMNS).rows[0][1]["country"] == "VN"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "an old Excel (.xls)"),
        (b"city,country\x00\x00\x01\x02", "binary data"),
    ],
)
def test_read_table_says_what_a_file_that_is_not_a_spreadsheet_looks_like(data, kind):
    with pytest.raises(ImportFileError, match="not a CSV or XLSX spreadsheet") as error:
        read_table(data, COLUMNS)
    assert kind in str(error.value)


def test_read_table_refuses_a_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ImportFileError, match="not a readable XLSX workbook"):
        read_table(out.getvalue(), COLUMNS)


@pytest.mark.parametrize("data", [b"", b"  \r\n", b",,\n,,\n"])
def test_read_table_refuses_an_empty_file(data):
    with pytest.raises(ImportFileError, match="empty"):
        read_table(data, COLUMNS)


def test_read_table_refuses_a_header_without_data_rows():
    with pytest.raises(ImportFileError, match="no data rows"):
        read_table(b"city,country,joined\n,,\n", COLUMNS)


def test_read_table_refuses_a_file_over_the_size_limit(settings):
    settings.IMPORT_MAX_FILE_SIZE = 100
    with pytest.raises(ImportFileError, match="the limit is 100 bytes"):
        read_table(b"city,country\n" + b"Vinh,VN\n" * 20, COLUMNS)


def test_read_table_names_missing_renamed_and_repeated_columns():
    with pytest.raises(ImportFileError) as error:
        read_table(b"City name,country,country\nVinh,VN,VN\n", COLUMNS)
    message = str(error.value)
    assert "missing column 'city'" in message
    assert "unknown column 'City name'" in message
    assert "column 'country' appears twice" in message


def test_read_table_reports_values_under_a_column_without_a_name():
    table = read_table(b"city,country\nVinh,VN,stray\n", COLUMNS)
    assert table.rows == []
    assert [str(p) for p in table.problems] == ["Row 2, column 3: 'stray' is in a column without a name in row 1"]


@pytest.mark.parametrize("value", ["=1+2", "@SUM(A1)", "+cmd|' /C calc'!A0", "-HYPERLINK(1)", '=HYPERLINK("x")'])
def test_read_table_refuses_formulas_in_csv_cells(value):
    table = read_table(f"city,country\n{value},VN\nVinh,VN\n".replace('"', '""').encode(), COLUMNS)
    assert [(p.row, p.column) for p in table.problems] == [(2, "city")]
    assert "is a formula" in table.problems[0].message
    assert [number for number, _ in table.rows] == [3]


@pytest.mark.parametrize("value", ["+84 24 3825 3536", "-", "-3", "+(84) 24", "Saint-Étienne"])
def test_read_table_keeps_values_that_only_look_like_formulas(value):
    table = read_table(f"city,country\n{value},VN\n".encode(), COLUMNS)
    assert table.problems == []
    assert table.rows[0][1]["city"] == value


def test_read_table_reads_the_first_worksheet_of_a_workbook():
    data = xlsx([["city", "country", "joined"], ["Sa Đéc", "VN", 2020], [None, None, None], ["Vinh", "VN", "2020-09"]])
    table = read_table(data, COLUMNS)
    assert table.description == "XLSX, worksheet 'Sheet'"
    assert table.rows == [
        (2, {"city": "Sa Đéc", "country": "VN", "joined": "2020"}),
        (4, {"city": "Vinh", "country": "VN", "joined": "2020-09"}),
    ]


def test_read_table_keeps_the_precision_a_date_cell_is_formatted_with():
    day, month = datetime.datetime(2024, 2, 14), datetime.datetime(2024, 2, 1)
    data = xlsx(
        [["city", "country", "joined"], ["A", "VN", day], ["B", "VN", month]],
        {(2, 3): "yyyy-mm-dd", (3, 3): "mmm yyyy"},
    )
    assert [values["joined"] for _, values in read_table(data, COLUMNS).rows] == ["2024-02-14", "2024-02"]


def test_read_table_refuses_formula_cells_in_a_workbook():
    table = read_table(xlsx([["city", "country", "joined"], ["Vinh", "VN", "=2000+20"]]), COLUMNS)
    assert [str(p) for p in table.problems] == [
        "Row 2, joined: '=2000+20' is a formula; type the value itself (formulas are refused)"
    ]


def test_template_csv_is_the_header_row_with_a_bom_for_excel():
    assert template_csv(COLUMNS) == "\ufeffcity,country,joined\r\n".encode()


def test_template_xlsx_reads_back_as_a_file_with_no_rows():
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx(COLUMNS)))
    assert [cell.value for cell in workbook["Import"][1]] == ["city", "country", "joined"]
    assert workbook["Columns"].max_row == 1 + len(COLUMNS)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_read_table_never_fails_unexpectedly_on_arbitrary_bytes(data):
    try:
        table = read_table(data, COLUMNS)
    except ImportFileError as error:
        assert str(error)
    else:
        assert all(number >= 2 for number, _ in table.rows)


cell_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(cell_text, max_size=5), max_size=8),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    st.sampled_from([",", ";", "\t"]),
)
def test_read_table_never_fails_unexpectedly_on_generated_csv(rows, encoding, delimiter):
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["city", "country", "joined"])
    writer.writerows(rows)
    try:
        table = read_table(out.getvalue().encode(encoding), COLUMNS)
    except ImportFileError as error:
        assert str(error)
    else:
        for _, values in table.rows:
            assert set(values) == {"city", "country", "joined"}


def test_read_table_reads_only_the_cells_a_workbook_holds():
    workbook = openpyxl.Workbook()
    workbook.active.append(["city", "country"])
    workbook.active.append(["Vinh", "VN"])
    workbook.active.cell(2, 500).value = "far away"  # past the columns read
    out = io.BytesIO()
    workbook.save(out)
    assert read_table(out.getvalue(), COLUMNS).rows == [(2, {"city": "Vinh", "country": "VN", "joined": ""})]


NOTES = [*COLUMNS, ImportColumn("notes", "", multiline=True)]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"city,country,notes\n" + b"Hue,VN,ok\n" * 1000 + b"Vi\x00nh,VN,\n", "utf-8"),  # past the first 8 KB
        ("city,country,notes\nHue,VN,ok\nVi\x00nh,VN,\n".encode("utf-16"), "utf-16"),
        ("city,country,notes\nHue,VN,ok\nVi\x85nh,VN,\n".encode(), "utf-8"),  # C1: NEXT LINE
        (b"city,country,notes\nHue,VN,ok\nVi\x1bnh,VN,\n", "utf-8"),
    ],
)
def test_read_table_reports_a_control_character_on_its_row_and_column(data, encoding):
    table = read_table(data, NOTES)
    number = 1002 if len(data) > 8192 and encoding == "utf-8" else 3
    assert [(p.row, p.column) for p in table.problems] == [(number, "city")]
    assert "contains a control character (U+" in table.problems[0].message
    assert "at character 3" in table.problems[0].message
    assert all("\x00" not in value for _, row in table.rows for value in row.values())


def test_read_table_keeps_line_breaks_only_in_multi_line_columns():
    table = read_table(b'city,country,notes\n"Mix\rd",VN,\nVinh,VN,"two\r\nlines"\n', NOTES)
    assert [str(p) for p in table.problems] == [
        "Row 2, city: contains a line break (U+000D) at character 4; this column takes one line"
    ]
    # Line breaks are kept as "\n" whatever the program wrote (core.text.normalise_text).
    assert table.rows == [(3, {"city": "Vinh", "country": "VN", "joined": "", "notes": "two\nlines"})]


def test_read_table_refuses_a_control_character_in_the_header():
    with pytest.raises(ImportFileError, match=r"Row 1, column 3 \('no\ufffdtes'\): contains a control character \(U"):
        read_table(b"city,country,no\x00tes\nVinh,VN,\n", NOTES)


def test_read_table_still_calls_a_file_of_control_bytes_binary():
    with pytest.raises(ImportFileError, match="binary data"):
        read_table(b"city,country\n" + bytes(range(32)) * 10, COLUMNS)


def test_read_table_reports_filled_cells_past_the_columns_read():
    table = read_table(b"city,country\n" + b"Vinh,VN" + b"," * 120 + b"far\n", COLUMNS)
    assert [str(p) for p in table.problems] == [
        "Row 2, column 101: 1 more filled cells past column 100; only 100 are read"
    ]


def test_read_table_keeps_the_first_hundred_problems_and_counts_the_rest():
    table = read_table(b"city,country\n" + b"=1,VN\n" * 250, COLUMNS)
    assert [p.row for p in table.problems] == list(range(2, 102))
    assert table.more_problems == 150


def test_read_table_finds_the_column_names_below_a_title_and_blank_rows():
    data = b"Cohort 2024 (UIL press release),,\n,,\ncity,country,joined\nVinh,VN,2024\n"
    table = read_table(data, COLUMNS)
    assert table.header_row == 3
    assert "column names read from row 3" in table.description
    assert table.rows == [(4, {"city": "Vinh", "country": "VN", "joined": "2024"})]


def test_read_table_says_which_row_it_took_for_the_column_names_when_they_are_wrong():
    with pytest.raises(ImportFileError, match="Row 2 must name these columns"):
        read_table(b"\ntown,nation\nVinh,VN\n", COLUMNS)


def test_read_table_skips_trailing_empty_columns_and_rows_and_names_a_repeated_column():
    table = read_table(b"city,country,joined,,\nVinh,VN,2024,,\n,,,,\n\n", COLUMNS)
    assert table.rows == [(2, {"city": "Vinh", "country": "VN", "joined": "2024"})]
    with pytest.raises(ImportFileError, match="column 'city' appears twice"):
        read_table(b"city,city,joined\nVinh,VN,2024\n", COLUMNS)


def test_read_table_names_a_value_under_a_merged_header_cell():
    # A merged header cell keeps its text in the first cell only: the next column has no name.
    table = read_table(b"\ncity,,country,joined\nVinh,Nghe An,VN,2024\n", COLUMNS)
    assert [str(p) for p in table.problems] == ["Row 3, column 2: 'Nghe An' is in a column without a name in row 2"]


@pytest.mark.parametrize("sep", [";", "\t", ","])
def test_read_table_honours_excels_sep_line(sep):
    data = f"sep={sep}\ncity{sep}country{sep}joined\nVinh, Nghe An{sep}VN{sep}2024\n".encode()
    if sep == ",":
        data = b'sep=,\ncity,country,joined\n"Vinh, Nghe An",VN,2024\n'
    assert read_table(data, COLUMNS).rows == [(2, {"city": "Vinh, Nghe An", "country": "VN", "joined": "2024"})]


def test_read_table_normalises_every_cell_and_column_name():
    data = "Ci\u200bty,\ufeffcountry,joined\nSa\u00a0\u00a0De\u0301c\u200b,VN,2024\n".encode()
    assert read_table(data, COLUMNS).rows == [(2, {"city": "Sa Déc", "country": "VN", "joined": "2024"})]
