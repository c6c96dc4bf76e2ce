import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportRecord
from network.models import City, Country, MembershipTerm
from tests.imports.factories import ImportRecordFactory
from tests.network.factories import CityFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:network_city_import")
COHORT = "city,country,joined\nSa Đéc,Viet Nam,2020-09-23\nSon La,VN,February 2024\n".encode()
PERMISSIONS = ["add_city", "change_city", "add_membershipterm", "change_membershipterm"]


def upload(client, data: bytes, name: str = "cohort.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data)})


def text(response) -> str:
    return " ".join(response.content.decode().split())


def staff(username: str, codenames: list[str]) -> User:
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def importer_client(client):
    client.force_login(staff("importer", [*PERMISSIONS, "view_city", "view_importrecord"]))
    return client


def test_city_changelist_offers_the_import_to_staff_allowed_to_import(importer_client):
    assert IMPORT_URL in importer_client.get(reverse("admin:network_city_changelist")).content.decode()


def test_city_changelist_hides_the_import_from_staff_who_may_only_view(client):
    client.force_login(staff("viewer", ["view_city"]))
    assert IMPORT_URL not in client.get(reverse("admin:network_city_changelist")).content.decode()


@pytest.mark.parametrize("missing", PERMISSIONS)
def test_import_pages_refuse_staff_without_every_permission(client, missing):
    client.force_login(staff("partial", [p for p in PERMISSIONS if p != missing]))
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, COHORT).status_code == 403
    assert client.get(reverse("admin:network_city_import_template", args=["csv"])).status_code == 403
    assert City.objects.count() == 0


def test_import_pages_send_visitors_to_the_login(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_upload_preview_and_apply_write_the_file_once(importer_client):
    response = upload(importer_client, COHORT)
    record = ImportRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:network_city_import_preview", args=[record.pk])
    assert City.objects.count() == 0

    page = importer_client.get(response["Location"]).content.decode()
    assert "Sa Đéc, Viet Nam" in page and "member from February 2024" in page and "2 to create" in page
    apply_url = reverse("admin:network_city_import_apply", args=[record.pk])
    assert apply_url in page

    response = importer_client.post(apply_url)
    assert response["Location"] == reverse("admin:imports_importrecord_change", args=[record.pk])
    assert sorted(City.objects.values_list("name", flat=True)) == ["Sa Đéc", "Son La"]
    record.refresh_from_db()
    assert (record.status, record.imported_by.username, record.created_count) == ("applied", "importer", 2)
    assert importer_client.post(apply_url).status_code == 404  # applied once only
    assert MembershipTerm.objects.count() == 2


def test_upload_with_problems_shows_each_and_offers_no_apply(importer_client):
    data = b"city,country,joined\nVinh,VN,2020\nIfrane,Kingdom of Moroco,2022\nSon La,VN,2024-13-01\n"
    page = text(upload(importer_client, data))
    assert "unknown country &#x27;Kingdom of Moroco&#x27;: did you mean Morocco?" in page
    assert "join date &#x27;2024-13-01&#x27; is not a date" in page
    assert "2 problems found: nothing will be written" in page
    assert "Apply" not in page
    assert (City.objects.count(), ImportRecord.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 fake", "it looks like a PDF document"),
        (b"", "The file is empty."),
        (
            b"name,country\nVinh,VN\n",
            "missing columns &#x27;city&#x27;, &#x27;joined&#x27;; unknown column &#x27;name&#x27;",
        ),
    ],
)
def test_upload_of_a_bad_file_says_why_on_the_form(importer_client, data, message):
    response = upload(importer_client, data)
    assert response.status_code == 200
    assert message in text(response)
    assert (City.objects.count(), ImportRecord.objects.count()) == (0, 0)


def test_upload_over_the_size_limit_is_refused_before_reading(importer_client, settings):
    settings.IMPORT_MAX_FILE_SIZE = 50
    response = upload(importer_client, COHORT)
    assert f"The file is {len(COHORT)} bytes; the limit is 50 bytes." in text(response)
    assert ImportRecord.objects.count() == 0


def test_apply_must_be_posted(importer_client):
    upload(importer_client, COHORT)
    record = ImportRecord.objects.get()
    assert importer_client.get(reverse("admin:network_city_import_apply", args=[record.pk])).status_code == 405
    assert City.objects.count() == 0


def test_preview_of_another_persons_upload_is_not_found(importer_client, client):
    upload(importer_client, COHORT)
    record = ImportRecord.objects.get()
    client.force_login(staff("colleague", PERMISSIONS))
    assert client.get(reverse("admin:network_city_import_preview", args=[record.pk])).status_code == 404
    assert client.post(reverse("admin:network_city_import_apply", args=[record.pk])).status_code == 404
    assert City.objects.count() == 0


def test_apply_of_a_preview_older_than_a_day_asks_for_a_new_upload(importer_client):
    upload(importer_client, COHORT)
    record = ImportRecord.objects.get()
    ImportRecord.objects.filter(pk=record.pk).update(created_at=record.created_at.replace(year=2000))
    response = importer_client.post(reverse("admin:network_city_import_apply", args=[record.pk]), follow=True)
    assert "more than a day old; upload the file again" in response.content.decode()
    assert City.objects.count() == 0


