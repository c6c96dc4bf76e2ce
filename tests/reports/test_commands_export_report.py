import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from reports.export import BOM

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.BytesIO(), io.StringIO()
    call_command("export_report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_list_names_every_report_and_its_filters():
    out = io.StringIO()
    call_command("export_report", "--list", stdout=out)
    assert "members-by-country" in out.getvalue() and "[--date --region]" in out.getvalue()
    assert "participation-matrix" in out.getvalue()


def test_writes_csv_to_stdout_with_filters_and_a_summary(small_network):
    data, err = run("members-by-country", "--date", "2024-12-31", "--region", "asia-pacific")
    assert data.startswith(BOM)
    assert list(csv.reader(io.StringIO(data[len(BOM) :].decode()))) == [
        ["Region", "Country", "ISO code", "Members"],
        ["Asia and the Pacific", "Viet Nam", "VN", "3"],
    ]
    assert "members-by-country: 1 rows as CSV in" in err


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", [["Asie et Pacifique", "Viêt Nam", "VN", "3"], ["États arabes", "Arabie saoudite", "SA", "1"]]),
        ("es", [["Asia y el Pacífico", "Vietnam", "VN", "3"], ["Estados Árabes", "Arabia Saudí", "SA", "1"]]),
        ("en", [["Arab States", "Saudi Arabia", "SA", "1"], ["Asia and the Pacific", "Viet Nam", "VN", "3"]]),
    ],
)
def test_language_names_and_sorts_countries_and_regions_in_it(small_network, language, expected):
    data, _ = run("members-by-country", "--date", "2024-12-31", "--language", language)
    rows = list(csv.reader(io.StringIO(data[len(BOM) :].decode())))[1:]  # the header row is the catalogue's
    assert rows[:2] == expected


def test_language_must_be_one_of_the_sites():
    with pytest.raises(CommandError, match="invalid choice: 'de'"):
        run("members-by-country", "--language", "de")


def test_writes_xlsx_to_a_file(small_network, tmp_path):
    target = tmp_path / "participation.xlsx"
    _, err = run("participation-by-conference", "--format", "xlsx", "--output", str(target), "--conference", "6")
    book = openpyxl.load_workbook(target)
    assert [row[:3] for row in book.active.iter_rows(min_row=2, values_only=True)] == [("ICLC 6", 2024, 5)]
    assert not (tmp_path / "participation.xlsx.part").exists()
    assert str(target) in err


def test_contact_fields_only_with_the_explicit_flag(small_network, tmp_path):
    plain, _ = run("delegates", "--conference", "6")
    assert b"@example.org" not in plain and b"E-mail" not in plain
    personal, _ = run("delegates", "--conference", "6", "--include-personal-data")
    assert b"E-mail,Phone,Notes" in personal and personal.count(b"@example.org") == 7


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Name a report"),
        (("no-such-report",), "No report called 'no-such-report'"),
        (("cities", "--conference", "6"), "cities does not take --conference"),
        (("cities", "--country", "Vietnan"), "did you mean Viet Nam?"),
        (("members-by-country", "--date", "2024-13-01"), "date: Enter a valid date"),
        (("participation-by-conference", "--conference", "99"), "There is no conference number 99"),
    ],
)
def test_bad_input_gets_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
