import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.cache import generation
from core.dates import DatePrecision
from imports import workflow as importing
from imports.models import ImportRecord
from imports.workflow import (
    duplicate_problems,
    import_apply,
    import_preview,
    import_store,
    lock_imports,
)
from network.importers import MemberImport
from network.models import City, Country, MembershipTerm
from tests.network.factories import CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent.parent / "data" / "gnlc_members_sample.csv"


def cohort_from_sample() -> bytes:
    """The sample as a user maps it to the template: announced_date becomes joined; region and notes go."""
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["city", "country", "joined", "source"])
    writer.writerows([row["city"], row["country"], row["announced_date"], row["source"]] for row in rows)
    return out.getvalue().encode("utf-8")


def apply(data: bytes, file_name: str = "cohort.csv", user=None):
    return import_apply(importer=MemberImport(), data=data, file_name=file_name, user=user, user_name="tester")


def store(data: bytes, user, file_name: str = "c.csv") -> ImportRecord:
    """A file uploaded through the admin: previewed, then stored with its preview."""
    preview = import_preview(importer=MemberImport(), data=data, file_name=file_name)
    return import_store(importer=MemberImport(), preview=preview, data=data, file_name=file_name, user=user)


def written() -> tuple[int, int, int]:
    return City.objects.count(), MembershipTerm.objects.count(), ImportRecord.objects.count()


def test_import_of_the_sample_creates_its_cities_with_countries_and_join_dates():
    preview = apply(cohort_from_sample())
    assert preview.applied, preview.lines()
    assert preview.counts == {"create": 72, "update": 0, "unchanged": 0}
    assert City.objects.count() == 72
    son_la = City.objects.get(name="Son La")
    term = son_la.membership_terms.get()
    assert (son_la.country.code, term.start_display, term.start_precision) == ("VN", "14 February 2024", "day")
    assert City.objects.get(name="Ifrane").country == Country.objects.get(code="MA")  # "Kingdom of Morocco"
    assert City.objects.get(name="Bursa").country.code == "TR"  # "Turkey"
    assert City.objects.get(name="Guangzhou").country.code == "CN"  # "People's Republic of China"
    kyiv = City.objects.get(name="Kyiv").membership_terms.get()
    assert (kyiv.start_display, kyiv.start_precision) == ("September 2022", DatePrecision.MONTH)
    # Every city joined in the year the source's own year_joined column gives.
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        expected = {(row["city"], int(row["year_joined"])) for row in csv.DictReader(f)}
    terms = MembershipTerm.objects.select_related("city")
    assert {(term.city.name, term.start_date.year) for term in terms} == expected


def test_import_of_the_same_file_again_changes_nothing():
    data = cohort_from_sample()
    apply(data)
    before = list(MembershipTerm.objects.values_list("pk", "city_id", "start_date", "start_precision", "source"))
    cities = list(City.objects.values_list("pk", "name", "province", "updated_at"))
    again = apply(data)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 72}
    assert list(MembershipTerm.objects.values_list("pk", "city_id", "start_date", "start_precision", "source")) == (
        before
    )
    assert list(City.objects.values_list("pk", "name", "province", "updated_at")) == cities


def test_import_records_who_imported_which_file_and_each_change(admin_user):
    apply(b"city,country,joined\nVinh,VN,2020\n", file_name="cohort-2020.csv", user=admin_user)
    record = ImportRecord.objects.get()
    assert (record.status, record.kind, record.file_name) == ("applied", "members", "cohort-2020.csv")
    assert (record.imported_by, record.imported_by_name, record.created_count) == (admin_user, "tester", 1)
    assert bytes(record.content) == b"city,country,joined\nVinh,VN,2020\n"
    assert record.changes == [
        {"row": 2, "action": "create", "record": "Vinh, Viet Nam", "details": ["new city", "member from 2020"]}
    ]
    assert record.applied_at is not None


def test_import_writes_nothing_when_one_row_of_many_is_wrong():
    lines = [f"City {n},VN,2020" for n in range(30)] + ["City X,VN,2024-13-01"]
    preview = apply(("city,country,joined\n" + "\n".join(lines)).encode())
    assert not preview.applied
    assert [str(p) for p in preview.problems] == [
        "Row 32, joined: join date '2024-13-01' is not a date (write 2024, 2024-02, February 2024 or 2024-02-14)"
    ]
    assert written() == (0, 0, 0)


def test_preview_writes_nothing():
    preview = import_preview(importer=MemberImport(), data=b"city,country,joined\nVinh,VN,2020\n", file_name="c.csv")
    assert preview.is_valid and preview.counts["create"] == 1
    assert written() == (0, 0, 0)


