import pytest
from django.core.management import CommandError, call_command

from imports.models import ImportRecord
from network.models import City, MembershipTerm

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_text("city,country,joined\nSa Đéc,Viet Nam,2020\nSon La,VN,February 2024\n", encoding="utf-8")
    return path


def test_import_members_template_prints_the_header_row(capsys):
    call_command("import_members", "--template")
    assert capsys.readouterr().out == "city,country,joined,province,local_name,source\n"


def test_import_members_dry_run_prints_the_preview_and_writes_nothing(cohort, capsys):
    call_command("import_members", str(cohort), "--dry-run")
    out = capsys.readouterr().out
    assert "Row 3: create Son La, Viet Nam: new city; member from February 2024" in out
    assert "2 to create, 0 to update, 0 unchanged." in out and "Dry run: nothing was written." in out
    assert (City.objects.count(), ImportRecord.objects.count()) == (0, 0)


def test_import_members_applies_the_file_and_records_it(cohort, admin_user, capsys):
    call_command("import_members", str(cohort), "--user", admin_user.username)
    assert MembershipTerm.objects.count() == 2
    record = ImportRecord.objects.get()
    assert (record.file_name, record.imported_by, record.status) == ("cohort.csv", admin_user, "applied")
    assert f"recorded as import #{record.pk}" in capsys.readouterr().out


def test_import_members_records_the_shell_user_without_user(cohort):
    call_command("import_members", str(cohort))
    assert ImportRecord.objects.get().imported_by_name.endswith("(command line)")


def test_import_members_fails_and_writes_nothing_for_a_file_with_problems(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("city,country,joined\nVinh,VN,2020\nIfrane,Kingdom of Moroco,2022\n", encoding="utf-8")
    with pytest.raises(CommandError, match="fix the problems above"):
        call_command("import_members", str(path))
    assert "Row 3, country: unknown country 'Kingdom of Moroco': did you mean Morocco?" in capsys.readouterr().out
    assert City.objects.count() == 0


def test_import_members_fails_for_a_file_that_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "scan.csv"
    path.write_bytes(b"%PDF-1.5 not a table")
    with pytest.raises(CommandError, match="it looks like a PDF document"):
        call_command("import_members", str(path))


def test_import_members_fails_for_a_file_over_the_size_limit(cohort, settings):
    settings.IMPORT_MAX_FILE_SIZE = 10
    with pytest.raises(CommandError, match="the limit is 10 bytes"):
        call_command("import_members", str(cohort))


def test_import_members_fails_without_a_file_or_with_a_missing_one(tmp_path):
    with pytest.raises(CommandError, match="Give the file to import"):
        call_command("import_members")
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_members", str(tmp_path / "nowhere.csv"))