def test_apply_that_finds_new_problems_writes_nothing(importer_client):
    upload(importer_client, b"city,country,joined\nVinh,VN,2024\n")
    record = ImportRecord.objects.get()
    upload(importer_client, b"city,country,joined\nVinh,VN,2020\n")
    importer_client.post(reverse("admin:network_city_import_apply", args=[ImportRecord.objects.first().pk]))
    page = importer_client.post(reverse("admin:network_city_import_apply", args=[record.pk])).content.decode()
    assert "has been a member since 2020; a term from 2024 would overlap it" in page
    assert MembershipTerm.objects.count() == 1


def test_apply_of_a_preview_the_records_outran_shows_each_changed_row_and_offers_a_new_preview(importer_client):
    city = CityFactory(name="Vinh", country=Country.objects.get(code="VN"), province="Nghe An")
    city.membership_terms.create(start_date="2020-01-01", start_precision="year")
    upload(importer_client, b"city,country,joined,province\nVinh,VN,2020,Nghe An Province\n")
    record = ImportRecord.objects.get()
    City.objects.update(province="Edited meanwhile")
    response = importer_client.post(reverse("admin:network_city_import_apply", args=[record.pk]))
    page = text(response)
    assert "The records changed since the preview" in page
    assert "it was update Vinh, Viet Nam (province: &#x27;Nghe An&#x27; → &#x27;Nghe An Province&#x27;)" in page
    assert (
        "it is now update Vinh, Viet Nam (province: &#x27;Edited meanwhile&#x27; → &#x27;Nghe An Province&#x27;)"
        in page
    )
    preview_url = reverse("admin:network_city_import_preview", args=[record.pk])
    assert f'<a href="{preview_url}">Preview the file again</a>' in page
    assert City.objects.get().province == "Edited meanwhile"
    importer_client.get(preview_url)  # the new preview is what the apply is now held to
    assert importer_client.post(reverse("admin:network_city_import_apply", args=[record.pk])).status_code == 302
    assert City.objects.get().province == "Nghe An Province"


def test_templates_download_with_the_columns(importer_client):
    csv_response = importer_client.get(reverse("admin:network_city_import_template", args=["csv"]))
    assert csv_response.content.decode("utf-8-sig").splitlines()[0] == "city,country,joined,province,local_name,source"
    xlsx_response = importer_client.get(reverse("admin:network_city_import_template", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.content))["Import"]
    assert [cell.value for cell in sheet[1]][:3] == ["city", "country", "joined"]
    assert importer_client.get(reverse("admin:network_city_import_template", args=["pdf"])).status_code == 404


def test_preview_page_runs_the_same_queries_for_5_and_50_rows(importer_client, django_assert_max_num_queries):
    for size in (5, 50):
        data = ("city,country,joined\n" + "".join(f"City {n},VN,2020\n" for n in range(size))).encode()
        upload(importer_client, data)
        url = reverse("admin:network_city_import_preview", args=[ImportRecord.objects.first().pk])
        with django_assert_max_num_queries(12):
            assert importer_client.get(url).status_code == 200


def test_import_history_lists_imports_and_shows_their_changes(importer_client):
    record = ImportRecordFactory(file_name="cohort-2024.csv", context="")
    changelist = importer_client.get(reverse("admin:imports_importrecord_changelist") + "?q=2024")
    assert "cohort-2024.csv" in changelist.content.decode()
    page = importer_client.get(reverse("admin:imports_importrecord_change", args=[record.pk])).content.decode()
    assert "Row 2: create Vinh, Viet Nam: new city" in page
    download = importer_client.get(reverse("admin:imports_importrecord_file", args=[record.pk]))
    assert download.content == bytes(record.content)
    assert 'filename="cohort-2024.csv"' in download["Content-Disposition"]


def test_import_history_cannot_be_added_changed_or_deleted(staff_client):
    record = ImportRecordFactory()
    assert staff_client.get(reverse("admin:imports_importrecord_add")).status_code == 403
    assert staff_client.post(reverse("admin:imports_importrecord_delete", args=[record.pk])).status_code == 403
    assert ImportRecord.objects.count() == 1


def test_import_history_runs_the_same_queries_for_5_and_50_imports(staff_client, django_assert_max_num_queries):
    for size in (5, 50):
        ImportRecordFactory.create_batch(size - ImportRecord.objects.count())
        with django_assert_max_num_queries(10):
            assert staff_client.get(reverse("admin:imports_importrecord_changelist")).status_code == 200


def test_the_uploaded_file_goes_only_to_staff_who_may_import_its_kind(client):
    record = ImportRecordFactory()
    url = reverse("admin:imports_importrecord_file", args=[record.pk])
    client.force_login(staff("reader", ["view_importrecord"]))
    assert client.get(url).status_code == 403
    client.force_login(staff("importer", [*PERMISSIONS, "view_importrecord"]))
    assert client.get(url).status_code == 200


def test_old_admin_addresses_of_import_records_redirect_to_their_new_place(staff_client):
    record = ImportRecordFactory()
    response = staff_client.get(f"/admin/network/importrecord/{record.pk}/change/?x=1")
    assert response.status_code == 301
    assert response["Location"] == f"/admin/imports/importrecord/{record.pk}/change/?x=1"
    assert staff_client.get("/admin/network/importrecord/")["Location"] == "/admin/imports/importrecord/"