def test_apply_checks_the_file_again_against_the_records_as_they_are_now(admin_user):
    data = b"city,country,joined\nVinh,VN,2024\n"
    record = store(data, admin_user)
    assert import_preview(importer=MemberImport(), data=data, file_name="c.csv").is_valid
    MembershipTermFactory(city=CityFactory(name="Vinh", country=Country.objects.get(code="VN")))  # since 2020
    preview = import_apply(importer=MemberImport(), data=data, file_name="c.csv", user=admin_user, record=record)
    assert not preview.applied
    assert "has been a member since 23 September 2020; a term from 2024 would overlap it" in str(preview.problems[0])
    assert MembershipTerm.objects.count() == 1
    assert ImportRecord.objects.get().status == ImportRecord.Status.PREVIEWED


def test_apply_of_a_stored_preview_happens_once(admin_user):
    data = b"city,country,joined\nVinh,VN,2020\n"
    record = store(data, admin_user)
    assert import_apply(importer=MemberImport(), data=data, file_name="c.csv", user=admin_user, record=record).applied
    second = import_apply(importer=MemberImport(), data=data, file_name="c.csv", user=admin_user, record=record)
    assert (second.applied, second.error) == (False, "This file has already been applied.")
    assert ImportRecord.objects.get().status == ImportRecord.Status.APPLIED


def test_apply_of_a_stored_preview_refuses_every_row_whose_change_differs_from_the_preview(admin_user):
    vietnam = Country.objects.get(code="VN")
    for name in ("Vinh", "Hue"):
        CityFactory(name=name, country=vietnam, province="Old").membership_terms.create(
            start_date="2020-01-01", start_precision="year"
        )
    data = b"city,country,joined,province\nVinh,VN,2020,New\nHue,VN,2020,New\nSon La,VN,2021,\n"
    record = store(data, admin_user)
    City.objects.filter(name="Hue").update(province="New")  # someone else made row 3's change meanwhile
    CityFactory(name="Son La", country=vietnam)  # and added row 4's city
    preview = import_apply(importer=MemberImport(), data=data, file_name="c.csv", user=admin_user, record=record)
    assert (preview.applied, preview.error) == (False, importing.CHANGED_SINCE_PREVIEW)
    assert [str(problem) for problem in preview.problems] == [
        "Row 3, city: changed since the preview: it was update Hue, Viet Nam (province: 'Old' → 'New'), "
        "it is now unchanged",
        "Row 4, city: changed since the preview: it was create Son La, Viet Nam (new city; member from 2021), "
        "it is now create Son La, Viet Nam (member again from 2021)",
    ]
    assert City.objects.get(name="Vinh").province == "Old"
    assert MembershipTerm.objects.count() == 2
    assert ImportRecord.objects.get().status == ImportRecord.Status.PREVIEWED


def test_apply_takes_the_import_lock_on_either_database():
    with transaction.atomic():
        lock_imports()  # PostgreSQL: the advisory lock; SQLite: the write lock, taken before any read
        assert import_apply(importer=MemberImport(), data=b"city,country,joined\nVinh,VN,2020\n", file_name="c").applied


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes exist on PostgreSQL only")
def test_trigram_indexes_keep_no_pending_list_that_every_lookup_would_scan():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reloptions FROM pg_class WHERE relname LIKE '%%\\_trgm'")
        options = dict(cursor.fetchall())
    assert set(options) >= {"city_search_name_trgm", "city_local_name_trgm", "delegate_full_name_trgm"}
    assert all(value == ["fastupdate=off"] for value in options.values()), options


def test_import_store_drops_previews_older_than_a_day(admin_user):
    old = store(b"x", admin_user, "old.csv")
    ImportRecord.objects.filter(pk=old.pk).update(created_at=old.created_at.replace(year=2000))
    new = store(b"x", admin_user, "new.csv")
    assert list(ImportRecord.objects.all()) == [new]


# One test per kind of bad file: a clear message and nothing written.


def assert_refused(data: bytes, message: str):
    preview = apply(data)
    assert not preview.applied
    assert message in preview.error
    assert written() == (0, 0, 0)


def test_import_reads_a_windows_1252_file_and_warns_when_the_code_page_is_a_guess():
    assert apply("city,country,joined\nLiège,Belgium,2016\n".encode("cp1252")).applied
    assert City.objects.get().name == "Liège"
    # 0x81 is in no Windows code page that makes it a letter; only Mac Roman does ("å"), without Mac line endings.
    preview = import_preview(
        importer=MemberImport(), data=b"city,country,joined\nLi\x81ge,Belgium,2016\n", file_name="x.csv"
    )
    assert preview.encoding == "Mac Roman (Excel for Mac)"
    assert "it was read as Mac Roman" in preview.warnings[0]
    assert "CSV UTF-8" in preview.warnings[0]


def test_import_refuses_a_file_with_missing_columns():
    assert_refused(b"city,joined\nVinh,2020\n", "missing column 'country'")


def test_import_refuses_a_file_with_renamed_columns():
    assert_refused(SAMPLE.read_bytes(), "unknown columns 'region', 'year_joined', 'announced_date', 'notes'")


def test_import_refuses_an_empty_file():
    assert_refused(b"", "The file is empty.")


def test_import_refuses_a_file_with_only_a_header():
    assert_refused(b"city,country,joined\r\n", "no data rows")


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>", "a PDF document"), (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image")],
)
def test_import_refuses_a_file_that_is_not_a_spreadsheet(data, kind):
    assert_refused(data, f"This file is not a CSV or XLSX spreadsheet: it looks like {kind}.")


def test_import_refuses_a_file_over_the_size_limit(settings):
    settings.IMPORT_MAX_FILE_SIZE = 1000
    assert_refused(b"city,country,joined\n" + b"Vinh,VN,2020\n" * 100, "The file is 1.3 KB; the limit is 1000 bytes")


def test_import_refuses_formulas_in_cells():
    workbook = openpyxl.Workbook()
    workbook.active.append(["city", "country", "joined"])
    workbook.active.append(["Vinh", "VN", "=YEAR(TODAY())"])
    out = io.BytesIO()
    workbook.save(out)
    preview = apply(out.getvalue())
    assert [str(p) for p in preview.problems] == [
        "Row 2, joined: '=YEAR(TODAY())' is a formula; type the value itself (formulas are refused)"
    ]
    assert written() == (0, 0, 0)


def test_import_of_an_xlsx_file_applies_it():
    workbook = openpyxl.Workbook()
    workbook.active.append(["city", "country", "joined"])
    workbook.active.append(["Sa Đéc", "Vietnam", 2020])
    out = io.BytesIO()
    workbook.save(out)
    assert apply(out.getvalue(), file_name="cohort.xlsx").applied
    assert City.objects.get().membership_terms.get().start_display == "2020"


def test_duplicate_problems_name_every_row_of_a_repeated_key():
    problems, repeated = duplicate_problems({"a": [3, 9], "b": [4], "c": [2, 5, 7]}, "city", str.upper)
    assert [str(p) for p in problems] == [
        "Row 9, city: A appears twice, rows 3 and 9",
        "Row 5, city: C appears 3 times, rows 2, 5 and 7",
        "Row 7, city: C appears 3 times, rows 2, 5 and 7",
    ]
    assert repeated == {9, 5, 7}


def test_an_applied_import_makes_the_cached_figures_stale():
    # The import writes in bulk, which sends no signals: it says itself that the records changed.
    before = generation()
    cohort = b"city,country,joined\r\nVinh,VN,2020\r\n"
    assert import_preview(importer=MemberImport(), data=cohort, file_name="c.csv").is_valid
    assert generation() == before
    assert apply(cohort).applied
    assert generation() != before


_CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x85, 0x9F])
_FIELD_TEXT = st.text(
    st.one_of(
        st.characters(exclude_categories=["Cs"]),
        st.sampled_from(_CONTROLS + "\u200b\ufeff\u00a0\u202f\u200e"),
        st.sampled_from("São Łódź Казань Λάρισα İzmir الجبيل 中国 Vinh 2024 février Congo AUS"),
    ),
    max_size=10,
)
_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1256"]


def _xlsx(rows: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        # openpyxl refuses control characters in cells; Excel writes them as _xHHHH_, which is what we store.
        workbook.active.append(
            [re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: f"_x{ord(m[0]):04X}_", c) for c in row]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    above=st.lists(st.lists(_FIELD_TEXT, max_size=3), max_size=3),
    rows=st.lists(st.lists(_FIELD_TEXT, min_size=3, max_size=5), max_size=6),
    encoding=st.sampled_from(_ENCODINGS),
    sep_line=st.booleans(),
    kind=st.sampled_from(["csv", "xlsx", "bytes"]),
    noise=st.binary(max_size=60),
)
def test_preview_of_any_file_is_a_preview_or_a_clear_refusal(above, rows, encoding, sep_line, kind, noise):
    """Random text in random encodings, header rows at random depths under blank or title rows, control and
    invisible characters anywhere, or plain random bytes: the preview reads it or says why, never raises."""
    table = [*above, ["city", "country", "joined"], *rows]
    if kind == "xlsx":
        data = _xlsx(table)
    elif kind == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(table)
        data = (("sep=,\n" if sep_line else "") + out.getvalue()).encode(encoding, errors="replace")
    else:
        data = noise
    result = import_preview(importer=MemberImport(), data=data, file_name=f"random.{kind}")
    assert result.error or result.changes or result.problems
    for problem in result.problems:
        assert problem.row >= 1 and problem.column and problem.message
    for change in result.changes:
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\u200b\ufeff]", change.record)
